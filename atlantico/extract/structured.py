"""Structured data of any shape: JSON-LD (hostile or not), microdata and RDFa.

JSON-LD shapes met on news sites: one object, a list, an ``@graph``, several scripts; nodes
that refer to each other by ``@id`` (``"author": {"@id": "#person-1"}``); ``@type`` a string or
a list; ``author`` a string, a Person, an Organization or a list of them; booleans as strings
(``"False"``). Hostile ones: a script of 200,000 nested ``[`` (``json.loads`` raises
RecursionError, not ValueError), scripts of megabytes, invalid JSON, valid JSON nested
hundreds of levels deep. None of them raises here: the block is set aside, the problem is
named in :attr:`JsonLd.problems` (the item's ``metadata.jsonldProblems``), and the DOM layers
fill the fields.

Microdata (``itemprop``) and RDFa (``property``, e.g. Drupal 7's
``<span property="dc:date dc:created" content="…">``) are read through :class:`SemanticIndex`,
built in the one pass over the page that :mod:`atlantico.extract.page` makes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# schema.org types of news articles ("NewsArticle", "ReportageNewsArticle", "BlogPosting"…).
ARTICLE_TYPE_ENDINGS = ("Article", "BlogPosting", "LiveBlogPosting", "Report")
# A JSON-LD script larger than this is not an article's metadata (the site's run a few KB): it
# is skipped unparsed, so that a hostile page costs no more than a normal one.
MAX_BLOCK_CHARS = 500_000
# Deeper than this, nodes are not looked at (an article's JSON-LD nests 3 to 5 levels).
MAX_DEPTH = 24


def _is_article(node: dict[str, Any]) -> bool:
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(name, str) and name.endswith(ARTICLE_TYPE_ENDINGS) for name in names)


def _strip_wrappers(block: str) -> str:
    text = block.strip()
    # CMS templates wrap scripts in HTML comments or CDATA markers.
    for start, end in (("<!--", "-->"), ("/*<![CDATA[*/", "/*]]>*/"), ("<![CDATA[", "]]>")):
        if text.startswith(start) and text.endswith(end):
            text = text[len(start) : -len(end)].strip()
    return text.rstrip(";")


@dataclass
class JsonLd:
    """The JSON-LD of one page: its top-level nodes, ``@id`` index and the Article node."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def article(self) -> dict[str, Any] | None:
        return self.articles[0] if self.articles else None

    def resolve(self, value: Any) -> Any:
        """A ``{"@id": …}`` reference replaced by the node it names (one level)."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2:
            found = self.by_id.get(str(value["@id"]))
            if found is not None and found is not value:
                return found
        if isinstance(value, list):
            return [self.resolve(v) for v in value[:50]]
        return value

    def get(self, key: str) -> Any:
        """``key`` of the first Article node that has it, references resolved."""
        for node in self.articles:
            value = node.get(key)
            if value not in (None, "", []):
                return self.resolve(value)
        return None


def parse_jsonld(blocks: Iterable[str]) -> JsonLd:
    """Parse every JSON-LD script of a page; never raises.

    >>> ld = parse_jsonld(['[' * 200_000, '{"@graph": [{"@type": "Person", "@id": "#p",'
    ...     ' "name": "Ana"}, {"@type": "NewsArticle", "author": {"@id": "#p"}}]}'])
    >>> ld.get("author")["name"], ld.problems
    ('Ana', ['block 1: nested too deep to parse'])
    """
    out = JsonLd()
    for number, block in enumerate(blocks, start=1):
        if len(block) > MAX_BLOCK_CHARS:
            out.problems.append(f"block {number}: {len(block)} characters, not parsed")
            continue
        text = _strip_wrappers(block)
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)  # strict=False: raw newlines in strings
        except RecursionError:
            out.problems.append(f"block {number}: nested too deep to parse")
            continue
        except ValueError:
            out.problems.append(f"block {number}: invalid JSON")
            continue
        _collect(data, out, number)
    # An Article node with a headline first: a page may carry a small one for a related item.
    out.articles.sort(key=lambda node: 0 if node.get("headline") else 1)
    return out


def _collect(data: Any, out: JsonLd, number: int) -> None:
    """Top-level nodes (the block, its list entries, its ``@graph``) and every ``@id``,
    walked without recursion and no deeper than MAX_DEPTH."""
    stack: list[tuple[Any, int, bool]] = [(data, 0, True)]
    too_deep = False
    seen = 0
    while stack:
        value, depth, top = stack.pop()
        seen += 1
        if seen > 50_000:
            out.problems.append(f"block {number}: too many values, the rest not read")
            return
        if depth > MAX_DEPTH:
            too_deep = True
            continue
        if isinstance(value, list):
            stack.extend((entry, depth + 1, top) for entry in reversed(value))
        elif isinstance(value, dict):
            if top:
                out.nodes.append(value)
                if _is_article(value):
                    out.articles.append(value)
                main = value.get("mainEntity")
                if isinstance(main, dict) and _is_article(main):
                    out.articles.append(main)
            node_id = value.get("@id")
            if isinstance(node_id, str) and len(value) > 2:
                out.by_id.setdefault(node_id, value)
            for key, child in value.items():
                if isinstance(child, dict | list):
                    stack.append((child, depth + 1, top and key == "@graph"))
    if too_deep:
        out.problems.append(f"block {number}: nested deeper than {MAX_DEPTH} levels, not read")


# -- values ------------------------------------------------------------------------------------


def text_value(value: Any) -> str | None:
    """A value that should be text: strings kept, first of a list, ``name`` of a node.

    >>> text_value([{"@value": "x"}]), text_value(12), text_value(True)
    ('x', '12', None)
    """
    for _ in range(MAX_DEPTH):
        if isinstance(value, str):
            return value
        if isinstance(value, list) and value:
            value = value[0]
        elif isinstance(value, dict):
            value = value.get("name") or value.get("@value") or value.get("text")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        else:
            return None
    return None


def text_list(value: Any) -> list[str]:
    """A value that should be a list of texts; a comma-separated string is split.

    >>> text_list("IA, Twitter"), text_list(["BBC", {"name": "IA"}])
    (['IA', 'Twitter'], ['BBC', 'IA'])
    """
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [text for entry in value[:200] if (text := text_value(entry))]
    single = text_value(value)
    return [single] if single else []


# Names that are the publisher, not a person who signed: an Organization author named like
# the site is the house byline, not an author.
SITE_NAMES = frozenset({"atlantico", "atlantico.fr", "la rédaction", "redaction", "rédaction"})


def people(value: Any, ld: JsonLd | None = None) -> list[tuple[str, str | None]]:
    """``author`` as (name, url) pairs; the name may still hold several people.

    >>> people([{"@type": "Person", "name": "A", "url": "/author/a-1"}, "B",
    ...         {"@type": "Organization", "name": "Atlantico"}])
    [('A', '/author/a-1'), ('B', None)]
    """
    entries = value if isinstance(value, list) else [value]
    out: list[tuple[str, str | None]] = []
    for entry in entries[:50]:
        if ld is not None:
            entry = ld.resolve(entry)
        if isinstance(entry, str) and entry.strip():
            out.append((entry, None))
        elif isinstance(entry, dict):
            name = text_value(entry.get("name"))
            if not name:
                given, family = entry.get("givenName"), entry.get("familyName")
                if isinstance(given, str) and isinstance(family, str):
                    name = f"{given} {family}"
            if not name:
                continue
            types = entry.get("@type")
            kinds = types if isinstance(types, list) else [types]
            if "Organization" in kinds and name.strip().casefold() in SITE_NAMES:
                continue
            url = entry.get("url") or entry.get("@id")
            url = url if isinstance(url, str) and "/" in url and not url.startswith("#") else None
            out.append((name, url))
    return out


def image_url(value: Any) -> str | None:
    """``image`` as one URL.

    >>> image_url({"@type": "ImageObject", "url": "https://x/a.jpg"}), image_url(["https://x/b"])
    ('https://x/a.jpg', 'https://x/b')
    """
    for _ in range(MAX_DEPTH):
        if isinstance(value, str):
            return value or None
        if isinstance(value, list) and value:
            value = value[0]
        elif isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl")
        else:
            return None
    return None


def free_flag(ld: JsonLd) -> Any:
    """``isAccessibleForFree`` of the article, or of a ``hasPart`` (Google's paywall markup:
    ``{"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": …}``)."""
    value = ld.get("isAccessibleForFree")
    if value is not None:
        return value
    parts = ld.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if isinstance(part, dict) and part.get("isAccessibleForFree") is not None:
            return part["isAccessibleForFree"]
    return None
