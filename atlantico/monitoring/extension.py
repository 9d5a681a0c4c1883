"""The monitors' extension (``EXTENSIONS``: use this one, not
``spidermon.contrib.scrapy.extensions.Spidermon``).

It runs Spidermon's extension (:class:`~atlantico.monitoring.runner.LoggingSpidermon`: the same
suites, its run log through a logger), built when it has work to do. Importing Spidermon
imports jsonschema and its format checkers, about a tenth of a second that every run paid
before its first request, while the project's monitors run when the spider closes
(``SPIDERMON_SPIDER_CLOSE_MONITORS``). So Spidermon is loaded then, and runs the closing and
engine-stop suites as it would have. With monitors that run earlier (:data:`EARLY`: at the
spider's opening, periodic ones, field coverage counted on every item), it is built at start
and connected as Spidermon connects itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

if TYPE_CHECKING:
    from atlantico.monitoring.runner import LoggingSpidermon

# Spidermon's settings for work before the spider closes.
EARLY = (
    "SPIDERMON_SPIDER_OPEN_MONITORS",
    "SPIDERMON_SPIDER_OPEN_EXPRESSION_MONITORS",
    "SPIDERMON_PERIODIC_MONITORS",
    "SPIDERMON_ADD_FIELD_COVERAGE",
)


def early(settings: BaseSettings) -> bool:
    """Whether these settings give Spidermon work before the spider closes (:data:`EARLY`)."""
    opened, opened_expressions, periodic, coverage = EARLY
    return bool(
        settings.getlist(opened)
        or settings.getlist(opened_expressions)
        or settings.getdict(periodic)
        or settings.getbool(coverage)
    )


class Monitors:
    def __init__(self, crawler: Crawler, spidermon: LoggingSpidermon | None = None) -> None:
        self.crawler = crawler
        self.spidermon = spidermon

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        # Monitors judge crawls; `scrapy shell` and `scrapy parse` load the same settings.
        if not settings.getbool("ATLANTICO_SCHEDULED_RUN"):
            raise NotConfigured
        if not settings.getbool("SPIDERMON_ENABLED"):
            raise NotConfigured  # as Spidermon's own extension
        if early(settings):
            from atlantico.monitoring.runner import LoggingSpidermon

            return cls(crawler, LoggingSpidermon.from_crawler(crawler))
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def load(self) -> LoggingSpidermon:
        if self.spidermon is None:
            from atlantico.monitoring.runner import LoggingSpidermon

            self.spidermon = LoggingSpidermon.unconnected(self.crawler)
        return self.spidermon

    def spider_closed(self, spider: Spider) -> None:
        spidermon = self.load()
        spidermon.spider_opened(spider)  # nothing runs at opening (EARLY): it readies the close
        spidermon.spider_closed(spider)

    def engine_stopped(self) -> None:
        self.load().engine_stopped()
