"""Validates each item against ``schema/article.schema.json``: Spidermon's rules, a compiled check.

An item that breaks the schema is rejected: kept out of the feeds, counted
(``atlantico/rejected/schema`` and ``atlantico/rejected/field/<field>``, besides Spidermon's
own ``spidermon/validation/...`` counters) and written to the rejects feed with its errors
by :class:`atlantico.extensions.rejects.RejectsFeed`. Settings: ``SPIDERMON_VALIDATION_SCHEMAS``
(the schema), ``SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS`` (``True``: reject).

Spidermon validates with jsonschema, about 0.7 ms per item here (its validator is rebuilt at
every call, and jsonschema walks the schema in Python). The schema is therefore compiled once
per run with jsonschema-rs (:func:`compiled_check`, a few microseconds per item), and an item
that check accepts is valid. Only an item it refuses goes through Spidermon's own validator,
which decides and writes the messages and stats, exactly as before. The compiled check must
therefore never accept what jsonschema refuses: it reads a copy of the schema in which the
patterns say what they say to Python's ``re`` (``\\s``, ``\\S``, ``.`` and ``$`` spelled out)
and ``date-time`` is narrowed to what ``rfc3339-validator`` accepts (:func:`python_semantics`);
where it is still stricter than jsonschema (``\\d``: ASCII digits only), Spidermon overrules
it, counted as ``atlantico/schema/fast_check_overruled``. A schema with a construct that
translation does not know (another format, ``\\w``...), or with a stricter part where stricter
could accept more (under ``not``, ``oneOf``...: :func:`inexact_in_negation`), is not compiled:
every item then takes Spidermon's path, with a warning.

Spidermon's validation imports jsonschema and its format checkers, about a tenth of a second
that every run paid before its first request. It is therefore loaded with the first item (or
when the spider closes, if no item came, so that Spidermon's validator stats are there all the
same): :mod:`atlantico.validation` holds it.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from atlantico.items import Article

if TYPE_CHECKING:
    from atlantico.validation import Validation

logger = logging.getLogger(__name__)

# Every character Python's ``re`` matches with ``\s`` in a str pattern (str.isspace()); ECMA
# regexes (jsonschema-rs) differ on \x1c-\x1f, \x85 and \ufeff.
# The list is checked against str.isspace over all of Unicode by tests/test_schema_check.py.
PY_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# RFC 3339 date-times as rfc3339-validator (jsonschema's "date-time" checker) reads them:
# upper-case T and Z, seconds 00-59 (jsonschema-rs also takes "t", "z" and leap seconds).
DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
KNOWN_FORMATS = {"date-time"}
# Escapes read alike by both engines (punctuation), and those translated below.
PLAIN_ESCAPE = re.compile(r"\\[\\/.\-+*?()\[\]{}|^$]")
TOKEN = re.compile(r"\\.|.", re.DOTALL)
# Python's `$` without MULTILINE: at the end, or before a newline that ends the text.
END = r"(?=\n?(?![\s\S]))"


class Untranslatable(ValueError):
    """A schema construct whose meaning may differ between jsonschema and jsonschema-rs."""


def python_pattern(pattern: str) -> str:
    r"""``pattern`` as jsonschema-rs must read it to mean what it means to Python's ``re``.

    ``\s``/``\S`` are spelled out (ECMA and Rust count other characters as spaces), ``.`` is
    "anything but a newline" (ECMA also stops at a carriage return, U+2028, U+2029), and ``$``
    is "at the end, or before a newline that ends the text", as in ``re.search``. ``\d`` is
    left: it is ASCII digits to jsonschema-rs, Unicode digits to Python, never more
    (:func:`inexact_in_negation` keeps it out of places where less would mean more).

    >>> python_pattern(r"^[^\s/.]+/\S*$") == rf"^[^{PY_SPACE}/.]+/[^{PY_SPACE}]*\n?$"
    True
    >>> python_pattern(r"^a$|b") == rf"^a{END}|b"
    True
    >>> python_pattern(r"^\w+$")
    Traceback (most recent call last):
    ...
    atlantico.pipelines.schema.Untranslatable: escape \w in pattern '^\\w+$'
    """
    out: list[str] = []
    in_class = False
    tokens = TOKEN.findall(pattern)
    for position, token in enumerate(tokens):
        if token == "[" and not in_class:
            in_class = True
            out.append(token)
        elif token == "]" and in_class:
            in_class = False
            out.append(token)
        elif token == r"\s":
            out.append(PY_SPACE if in_class else f"[{PY_SPACE}]")
        elif token == r"\S" and not in_class:
            out.append(f"[^{PY_SPACE}]")
        elif token == "." and not in_class:
            out.append(r"[^\n]")
        elif token == "$" and not in_class:
            # Last in the pattern (the usual case), an optional newline then ECMA's end says the
            # same without a lookahead, which would cost jsonschema-rs a backtracking engine.
            out.append(r"\n?$" if position == len(tokens) - 1 else END)
        elif token == r"\d" or PLAIN_ESCAPE.fullmatch(token):
            out.append(token)
        elif token.startswith("\\"):
            raise Untranslatable(f"escape {token} in pattern {pattern!r}")
        else:
            out.append(token)
    return "".join(out)


def python_semantics(schema: Any) -> Any:
    """A copy of ``schema`` that jsonschema-rs reads as jsonschema does, or at most stricter."""
    if isinstance(schema, list):
        return [python_semantics(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: python_semantics(value) for key, value in schema.items()}
    if isinstance(schema.get("pattern"), str):
        out["pattern"] = python_pattern(schema["pattern"])
    if isinstance(schema.get("patternProperties"), dict):
        out["patternProperties"] = {
            python_pattern(key): python_semantics(value)
            for key, value in schema["patternProperties"].items()
        }
    fmt = schema.get("format")
    if isinstance(fmt, str):
        if fmt not in KNOWN_FORMATS:
            raise Untranslatable(f"format {fmt!r}")
        out["allOf"] = [*out.get("allOf", []), {"pattern": DATE_TIME}]
    return out


# Keywords under which a stricter subschema can make the whole schema accept more.
NOT_MONOTONE = frozenset(
    {"not", "oneOf", "if", "then", "else", "dependentSchemas", "unevaluatedProperties",
     "unevaluatedItems"}
)  # fmt: skip


def inexact_in_negation(schema: Any) -> str | None:
    r"""Where the translated schema is only *stricter* than jsonschema (``\d``, the narrowed
    ``date-time``) in a place where stricter can accept more (under ``not``, ``oneOf``...,
    ``$ref`` followed), or None.

    >>> inexact_in_negation({"not": {"pattern": r"^\d$"}})
    "pattern '^\\\\d$' under not"
    >>> dates = {"d": {"format": "date-time"}}
    >>> inexact_in_negation({"$defs": dates, "oneOf": [{"$ref": "#/$defs/d"}]})
    'format under oneOf'
    >>> inexact_in_negation({"properties": {"d": {"pattern": r"^\d$"}}, "not": {"pattern": "a.$"}})
    """
    seen: set[tuple[str, bool]] = set()

    def resolve(ref: str) -> Any:
        node: Any = schema
        for part in ref.removeprefix("#/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def walk(node: Any, under: str | None) -> str | None:
        if isinstance(node, list):
            return next((found for item in node if (found := walk(item, under))), None)
        if not isinstance(node, dict):
            return None
        if under is not None:
            pattern = node.get("pattern")
            if isinstance(pattern, str) and r"\d" in pattern:
                return f"pattern {pattern!r} under {under}"
            if isinstance(node.get("format"), str):
                return f"format under {under}"
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and (ref, under is None) not in seen:
            seen.add((ref, under is None))
            try:
                target = resolve(ref) if ref != "#" else schema
            except (KeyError, IndexError, ValueError):
                return f"unresolved $ref {ref!r}"
            if found := walk(target, under):
                return found
        for key, value in node.items():
            if key in {"$defs", "definitions"}:
                continue  # read where they are referenced
            if key == "patternProperties" and isinstance(value, dict):
                keys = [k for k in value if r"\d" in k]
                if keys:
                    return f"pattern {keys[0]!r} in patternProperties"
            if found := walk(value, key if key in NOT_MONOTONE else under):
                return found
        return None

    return walk(schema, None)


def compiled_check(schema: dict[str, Any]) -> Callable[[dict[str, Any]], bool] | None:
    """``is_valid`` of the schema compiled by jsonschema-rs, or None when it cannot be trusted.

    >>> check = compiled_check({"type": "object", "properties": {"t": {"pattern": r"^\\S+$"}}})
    >>> check({"t": "titre"}), check({"t": "ti\\x1ctre"}), check({"t": "ti tre"})
    (True, False, False)
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a pinned requirement
        return None
    try:
        translated = python_semantics(copy.deepcopy(schema))
        if where := inexact_in_negation(schema):
            raise Untranslatable(where)
        validator = jsonschema_rs.validator_for(translated, validate_formats=True)
    except (Untranslatable, ValueError) as error:
        logger.warning("Schema not compiled (%s): every item is checked by Spidermon", error)
        return None

    def is_valid(data: dict[str, Any]) -> bool:
        try:
            return bool(validator.is_valid(data))
        except (ValueError, TypeError, UnicodeError):
            return False  # not representable in Rust (a lone surrogate...): Spidermon decides

    return is_valid


class SchemaPipeline:
    """Spidermon's item validation with the compiled check first (:class:`Validation`), loaded
    with the first item."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.validation: Validation | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        # What Spidermon's pipeline refuses at start, refused at start too; the schemas
        # themselves are loaded with the first item.
        if not settings.getbool("SPIDERMON_ENABLED"):
            raise NotConfigured("SPIDERMON_ENABLED is off")
        schemas = settings.get("SPIDERMON_VALIDATION_SCHEMAS")
        if not schemas or not isinstance(schemas, (list, tuple, dict)):
            raise NotConfigured(f"SPIDERMON_VALIDATION_SCHEMAS is not a list or dict: {schemas!r}")
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: Article) -> Article:
        validation = self.validation or self.load()
        return validation.process_item(item)

    def load(self) -> Validation:
        from atlantico.validation import Validation

        self.validation = Validation.from_crawler(self.crawler)
        return self.validation

    def spider_closed(self, spider: Spider) -> None:
        if self.validation is None:
            self.load()
