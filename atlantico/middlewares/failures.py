"""A download that failed for good says so once: a stat per kind, and one line.

Runs after Scrapy's RetryMiddleware has given up (or found nothing to retry), so each request
is counted once: ``atlantico/failed/<kind>`` with kind ``timeout``, ``connection`` (refused,
reset, lost), ``partial`` (the body stopped before its Content-Length, or the chunked encoding
broke: never passed on as a page), ``too_large`` (``DOWNLOAD_MAXSIZE``), ``dns``, ``other``,
or ``http_<status>`` for a 5xx (or 429) still failing after the retries.

Each failure is sent as :data:`atlantico.signals.article_failed`, so the retry queue records
the articles (and says WARNING "queued for retry", or ERROR "given up"); a redirect of an
article that a guard refused (to ``file:``, ``data:``, another host) is sent too. Other
requests (listings, sitemaps) get an ERROR line here. Scrapy's own lines for the same failure
("Gave up retrying" at ERROR, "Error downloading" at ERROR) are not repeated: the first is
logged as a WARNING, the second does not happen for articles (their failure goes on as
``IgnoreRequest``).
So a run logs one ERROR per article it could not deliver for good, and the error limit
(``ATLANTICO_MAX_ERRORS``) counts articles, not log lines.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response

from atlantico import signals
from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.context import RunContext
from atlantico.retry_queue import is_article_request

logger = logging.getLogger(__name__)


class FailedForGood(IgnoreRequest):
    """Raised by :class:`FailureReportMiddleware` in place of a failure it has reported."""


class _GaveUpAsWarning(logging.Filter):
    """Scrapy's "Gave up retrying" line at WARNING: the failure is reported here, once."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and str(record.msg).startswith("Gave up retrying"):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_RETRY_LOGGER = logging.getLogger("scrapy.downloadermiddlewares.retry")
_GAVE_UP = _GaveUpAsWarning()


def failure_kind(exception: BaseException) -> str:
    """The kind of a download failure, for stats and logs.

    >>> failure_kind(DownloadTimeoutError()), failure_kind(DownloadConnectionRefusedError())
    ('timeout', 'connection')
    >>> failure_kind(ResponseDataLossError()), failure_kind(ValueError())
    ('partial', 'other')
    """
    kinds: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
        (DownloadTimeoutError, "timeout"),
        (CannotResolveHostError, "dns"),
        # A body that stopped before its Content-Length, broken chunking, a reset mid-body.
        (ResponseDataLossError, "partial"),
        (DownloadCancelledError, "too_large"),  # cancelled past DOWNLOAD_MAXSIZE
        ((DownloadConnectionRefusedError, DownloadFailedError, ConnectionError), "connection"),
    )
    for types, kind in kinds:
        if isinstance(exception, types):
            return kind
    return "other"


class FailureReportMiddleware(CrawlerComponent):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        if _GAVE_UP not in _RETRY_LOGGER.filters:
            _RETRY_LOGGER.addFilter(_GAVE_UP)
        self.retry_codes = {int(code) for code in crawler.settings.getlist("RETRY_HTTP_CODES")}

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status in self.retry_codes and response.status >= 429:
            # Still failing after Scrapy's retries (HttpErrorMiddleware drops the page next).
            await self._failed(request, f"http_{response.status}", f"status {response.status}")
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, FailedForGood):
            return
        if isinstance(exception, IgnoreRequest):
            # A refusal, counted where it was decided; an article's refused redirect is not
            # delivered, so it goes to the retry queue too.
            # ("refused: …" is the offsite guard's word; a deferral is queued by its sender.)
            if (
                request.meta.get("redirect_urls")
                and is_article_request(request)
                and str(exception).startswith("refused")
            ):
                await self._signal(request, "refused_redirect")
            return
        kind = failure_kind(exception)
        await self._failed(request, kind, f"{type(exception).__name__}: {exception}")
        if is_article_request(request):
            # Reported (queued or an ERROR): Scrapy need not log "Error downloading" too.
            # Other requests keep their exception: their errbacks and guards read it.
            raise FailedForGood(f"{kind}: {request.url}") from exception

    async def _failed(self, request: Request, kind: str, detail: str) -> None:
        self.stats.inc_value(names.FAILED_KIND.format(kind=kind))
        if not (is_article_request(request) and RunContext.of(self.crawler) is not None):
            # Not an article, or no store to retry it from: lost for this run, an ERROR.
            logger.error(
                "Failed for good (%s) after %d tries: %s (%s)",
                kind,
                request.meta.get("retry_times", 0) + 1,
                request.url,
                detail,
            )
        await self._signal(request, kind, detail)

    async def _signal(self, request: Request, why: str, detail: str = "") -> None:
        await self.crawler.signals.send_catch_log_async(
            signals.article_failed, request=request, why=why, detail=detail
        )


# Schemes a redirect may lead to; Scrapy drops any other one with a DEBUG line only.
FOLLOWED_SCHEMES = frozenset({"http", "https"})


class RefusedRedirectMiddleware(CrawlerComponent):
    """A redirect to ``file:``, ``data:`` or any scheme but http(s) is refused out loud.

    Runs just before Scrapy's RedirectMiddleware (which would drop it with a DEBUG line): a
    WARNING, the stat ``atlantico/refused/redirect_scheme``, and an article so redirected goes
    to the retry queue (:data:`atlantico.signals.article_failed`, ``refused_redirect``).
    """

    async def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location) or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        scheme = urlsplit(target).scheme.lower()
        if scheme in FOLLOWED_SCHEMES:
            return response
        self.stats.inc_value(names.REFUSED_REDIRECT_SCHEME)
        logger.warning(
            "Refused a redirect from %s to a %s: URL (%s)", request.url, scheme, target[:80]
        )
        if is_article_request(request):
            await self.crawler.signals.send_catch_log_async(
                signals.article_failed, request=request, why="refused_redirect"
            )
        raise FailedForGood(f"redirect to {scheme}: refused")
