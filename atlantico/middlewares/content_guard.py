"""Answers to article requests that are not articles never reach the spider.

Each response to an article URL is classified by :func:`atlantico.extract.page_kind.page_kind`;
anything but an article is dropped and counted as ``atlantico/page/<kind>``: ``not_html``
(PDF, image), ``empty``, ``malformed`` (binary noise or a document cut short), ``soft_404``
("Page introuvable" with status 200), ``soft_404_redirect`` (an article URL redirected to the
home page or a listing), ``interstitial_cookie`` and ``interstitial_challenge``.

An interstitial (a consent wall or a bot challenge, on any page and with any status) is logged
as an ERROR: it means the site changed how it answers crawlers, and every article behind it is
missing from the feed until someone looks.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.statscollectors import StatsCollector

from atlantico import stats as names
from atlantico import urls
from atlantico.components import CrawlerComponent
from atlantico.extract.page_kind import article_page_kind, is_challenge

logger = logging.getLogger(__name__)


# Request.meta key: the page is judged where it is read (atlantico/reading.py: a reading worker
# parses it once for both), not here. Set by the spider on article requests when it reads in
# worker processes; only a 200 answer with text is left to the reader.
JUDGED_BY_READER = "atlantico_judged_by_reader"


def report_not_article(stats: StatsCollector, url: str, status: int, kind: str) -> None:
    """Count and say a page that is not an article (:func:`~atlantico.extract.page_kind`)."""
    stats.inc_value(names.PAGE_KIND.format(kind=kind))
    if kind.startswith("interstitial"):
        logger.error(
            "INTERSTITIAL (%s) instead of the page at %s (status %d): the site now answers "
            "crawlers with a consent wall or a bot challenge. Nothing behind it is exported.",
            kind.removeprefix("interstitial_"),
            url,
            status,
        )
    else:
        logger.warning("Not an article (%s), skipped: %s", kind, url)


class ContentGuardMiddleware(CrawlerComponent):
    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_obey_robotstxt"):
            return response  # robots.txt, judged by the robots middleware
        if (
            request.meta.get(JUDGED_BY_READER)
            and response.status == 200
            and isinstance(response, TextResponse)
        ):
            return response  # judged with its reading (a PDF or an image is judged here)
        requested = urls.first_asked(request.meta, request.url)
        is_article = urls.is_article_path(urlsplit(requested).path)
        text = response if isinstance(response, TextResponse) else None
        if text is not None and is_challenge(text):
            self._drop(request, response, "interstitial_challenge")
        if not is_article or response.status != 200:
            return response
        # The challenge test is not repeated: it has just been answered for this response.
        kind = article_page_kind(text, requested) if text is not None else "not_html"
        if kind != "article":
            self._drop(request, response, kind)
        return response

    def _drop(self, request: Request, response: Response, kind: str) -> None:
        url = request.url if kind.startswith("interstitial") else response.url
        report_not_article(self.stats, url, response.status, kind)
        raise IgnoreRequest(f"not an article: {kind}")
