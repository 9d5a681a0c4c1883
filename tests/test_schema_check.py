"""The compiled schema check never accepts what Spidermon's jsonschema validator refuses, and the
schema pipeline rejects, counts and explains exactly what Spidermon's own pipeline does."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import sys
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline
from spidermon.contrib.validation import JSONSchemaValidator

from atlantico import settings as project
from atlantico.exceptions import RejectedItem
from atlantico.fields import item_fields
from atlantico.items import Article
from atlantico.pipelines.schema import PY_SPACE, SchemaPipeline, compiled_check
from atlantico.schema import ARTICLE_SCHEMA
from atlantico.spiders.atlantico import AtlanticoSpider

# Values on which ECMA regexes, Rust and Python's re or the date checkers are known to differ,
# and ordinary bad values.
TRICKY_STRINGS = [
    "",
    " ",
    "Titre",
    "Titre ",
    " Titre",
    "Titre\n",
    "Ti\ntre",
    "Ti\rtre",
    "\x1cTitre",
    "Titre\x1f",
    "\x85Titre",
    "Titre\x85",
    "\ufeffTitre",
    "\xa0Titre",
    "Titre\u2028",
    "Ti\u2029tre",
    "\u3000",
    "😀",
    "Ti\x00tre",
    "https://atlantico.fr/article/x",
    "https://atlantico.fr/article/\x1cx",
    "https://atlantico.fr/article/\x85x",
    "https://atlantico.fr/article/x\n",
    "https://atl\u00a0antico.fr/x",
    "/article/decryptage/x",
    "/article/\x1c",
    "article/x",
    "2026-11-20T08:00:00+01:00",
    "2026-11-20T08:00:00+01:00\n",
    "２０２６-11-20T08:00:00+01:00",
    "٢٠٢٦-11-20T08:00:00+01:00",
    "2026-11-20t08:00:00+01:00",
    "2026-11-20T08:00:00Z",
    "2026-11-20T08:00:00z",
    "2026-11-20T08:00:00.25+00:00",
    "2026-12-31T23:59:60+00:00",
    "2026-02-30T08:00:00+00:00",
    "2026-11-20T24:00:00+00:00",
    "2026-11-20T08:00:00+23:59",
    "2026-11-20T08:00:00+24:00",
    "2026-11-20T08:60:00+00:00",
    "2026-11-20 08:00:00+00:00",
    "fr",
    "FR",
    "fra",
    "f",
    "decryptages",
    "high-tech",
    "High-tech",
    "json-ld",
    "0" * 64,
    "A" * 64,
    "0" * 63,
]
TRICKY_VALUES: list[Any] = [
    *TRICKY_STRINGS,
    None,
    True,
    False,
    0,
    1,
    -1,
    1.0,
    1.5,
    [],
    ["decryptages"],
    ["x", "x"],
    [1],
    [None],
    {},
    {"name": "A"},
    {"name": "A", "nameRaw": "A", "url": None},
    {"name": "", "nameRaw": "A", "url": None},
    {"name": "A", "nameRaw": "A", "url": "https://atlantico.fr/author/a-1"},
    {"name": "A", "nameRaw": "A", "url": "https://atlantico.fr/author/\x85a"},
    {"url": "https://atlantico.fr/i.jpg", "caption": None, "credit": None},
    {"url": "https://atlantico.fr/i.jpg", "caption": "\x1cx", "credit": None},
]


def valid_article() -> Article:
    return Article(
        articleKey="/article/decryptage/x",
        contentHash="0" * 64,
        url="https://atlantico.fr/article/decryptage/x",
        canonicalUrl="https://atlantico.fr/article/decryptage/x",
        articleId="1",
        headline="Un titre",
        kicker="Mea culpa",
        description="Le chapo.",
        datePublished="2026-11-20T08:00:00+01:00",
        datePublishedRaw="20 novembre 2026",
        authors=[{"name": "Anne Dupont", "nameRaw": "Par Anne Dupont", "url": None}],
        articleBody="Un corps.\n\nDeux.",
        mainImage={"url": "https://atlantico.fr/i.jpg", "caption": "Légende", "credit": "AFP"},
        inLanguage="fr",
        category="High-tech",
        type="decryptage",
        tags=["IA"],
        sections=["decryptages"],
        isAccessibleForFree=True,
        wordCount=3,
        metadata={
            "dateDownloaded": "2026-11-20T08:00:00+00:00",
            "sources": {"headline": "json-ld"},
            "validationMessages": [],
        },
    )


def mutations(seed: int, count: int) -> list[dict[str, Any]]:
    """Valid items with one to three fields (top level or nested) set to a tricky value."""
    rng = random.Random(seed)
    base = ItemAdapter(valid_article()).asdict()
    nested = {
        "authors": lambda d, v: d["authors"][0].__setitem__(rng.choice(["name", "url"]), v),
        "mainImage": lambda d, v: d["mainImage"].__setitem__(
            rng.choice(["url", "caption", "credit"]), v
        ),
        "metadata": lambda d, v: d["metadata"].__setitem__(
            rng.choice(["dateDownloaded", "discoveredVia"]), v
        ),
        "sources": lambda d, v: d["metadata"]["sources"].__setitem__("headline", v),
        "tags": lambda d, v: d["tags"].append(v),
    }
    out = []
    for _ in range(count):
        data = ItemAdapter(valid_article()).asdict()
        for _ in range(rng.randint(1, 3)):
            value = rng.choice(TRICKY_VALUES)
            value = dict(value) if isinstance(value, dict) else value
            where = rng.choice([*base, *nested])
            if where in nested:
                nested[where](data, value)
            else:
                data[where] = value
        out.append(data)
    return out


SPIDERMON = JSONSchemaValidator(ARTICLE_SCHEMA)
CHECK = compiled_check(ARTICLE_SCHEMA)


def test_the_article_schema_is_compiled() -> None:
    assert CHECK is not None
    assert CHECK(ItemAdapter(valid_article()).asdict())


@pytest.mark.parametrize("value", TRICKY_VALUES, ids=repr)
@pytest.mark.parametrize(
    "field", ["headline", "url", "articleKey", "datePublished", "inLanguage", "contentHash"]
)
def test_compiled_check_never_accepts_what_spidermon_refuses(field: str, value: Any) -> None:
    assert CHECK is not None
    data = ItemAdapter(valid_article()).asdict()
    data[field] = value
    ok, errors = SPIDERMON.validate(data)
    if CHECK(data):
        assert ok, errors


def test_compiled_check_agrees_on_random_mutations() -> None:
    assert CHECK is not None
    accepted = refused = 0
    for data in mutations(seed=14, count=3000):
        ok, errors = SPIDERMON.validate(data)
        if CHECK(data):
            assert ok, (data, errors)
            accepted += 1
        else:
            refused += 1
    # Both outcomes are exercised.
    assert accepted > 100
    assert refused > 100


def pipelines() -> tuple[tuple[SchemaPipeline, Any], tuple[ItemValidationPipeline, Any]]:
    settings = {
        "SPIDERMON_ENABLED": True,
        "SPIDERMON_VALIDATION_SCHEMAS": project.SPIDERMON_VALIDATION_SCHEMAS,
        "SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS": True,
    }
    ours = get_crawler(AtlanticoSpider, settings)
    theirs = get_crawler(AtlanticoSpider, settings)
    return (
        (SchemaPipeline.from_crawler(ours), ours),
        (ItemValidationPipeline.from_crawler(theirs), theirs),
    )


def test_same_rejects_messages_and_stats_as_spidermon() -> None:
    (ours, our_crawler), (theirs, their_crawler) = pipelines()
    rejected = 0
    for data in mutations(seed=7, count=400):
        item = Article(**data)
        ours_error: RejectedItem | None = None
        theirs_dropped = False
        try:
            assert ours.process_item(item) is item
        except RejectedItem as error:
            ours_error = error
        try:
            theirs.process_item(Article(**data))
        except DropItem:
            theirs_dropped = True
        assert (ours_error is not None) == theirs_dropped, data
        if ours_error is not None:
            rejected += 1
            assert ours_error.errors == SPIDERMON.validate(data)[1]
    assert rejected > 50
    spidermon_stats = {
        key: value
        for key, value in their_crawler.stats.get_stats().items()
        if key.startswith("spidermon/")
    }
    ours_stats = our_crawler.stats.get_stats()
    assert {k: v for k, v in ours_stats.items() if k.startswith("spidermon/")} == spidermon_stats
    assert ours_stats["atlantico/rejected/schema"] == rejected


def test_item_fields_is_asdict_without_the_copy() -> None:
    item = valid_article()
    fields = item_fields(item)
    assert fields == ItemAdapter(item).asdict()
    assert list(fields) == [f.name for f in dataclasses.fields(Article)]
    assert fields["authors"] is item.authors  # shared, not copied
    assert item_fields({"a": [1]}) == {"a": [1]}


def test_python_spaces_are_spelled_out_exactly() -> None:
    spelled = re.compile(f"[{PY_SPACE}]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(spelled.fullmatch(char)) == char.isspace() == bool(re.fullmatch(r"\s", char))


EXACT_PATTERNS = [r"^\S(.*\S)?$", r"^a.c$", r"b$", r"^[^\s/]+/\S*$", r"<(?:script|style)|\s(?:class|id)=",
                  r"^(x|y.)$", r"[.$]", r"^a$|c$", r"(b$)"]  # fmt: skip
PATTERN_TEXTS = ["", "a", "abc", "a\nc", "a\rc", "a\u2028c", "abc\n", "abc\n\n", "b", "b\n", "x",
                 "y\r", "y\n", " a", "a ", "\x1ca", "a\x85", "\ufeffa", "h/p", "h /p", "h/p q",
                 ' class="x"', "\u2003id=", "<script>", ".", "$", "\xa0"]  # fmt: skip


@pytest.mark.parametrize("pattern", EXACT_PATTERNS)
def test_translated_patterns_mean_what_they_mean_to_python(pattern: str) -> None:
    import jsonschema_rs

    from atlantico.pipelines.schema import python_pattern

    translated = {"type": "string", "pattern": python_pattern(pattern)}
    for text in PATTERN_TEXTS:
        assert jsonschema_rs.is_valid(translated, text) == bool(re.search(pattern, text)), text


def test_a_negated_pattern_is_checked_exactly() -> None:
    # The shape of a body-HTML field: text that must NOT hold some markup.
    schema = {
        "type": "object",
        "properties": {
            "html": {"type": ["string", "null"], "not": {"pattern": r"<script|\s(?:class|id)=|x.$"}}
        },
    }
    check = compiled_check(schema)
    assert check is not None
    validator = JSONSchemaValidator(schema)
    for text in [*PATTERN_TEXTS, *TRICKY_STRINGS, "<p>ok</p>", '<p\tclass="a">', "<p>x\r</p>x\n"]:
        ok, _ = validator.validate({"html": text})
        assert check({"html": text}) == ok, repr(text)


@pytest.mark.parametrize(
    "schema",
    [
        {"not": {"pattern": r"^\d+$"}},
        {"oneOf": [{"format": "date-time"}, {"type": "integer"}]},
        {"$defs": {"n": {"pattern": r"\d"}}, "not": {"$ref": "#/$defs/n"}},
        {"patternProperties": {r"^\d+$": {"type": "string"}}},
        {"properties": {"u": {"format": "uri"}}},
    ],
    ids=["not-digit", "oneOf-date-time", "ref-under-not", "digit-property-names", "other-format"],
)
def test_schemas_that_cannot_be_checked_exactly_are_left_to_spidermon(
    schema: dict[str, Any],
) -> None:
    assert compiled_check(schema) is None


def test_the_article_schema_of_the_extraction_branch_shape_compiles() -> None:
    # The schema with a negated body-HTML pattern under a $ref-free property, as extraction adds.
    schema = json.loads(json.dumps(ARTICLE_SCHEMA))
    schema["properties"]["articleBodyHtml"] = {
        "type": ["string", "null"],
        "minLength": 1,
        "not": {
            "type": "string",
            "pattern": r"<(?:script|style|iframe)|\s(?:class|id|style|on[a-z]+)=",
        },
    }
    assert compiled_check(schema) is not None
