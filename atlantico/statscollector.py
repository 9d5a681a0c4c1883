"""Scrapy's memory stats collector, without its cost on every attribute read.

Scrapy 2.19's ``StatsCollector.__getattribute__`` first looks for a ``_cached_<name>`` wrapper
(the deprecation check of a ``spider`` argument) on EVERY attribute read, which raises and
catches an AttributeError for each ordinary one: ``inc_value`` reads ``self._stats`` so, and a
page's middlewares and pipelines count about fifty stats. Here only the methods that Scrapy
wraps take that path (their warning is kept); every other attribute is read directly. The
stats themselves, their names and values, are the same.
"""

from __future__ import annotations

from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

# The methods StatsCollector.__getattribute__ wraps (scrapy/statscollectors.py).
WRAPPED = frozenset({
    "get_value", "get_stats", "set_value", "set_stats", "inc_value", "max_value", "min_value",
    "clear_stats", "open_spider", "close_spider",
})  # fmt: skip


class AtlanticoStatsCollector(MemoryStatsCollector):
    def __getattribute__(self, name: str) -> Any:
        if name in WRAPPED:
            return super().__getattribute__(name)
        return object.__getattribute__(self, name)
