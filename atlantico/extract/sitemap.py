"""Sitemap entries that belong to the site, read without expanding XML entities.

Scrapy's :class:`~scrapy.utils.sitemap.Sitemap` parses with lxml, ``resolve_entities=False``
and no network access, so a "billion laughs" file stays a few hundred bytes in memory and an
external entity is never fetched. Entries are then kept only when they are http(s) URLs on the
site's own host: a sitemap is server-controlled input like any page, and an entry pointing at
another host or at an internal address must not become a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from atlantico.dates import parse_iso
from atlantico.middlewares.offsite_guard import ALLOWED_SCHEMES, is_site_host


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None


def read_sitemap(body: bytes) -> tuple[list[SitemapEntry], list[SitemapEntry]]:
    """(URL entries, child sitemaps) of a sitemap or sitemap index; empty when unreadable.

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
    children: list[SitemapEntry] = []
    for entry in sitemap:
        loc = entry.get("loc")
        if not loc:
            continue
        lastmod = entry.get("lastmod")
        found = SitemapEntry(loc, parse_iso(lastmod) if lastmod else None)
        (children if sitemap.type == "sitemapindex" else entries).append(found)
    return entries, children


def sitemap_entries(body: bytes, site_host: str) -> tuple[list[str], list[str]]:
    """The ``<loc>`` URLs of a sitemap (or sitemap index): (kept, refused).

    >>> xml = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ...        b'<url><loc>https://atlantico.fr/article/a/b</loc></url>'
    ...        b'<url><loc>https://evil.example/x</loc></url>'
    ...        b'<url><loc>file:///etc/passwd</loc></url></urlset>')
    >>> sitemap_entries(xml, "atlantico.fr")
    (['https://atlantico.fr/article/a/b'], ['https://evil.example/x', 'file:///etc/passwd'])
    """
    kept: list[str] = []
    refused: list[str] = []
    for entry in Sitemap(body):
        url = str(entry.get("loc", "")).strip()
        parts = urlsplit(url)
        if parts.scheme in ALLOWED_SCHEMES and is_site_host(parts.netloc, site_host):
            kept.append(url)
        elif url:
            refused.append(url)
    return kept, refused
