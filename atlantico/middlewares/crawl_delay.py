"""Requests to a host spaced by the ``Crawl-delay`` its robots.txt asks for, on the wire.

The robots guard (:mod:`atlantico.middlewares.robots_guard`) reads and caps the delay, and
sends :data:`atlantico.signals.crawl_delay_read`; this middleware holds each request to that
host until the delay has passed since the host's previous request went on. It runs after the
concurrency guard and the Retry-After pause, right before the download, so the spacing is the
one the host sees: a request that waited for one of the host's transfer slots is spaced from
the request before it when the slot is free, not when it started waiting. Spaced earlier in
the chain, two requests queued for slots that a slow host freed together went out together.

The delay is measured from the moment the previous request actually went on, not from the
time it was given: a request that wakes late (the event loop busy with a page) moves the next
one back with it, and requests waiting together go on one by one.

Stat: ``atlantico/politeness/crawl_delay_waited`` (requests held back for it).
"""

from __future__ import annotations

import asyncio
import time
from typing import Self

from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from atlantico import signals
from atlantico import stats as names
from atlantico.components import CrawlerComponent


class CrawlDelayMiddleware(CrawlerComponent):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # host (netloc) -> seconds between its requests, as robots.txt asks (capped).
        self.delays: dict[str, float] = {}
        # host -> when its next request may go on (time.monotonic()).
        self.next_start: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.delay_read, signal=signals.crawl_delay_read)
        return middleware

    def delay_read(self, netloc: str, seconds: float) -> None:
        self.delays[netloc] = seconds

    async def process_request(self, request: Request) -> None:
        netloc = urlparse_cached(request).netloc
        delay = self.delays.get(netloc)
        if not delay:
            return
        waited = False
        while (wait := self.next_start.get(netloc, 0.0) - time.monotonic()) > 0:
            waited = True
            await asyncio.sleep(wait)
        self.next_start[netloc] = time.monotonic() + delay
        if waited:
            self.stats.inc_value(names.POLITENESS_CRAWL_DELAY_WAITED)
