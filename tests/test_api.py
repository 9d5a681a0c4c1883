"""The Python API (atlantico/api.py): the item from HTML and a URL, and a crawl from Python."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import atlantico
from tests.conftest import FAST, ROOT
from tests.replica import ReplicaServer


def seed_url(replica: ReplicaServer) -> str:
    return next(u for u in replica.truth if "elon-musk-confie-quetre" in u)


@pytest.mark.parametrize("as_text", [True, False])
def test_extract_html_gives_the_item_of_a_page(replica: ReplicaServer, as_text: bool) -> None:
    url = seed_url(replica)
    with urllib.request.urlopen(url, timeout=30) as answer:
        body = answer.read()
    item = atlantico.extract_html(body.decode("utf-8") if as_text else body, url)
    truth = replica.truth[url]
    assert isinstance(item, dict)
    for name in ("headline", "datePublished", "authors", "articleId", "category"):
        assert item[name] == truth[name], name
    assert item["articleBody"].startswith("Elon Musk a assuré mercredi")
    assert item["url"] == url
    json.dumps(item)  # a plain dict, serialisable as it is


def test_extract_html_of_a_page_that_is_no_article_has_no_headline() -> None:
    item = atlantico.extract_html(
        "<html><body><p>Page introuvable</p></body></html>", "https://atlantico.fr/x"
    )
    assert item["headline"] is None
    assert item["articleBody"] is None


def test_importing_atlantico_loads_neither_scrapy_nor_the_api() -> None:
    code = "import sys, atlantico; print('scrapy' in sys.modules, 'atlantico.api' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False"]


def test_crawl_returns_the_items_and_manifest_and_the_rerun_only_what_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the run's store goes to ./state, as on the command line
    with ReplicaServer(n_articles=20, seed=5) as site:
        settings = {**FAST, "ATLANTICO_BASE_URL": site.base_url, "LOG_LEVEL": "WARNING"}
        first = atlantico.crawl(**settings, sections="high-tech", timeout=240)
        assert first.exit_code == 0, first.log[-3000:]
        high_tech = {url for url, item in site.truth.items() if "high-tech" in item["sections"]}
        assert {item["url"] for item in first.items} == high_tech
        assert first.manifest is not None
        assert first.manifest["counts"]["exported"] == len(high_tech)
        assert first.manifest["arguments"]["sections"] == "high-tech"
        assert (tmp_path / "state/atlantico.sqlite3").exists()

        again = atlantico.crawl(**settings, sections="high-tech", timeout=240)
        assert again.exit_code == 0
        assert again.items == []
        assert again.manifest is not None
        assert again.manifest["counts"]["exported"] == 0


def test_crawl_says_a_usage_error_by_its_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = atlantico.crawl(sections="sport", ATLANTICO_STORE_ENABLED="0", timeout=120)
    assert result.exit_code != 0
    assert result.items == []
    assert "sport" in result.log


def test_extract_html_reads_the_charset_of_bytes() -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>x</title></head><body><article>'
        "<h1>Été brûlant à l’Élysée</h1><p>"
        + "Un texte assez long pour un corps. " * 8
        + "</p></article></body></html>"
    ).encode("cp1252")
    item = atlantico.extract_html(page, "https://atlantico.fr/article/decryptage/ete")
    assert item["headline"] == "Été brûlant à l’Élysée"
