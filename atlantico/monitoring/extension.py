"""Spidermon's extension, logging through a logger (``EXTENSIONS``: use this one, not
``spidermon.contrib.scrapy.extensions.Spidermon``).

Spidermon 1.27 writes its run log with ``Spider.log()``, which Scrapy 2.13+ deprecates: every
run would log a deprecation warning, and the warning-count monitor would count it. This
subclass runs the same suites with a result that writes to the ``spidermon`` logger, and
writes a failed monitor's traceback at DEBUG: the run's failure report says what failed.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import SpiderMonitorResult, SpiderMonitorRunner

logger = logging.getLogger("spidermon")


class LoggerMonitorResult(SpiderMonitorResult):
    def log(self, msg: Any, level: int = logging.DEBUG) -> None:
        if level >= logging.ERROR:
            level = logging.DEBUG  # tracebacks of failed monitors: the report says it better
        logger.log(level, "[Spidermon] %s", msg)


class LoggerMonitorRunner(SpiderMonitorRunner):
    def create_result(self) -> LoggerMonitorResult:
        return LoggerMonitorResult(self.spider)


class Monitors(Spidermon):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Monitors:
        # Monitors judge crawls; `scrapy shell` and `scrapy parse` load the same settings.
        if not crawler.settings.getbool("ATLANTICO_SCHEDULED_RUN"):
            raise NotConfigured
        extension: Monitors = super().from_crawler(crawler)
        return extension

    def _run_suites(self, spider: Spider, suites: list[Any]) -> None:
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            LoggerMonitorRunner(spider=spider).run(suite, **data)
