"""`python -m atlantico extract` and `fixture` on saved pages, as a user runs them."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests/fixtures/pages/replica-seed-elon-musk"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "atlantico", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_extract_prints_the_item_and_its_sources() -> None:
    url = json.loads((SEED / "meta.json").read_text())["url"]
    done = run("extract", "--url", url, str(SEED / "page.html.gz"))
    assert done.returncode == 0, done.stderr
    item = json.loads(done.stdout)
    assert item["headline"].startswith("Elon Musk confie")
    assert item["url"] == url
    assert item["metadata"]["sources"]["headline"] == "json-ld"
    assert "headline" in done.stderr
    assert "json-ld" in done.stderr


def test_extract_exits_non_zero_when_the_page_is_not_an_article(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>Page introuvable</p></body></html>", encoding="utf-8")
    done = run("extract", str(page))
    assert done.returncode == 1
    assert json.loads(done.stdout)["headline"] is None


def test_fixture_saves_page_meta_and_expected_item(tmp_path: Path) -> None:
    url = json.loads((SEED / "meta.json").read_text())["url"]
    page = tmp_path / "page.html"
    page.write_bytes(gzip.decompress((SEED / "page.html.gz").read_bytes()))
    done = run("fixture", "--url", url, "--name", "copy", "--dir", str(tmp_path / "out"), str(page))
    assert done.returncode == 0, done.stderr
    saved = tmp_path / "out/copy"
    assert gzip.decompress((saved / "page.html.gz").read_bytes()) == page.read_bytes()
    assert json.loads((saved / "meta.json").read_text())["url"] == url
    assert json.loads((saved / "expected.json").read_text()) == json.loads(
        (SEED / "expected.json").read_text()
    )


def test_scrapy_parse_prints_the_item_and_writes_nothing(tmp_path: Path) -> None:
    from tests.replica import ReplicaServer

    with ReplicaServer(n_articles=60) as site:
        url = next(u for u in site.truth if "elon-musk-confie-quetre" in u)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ATLANTICO_STATE_DIR": str(tmp_path / "state"),
            "ATLANTICO_FEED_URI": str(tmp_path / "feeds/x.jsonl"),
            "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",  # the replica is on 127.0.0.1
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "parse",
                "--spider",
                "atlantico",
                "-s",
                f"ATLANTICO_BASE_URL={site.base_url}",
                url,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Elon Musk confie" in done.stdout, done.stderr[-1500:]
    assert "'datePublished': '2023-04-12T09:15:00+02:00'" in done.stdout
    assert not (tmp_path / "state").exists()
    assert not (tmp_path / "feeds").exists()
