"""The base of the project's Scrapy components that need nothing but the crawler."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector


class CrawlerComponent:
    """Built by Scrapy through :meth:`from_crawler`; keeps ``self.crawler``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def stats(self) -> StatsCollector:
        """The run's stats, where every drop, repair and fault is counted."""
        assert self.crawler.stats is not None
        return self.crawler.stats
