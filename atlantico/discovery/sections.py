"""Where each section's listing starts: given, found on a page, read from the sitemaps, or
not found at all.

:class:`SectionSearch` keeps what is known while pages are read (the home page first, then
the article pages probed for their category link) and, once every page has been tried, says
which sections to walk, which to read from the sitemaps (a rule in ``ATLANTICO_SECTION_RULES``
tells their articles apart) and which are missing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scrapy.http import TextResponse
from scrapy.statscollectors import StatsCollector

from atlantico.discovery.rules import SectionRules
from atlantico.extract.listing import find_section_links

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    walks: dict[str, str]
    """Section key → URL of its listing's first page."""
    fallback: set[str]
    """Sections with no listing, read from the sitemaps by their rules."""
    missing: dict[str, str]
    """Sections with no listing and no way to tell their articles: key → label."""


class SectionSearch:
    """The search for the wanted sections' listings.

    >>> from scrapy.http import HtmlResponse
    >>> rules = SectionRules({"high-tech": {"category": "High-tech"}}, ["high-tech", "d"])
    >>> search = SectionSearch({"high-tech": "High-tech", "d": "Décryptages"},
    ...                        ["high-tech", "d"], {}, rules, site_host="a.fr")
    >>> home = HtmlResponse("https://a.fr/", body='<nav><a href="/d">Décryptages</a></nav>',
    ...                     encoding="utf-8")
    >>> search.take(home)
    ['d']
    >>> search.conclude(fallback_allowed=True)
    Outcome(walks={'d': 'https://a.fr/d'}, fallback={'high-tech'}, missing={})
    """

    def __init__(
        self,
        labels: Mapping[str, str],
        wanted: Iterable[str],
        given: Mapping[str, str],
        rules: SectionRules,
        *,
        site_host: str,
    ) -> None:
        self.labels = dict(labels)
        self.wanted = list(wanted)
        self.targets = {key: url for key, url in given.items() if key in self.wanted}
        self.rules = rules
        self.site_host = site_host

    def missing(self) -> dict[str, str]:
        """Key → label of the sections whose listing is not known yet."""
        return {k: self.labels[k] for k in self.wanted if k not in self.targets}

    def take(self, response: TextResponse) -> list[str]:
        """The missing sections ``response`` links (recorded); in the order wanted."""
        found = find_section_links(response, self.missing(), self.site_host)
        self.targets.update(found)
        return [key for key in self.wanted if key in found]

    def conclude(self, *, fallback_allowed: bool) -> Outcome:
        missing = self.missing()
        fallback = {k for k in missing if fallback_allowed and self.rules.has_rule(k)}
        return Outcome(
            walks={k: self.targets[k] for k in self.wanted if k in self.targets},
            fallback=fallback,
            missing={k: label for k, label in missing.items() if k not in fallback},
        )


def announce(
    outcome: Outcome, labels: Mapping[str, str], base_url: str, stats: StatsCollector
) -> None:
    """Say, with a stat and a log line each, which sections are read from the sitemaps (a
    WARNING) and which are not found at all (an ERROR)."""
    for key in sorted(outcome.fallback):
        stats.set_value(f"atlantico/discovery/section_fallback/{key}", 0)
        logger.warning(
            "Section %r: no link labelled %r on the home page or the articles read; its "
            "articles come from the sitemaps, filtered by ATLANTICO_SECTION_RULES (set "
            "ATLANTICO_SECTION_URLS to give the section's listing URL).",
            key,
            labels[key],
        )
    for key, label in outcome.missing.items():
        stats.inc_value("atlantico/error/section_not_found")
        logger.error(
            "Section %r: no link labelled %r on %s/ or the articles read. The site's "
            "navigation has changed; set ATLANTICO_SECTION_URLS to give the section's URL.",
            key,
            label,
            base_url,
        )
