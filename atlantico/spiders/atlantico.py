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
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, UsageError
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from atlantico import urls
from atlantico.dates import parse_date
from atlantico.extract import extract_article
from atlantico.extract.listing import article_links, find_section_links, next_page
from atlantico.items import Article

logger = logging.getLogger(__name__)


class AtlanticoSpider(scrapy.Spider):
    name = "atlantico"

    def __init__(
        self,
        sections: str | None = None,
        max_pages: str | int | None = None,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._sections_arg = sections
        self._max_pages_arg = max_pages
        self.since: datetime | None = None
        if since:
            self.since = parse_date(since)
            if self.since is None:
                raise UsageError(f"since={since!r} is not a date (try 2026-11-01)")
        # Canonical article URL → keys of the sections that list it (phase one's result).
        self.found: dict[str, set[str]] = {}
        self.walks_left = 0
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
            raw_max = settings.getint("ATLANTICO_MAX_PAGES")
        try:
            self.max_pages = int(raw_max)
        except ValueError:
            raise UsageError(f"max_pages={raw_max!r} is not a number") from None

    # -- phase one: sections and listings -------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        given = {key: self.section_urls[key] for key in self.wanted if key in self.section_urls}
        if len(given) == len(self.wanted):
            for request in self._start_walks(given):
                yield request
            return
        yield Request(f"{self.base_url}/", callback=self.parse_home, errback=self.home_failed)

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
            logger.error(
                "Section %r page %d (%s) lists no article link: the listing layout has changed "
                "or the page is not a listing.",
                key,
                page,
                response.url,
            )
            yield from self._end_walk(key)
            return
        older = new = 0
        for entry in entries:
            if self.since and entry.date and entry.date < self.since:
                older += 1
                continue
            sections = self.found.setdefault(self._canonical(entry.url), set())
            new += key not in sections
            sections.add(key)
        url, how = next_page(response) if isinstance(response, TextResponse) else (None, "none")
        stats.inc_value(f"atlantico/listing/next_by/{how}")
        if self.since and older == len(entries):
            stats.inc_value("atlantico/listing/stopped/since")
            logger.info("Section %r: page %d holds only articles before %s", key, page, self.since)
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
        if self.walks_left == 0:
            yield from self._article_requests()

    # -- phase two: articles ------------------------------------------------------------------

    def _article_requests(self) -> Iterator[Request]:
        self.crawler.stats.set_value("atlantico/articles/found", len(self.found))
        for url, sections in self.found.items():
            yield Request(
                url,
                callback=self.parse_article,
                meta={"sections": sorted(sections), "discovered_via": "listing"},
            )

    def parse_article(self, response: Response) -> Iterator[Article]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("atlantico/error/article_not_html")
            logger.error("Not an HTML page, skipped: %s", response.url)
            return
        item = extract_article(
            response,
            sections=response.meta.get("sections", ()),
            base_url=self.base_url,
            discovered_via=response.meta.get("discovered_via", "argument"),
        )
        if (
            self.since
            and item.datePublished
            and datetime.fromisoformat(item.datePublished) < self.since
        ):
            self.crawler.stats.inc_value("atlantico/skipped/before_since")
            return
        yield item

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Article]:
        """Default callback (``scrapy parse``, ``scrapy shell``): the URL is an article."""
        yield from self.parse_article(response)

    def _canonical(self, url: str) -> str:
        return urls.canonicalize(url, self.base_netloc, self.base_scheme)
