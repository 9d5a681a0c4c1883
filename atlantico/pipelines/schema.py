"""Validates each item against ``schema/article.schema.json`` with Spidermon's validator.

An item that breaks the schema is rejected: kept out of the feeds, counted
(``atlantico/rejected/schema`` and ``atlantico/rejected/field/<field>``, besides Spidermon's
own ``spidermon/validation/...`` counters) and written to the rejects feed with its errors
by :class:`atlantico.extensions.rejects.RejectsFeed`. Settings: ``SPIDERMON_VALIDATION_SCHEMAS``
(the schema), ``SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS`` (``True``: reject).
"""

from __future__ import annotations

from typing import Any

from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline

from atlantico.exceptions import RejectedItem
from atlantico.items import Article


class SchemaPipeline(ItemValidationPipeline):
    def process_item(self, item: Article) -> Article:
        # Spidermon's signature still takes the spider, which Scrapy 2.13+ no longer passes.
        result: Article = super().process_item(item)
        return result

    def _drop_item(self, item: Any, errors: dict[str, list[str]]) -> None:
        """Spidermon's hook for an invalid item: reject it with its errors."""
        self.stats.add_dropped_item()
        stats = self.stats.stats
        stats.inc_value("atlantico/rejected/schema")
        for field in errors:
            stats.inc_value(f"atlantico/rejected/field/{field}")
        summary = "; ".join(f"{field}: {', '.join(messages)}" for field, messages in errors.items())
        raise RejectedItem(f"schema: {summary} in {getattr(item, 'url', None)}", errors)
