"""Keeps each exported item for the corpus: staged with the run, in the corpus once it commits.

Runs after the store pipeline, which has numbered the item's revision; the item as the feed
writes it goes to the store's ``pending_items`` and reaches ``article_items`` and
``article_revisions`` when the run commits (:mod:`atlantico.backends`). Stat:
``atlantico/corpus/staged``.

It also tells the run that the store is gone when the PostgreSQL connection is lost: one
error line, the stat ``atlantico/run/failed`` = ``store_connection_lost`` (exit 1), the spider
closed; nothing is committed and the next run exports those articles again.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import Deferred

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.context import RunContext
from atlantico.fields import item_fields

logger = logging.getLogger(__name__)

REASON = "store_connection_lost"  # the finish reason, and atlantico/run/failed
CORPUS_STAGED = "atlantico/corpus/staged"  # items kept for the corpus


class ArchivePipeline(CrawlerComponent):
    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        super().__init__(crawler)
        self.context = context
        self.closing: Deferred[Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = RunContext.of(crawler)
        if context is None or not hasattr(context.store, "stage_item"):
            # No message: Scrapy would log it as a warning in every `scrapy shell`.
            raise NotConfigured
        pipeline = cls(crawler, context)
        if hasattr(context.store, "on_lost"):
            context.store.on_lost = pipeline.store_lost
        return pipeline

    def process_item(self, item: Any) -> Any:
        store: Any = self.context.store
        # The store only reads the fields (and writes them at once): no deep copy of the item.
        store.stage_item(self.context.run_id, item_fields(item))
        self.stats.inc_value(CORPUS_STAGED)
        return item

    def store_lost(self, reason: str) -> None:
        if not self.stats.get_value(names.RUN_FAILED):
            self.stats.set_value(names.RUN_FAILED, REASON)
        logger.error(
            "Lost the connection to the store %s (%s): the run stops and commits nothing; "
            "its articles will be exported again by the next run.",
            self.context.store.location,
            reason,
        )
        engine = self.crawler.engine
        if engine is not None and engine.running and self.closing is None:
            # Kept, so the closing coroutine is not garbage-collected half-way.
            self.closing = deferred_from_coro(engine.close_spider_async(reason=REASON))
