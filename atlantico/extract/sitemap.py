"""Sitemaps: article URLs with their last modification, and child sitemaps of an index.

Parsed with Scrapy's :class:`~scrapy.utils.sitemap.Sitemap` (lxml with entity resolution off,
so a "billion laughs" file cannot expand).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from atlantico.dates import parse_iso


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None


def read_sitemap(body: bytes) -> tuple[list[SitemapEntry], list[str]]:
    """(URL entries, child sitemap URLs) of a sitemap or sitemap index; empty when unreadable.

    >>> entries, children = read_sitemap(b'<?xml version="1.0"?><urlset xmlns='
    ...     b'"http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.fr/x</loc>'
    ...     b'<lastmod>2026-11-20T10:00:00+01:00</lastmod></url></urlset>')
    >>> entries[0].url, entries[0].lastmod.isoformat(), children
    ('https://a.fr/x', '2026-11-20T10:00:00+01:00', [])
    """
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body)
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml raises several types on garbage; all mean "not a sitemap"
        return [], []
    entries: list[SitemapEntry] = []
    children: list[str] = []
    for entry in sitemap:
        loc = entry.get("loc")
        if not loc:
            continue
        if sitemap.type == "sitemapindex":
            children.append(loc)
        else:
            lastmod = entry.get("lastmod")
            entries.append(SitemapEntry(loc, parse_iso(lastmod) if lastmod else None))
    return entries, children
