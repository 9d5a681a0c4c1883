"""Per-host pauses: ``Retry-After`` obeyed, exponential backoff without it, long pauses deferred.

A 429 or 503 carrying ``Retry-After`` (seconds or an HTTP date) sets the earliest time of the
*next request to that host*, the retry included (Scrapy's RetryMiddleware retries at once). A
429, 5xx or transport error without the header backs off exponentially per host:
``ATLANTICO_BACKOFF_BASE`` × 2^(failures in a row − 1), at most ``ATLANTICO_BACKOFF_MAX``
seconds; a good response resets it. A request waits out its host's pause once it holds one of
the host's transfer slots (:mod:`atlantico.middlewares.concurrency_guard`, just before this
middleware), right before its download: a request that was already waiting for a slot when the
host answered Retry-After cannot go out before the pause, since the answer is read here before
the slot is freed. DOWNLOAD_DELAY still applies after the pause.

A pause longer than ``ATLANTICO_RETRY_AFTER_MAX`` is not waited out: the request, and every
later request to that host before the time the host named, is deferred to the next run (the
:data:`atlantico.signals.request_deferred` signal; the URLs in the ``atlantico/deferred`` stat).

A host's pause outlives the run: with a run context it is stored
(:meth:`atlantico.store.Store.pause_host`), and the next run starts with it: a pause still
longer than the cap stops that run before it sends anything (``scrapy crawl`` exits 75, "try
again later"); a shorter one is waited out here.

Stats: ``atlantico/politeness/retry_after``, ``atlantico/politeness/backoff``,
``atlantico/politeness/waited`` (requests that waited), ``atlantico/politeness/wait_max``
(seconds), ``atlantico/deferred/retry_after``.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached

from atlantico import signals
from atlantico import stats as names
from atlantico.context import RunContext

logger = logging.getLogger(__name__)

# The statuses whose Retry-After means "come back later" (RFC 9110 §10.2.3; RFC 6585 §4).
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Request meta: the answer has been read (:meth:`RetryAfterMiddleware._read`); its Retry-After
# delay in seconds, or None.
READ = "atlantico_retry_after_read"


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date); None if invalid.

    >>> retry_after_seconds("30", 0.0), retry_after_seconds(" 0 ", 0.0)
    (30.0, 0.0)
    >>> retry_after_seconds("Thu, 01 Jan 1970 00:01:00 GMT", 30.0)
    30.0
    >>> retry_after_seconds("Thu, 01 Jan 1970 00:00:00 GMT", 30.0)  # a date already past
    0.0
    >>> retry_after_seconds("soon", 0.0) is None, retry_after_seconds("-5", 0.0) is None
    (True, True)
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - now)


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.cap = settings.getfloat("ATLANTICO_RETRY_AFTER_MAX")
        self.base = settings.getfloat("ATLANTICO_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("ATLANTICO_BACKOFF_MAX")
        self.retry_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.not_before: dict[str, float] = {}  # host -> earliest time of its next request
        self.failures: dict[str, int] = {}  # host -> failures in a row
        self.deferred: list[str] = []
        self._warned: set[str] = set()
        self.context = RunContext.of(crawler)
        if self.context is not None:
            for pause in self.context.store.host_pauses(time.time()):
                self.not_before[pause.host] = pause.not_before
                assert crawler.stats is not None
                crawler.stats.inc_value(names.HOST_PAUSE_LOADED)
                logger.info("%s asked an earlier run to pause until %s (%s)", pause.host,
                            time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(pause.not_before)),
                            pause.why)  # fmt: skip

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(
            middleware.response_downloaded, signal=scrapy_signals.response_downloaded
        )
        return middleware

    @property
    def _stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).netloc
        waited = 0.0
        while (wait := self.not_before.get(host, 0.0) - time.time()) > 0:
            if wait > self.cap:
                await self._defer(request, host, attempted=False)
            await sleep(wait)
            waited += wait
        if waited:
            self._stats.inc_value(names.POLITENESS_WAITED)
            self._stats.max_value(names.POLITENESS_WAIT_MAX, round(waited, 1))

    def response_downloaded(self, response: Response, request: Request) -> None:
        """The answer read as soon as it is downloaded: Scrapy sends this signal before the
        host's download slot takes its next request, and the host's transfer slot
        (:mod:`~atlantico.middlewares.concurrency_guard`) is freed just after it."""
        self._read(request, response)

    async def process_response(self, request: Request, response: Response) -> Response:
        if READ not in request.meta:
            self._read(request, response)  # a response that did not come from the downloader
        # Popped: a retry carries a copy of this request's meta.
        delay = request.meta.pop(READ)
        if delay is not None and delay > self.cap:
            await self._defer(request, urlparse_cached(request).netloc, attempted=True)
        return response

    def _read(self, request: Request, response: Response) -> None:
        """Pause or back off the host by this answer; the Retry-After delay, if any, is kept in
        the request's meta for :meth:`process_response`."""
        host = urlparse_cached(request).netloc
        now = time.time()
        header = response.headers.get("Retry-After")
        delay = (
            retry_after_seconds(header.decode("latin-1"), now)
            if header is not None and response.status in RETRY_AFTER_STATUSES
            else None
        )
        request.meta[READ] = delay
        if delay is not None:
            self._stats.inc_value(names.POLITENESS_RETRY_AFTER)
            self._pause(host, now + delay, f"Retry-After: {(header or b'').decode('latin-1')}")
            logger.info(
                "%s answered %d with Retry-After %s: its next request waits %.1f s",
                host,
                response.status,
                header.decode("latin-1") if header else "",
                delay,
            )
        elif response.status in self.retry_codes:
            self._backoff(host, now, f"status {response.status}")
        else:
            self.failures.pop(host, None)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return  # refused by a middleware: the host did nothing wrong
        self._backoff(urlparse_cached(request).netloc, time.time(), type(exception).__name__)

    def _pause(self, host: str, until: float, why: str) -> None:
        self.not_before[host] = max(self.not_before.get(host, 0.0), until)
        if self.context is not None:
            self.context.store.pause_host(host, until, why)

    def _backoff(self, host: str, now: float, why: str) -> None:
        failures = self.failures[host] = self.failures.get(host, 0) + 1
        delay = min(self.base * 2 ** (failures - 1), self.backoff_max)
        self._stats.inc_value(names.POLITENESS_BACKOFF)
        self._pause(host, now + delay, f"backoff after {why}")
        logger.info("%s: %s (%d in a row); backing off %.1f s", host, why, failures, delay)

    async def _defer(self, request: Request, host: str, *, attempted: bool) -> None:
        not_before = self.not_before[host]
        self.deferred.append(request.url)
        self._stats.inc_value(names.DEFERRED_RETRY_AFTER)
        self._stats.set_value(names.DEFERRED_URLS, list(self.deferred))
        if host not in self._warned:
            self._warned.add(host)
            logger.warning(
                "%s asked for a pause of %.0f s, beyond ATLANTICO_RETRY_AFTER_MAX=%.0f s: its "
                "requests are deferred to the next run (not before %s).",
                host,
                not_before - time.time(),
                self.cap,
                time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(not_before)),
            )
        logger.info("Deferred to the next run (Retry-After): %s", request.url)
        await self.crawler.signals.send_catch_log_async(
            signals.request_deferred,
            request=request,
            reason="retry_after",
            not_before=not_before,
            attempted=attempted,
        )
        raise IgnoreRequest(f"deferred to the next run: {host} asked for a pause (Retry-After)")
