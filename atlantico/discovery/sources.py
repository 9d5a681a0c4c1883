"""Which sitemaps and feeds a run reads, and which of their entries become article requests.

Pure: the spider passes what it knows (mode, store, sections unread or not found) and gets
back what to request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from atlantico.discovery.rules import SectionRules
from atlantico.extract.sitemap import SitemapEntry


def discovery_plan(
    *, mode: str, has_store: bool, unreadable: bool, fallback: bool, paths: dict[str, str | None]
) -> list[tuple[str, str]]:
    """(path, via) of the sitemaps and feeds to read after the listings.

    Backfill walks the monthly sitemaps; an incremental run with a store reads the news
    sitemap (what changed) and, when a section's listing could not be read, rss.xml (what is
    new). A section with no listing at all (fallback) reads all three.

    >>> paths = {"sitemap": "/sitemap-index.xml", "news-sitemap": "/news.xml", "rss": "/rss.xml"}
    >>> discovery_plan(mode="incremental", has_store=True, unreadable=False, fallback=False,
    ...                paths=paths)
    [('/news.xml', 'news-sitemap')]
    >>> [via for _, via in discovery_plan(mode="incremental", has_store=False, unreadable=False,
    ...                                   fallback=True, paths=paths)]
    ['sitemap', 'news-sitemap', 'rss']
    """
    wanted: list[str] = []
    if mode == "backfill" or fallback:
        wanted.append("sitemap")
    if (mode != "backfill" and has_store) or fallback:
        wanted.append("news-sitemap")
        if unreadable or fallback:
            wanted.append("rss")
    return [(path, via) for via in wanted if (path := paths.get(via))]


def pick_children(
    children: Iterable[SitemapEntry], *, since: datetime | None, limit: int
) -> list[SitemapEntry]:
    """The child sitemaps of an index worth reading.

    With ``since``: those changed since then (or with no date). Else the ``limit`` most
    recently changed (0: all of them): an incremental run that reads the sitemaps for a section
    with no listing needs the recent months, not the archive back to 2011.

    >>> from datetime import datetime, UTC
    >>> kids = [SitemapEntry(f"/s/{m}.xml", datetime(2026, m, 28, tzinfo=UTC)) for m in (9, 10, 11)]
    >>> [c.url for c in pick_children(kids, since=None, limit=2)]
    ['/s/11.xml', '/s/10.xml']
    >>> [c.url for c in pick_children(kids, since=datetime(2026, 10, 1, tzinfo=UTC), limit=1)]
    ['/s/10.xml', '/s/11.xml']
    """
    entries = list(children)
    if since is not None:
        return [c for c in entries if c.lastmod is None or c.lastmod >= since]
    if not limit:
        return entries
    dated = sorted(entries, key=lambda c: (c.lastmod is not None, c.lastmod), reverse=True)
    return dated[:limit]


def may_belong(url: str, rules: SectionRules, keys: Iterable[str]) -> bool:
    """Whether a sitemap article may be one of the ``keys`` sections: its URL's type says so,
    or some section's rule needs the page (a category) to tell.

    >>> rules = SectionRules({"d": {"type": "decryptage"}, "h": {"category": "High-tech"}},
    ...                      ["d", "h"])
    >>> may_belong("https://a.fr/article/pepite/x", rules, ["d"])
    False
    >>> may_belong("https://a.fr/article/pepite/x", rules, ["d", "h"])
    True
    """
    sections = list(keys)
    if not sections:
        return False
    if rules.by_url(url, sections):
        return True
    return not all(rules.decided_by_url(key) for key in sections)


def probe_candidates(
    entries: Iterable[tuple[str, Iterable[str]]], rules: SectionRules, missing: Iterable[str]
) -> list[str]:
    """Article URLs of a feed to read for a section link, likeliest first: those whose type or
    category matches a missing section's rule, then the others, in feed order.

    >>> rules = SectionRules({"h": {"category": "High-tech"}}, ["h"])
    >>> probe_candidates([("u1", ["Politique"]), ("u2", ["High-tech"])], rules, ["h"])
    ['u2', 'u1']
    """
    keys = list(missing)
    likely: list[str] = []
    others: list[str] = []
    for url, categories in entries:
        (likely if rules.of(url, categories, keys) else others).append(url)
    return likely + others
