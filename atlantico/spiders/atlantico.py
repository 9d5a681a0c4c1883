"""The ``atlantico`` spider: it only routes, one callback per kind of response.

Pages are read by :mod:`atlantico.extract`; what they mean for the run is decided by
:mod:`atlantico.discovery` over the run's state (:class:`~atlantico.discovery.state.Discovery`,
which also checks the ``-a`` arguments) and said by :class:`~atlantico.discovery.report.Report`.
The phases, each started by the last answer of the one before (README, *How articles are
found*): retry queue and revisits, sections, listings, sitemaps and feeds, legacy URLs, articles.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from functools import cached_property
from typing import Any, Self

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from atlantico import retry_queue
from atlantico import signals as run_signals
from atlantico.context import RunContext
from atlantico.discovery import legacy, probes, sources
from atlantico.discovery.ahead import AHEAD_META
from atlantico.discovery.articles import article_meta, keep_early, read_article
from atlantico.discovery.known import known_articles
from atlantico.discovery.listings import Listed, read_page, take_listed
from atlantico.discovery.parts import Chain, next_part
from atlantico.discovery.phases import Countdown
from atlantico.discovery.report import Report, logger
from atlantico.discovery.sections import announce
from atlantico.discovery.state import Discovery
from atlantico.discovery.stop import decide
from atlantico.extract.rendering import CLIENT_APP
from atlantico.extract.rss import read_rss
from atlantico.extract.sitemap import read_sitemap
from atlantico.items import Article
from atlantico.middlewares.content_guard import JUDGED_BY_READER
from atlantico.middlewares.render import rendering_request
from atlantico.reading import PageReader, Reading
from atlantico.store import Known, Store
from atlantico.urls import first_asked

# What a callback yields: requests, and items once an article is read.
Output = Request | Article


class AtlanticoSpider(scrapy.Spider):
    name = "atlantico"
    run: Discovery
    report: Report
    reader: PageReader
    wanted: list[str]
    allowed_domains: list[str]

    def __init__(self, **kwargs: Any) -> None:
        # The arguments as given, for the run's manifest; checked in from_crawler.
        self.arguments = {
            name: kwargs.pop(name, "incremental" if name == "mode" else None)
            for name in ("sections", "max_pages", "since", "mode", "fallback")
        }
        super().__init__(**kwargs)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        given = {name: value for name, value in spider.arguments.items() if value is not None}
        spider.run = Discovery.of(crawler.settings, **given)
        spider.report = Report(crawler)
        spider.reader = PageReader.from_crawler(crawler)
        spider.wanted = spider.run.wanted  # the section keys this run crawls (the run report)
        # The site answers on its bare host and on www.; OffsiteMiddleware allows subdomains.
        spider.allowed_domains = [spider.run.site.domain]
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        for signal in (run_signals.article_failed, run_signals.request_deferred):
            crawler.signals.connect(spider.run.queue_failed, signal=signal)
        return spider

    @cached_property
    def store(self) -> Store | None:
        """The store (of the run context ``scrapy crawl`` opens); the spider's only way to it."""
        context = RunContext.of(self.crawler)
        return context.store if context is not None else None

    def known(self, urls: Iterable[str]) -> dict[str, Known]:
        """The articles among ``urls`` (canonical) that earlier runs exported."""
        return known_articles(self.store, urls)

    # -- 0. the retry queue and revisits, 1. sections --------------------------------------

    async def start(self) -> AsyncIterator[Output]:
        for first in retry_queue.first_requests(self.crawler):
            # Asked before anything else, parsed once the listings are read.
            yield self.article_request(
                first.url, first.sections, first.via, headers=first.headers, early=True
            )
        given = dict(self.run.search.targets)
        self.report.sections_given(len(given))
        if len(given) == len(self.wanted):
            for request in self._start_walks(given):
                yield request
            return
        # Not filtered: a run resumed from JOBDIR walks the sections again to find new articles.
        yield self._request("/", self.parse_home, self.home_failed, {})

    def parse_home(self, response: Response) -> Iterator[Output]:
        """The home page: section links in any of its menus.

        @site_url /
        @returns requests 1
        @finds_sections
        """
        if not isinstance(response, TextResponse):
            raise CloseSpider("home_not_html")
        self.report.sections_found(self.run.search.take(response), response.url, "home")
        # Sections still missing: recent articles print their category as a link.
        feeds = probes.feeds_to_read(self.run, self.settings)
        self.run.phases.probes.expect(len(feeds))
        for path, via in feeds:
            yield self._request(path, self.parse_probe_feed, self.probe_failed, {"via": via})
        if not feeds:
            yield from self._sections_known()

    def home_failed(self, failure: Failure) -> None:
        logger.error("The home page could not be fetched: %s", failure.getErrorMessage())
        raise CloseSpider("home_unreachable")

    def parse_probe_feed(self, response: Response) -> Iterator[Output]:
        """rss.xml or the news sitemap read for article pages that may link a section."""
        self.run.probes.offer(probes.feed_articles(response.body, response.meta["via"], self.run))
        yield from self._after(self.run.phases.probes, self._probe_pages)

    def parse_probe_article(self, response: Response) -> Iterator[Output]:
        """An article page read for its category link; kept to be parsed in phase two."""
        if isinstance(response, TextResponse):
            self.report.sections_found(self.run.search.take(response), response.url, "article")
            # Kept under the URL asked for and the URL answered (a redirect): phase two finds
            # it by either, and never asks again (the duplicate filter would drop the request).
            self.run.found.prefetch(probes.answered(response, self.run.site), response)
        yield from self._after(self.run.phases.probes, self._sections_known)

    def probe_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        self.report.probe_failed(request.url, failure.getErrorMessage())
        then = self._sections_known if request.meta.get("probe") == "article" else self._probe_pages
        yield from self._after(self.run.phases.probes, then)

    def _probe_pages(self) -> Iterator[Output]:
        """Every feed read: a few article pages, or with none to read, the sections as known."""
        picked = self.run.probes.pick(missing=len(self.run.search.missing()), found=self.run.found)
        self.run.phases.probes.expect(len(picked))
        for url in picked:
            self.report.probe_asked()
            meta = {"probe": "article"}
            yield self._request(url, self.parse_probe_article, self.probe_failed, meta, False)
        if not picked:
            yield from self._sections_known()

    def _sections_known(self) -> Iterator[Output]:
        """Every way of finding the sections has been tried: walk, fall back, or fail."""
        outcome = self.run.conclude_sections()
        announce(outcome, self.run.labels, self.run.site.base_url, self.crawler.stats)
        if not outcome.walks and not outcome.fallback:
            raise CloseSpider("section_not_found")
        yield from (self._start_walks(outcome.walks) if outcome.walks else self._walks_done())

    # -- 2. listings -----------------------------------------------------------------------

    def _start_walks(self, walks: dict[str, str]) -> Iterator[Output]:
        self.run.phases.walks.expect(len(walks))
        for key, url in walks.items():
            logger.info("Section %r starts at %s", key, url)
            yield self._listing_request(key, url, page=1)

    def _listing_request(self, key: str, url: str, page: int, ahead: bool = False) -> Request:
        if not ahead:  # a page asked ahead joins the walk's pages once the walk reaches it
            self.run.walks.seen.add(self.run.site.canonical(url))
        # Not filtered: listings are re-read by every run, they are how new articles are found.
        meta: dict[str, Any] = {"section": key, "page": page}
        if ahead:
            meta[AHEAD_META] = True
        return self._request(url, self.parse_listing, self.listing_failed, meta)

    def parse_listing(self, response: Response) -> Iterator[Output]:
        """One page of a section's listing: its article links, then the next page or the end.

        Taken in the walk's order: a page asked ahead (:mod:`atlantico.discovery.ahead`) waits
        for the pages before it.

        @site_url /
        @meta {"section": "decryptages", "page": 1}
        @lists_articles 5
        """
        key, page = response.meta["section"], response.meta["page"]
        listed = read_page(response, page=page, site=self.run.site)
        yield from self._arrived(key, page, first_asked(response.meta, response.url), listed)

    def listing_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        key, page = request.meta["section"], request.meta["page"]
        url = first_asked(request.meta, request.url)
        yield from self._arrived(key, page, url, failure.getErrorMessage())

    def _arrived(self, key: str, page: int, url: str, listed: Listed | str) -> Iterator[Output]:
        """Page ``page`` of ``key``'s walk is in (``str``: why it failed): the pages now due,
        in order."""
        walk = self.run.walk_ahead(key)
        if not walk.arrive(page, url, listed):
            self.report.ahead_unread(key, page, url)
            return
        while (due := walk.due()) is not None:
            number, asked_url, what = due
            if isinstance(what, str):
                self.report.listing_failed(key, asked_url, what)
                self.run.walks.unreadable.add(key)
                yield from self._end_walk(key)
                return
            taken = take_listed(what, key=key, page=number, run=self.run, known=self.known)
            self.report.listing_page(key, taken, what.url)
            if not taken.report.links:
                self.run.walks.unreadable.add(key)
                yield from self._end_walk(key)
                return
            report = taken.report
            reason = decide(self.run.stop_policy(has_store=self.store is not None), report)
            if reason is None and (next_url := report.next_url) is not None:
                self.run.walks.seen.add(self.run.site.canonical(next_url))
                for number_asked, url_asked, ahead in walk.go_on(
                    number, next_url, eager=report.all_new, limit=self.run.last_page
                ):
                    if ahead:
                        self.report.ahead_asked(key)
                    yield self._listing_request(key, url_asked, number_asked, ahead)
                continue
            self.report.walk_stopped(key, number, what.url, str(reason))
            yield from self._end_walk(key)
            return

    def _end_walk(self, key: str) -> Iterator[Output]:
        self.report.ahead_left(key, self.run.walk_ahead(key).end())
        self.report.walked(key, len(self.run.found))
        self.run.walks.ended(key)
        yield from self._after(self.run.phases.walks, self._walks_done)

    # -- 3. sitemaps and feeds -------------------------------------------------------------

    def _walks_done(self) -> Iterator[Output]:
        # After the listings: an article both listed and in a sitemap is asked once.
        plan = sources.plan_for(self.run, self.settings, has_store=self.store is not None)
        if not plan:
            yield from self._resolve_aliases()
        for path, via in plan:
            yield self._sitemap_request(path, via)

    def _sitemap_request(self, path: str, via: str) -> Request:
        self.run.phases.sitemaps.expect()
        callback = self.parse_rss if via == "rss" else self.parse_sitemap
        return self._request(path, callback, self.sitemap_failed, {"via": via})

    def parse_sitemap(self, response: Response) -> Iterator[Output]:
        """A sitemap index (its children), a monthly sitemap or the news sitemap.

        @site_url /sitemap-index.xml
        @meta {"via": "sitemap"}
        @returns requests 1
        """
        via = response.meta["via"]
        entries, children = read_sitemap(response.body)
        for child in sources.children_to_read(children, self.run, self.settings):
            yield self._sitemap_request(child.url, via)
        changed = sources.take_sitemap(entries, via=via, run=self.run, known=self.known)
        self.report.sitemap_read(via, changed)
        yield from self._after(self.run.phases.sitemaps, self._resolve_aliases)

    def parse_rss(self, response: Response) -> Iterator[Output]:
        """rss.xml: new articles of the sections whose listing was unreadable or not found."""
        new = sources.take_rss(read_rss(response.body), run=self.run, known=self.known)
        self.report.rss_read(new)
        yield from self._after(self.run.phases.sitemaps, self._resolve_aliases)

    def sitemap_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        self.report.sitemap_failed(request.url, failure.getErrorMessage())
        yield from self._after(self.run.phases.sitemaps, self._resolve_aliases)

    # -- 4. legacy URLs --------------------------------------------------------------------

    def _resolve_aliases(self) -> Iterator[Output]:
        """Ask each legacy URL where it leads before any article is requested."""
        asked = legacy.to_resolve(self.run.found)
        self.run.phases.resolving.expect(len(asked))
        if not asked:
            yield from self._article_requests()
        for url in asked:
            yield self._resolve_request(url, hops=0)

    def _resolve_request(self, url: str, hops: int) -> Request:
        self.report.legacy_asked()
        # Not filtered: counted until answered, the duplicate filter must not drop one.
        meta = legacy.resolve_meta(self.run.found, url, hops)
        return self._request(url, self.parse_resolved, self.resolve_failed, meta)

    def parse_resolved(self, response: Response) -> Iterator[Output]:
        """A legacy URL's answer: a redirect (its sections join the target's) or the page."""
        url, hops = self.run.site.canonical(response.url), response.meta["hops"]
        target = legacy.redirect_target(response, self.run.site)
        if target is None:
            yield from self._parse_article(response, *legacy.served_here(self.run.found, url))
            yield from self._after(self.run.phases.resolving, self._article_requests)
            return
        outcome = legacy.on_redirect(self.run.found, url, target, hops, self.run.site)
        self.report.redirect(outcome, url, target)
        if outcome == "follow":
            yield self._resolve_request(target, hops + 1)
        else:
            yield from self._after(self.run.phases.resolving, self._article_requests)

    def resolve_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        url = self.run.site.canonical(request.url)
        if url not in self.run.queued:  # else queued for the next run, said by the queue
            self.report.article_failed(request.url, failure.getErrorMessage())
        self.run.found.pop(url)
        yield from self._after(self.run.phases.resolving, self._article_requests)

    # -- 5. articles -----------------------------------------------------------------------

    def _article_requests(self) -> Iterator[Output]:
        self.run.phases.reading = True
        self.report.articles_found(len(self.run.found) + len(self.run.found.requested))
        for url, sections, via, aliases, page in self.run.found.to_read():
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
        """The request of one article with its sections; every article request (the retry
        queue's too, with conditional ``headers``) is made here, so none is made twice. ``early``:
        asked before the listings are read (the page is kept until they are)."""
        url = self.run.site.canonical(url)
        self.run.found.requested.add(url)
        self.report.article_requested()
        meta = article_meta(sections, via, aliases, early=early)
        if self.reader.workers:  # judged with its reading, in a worker: parsed once
            meta[JUDGED_BY_READER] = True
        return Request(url, callback=self.parse_article, headers=headers or None, meta=meta)

    async def parse_article(self, response: Response) -> AsyncIterator[Output]:
        """An article page (the first part of a multi-page article), read by the page reader
        (a worker process in a fast crawl, :mod:`atlantico.reading`).

        @site_url ATLANTICO_CHECK_ARTICLE_PATH
        @returns items 1 1
        @scrapes headline datePublished articleBody url
        """
        if keep_early(response, self.run):
            return  # asked first (the retry queue, a revisit): kept until the listings are read
        meta = response.meta
        sections, via = meta.get("sections", ()), meta.get("discovered_via", "argument")
        reading = None
        if isinstance(response, TextResponse):
            reading = await self.reader.read(response, self.run.site.base_url, via)
        for output in self._parse_article(
            response, sections, via, meta.get("aliases", ()), reading
        ):
            yield output

    def _parse_article(
        self,
        response: Response,
        sections: Iterable[str],
        via: str,
        aliases: Iterable[str],
        reading: Reading | None = None,
    ) -> Iterator[Output]:
        if not isinstance(response, TextResponse):
            self.report.not_html(response.url)
            return
        if reading is None:  # a page kept for later, or a legacy URL's own page
            reading = self.reader.read_here(response, self.run.site.base_url, via)
        if reading.kind == CLIENT_APP and response.request is not None:
            # Built in the browser: asked again, rendered, with what is now known of it.
            yield rendering_request(response.request, **article_meta(sections, via, aliases))
            return
        if reading.item is None:
            return  # not an article after all (a soft 404…): said by the reader
        item, dropped = read_article(response, sections, via, aliases, self.run, reading.item)
        if dropped is not None:
            self.report.skipped(dropped)
            return
        following = reading.next_part
        self.report.article_read(item.sections, self.run.fallback, following is not None)
        yield from self._next_part(Chain(item, response.url), following)

    def parse_article_part(self, response: Response) -> Iterator[Output]:
        """Part 2, 3… of a multi-page article: appended to the first part's item."""
        chain: Chain = response.meta["chain"]
        if not isinstance(response, TextResponse):
            yield from self._next_part(chain, failed=f"part {chain.number} is not an HTML page")
            return
        chain.read(response, self.run.site.base_url)
        yield from self._next_part(chain, next_part(response, chain.first, chain.seen))

    def part_failed(self, failure: Failure) -> Iterator[Output]:
        request = failure.request  # type: ignore[attr-defined]
        chain: Chain = request.meta["chain"]
        why = f"part {chain.number} ({request.url}) failed: {failure.getErrorMessage()}"
        self.report.part_failed(chain.first, why)
        yield from self._next_part(chain, failed=why)

    def _next_part(
        self, chain: Chain, following: str | None = None, failed: str | None = None
    ) -> Iterator[Output]:
        """The next part's request, or the item: whole, joined, or incomplete (``failed``)."""
        limit = self.settings.getint("ATLANTICO_ARTICLE_MAX_PARTS")
        url, failed = (None, failed) if failed else chain.step(following, limit)
        if url is not None:
            self.report.part_asked()
            # Not filtered: parts are chained from their article only; the chain guards loops.
            yield self._request(url, self.parse_article_part, self.part_failed, {"chain": chain})
        elif chain.parts or failed:
            self.report.parts_joined(len(chain.parts), failed)
            yield chain.joined(failed)
        else:
            yield chain.item  # a one-page article

    def request_dropped(self, request: Request) -> None:
        """A redirected article request dropped as a duplicate: its sections are not lost.

        Legacy URLs are resolved before any article is requested; this catches the other
        redirects (a changed slug, a trailing slash) that land on a page already asked for.
        """
        if request.callback == self.parse_article and request.meta.get("redirect_urls"):
            self.report.redirect_dropped(*legacy.dropped(self.run.found, request, self.run.site))

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Output]:
        """Default callback (``scrapy parse``, ``scrapy shell``): the URL is an article."""
        async for output in self.parse_article(response):
            yield output

    def _after(self, phase: Countdown, then: Callable[[], Iterator[Output]]) -> Iterator[Output]:
        """One answer of ``phase`` arrived: on the last one, what comes next."""
        if phase.answered():
            yield from then()

    def _request(
        self, url: str, callback: Any, errback: Any, meta: dict[str, Any], unfiltered: bool = True
    ) -> Request:
        """A request of a discovery page (``url`` may be a path on the site)."""
        url = self.run.site.url(url)
        return Request(url, callback, meta=meta, errback=errback, dont_filter=unfiltered)
