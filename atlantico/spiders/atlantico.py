"""The ``atlantico`` spider: finds the sections, walks their listings, fetches the articles.

It only routes requests: what a page holds is read by :mod:`atlantico.extract`, items are
checked and deduplicated by the pipelines, and feeds are written by Scrapy's feed exports.

Two phases. First every section's listing is walked (one page after another, so pagination
and the ``since`` stop are exact); then each article found is requested once, with every
section that listed it. So an article listed in both sections is fetched once and its item
names both.

Arguments (``-a name=value``):

``sections``  comma-separated section keys (default: every key of ``ATLANTICO_SECTIONS``).
``max_pages`` listing pages per section, ``0`` for no limit (default ``ATLANTICO_MAX_PAGES``).
``since``     a date (``2026-11-01``, ``1er novembre 2026``): stop walking a section at the
              first listing page whose articles are all older, and skip older articles.
``mode``      ``incremental`` (default): with the store on, stop walking a section at the first
              listing page whose articles were all exported before (the watermark), request
              only unknown articles, and those the news sitemap says changed.
              ``backfill``: no watermark, no page limit unless ``max_pages`` is given, and the
              monthly sitemaps too; articles already exported are still not requested again.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, UsageError
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from atlantico import retry_queue, urls
from atlantico.context import RunContext
from atlantico.dates import parse_date
from atlantico.extract import extract_article
from atlantico.extract.listing import article_links, find_section_links, next_page
from atlantico.extract.rss import read_rss
from atlantico.extract.sitemap import read_sitemap
from atlantico.identity import article_key
from atlantico.items import Article
from atlantico.store import Known
from atlantico.urls import is_article_path, legacy_id

logger = logging.getLogger(__name__)


class AtlanticoSpider(scrapy.Spider):
    name = "atlantico"

    def __init__(
        self,
        sections: str | None = None,
        max_pages: str | int | None = None,
        since: str | None = None,
        mode: str = "incremental",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if mode not in {"incremental", "backfill"}:
            raise UsageError(f"mode={mode!r}: use incremental or backfill")
        self.mode = mode
        # The arguments as given, for the run's manifest.
        self.arguments = {
            "sections": sections,
            "max_pages": max_pages,
            "since": since,
            "mode": mode,
        }
        self._sections_arg = sections
        self._max_pages_arg = max_pages
        self.since: datetime | None = None
        if since:
            self.since = parse_date(since)
            if self.since is None:
                raise UsageError(f"since={since!r} is not a date (try 2026-11-01)")
        # Canonical article URL → keys of the sections that list it (phase one's result).
        self.found: dict[str, set[str]] = {}
        # Sections whose listing could not be read (failed, or no article link on it).
        self.unreadable: set[str] = set()
        # Section key → canonical article URLs its listing pages showed in this run.
        self.listed: dict[str, set[str]] = {}
        # Canonical article URL → how it was found, when not by a listing.
        self.via: dict[str, str] = {}
        self.walks_left = 0
        # Sitemaps and feeds still to read before the articles are requested.
        self.sitemaps_left = 0
        self.seen_listings: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure()
        return spider

    def configure(self) -> None:
        """Read the settings that define the site; fail early on a wrong argument."""
        settings = self.crawler.settings
        self.base_url = settings.get("ATLANTICO_BASE_URL").rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise UsageError(f"ATLANTICO_BASE_URL={self.base_url!r} is not an http(s) URL")
        self.base_netloc, self.base_scheme = parts.netloc, parts.scheme
        # The site answers on its bare host and on www.; OffsiteMiddleware allows subdomains.
        self.allowed_domains = [urls.host_key(parts.hostname)]
        self.labels: dict[str, str] = settings.getdict("ATLANTICO_SECTIONS")
        self.section_urls: dict[str, str] = settings.getdict("ATLANTICO_SECTION_URLS")
        wanted = self._sections_arg.split(",") if self._sections_arg else list(self.labels)
        self.wanted = [key.strip() for key in wanted if key.strip()]
        unknown = [key for key in self.wanted if key not in self.labels]
        if unknown or not self.wanted:
            raise UsageError(f"unknown section(s) {unknown}; known: {sorted(self.labels)}")
        raw_max = self._max_pages_arg
        if raw_max is None:
            raw_max = 0 if self.mode == "backfill" else settings.getint("ATLANTICO_MAX_PAGES")
        try:
            self.max_pages = int(raw_max)
        except ValueError:
            raise UsageError(f"max_pages={raw_max!r} is not a number") from None

    # -- phase one: sections and listings -------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        # The run's context (its store of exported articles), made by `scrapy crawl`.
        self.runs: RunContext | None = RunContext.of(self.crawler)
        for request in self._queued_articles():
            yield request
        given = {key: self.section_urls[key] for key in self.wanted if key in self.section_urls}
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

    def _queued_articles(self) -> Iterator[Request]:
        """What earlier runs could not deliver (the retry queue, due now), then the bounded
        revisits: requested before anything else, whatever the listings' watermark says."""
        for first in retry_queue.first_requests(self.crawler):
            yield Request(
                first.url,
                callback=self.parse_article,
                headers=first.headers or None,
                meta={"sections": list(first.sections), "discovered_via": first.via},
            )

    def parse_home(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            raise CloseSpider("home_not_html")
        missing = [key for key in self.wanted if key not in self.section_urls]
        found = find_section_links(response, {key: self.labels[key] for key in missing})
        for key in missing:
            if key not in found:
                self.crawler.stats.inc_value("atlantico/error/section_not_found")
                logger.error(
                    "Section %r: no link labelled %r on %s. The site's navigation has changed; "
                    "set ATLANTICO_SECTION_URLS to give the section's URL.",
                    key,
                    self.labels[key],
                    response.url,
                )
        targets = {k: self.section_urls.get(k) or found.get(k) for k in self.wanted}
        walks = {key: url for key, url in targets.items() if url}
        if not walks:
            raise CloseSpider("section_not_found")
        yield from self._start_walks(walks)

    def home_failed(self, failure: Failure) -> None:
        logger.error("The home page could not be fetched: %s", failure.getErrorMessage())
        raise CloseSpider("home_unreachable")

    def _start_walks(self, walks: dict[str, str]) -> Iterator[Request]:
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

    def parse_listing(self, response: Response) -> Iterator[Request]:
        key, page = response.meta["section"], response.meta["page"]
        stats = self.crawler.stats
        stats.inc_value(f"atlantico/listing/pages/{key}")
        entries, layer = (
            article_links(response, self.base_netloc)
            if isinstance(response, TextResponse)
            else ([], "none")
        )
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
        older = 0
        fresh: list[str] = []
        for entry in entries:
            if self.since and entry.date and entry.date < self.since:
                older += 1
                continue
            fresh.append(self._canonical(entry.url))
        # Articles this walk had not listed yet: a page with none is a calendar-style trap.
        listed = self.listed.setdefault(key, set())
        new = len(set(fresh) - listed)
        listed.update(fresh)
        known = self._known(fresh)
        for article_url in fresh:
            if article_url in known:
                stats.inc_value("atlantico/skipped/known")
                stats.inc_value(f"atlantico/listing/known/{key}")
            else:
                self.found.setdefault(article_url, set()).add(key)
        watermark = (
            self.mode == "incremental" and self.runs is not None and len(known) == len(fresh)
        )
        url, how = next_page(response) if isinstance(response, TextResponse) else (None, "none")
        stats.inc_value(f"atlantico/listing/next_by/{how}")
        if self.since and older == len(entries):
            stats.inc_value("atlantico/listing/stopped/since")
            logger.info("Section %r: page %d holds only articles before %s", key, page, self.since)
        elif watermark:
            stats.inc_value("atlantico/listing/stopped/watermark")
            logger.info("Section %r: every article on page %d was exported before", key, page)
        elif self.max_pages and page >= self.max_pages:
            stats.inc_value("atlantico/listing/stopped/max_pages")
            logger.info("Section %r: stopped at max_pages=%d", key, self.max_pages)
        elif not new:
            # A page listing only articles this walk already saw: a calendar-style trap.
            stats.inc_value("atlantico/listing/stopped/no_new_articles")
            logger.warning(
                "Section %r: page %d (%s) lists nothing new; stopping", key, page, response.url
            )
        elif page >= self.crawler.settings.getint("ATLANTICO_LISTING_PAGE_LIMIT"):
            stats.inc_value("atlantico/listing/stopped/page_limit")
            logger.warning(
                "Section %r: ATLANTICO_LISTING_PAGE_LIMIT reached at %s", key, response.url
            )
        elif url is None:
            stats.inc_value("atlantico/listing/stopped/last_page")
        elif self._canonical(url) in self.seen_listings:
            # A next link back to a page already read: a pagination loop or a calendar trap.
            stats.inc_value("atlantico/listing/stopped/loop")
            logger.warning("Section %r: next page %s was already read; stopping", key, url)
        else:
            yield self._listing_request(key, url, page + 1)
            return
        yield from self._end_walk(key)

    def listing_failed(self, failure: Failure) -> Iterator[Request]:
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

    def _end_walk(self, key: str) -> Iterator[Request]:
        self.walks_left -= 1
        logger.info("Section %r walked; %d articles found so far", key, len(self.found))
        if self.walks_left > 0:
            return
        # Sitemaps come after the listings, so that an article both listed and in a sitemap
        # is requested once, with its sections. Backfill walks the monthly sitemaps; an
        # incremental run reads the news sitemap (what changed) and, when a section's listing
        # could not be read, rss.xml (what is new).
        settings = self.crawler.settings
        discovery: list[tuple[str, str]] = []
        if self.mode == "backfill":
            discovery.append((settings.get("ATLANTICO_SITEMAP_INDEX"), "sitemap"))
        elif self.runs is not None:
            discovery.append((settings.get("ATLANTICO_NEWS_SITEMAP"), "news-sitemap"))
            if self.unreadable:
                discovery.append((settings.get("ATLANTICO_RSS"), "rss"))
        discovery = [(path, via) for path, via in discovery if path]
        if not discovery:
            yield from self._article_requests()
        for path, via in discovery:
            yield self._sitemap_request(path, via)

    # -- sitemaps -------------------------------------------------------------------------

    def _sitemap_request(self, path: str, via: str) -> Request:
        self.sitemaps_left += 1
        return Request(
            urljoin(self.base_url + "/", path),
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            meta={"via": via},
            dont_filter=True,
        )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        via = response.meta["via"]
        if via == "rss":
            yield from self.parse_rss(response)
            return
        entries, children = read_sitemap(response.body)
        stats = self.crawler.stats
        stats.inc_value(f"atlantico/sitemap/read/{via}")
        for child in children:
            if self._on_site(child):
                yield self._sitemap_request(child, via)
        urls = {
            self._canonical(entry.url): entry
            for entry in entries
            if self._on_site(entry.url) and is_article_path(urlsplit(entry.url).path)
        }
        known = self._known(urls)
        for url, entry in urls.items():
            record = known.get(url)
            if record is None:
                # Backfill: an article no listing showed. Incremental runs find new articles
                # by the listings; the news sitemap only tells them what changed.
                if via == "sitemap" and url not in self.found:
                    self.found[url] = set()
                    self.via[url] = via
            elif record.status == 200 and entry.lastmod and _newer(entry.lastmod, record):
                stats.inc_value("atlantico/sitemap/changed")
                self.found.setdefault(url, set())
                self.via.setdefault(url, via)
        yield from self._sitemap_done()

    def parse_rss(self, response: Response) -> Iterator[Request]:
        """New articles of the sections whose listing was unreadable, by the type in their URL
        or their category."""
        stats = self.crawler.stats
        stats.inc_value("atlantico/sitemap/read/rss")
        rules: dict[str, dict[str, str]] = self.crawler.settings.getdict("ATLANTICO_SECTION_RULES")
        candidates: dict[str, set[str]] = {}
        for entry in read_rss(response.body):
            if not (self._on_site(entry.url) and is_article_path(urlsplit(entry.url).path)):
                continue
            kind = urls.article_type(entry.url)
            sections = {
                key
                for key in self.unreadable
                if rules.get(key, {}).get("type") in (kind,)
                or rules.get(key, {}).get("category") in entry.categories
            }
            if sections:
                candidates[self._canonical(entry.url)] = sections
        known = self._known(candidates)
        for url, sections in candidates.items():
            if url not in known and url not in self.found:
                stats.inc_value("atlantico/rss/new")
                self.found[url] = sections
                self.via[url] = "rss"
        yield from self._sitemap_done()

    def sitemap_failed(self, failure: Failure) -> Iterator[Request]:
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("atlantico/error/sitemap_failed")
        logger.warning("Sitemap %s unavailable (%s)", request.url, failure.getErrorMessage())
        yield from self._sitemap_done()

    def _sitemap_done(self) -> Iterator[Request]:
        self.sitemaps_left -= 1
        if self.sitemaps_left == 0:
            yield from self._article_requests()

    # -- phase two: articles ------------------------------------------------------------------

    def _article_requests(self) -> Iterator[Request]:
        stats = self.crawler.stats
        stats.set_value("atlantico/articles/found", len(self.found))
        for url, sections in self.found.items():
            stats.inc_value("atlantico/articles/requested")
            yield Request(
                url,
                callback=self.parse_article,
                meta={"sections": sorted(sections), "discovered_via": self.via.get(url, "listing")},
            )

    def _known(self, urls: Iterable[str]) -> dict[str, Known]:
        """The articles among ``urls`` (canonical) that earlier runs exported."""
        if self.runs is None:
            return {}
        keys = {article_key(url): url for url in urls}
        found = {keys[key]: record for key, record in self.runs.store.known(keys).items()}
        # A legacy URL never seen before still names the article by its id.
        by_id = {
            ident: url for url in keys.values() if url not in found and (ident := legacy_id(url))
        }
        for ident, record in self.runs.store.known_ids(by_id).items():
            found[by_id[ident]] = record
        return found

    def _on_site(self, url: str) -> bool:
        return urls.host_key(urlsplit(url).netloc) == urls.host_key(self.base_netloc)

    def parse_article(self, response: Response) -> Iterator[Article]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("atlantico/error/article_not_html")
            logger.error("Not an HTML page, skipped: %s", response.url)
            return
        via = response.meta.get("discovered_via", "argument")
        sections = list(response.meta.get("sections", ()))
        item = extract_article(
            response, sections=sections, base_url=self.base_url, discovered_via=via
        )
        if via in {"sitemap", "news-sitemap", "retry-queue", "revisit"} and not sections:
            # Not found through a listing: its sections come from its type and category.
            item.sections = sorted(self.sections_of(item))
            if not item.sections:
                self.crawler.stats.inc_value("atlantico/skipped/not_in_sections")
                return
        asked = [*response.meta.get("redirect_urls", [])]
        if response.request is not None:
            asked.append(response.request.url)
        aliases = {article_key(self._canonical(url)) for url in asked} - {item.articleKey}
        if aliases:
            item.metadata["aliases"] = sorted(aliases)
        if (
            self.since
            and item.datePublished
            and datetime.fromisoformat(item.datePublished) < self.since
        ):
            self.crawler.stats.inc_value("atlantico/skipped/before_since")
            return
        yield item

    def sections_of(self, item: Article) -> list[str]:
        """The wanted sections an article belongs to by its type or category (sitemap finds)."""
        rules: dict[str, dict[str, str]] = self.crawler.settings.getdict("ATLANTICO_SECTION_RULES")
        found = []
        for key in self.wanted:
            rule = rules.get(key, {})
            if any(getattr(item, field) == value for field, value in rule.items()):
                found.append(key)
        return found

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Article]:
        """Default callback (``scrapy parse``, ``scrapy shell``): the URL is an article."""
        yield from self.parse_article(response)

    def _canonical(self, url: str) -> str:
        return urls.canonicalize(url, self.base_netloc, self.base_scheme)


def _newer(lastmod: datetime, record: Known) -> bool:
    """Whether a sitemap's lastmod is later than the version the store holds."""
    stored = record.date_modified or record.date_published
    return stored is None or lastmod > datetime.fromisoformat(stored)
