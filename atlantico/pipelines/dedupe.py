"""Drops the second item of an article within one run, keyed on ``articleKey`` (its canonical
URL without the host)."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from atlantico import stats as names
from atlantico.items import Article


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        key = item.articleKey or item.url or ""
        if key in self.keys:
            self.stats.inc_value(names.DROPPED_DUPLICATE)
            raise DropItem(f"duplicate of an article already exported: {key}")
        self.keys.add(key)
        return item
