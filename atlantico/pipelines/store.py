"""Across runs: drops articles exported before and unchanged; numbers the revisions of the rest.

New article: ``revision`` 1. Changed article (another content hash, or a newer
``dateModified``): exported again with ``revision`` + 1 and ``previousHash``. Unchanged: dropped
with the stat ``atlantico/store/unchanged``. Kept items are staged as pending rows of this run;
they count as exported only once the run's feed is published (:mod:`atlantico.extensions.run`).
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from atlantico.extensions.run import RunManager
from atlantico.items import Article
from atlantico.store import Pending


class StorePipeline:
    def __init__(self, manager: RunManager, stats: StatsCollector) -> None:
        self.manager = manager
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        manager = crawler.get_extension(RunManager)
        if manager is None:
            # No message: Scrapy would log it as a warning in every `scrapy shell`.
            raise NotConfigured
        assert crawler.stats is not None
        return cls(manager, crawler.stats)

    def process_item(self, item: Article) -> Article:
        key = item.articleKey or ""
        digest = item.contentHash or ""
        known = self.manager.store.known([key]).get(key)
        if known is not None and known.status == 200:
            if known.content_hash == digest:
                self.stats.inc_value("atlantico/store/unchanged")
                raise DropItem(f"unchanged since its last export: {key}")
            item.revision = known.revision + 1
            item.previousHash = known.content_hash
            self.stats.inc_value("atlantico/store/updated")
        else:
            item.revision = 1
            self.stats.inc_value("atlantico/store/new")
        self.manager.store.stage(
            self.manager.run_id,
            Pending(
                key=key,
                article_id=item.articleId,
                url=item.url or "",
                content_hash=digest,
                date_published=item.datePublished,
                date_modified=item.dateModified,
                revision=item.revision,
                aliases=tuple(item.metadata.get("aliases", [])),
            ),
        )
        for section in item.sections:
            self.stats.inc_value(f"atlantico/exported/section/{section}")
        self.stats.inc_value(
            f"atlantico/exported/via/{item.metadata.get('discoveredVia', 'unknown')}"
        )
        return item
