"""What an extracted article still needs from discovery: its sections by the rules, the
other URLs that led to it, and whether the run keeps it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from scrapy.http import Response, TextResponse

from atlantico.discovery.rules import SectionRules
from atlantico.discovery.state import Discovery
from atlantico.identity import article_key
from atlantico.items import Article
from atlantico.urls import first_asked

# How an article was found when no listing showed it: its page says which sections it is in.
# The retry queue and revisits too, for an entry queued without sections.
OUTSIDE_LISTINGS = frozenset({"sitemap", "news-sitemap", "rss", "retry-queue", "revisit"})


def settle(
    item: Article,
    *,
    via: str,
    rules: SectionRules,
    fallback: Iterable[str],
    wanted: Iterable[str],
    since: datetime | None,
    asked: Iterable[str],
    canonical: Callable[[str], str],
) -> str | None:
    """Complete ``item`` in place; the reason to drop it (a stat name), or None to keep it.

    Sections: a section read from the sitemaps (``fallback``) takes every article its rule
    matches, whatever found it; an article found outside the listings with no section yet is
    matched against every wanted section. ``asked``: the URLs requested for it (legacy
    spellings, redirects), kept as ``metadata.aliases``.

    >>> rules = SectionRules({"h": {"category": "High-tech"}}, ["h"])
    >>> item = Article(url="https://a.fr/article/pepite/x", category="High-tech",
    ...                articleKey="/article/pepite/x", datePublished="2026-11-20T10:00:00+01:00")
    >>> settle(item, via="sitemap", rules=rules, fallback=["h"], wanted=["h"], since=None,
    ...        asked=["https://a.fr/pepites/x-12.html"], canonical=str)
    >>> item.sections, item.metadata["aliases"]
    (['h'], ['/pepites/x-12.html'])
    """
    keys = set(fallback)
    if via in OUTSIDE_LISTINGS and not item.sections:
        keys |= set(wanted)
    item.sections = sorted(set(item.sections) | rules.of_item(item, keys))
    if not item.sections and via in OUTSIDE_LISTINGS:
        return "not_in_sections"
    aliases = {article_key(canonical(url)) for url in asked} - {item.articleKey}
    if aliases:
        item.metadata["aliases"] = sorted(aliases)
    if since and item.datePublished and datetime.fromisoformat(item.datePublished) < since:
        return "before_since"
    return None


def article_meta(
    sections: Iterable[str], via: str, aliases: Iterable[str] = (), *, early: bool = False
) -> dict[str, Any]:
    """The ``meta`` of an article request: what the retry queue, the conditional middleware
    (``sections`` makes it an article request) and the article callback read.

    >>> article_meta({"h", "d"}, "listing", early=True)
    {'sections': ['d', 'h'], 'discovered_via': 'listing', 'aliases': [], 'early': True}
    """
    meta: dict[str, Any] = {"sections": sorted(sections), "discovered_via": via}
    meta["aliases"] = sorted(aliases)
    if early:
        meta["early"] = True
    return meta


def keep_early(response: Response, run: Discovery) -> bool:
    """Whether ``response`` answers a request made before the listings were read (the retry
    queue, a revisit) while they still are: then the page is kept, to be read once with every
    section found for it (:meth:`~atlantico.discovery.aliases.Found.keep`)."""
    meta = response.meta
    if not meta.get("early") or run.phases.reading:
        return False
    asked = run.site.canonical(first_asked(meta, response.url))
    answered = {run.site.canonical(url) for url in (response.url, *meta.get("redirect_urls", ()))}
    run.found.keep(asked, answered, meta["sections"], meta["discovered_via"], response)
    return True


def read_article(
    response: TextResponse,
    sections: Iterable[str],
    via: str,
    aliases: Iterable[str],
    run: Discovery,
    item: Article | None = None,
) -> tuple[Article, str | None]:
    """The item of an article page with every section found for it; the reason to drop it (a
    stat name) or None.

    Sections: those of the request, those waiting for this page (a dropped redirect, a
    listing seen after the request was made), and those of the page's own URL when it was
    served under another one (a legacy URL answering 200), which is then not asked again.
    ``item``: the page already extracted (by :mod:`atlantico.reading`), without its sections.
    """
    here = run.site.canonical(response.url)
    if item is None:
        from atlantico.extract import extract_article  # not before a page needs it

        item = extract_article(response, base_url=run.site.base_url, discovered_via=via)
    # Read now, not before the extraction: a worker may have read the page meanwhile.
    item.sections = sorted(set(sections) | run.found.parsing(here))
    asked = [*response.meta.get("redirect_urls", []), response.url, *aliases]
    if item.canonicalUrl:
        more, more_aliases = run.found.claim(run.site.canonical(item.canonicalUrl), here)
        item.sections = sorted(set(item.sections) | more)
        asked.extend(more_aliases)
    dropped = settle(
        item,
        via=via,
        rules=run.rules,
        fallback=run.fallback,
        wanted=run.wanted,
        since=run.since,
        asked=asked,
        canonical=run.site.canonical,
    )
    if dropped is None:
        run.found.parsed_as(here, item.sections)
    return item, dropped
