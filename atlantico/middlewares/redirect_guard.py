"""Redirect chains are bounded and counted: a loop ends at the first URL seen twice, or after
``REDIRECT_MAX_TIMES`` hops.

Scrapy's RedirectMiddleware stops at ``REDIRECT_MAX_TIMES`` too, but silently (a DEBUG line, no
stat). This runs just before it and says so. Stat: ``atlantico/refused/redirect_loop``.
"""

from __future__ import annotations

import logging
from typing import Self
from urllib.parse import urljoin

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from atlantico import stats as names

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_hops = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if (
            response.status not in REDIRECT_STATUSES
            or location is None
            or request.meta.get("dont_redirect")
        ):
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        hops = request.meta.get("redirect_times", 0) + 1
        if target in chain or hops > self.max_hops:
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value(names.REFUSED_REDIRECT_LOOP)
            logger.warning(
                "Redirect loop from %s: %d hops, next %s; given up", chain[0], hops, target
            )
            raise IgnoreRequest("redirect loop")
        return response
