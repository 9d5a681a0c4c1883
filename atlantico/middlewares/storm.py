"""A storm of server errors stops the run, with the reason ``server_errors``.

When ``ATLANTICO_SERVER_ERROR_LIMIT`` responses in a row (retries included) are 5xx, the site
is down or refuses the crawler: going on would hammer it and export nothing. The run closes
with finish reason ``server_errors`` (the ``crawl`` command then exits non-zero, and the store
marks nothing exported). Any response below 500 resets the count. Stats:
``atlantico/http/server_error`` (each 5xx), ``atlantico/storm/consecutive`` (the run of 5xx
that stopped the crawl), ``atlantico/storm/refused`` (requests not sent while the run stops).

It sits right after the per-host concurrency guard, next to the download handler: requests
already queued in the downloader when the storm is declared (waiting for a pause or a free
slot) are refused there instead of being sent to a failing site while the engine closes.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from atlantico import stats as names

logger = logging.getLogger(__name__)

REASON = "server_errors"


class ServerErrorStormMiddleware:
    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.in_a_row = 0
        self.closing: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        limit = crawler.settings.getint("ATLANTICO_SERVER_ERROR_LIMIT")
        if limit <= 0:
            raise NotConfigured("ATLANTICO_SERVER_ERROR_LIMIT is 0: no limit")
        return cls(crawler, limit)

    def process_request(self, request: Request) -> None:
        if self.closing is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(names.STORM_REFUSED)
            raise IgnoreRequest("the run is stopping after a storm of server errors")

    def process_response(self, request: Request, response: Response) -> Response:
        stats = self.crawler.stats
        assert stats is not None
        if response.status < 500:
            self.in_a_row = 0
            return response
        self.in_a_row += 1
        stats.inc_value(names.HTTP_SERVER_ERROR)
        if self.in_a_row >= self.limit and self.closing is None:
            stats.set_value(names.STORM_CONSECUTIVE, self.in_a_row)
            logger.error(
                "SERVER ERROR STORM: the last %d responses were 5xx (last: %d on %s). The site "
                "is down or refuses the crawler; the run stops (finish reason %r).",
                self.in_a_row,
                response.status,
                request.url,
                REASON,
            )
            assert self.crawler.engine is not None
            # Kept, so the closing coroutine is not garbage-collected half-way.
            self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason=REASON))
        return response
