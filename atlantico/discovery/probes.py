"""Article pages read for the category link they print, when the home page links no section.

Recent articles are found in ``rss.xml`` and the news sitemap (:func:`feed_articles`); a few per
missing section, likeliest first (:class:`Probes`), are read for a section link. Each page read
is kept (:meth:`atlantico.discovery.aliases.Found.prefetch`) under every URL it answered
(:func:`answered`), so that it is parsed once, in the article phase, and never asked again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from scrapy.http import Response

from atlantico.discovery.aliases import Found
from atlantico.discovery.site import Site
from atlantico.discovery.sources import probe_candidates
from atlantico.extract.rss import read_rss
from atlantico.extract.sitemap import read_sitemap

if TYPE_CHECKING:  # the run's state holds a Probes
    from atlantico.discovery.state import Discovery

# The feeds read for recent articles, by the setting naming their path.
FEEDS = (("ATLANTICO_RSS", "rss"), ("ATLANTICO_NEWS_SITEMAP", "news"))


def probe_feeds(paths: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """(path, via) of the feeds to read, from the settings' values (an empty one is skipped).

    >>> probe_feeds({"ATLANTICO_RSS": "/rss.xml", "ATLANTICO_NEWS_SITEMAP": ""})
    [('/rss.xml', 'rss')]
    """
    return [(path, via) for name, via in FEEDS if (path := paths.get(name))]


def feeds_to_read(run: Discovery, settings: Any) -> list[tuple[str, str]]:
    """(path, via) of the feeds to read for probes: none when every section was found on the
    home page or ``ATLANTICO_SECTION_PROBES`` is 0."""
    if not run.search.missing() or run.probes.per_section <= 0:
        return []
    return probe_feeds({name: settings.get(name) for name, _via in FEEDS})


def feed_articles(body: bytes, via: str, run: Discovery) -> list[str]:
    """The site's article URLs (canonical) in a feed, likeliest to link a section still missing
    (by its rule) first.
    """
    if via == "rss":
        entries = [(e.url, e.categories) for e in read_rss(body)]
    else:
        entries = [(e.url, ()) for e in read_sitemap(body)[0]]
    candidates = probe_candidates(entries, run.rules, list(run.search.missing()))
    return [run.site.canonical(url) for url in candidates if run.site.is_article(url)]


def answered(response: Response, site: Site) -> set[str]:
    """Every URL (canonical) ``response`` answers for: the one asked and the one answered."""
    return {site.canonical(url) for url in (response.url, *response.meta.get("redirect_urls", ()))}


class Probes:
    """The article URLs the feeds offered, and which of them to read.

    >>> probes = Probes(per_section=1)
    >>> probes.offer(["https://a.fr/article/x/1", "https://a.fr/article/x/2"])
    >>> probes.offer(["https://a.fr/article/x/1"])
    >>> found = Found()
    >>> found.requested.add("https://a.fr/article/x/1")
    >>> probes.pick(missing=2, found=found)
    ['https://a.fr/article/x/2']
    """

    def __init__(self, per_section: int) -> None:
        self.per_section = per_section
        self.offered: list[str] = []

    def offer(self, urls: Iterable[str]) -> None:
        self.offered.extend(urls)

    def pick(self, *, missing: int, found: Found) -> list[str]:
        """Up to ``per_section`` pages per missing section, not asked for or read already."""
        fresh = [url for url in dict.fromkeys(self.offered) if not found.taken(url)]
        return fresh[: self.per_section * missing]
