"""Drops items that lack what every article has, with a reason and a stat each.

Required: ``url``; ``headline``; ``articleBody`` on a free article (a premium page may show no
teaser at all: it is kept, ``bodyTruncated``). Nothing else drops an article: a page with no
date (real pages lack one) is exported with ``datePublished: null`` and a message in
``metadata.validationMessages`` (``atlantico/validation/datePublished`` counts them). A missing
headline or body on a page that is an article means the extractors no longer match the site:
when that happens to many pages, the run says so loudly. Stats:
``atlantico/dropped/invalid/<field>``.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from atlantico import stats as names
from atlantico.exceptions import RejectedItem
from atlantico.items import Article

logger = logging.getLogger(__name__)


def missing_fields(item: Article) -> list[str]:
    """The required fields an item lacks.

    >>> missing_fields(Article(url="u", headline="h", articleBody="b"))
    []
    >>> missing_fields(Article(url="u", headline="h", isAccessibleForFree=False))
    []
    >>> missing_fields(Article(url="u", isAccessibleForFree=True))
    ['headline', 'articleBody']
    """
    missing = [name for name in ("url", "headline") if not getattr(item, name)]
    premium = item.bodyTruncated or item.isAccessibleForFree is False
    if not item.articleBody and not premium:
        missing.append("articleBody")
    return missing


class ValidatePipeline:
    def __init__(self, stats: StatsCollector, alarm_share: float, alarm_minimum: int) -> None:
        self.stats = stats
        self.alarm_share = alarm_share
        self.alarm_minimum = alarm_minimum
        self.seen = 0
        self.invalid = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            crawler.stats,
            settings.getfloat("ATLANTICO_DRIFT_INVALID_SHARE"),
            settings.getint("ATLANTICO_DRIFT_MIN_ITEMS"),
        )

    def process_item(self, item: Article) -> Article:
        self.seen += 1
        if not item.datePublished:
            messages = item.metadata.setdefault("validationMessages", [])
            if not any(m.startswith("datePublished") for m in messages):
                messages.append("datePublished: no date found")
            self.stats.inc_value(names.EXPORTED_WITHOUT_DATE)
        missing = missing_fields(item)
        if missing:
            self.invalid += 1
            for name in missing:
                self.stats.inc_value(names.DROPPED_INVALID.format(field=name))
            raise RejectedItem(
                f"missing {', '.join(missing)} in {item.url}",
                {name: ["missing required field"] for name in missing},
            )
        return item

    def close_spider(self) -> None:
        if self.seen >= self.alarm_minimum and self.invalid / self.seen > self.alarm_share:
            self.stats.set_value(names.DRIFT_INVALID_SHARE, round(self.invalid / self.seen, 3))
            logger.error(
                "SITE LAYOUT DRIFT? %d of %d article pages lacked a required field (see the "
                "atlantico/dropped/invalid/* stats). Check one page with "
                "`python -m atlantico extract URL`.",
                self.invalid,
                self.seen,
            )
