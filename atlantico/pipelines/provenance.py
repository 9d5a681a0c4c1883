"""Counts, per field, which source filled it (``atlantico/source/<field>/<source>``).

A redesign of the site shows first as a shift in these counters: JSON-LD vanishing and the
DOM fallbacks taking over, or a field no source fills any more (``atlantico/missing/<field>``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.items import Article

# Fields whose absence is worth a counter (their presence varies by article, not by layout).
TRACKED_FIELDS = (
    "headline", "datePublished", "authors", "description", "articleBody", "mainImage",
    "kicker", "category", "tags", "canonicalUrl",
)  # fmt: skip


# Stat names kept per (field, source): formatting them was a third of this pipeline's time.
NAMES_KEPT = 4096


class ProvenancePipeline(CrawlerComponent):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.source_names: dict[tuple[str, str], str] = {}
        self.missing_names = [names.MISSING_FIELD.format(field=field) for field in TRACKED_FIELDS]
        self.message_names: dict[str, str] = {}

    def process_item(self, item: Article) -> Article:
        inc = self.stats.inc_value
        sources = item.metadata.get("sources", {})
        source_names = self.source_names
        for field, source in sources.items():
            name = source_names.get((field, source))
            if name is None:
                name = names.SOURCE_FIELD.format(field=field, source=source)
                if len(source_names) < NAMES_KEPT:
                    source_names[field, source] = name
            inc(name)
        for field, name in zip(TRACKED_FIELDS, self.missing_names, strict=True):
            if field not in sources:
                inc(name)
        for message in item.metadata.get("validationMessages", []):
            field = message.split(":", 1)[0]
            name = self.message_names.get(field)
            if name is None:
                name = names.VALIDATION_MESSAGE.format(field=field)
                if len(self.message_names) < NAMES_KEPT:
                    self.message_names[field] = name
            inc(name)
        return item
