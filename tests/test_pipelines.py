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


def test_text_guard_repairs_nested_text_and_leaves_clean_fields_as_they_are() -> None:
    from atlantico.pipelines.text_guard import TextGuardPipeline, _clean, _suspect

    pipeline, stats = build(TextGuardPipeline)
    authors = [{"name": "Jean Dupont", "nameRaw": "Par Jean Dupont", "url": None}]
    clean = article(authors=authors, tags=["élève", "forêt"])
    assert pipeline.process_item(clean) is clean
    assert clean.authors is authors  # not rebuilt
    garbled = [{"name": "FranÃ§ois", "nameRaw": "Par FranÃ§ois", "url": None}]
    repaired = pipeline.process_item(article(authors=garbled, tags=["ok", "Ã©lÃ¨ve"]))
    assert repaired.authors == [{"name": "François", "nameRaw": "Par François", "url": None}]
    assert repaired.tags == ["ok", "élève"]
    assert stats.get_value("atlantico/charset/repaired_field/authors") == 1
    assert stats.get_value("atlantico/charset/repaired_field/tags") == 1
    with pytest.raises(DropItem):
        pipeline.process_item(article(mainImage={"url": "u", "caption": "caf\ufffd"}))
    assert stats.get_value("atlantico/dropped/garbled_text/mainImage") == 1
    # Only a value with a suspect string is cleaned: any other comes back equal.
    for value in ["élève", ["a", {"b": ["c", 1, None]}], {"k": "forêt"}, 3, None, True, []]:
        assert not _suspect(value)
        assert _clean(value) == value
    for value in ["Ã©", ["a", {"b": ["Ã©"]}], {"k": "\ufffd"}]:
        assert _suspect(value)


@pytest.mark.parametrize(
    "canonical",
    [
        "https://atlantico.fr/article/a",
        "http://atlantico.fr/article/a",
        "https://www.atlantico.fr/article/a",
        "http://WWW.Atlantico.FR/a",
        "https://rss.atlantico.fr/a",
        "https://atlantico.fr:443/a",
        "HTTPS://atlantico.fr/a",
        " https://atlantico.fr/a",
        "https://atlantico.fr\t/a",
        "https://atlantico.fr.evil.example/a",
        "https://atlantico.fr@evil.example/a",
        "https://evil.example/atlantico.fr/a",
        "//atlantico.fr/a",
        "/article/a",
        "https://atlantico.fr",
        "https://atlantico.fr?x=/",
    ],
)
def test_canonical_guard_judges_hosts_as_is_site_host_does(canonical: str) -> None:
    from urllib.parse import urlsplit

    from atlantico.middlewares.offsite_guard import is_site_host
    from atlantico.pipelines.canonical_guard import CanonicalGuardPipeline

    pipeline, stats = build(CanonicalGuardPipeline, {"ATLANTICO_BASE_URL": "https://atlantico.fr/"})
    expected = is_site_host(urlsplit(canonical).netloc, "atlantico.fr")
    for _ in range(2):  # the second time from the verdicts kept
        assert pipeline.on_site(canonical) is expected
        item = pipeline.process_item(article(canonicalUrl=canonical))
        assert item.canonicalUrl == (canonical if expected else item.url)
    assert stats.get_value("atlantico/refused/canonical") == (None if expected else 2)


def test_provenance_and_coverage_count_every_item_alike() -> None:
    from atlantico.pipelines.coverage import CoveragePipeline

    provenance, stats = build(ProvenancePipeline)
    coverage = CoveragePipeline.from_crawler(provenance.crawler)
    for n in range(3):
        item = article(
            sections=["high-tech", f"s{n % 2}"],
            metadata={"sources": {"headline": "dom"}, "validationMessages": ["a: b", "a"]},
        )
        coverage.process_item(provenance.process_item(item))
    values = stats.get_stats()
    assert values["atlantico/source/headline/dom"] == 3
    assert values["atlantico/missing/articleBody"] == 3
    assert values["atlantico/validation/a"] == 6
    assert values["atlantico/articles/section/high-tech"] == 3
    assert (values["atlantico/articles/section/s0"], values["atlantico/articles/section/s1"]) == (
        2,
        1,
    )
    assert values["atlantico/coverage/articles"] == 3
    assert values["atlantico/coverage/filled/headline"] == 3
    assert values["atlantico/coverage/free"] == 3
    assert "atlantico/coverage/with_byline" not in values
    assert values["atlantico/coverage/example_missing/description"] == item.url
