"""Drops the second item of an article within one run, keyed on ``articleKey`` (its canonical
URL without the host)."""

from __future__ import annotations

import hashlib
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from atlantico import stats as names
from atlantico.items import Article


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        # 16-byte BLAKE2b digests of the keys seen (49 bytes each against 100-200 for the key
        # itself): one per article of the run. A collision is not to be expected (2**-128).
        self.keys: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        key = item.articleKey or item.url or ""
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if digest in self.keys:
            self.stats.inc_value(names.DROPPED_DUPLICATE)
            raise DropItem(f"duplicate of an article already exported: {key}")
        self.keys.add(digest)
        return item
