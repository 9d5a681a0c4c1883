"""A progress line every ``ATLANTICO_PROGRESS_INTERVAL`` seconds with the project's own counters.

Scrapy's LogStats says pages and items per minute; a backfill of thousands of articles needs to
know how far it is. Every interval (default 60 s; 0: off), beside LogStats::

    Progress: listed 4210 articles (38 listing pages), requested 1203, fetched 1250 pages,
    exported 1187 (+212 in 60 s), queued 3007, retries 4, dropped 9, errors 0

(one line in the log). The counters are stats:

- ``listed``: articles found on listings, sitemaps and feeds (``atlantico/articles/found``)
  and the listing pages read (``atlantico/listing/pages/*``);
- ``requested``: article pages requested (``atlantico/articles/requested``);
- ``fetched``: responses received (``response_received_count``);
- ``exported``: items that reached the feed (``item_scraped_count``), and since the last line;
- ``queued``: requests waiting in the scheduler; ``retries``: Scrapy's ``retry/count``;
- ``dropped``: ``item_dropped_count``; ``errors``: ``log_count/ERROR``.

Each line also sets ``atlantico/progress/lines`` and ``atlantico/progress/last_exported``.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from atlantico import stats as names
from atlantico.components import CrawlerComponent

logger = logging.getLogger(__name__)


class ProgressLog(CrawlerComponent):
    def __init__(self, crawler: Crawler, interval: float) -> None:
        super().__init__(crawler)
        self.interval = interval
        self.exported_before = 0
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("ATLANTICO_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.task = create_looping_call(self.log_progress)
        # now=False: the first line comes after one interval, when there is progress to tell.
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def queued(self) -> int:
        """Requests waiting in the scheduler (0 before the engine runs)."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # Scrapy's "not set yet"
            return 0
        scheduler = getattr(engine, "scheduler", None) if engine is not None else None
        size = getattr(scheduler, "__len__", None)
        return int(size()) if size is not None else 0

    def counters(self) -> dict[str, int]:
        values = self.stats.get_stats()
        exported = int(values.get("item_scraped_count", 0))
        pages = names.LISTING_PAGES.format(section="")
        listing_pages = sum(int(v) for k, v in values.items() if k.startswith(pages))
        return {
            "listed": int(values.get(names.ARTICLES_FOUND, 0)),
            "listing_pages": listing_pages,
            "requested": int(values.get(names.ARTICLES_REQUESTED, 0)),
            "fetched": int(values.get("response_received_count", 0)),
            "exported": exported,
            "exported_since": exported - self.exported_before,
            "queued": self.queued(),
            "retries": int(values.get("retry/count", 0)),
            "dropped": int(values.get("item_dropped_count", 0)),
            "errors": int(values.get("log_count/ERROR", 0)),
        }

    def log_progress(self) -> dict[str, int]:
        """Log one progress line; returns its counters."""
        counts = self.counters()
        logger.info(
            "Progress: listed %(listed)d articles (%(listing_pages)d listing pages), "
            "requested %(requested)d, fetched %(fetched)d pages, exported %(exported)d "
            "(+%(exported_since)d in %(interval)g s), queued %(queued)d, retries %(retries)d, "
            "dropped %(dropped)d, errors %(errors)d",
            {**counts, "interval": self.interval},
        )
        self.exported_before = counts["exported"]
        self.stats.inc_value(names.PROGRESS_LINES)
        self.stats.set_value(names.PROGRESS_LAST_EXPORTED, counts["exported"])
        return counts
