"""JSON-LD: the Article node of a page, whatever its shape (kept for rendering.py's use).

The parsing itself, safe against hostile scripts, is :func:`atlantico.extract.structured
.parse_jsonld`; this module keeps the small interface other modules call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from atlantico.extract.structured import (
    ARTICLE_TYPE_ENDINGS,
    image_url,
    parse_jsonld,
    people,
    text_list,
    text_value,
)

ARTICLE_TYPES = ARTICLE_TYPE_ENDINGS

__all__ = [
    "ARTICLE_TYPES",
    "find_article_node",
    "image_url",
    "people",
    "text_list",
    "text_value",
]


def find_article_node(blocks: Iterable[str]) -> tuple[dict[str, Any] | None, int]:
    """The first JSON-LD node whose ``@type`` is an Article type, and the count of blocks
    that could not be used (invalid, nested too deep, too large).

    >>> node, broken = find_article_node(['{oops', '{"@graph": [{"@type": "WebSite"},'
    ...     ' {"@type": ["Article", "NewsArticle"], "headline": "H"}]}'])
    >>> node["headline"], broken
    ('H', 1)
    """
    ld = parse_jsonld(blocks)
    return ld.article, len(ld.problems)
