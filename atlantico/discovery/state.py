"""What discovery knows during one run, built once from the settings and the spider's
arguments and passed to the functions of :mod:`atlantico.discovery` by the spider.

The spider's ``-a`` arguments (a wrong value is one :class:`~scrapy.exceptions.UsageError`):

``sections``  comma-separated section keys (default: every key of ``ATLANTICO_SECTIONS``).
``max_pages`` listing pages per section, ``0`` for no limit (default ``ATLANTICO_MAX_PAGES``).
``since``     a date (``2026-11-01``, ``1er novembre 2026``): stop walking a section at the
              first listing page whose articles are all older, and skip older articles.
``mode``      ``incremental`` (default): with the store on, stop walking a section at the first
              listing page whose articles were all exported before (the watermark), request
              only unknown articles, and those the news sitemap says changed.
              ``backfill``: no watermark, no page limit unless ``max_pages`` is given, and the
              monthly sitemaps too; articles already exported are still not requested again.
``fallback``  ``true`` (default) / ``false``: whether a section whose listing cannot be found
              is read from the sitemaps instead of failing the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atlantico.discovery import arguments
from atlantico.discovery.ahead import Ahead, depth_of
from atlantico.discovery.aliases import Found
from atlantico.discovery.phases import Phases, Walks
from atlantico.discovery.probes import Probes
from atlantico.discovery.rules import SectionRules
from atlantico.discovery.sections import Outcome, SectionSearch
from atlantico.discovery.site import Site
from atlantico.discovery.stop import StopPolicy
from atlantico.reading import FAST_DELAY


@dataclass
class Discovery:
    """The run's discovery: what was asked for, and what has been found so far.

    >>> from scrapy.settings import Settings
    >>> from atlantico import settings as project
    >>> run = Discovery.of(Settings({**vars(project), "ATLANTICO_BASE_URL": "https://a.fr"}),
    ...                    mode="backfill", sections="decryptages")
    >>> run.wanted, run.max_pages, run.site.domain
    (['decryptages'], 0, 'a.fr')
    """

    site: Site
    labels: dict[str, str]
    wanted: list[str]
    rules: SectionRules
    search: SectionSearch
    probes: Probes
    mode: str
    since: datetime | None
    max_pages: int
    fallback_allowed: bool
    page_limit: int
    ahead_depth: int = 0
    """Listing pages a walk asks ahead of the one it needs (``ATLANTICO_LISTING_AHEAD``)."""
    found: Found = field(default_factory=Found)
    walks: Walks = field(default_factory=Walks)
    phases: Phases = field(default_factory=Phases)
    fallback: set[str] = field(default_factory=set)
    """Sections read from the sitemaps because no listing was found for them."""
    aheads: dict[str, Ahead[Any]] = field(default_factory=dict)
    """Section key → its walk's pages asked ahead and waiting (:mod:`.ahead`)."""
    queued: set[str] = field(default_factory=set)
    """Canonical URLs this run could not deliver that the retry queue took for the next run."""

    def queue_failed(self, request: Any, **_details: Any) -> None:
        """Handler of :data:`atlantico.signals.article_failed` and ``request_deferred``: the
        request is queued for the next run (its errback need not say it failed)."""
        self.queued.add(self.site.canonical(request.url))

    @classmethod
    def of(
        cls,
        settings: Any,
        *,
        sections: str | None = None,
        max_pages: str | int | None = None,
        since: str | None = None,
        mode: str = "incremental",
        fallback: str | bool | None = None,
    ) -> Discovery:
        """From Scrapy's settings and the spider's arguments, each checked."""
        mode = arguments.parse_choice("mode", mode, ("incremental", "backfill"))
        site = Site.of(settings.get("ATLANTICO_BASE_URL"))
        labels: dict[str, str] = settings.getdict("ATLANTICO_SECTIONS")
        wanted = arguments.parse_sections(sections, labels)
        rules = SectionRules(settings.getdict("ATLANTICO_SECTION_RULES"), wanted)
        given = settings.getdict("ATLANTICO_SECTION_URLS")
        default_max = 0 if mode == "backfill" else settings.getint("ATLANTICO_MAX_PAGES")
        return cls(
            site=site,
            labels=labels,
            wanted=wanted,
            rules=rules,
            search=SectionSearch(labels, wanted, given, rules, site_host=site.netloc),
            probes=Probes(settings.getint("ATLANTICO_SECTION_PROBES")),
            mode=mode,
            since=arguments.parse_since(since),
            max_pages=arguments.parse_count("max_pages", max_pages, default_max),
            fallback_allowed=arguments.parse_bool("fallback", fallback, True),
            page_limit=settings.getint("ATLANTICO_LISTING_PAGE_LIMIT"),
            ahead_depth=depth_of(
                settings.get("ATLANTICO_LISTING_AHEAD", "auto"),
                settings.getfloat("DOWNLOAD_DELAY"),
                FAST_DELAY,
            ),
        )

    @property
    def last_page(self) -> int:
        """The last listing page a walk may read: ``max_pages`` or the page limit, whichever
        is lower (0: no limit)."""
        return min(filter(None, (self.max_pages, self.page_limit)), default=0)

    def walk_ahead(self, key: str) -> Ahead[Any]:
        """Section ``key``'s walk, as its pages come in (made on its first page)."""
        walk = self.aheads.get(key)
        if walk is None:
            walk = self.aheads[key] = Ahead(self.ahead_depth)
        return walk

    def conclude_sections(self) -> Outcome:
        """Every way of finding the sections was tried: which to walk, which to read from the
        sitemaps (kept as :attr:`fallback`), which are missing."""
        outcome = self.search.conclude(fallback_allowed=self.fallback_allowed)
        self.fallback = set(outcome.fallback)
        return outcome

    def stop_policy(self, *, has_store: bool) -> StopPolicy:
        return StopPolicy(
            since=self.since is not None,
            watermark=self.mode == "incremental" and has_store,
            max_pages=self.max_pages,
            page_limit=self.page_limit,
        )
