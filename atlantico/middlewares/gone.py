"""404 and 410: no retry (Scrapy retries neither), a stat, and 410 recorded for the store.

A 410 Gone says the article was removed on purpose: it is sent as the
:data:`atlantico.signals.article_gone` signal (the store marks it so that no later run asks for
it again) and listed in the ``atlantico/gone`` stat. Stats: ``atlantico/http/not_found``,
``atlantico/http/gone``.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from atlantico import signals
from atlantico import stats as names
from atlantico.discovery.ahead import AHEAD_META

logger = logging.getLogger(__name__)


class GoneMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.gone: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        stats = self.crawler.stats
        assert stats is not None
        if response.status == 404 and request.meta.get(AHEAD_META):
            # A listing page asked ahead of its walk, past the section's last page: expected.
            # (Reached by the walk, it fails loudly there.)
            stats.inc_value(names.LISTING_AHEAD_NOT_FOUND)
            logger.debug("Not found (404), a listing page asked ahead: %s", request.url)
        elif response.status == 404:
            stats.inc_value(names.HTTP_NOT_FOUND)
            logger.warning("Not found (404), not retried: %s", request.url)
        elif response.status == 410:
            stats.inc_value(names.HTTP_GONE)
            self.gone.append(request.url)
            # The list itself, so a run's stats file says which articles went away.
            stats.set_value(names.GONE, list(self.gone))
            logger.warning("Gone (410), never to be requested again: %s", request.url)
            await self.crawler.signals.send_catch_log_async(
                signals.article_gone, request=request, response=response
            )
        return response
