"""JSON-LD: find the Article node and read its values, whatever shape the page gives them.

Shapes met in the wild: one object, a list, an ``@graph``; ``@type`` a string or a list;
``author`` an object, a list or a plain string; ``image`` a string, an object or a list.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

logger = logging.getLogger(__name__)

# schema.org types of news articles (all end with "Article" but the blog ones).
ARTICLE_TYPES = ("Article", "BlogPosting", "LiveBlogPosting")


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _nodes(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _nodes(data["@graph"])


def _is_article(node: dict[str, Any]) -> bool:
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(name, str) and name.endswith(ARTICLE_TYPES) for name in names)


def find_article_node(blocks: Iterable[str]) -> tuple[dict[str, Any] | None, int]:
    """The first JSON-LD node whose ``@type`` is an Article type, and the count of broken blocks.

    >>> node, broken = find_article_node(['{oops', '{"@graph": [{"@type": "WebSite"},'
    ...     ' {"@type": ["Article", "NewsArticle"], "headline": "H"}]}'])
    >>> node["headline"], broken
    ('H', 1)
    """
    broken = 0
    for block in blocks:
        try:
            data = json.loads(block, strict=False)  # strict=False: raw newlines in strings
        except ValueError:
            broken += 1
            continue
        for node in _nodes(data):
            if _is_article(node):
                return node, broken
    return None, broken


def text_value(value: Any) -> str | None:
    """A JSON-LD value that should be text: strings kept, first of a list, ``name`` of a node."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return text_value(value[0])
    if isinstance(value, dict):
        return text_value(value.get("name") or value.get("@value"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def text_list(value: Any) -> list[str]:
    """A JSON-LD value that should be a list of texts; a comma-separated string is split.

    >>> text_list("IA, Twitter"), text_list(["BBC", {"name": "IA"}])
    (['IA', 'Twitter'], ['BBC', 'IA'])
    """
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [text for entry in value if (text := text_value(entry))]
    single = text_value(value)
    return [single] if single else []


def people(value: Any) -> list[tuple[str, str | None]]:
    """``author`` as (name, url) pairs; the name may still hold several people.

    >>> people([{"@type": "Person", "name": "A", "url": "/author/a-1"}, "B"])
    [('A', '/author/a-1'), ('B', None)]
    """
    entries = value if isinstance(value, list) else [value]
    out: list[tuple[str, str | None]] = []
    for entry in entries:
        if isinstance(entry, str) and entry.strip():
            out.append((entry, None))
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
            url = entry.get("url")
            out.append((entry["name"], url if isinstance(url, str) else None))
    return out


def image_url(value: Any) -> str | None:
    """``image`` as one URL.

    >>> image_url({"@type": "ImageObject", "url": "https://x/a.jpg"}), image_url(["https://x/b.jpg"])
    ('https://x/a.jpg', 'https://x/b.jpg')
    """
    if isinstance(value, str):
        return value or None
    if isinstance(value, list) and value:
        return image_url(value[0])
    if isinstance(value, dict):
        return image_url(value.get("url") or value.get("contentUrl"))
    return None
