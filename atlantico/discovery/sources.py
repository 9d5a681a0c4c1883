"""Which sitemaps and feeds a run reads, and which of their entries become article requests.

Pure: the spider passes what it knows (mode, store, sections unread or not found) and gets
back what to request; the entries of a sitemap or feed are recorded in
:class:`~atlantico.discovery.aliases.Found` by :func:`take_sitemap` and :func:`take_rss`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from atlantico.discovery.rules import SectionRules
from atlantico.extract.rss import RssEntry
from atlantico.extract.sitemap import SitemapEntry
from atlantico.store import Known

if TYPE_CHECKING:  # the run's state is built from this module's neighbours
    from atlantico.discovery.state import Discovery

# The setting naming the path of each sitemap or feed, by how its articles are "discovered".
PATHS = {
    "sitemap": "ATLANTICO_SITEMAP_INDEX",
    "news-sitemap": "ATLANTICO_NEWS_SITEMAP",
    "rss": "ATLANTICO_RSS",
}

# The store's answer for canonical article URLs: those exported by earlier runs.
Lookup = Callable[[Iterable[str]], dict[str, Known]]


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


def plan_for(run: Discovery, settings: Any, *, has_store: bool) -> list[tuple[str, str]]:
    """:func:`discovery_plan` for this run, with the paths its settings give."""
    return discovery_plan(
        mode=run.mode,
        has_store=has_store,
        unreadable=bool(run.walks.unreadable),
        fallback=bool(run.fallback),
        paths={via: settings.get(name) for via, name in PATHS.items()},
    )


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


def children_to_read(
    children: Iterable[SitemapEntry], run: Discovery, settings: Any
) -> list[SitemapEntry]:
    """The child sitemaps of an index this run reads (:func:`pick_children`), on the site: all
    in a backfill, else ``ATLANTICO_FALLBACK_SITEMAPS`` of them."""
    limit = 0 if run.mode == "backfill" else settings.getint("ATLANTICO_FALLBACK_SITEMAPS")
    picked = pick_children(children, since=run.since, limit=limit)
    return [child for child in picked if run.site.on_site(child.url)]


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


def newer(lastmod: datetime, record: Known) -> bool:
    """Whether a sitemap's lastmod is later than the version the store holds."""
    stored = record.date_modified or record.date_published
    return stored is None or lastmod > datetime.fromisoformat(stored)


def take_sitemap(
    entries: Iterable[SitemapEntry], *, via: str, run: Discovery, known: Lookup
) -> int:
    """Record the sitemap's articles worth requesting; how many changed since the store's copy.

    Unknown articles: in a backfill, every one of the monthly sitemaps; else those that may be
    of a section read from the sitemaps (``run.fallback``, its page tells). Known articles:
    those whose ``lastmod`` is later than the version exported.
    """
    site, found, keys = run.site, run.found, set(run.fallback)
    articles = {site.canonical(e.url): e for e in entries if site.is_article(e.url)}
    exported = known(articles)
    changed = 0
    for url, entry in articles.items():
        record = exported.get(url)
        if record is None:
            if url in found or (run.since and entry.lastmod and entry.lastmod < run.since):
                continue
            # Backfill: an article no listing showed. A fallback section: an article that
            # may be one of its own (its page will tell).
            if (via == "sitemap" and run.mode == "backfill") or may_belong(url, run.rules, keys):
                found.add(url, run.rules.by_url(url, keys), via=via)
        elif record.status == 200 and entry.lastmod and newer(entry.lastmod, record):
            changed += 1
            found.add(url, via=via)
    return changed


def take_rss(entries: Iterable[RssEntry], *, run: Discovery, known: Lookup) -> int:
    """Record the feed's new articles of the sections whose listing was unreadable or not
    found (by their rules); how many."""
    wanted = list(run.walks.unreadable | run.fallback)
    candidates: dict[str, set[str]] = {}
    for entry in entries:
        if run.site.is_article(entry.url):
            sections = run.rules.of(entry.url, entry.categories, wanted)
            if sections:
                candidates[run.site.canonical(entry.url)] = sections
    exported = known(candidates)
    new = 0
    for url, sections in candidates.items():
        if url not in exported and url not in run.found:
            new += 1
            run.found.add(url, sections, via="rss")
    return new
