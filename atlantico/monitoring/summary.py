"""A run's stats → what the monitors, the drift alarm and the history need (pure functions).

Coverage is a percentage of the field's denominator (see :mod:`atlantico.pipelines.coverage`);
a source's share is a percentage of all articles read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict

from atlantico import stats as names
from atlantico.pipelines.coverage import COVERED_FIELDS


class Coverage(TypedDict):
    filled: int
    of: int
    percent: float | None
    """``None`` when the denominator is 0 (no signed article, no free article)."""


class Summary(TypedDict, total=False):
    run: str
    """Start time of the run, ISO 8601."""
    finish_reason: str
    failed: bool
    """A monitor failed: the run is left out of later drift baselines."""
    articles: int
    exported: int
    coverage: dict[str, Coverage]
    sources: dict[str, dict[str, float]]
    """Field → source → percent of the articles read that this source filled."""
    sections: dict[str, int]


def percent(part: float, whole: float) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; ``None`` for an empty whole.

    >>> percent(1, 3), percent(0, 0)
    (33.3, None)
    """
    return round(100 * part / whole, 1) if whole else None


def coverage(stats: Mapping[str, Any]) -> dict[str, Coverage]:
    """Field → filled / denominator / percent, from the ``atlantico/coverage/*`` counters.

    >>> coverage({"atlantico/coverage/articles": 4, "atlantico/coverage/filled/headline": 3})[
    ...     "headline"]
    {'filled': 3, 'of': 4, 'percent': 75.0}
    """
    out: dict[str, Coverage] = {}
    for field, base in COVERED_FIELDS.items():
        whole = int(stats.get(names.COVERAGE_BASE.format(base=base), 0))
        filled = int(stats.get(names.COVERAGE_FILLED.format(field=field), 0))
        out[field] = Coverage(filled=filled, of=whole, percent=percent(filled, whole))
    return out


def sources(stats: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Field → source → share of the articles read, from ``atlantico/source/<field>/<source>``.

    >>> sources({"atlantico/coverage/articles": 4, "atlantico/source/headline/dom": 1})
    {'headline': {'dom': 25.0}}
    """
    articles = int(stats.get(names.COVERAGE_ARTICLES, 0))
    out: dict[str, dict[str, float]] = {}
    for key, value in stats.items():
        if not key.startswith(names.SOURCES) or not articles:
            continue
        field, source = key.removeprefix(names.SOURCES).split("/", 1)
        out.setdefault(field, {})[source] = percent(int(value), articles) or 0.0
    return {field: dict(sorted(shares.items())) for field, shares in sorted(out.items())}


def by_prefix(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """The counters under ``prefix``, keyed by the rest of their name."""
    return {
        key.removeprefix(prefix): int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int | float)
    }


def summarize(stats: Mapping[str, Any], *, failed: bool = False) -> Summary:
    """What the history keeps of a run."""
    start = stats.get("start_time")
    return Summary(
        run=start.isoformat() if isinstance(start, datetime) else str(start or ""),
        finish_reason=str(stats.get("finish_reason", "")),
        failed=failed,
        articles=int(stats.get(names.COVERAGE_ARTICLES, 0)),
        exported=int(stats.get("item_scraped_count", 0)),
        coverage=coverage(stats),
        sources=sources(stats),
        sections=by_prefix(stats, names.ARTICLES_SECTION.format(section="")),
    )
