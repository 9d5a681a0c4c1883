"""Across runs: drops articles exported before and unchanged; numbers the revisions of the rest.

New article: ``revision`` 1. Changed article (another content hash, or a newer
``dateModified``): exported again with ``revision`` + 1 and ``previousHash``. Unchanged: dropped
with the stat ``atlantico/store/unchanged`` (and no longer due for a revisit or a retry). Kept
items are staged as pending rows of this run, with the page's ``ETag``/``Last-Modified`` for
the next revisit; they count as exported only once the run is published
(:mod:`atlantico.publishing`). Exports are counted by :mod:`atlantico.extensions.exported`.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from atlantico import stats as names
from atlantico.context import RunContext
from atlantico.identity import article_key
from atlantico.items import Article
from atlantico.store import Pending


class StorePipeline:
    def __init__(self, context: RunContext, stats: StatsCollector) -> None:
        self.context = context
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = RunContext.of(crawler)
        if context is None:
            # No message: Scrapy would log it as a warning in every `scrapy shell`.
            raise NotConfigured
        assert crawler.stats is not None
        return cls(context, crawler.stats)

    def process_item(self, item: Article) -> Article:
        store = self.context.store
        key = item.articleKey or ""
        digest = item.contentHash or ""
        known = store.known([key]).get(key)
        if known is not None and known.status == 200:
            if known.content_hash == digest:
                self.stats.inc_value(names.STORE_UNCHANGED)
                store.touch([known.key])
                store.resolve([known.key, *({article_key(item.url)} if item.url else set())])
                raise DropItem(f"unchanged since its last export: {key}")
            item.revision = known.revision + 1
            item.previousHash = known.content_hash
            self.stats.inc_value(names.STORE_UPDATED)
        else:
            item.revision = 1
            self.stats.inc_value(names.STORE_NEW)
        # Validators by the URL the page was asked for: the canonical key or an alias of it.
        asked = [key, *item.metadata.get("aliases", [])]
        if item.url:
            asked.append(article_key(item.url))
        # Taken out as they are read: the store keeps them from here (0.14 KB an article
        # otherwise held to the end of the run).
        kept = self.context.validators
        taken = [found for k in asked if (found := kept.pop(k, None)) is not None]
        etag, last_modified = taken[0] if taken else (None, None)
        store.stage(
            self.context.run_id,
            Pending(
                key=key,
                article_id=item.articleId,
                url=item.url or "",
                content_hash=digest,
                date_published=item.datePublished,
                date_modified=item.dateModified,
                revision=item.revision,
                aliases=tuple(item.metadata.get("aliases", [])),
                sections=tuple(item.sections),
                etag=etag,
                last_modified=last_modified,
            ),
        )
        return item
