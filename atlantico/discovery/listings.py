"""One page of a section's listing read into what discovery knows.

:func:`read_page` finds a page's article links and its next page (:class:`Listed`), and
:func:`take_listed` takes them in the walk's order: :func:`take_page` records the articles in
:class:`~atlantico.discovery.aliases.Found` and the walk's
:class:`~atlantico.discovery.phases.Walks`, and returns the
:class:`~atlantico.discovery.stop.PageReport` the stop policy decides on.
:func:`read_listing` does both at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from scrapy.http import Response, TextResponse

from atlantico.discovery.aliases import Found
from atlantico.discovery.phases import Walks
from atlantico.discovery.site import Site
from atlantico.discovery.state import Discovery
from atlantico.discovery.stop import PageReport
from atlantico.extract.listing import ListedArticle, article_links, next_page
from atlantico.store import Known

# The store's answer for canonical article URLs: those exported by earlier runs.
Lookup = Callable[[Iterable[str]], dict[str, Known]]


@dataclass(frozen=True)
class Taken:
    report: PageReport
    known: int
    """Articles of the page that earlier runs exported (not requested again)."""
    layer: str = "none"
    """Which selectors found the article links (``none``: no link at all)."""
    next_by: str = "none"
    """Which pagination form gave the next page (``none``: no next page)."""


@dataclass(frozen=True)
class Listed:
    """What a listing page shows, read, before its walk takes it (pages asked ahead wait)."""

    url: str
    entries: Sequence[ListedArticle]
    layer: str
    """Which selectors found the article links (``none``: no link at all)."""
    next_url: str | None
    next_by: str


def read_page(response: Response, *, page: int, site: Site) -> Listed:
    """A listing page's article links and next page, nothing recorded yet."""
    if not isinstance(response, TextResponse):
        return Listed(response.url, (), "none", None, "none")
    entries, layer = article_links(response, site.netloc)
    if not entries:
        return Listed(response.url, (), layer, None, "none")
    url, how = next_page(response, page)
    return Listed(response.url, entries, layer, url, how)


def take_listed(listed: Listed, *, key: str, page: int, run: Discovery, known: Lookup) -> Taken:
    """Page ``page`` of section ``key``'s listing, as read, recorded (:func:`take_page`)."""
    if not listed.entries:
        return Taken(_empty(page), 0, listed.layer)
    taken = take_page(
        listed.entries, key=key, page=page, next_url=listed.next_url, since=run.since,
        walks=run.walks, found=run.found, known=known, site=run.site,
    )  # fmt: skip
    return Taken(taken.report, taken.known, listed.layer, listed.next_by)


def read_listing(
    response: Response, *, key: str, page: int, run: Discovery, known: Lookup
) -> Taken:
    """Page ``page`` of section ``key``'s listing, read and recorded (:func:`take_page`)."""
    listed = read_page(response, page=page, site=run.site)
    return take_listed(listed, key=key, page=page, run=run, known=known)


def _empty(page: int) -> PageReport:
    return PageReport(page, 0, 0, 0, 0, 0, None, False)


def take_page(
    entries: Sequence[ListedArticle],
    *,
    key: str,
    page: int,
    next_url: str | None,
    since: datetime | None,
    walks: Walks,
    found: Found,
    known: Lookup,
    site: Site,
) -> Taken:
    """Record the articles of ``key``'s listing page ``page`` that are newer than ``since``
    and not exported before; what the page showed, for the stop policy.

    >>> found, walks, site = Found(), Walks(), Site.of("https://a.fr")
    >>> cards = [ListedArticle("https://a.fr/article/d/x?utm_source=n", None),
    ...          ListedArticle("https://a.fr/article/d/y", None)]
    >>> taken = take_page(cards, key="d", page=1, next_url=None, since=None, walks=walks,
    ...                   found=found, known=lambda urls: {}, site=site)
    >>> taken.report.fresh, taken.report.new, sorted(found)
    (2, 2, ['https://a.fr/article/d/x', 'https://a.fr/article/d/y'])
    >>> take_page(cards, key="d", page=2, next_url=None, since=None, walks=walks,
    ...           found=found, known=lambda urls: {}, site=site).report.new
    0
    """
    fresh = [site.canonical(e.url) for e in entries if not (since and e.date and e.date < since)]
    listed = walks.listed.setdefault(key, set())
    new = len(set(fresh) - listed)
    listed.update(fresh)
    exported = known(fresh)
    for article in fresh:
        if article not in exported:
            found.add(article, {key})
    report = PageReport(
        page=page,
        links=len(entries),
        older=len(entries) - len(fresh),
        fresh=len(fresh),
        known=len(exported),
        new=new,
        next_url=next_url,
        next_seen=next_url is not None and site.canonical(next_url) in walks.seen,
    )
    return Taken(report, sum(1 for article in fresh if article in exported))
