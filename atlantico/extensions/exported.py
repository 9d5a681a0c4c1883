"""Counts what reached the feeds, once: per section, per discovery path, and per filled field.

The only counter of exported items (``atlantico/exported/...``, names in :mod:`atlantico.stats`):
the summary table and the manifest read these, so their figures are the feed's lines. The
coverage pipeline counts the articles *read*, before any drop, for the monitors.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler

from atlantico import stats as names
from atlantico.extensions.run import COVERAGE_FIELDS


class ExportedCounter:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any) -> None:
        stats = self.crawler.stats
        assert stats is not None
        for key in getattr(item, "sections", None) or ["(none)"]:
            stats.inc_value(names.EXPORTED_SECTION.format(section=key))
        metadata = getattr(item, "metadata", None) or {}
        stats.inc_value(names.EXPORTED_VIA.format(via=metadata.get("discoveredVia", "unknown")))
        for field in COVERAGE_FIELDS:
            if getattr(item, field, None):
                stats.inc_value(names.EXPORTED_FIELD.format(field=field))
