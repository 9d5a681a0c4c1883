"""A test extension: when each request reached Scrapy's downloader, after every downloader
middleware let it through (``request_reached_downloader``), written as JSON Lines of
``{"url", "at"}`` (``time.monotonic()``) to the file the setting ``TEST_HANDOFFS_FILE`` names."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler


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
        self.seen.append({"url": request.url, "at": time.monotonic()})

    def closed(self) -> None:
        self.target.write_text("".join(json.dumps(row) + "\n" for row in self.seen))
