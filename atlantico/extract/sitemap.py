"""Sitemap entries that belong to the site, read without expanding XML entities.

Scrapy's :class:`~scrapy.utils.sitemap.Sitemap` parses with lxml, ``resolve_entities=False``
and no network access, so a "billion laughs" file stays a few hundred bytes in memory and an
external entity is never fetched. Entries are then kept only when they are http(s) URLs on the
site's own host: a sitemap is server-controlled input like any page, and an entry pointing at
another host or at an internal address must not become a request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.utils.sitemap import Sitemap

from atlantico.middlewares.offsite_guard import ALLOWED_SCHEMES, is_site_host


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
