"""Writes the run's final stats as JSON to ``ATLANTICO_STATS_FILE`` (off when unset).

Scheduled runs and tests read the counters from this file instead of scraping the log.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


class StatsFile:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("ATLANTICO_STATS_FILE")
        if not path:
            raise NotConfigured  # a message here would log a warning on every plain run
        extension = cls(crawler, Path(path))
        # engine_stopped comes last: after the feeds are stored and the run committed.
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        assert self.crawler.stats is not None
        stats = {key: _jsonable(value) for key, value in self.crawler.stats.get_stats().items()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(stats, indent=1, sort_keys=True), encoding="utf-8")
        except OSError as error:
            logger.error("Could not write the stats file %s: %s", self.path, error)
