"""Scrapy's ceiling on this machine: a spider that follows the links the crawler follows and
extracts nothing.

home → the two section listings (by their navigation labels) → next pages → article pages,
requested as the product requests them (path only: no tracking query, no ``www.``; legacy URLs
through their redirects). It yields no item and parses article pages not at all, so its time
is Scrapy's own: scheduling, downloading, the default middlewares, and the listing pages' links.

Run with ``scrapy runspider benchmarks/noop.py -a base_url=... -s NOOP_STATS_FILE=...`` outside
the project folder, so that none of the project's settings, pipelines or extensions load.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response

# Article URLs of every era (atlantico.urls, in one pattern: the ceiling needs no more).
ARTICLE_PATH = re.compile(
    r"^/(?:article/[a-z0-9-]+/[^/]+|[a-z0-9-]+/(?:[a-z0-9-]+/)?[^/]+-\d+\.html|[a-z0-9-]+/\d+/[^/]+)/?$"
)
NOT_ARTICLE = ("/author/", "/tag/", "/categorie/", "/sitemaps/", "/explore/")
SECTION_LABELS = ("High-tech", "Décryptages")


class NoopSpider(scrapy.Spider):
    name = "noop"

    def __init__(self, base_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    async def start(self) -> AsyncIterator[Request]:
        yield Request(f"{self.base_url}/", callback=self.parse_home)

    def parse_home(self, response: Response) -> Iterator[Request]:
        for label in SECTION_LABELS:
            href = response.xpath(f"//nav//a[normalize-space(.)='{label}']/@href").get()
            if href:
                yield response.follow(href, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        for href in response.xpath("//main//article//a/@href").getall():
            path = urlsplit(response.urljoin(href)).path
            if ARTICLE_PATH.match(path) and not path.startswith(NOT_ARTICLE):
                yield Request(self.base_url + path, callback=self.parse_article)
        next_href = response.xpath(
            "//link[@rel='next']/@href | //a[@rel='next']/@href"
            " | //a[contains(., 'suivante')]/@href"
        ).get()
        if next_href:
            yield response.follow(next_href, callback=self.parse_listing)

    def parse_article(self, response: Response) -> None:
        """Nothing: the page was downloaded, that is all the ceiling does."""

    def closed(self, reason: str) -> None:
        target = self.crawler.settings.get("NOOP_STATS_FILE")
        if target:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            Path(target).write_text(json.dumps(stats, default=str), encoding="utf-8")
