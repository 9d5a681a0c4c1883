"""One article, however each section spelled its URL.

Sections link the same article in different forms: the current ``/article/<type>/<slug>``,
the legacy ``/<type>/<id>/<slug>`` and ``/<type>/<slug>-<id>.html`` (with or without ``www.``),
with tracking parameters, a trailing slash or a fragment. Spellings of one URL are made equal by
:func:`article_url`; legacy forms are equal to the current URL only through the site's redirect,
so they are resolved (one request, redirects not followed) before any article is requested, and
their sections merged into the target's (:class:`Found`). Scrapy's duplicate filter would
otherwise drop the redirected request, and its sections with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from atlantico import urls


def article_url(url: str, base_netloc: str | None = None, scheme: str | None = None) -> str:
    """The one spelling of an article URL: canonical, and no trailing slash.

    >>> article_url("http://www.atlantico.fr/article/pepite/x/?utm_source=n#c", "atlantico.fr",
    ...             "https")
    'https://atlantico.fr/article/pepite/x'
    >>> article_url("https://atlantico.fr/")
    'https://atlantico.fr/'
    """
    canonical = urls.canonicalize(url, base_netloc, scheme)
    parts = urlsplit(canonical)
    if len(parts.path) > 1 and parts.path.endswith("/"):
        canonical = urlunsplit(parts._replace(path=parts.path.rstrip("/")))
    return canonical


def is_legacy(url: str) -> bool:
    """Whether an article URL is of a legacy form, which the site may redirect.

    >>> is_legacy("https://atlantico.fr/decryptage/66252/la-france"), is_legacy(
    ...     "https://atlantico.fr/article/decryptage/la-france")
    (True, False)
    """
    return urls.legacy_id(url) is not None


class Found:
    """Canonical article URL → keys of the sections that listed it, how it was found, and the
    other URLs (legacy forms) that led to it.

    >>> found = Found()
    >>> found.add("https://a.fr/article/x/y", {"high-tech"})
    >>> found.add("https://a.fr/x/12/y", {"decryptages"})
    >>> found.merge("https://a.fr/x/12/y", "https://a.fr/article/x/y")
    >>> sorted(found.sections["https://a.fr/article/x/y"]), found.aliases["https://a.fr/article/x/y"]
    (['decryptages', 'high-tech'], {'https://a.fr/x/12/y'})
    >>> "https://a.fr/x/12/y" in found
    False
    """

    def __init__(self) -> None:
        # One frozenset per combination of sections (a few in a run), shared by the URLs
        # found with it: ``sections`` and ``parsed`` hold an entry per article.
        self._combinations: dict[frozenset[str], frozenset[str]] = {}
        self.sections: dict[str, frozenset[str]] = {}
        self.via: dict[str, str] = {}
        self.aliases: dict[str, set[str]] = {}
        # URLs asked for already (never asked twice), pages read early (probes) kept for
        # later, sections waiting for a page in flight, and the sections of each page parsed.
        self.requested: set[str] = set()
        self.prefetched: dict[str, Any] = {}
        self.pending: dict[str, set[str]] = {}
        self.parsed: dict[str, frozenset[str]] = {}

    def __contains__(self, url: object) -> bool:
        return url in self.sections

    def __len__(self) -> int:
        return len(self.sections)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.sections))

    def _shared(self, sections: Iterable[str]) -> frozenset[str]:
        combination = frozenset(sections)
        return self._combinations.setdefault(combination, combination)

    def _join(self, url: str, sections: Iterable[str]) -> None:
        """``url`` is found, with ``sections`` too."""
        known = self.sections.get(url)
        self.sections[url] = self._shared(sections if known is None else known.union(sections))

    def add(self, url: str, sections: Iterable[str] = (), via: str | None = None) -> None:
        """``url`` found (by ``via``, unless a listing) in ``sections``.

        >>> found = Found()
        >>> for n in range(3):
        ...     found.add(f"https://a.fr/article/x/{n}", {"h"})
        ...     found.add(f"https://a.fr/article/x/{n}", {"d"})
        >>> len({id(sections) for sections in found.sections.values()})
        1
        """
        self._join(url, sections)
        if via is not None:
            self.via.setdefault(url, via)

    def pop(self, url: str) -> tuple[set[str], str | None, set[str]]:
        """Remove ``url``: its sections, how it was found and its aliases."""
        return (
            set(self.sections.pop(url, ())),
            self.via.pop(url, None),
            self.aliases.pop(url, set()),
        )

    def merge(self, alias: str, target: str) -> None:
        """``alias`` is another URL of ``target``: its sections and aliases move there."""
        if alias == target:
            return
        known_target = target in self.sections
        sections, via, aliases = self.pop(alias)
        self._join(target, sections)
        if via is None:
            # The alias came from a listing: so does the article, whatever else found it.
            self.via.pop(target, None)
        elif not known_target:
            self.via[target] = via
        self.aliases.setdefault(target, set()).update(aliases | {alias})

    def legacy_groups(self) -> dict[str, list[str]]:
        """Legacy URLs by the article id they carry: two spellings of one id are one article."""
        groups: dict[str, list[str]] = {}
        for url in self.sections:
            ident = urls.legacy_id(url)
            if ident is not None:
                groups.setdefault(ident, []).append(url)
        return groups

    def taken(self, url: str) -> bool:
        """Whether ``url`` was asked for already, or read early."""
        return url in self.requested or url in self.prefetched

    def prefetch(self, urls: Iterable[str], page: Any) -> None:
        """``page`` was read early (a probe) and answers for each of ``urls``."""
        for url in urls:
            self.prefetched[url] = page

    def keep(
        self, url: str, answered: Iterable[str], sections: Iterable[str], via: str, page: Any
    ) -> None:
        """``page``, asked for at ``url`` before the listings were read, waits for them: it is
        read once, under every URL it ``answered``, with every section found for them.

        >>> found = Found()
        >>> found.requested.add("https://a.fr/article/x/y")
        >>> found.keep("https://a.fr/article/x/y", ["https://a.fr/article/x/y"], {"h"},
        ...            "retry-queue", "<page>")
        >>> found.add("https://a.fr/article/x/y", {"d"})
        >>> [(sorted(s), via, page) for _u, s, via, _a, page in found.to_read()]
        [(['d', 'h'], 'retry-queue', '<page>')]
        """
        self.requested.discard(url)
        self.add(url, sections, via)
        self.prefetch({url, *answered}, page)

    def claim(self, own: str, here: str) -> tuple[set[str], set[str]]:
        """A page read at ``here`` names ``own`` as its URL: ``own``'s sections and aliases
        are its too, and ``own`` is not asked for again.

        >>> found = Found()
        >>> found.add("https://a.fr/article/x/y", {"h"})
        >>> found.claim("https://a.fr/article/x/y", "https://a.fr/x/1/y")
        ({'h'}, {'https://a.fr/article/x/y'})
        >>> "https://a.fr/article/x/y" in found.requested
        True
        """
        if own == here or own not in self.sections:
            return set(), set()
        sections, _via, aliases = self.pop(own)
        self.requested.add(own)
        return sections, aliases | {own}

    def parsing(self, url: str) -> set[str]:
        """The sections waiting for the page at ``url`` (dropped redirects, queued asks)."""
        return self.pending.pop(url, set())

    def parsed_as(self, url: str, sections: Iterable[str]) -> None:
        """The page at ``url`` was read with ``sections``.

        >>> found = Found()
        >>> found.parsed_as("https://a.fr/article/x/1", ["h", "d"])
        >>> found.parsed_as("https://a.fr/article/x/2", {"d", "h"})
        >>> found.parsed["https://a.fr/article/x/1"] is found.parsed["https://a.fr/article/x/2"]
        True
        """
        self.parsed[url] = self._shared(sections)

    def redirect_dropped(self, target: str, sections: Iterable[str]) -> set[str]:
        """A request whose redirect led to ``target``, asked for already, was dropped: its
        sections wait for that page. Returns the sections lost when it was parsed already.

        >>> found = Found()
        >>> found.redirect_dropped("https://a.fr/article/x/y", {"h"})
        set()
        >>> found.parsing("https://a.fr/article/x/y")
        {'h'}
        >>> found.parsed_as("https://a.fr/article/x/y", {"d"})
        >>> found.redirect_dropped("https://a.fr/article/x/y", {"h", "d"})
        {'h'}
        """
        wanted = set(sections)
        if target in self.parsed:
            return wanted - self.parsed[target]
        self.pending.setdefault(target, set()).update(wanted)
        return set()

    def to_read(self) -> Iterator[tuple[str, set[str], str | None, set[str], Any]]:
        """Each article still to read, once: (url, sections, via, aliases, page read early or
        None). Found URLs asked for already give their sections to that page instead."""
        for url in list(self.sections):
            if url not in self.sections:
                continue  # taken with a page read early under another of its URLs
            sections, via, aliases = self.pop(url)
            if url in self.requested:
                if url not in self.parsed:
                    self.pending.setdefault(url, set()).update(sections)
                continue
            page = self.prefetched.pop(url, None)
            if page is not None:
                for key in [k for k, other in self.prefetched.items() if other is page]:
                    del self.prefetched[key]
                    more, _via, more_aliases = self.pop(key)
                    sections, aliases = sections | more, aliases | more_aliases | {key}
                    self.requested.add(key)
            self.requested.add(url)
            yield url, sections, via, aliases, page
        # Every entry taken: the tables sized for every article found are let go too (a dict
        # keeps its size when emptied).
        if not self.sections:
            self.sections = {}
        if not self.via:
            self.via = {}
        if not self.aliases:
            self.aliases = {}
