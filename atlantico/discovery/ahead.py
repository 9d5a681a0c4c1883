"""Listing pages asked ahead of the walk, where the pagination is numbered.

A section's walk is a chain: page *n* tells page *n + 1*. In a fast crawl (a backfill, a
mirror, the first run of a store) that chain, not the machine, sets the pace of the walk, and
the articles wait for every walk to end. Where the pagination numbers its pages in the URL
(``?page=N``, ``/page/N``: found at run time, never assumed), a walk whose pages show only new
articles asks the next few pages at once. Their answers are still taken in order, each
checked against the link the page before it gave: the walk reads and stops exactly as it would
page by page, and a page asked ahead that the walk does not reach (past the last page, after a
stop) is left unread and counted.

Pure state: the spider passes what the pages said, and makes the requests this answers.

>>> ahead = Ahead(depth=2)
>>> ahead.go_on(1, "https://a.fr/l?page=2", eager=True, limit=0)  # the pager not yet confirmed
[(2, 'https://a.fr/l?page=2', False)]
>>> ahead.go_on(2, "https://a.fr/l?page=3", eager=True, limit=0)  # confirmed: two pages ahead
[(3, 'https://a.fr/l?page=3', False), (4, 'https://a.fr/l?page=4', True), \
(5, 'https://a.fr/l?page=5', True)]
>>> ahead.arrive(5, "https://a.fr/l?page=5", "page 5"), ahead.due()  # page 3 is not in yet
(True, None)
>>> ahead.arrive(3, "https://a.fr/l?page=3", "page 3"), ahead.due()
(True, (3, 'https://a.fr/l?page=3', 'page 3'))
>>> ahead.due() is None  # page 4 is not in: page 5 waits for it
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from scrapy.exceptions import UsageError

T = TypeVar("T")

AHEAD_META = "listing_ahead"
"""Request meta key of a listing page asked ahead (its 404 is no news: past the last page)."""

_DIGITS = re.compile(r"\d+")

AUTO_DEPTH = 4
"""Pages asked ahead by ``ATLANTICO_LISTING_AHEAD=auto`` in a fast crawl: the walk then keeps
five pages in flight, as many as the overshoot past a section's last page it risks."""


def depth_of(value: object, download_delay: float, fast_delay: float) -> int:
    """The depth ``ATLANTICO_LISTING_AHEAD`` asks for: ``auto`` is :data:`AUTO_DEPTH` under
    ``fast_delay`` seconds of ``DOWNLOAD_DELAY``, else 0 (at a polite pace the delay, not the
    chain, sets the walk's speed: no page the walk may not need is asked).

    >>> depth_of("auto", 0.0, 0.1), depth_of("auto", 1.0, 0.1), depth_of("2", 1.0, 0.1)
    (4, 0, 2)
    >>> depth_of("-1", 0.0, 0.1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    scrapy.exceptions.UsageError: ATLANTICO_LISTING_AHEAD='-1': give auto, 0 (page by page) ...
    """
    text = str(value).strip().lower()
    if text == "auto":
        return AUTO_DEPTH if download_delay < fast_delay else 0
    try:
        depth = int(text)
    except ValueError:
        depth = -1
    if depth < 0:
        raise UsageError(
            f"ATLANTICO_LISTING_AHEAD={value!r}: give auto, 0 (page by page) or a number of pages"
        )
    return depth


@dataclass(frozen=True)
class Pager:
    """A page number's place in a listing's URLs: ``before + str(n) + after``."""

    before: str
    after: str

    def url(self, page: int) -> str:
        return f"{self.before}{page}{self.after}"

    @classmethod
    def of(cls, url: str, page: int) -> Pager | None:
        """The pager of ``url``, page ``page`` of its listing: the one run of digits in it that
        reads ``page`` (None when there is none, or more than one).

        >>> Pager.of("https://a.fr/categorie/high-tech/page/7", 7).url(8)
        'https://a.fr/categorie/high-tech/page/8'
        >>> Pager.of("https://a.fr/2026/l?page=7&n=7", 7) is None  # which one is the page?
        True
        """
        runs = [m for m in _DIGITS.finditer(url) if int(m.group()) == page]
        if len(runs) != 1:
            return None
        run = runs[0]
        return cls(url[: run.start()], url[run.end() :])


