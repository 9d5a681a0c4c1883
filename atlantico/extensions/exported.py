"""Counts the items that reached the feeds, per section (``atlantico/exported/section/<key>``).

The coverage pipeline counts the articles read; this counts what was exported after every
drop, for the run's summary table.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler


class ExportedCounter:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any) -> None:
        assert self.crawler.stats is not None
        for key in getattr(item, "sections", None) or ["(none)"]:
            self.crawler.stats.inc_value(f"atlantico/exported/section/{key}")
