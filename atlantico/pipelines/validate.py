"""Drops items that lack what every article has, with a reason and a stat each.

Required: ``url``; ``headline``; ``datePublished`` unless a validation message says why it is
missing (an unparseable date is kept, flagged); ``articleBody`` unless the body is a premium
teaser (``bodyTruncated``). A missing headline or body on a page that is an article means the
extractors no longer match the site: when that happens to many pages, the run says so loudly.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from atlantico.exceptions import RejectedItem
from atlantico.items import Article

logger = logging.getLogger(__name__)


def missing_fields(item: Article) -> list[str]:
    """The required fields an item lacks.

    >>> missing_fields(Article(url="u", headline="h", articleBody="b"))
    ['datePublished']
    >>> missing_fields(Article(url="u", headline="h", bodyTruncated=True,
    ...     metadata={"validationMessages": ["datePublished: unparseable date 'x'"]}))
    []
    """
    missing = [name for name in ("url", "headline") if not getattr(item, name)]
    explained = any(
        m.startswith("datePublished") for m in item.metadata.get("validationMessages", [])
    )
    if not item.datePublished and not explained:
        missing.append("datePublished")
    if not item.articleBody and not item.bodyTruncated:
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
        missing = missing_fields(item)
        if missing:
            self.invalid += 1
            for name in missing:
                self.stats.inc_value(f"atlantico/dropped/invalid/{name}")
            raise RejectedItem(
                f"missing {', '.join(missing)} in {item.url}",
                {name: ["missing required field"] for name in missing},
            )
        return item

    def close_spider(self) -> None:
        if self.seen >= self.alarm_minimum and self.invalid / self.seen > self.alarm_share:
            self.stats.set_value(
                "atlantico/drift/invalid_share", round(self.invalid / self.seen, 3)
            )
            logger.error(
                "SITE LAYOUT DRIFT? %d of %d article pages lacked a required field (see the "
                "atlantico/dropped/invalid/* stats). Check one page with "
                "`python -m atlantico extract URL`.",
                self.invalid,
                self.seen,
            )
