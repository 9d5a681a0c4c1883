"""Run monitors, drift alarms and rejects, on crawls of the replica as users run them.

A failed monitor sets the stat ``atlantico/monitors/failed`` (the crawl command's exit code)
and prints a report on stderr; a passing run prints the summary table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from atlantico.exceptions import RejectedItem
from atlantico.extensions.rejects import RejectsFeed
from atlantico.items import Article
from atlantico.pipelines.schema import SchemaPipeline
from atlantico.spiders.atlantico import AtlanticoSpider
from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer
from tests.replica.generator import Response

JSONLD = re.compile(rb'<script type="application/ld\+json">.*?</script>', re.S)


def serve(server: ReplicaServer, change: Callable[[str, Response], Response]) -> None:
    """Route every answer of ``server`` through ``change(path, response)``."""
    original = server.site.get
    server.site.get = lambda path: change(path, original(path))  # type: ignore[method-assign]


@pytest.fixture
def small_replica() -> Iterator[ReplicaServer]:
    """A replica of its own, so that changing its markup leaves the shared one alone."""
    with ReplicaServer(n_articles=30, seed=77) as server:
        yield server


def test_a_normal_run_passes_every_monitor(full_crawl: CrawlResult) -> None:
    stats = full_crawl.stats
    assert stats["atlantico/monitors/failed"] == 0
    assert "atlantico/monitors/failures" not in stats
    assert stats["atlantico/drift/alarms"] == 0
    assert not re.search(r"\[Spidermon\] .*\.\.\. (FAIL|ERROR)", full_crawl.log)
    # The summary table: sections, coverage per field with its minimum.
    assert "Run passed all" in full_crawl.log
    assert re.search(r"headline\s+57\s+57\s+100\.0 %\s+100 %\s+json-ld", full_crawl.log)
    assert re.search(r"decryptages\s+\d+\s+\d+", full_crawl.log)
    # The run is in the history, as a good baseline.
    history = (full_crawl.feed.parent / "state/runs.jsonl").read_text().splitlines()
    assert len(history) == 1
    run = json.loads(history[0])
    assert run["failed"] is False
    assert run["articles"] == 57
    assert run["coverage"]["headline"] == {"filled": 57, "of": 57, "percent": 100.0}


def test_jsonld_vanishing_trips_the_drift_alarm(
    small_replica: ReplicaServer, tmp_path: Path
) -> None:
    state = {"ATLANTICO_STATE_DIR": str(tmp_path / "state")}
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    # The run history is shared (drift compares with it); the stores are not, so the second
    # run reads every page again instead of stopping at the watermark.
    before = run_crawl(
        small_replica.base_url,
        tmp_path / "before",
        settings={**state, "ATLANTICO_STORE_PATH": str(tmp_path / "before/store.sqlite3")},
    )
    assert before.stats["atlantico/monitors/failed"] == 0
    served_before = before.stats["atlantico/source/headline/json-ld"]
    assert served_before >= 20

    serve(small_replica, lambda path, answer: answer._replace(body=JSONLD.sub(b"", answer.body)))
    small_replica.clear_requests()
    after = run_crawl(
        small_replica.base_url,
        tmp_path / "after",
        settings={**state, "ATLANTICO_STORE_PATH": str(tmp_path / "after/store.sqlite3")},
    )

    # The crawl read the changed pages: no field came from JSON-LD any more.
    assert any("/article/" in record.path for record in small_replica.requests)
    assert not [
        key for key in after.stats if "/json-ld" in key and key.startswith("atlantico/source/")
    ]
    assert after.stats["atlantico/monitors/failed"] >= 1
    assert "Drift" in after.stats["atlantico/monitors/failures"]
    assert after.stats["atlantico/drift/alarms"] >= 3
    # The report names the field, the before and after figures and the likely cause.
    report = after.log
    assert "RUN FAILED" in report
    share = round(100 * served_before / before.stats["atlantico/coverage/articles"], 1)
    assert f"headline: filled by json-ld fell from {share} % to 0.0 %" in report
    assert "JSON-LD (script type=application/ld+json) vanished" in report
    assert "fallbacks took over: dom" in report
    assert str(tmp_path / "state/runs.jsonl") in report
    # The failed run is recorded, and kept out of later baselines.
    runs = [json.loads(line) for line in (tmp_path / "state/runs.jsonl").read_text().splitlines()]
    assert [run["failed"] for run in runs] == [False, True]


def test_an_empty_section_trips_the_item_count(
    small_replica: ReplicaServer, tmp_path: Path
) -> None:
    empty = b"<html><body><h1>D\xc3\xa9cryptages</h1><p>Aucun article.</p></body></html>"

    def empty_listing(path: str, answer: Response) -> Response:
        return (
            Response(200, (("Content-Type", "text/html; charset=utf-8"),), empty)
            if path == "/vide"
            else answer
        )

    serve(small_replica, empty_listing)
    urls = json.dumps({"decryptages": f"{small_replica.base_url}/vide"})
    # Without rss.xml, which would otherwise bring the section's articles after all.
    result = run_crawl(
        small_replica.base_url,
        tmp_path,
        settings={"ATLANTICO_SECTION_URLS": urls, "ATLANTICO_RSS": ""},
    )
    assert any(record.path == "/vide" for record in small_replica.requests)
    assert result.items, "the other section still yields articles"
    assert "Section item count" in result.stats["atlantico/monitors/failures"]
    assert result.stats["atlantico/monitors/failed"] >= 1
    assert "section 'decryptages': 0 articles read (minimum 1)" in result.log
    assert "section 'high-tech'" not in result.log


def test_the_failure_report_goes_to_stderr_when_the_log_goes_to_a_file(
    small_replica: ReplicaServer, tmp_path: Path
) -> None:
    # A section that needs more articles than the replica has: a failed run, cheaply.
    result = run_crawl(
        small_replica.base_url, tmp_path, settings={"ATLANTICO_MIN_ITEMS_PER_SECTION": "1000"}
    )
    assert result.stats["atlantico/monitors/failed"] == 1
    stderr = result.extra["stderr"]
    assert "RUN FAILED: 1 monitor(s) failed" in stderr
    assert "- Section item count: each crawled section yields articles" in stderr
    assert f"stats: {tmp_path / 'stats.json'}" in stderr


def schema_pipeline(tmp_path: Path) -> tuple[SchemaPipeline, object]:
    from atlantico import settings as project

    crawler = get_crawler(
        AtlanticoSpider,
        {
            "SPIDERMON_ENABLED": True,
            "SPIDERMON_VALIDATION_SCHEMAS": project.SPIDERMON_VALIDATION_SCHEMAS,
            "SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS": True,
            "ATLANTICO_REJECTS_URI": str(tmp_path / "rejects-%(name)s.jsonl"),
        },
    )
    return SchemaPipeline.from_crawler(crawler), crawler


def valid_article() -> Article:
    return Article(
        articleKey="/article/decryptage/x",
        contentHash="0" * 64,
        url="https://atlantico.fr/article/decryptage/x",
        canonicalUrl="https://atlantico.fr/article/decryptage/x",
        headline="Un titre",
        datePublished="2026-11-20T08:00:00+01:00",
        articleBody="Un corps.",
        sections=["decryptages"],
        isAccessibleForFree=True,
        metadata={
            "dateDownloaded": "2026-11-20T08:00:00+00:00",
            "sources": {"headline": "json-ld"},
            "validationMessages": [],
        },
    )


def test_schema_pipeline_passes_a_valid_item_and_rejects_a_bad_one(tmp_path: Path) -> None:
    pipeline, crawler = schema_pipeline(tmp_path)
    item = valid_article()
    assert pipeline.process_item(item) is item
    bad = valid_article()
    bad.datePublished = "20 novembre 2026"
    with pytest.raises(RejectedItem) as raised:
        pipeline.process_item(bad)
    assert "datePublished" in raised.value.errors
    stats = crawler.stats  # type: ignore[attr-defined]
    assert stats.get_value("atlantico/rejected/schema") == 1
    assert stats.get_value("atlantico/rejected/field/datePublished") == 1
    assert stats.get_value("spidermon/validation/items/errors") == 1


def test_rejects_feed_writes_rejected_items_with_their_errors(tmp_path: Path) -> None:
    crawler = get_crawler(
        AtlanticoSpider,
        {
            "ATLANTICO_REJECTS_URI": str(tmp_path / "r-%(name)s.jsonl"),
            "ATLANTICO_SCHEDULED_RUN": True,  # set by `scrapy crawl`
        },
    )
    extension = RejectsFeed.from_crawler(crawler)
    error = RejectedItem("missing headline", {"headline": ["missing required field"]})
    crawler.signals.send_catch_log(
        signals.item_dropped, item=valid_article(), exception=error, response=None, spider=None
    )
    # A duplicate is dropped on purpose: not a reject.
    crawler.signals.send_catch_log(
        signals.item_dropped,
        item=valid_article(),
        exception=ValueError("dup"),
        response=None,
        spider=None,
    )
    extension.spider_closed(spider=None)  # type: ignore[arg-type]
    lines = (tmp_path / "r-atlantico.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    reject = json.loads(lines[0])
    assert reject["errors"] == {"headline": ["missing required field"]}
    assert reject["item"]["url"] == "https://atlantico.fr/article/decryptage/x"
    assert crawler.stats.get_value("atlantico/rejected/written") == 1