@dataclass
class Ahead(Generic[T]):
    """One section's walk: the pages asked ahead of it, and those in, waiting for their turn.

    ``depth`` pages at most are asked beyond the one the walk needs next (0: none, the walk
    goes page by page).
    """

    depth: int
    pager: Pager | None = None
    confirmed: bool = False
    """The pager told the URL of a page before that page's predecessor linked it."""
    expected: int = 1
    """The next page the walk takes."""
    asked: dict[int, str] = field(default_factory=dict)
    """Pages asked and not yet in (ahead, or the next one): number → URL."""
    arrived: dict[int, tuple[str, T]] = field(default_factory=dict)
    """Pages in, waiting for their turn: number → (URL, what)."""
    ended: bool = False
    abandoned: int = 0
    """Pages asked ahead that the walk left unread (a wrong guess of the pager)."""

    def arrive(self, page: int, url: str, what: T) -> bool:
        """Page ``page`` is in from ``url`` (read, or failed): False when the walk no longer
        wants it (it ended, went another way, or took that page already).

        The page the walk takes next is wanted even if the walk did not ask it (its first
        page, asked when the walk began).
        """
        if self.ended or page < self.expected or page in self.arrived:
            return False
        if self.asked.get(page, url if page == self.expected else None) != url:
            return False  # asked by a pager that guessed wrong, or never asked by this walk
        self.asked.pop(page, None)
        self.arrived[page] = (url, what)
        return True

    def due(self) -> tuple[int, str, T] | None:
        """The next page for the walk to take, if it is in: its number, URL and what came."""
        if self.expected not in self.arrived:
            return None
        url, what = self.arrived.pop(self.expected)
        return self.expected, url, what

    def go_on(
        self, page: int, next_url: str, *, eager: bool, limit: int
    ) -> list[tuple[int, str, bool]]:
        """Page ``page`` was taken and the walk goes on to ``next_url``: the pages to ask now,
        as ``(number, url, ahead)``.

        ``eager``: the page showed only new articles (a walk that will go on); ``limit``: the
        last page the walk may read (0: no limit).
        """
        following = page + 1
        self.expected = following
        wanted: list[tuple[int, str, bool]] = []
        if self.asked.get(following, next_url) != next_url or (
            following in self.arrived and self.arrived[following][0] != next_url
        ):
            # The pager guessed wrong (the site numbers its pages otherwise from here): what
            # was asked ahead is left unread, the walk follows the page's own link.
            self._forget()
        if following not in self.asked and following not in self.arrived:
            self.asked[following] = next_url
            wanted.append((following, next_url, False))
        self._learn(page, next_url)
        if not (eager and self.confirmed and self.pager is not None and self.depth):
            return wanted
        last = following + self.depth
        if limit:
            last = min(last, limit)
        for number in range(following + 1, last + 1):
            if number not in self.asked and number not in self.arrived:
                url = self.pager.url(number)
                self.asked[number] = url
                wanted.append((number, url, True))
        return wanted

    def end(self) -> int:
        """The walk stopped: how many pages asked ahead it left unread in all (still out, in
        and waiting, or dropped on the way by a wrong guess of the pager)."""
        self.ended = True
        self._abandon()
        return self.abandoned

    def _abandon(self) -> None:
        self.abandoned += len(self.asked) + len(self.arrived)
        self.asked.clear()
        self.arrived.clear()

    def _learn(self, page: int, next_url: str) -> None:
        if self.pager is not None and self.pager.url(page + 1) == next_url:
            self.confirmed = True
            return
        self.pager = Pager.of(next_url, page + 1)
        self.confirmed = False

    def _forget(self) -> None:
        self._abandon()
        self.pager = None
        self.confirmed = False
