"""The retry queue and revisits: what earlier runs could not deliver, and what may have changed.

- :class:`RetryQueue` (an extension) records every article request this run could not
  deliver: a download that failed for good (timeout, DNS, connection, a 5xx after Scrapy's
  retries, a truncated body), a redirect refused (to ``file:``, ``data:``, another host), or
  a request deferred because its host asked for a pause longer than
  ``ATLANTICO_RETRY_AFTER_MAX``. Each gets a WARNING ("queued for retry"); after
  ``ATLANTICO_RETRY_MAX_ATTEMPTS`` failed attempts it is given up with an ERROR, a stat and a
  line in the manifest. Failures arrive by the :data:`atlantico.signals.article_failed` and
  :data:`atlantico.signals.request_deferred` signals.
- :func:`first_requests` gives the spider what to request before anything else: the due
  entries of the queue, then up to ``ATLANTICO_REVISIT_PER_RUN`` revisits (exported articles
  published within ``ATLANTICO_REVISIT_WINDOW_DAYS`` and not fetched for
  ``ATLANTICO_REVISIT_AFTER_HOURS``, least recently fetched first), sent with
  ``If-None-Match``/``If-Modified-Since``.
- :class:`ConditionalMiddleware` turns a revisit's ``304 Not Modified`` into "unchanged" (a
  stat, no error, nothing lost), and keeps every article page's ``ETag``/``Last-Modified``.

An article request is one whose ``meta`` holds ``sections`` (the spider's article requests).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from atlantico import signals
from atlantico import stats as names
from atlantico.context import RunContext
from atlantico.identity import article_key

logger = logging.getLogger(__name__)


def is_article_request(request: Request) -> bool:
    return "sections" in request.meta


def first_url(request: Request) -> str:
    """The URL the article was asked for, before any redirect (the queue's key)."""
    return str((request.meta.get("redirect_urls") or [request.url])[0])


class RetryQueue:
    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        self.crawler = crawler
        self.context = context
        self.max_attempts = crawler.settings.getint("ATLANTICO_RETRY_MAX_ATTEMPTS")
        self.given_up: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = RunContext.of(crawler)
        if context is None:
            raise NotConfigured
        queue = cls(crawler, context)
        crawler.signals.connect(queue.article_failed, signal=signals.article_failed)
        crawler.signals.connect(queue.request_deferred, signal=signals.request_deferred)
        return queue

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def article_failed(self, request: Request, why: str, detail: str = "") -> None:
        if is_article_request(request):
            tries = request.meta.get("retry_times", 0) + 1
            what = (
                f"Not delivered ({why}): {first_url(request)}"
                if why == "refused_redirect"
                else f"Failed for good ({why}) after {tries} tries: {request.url} ({detail})"
            )
            self._record(request, why, time.time(), attempted=True, what=what)

    def request_deferred(
        self, request: Request, reason: str, not_before: float, attempted: bool = False
    ) -> None:
        if is_article_request(request):
            what = f"Deferred ({reason}): {request.url}"
            self._record(request, reason, not_before, attempted=attempted, what=what)

    def _record(
        self, request: Request, why: str, not_before: float, *, attempted: bool, what: str
    ) -> None:
        url = first_url(request)
        entry = self.context.store.queue(
            article_key(url),
            url,
            list(request.meta.get("sections") or ()),
            why,
            not_before,
            attempted=attempted,
            max_attempts=self.max_attempts,
        )
        self.stats.inc_value(names.QUEUE_WHY.format(why=why))
        if entry.state == "given_up":
            self.given_up.append(url)
            self.stats.inc_value(names.QUEUE_GIVEN_UP)
            self.stats.set_value(names.QUEUE_GIVEN_UP_URLS, list(self.given_up))
            logger.error(
                "Given up on %s after %d failed attempts (last: %s; ATLANTICO_RETRY_MAX_ATTEMPTS"
                "=%d): it is not requested again",
                url,
                entry.attempts,
                why,
                self.max_attempts,
            )
            return
        self.stats.inc_value(names.QUEUE_QUEUED)
        when = datetime.fromtimestamp(entry.not_before, UTC).isoformat(timespec="seconds")
        # A failure is a WARNING; a deferral (no request made: the host asked for a pause,
        # already said once at WARNING by the Retry-After middleware) is INFO.
        logger.log(
            logging.WARNING if attempted else logging.INFO,
            "%s; queued for retry (attempt %d of %d, not before %s)",
            what,
            entry.attempts,
            self.max_attempts,
            when,
        )


@dataclass(frozen=True)
class FirstRequest:
    """An article the spider requests before its listings: from the queue or a revisit."""

    url: str
    sections: tuple[str, ...]
    via: str
    """``retry-queue`` or ``revisit``."""
    headers: dict[str, str]


def first_requests(crawler: Crawler) -> list[FirstRequest]:
    """What a run requests first: the due retries, then the bounded revisits."""
    context = RunContext.of(crawler)
    if context is None:
        return []
    settings, stats = crawler.settings, crawler.stats
    assert stats is not None
    wanted: list[FirstRequest] = []
    for entry in context.store.due(time.time()):
        wanted.append(FirstRequest(entry.url, entry.sections, "retry-queue", {}))
        stats.inc_value(names.QUEUE_REQUESTED)
    if wanted:
        logger.info("Requesting %d article(s) from the retry queue first", len(wanted))
    now = datetime.now(UTC)
    checked_before = now - timedelta(hours=settings.getfloat("ATLANTICO_REVISIT_AFTER_HOURS"))
    published_after = now - timedelta(days=settings.getfloat("ATLANTICO_REVISIT_WINDOW_DAYS"))
    for revisit in context.store.revisits(
        checked_before.isoformat(timespec="seconds"),
        published_after.isoformat(timespec="seconds"),
        settings.getint("ATLANTICO_REVISIT_PER_RUN"),
    ):
        headers = {}
        if revisit.etag:
            headers["If-None-Match"] = revisit.etag
        if revisit.last_modified:
            headers["If-Modified-Since"] = revisit.last_modified
        wanted.append(FirstRequest(revisit.url, revisit.sections, "revisit", headers))
        stats.inc_value(names.REVISIT_REQUESTED)
    return wanted


# A page without validators (most): one tuple shared by every article, not one each.
_NO_VALIDATORS: tuple[str | None, str | None] = (None, None)


class ConditionalMiddleware:
    """Downloader middleware: 304 on an article is "unchanged"; validators kept for the store."""

    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        self.crawler = crawler
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = RunContext.of(crawler)
        if context is None:
            raise NotConfigured
        return cls(crawler, context)

    def process_response(self, request: Request, response: Response) -> Response:
        if not is_article_request(request):
            return response
        key = article_key(first_url(request))
        if response.status == 304:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(names.REVISIT_UNCHANGED)
            self.context.store.touch([key])
            self.context.store.resolve([key])
            logger.debug("Unchanged (304 Not Modified): %s", request.url)
            raise IgnoreRequest(f"unchanged (304): {request.url}")
        if 200 <= response.status < 300:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            validators = (
                (etag.decode("latin-1") if etag else None,
                 modified.decode("latin-1") if modified else None)
                if etag or modified
                else _NO_VALIDATORS
            )  # fmt: skip
            self.context.validators[key] = validators
            self.context.validators[article_key(response.url)] = validators
        return response
