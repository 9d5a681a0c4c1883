"""End to end on replicas shaped unlike the default one (tests/replica/shapes.py): sections in
other menus or only on article pages, other pagination forms, legacy links answering 301,
a multi-page article, and a section with no listing at all. One crawl per shape."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from tests.conftest import ROOT, CrawlResult, run_crawl
from tests.replica import ReplicaServer

SHAPE_SETTINGS = {
    # The section with no listing is read from every monthly sitemap, not the newest two.
    "nolisting": {"ATLANTICO_FALLBACK_SITEMAPS": "0"},
}


@pytest.fixture(scope="module", params=["menus", "hidden", "nolisting"])
def shaped(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, ReplicaServer, CrawlResult]]:
    shape = request.param
    with ReplicaServer(n_articles=60, seed=1234, shape=shape) as server:
        result = run_crawl(
            server.base_url,
            tmp_path_factory.mktemp(shape),
            settings=SHAPE_SETTINGS.get(shape, {}),
        )
        result.extra["requests"] = server.requests
        result.extra["robots"] = server.site.get("/robots.txt").body.decode()
        yield shape, server, result


def test_every_article_of_both_sections_once_with_all_its_sections(
    shaped: tuple[str, ReplicaServer, CrawlResult],
) -> None:
    _shape, server, result = shaped
    assert result.returncode == 0, result.log[-3000:]
    keys = Counter(item["canonicalUrl"] for item in result.items)
    assert [key for key, count in keys.items() if count > 1] == []
    assert set(keys) == set(server.truth)
    wrong = {
        item["canonicalUrl"]: item["sections"]
        for item in result.items
        if item["sections"] != server.truth[item["canonicalUrl"]]["sections"]
    }
    assert wrong == {}
    bodies = {
        item["canonicalUrl"]
        for item in result.items
        if item["articleBody"] != server.truth[item["canonicalUrl"]]["articleBody"]
    }
    assert bodies == set()


def test_robots_txt_is_read_first_and_obeyed(
    shaped: tuple[str, ReplicaServer, CrawlResult],
) -> None:
    _shape, server, result = shaped
    paths = [record.path for record in result.extra["requests"]]
    assert paths[0] == "/robots.txt"
    robots = RobotFileParser()
    robots.parse(result.extra["robots"].splitlines())
    refused = [p for p in paths if not robots.can_fetch("atlantico-crawler", server.base_url + p)]
    assert refused == []


def test_no_article_page_is_fetched_twice(shaped: tuple[str, ReplicaServer, CrawlResult]) -> None:
    _shape, server, result = shaped
    pages = Counter(
        urlsplit(record.path).path
        for record in result.extra["requests"]
        if urlsplit(record.path).path in {urlsplit(url).path for url in server.truth}
    )
    assert [path for path, count in pages.items() if count > 1] == []


def test_how_each_shape_was_discovered(shaped: tuple[str, ReplicaServer, CrawlResult]) -> None:
    shape, server, result = shaped
    stats = result.stats
    if shape == "menus":
        assert stats["atlantico/discovery/section_from/home"] == 2
        assert stats["atlantico/listing/next_by/rel-next"] >= 1
        assert stats["atlantico/listing/next_by/pager-number"] >= 1
        # Legacy links of High-tech answered 301 to URLs Décryptages listed.
        assert stats["atlantico/discovery/redirect_merged"] >= 10
        assert stats["atlantico/article/multipage"] == 1
        assert stats["atlantico/article/parts_joined"] == 2
        multi = [i for i in result.items if "3039140" in i["canonicalUrl"]]
        assert multi
        assert multi[0]["bodyTruncated"] is False
    elif shape == "hidden":
        assert stats["atlantico/discovery/section_from/home"] == 1
        assert stats["atlantico/discovery/section_from/article"] == 1
        assert stats["atlantico/listing/next_by/link-text"] >= 1
    else:
        high_tech = sum("high-tech" in t["sections"] for t in server.truth.values())
        assert stats["atlantico/discovery/section_fallback/high-tech"] == high_tech
        assert stats["atlantico/listing/next_by/page-number"] >= 1
        assert "its articles come from the sitemaps" in result.log
        assert "WARNING" in result.log
        assert "atlantico/listing/pages/high-tech" not in stats


def test_the_default_replica_has_no_shape() -> None:
    with ReplicaServer(n_articles=12, seed=5) as server:
        assert server.site.shape is None
        home = server.site.get("/").body.decode()
        assert "Thématiques" not in home
        assert "burger" not in home


def _check(base_url: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "check", "atlantico", "-v"]
    for name, value in {
        "ATLANTICO_BASE_URL": base_url,
        "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",
        "ATLANTICO_STATE_DIR": str(workdir / "state"),
        "DOWNLOAD_DELAY": "0",
        "LOG_LEVEL": "WARNING",
    }.items():
        command += ["-s", f"{name}={value}"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_scrapy_check_runs_the_contracts_against_the_replica(tmp_path: Path) -> None:
    with ReplicaServer(n_articles=60, seed=1234) as server:
        done = _check(server.base_url, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"Ran [5-9] contracts", done.stderr)
    for callback in ("parse_home", "parse_listing", "parse_sitemap", "parse_article"):
        assert callback in done.stderr


def test_scrapy_check_fails_when_the_home_page_links_no_section(tmp_path: Path) -> None:
    with ReplicaServer(n_articles=60, seed=1234, shape="nolisting") as server:
        done = _check(server.base_url, tmp_path)
    assert done.returncode != 0
    assert "no link found for section(s) ['high-tech']" in done.stderr


def test_a_part_that_fails_leaves_the_article_marked_truncated(tmp_path: Path) -> None:
    def last_part_missing(handler: BaseHTTPRequestHandler, send_body: bool) -> bool:
        if not handler.path.endswith(".html/page/0/2"):
            return False
        handler.send_response(404)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return True

    with ReplicaServer(60, 1234, shape="menus", faults=last_part_missing) as server:
        result = run_crawl(server.base_url, tmp_path)
        truth = server.truth
    assert result.returncode == 0, result.log[-3000:]
    assert {item["canonicalUrl"] for item in result.items} == set(truth)
    (multi,) = [item for item in result.items if "3039140" in item["canonicalUrl"]]
    assert multi["bodyTruncated"] is True
    assert any(
        "multi-page article incomplete: part 3" in m
        for m in multi["metadata"]["validationMessages"]
    )
    full = truth[multi["canonicalUrl"]]["articleBody"]
    assert full.startswith(multi["articleBody"])
    assert len(multi["articleBody"]) < len(full)
    assert result.stats["atlantico/article/part_failed"] == 1
