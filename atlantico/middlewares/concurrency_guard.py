"""Never more requests in flight to one host than ``CONCURRENT_REQUESTS_PER_DOMAIN``.

Scrapy 2.19's downloader checks the free transfer slots of a host in a loop that starts each
download as a task; the task marks its slot busy only once it runs, so with
``DOWNLOAD_DELAY = 0`` one pass of the loop starts every queued request of the host at once
(measured against the replica: 8 in flight with a limit of 2). With a delay the loop stops
after one request, which is why the polite default pace hides it. This middleware holds a
per-host semaphore from just before the download until its response or error comes back, so
the limit holds whatever the delay. A response frees its slot when it leaves the downloader
(Scrapy's ``request_left_downloader`` signal), before any middleware handles it: a middleware
that refuses the response on its way back (a Retry-After deferral) leaves no slot held.

It runs just before the download on the way out (only the Retry-After middleware, which
waits out a host's pause once a slot is held, comes after it).
Stat: ``atlantico/concurrency/waited`` (requests that had to wait for a free slot).
"""

from __future__ import annotations

from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import DeferredSemaphore

from atlantico import stats as names

HELD = "atlantico_concurrency_slot"  # meta key: the host whose slot this request holds


class ConcurrencyGuardMiddleware:
    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.slots: dict[str, DeferredSemaphore] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        limit = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        if limit <= 0:
            raise NotConfigured("CONCURRENT_REQUESTS_PER_DOMAIN is 0: no per-host limit")
        middleware = cls(crawler, limit)
        crawler.signals.connect(middleware._release, signal=signals.request_left_downloader)
        return middleware

    async def process_request(self, request: Request) -> None:
        # The same key as Scrapy's download slots: an explicit slot, else the host name.
        key = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        slot = self.slots.setdefault(key, DeferredSemaphore(self.limit))
        if slot.tokens == 0:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(names.CONCURRENCY_WAITED)
        await maybe_deferred_to_future(slot.acquire())
        request.meta[HELD] = key

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        # Popped, so a redirect or a retry (a copy of this request's meta) holds nothing yet.
        key = request.meta.pop(HELD, None)
        if key is not None:
            self.slots[key].release()
