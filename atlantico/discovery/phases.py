"""Where the run is: how many requests of each phase are still unanswered.

The spider's phases follow one another (sections, listings, sitemaps, legacy URLs, articles):
each starts when the last answer of the one before arrives, success or failure. A
:class:`Countdown` counts those answers; :class:`Phases` holds one per phase; :class:`Walks`
what the listing walks have seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Countdown:
    """Requests of one phase still unanswered.

    >>> walks = Countdown()
    >>> walks.expect(2)
    >>> walks.answered(), walks.answered()
    (False, True)
    """

    def __init__(self) -> None:
        self.left = 0

    def expect(self, count: int = 1) -> None:
        self.left += count

    def answered(self) -> bool:
        """One answer arrived: whether it was the last one expected."""
        self.left -= 1
        return self.left <= 0


@dataclass
class Phases:
    """The countdowns of the run's phases, and whether the articles are being read."""

    probes: Countdown = field(default_factory=Countdown)
    """Feeds, then article pages, read for a section link (sections not on the home page)."""
    walks: Countdown = field(default_factory=Countdown)
    """Sections whose listing is being walked."""
    sitemaps: Countdown = field(default_factory=Countdown)
    """Sitemaps and feeds being read (an index adds its children)."""
    resolving: Countdown = field(default_factory=Countdown)
    """Legacy URLs asked where they lead."""
    reading: bool = False
    """The article requests have been made (every listing, sitemap and redirect read)."""


@dataclass
class Walks:
    """What the listing walks have seen."""

    listed: dict[str, set[str]] = field(default_factory=dict)
    """Section key → canonical article URLs its listing pages showed in this run, while its
    walk goes on (:meth:`ended`)."""
    counted: dict[str, int] = field(default_factory=dict)
    """Section key → how many article URLs its listing showed, once its walk ended."""
    seen: set[str] = field(default_factory=set)
    """Canonical URLs of the listing pages requested (a pager leading back is a loop)."""
    unreadable: set[str] = field(default_factory=set)
    """Sections whose listing failed or showed no article link."""

    def ended(self, key: str) -> None:
        """``key``'s walk is over: no listing page of it comes any more, so the URLs it showed
        (an entry per article, read only to tell a page's new links) are dropped for their
        count.

        >>> walks = Walks(listed={"d": {"https://a.fr/article/d/x", "https://a.fr/article/d/y"}})
        >>> walks.ended("d")
        >>> walks.listed, walks.counted, walks.listed_count()
        ({}, {'d': 2}, 2)
        """
        urls = self.listed.pop(key, None)
        if urls is not None:
            self.counted[key] = self.counted.get(key, 0) + len(urls)

    def listed_count(self) -> int:
        """How many article URLs the listings showed (each section's own)."""
        return sum(len(urls) for urls in self.listed.values()) + sum(self.counted.values())
