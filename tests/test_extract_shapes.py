"""One truth, many page shapes: every core field must come out the same from each.

The pages come from ``tests/pagebuilder.py``: every layout era of docs/SITE.md, class names as
the era wrote them, hashed (CSS modules), opaque (styled-components) or absent, with or without
JSON-LD (flat, ``@graph`` with ``@id`` references, several scripts), microdata or RDFa, seven
date forms, four body kinds, furniture inside the body and five paywall forms. The extractor has
never seen these exact names: what passes here passes by its layers, not by a selector.
"""

from __future__ import annotations

import pytest

from atlantico.extract import extract_html
from atlantico.hygiene import has_markup
from tests.pagebuilder import (
    BODY_KINDS,
    CLASS_STYLES,
    DATE_FORMS,
    ERAS,
    FURNITURE_TEXTS,
    NOW,
    PAYWALLS,
    STRUCTURED,
    Shape,
    build,
    shapes,
)

SHAPES = shapes(240, seed=3)


def test_the_shapes_cover_every_axis() -> None:
    assert {s.era for s in SHAPES} == set(ERAS)
    assert {s.classes for s in SHAPES} == set(CLASS_STYLES)
    assert {s.structured for s in SHAPES} == set(STRUCTURED)
    assert {s.date_form for s in SHAPES} >= set(DATE_FORMS) - {"iso"}
    assert {s.body_kind for s in SHAPES} == set(BODY_KINDS)
    assert {s.paywall for s in SHAPES} == set(PAYWALLS)


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_every_shape_gives_the_truth(shape: Shape) -> None:
    truth, html, url = build(shape)
    item = extract_html(html, url, now=NOW)
    body = item.articleBody or ""

    assert item.headline == truth.headline
    assert item.datePublished == truth.published.isoformat()
    assert [a["name"] for a in item.authors] == truth.authors
    assert body.split("\n\n")[0] == truth.paragraphs[0]
    assert body.split("\n\n")[-1] == truth.paragraphs[-1]
    assert body == "\n\n".join(truth.paragraphs)
    assert [t for t in (*FURNITURE_TEXTS, *truth.outside) if t in body] == []
    assert item.isAccessibleForFree is (not truth.premium)
    assert item.bodyTruncated is truth.premium
    assert item.kicker == truth.kicker
    assert item.description == truth.chapo
    assert item.category == truth.category
    assert item.mainImage is not None
    assert item.mainImage["credit"] == truth.credit
    # articleBodyHtml holds the same paragraphs, as clean HTML.
    html_body = item.articleBodyHtml or ""
    assert html_body.startswith(("<p>", "<ul>", "<h2>", "<blockquote>"))
    assert " class=" not in html_body
    assert " id=" not in html_body
    assert "<script" not in html_body
    assert item.metadata["validationMessages"] == []


@pytest.mark.parametrize("shape", SHAPES[:60], ids=[s.name for s in SHAPES[:60]])
def test_no_text_field_holds_markup(shape: Shape) -> None:
    _truth, html, url = build(shape)
    item = extract_html(html, url, now=NOW)
    assert text_fields_with_markup(item.to_dict()) == []


def text_fields_with_markup(data: object, path: str = "") -> list[str]:
    """Every text of an item (metadata and articleBodyHtml aside) that holds a tag, an
    entity, a non-breaking or zero-width space."""
    bad: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("metadata", "articleBodyHtml"):
                continue
            bad += text_fields_with_markup(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            bad += text_fields_with_markup(value, f"{path}[{i}]")
    elif isinstance(data, str) and (
        has_markup(data) or any(ch in data for ch in "\u00a0\u202f\u200b\u00ad\ufeff")
    ):
        bad.append(f"{path}: {data[:80]!r}")
    return bad
