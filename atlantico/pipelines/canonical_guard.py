"""A canonical link that points off the site is not believed.

The canonical URL is the article's key (deduplication, the store); a page whose
``<link rel=canonical>`` names another host (a hijacked template, a syndicated copy) would
file the article under someone else's URL. The item keeps its own URL as canonical instead, and
nothing is ever fetched from the canonical link. Stat: ``atlantico/refused/canonical``.
"""

from __future__ import annotations

import logging
from typing import Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from atlantico import stats as names
from atlantico.identity import article_key
from atlantico.items import Article
from atlantico.middlewares.offsite_guard import is_site_host

logger = logging.getLogger(__name__)


# Hosts whose verdict is kept (a run's canonical links name one or two).
HOSTS_KEPT = 1024


class CanonicalGuardPipeline:
    def __init__(self, stats: StatsCollector, site_host: str) -> None:
        self.stats = stats
        self.site_host = site_host
        # A canonical link that starts with the site's own origin names the site's host
        # (urlsplit would give that very netloc): no parse for the usual item.
        self.own_origins: tuple[str, ...] = (
            (f"https://{site_host}/", f"http://{site_host}/")
            if site_host and is_site_host(site_host, site_host)
            else ()
        )
        self.hosts: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        base = crawler.settings.get("ATLANTICO_BASE_URL")
        return cls(crawler.stats, urlsplit(base).netloc)

    def on_site(self, canonical: str) -> bool:
        """Whether the canonical URL's host is the site's (:func:`is_site_host`)."""
        if self.own_origins and canonical.startswith(self.own_origins):
            return True
        netloc = urlsplit(canonical).netloc
        verdict = self.hosts.get(netloc)
        if verdict is None:
            verdict = is_site_host(netloc, self.site_host)
            if len(self.hosts) < HOSTS_KEPT:
                self.hosts[netloc] = verdict
        return verdict

    def process_item(self, item: Article) -> Article:
        canonical = item.canonicalUrl
        if canonical and not self.on_site(canonical):
            self.stats.inc_value(names.REFUSED_CANONICAL)
            logger.warning(
                "Canonical link of %s points off the site (%s); its own URL is kept",
                item.url,
                canonical,
            )
            item.canonicalUrl = item.url
            item.metadata.setdefault("sources", {})["canonicalUrl"] = "url"
            # The key follows the canonical URL: dedupe and the store must not see the
            # foreign page's path.
            if item.url:
                item.articleKey = article_key(item.url)
        return item
