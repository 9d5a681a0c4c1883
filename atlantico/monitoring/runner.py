"""Spidermon's extension, logging through a logger; built by :mod:`atlantico.monitoring.extension`.

Spidermon 1.27 writes its run log with ``Spider.log()``, which Scrapy 2.13+ deprecates: every
run would log a deprecation warning, and the warning-count monitor would count it. This
subclass runs the same suites with a result that writes to the ``spidermon`` logger, and
writes a failed monitor's traceback at DEBUG: the run's failure report says what failed.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import Spider
from scrapy.crawler import Crawler
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


class LoggingSpidermon(Spidermon):
    @classmethod
    def unconnected(cls, crawler: Crawler) -> Self:
        """The extension :meth:`Spidermon.from_crawler` builds, from the same settings, without
        connecting it to the crawler's signals: its caller calls it."""
        settings = crawler.settings
        return cls(
            crawler=crawler,
            spider_opened_suites=settings.getlist("SPIDERMON_SPIDER_OPEN_MONITORS"),
            spider_closed_suites=settings.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS"),
            engine_stopped_suites=settings.getlist("SPIDERMON_ENGINE_STOP_MONITORS"),
            spider_opened_expression_suites=settings.getlist(
                "SPIDERMON_SPIDER_OPEN_EXPRESSION_MONITORS"
            ),
            spider_closed_expression_suites=settings.getlist(
                "SPIDERMON_SPIDER_CLOSE_EXPRESSION_MONITORS"
            ),
            engine_stopped_expression_suites=settings.getlist(
                "SPIDERMON_ENGINE_STOP_EXPRESSION_MONITORS"
            ),
            expressions_monitor_class=settings.get("SPIDERMON_EXPRESSIONS_MONITOR_CLASS"),
            periodic_suites=settings.getdict("SPIDERMON_PERIODIC_MONITORS"),
        )

    def _run_suites(self, spider: Spider, suites: list[Any]) -> None:
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            LoggerMonitorRunner(spider=spider).run(suite, **data)
