"""`python -m atlantico check`: per field, value, source, fallbacks fired, validation."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.replica import ReplicaServer
from tests.test_cli import SEED, run

JSONLD = re.compile(rb'<script type="application/ld\+json">.*?</script>', re.S)
SEED_URL = json.loads((SEED / "meta.json").read_text())["url"]


def test_check_reports_sources_and_passes_a_good_page() -> None:
    done = run("check", "--url", SEED_URL, str(SEED / "page.html.gz"))
    assert done.returncode == 0, done.stderr
    assert re.search(r"^headline\s+json-ld\s+\"Elon Musk confie", done.stdout, re.M)
    assert re.search(
        r"^kicker\s+dom\s+\"Mea culpa\"\n\s+fallbacks fired: json-ld gave nothing",
        done.stdout,
        re.M,
    )
    assert "required fields missing: none" in done.stdout
    assert "schema errors: none" in done.stdout
    assert "verdict: OK" in done.stdout


def test_check_shows_the_fallbacks_when_json_ld_vanishes(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(JSONLD.sub(b"", gzip.decompress((SEED / "page.html.gz").read_bytes())))
    done = run("check", "--url", SEED_URL, str(page))
    assert done.returncode == 0, done.stdout
    assert re.search(
        r"^headline\s+dom\s+\"Elon Musk confie.*\n\s+fallbacks fired: json-ld gave nothing",
        done.stdout,
        re.M,
    )
    assert re.search(r"^datePublished\s+(dom|meta|text)\s", done.stdout, re.M)


def test_check_exits_non_zero_when_a_required_field_is_missing(tmp_path: Path) -> None:
    page = tmp_path / "stub.html"
    page.write_text(
        "<html><head><title>Oups</title></head><body><p></p></body></html>", encoding="utf-8"
    )
    done = run("check", "--url", "https://atlantico.fr/article/decryptage/x", str(page))
    assert done.returncode == 1
    # Issue 10: a page without a date is exported (null date, a message); only the body of
    # this free page is required (the date was listed here before).
    assert "required fields missing: articleBody" in done.stdout
    assert "verdict: REJECTED" in done.stdout


def test_check_fetches_a_url() -> None:
    # A replica of its own: the shared one's request log belongs to the crawl tests.
    with ReplicaServer(n_articles=12, seed=5) as replica:
        url = next(url for url in replica.truth if "/article/" in url)
        done = run("check", url)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith(f"check {url}")
        assert [r.path for r in replica.requests if r.method == "GET"] == [urlsplit(url).path]
