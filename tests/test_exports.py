"""Flat export profiles (atlantico/exporters/profiles.py) through Scrapy's real feed exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlResult, Path, dict[str, Any]]:
    """One crawl of a small replica writing every profile at once."""
    out = tmp_path_factory.mktemp("exports")
    feeds = {
        str(out / "flat.csv"): {"format": "csv"},
        str(out / "trafilatura.csv"): {
            "format": "csv",
            "item_export_kwargs": {"profile": "trafilatura"},
            "fields": ["url", "title", "author", "date"],
        },
        str(out / "np.jsonl"): {"format": "news-please", "encoding": "utf-8"},
        str(out / "tf.jsonl"): {"format": "trafilatura", "encoding": "utf-8"},
        str(out / "full.jsonl"): {"format": "jsonlines", "encoding": "utf-8"},
    }
    with ReplicaServer(n_articles=20, seed=11) as site:
        result = run_crawl(
            site.base_url,
            out / "run",
            "sections=high-tech",
            settings={"FEEDS": json.dumps(feeds), "ATLANTICO_STORE_ENABLED": "0"},
            default_feed=True,
        )
        truth = dict(site.truth)
    assert result.returncode == 0, result.log[-3000:]
    return result, out, truth


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_csv_is_flat_one_value_per_column(
    exported: tuple[CrawlResult, Path, dict[str, Any]],
) -> None:
    _, out, _ = exported
    full = {item["url"]: item for item in lines(out / "full.jsonl")}
    table = rows(out / "flat.csv")
    assert len(table) == len(full) > 5
    assert "metadata" not in table[0]
    for row in table:
        item = full[row["url"]]
        assert row["headline"] == item["headline"]
        assert row["authors"] == "; ".join(a["name"] for a in item["authors"])
        assert row["sections"] == "; ".join(item["sections"])
        assert row["tags"] == "; ".join(item["tags"])
        image = item["mainImage"] or {}
        assert row["imageUrl"] == (image.get("url") or "")
        assert row["imageCredit"] == (image.get("credit") or "")
        assert row["imageCaption"] == (image.get("caption") or "")
        assert "{" not in row["authors"]
        assert "[" not in row["sections"]
    assert any(" ; " not in row["authors"] and "; " in row["authors"] for row in table)


def test_news_please_and_trafilatura_shapes(
    exported: tuple[CrawlResult, Path, dict[str, Any]],
) -> None:
    _, out, truth = exported
    full = {item["url"]: item for item in lines(out / "full.jsonl")}
    news = lines(out / "np.jsonl")
    assert {
        "title",
        "maintext",
        "date_publish",
        "authors",
        "url",
        "language",
        "description",
        "image_url",
        "source_domain",
    } <= set(news[0])
    for line in news:
        item = full[line["url"]]
        assert line["title"] == item["headline"] == truth[item["canonicalUrl"]]["headline"]
        assert line["maintext"] == item["articleBody"]
        assert line["authors"] == [a["name"] for a in item["authors"]]
        assert line["date_publish"] == item["datePublished"][:19].replace("T", " ")
        assert line["source_domain"] == "127.0.0.1"
        assert line["language"] == "fr"
    tf = lines(out / "tf.jsonl")
    assert {
        "title",
        "author",
        "date",
        "text",
        "url",
        "hostname",
        "description",
        "categories",
        "tags",
    } <= set(tf[0])
    for line in tf:
        item = full[line["url"]]
        assert line["text"] == item["articleBody"]
        assert line["date"] == item["datePublished"][:10]
        assert line["tags"] == ";".join(item["tags"])
        assert line["categories"].split(";")[0] == item["category"]
    # A feed's `fields` picks and orders a profile's columns.
    with (out / "trafilatura.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "url,title,author,date"
    assert len(rows(out / "trafilatura.csv")) == len(full)


def test_the_csv_profile_comes_from_the_setting(tmp_path: Path) -> None:
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from atlantico.exporters.profiles import ProfileCsvItemExporter
    from atlantico.items import Article

    crawler = get_crawler(Spider, {"ATLANTICO_EXPORT_PROFILE": "trafilatura"})
    path = tmp_path / "out.csv"
    with path.open("wb") as handle:
        exporter = ProfileCsvItemExporter.from_crawler(crawler, handle)
        exporter.start_exporting()
        exporter.export_item(Article(url="https://atlantico.fr/a", headline="Titre"))
        exporter.finish_exporting()
    (row,) = rows(path)
    assert row["title"] == "Titre"
    assert row["hostname"] == "atlantico.fr"
    assert "headline" not in row
