"""Counts, per field, which source filled it (``atlantico/source/<field>/<source>``).

A redesign of the site shows first as a shift in these counters: JSON-LD vanishing and the
DOM fallbacks taking over, or a field no source fills any more (``atlantico/missing/<field>``).
"""

from __future__ import annotations

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.items import Article

# Fields whose absence is worth a counter (their presence varies by article, not by layout).
TRACKED_FIELDS = (
    "headline", "datePublished", "authors", "description", "articleBody", "mainImage",
    "kicker", "category", "tags", "canonicalUrl",
)  # fmt: skip


class ProvenancePipeline(CrawlerComponent):
    def process_item(self, item: Article) -> Article:
        sources = item.metadata.get("sources", {})
        for field, source in sources.items():
            self.stats.inc_value(names.SOURCE_FIELD.format(field=field, source=source))
        for field in TRACKED_FIELDS:
            if field not in sources:
                self.stats.inc_value(names.MISSING_FIELD.format(field=field))
        for message in item.metadata.get("validationMessages", []):
            self.stats.inc_value(names.VALIDATION_MESSAGE.format(field=message.split(":", 1)[0]))
        return item
