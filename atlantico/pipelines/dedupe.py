"""Drops the second item of an article within one run, keyed on its canonical URL."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from atlantico.items import Article


def article_key(item: Article) -> str:
    """The key that identifies an article: its canonical URL (else its final URL)."""
    return item.canonicalUrl or item.url or ""


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        key = article_key(item)
        if key in self.keys:
            self.stats.inc_value("atlantico/dropped/duplicate")
            raise DropItem(f"duplicate of an article already exported: {key}")
        self.keys.add(key)
        return item
