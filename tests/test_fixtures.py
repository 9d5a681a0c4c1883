"""Saved pages (tests/fixtures/pages/NAME/) against their reviewed expected items.

A fixture is made with ``python -m atlantico fixture URL`` (see README). Each holds the gzipped
page, its URL and fetch time, and ``expected.json``, reviewed by hand.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from atlantico.cli import expected_item
from atlantico.extract import extract_article

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
PAGES = sorted(path for path in FIXTURES.iterdir() if (path / "page.html.gz").exists())


def test_there_are_fixtures() -> None:
    assert PAGES, f"no fixture under {FIXTURES}"


@pytest.mark.parametrize("folder", PAGES, ids=[path.name for path in PAGES])
def test_fixture_matches_expected_item(folder: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    headers = {"Date": meta["date_header"]} if meta.get("date_header") else {}
    response = HtmlResponse(
        url=meta["url"],
        body=gzip.decompress((folder / "page.html.gz").read_bytes()),
        headers=headers,
        request=Request(meta["url"]),
    )
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected_item(extract_article(response)) == expected
