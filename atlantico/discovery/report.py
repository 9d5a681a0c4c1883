"""What discovery says about a run: every ``atlantico/…`` stat it counts and every line it
logs, named here once, one method per event.

The spider calls these as things happen; a test reads the stats. Stat families: ``discovery/``
(how the sections and articles were found), ``listing/`` (the walks), ``sitemap/`` and ``rss/``
(the feeds), ``articles/`` and ``article/`` (requests and multi-page parts), ``skipped/``,
``error/`` and ``drift/``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from atlantico.discovery.listings import Taken
from atlantico.discovery.stop import WARN_REASONS

logger = logging.getLogger("atlantico.spiders.atlantico")


class Report:
    """Counts and log lines of discovery, over the crawler's stats.

    >>> from scrapy.utils.test import get_crawler
    >>> crawler = get_crawler()
    >>> crawler.stats.open_spider()
    >>> report = Report(crawler)
    >>> report.redirect("merged", "https://a.fr/d/1/x", "https://a.fr/article/d/x")
    >>> crawler.stats.get_value("atlantico/discovery/redirect_merged")
    1
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @property
    def stats(self) -> StatsCollector:
        # Set when the crawl starts, after the spider is made.
        assert self.crawler.stats is not None
        return self.crawler.stats

    def _inc(self, name: str, count: int = 1) -> None:
        self.stats.inc_value(f"atlantico/{name}", count)

    # -- sections --------------------------------------------------------------------------

    def sections_given(self, count: int) -> None:
        if count:
            self._inc("discovery/section_from/setting", count)

    def sections_found(self, keys: Iterable[str], url: str, source: str) -> None:
        """The section links found on the page at ``url`` (the home page, an article)."""
        for key in keys:
            self._inc(f"discovery/section_from/{source}")
            logger.info("Section %r: link found on %s (%s)", key, url, source)

    def probe_asked(self) -> None:
        self._inc("discovery/probes")

    def probe_failed(self, url: str, why: str) -> None:
        self._inc("error/probe_failed")
        logger.warning("Probe %s failed (%s)", url, why)

    # -- listings --------------------------------------------------------------------------

    def listing_page(self, key: str, taken: Taken, url: str) -> None:
        """A listing page read: its links, its next page, what earlier runs exported."""
        self._inc(f"listing/pages/{key}")
        self._inc(f"listing/links_from/{taken.layer}")
        if not taken.report.links:
            self._inc("drift/listing_without_articles")
            logger.error(
                "Section %r page %d (%s) lists no article link: the listing layout has changed "
                "or the page is not a listing.",
                key,
                taken.report.page,
                url,
            )
            return
        self._inc(f"listing/next_by/{taken.next_by}")
        if taken.known:
            self._inc("skipped/known", taken.known)
            self._inc(f"listing/known/{key}", taken.known)

    def walk_stopped(self, key: str, page: int, url: str, reason: str) -> None:
        self._inc(f"listing/stopped/{reason}")
        log = logger.warning if reason in WARN_REASONS else logger.info
        log("Section %r: walk stopped after page %d (%s): %s", key, page, url, reason)

    def listing_failed(self, key: str, url: str, why: str) -> None:
        self._inc("error/listing_failed")
        logger.error(
            "Section %r: listing page %s failed (%s); the walk of this section ends here.",
            key,
            url,
            why,
        )

    def ahead_asked(self, key: str) -> None:
        self._inc(f"listing/ahead/asked/{key}")

    def ahead_left(self, key: str, unread: int) -> None:
        """The walk ended leaving ``unread`` pages it had asked ahead (past its last page, or
        a pager that guessed wrong): no news, a stat."""
        if unread:
            self._inc(f"listing/ahead/unread/{key}", unread)

    def ahead_unread(self, key: str, page: int, url: str) -> None:
        logger.debug("Section %r: page %d (%s) came after its walk left it", key, page, url)

    def walked(self, key: str, found: int) -> None:
        logger.info("Section %r walked; %d articles found so far", key, found)

    # -- sitemaps and feeds ----------------------------------------------------------------

    def sitemap_read(self, via: str, changed: int = 0) -> None:
        self._inc(f"sitemap/read/{via}")
        if changed:
            self._inc("sitemap/changed", changed)

    def rss_read(self, new: int) -> None:
        self._inc("sitemap/read/rss")
        if new:
            self._inc("rss/new", new)

    def sitemap_failed(self, url: str, why: str) -> None:
        self._inc("error/sitemap_failed")
        logger.warning("Sitemap %s unavailable (%s)", url, why)

    # -- legacy URLs and redirects ---------------------------------------------------------

    def legacy_asked(self) -> None:
        self._inc("discovery/legacy_resolved")

    def redirect(self, outcome: str, url: str, target: str) -> None:
        """A legacy URL's redirect (:func:`atlantico.discovery.legacy.on_redirect`)."""
        if outcome == "refused":
            logger.warning("%s redirects off the articles (%s); skipped", url, target)
        if outcome in {"refused", "merged"}:
            self._inc(f"discovery/redirect_{outcome}")

    def redirect_dropped(self, first: str, target: str, lost: Iterable[str], merged: bool) -> None:
        """A redirected request dropped as a duplicate: merged, or its sections ``lost``."""
        if lost:
            self._inc("discovery/sections_lost")
            logger.warning(
                "%s redirects to %s, already exported without section(s) %s",
                first,
                target,
                sorted(lost),
            )
        elif merged:
            self._inc("discovery/redirect_merged")

    # -- articles --------------------------------------------------------------------------

    def articles_found(self, count: int) -> None:
        self.stats.set_value("atlantico/articles/found", count)

    def article_requested(self) -> None:
        self._inc("articles/requested")

    def article_failed(self, url: str, why: str) -> None:
        self._inc("error/article_failed")
        logger.error("Article %s failed (%s)", url, why)

    def not_html(self, url: str) -> None:
        self._inc("error/article_not_html")
        logger.error("Not an HTML page, skipped: %s", url)

    def skipped(self, reason: str) -> None:
        self._inc(f"skipped/{reason}")

    def article_read(
        self, sections: Iterable[str], fallback: Iterable[str], multipage: bool
    ) -> None:
        for key in set(fallback).intersection(sections):
            # Articles of a section with no listing: all come from the sitemaps and feeds.
            self._inc(f"discovery/section_fallback/{key}")
        if multipage:
            self._inc("article/multipage")

    def part_asked(self) -> None:
        self._inc("article/parts_requested")

    def part_failed(self, first: str, why: str) -> None:
        # A WARNING: the article is exported, marked truncated, and says why in its item.
        logger.warning("Article %s: %s", first, why)

    def parts_joined(self, count: int, failed: str | None) -> None:
        if failed:
            self._inc("article/part_failed")
        self._inc("article/parts_joined", count)
