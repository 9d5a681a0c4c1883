"""What makes two items the same article, and the same version of it."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlsplit

from atlantico.items import Article

# The fields that make up an article's content; a change in any of them is a new revision.
# Provenance (metadata), listing membership (sections) and URL spellings are not content.
CONTENT_FIELDS = (
    "headline", "kicker", "description", "datePublished", "dateModified", "authors",
    "articleBody", "mainImage", "category", "type", "tags", "themes", "isAccessibleForFree",
    "bodyTruncated",
)  # fmt: skip


def article_key(url: str) -> str:
    """A stable key for an article: its canonical URL without scheme and host.

    The same key whether the site is crawled live, through a mirror or as the replica.

    >>> article_key("https://atlantico.fr/article/decryptage/la-france?x=1")
    '/article/decryptage/la-france?x=1'
    """
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def content_hash(item: Article) -> str:
    """SHA-256 of the article's content fields (author names only), as hex.

    >>> a = Article(headline="H", articleBody="B")
    >>> content_hash(a) == content_hash(Article(headline="H", articleBody="B", sections=["x"]))
    True
    >>> content_hash(a) == content_hash(Article(headline="H", articleBody="B2"))
    False
    """
    content = {name: getattr(item, name) for name in CONTENT_FIELDS}
    content["authors"] = [author["name"] for author in item.authors]
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
