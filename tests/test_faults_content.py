"""Content faults: charsets decoded exactly; non-articles never exported and counted by kind;
huge pages and compression bombs bounded; a canonical link off the site not believed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from atlantico.items import Article
from atlantico.pipelines.text_guard import TextGuardPipeline
from tests import crawlproc
from tests.conftest import CrawlResult
from tests.faultkit import article, crawl, fault_server, hits, item_urls, stat
from tests.replica import ReplicaServer
from tests.replica.faults import FRENCH, article_html

CHARSETS = [
    "charset-utf8-none",
    "charset-1252-none",
    "charset-utf8-header-latin1",
    "charset-1252-header-utf8",
    "charset-utf8-meta-1252",
    "charset-1252-meta-utf8",
]
NOT_ARTICLES = {
    "malformed": "malformed",
    "empty": "empty",
    "soft-404": "soft_404",
    "soft-404-redirect": "soft_404_redirect",
    "pdf": "not_html",
    "image": "not_html",
    "interstitial-cookie": "interstitial_cookie",
    "interstitial-challenge": "interstitial_challenge",
}
MOJIBAKE = ("\ufffd", "Ã", "â€", "Å“")


# Pages read (and judged) in the crawl's process, and in a reading worker (atlantico/reading.py),
# which judges an article page with its reading instead of the content guard.
@pytest.fixture(scope="module", params=["0", "1"], ids=["read-here", "read-in-worker"])
def content(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[ReplicaServer, CrawlResult]]:
    links = [*CHARSETS, *NOT_ARTICLES, "huge", "bomb", "canonical-elsewhere", "ok-1"]
    with fault_server() as (server, _):
        settings = {"ATLANTICO_READ_WORKERS": request.param}
        result = crawl(server, tmp_path_factory.mktemp("content"), links, settings=settings)
        if request.param != "0":
            assert result.stats.get("atlantico/reading/in_worker", 0) > 0
        yield server, result


def _item(result: CrawlResult, name: str) -> dict[str, Any]:
    (item,) = [i for i in result.items if i["url"].endswith(article(name))]
    return item


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_scrapy_alone_misreads_a_short_french_page_without_charset() -> None:
    # The fault this row fixes: no declared charset, Windows-1252 bytes, guessed Windows-1250.
    body = article_html("x", paragraphs=1, jsonld=False).encode("cp1252")
    response = HtmlResponse("http://127.0.0.1/article/fault/x", body=body)
    assert FRENCH not in response.text
    assert "élčve" in response.text


@pytest.mark.parametrize("name", CHARSETS)
def test_french_text_is_decoded_exactly_whatever_the_charset_says(
    content: tuple[ReplicaServer, CrawlResult], name: str
) -> None:
    _, result = content
    item = _item(result, name)
    assert item["headline"] == f"{FRENCH} ({name})"
    assert item["articleBody"] == FRENCH


def test_charset_repairs_are_counted(content: tuple[ReplicaServer, CrawlResult]) -> None:
    _, result = content
    repaired = {
        k: v for k, v in result.stats.items() if k.startswith("atlantico/charset/repaired/")
    }
    # Wrong header (2), wrong meta (2), no label on Windows-1252 bytes (1); UTF-8 without a
    # label is what Scrapy reads right already.
    assert sum(repaired.values()) == 5
    assert stat(result, "atlantico/charset/doubt") == 0


def test_no_exported_field_holds_mojibake(content: tuple[ReplicaServer, CrawlResult]) -> None:
    _, result = content
    assert result.items
    for item in result.items:
        text = " ".join(_strings({k: v for k, v in item.items() if k != "metadata"}))
        assert [m for m in MOJIBAKE if m in text] == [], item["url"]


@pytest.mark.parametrize("name", NOT_ARTICLES)
def test_a_page_that_is_not_an_article_is_never_exported(
    content: tuple[ReplicaServer, CrawlResult], name: str
) -> None:
    server, result = content
    assert len(hits(server, article(name))) == 1  # read once, not retried
    assert name not in item_urls(result)
    kinds = list(NOT_ARTICLES.values())
    assert stat(result, f"atlantico/page/{NOT_ARTICLES[name]}") == kinds.count(NOT_ARTICLES[name])


def test_an_interstitial_is_reported_loudly(content: tuple[ReplicaServer, CrawlResult]) -> None:
    _, result = content
    errors = [
        line for line in result.log.splitlines() if "ERROR" in line and "INTERSTITIAL" in line
    ]
    assert len(errors) == 2  # the consent wall and the bot challenge


def test_a_huge_page_is_bounded_by_download_maxsize(
    content: tuple[ReplicaServer, CrawlResult],
) -> None:
    server, result = content
    assert len(hits(server, article("huge"))) == 1  # too large is not retried
    assert "huge" not in item_urls(result)
    assert stat(result, "atlantico/failed/too_large") == 1


def test_a_compression_bomb_is_dropped_with_memory_bounded(
    content: tuple[ReplicaServer, CrawlResult],
) -> None:
    server, result = content
    assert len(hits(server, article("bomb"))) == 1
    assert "bomb" not in item_urls(result)
    assert stat(result, "atlantico/refused/too_large/decompressed") == 1
    # 512 MB once opened; the crawl's process (and its reading worker) never held more than a
    # fraction of that. Its own peak: another test's crawl in this pytest process is not in it.
    peak_kb = result.extra["peak_rss_kb"]
    if crawlproc.enabled():
        assert peak_kb is not None
    if peak_kb is not None:
        assert peak_kb < 300 * 1024


def test_a_canonical_link_off_the_site_is_not_believed(
    content: tuple[ReplicaServer, CrawlResult],
) -> None:
    server, result = content
    item = _item(result, "canonical-elsewhere")
    assert item["canonicalUrl"] == f"{server.base_url}{article('canonical-elsewhere')}"
    assert stat(result, "atlantico/refused/canonical") == 1


def test_the_run_leaves_only_its_own_files(content: tuple[ReplicaServer, CrawlResult]) -> None:
    # Nothing from a page (a slug, a title) ends up in a file path: the feed, the stats and the
    # log are all the run writes, under names the settings give.
    _, result = content
    assert sorted(p.name for p in result.feed.parent.iterdir()) == [
        "articles.jsonl",
        "articles.manifest.json",
        "crawl.log",
        "state",
        "stats.json",
    ]
    # The store (its -wal/-shm files go when the last connection closes), the lock, the history.
    state = sorted(p.name for p in (result.feed.parent / "state").iterdir())
    assert [name for name in state if not name.startswith("atlantico.sqlite3-")] == [
        "atlantico.sqlite3",
        "atlantico.sqlite3.lock",  # the run lock, beside the store
        "runs.jsonl",
    ]


def test_garbled_item_text_is_repaired_or_the_item_dropped() -> None:
    # Text garbled before it reached the page (a CMS, a bad database export): the last check.
    crawler = get_crawler()
    crawler.stats = MemoryStatsCollector(crawler)
    pipeline = TextGuardPipeline.from_crawler(crawler)
    stats = crawler.stats
    garbled = FRENCH.encode("utf-8").decode("cp1252")  # "Ã€ la une : Ã©lÃ¨ve…"
    item = pipeline.process_item(Article(url="u", headline=garbled, tags=[garbled]))
    assert (item.headline, item.tags) == (FRENCH, [FRENCH])
    with pytest.raises(DropItem):
        pipeline.process_item(Article(url="u", headline="l\ufffdve"))
    assert stats.get_value("atlantico/charset/repaired_field/headline") == 1
    assert stats.get_value("atlantico/dropped/garbled_text/headline") == 1
