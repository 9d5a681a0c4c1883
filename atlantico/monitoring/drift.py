"""Drift: compare a run's field coverage and extraction sources with the previous runs'.

Pure: summaries in (:class:`atlantico.monitoring.summary.Summary`, from this run's stats and
from the history or the run manifests), alarms out. The baseline is the mean over the last
``baseline_runs`` previous runs that read at least ``min_articles`` articles and did not fail
(a failed run is not a normal to return to). Two kinds of alarm:

- ``coverage``: a field's coverage fell by more than ``coverage_points`` points;
- ``source``: a source that filled a field on at least ``source_points`` % of the articles
  fell by more than ``source_points`` points (the JSON-LD vanishing, fallbacks taking over),
  even when the fallbacks keep the coverage up: their values are often poorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from atlantico.monitoring.summary import Summary

# What a source's disappearance most likely means, for the alarm's message.
SOURCE_CAUSES = {
    "json-ld": "the page's JSON-LD (script type=application/ld+json) vanished or changed shape",
    "meta": "the page's meta tags (og:*, article:*, name=...) changed",
    "dom": "the page's markup changed: a selector in atlantico/extract/selectors.py no longer "
    "matches",
    "dom-fallback": "the older layout's markup changed or is gone",
    "text": "the visible text patterns (dates, labels) changed",
    "url": "the URL form changed",
}


@dataclass(frozen=True)
class Alarm:
    field: str
    kind: str
    """``coverage`` (the field's coverage fell) or ``source`` (one source's share fell)."""
    before: float
    """The baseline figure, in percent."""
    after: float
    """This run's figure, in percent."""
    cause: str
    """The likely cause, in words."""
    source: str | None = None
    """The source whose share fell (``source`` alarms, and coverage alarms it explains)."""

    def __str__(self) -> str:
        what = "coverage" if self.kind == "coverage" else f"filled by {self.source}"
        return (
            f"{self.field}: {what} fell from {self.before:.1f} % to {self.after:.1f} % "
            f"(likely cause: {self.cause})"
        )


def baseline(
    previous: Sequence[Summary], *, min_articles: int = 10, baseline_runs: int = 5
) -> list[Summary]:
    """The previous runs a comparison rests on, most recent last.

    >>> runs = [{"articles": 50}, {"articles": 3}, {"articles": 40, "failed": True}]
    >>> baseline(runs)
    [{'articles': 50}]
    """
    usable = [
        run
        for run in previous
        if run.get("articles", 0) >= min_articles and not run.get("failed", False)
    ]
    return usable[-baseline_runs:] if baseline_runs > 0 else []


def _mean(values: list[float]) -> float | None:
    return round(fmean(values), 1) if values else None


def _coverage(summary: Summary, field: str) -> float | None:
    cov = summary.get("coverage", {}).get(field)
    return cov.get("percent") if cov else None


def _source_shares(runs: Sequence[Summary], field: str) -> dict[str, float]:
    names = {name for run in runs for name in run.get("sources", {}).get(field, {})}
    return {
        name: round(fmean(run.get("sources", {}).get(field, {}).get(name, 0.0) for run in runs), 1)
        for name in sorted(names)
    }


def _takeover(now: dict[str, float], before: dict[str, float], lost: str) -> str:
    gained = [
        f"{name} {share:.0f} %"
        for name, share in sorted(now.items(), key=lambda pair: -pair[1])
        if name != lost and share > before.get(name, 0.0)
    ]
    return f"; fallbacks took over: {', '.join(gained)}" if gained else "; no fallback took over"


def compare(
    current: Summary,
    previous: Sequence[Summary],
    *,
    coverage_points: float = 10.0,
    source_points: float = 20.0,
    min_articles: int = 10,
    baseline_runs: int = 5,
) -> list[Alarm]:
    """Alarms for this run against the previous ones; none without a usable baseline.

    >>> before = {"articles": 50, "coverage": {"headline": {"percent": 100.0}},
    ...           "sources": {"headline": {"json-ld": 96.0, "dom": 4.0}}}
    >>> now = {"articles": 50, "coverage": {"headline": {"percent": 100.0}},
    ...        "sources": {"headline": {"dom": 100.0}}}
    >>> print(compare(now, [before])[0])  # doctest: +NORMALIZE_WHITESPACE
    headline: filled by json-ld fell from 96.0 % to 0.0 % (likely cause: the page's JSON-LD
    (script type=application/ld+json) vanished or changed shape; fallbacks took over: dom 100 %)
    """
    if current.get("articles", 0) < min_articles:
        return []
    runs = baseline(previous, min_articles=min_articles, baseline_runs=baseline_runs)
    if not runs:
        return []
    alarms: list[Alarm] = []
    fields = sorted(set(current.get("coverage", {})) | set(current.get("sources", {})))
    for field in fields:
        now_sources = current.get("sources", {}).get(field, {})
        before_sources = _source_shares(runs, field)
        lost = [
            (name, share, now_sources.get(name, 0.0))
            for name, share in before_sources.items()
            if share >= source_points and share - now_sources.get(name, 0.0) > source_points
        ]
        lost.sort(key=lambda entry: entry[2] - entry[1])  # the biggest fall first
        now_cov = _coverage(current, field)
        before_cov = _mean([value for run in runs if (value := _coverage(run, field)) is not None])
        if (
            now_cov is not None
            and before_cov is not None
            and before_cov - now_cov > coverage_points
        ):
            if lost:
                name, was, is_now = lost[0]
                cause = (
                    f"{SOURCE_CAUSES.get(name, name)} ({name} filled it on {was:.0f} % of the "
                    f"articles before, {is_now:.0f} % now)"
                    + _takeover(now_sources, before_sources, name)
                )
                source: str | None = name
            else:
                cause = "no source finds it on some pages any more; check one of them"
                source = None
            alarms.append(Alarm(field, "coverage", before_cov, now_cov, cause, source))
            continue
        for name, was, is_now in lost:
            cause = SOURCE_CAUSES.get(name, name) + _takeover(now_sources, before_sources, name)
            alarms.append(Alarm(field, "source", was, is_now, cause, name))
    return alarms
