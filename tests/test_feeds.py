"""The feeds people subscribe to: full-text Atom per section, gzipped and batched JSON Lines."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from html import escape
from pathlib import Path

import feedparser
import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer


@pytest.fixture(scope="module")
def scheduled(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """A crawl with the project's own feeds, as cron runs it (``-O`` would replace them)."""
    workdir = tmp_path_factory.mktemp("scheduled")
    return run_crawl(
        replica.base_url,
        workdir,
        env={"ATLANTICO_FEED_URI": str(workdir / "articles.jsonl")},
        default_feed=True,
    )


def atom(crawl: CrawlResult, section: str) -> feedparser.FeedParserDict:
    path = crawl.feed.parent / f"atlantico-{section}.atom"
    assert path.exists(), path
    return feedparser.parse(str(path))


@pytest.mark.parametrize("section", ["high-tech", "decryptages"])
def test_atom_feed_holds_the_sections_articles_in_full(
    scheduled: CrawlResult, section: str
) -> None:
    feed = atom(scheduled, section)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.endswith(
        {"high-tech": "High-tech", "decryptages": "Décryptages"}[section]
    )
    assert feed.feed.id.endswith(f"/{section}")
    assert feed.feed.updated_parsed
    assert feed.feed.author == "Atlantico.fr"
    listed = {item["canonicalUrl"]: item for item in scheduled.items if section in item["sections"]}
    assert listed
    assert {entry.id for entry in feed.entries} == set(listed)
    for entry in feed.entries:
        item = listed[entry.id]
        assert entry.title == item["headline"]
        assert entry.link == item["canonicalUrl"]
        assert datetime.fromisoformat(entry.published) == datetime.fromisoformat(
            item["datePublished"]
        )
        updated = item["dateModified"] or item["datePublished"]
        assert datetime.fromisoformat(entry.updated) == datetime.fromisoformat(updated)
        # An unsigned article has no <author>: the feed's own (Atlantico.fr) applies.
        names = [author["name"] for author in item["authors"]]
        assert [author.name for author in entry.get("authors", [])] == names
        if item["category"]:
            assert entry.tags[0].term == item["category"]
        content = entry.content[0]
        assert content.type == "text/html"
        if item.get("articleBodyHtml"):
            # The body as clean HTML (links, sub-headings) when the extractor gave it.
            assert item["articleBodyHtml"] in content.value
        else:
            for paragraph in item["articleBody"].split("\n\n"):
                assert f"<p>{escape(paragraph, quote=False)}</p>" in content.value
        assert ("réservé aux abonnés" in content.value) == item["bodyTruncated"]


def test_atom_feed_is_one_file_per_section(scheduled: CrawlResult) -> None:
    feeds = sorted(path.name for path in scheduled.feed.parent.glob("*.atom"))
    assert feeds == ["atlantico-decryptages.atom", "atlantico-high-tech.atom"]
    both = [item for item in scheduled.items if len(item["sections"]) == 2]
    assert both, "the replica lists some articles in both sections"
    for item in both:
        assert item["canonicalUrl"] in {e.id for e in atom(scheduled, "high-tech").entries}
        assert item["canonicalUrl"] in {e.id for e in atom(scheduled, "decryptages").entries}


def test_gzipped_batched_json_lines(tmp_path: Path) -> None:
    feeds = {
        str(tmp_path / "batches/%(name)s-%(time)s-%(batch_id)03d.jsonl.gz"): {
            "format": "jsonlines",
            "encoding": "utf-8",
            "batch_item_count": 20,
            "postprocessing": ["scrapy.extensions.postprocessing.GzipPlugin"],
            "gzip_compresslevel": 6,
        }
    }
    with ReplicaServer(n_articles=30, seed=77) as replica:  # the shared one's log is not ours
        result = run_crawl(replica.base_url, tmp_path, settings={"FEEDS": json.dumps(feeds)})
    assert len(result.items) == 28
    files = sorted((tmp_path / "batches").iterdir())
    # 28 articles in batches of 20: two files, each named after its batch's start time.
    names = [re.fullmatch(r"atlantico-(\d{4}-.+)-(\d{3})\.jsonl\.gz", path.name) for path in files]
    assert all(names)
    assert [match.group(2) for match in names if match] == ["001", "002"]
    lines = [gzip.decompress(path.read_bytes()).decode("utf-8").splitlines() for path in files]
    assert [len(batch) for batch in lines] == [20, 8]
    batched = [json.loads(line) for batch in lines for line in batch]
    assert sorted(item["url"] for item in batched) == sorted(item["url"] for item in result.items)
    assert "é" in gzip.decompress(files[0].read_bytes()).decode("utf-8")  # utf-8, not \u00e9
