"""Pipelines built from a crawler, as Scrapy builds them; assertions on items and stats."""

from __future__ import annotations

import logging

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from atlantico.items import Article
from atlantico.pipelines.dedupe import DedupePipeline
from atlantico.pipelines.provenance import ProvenancePipeline
from atlantico.pipelines.validate import ValidatePipeline
from atlantico.spiders.atlantico import AtlanticoSpider

SETTINGS = {"ATLANTICO_DRIFT_INVALID_SHARE": 0.2, "ATLANTICO_DRIFT_MIN_ITEMS": 3}


def article(**values: object) -> Article:
    base: dict[str, object] = {
        "url": "https://atlantico.fr/article/decryptage/a",
        "canonicalUrl": "https://atlantico.fr/article/decryptage/a",
        "headline": "Titre",
        "datePublished": "2026-11-20T07:05:00+01:00",
        "articleBody": "Texte.",
    }
    base.update(values)
    return Article(**base)  # type: ignore[arg-type]


def build(pipeline_class: type, settings: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    crawler = get_crawler(AtlanticoSpider, {**SETTINGS, **(settings or {})})
    crawler.stats.open_spider()
    return pipeline_class.from_crawler(crawler), crawler.stats


def test_valid_item_passes() -> None:
    pipeline, stats = build(ValidatePipeline)
    item = article()
    assert pipeline.process_item(item) is item
    assert stats.get_value("atlantico/dropped/invalid/headline") is None


@pytest.mark.parametrize(
    ("values", "stat"),
    [
        ({"headline": None}, "atlantico/dropped/invalid/headline"),
        ({"articleBody": None}, "atlantico/dropped/invalid/articleBody"),
        ({"url": None}, "atlantico/dropped/invalid/url"),
    ],
)
def test_invalid_item_is_dropped_and_counted(values: dict[str, object], stat: str) -> None:
    pipeline, stats = build(ValidatePipeline)
    with pytest.raises(DropItem, match="missing"):
        pipeline.process_item(article(**values))
    assert stats.get_value(stat) == 1


def test_truncated_premium_body_and_explained_date_are_kept() -> None:
    pipeline, _ = build(ValidatePipeline)
    item = article(
        articleBody=None,
        bodyTruncated=True,
        datePublished=None,
        metadata={"validationMessages": ["datePublished: unparseable date 'bientôt'"]},
    )
    assert pipeline.process_item(item) is item


def test_no_date_is_exported_with_a_message_not_dropped() -> None:
    # Issue 10: real pages lack a date; the article is kept (this case was a drop before).
    pipeline, stats = build(ValidatePipeline)
    item = article(datePublished=None)
    assert pipeline.process_item(item) is item
    assert item.metadata["validationMessages"] == ["datePublished: no date found"]
    assert stats.get_value("atlantico/exported_without/datePublished") == 1
    assert stats.get_value("atlantico/dropped/invalid/datePublished") is None


def test_missing_body_drops_a_free_article_only() -> None:
    pipeline, stats = build(ValidatePipeline)
    premium = article(articleBody=None, isAccessibleForFree=False)
    assert pipeline.process_item(premium) is premium
    with pytest.raises(DropItem, match="articleBody"):
        pipeline.process_item(article(articleBody=None, isAccessibleForFree=True))
    assert stats.get_value("atlantico/dropped/invalid/articleBody") == 1


def test_many_invalid_items_raise_the_drift_alarm(caplog: pytest.LogCaptureFixture) -> None:
    pipeline, stats = build(ValidatePipeline)
    for _ in range(3):
        with pytest.raises(DropItem):
            pipeline.process_item(article(articleBody=None))
    pipeline.process_item(article())
    with caplog.at_level(logging.ERROR):
        pipeline.close_spider()
    assert "SITE LAYOUT DRIFT" in caplog.text
    assert stats.get_value("atlantico/drift/invalid_share") == 0.75


def test_few_invalid_items_do_not_raise_the_alarm(caplog: pytest.LogCaptureFixture) -> None:
    pipeline, stats = build(ValidatePipeline)
    for _ in range(5):
        pipeline.process_item(article())
    with pytest.raises(DropItem):
        pipeline.process_item(article(headline=None))
    pipeline.close_spider()
    assert "DRIFT" not in caplog.text
    assert stats.get_value("atlantico/drift/invalid_share") is None


def test_dedupe_on_article_key() -> None:
    pipeline, stats = build(DedupePipeline)
    pipeline.process_item(
        article(articleKey="/article/decryptage/a", url="https://atlantico.fr/decryptage/a-1.html")
    )
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(article(articleKey="/article/decryptage/a"))
    pipeline.process_item(article(articleKey="/article/decryptage/b"))
    assert stats.get_value("atlantico/dropped/duplicate") == 1


def test_provenance_counts_sources_and_missing_fields() -> None:
    pipeline, stats = build(ProvenancePipeline)
    item = article(
        metadata={
            "sources": {"headline": "dom", "datePublished": "json-ld"},
            "validationMessages": ["dateModified: unparseable date 'x'"],
        }
    )
    pipeline.process_item(item)
    assert stats.get_value("atlantico/source/headline/dom") == 1
    assert stats.get_value("atlantico/source/datePublished/json-ld") == 1
    assert stats.get_value("atlantico/missing/articleBody") == 1
    assert stats.get_value("atlantico/validation/dateModified") == 1
