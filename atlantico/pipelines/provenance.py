"""Counts, per field, which source filled it (``atlantico/source/<field>/<source>``).

A redesign of the site shows first as a shift in these counters: JSON-LD vanishing and the
DOM fallbacks taking over, or a field no source fills any more (``atlantico/missing/<field>``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.items import Article
from atlantico.statscollector import Named

# Fields whose absence is worth a counter (their presence varies by article, not by layout).
TRACKED_FIELDS = (
    "headline", "datePublished", "authors", "description", "articleBody", "mainImage",
    "kicker", "category", "tags", "canonicalUrl",
)  # fmt: skip


class ProvenancePipeline(CrawlerComponent):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.source_name = Named(names.SOURCE_FIELD, "field", "source")
        self.missing_names = [names.MISSING_FIELD.format(field=field) for field in TRACKED_FIELDS]
        self.message_name = Named(names.VALIDATION_MESSAGE, "field")

    def process_item(self, item: Article) -> Article:
        inc = self.stats.inc_value
        sources = item.metadata.get("sources", {})
        for field, source in sources.items():
            inc(self.source_name(field, source))
        for field, name in zip(TRACKED_FIELDS, self.missing_names, strict=True):
            if field not in sources:
                inc(name)
        for message in item.metadata.get("validationMessages", []):
            inc(self.message_name(message.split(":", 1)[0]))
        return item
