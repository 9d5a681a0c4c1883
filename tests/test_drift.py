"""The drift comparison (pure) and the coverage counters it rests on."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from atlantico.items import Article
from atlantico.monitoring.drift import compare
from atlantico.monitoring.summary import Summary, coverage
from atlantico.pipelines.coverage import CoveragePipeline
from atlantico.spiders.atlantico import AtlanticoSpider


def run(date: float, date_sources: dict[str, float], articles: int = 50, **extra: Any) -> Summary:
    summary: dict[str, Any] = {
        "articles": articles,
        "coverage": {"datePublished": {"filled": 0, "of": articles, "percent": date}},
        "sources": {"datePublished": date_sources},
        **extra,
    }
    return summary  # type: ignore[return-value]


STEADY = run(99.0, {"json-ld": 90.0, "dom": 9.0})


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        # Coverage falls 9 points: within tolerance.
        (run(90.0, {"json-ld": 81.0, "dom": 9.0}), [STEADY], []),
        # Coverage falls 30 points, JSON-LD lost: one alarm naming the source.
        (run(69.0, {"json-ld": 0.0, "dom": 69.0}), [STEADY], [("coverage", 99.0, 69.0, "json-ld")]),
        # Coverage holds but the JSON-LD vanished and the DOM took over.
        (run(99.0, {"dom": 99.0}), [STEADY], [("source", 90.0, 0.0, "json-ld")]),
        # No baseline: the first run, too small runs, failed runs.
        (run(10.0, {"dom": 10.0}), [], []),
        (run(10.0, {"dom": 10.0}), [run(99.0, {"json-ld": 99.0}, articles=5)], []),
        (run(10.0, {"dom": 10.0}), [run(99.0, {"json-ld": 99.0}, failed=True)], []),
        # Too small a run is not judged.
        (run(0.0, {}, articles=3), [STEADY], []),
    ],
)
def test_compare(
    current: Summary, previous: list[Summary], expected: list[tuple[Any, ...]]
) -> None:
    alarms = compare(current, previous)
    assert [(a.kind, a.before, a.after, a.source) for a in alarms] == expected
    for alarm in alarms:
        assert "datePublished" in str(alarm)
        assert "JSON-LD" in alarm.cause


def test_baseline_is_the_mean_of_the_last_good_runs() -> None:
    previous = [run(50.0, {}), run(99.0, {}), run(97.0, {}), run(20.0, {}, failed=True)]
    alarms = compare(run(80.0, {}), previous, baseline_runs=2)
    assert [(a.before, a.after) for a in alarms] == [(98.0, 80.0)]


def test_coverage_counts_authors_on_signed_articles_and_bodies_on_free_ones() -> None:
    crawler = get_crawler(AtlanticoSpider)
    pipeline = CoveragePipeline.from_crawler(crawler)
    signed = {"hasByline": True, "sources": {}, "validationMessages": []}
    unsigned = {"hasByline": False, "sources": {}, "validationMessages": []}
    items = [
        Article(url="u1", headline="h", articleBody="b", sections=["a"], metadata=signed,
                authors=[{"name": "A", "nameRaw": "A", "url": None}]),
        Article(url="u2", headline="h", articleBody="b", sections=["a", "b"], metadata=signed),
        Article(url="u3", headline="h", bodyTruncated=True, isAccessibleForFree=False,
                sections=["b"], metadata=unsigned),
    ]  # fmt: skip
    for item in items:
        pipeline.process_item(item)
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    covered = coverage(stats)
    assert covered["authors"] == {"filled": 1, "of": 2, "percent": 50.0}
    assert covered["articleBody"] == {"filled": 2, "of": 2, "percent": 100.0}
    assert covered["headline"] == {"filled": 3, "of": 3, "percent": 100.0}
    assert stats["atlantico/coverage/example_missing/authors"] == "u2"
    assert stats["atlantico/articles/section/a"] == 2
    assert stats["atlantico/articles/section/b"] == 2
