"""A download that failed for good says so: one ERROR line and a stat per kind of failure.

Runs after Scrapy's RetryMiddleware has given up (or found nothing to retry), so each request
is counted once: ``atlantico/failed/<kind>`` with kind ``timeout``, ``connection`` (refused,
reset, lost), ``partial`` (the body stopped before its Content-Length, or the chunked encoding
broke: never passed on as a page), ``too_large`` (``DOWNLOAD_MAXSIZE``), ``dns`` or ``other``.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request

from atlantico.components import CrawlerComponent

logger = logging.getLogger(__name__)


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
    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return  # a refusal, counted where it was decided
        stats = self.crawler.stats
        assert stats is not None
        kind = failure_kind(exception)
        stats.inc_value(f"atlantico/failed/{kind}")
        logger.error(
            "Failed for good (%s) after %d tries: %s (%s: %s)",
            kind,
            request.meta.get("retry_times", 0) + 1,
            request.url,
            type(exception).__name__,
            exception,
        )
