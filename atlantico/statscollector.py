"""Scrapy's memory stats collector, without its cost on every attribute read and stat call.

Scrapy 2.19's ``StatsCollector.__getattribute__`` first looks for a ``_cached_<name>`` wrapper
(the deprecation check of a ``spider`` argument) on EVERY attribute read, which raises and
catches an AttributeError for each ordinary one; and each call of ``inc_value``, ``get_value``…
then goes through that wrapper, its argument check, and the method, which reads ``self._stats``
through ``__getattribute__`` again: about 1.6-2.2 µs a call, and a page's middlewares,
pipelines and Scrapy's core make some seventy such calls (0.1 ms per page). Here attributes are
read the ordinary way, and each of the methods Scrapy wraps says the same deprecation warning
itself when it is given a ``spider`` argument, then runs Scrapy's own method. The stats
themselves, their names and values, and the warnings are the same (tests/test_statscollector.py).

:class:`Named` keeps the names a stat template gives, for components that count one per item.
"""

from __future__ import annotations

import warnings
from typing import Any

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.statscollectors import MemoryStatsCollector, StatsT

# Not given: told apart from an explicit spider=None, which Scrapy warns about too.
_UNSET: Any = object()


def _warn(name: str) -> None:
    """Scrapy's warning for a ``spider`` argument, naming the method as Scrapy does."""
    qualname = getattr(MemoryStatsCollector, name).__qualname__
    warnings.warn(
        f"Passing a 'spider' argument to {qualname}() is deprecated and the argument will be "
        "removed in a future Scrapy version.",
        category=ScrapyDeprecationWarning,
        stacklevel=3,
    )


class AtlanticoStatsCollector(MemoryStatsCollector):
    # The ordinary attribute read, not StatsCollector's.
    __getattribute__ = object.__getattribute__

    def get_value(self, key: str, default: Any = None, spider: Any = _UNSET) -> Any:
        if spider is not _UNSET:
            _warn("get_value")
        return MemoryStatsCollector.get_value(self, key, default)

    def get_stats(self, spider: Any = _UNSET) -> StatsT:
        if spider is not _UNSET:
            _warn("get_stats")
        return MemoryStatsCollector.get_stats(self)

    def set_value(self, key: str, value: Any, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("set_value")
        MemoryStatsCollector.set_value(self, key, value)

    def set_stats(self, stats: StatsT, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("set_stats")
        MemoryStatsCollector.set_stats(self, stats)

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("inc_value")
        MemoryStatsCollector.inc_value(self, key, count, start)

    def max_value(self, key: str, value: Any, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("max_value")
        MemoryStatsCollector.max_value(self, key, value)

    def min_value(self, key: str, value: Any, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("min_value")
        MemoryStatsCollector.min_value(self, key, value)

    def clear_stats(self, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("clear_stats")
        MemoryStatsCollector.clear_stats(self)

    def open_spider(self, spider: Any = _UNSET) -> None:
        if spider is not _UNSET:
            _warn("open_spider")
        MemoryStatsCollector.open_spider(self)

    def close_spider(self, spider: Any = _UNSET, reason: str | None = None) -> None:
        if spider is not _UNSET:
            _warn("close_spider")
        MemoryStatsCollector.close_spider(self, reason=reason)


class Named:
    """The names a template gives, each formatted once: a pipeline that formats a name per
    item spent a third of its time there. At most ``kept`` names are kept (a template filled
    from a page's own words could otherwise grow without end); past that, each is formatted.

    >>> per_section = Named("atlantico/articles/section/{section}", "section")
    >>> per_section("high-tech"), per_section("high-tech") is per_section("high-tech")
    ('atlantico/articles/section/high-tech', True)
    """

    def __init__(self, template: str, *fields: str, kept: int = 4096) -> None:
        self.template = template
        self.fields = fields
        self.kept = kept
        self.names: dict[tuple[str, ...], str] = {}

    def __call__(self, *values: str) -> str:
        name = self.names.get(values)
        if name is None:
            name = self.template.format(**dict(zip(self.fields, values, strict=True)))
            if len(self.names) < self.kept:
                self.names[values] = name
        return name
