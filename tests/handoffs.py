"""A test extension: when each request reached Scrapy's downloader, after every downloader
middleware let it through (``request_reached_downloader``), written as JSON Lines of
``{"url", "at", "let_go"}`` (``time.monotonic()``) to the file the setting ``TEST_HANDOFFS_FILE``
names. ``let_go``: when the Crawl-delay middleware let that request go on, by its own clock, if
the crawl runs :class:`RecordingCrawlDelay` in its place (else None)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.httpobj import urlparse_cached

from atlantico.middlewares.crawl_delay import CrawlDelayMiddleware

LET_GO = "test_crawl_delay_let_go"


class RecordingCrawlDelay(CrawlDelayMiddleware):
    """The Crawl-delay middleware, which also writes in each request it spaced when it let it
    go on: its host's next start, as the middleware has just set it, less the delay."""

    async def process_request(self, request: Request) -> None:
        await super().process_request(request)
        netloc = urlparse_cached(request).netloc
        delay = self.delays.get(netloc)
        if delay:
            request.meta[LET_GO] = self.next_start[netloc] - delay


class HandOffTimes:
    def __init__(self, target: Path) -> None:
        self.target = target
        self.seen: list[dict[str, object]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(Path(crawler.settings["TEST_HANDOFFS_FILE"]))
        crawler.signals.connect(extension.reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def reached(self, request: Request) -> None:
        at = time.monotonic()
        self.seen.append({"url": request.url, "at": at, "let_go": request.meta.get(LET_GO)})

    def closed(self) -> None:
        self.target.write_text("".join(json.dumps(row) + "\n" for row in self.seen))
