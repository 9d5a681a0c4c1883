"""The ``atlantico`` spider: finds the sections, walks their listings, fetches the articles.

It only routes requests, one callback per kind of response: what a page holds is read by
:mod:`atlantico.extract`, when a walk stops and which sitemap entry is an article of which
section is decided by :mod:`atlantico.discovery`, items are checked by the pipelines.

The run, in order (README, *How articles are found*): the sections (given, found in any menu of
the home page or on recent articles, else read from the sitemaps by their rules); the listings,
one page after another so that the stop rules are exact; the sitemaps and feeds; the legacy
URLs, resolved without following their redirects so that their sections join the target's;
the articles, each once with every section that listed it, multi-page ones joined.

Arguments (``-a name=value``; a wrong value ends the run at once with one line saying what is
allowed):

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

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, UsageError
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from atlantico import retry_queue, urls
from atlantico import signals as run_signals
from atlantico.context import RunContext
from atlantico.discovery import arguments, sources
from atlantico.discovery.aliases import Found, article_url, is_legacy
from atlantico.discovery.articles import settle
from atlantico.discovery.known import known_articles
from atlantico.discovery.parts import join_parts, next_part
from atlantico.discovery.rules import SectionRules
from atlantico.discovery.sections import SectionSearch
from atlantico.discovery.stop import WARN_REASONS, PageReport, StopPolicy, decide
from atlantico.extract import extract_article
from atlantico.extract.listing import ListedArticle, article_links, next_page
from atlantico.extract.rss import read_rss
from atlantico.extract.sitemap import read_sitemap
from atlantico.items import Article
from atlantico.store import Known, Store
from atlantico.urls import is_article_path

logger = logging.getLogger(__name__)

REDIRECTS = [301, 302, 303, 307, 308]
# What a callback yields: requests, and items once an article is read.
Output = Request | Article


class AtlanticoSpider(scrapy.Spider):
    name = "atlantico"

    def __init__(
        self,
        sections: str | None = None,
        max_pages: str | int | None = None,
        since: str | None = None,
        mode: str = "incremental",
        fallback: str | bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.mode = arguments.parse_choice("mode", mode, ("incremental", "backfill"))
        self.since: datetime | None = arguments.parse_since(since)
        self.fallback_allowed = arguments.parse_bool("fallback", fallback, True)
        # The arguments as given, for the run's manifest.
        self.arguments = {
            "sections": sections,
            "max_pages": max_pages,
            "since": since,
            "mode": mode,
            "fallback": fallback,
        }
        self._sections_arg = sections
        self._max_pages_arg = max_pages
        self.found = Found()
        # Sections whose listing could not be read (failed, or no article link on it).
        self.unreadable: set[str] = set()
        # Sections read from the sitemaps because no listing was found for them.
        self.fallback: set[str] = set()
        # Section key → canonical article URLs its listing pages showed in this run.
        self.listed: dict[str, set[str]] = {}
        self.seen_listings: set[str] = set()
        self.walks_left = 0
        self.sitemaps_left = 0
        self.probes_left = 0
        self.resolving = 0
        self.probe_urls: list[str] = []
        # Phase two (article requests) has begun.
        self.reading = False
        # Canonical URLs this run could not deliver that the retry queue took for the next run.
        self.queued: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure()
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        for signal in (run_signals.article_failed, run_signals.request_deferred):
            crawler.signals.connect(spider.queue_failed, signal=signal)
        return spider

    def queue_failed(self, request: Request, **_details: Any) -> None:
        """The retry queue took ``request`` for the next run: its errback need not say it."""
        self.queued.add(self._canonical(request.url))

    def configure(self) -> None:
        """Read the settings that define the site; fail early on a wrong argument."""
        settings = self.crawler.settings
        self.base_url = settings.get("ATLANTICO_BASE_URL").rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise UsageError(f"ATLANTICO_BASE_URL={self.base_url!r}: use an http(s) URL")
        self.base_netloc, self.base_scheme = parts.netloc, parts.scheme
        # The site answers on its bare host and on www.; OffsiteMiddleware allows subdomains.
        self.allowed_domains = [urls.host_key(parts.hostname)]
        self.labels: dict[str, str] = settings.getdict("ATLANTICO_SECTIONS")
        self.section_urls: dict[str, str] = settings.getdict("ATLANTICO_SECTION_URLS")
        self.wanted = arguments.parse_sections(self._sections_arg, self.labels)
        default_max = 0 if self.mode == "backfill" else settings.getint("ATLANTICO_MAX_PAGES")
        self.max_pages = arguments.parse_count("max_pages", self._max_pages_arg, default_max)
        self.rules = SectionRules(settings.getdict("ATLANTICO_SECTION_RULES"), self.wanted)
        self.search = SectionSearch(
            self.labels, self.wanted, self.section_urls, self.rules, site_host=self.base_netloc
        )

    @cached_property
    def store(self) -> Store | None:
        """The store of exported articles, ``None`` without one: the spider's only way to it.

        It comes with the run context ``scrapy crawl`` opens (:mod:`atlantico.context`).
        """
        context = RunContext.of(self.crawler)
        return context.store if context is not None else None

    def _queued_articles(self) -> Iterator[Output]:
        """What earlier runs could not deliver (the retry queue, due now), then the bounded
        revisits (conditional headers): requested before anything else, whatever the
        listings' watermark says. Their pages are kept until the listings are read, so that an
        article a listing also shows is asked once and its item names every section."""
        for first in retry_queue.first_requests(self.crawler):
            yield self.article_request(
                first.url, first.sections, first.via, headers=first.headers, early=True
            )

    # -- 1. sections ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Output]:
        for request in self._queued_articles():
            yield request
        given = dict(self.search.targets)
        if given:
            self.crawler.stats.inc_value("atlantico/discovery/section_from/setting", len(given))
        if len(given) == len(self.wanted):
            for request in self._start_walks(given):
                yield request
            return
        # dont_filter: a run resumed from JOBDIR walks the sections again to find new articles.
        yield Request(
            f"{self.base_url}/",
            callback=self.parse_home,
            errback=self.home_failed,
            dont_filter=True,
        )

    def _take_sections(self, response: TextResponse, source: str) -> None:
        """Record the section links ``response`` shows for the sections still missing."""
        for key in self.search.take(response):
            self.crawler.stats.inc_value(f"atlantico/discovery/section_from/{source}")
            logger.info("Section %r: link found on %s (%s)", key, response.url, source)

    def parse_home(self, response: Response) -> Iterator[Output]:
        """The home page: section links in any of its menus.

        @site_url /
        @returns requests 1
        @finds_sections
        """
        if not isinstance(response, TextResponse):
            raise CloseSpider("home_not_html")
        self._take_sections(response, "home")
        if self.search.missing() and self.crawler.settings.getint("ATLANTICO_SECTION_PROBES") > 0:
            # Recent articles print their category as a link: read a few, found from the feeds.
            feeds = [
                (self.crawler.settings.get(name), via)
                for name, via in (("ATLANTICO_RSS", "rss"), ("ATLANTICO_NEWS_SITEMAP", "news"))
            ]
            feeds = [(path, via) for path, via in feeds if path]
            if feeds:
                self.probes_left = len(feeds)
                for path, via in feeds:
                    yield Request(
                        urljoin(self.base_url + "/", path),
                        callback=self.parse_probe_feed,
                        errback=self.probe_failed,
                        meta={"via": via},
                        dont_filter=True,
                    )
                return
        yield from self._sections_known()

    def home_failed(self, failure: Failure) -> None:
        logger.error("The home page could not be fetched: %s", failure.getErrorMessage())
        raise CloseSpider("home_unreachable")

    def parse_probe_feed(self, response: Response) -> Iterator[Output]:
        """rss.xml or the news sitemap read for article pages that may link a section."""
        missing = list(self.search.missing())
        if response.meta["via"] == "rss":
            candidates = sources.probe_candidates(
                [(e.url, e.categories) for e in read_rss(response.body)], self.rules, missing
            )
        else:
            entries, _children = read_sitemap(response.body)
            candidates = sources.probe_candidates(
                [(e.url, ()) for e in entries], self.rules, missing
            )
        for url in candidates:
            if self._on_site(url) and is_article_path(urlsplit(url).path):
                self.probe_urls.append(self._canonical(url))
        yield from self._probe_feed_done()

    def probe_failed(self, failure: Failure) -> Iterator[Output]:
        self.crawler.stats.inc_value("atlantico/error/probe_failed")
        logger.warning("Probe %s failed (%s)", failure.request.url, failure.getErrorMessage())  # type: ignore[attr-defined]
        if failure.request.meta.get("probe") == "article":  # type: ignore[attr-defined]
            yield from self._probe_article_done()
        else:
            yield from self._probe_feed_done()

    def _probe_feed_done(self) -> Iterator[Output]:
        self.probes_left -= 1
        if self.probes_left > 0:
            return
        limit = self.crawler.settings.getint("ATLANTICO_SECTION_PROBES") * len(
            self.search.missing()
        )
        fresh = [url for url in dict.fromkeys(self.probe_urls) if not self.found.taken(url)]
        picked = fresh[:limit]
        if not picked:
            yield from self._sections_known()
            return
        self.probes_left = len(picked)
        for url in picked:
            self.crawler.stats.inc_value("atlantico/discovery/probes")
            yield Request(
                url,
                callback=self.parse_probe_article,
                errback=self.probe_failed,
                meta={"probe": "article"},
            )

    def parse_probe_article(self, response: Response) -> Iterator[Output]:
        """An article page read for its category link; kept to be parsed in phase two."""
        if isinstance(response, TextResponse):
            self._take_sections(response, "article")
            # Under the URL asked for and the URL answered (a redirect): phase two finds it
            # by either, and never asks again (the duplicate filter would drop the request).
            asked = {response.url, *response.meta.get("redirect_urls", ())}
            self.found.prefetch({self._canonical(url) for url in asked}, response)
        yield from self._probe_article_done()

    def _probe_article_done(self) -> Iterator[Output]:
        self.probes_left -= 1
        if self.probes_left <= 0:
            yield from self._sections_known()

    def _sections_known(self) -> Iterator[Output]:
        """Every way of finding the sections has been tried: walk, fall back, or fail."""
        outcome = self.search.conclude(fallback_allowed=self.fallback_allowed)
        self.fallback = outcome.fallback
        for key in sorted(outcome.fallback):
            self.crawler.stats.set_value(f"atlantico/discovery/section_fallback/{key}", 0)
            logger.warning(
                "Section %r: no link labelled %r on the home page or the articles read; its "
                "articles come from the sitemaps, filtered by ATLANTICO_SECTION_RULES (set "
                "ATLANTICO_SECTION_URLS to give the section's listing URL).",
                key,
                self.labels[key],
            )
        for key, label in outcome.missing.items():
            self.crawler.stats.inc_value("atlantico/error/section_not_found")
            logger.error(
                "Section %r: no link labelled %r on %s/ or the articles read. The site's "
                "navigation has changed; set ATLANTICO_SECTION_URLS to give the section's URL.",
                key,
                label,
                self.base_url,
            )
        if not outcome.walks and not outcome.fallback:
            raise CloseSpider("section_not_found")
        if outcome.walks:
            yield from self._start_walks(outcome.walks)
        else:
            yield from self._walks_done()

    # -- 2. listings ---------------------------------------------------------------------

    def _start_walks(self, walks: dict[str, str]) -> Iterator[Output]:
        self.walks_left = len(walks)
        for key, url in walks.items():
            logger.info("Section %r starts at %s", key, url)
            yield self._listing_request(key, url, page=1)

    def _listing_request(self, key: str, url: str, page: int) -> Request:
        self.seen_listings.add(self._canonical(url))
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            meta={"section": key, "page": page},
            # Listings are re-read by every run: they are how new articles are found.
            dont_filter=True,
        )

    @cached_property
    def stop_policy(self) -> StopPolicy:
        return StopPolicy(
            since=self.since is not None,
            watermark=self.mode == "incremental" and self.store is not None,
            max_pages=self.max_pages,
            page_limit=self.crawler.settings.getint("ATLANTICO_LISTING_PAGE_LIMIT"),
        )

    def parse_listing(self, response: Response) -> Iterator[Output]:
        """One page of a section's listing: its article links, then the next page or the end.

        @site_url /
        @meta {"section": "decryptages", "page": 1}
        @lists_articles 5
        """
        key, page = response.meta["section"], response.meta["page"]
        stats = self.crawler.stats
        stats.inc_value(f"atlantico/listing/pages/{key}")
        entries: list[ListedArticle] = []
        layer = "none"
        if isinstance(response, TextResponse):
            entries, layer = article_links(response, self.base_netloc)
        stats.inc_value(f"atlantico/listing/links_from/{layer}")
        if not entries:
            stats.inc_value("atlantico/drift/listing_without_articles")
            self.unreadable.add(key)
            logger.error(
                "Section %r page %d (%s) lists no article link: the listing layout has changed "
                "or the page is not a listing.",
                key,
                page,
                response.url,
            )
            yield from self._end_walk(key)
            return
        fresh = [
            self._canonical(e.url)
            for e in entries
            if not (self.since and e.date and e.date < self.since)
        ]
        listed = self.listed.setdefault(key, set())
        new = len(set(fresh) - listed)
        listed.update(fresh)
        known = self._known(fresh)
        for article in fresh:
            if article in known:
                stats.inc_value("atlantico/skipped/known")
                stats.inc_value(f"atlantico/listing/known/{key}")
            else:
                self.found.add(article, {key})
        url, how = (
            next_page(response, page) if isinstance(response, TextResponse) else (None, "none")
        )
        stats.inc_value(f"atlantico/listing/next_by/{how}")
        report = PageReport(
            page=page,
            links=len(entries),
            older=len(entries) - len(fresh),
            fresh=len(fresh),
            known=len(known),
            new=new,
            next_url=url,
            next_seen=url is not None and self._canonical(url) in self.seen_listings,
        )
        reason = decide(self.stop_policy, report)
        if reason is None and url is not None:
            yield self._listing_request(key, url, page + 1)
            return
        stats.inc_value(f"atlantico/listing/stopped/{reason}")
        log = logger.warning if reason in WARN_REASONS else logger.info
        log("Section %r: walk stopped after page %d (%s): %s", key, page, response.url, reason)
        yield from self._end_walk(key)

    def listing_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        key = request.meta["section"]
        self.crawler.stats.inc_value("atlantico/error/listing_failed")
        self.unreadable.add(key)
        logger.error(
            "Section %r: listing page %s failed (%s); the walk of this section ends here.",
            key,
            request.url,
            failure.getErrorMessage(),
        )
        yield from self._end_walk(key)

    def _end_walk(self, key: str) -> Iterator[Output]:
        self.walks_left -= 1
        logger.info("Section %r walked; %d articles found so far", key, len(self.found))
        if self.walks_left <= 0:
            yield from self._walks_done()

    # -- 3. sitemaps and feeds -----------------------------------------------------------

    def _walks_done(self) -> Iterator[Output]:
        # Sitemaps come after the listings, so that an article both listed and in a sitemap
        # is requested once, with its sections.
        settings = self.crawler.settings
        plan = sources.discovery_plan(
            mode=self.mode,
            has_store=self.store is not None,
            unreadable=bool(self.unreadable),
            fallback=bool(self.fallback),
            paths={
                "sitemap": settings.get("ATLANTICO_SITEMAP_INDEX"),
                "news-sitemap": settings.get("ATLANTICO_NEWS_SITEMAP"),
                "rss": settings.get("ATLANTICO_RSS"),
            },
        )
        if not plan:
            yield from self._resolve_aliases()
        for path, via in plan:
            yield self._sitemap_request(path, via)

    def _sitemap_request(self, path: str, via: str) -> Request:
        self.sitemaps_left += 1
        return Request(
            urljoin(self.base_url + "/", path),
            callback=self.parse_rss if via == "rss" else self.parse_sitemap,
            errback=self.sitemap_failed,
            meta={"via": via},
            dont_filter=True,
        )

    def parse_sitemap(self, response: Response) -> Iterator[Output]:
        """A sitemap index (its children), a monthly sitemap or the news sitemap.

        @site_url /sitemap-index.xml
        @meta {"via": "sitemap"}
        @returns requests 1
        """
        via = response.meta["via"]
        entries, children = read_sitemap(response.body)
        stats = self.crawler.stats
        stats.inc_value(f"atlantico/sitemap/read/{via}")
        backfill = self.mode == "backfill"
        for child in sources.pick_children(
            children,
            since=self.since,
            limit=0 if backfill else self.crawler.settings.getint("ATLANTICO_FALLBACK_SITEMAPS"),
        ):
            if self._on_site(child.url):
                yield self._sitemap_request(child.url, via)
        articles = {
            self._canonical(entry.url): entry
            for entry in entries
            if self._on_site(entry.url) and is_article_path(urlsplit(entry.url).path)
        }
        known = self._known(articles)
        for url, entry in articles.items():
            record = known.get(url)
            if record is None:
                if url in self.found or (
                    self.since and entry.lastmod and entry.lastmod < self.since
                ):
                    continue
                # Backfill: an article no listing showed. A fallback section: an article that
                # may be one of its own (its page will tell).
                if (via == "sitemap" and backfill) or sources.may_belong(
                    url, self.rules, self.fallback
                ):
                    self.found.add(url, self.rules.by_url(url, self.fallback), via=via)
            elif record.status == 200 and entry.lastmod and _newer(entry.lastmod, record):
                stats.inc_value("atlantico/sitemap/changed")
                self.found.add(url, via=via)
        yield from self._sitemap_done()

    def parse_rss(self, response: Response) -> Iterator[Output]:
        """rss.xml: new articles of the sections whose listing was unreadable or not found."""
        self.crawler.stats.inc_value("atlantico/sitemap/read/rss")
        keys = self.unreadable | self.fallback
        candidates: dict[str, set[str]] = {}
        for entry in read_rss(response.body):
            if self._on_site(entry.url) and is_article_path(urlsplit(entry.url).path):
                sections = self.rules.of(entry.url, entry.categories, keys)
                if sections:
                    candidates[self._canonical(entry.url)] = sections
        known = self._known(candidates)
        for url, sections in candidates.items():
            if url not in known and url not in self.found:
                self.crawler.stats.inc_value("atlantico/rss/new")
                self.found.add(url, sections, via="rss")
        yield from self._sitemap_done()

    def sitemap_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("atlantico/error/sitemap_failed")
        logger.warning("Sitemap %s unavailable (%s)", request.url, failure.getErrorMessage())
        yield from self._sitemap_done()

    def _sitemap_done(self) -> Iterator[Output]:
        self.sitemaps_left -= 1
        if self.sitemaps_left == 0:
            yield from self._resolve_aliases()

    # -- 4. legacy URLs ------------------------------------------------------------------

    def _resolve_aliases(self) -> Iterator[Output]:
        """Ask each legacy URL where it leads before any article is requested."""
        requests = []
        for spellings in self.found.legacy_groups().values():
            first, *others = spellings
            for other in others:
                self.found.merge(other, first)
            # A legacy page already read as a probe is parsed as it is, in phase two.
            if not self.found.taken(first):
                requests.append(self._resolve_request(first, hops=0))
        self.resolving = len(requests)
        if not requests:
            yield from self._article_requests()
        yield from requests

    def _resolve_request(self, url: str, hops: int) -> Request:
        self.crawler.stats.inc_value("atlantico/discovery/legacy_resolved")
        return Request(
            url,
            callback=self.parse_resolved,
            errback=self.resolve_failed,
            # Redirects are read here, not followed: the target may be listed already.
            meta={
                "dont_redirect": True,
                "handle_httpstatus_list": REDIRECTS,
                "hops": hops,
                # An article request for the retry queue: a legacy URL failing is retried.
                "sections": sorted(self.found.sections.get(url, ())),
                "discovered_via": self.found.via.get(url) or "listing",
            },
            # Counted until answered: the duplicate filter must not drop one silently.
            dont_filter=True,
        )

    def parse_resolved(self, response: Response) -> Iterator[Output]:
        """A legacy URL's answer: a redirect (its sections join the target's) or the page."""
        url = self._canonical(response.url)
        location = response.headers.get("Location")
        if response.status in REDIRECTS and location:
            target = self._canonical(urljoin(response.url, location.decode("latin-1")))
            if not (self._on_site(target) and is_article_path(urlsplit(target).path)):
                self.crawler.stats.inc_value("atlantico/discovery/redirect_refused")
                logger.warning("%s redirects off the articles (%s); skipped", url, target)
                self.found.pop(url)
            elif target in self.found or self.found.taken(target):
                self.crawler.stats.inc_value("atlantico/discovery/redirect_merged")
                self.found.merge(url, target)
            elif is_legacy(target) and response.meta["hops"] < 5:
                self.found.merge(url, target)
                yield self._resolve_request(target, response.meta["hops"] + 1)
                return
            else:
                self.found.merge(url, target)
        else:
            sections, via, aliases = self.found.pop(url)
            self.found.requested.add(url)
            yield from self._parse_article(response, sections, via or "listing", aliases)
        yield from self._resolved()

    def resolve_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        url = self._canonical(request.url)
        if url not in self.queued:  # else queued for the next run, said by the queue
            self.crawler.stats.inc_value("atlantico/error/article_failed")
            logger.error("Article %s failed (%s)", request.url, failure.getErrorMessage())
        self.found.pop(url)
        yield from self._resolved()

    def _resolved(self) -> Iterator[Output]:
        self.resolving -= 1
        if self.resolving == 0:
            yield from self._article_requests()

    # -- 5. articles ---------------------------------------------------------------------

    def _article_requests(self) -> Iterator[Output]:
        stats = self.crawler.stats
        self.reading = True
        stats.set_value("atlantico/articles/found", len(self.found) + len(self.found.requested))
        for url, sections, via, aliases, page in self.found.to_read():
            if page is not None:
                yield from self._parse_article(page, sections, via or "listing", aliases)
            else:
                yield self.article_request(url, sections, via or "listing", aliases)

    def article_request(
        self,
        url: str,
        sections: Iterable[str],
        via: str,
        aliases: Iterable[str] = (),
        headers: dict[str, str] | None = None,
        early: bool = False,
    ) -> Request:
        """The request of one article, with the sections that listed it.

        Every article request is made here (the retry queue's too, with its conditional
        ``headers``), so that the run never asks twice and a later listing of the same URL
        gives its sections to this request's item. ``early``: asked before the listings are
        read; the page is kept until they are, then parsed with every section found for it.
        """
        url = self._canonical(url)
        self.found.requested.add(url)
        self.crawler.stats.inc_value("atlantico/articles/requested")
        meta: dict[str, Any] = {"sections": sorted(sections), "discovered_via": via}
        meta |= {"aliases": sorted(aliases), **({"early": True} if early else {})}
        return Request(url, callback=self.parse_article, headers=headers or None, meta=meta)

    def parse_article(self, response: Response) -> Iterator[Output]:
        """An article page (the first part of a multi-page article).

        @site_url ATLANTICO_CHECK_ARTICLE_PATH
        @returns items 1 1
        @scrapes headline datePublished articleBody url
        """
        if response.meta.get("early") and not self.reading:
            # Asked first (the retry queue, a revisit): kept until the listings are read.
            asked = [*response.meta.get("redirect_urls", ()), response.url]
            self.found.keep(
                self._canonical(asked[0]),
                {self._canonical(url) for url in asked},
                response.meta["sections"],
                response.meta["discovered_via"],
                response,
            )
            return
        yield from self._parse_article(
            response,
            response.meta.get("sections", ()),
            response.meta.get("discovered_via", "argument"),
            response.meta.get("aliases", ()),
        )

    def _parse_article(
        self, response: Response, sections: Iterable[str], via: str, aliases: Iterable[str]
    ) -> Iterator[Output]:
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("atlantico/error/article_not_html")
            logger.error("Not an HTML page, skipped: %s", response.url)
            return
        here = self._canonical(response.url)
        sections = set(sections) | self.found.parsing(here)
        item = extract_article(
            response, sections=sorted(sections), base_url=self.base_url, discovered_via=via
        )
        if item.canonicalUrl:
            # A page served under another URL than its own (a legacy URL answering 200): the
            # sections that listed its own URL are its too, and that URL is not asked again.
            own = article_url(item.canonicalUrl, self.base_netloc, self.base_scheme)
            more, more_aliases = self.found.claim(own, here)
            item.sections = sorted(set(item.sections) | more)
            aliases = {*aliases, *more_aliases}
        dropped = settle(
            item,
            via=via,
            rules=self.rules,
            fallback=self.fallback,
            wanted=self.wanted,
            since=self.since,
            asked=[*response.meta.get("redirect_urls", []), response.url, *aliases],
            canonical=self._canonical,
        )
        if dropped is not None:
            stats.inc_value(f"atlantico/skipped/{dropped}")
            return
        self.found.parsed_as(here, item.sections)
        for key in self.fallback.intersection(item.sections):
            # Articles of a section with no listing: all come from the sitemaps and feeds.
            stats.inc_value(f"atlantico/discovery/section_fallback/{key}")
        following = next_part(response, response.url)
        if following is None:
            yield item
            return
        stats.inc_value("atlantico/article/multipage")
        yield self._part_request(following, item, [], response.url, [response.url])

    def _part_request(
        self, url: str, item: Article, parts: list[Article], first: str, seen: list[str]
    ) -> Request:
        self.crawler.stats.inc_value("atlantico/article/parts_requested")
        return Request(
            url,
            callback=self.parse_article_part,
            errback=self.part_failed,
            meta={"item": item, "parts": parts, "first": first, "seen": [*seen, url]},
            # Parts are chained from their article only; the chain guards against loops.
            dont_filter=True,
        )

    def parse_article_part(self, response: Response) -> Iterator[Output]:
        """Part 2, 3… of a multi-page article: appended to the first part's item."""
        item: Article = response.meta["item"]
        parts: list[Article] = response.meta["parts"]
        if not isinstance(response, TextResponse):
            yield self._joined(item, parts, f"part {len(parts) + 2} is not an HTML page")
            return
        part = extract_article(
            response,
            sections=item.sections,
            base_url=self.base_url,
            discovered_via=item.metadata.get("discoveredVia"),
        )
        parts.append(part)
        seen: list[str] = response.meta["seen"]
        following = next_part(response, response.meta["first"], seen)
        limit = self.crawler.settings.getint("ATLANTICO_ARTICLE_MAX_PARTS")
        if following is not None and len(parts) + 1 < limit:
            yield self._part_request(following, item, parts, response.meta["first"], seen)
            return
        if following is not None:
            yield self._joined(item, parts, f"more than ATLANTICO_ARTICLE_MAX_PARTS={limit} parts")
            return
        yield self._joined(item, parts, None)

    def part_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        parts: list[Article] = request.meta["parts"]
        why = f"part {len(parts) + 2} ({request.url}) failed: {failure.getErrorMessage()}"
        # A WARNING: the article is exported, marked truncated, and says why in its item.
        logger.warning("Article %s: %s", request.meta["first"], why)
        yield self._joined(request.meta["item"], parts, why)

    def _joined(self, item: Article, parts: list[Article], failed: str | None) -> Article:
        if failed:
            self.crawler.stats.inc_value("atlantico/article/part_failed")
        self.crawler.stats.inc_value("atlantico/article/parts_joined", len(parts))
        return join_parts(item, parts, failed)

    def request_dropped(self, request: Request) -> None:
        """A redirected article request dropped as a duplicate: its sections are not lost.

        Legacy URLs are resolved before any article is requested; this catches the other
        redirects (a changed slug, a trailing slash) that land on a page already asked for.
        """
        sections = set(request.meta.get("sections", ()))
        if request.callback != self.parse_article or not request.meta.get("redirect_urls"):
            return
        target = self._canonical(request.url)
        lost = self.found.redirect_dropped(target, sections)
        if lost:
            self.crawler.stats.inc_value("atlantico/discovery/sections_lost")
            logger.warning(
                "%s redirects to %s, already exported without section(s) %s",
                request.meta["redirect_urls"][0],
                target,
                sorted(lost),
            )
        elif target not in self.found.parsed:
            self.crawler.stats.inc_value("atlantico/discovery/redirect_merged")

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Output]:
        """Default callback (``scrapy parse``, ``scrapy shell``): the URL is an article."""
        yield from self.parse_article(response)

    # -- helpers -------------------------------------------------------------------------

    def _known(self, urls: Iterable[str]) -> dict[str, Known]:
        """The articles among ``urls`` (canonical) that earlier runs exported."""
        return known_articles(self.store, urls)

    def _on_site(self, url: str) -> bool:
        return urls.host_key(urlsplit(url).netloc) == urls.host_key(self.base_netloc)

    def _canonical(self, url: str) -> str:
        return article_url(url, self.base_netloc, self.base_scheme)


def _newer(lastmod: datetime, record: Known) -> bool:
    """Whether a sitemap's lastmod is later than the version the store holds."""
    stored = record.date_modified or record.date_published
    return stored is None or lastmod > datetime.fromisoformat(stored)
