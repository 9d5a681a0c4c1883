"""End to end: `scrapy crawl atlantico` against the replica, the feed against the truth."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "atlantico/schema/article.schema.json").read_text("utf-8")
)
BOILERPLATE = (
    "En raison de débordements",
    "Mais n'hésitez pas à partager",
    "Le sujet vous intéresse",
    "Voir la bio",
    "À lire aussi",
    "A lire aussi",
    "Cet article est réservé aux abonnés",
    "Mots-Clés",
    "Thématiques",
)


def comparable(item: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """The item restricted to the truth's keys, authors without their raw names."""
    out = {key: item.get(key) for key in truth}
    out["authors"] = [{"name": a["name"], "url": a["url"]} for a in item["authors"]]
    return out


def test_crawl_finishes_cleanly(full_crawl: CrawlResult) -> None:
    assert full_crawl.returncode == 0, full_crawl.log[-3000:]
    assert full_crawl.stats["finish_reason"] == "finished"
    assert "ERROR" not in full_crawl.log


def test_every_line_validates_against_the_schema(full_crawl: CrawlResult) -> None:
    assert full_crawl.items
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for item in full_crawl.items:
        errors = [e.message for e in validator.iter_errors(item)]
        assert errors == [], item["url"]


def test_every_article_of_both_sections_exactly_once(
    full_crawl: CrawlResult, replica: ReplicaServer
) -> None:
    keys = Counter(item["canonicalUrl"] for item in full_crawl.items)
    assert [key for key, count in keys.items() if count > 1] == []
    assert set(keys) == set(replica.truth)
    sections = Counter(s for item in full_crawl.items for s in item["sections"])
    assert sections["decryptages"] >= 41
    assert sections["high-tech"] >= 41
    assert any(len(item["sections"]) == 2 for item in full_crawl.items)


def test_feed_matches_the_replica_truth(full_crawl: CrawlResult, replica: ReplicaServer) -> None:
    by_key = {item["canonicalUrl"]: item for item in full_crawl.items}
    mismatches = {}
    for key, truth in replica.truth.items():
        got = comparable(by_key[key], truth)
        wrong = {field: (got[field], want) for field, want in truth.items() if got[field] != want}
        if wrong:
            mismatches[key] = wrong
    assert mismatches == {}


def test_premium_articles_are_flagged_and_truncated(full_crawl: CrawlResult) -> None:
    premium = [item for item in full_crawl.items if item["isAccessibleForFree"] is False]
    assert premium
    for item in premium:
        assert item["bodyTruncated"] is True
        assert "réservé aux abonnés" not in (item["articleBody"] or "")


def test_no_boilerplate_in_any_body(full_crawl: CrawlResult) -> None:
    for item in full_crawl.items:
        body = item["articleBody"] or ""
        assert [phrase for phrase in BOILERPLATE if phrase in body] == [], item["url"]
        assert "\u00a0" not in body
        assert "\u200b" not in body


def test_every_date_carries_an_offset(full_crawl: CrawlResult) -> None:
    for item in full_crawl.items:
        for field in ("datePublished", "dateModified"):
            if item[field] is not None:
                assert datetime.fromisoformat(item[field]).utcoffset() is not None


def test_tracking_parameters_and_www_never_reach_the_site(full_crawl: CrawlResult) -> None:
    paths = [record.path for record in full_crawl.extra["requests"]]
    assert not [path for path in paths if "utm_" in path or "xtor" in path]
    article_paths = Counter(path for path in paths if path.startswith("/article/"))
    assert [path for path, count in article_paths.items() if count > 1] == []


def test_stats_count_sources_and_fallbacks(full_crawl: CrawlResult) -> None:
    stats = full_crawl.stats
    total = stats["item_scraped_count"]
    assert (
        stats["atlantico/source/headline/json-ld"] + stats["atlantico/source/headline/dom"] == total
    )
    # The replica has pages without JSON-LD dates: the fallbacks must have fired.
    assert stats["atlantico/source/datePublished/dom"] >= 1
    assert stats["atlantico/source/datePublished/text"] >= 1
    assert stats["atlantico/listing/next_by/rel-next"] >= 1
    assert stats["atlantico/listing/next_by/link-text"] >= 1


def test_one_section_and_max_pages(replica: ReplicaServer, tmp_path: Path) -> None:
    result = run_crawl(replica.base_url, tmp_path, "sections=high-tech", "max_pages=1")
    assert result.returncode == 0
    assert len(result.items) == 20
    assert all("high-tech" in item["sections"] for item in result.items)
    assert result.stats["atlantico/listing/stopped/max_pages"] == 1
    assert result.stats["atlantico/listing/pages/high-tech"] == 1


def test_since_stops_the_walk(replica: ReplicaServer, tmp_path: Path) -> None:
    dates = sorted(
        (t["datePublished"] for t in replica.truth.values() if "decryptages" in t["sections"]),
        reverse=True,
    )
    since = dates[9][:10]  # about ten articles are newer, all on page 1
    result = run_crawl(replica.base_url, tmp_path, "sections=decryptages", f"since={since}")
    assert result.returncode == 0
    assert result.items
    assert all(item["datePublished"][:10] >= since for item in result.items)
    # Page 1 mixes newer and older articles; page 2 holds only older ones: the walk stops there.
    assert result.stats["atlantico/listing/pages/decryptages"] == 2
    assert result.stats["atlantico/listing/stopped/since"] == 1


def test_section_urls_from_settings_skip_the_home_page(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    urls = json.dumps({"decryptages": f"{replica.base_url}/decryptages"})
    replica.clear_requests()
    result = run_crawl(
        replica.base_url,
        tmp_path,
        "sections=decryptages",
        "max_pages=1",
        settings={"ATLANTICO_SECTION_URLS": urls},
    )
    assert len(result.items) == 20
    assert "/" not in [record.path for record in replica.requests]


def test_missing_navigation_label_is_a_clear_error(replica: ReplicaServer, tmp_path: Path) -> None:
    labels = json.dumps({"decryptages": "Décryptages", "sciences": "Sciences"})
    result = run_crawl(
        replica.base_url,
        tmp_path,
        "sections=sciences",
        settings={"ATLANTICO_SECTIONS": labels},
    )
    assert result.items == []
    assert result.stats["finish_reason"] == "section_not_found"
    assert result.stats["atlantico/error/section_not_found"] == 1
    assert "no link labelled 'Sciences'" in result.log


@pytest.mark.parametrize(
    "argument",
    ["sections=sport", "max_pages=many", "max_pages=-3", "since=bientôt", "fallback=peut-être"],
)
def test_bad_arguments_fail_at_once(replica: ReplicaServer, tmp_path: Path, argument: str) -> None:
    result = run_crawl(replica.base_url, tmp_path, argument)
    assert result.returncode != 0
    assert result.items == []
