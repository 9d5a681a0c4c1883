"""Writes rejected items, with their errors, to the rejects feed (``ATLANTICO_REJECTS_URI``).

Invalid items (:class:`atlantico.exceptions.RejectedItem`, raised by the validate and schema
pipelines) are dropped, so no feed of ``FEEDS`` (nor ``-O file``) ever holds them; this
extension catches them on Scrapy's ``item_dropped`` signal and writes one JSON line each with
Scrapy's JSON Lines exporter: ``{"reason", "errors": {field: [messages]}, "item": {...}}``.
The file is created at the first reject only, so a clean run leaves none. Empty setting: off.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self, cast

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.exporters import JsonLinesItemExporter

from atlantico import stats as names
from atlantico.exceptions import RejectedItem
from atlantico.items import Article

logger = logging.getLogger(__name__)


class RejectsFeed:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.file: IO[bytes] | None = None
        self.exporter: JsonLinesItemExporter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        template = crawler.settings.get("ATLANTICO_REJECTS_URI")
        # Only crawls write files; `scrapy shell` and `scrapy parse` print what they find.
        if not template or not crawler.settings.getbool("ATLANTICO_SCHEDULED_RUN"):
            raise NotConfigured
        assert crawler.spidercls is not None
        # The same placeholders as a FEEDS URI: one file per run.
        time = datetime.now(UTC).replace(microsecond=0).isoformat().replace(":", "-")
        path = Path(template % {"name": crawler.spidercls.name, "time": time})
        extension = cls(crawler, path)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        if not isinstance(exception, RejectedItem):
            return  # duplicates and other deliberate drops are not invalid items
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(names.REJECTED_WRITTEN)
        data = item.to_dict() if isinstance(item, Article) else dict(item)
        if self.exporter is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("wb")
            self.exporter = JsonLinesItemExporter(cast(Any, self.file), ensure_ascii=False)
            self.exporter.start_exporting()
            self.crawler.stats.set_value(names.REJECTED_FILE, str(self.path))
        self.exporter.export_item(
            {"reason": str(exception), "errors": exception.errors, "item": data}
        )

    def spider_closed(self, spider: Spider) -> None:
        if self.exporter is not None and self.file is not None:
            self.exporter.finish_exporting()
            self.file.close()
            logger.info("Rejected items written to %s", self.path)
