"""When a section's listing walk stops: one rule set for every pagination form.

The spider reports what a listing page showed (:class:`PageReport`); :func:`decide` answers
with the reason to stop, or ``None`` to read the next page. The reasons are stat names:
``atlantico/listing/stopped/<reason>``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StopPolicy:
    since: bool
    """A ``since`` date was given: a page holding only older articles ends the walk."""
    watermark: bool
    """Incremental run with a store: a page holding only exported articles ends the walk."""
    max_pages: int
    """Pages per section; 0 for no limit."""
    page_limit: int
    """The hard ceiling (``ATLANTICO_LISTING_PAGE_LIMIT``), whatever ``max_pages`` says."""


@dataclass(frozen=True)
class PageReport:
    page: int
    """1 for the section's first page."""
    links: int
    """Article links on the page."""
    older: int
    """Links whose card date is before ``since``."""
    fresh: int
    """Links kept (not older than ``since``)."""
    known: int
    """Kept links the store had exported before."""
    new: int
    """Kept links this walk had not listed on an earlier page."""
    next_url: str | None
    """The next page's canonical URL, when the page links one."""
    next_seen: bool
    """The next page was already read in this run (a pagination loop)."""

    @property
    def all_new(self) -> bool:
        """Every link of the page was kept and new to the store and to the walk: a walk that is
        likely to go on (:mod:`atlantico.discovery.ahead` asks pages ahead of it)."""
        return not self.known and not self.older and self.new == self.fresh


def decide(policy: StopPolicy, page: PageReport) -> str | None:
    """The reason to stop after ``page``, or None to go on to ``page.next_url``.

    >>> policy = StopPolicy(since=False, watermark=True, max_pages=0, page_limit=100)
    >>> report = PageReport(page=1, links=20, older=0, fresh=20, known=3, new=20,
    ...                     next_url="https://x/l?page=2", next_seen=False)
    >>> decide(policy, report) is None
    True
    >>> from dataclasses import replace
    >>> decide(policy, replace(report, known=20))
    'watermark'
    >>> decide(policy, replace(report, next_url=None))
    'last_page'
    >>> decide(policy, replace(report, next_seen=True))
    'loop'
    >>> decide(replace(policy, max_pages=1), report)
    'max_pages'
    """
    if policy.since and page.links and page.older == page.links:
        return "since"
    if policy.watermark and page.fresh and page.known == page.fresh:
        return "watermark"
    if policy.max_pages and page.page >= policy.max_pages:
        return "max_pages"
    if not page.new:
        return "no_new_articles"
    if page.page >= policy.page_limit:
        return "page_limit"
    if page.next_url is None:
        return "last_page"
    if page.next_seen:
        return "loop"
    return None


# How each reason is logged: INFO for the expected ends, WARNING for the ones that say the
# listing misbehaved or a ceiling was hit.
WARN_REASONS = frozenset({"no_new_articles", "page_limit", "loop"})
