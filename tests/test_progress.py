"""The progress line (atlantico/extensions/progress.py), driven directly: no clock involved."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from atlantico.extensions.progress import ProgressLog


def extension(**settings: object) -> ProgressLog:
    crawler = get_crawler(Spider, {"ATLANTICO_PROGRESS_INTERVAL": 30, **settings})
    return ProgressLog.from_crawler(crawler)


def test_the_line_carries_the_projects_counters(caplog: pytest.LogCaptureFixture) -> None:
    progress = extension()
    stats = progress.stats
    for name, value in {
        "atlantico/articles/found": 420,
        "atlantico/listing/pages/high-tech": 7,
        "atlantico/listing/pages/decryptages": 5,
        "atlantico/articles/requested": 120,
        "response_received_count": 133,
        "item_scraped_count": 110,
        "retry/count": 4,
        "item_dropped_count": 3,
        "log_count/ERROR": 1,
    }.items():
        stats.set_value(name, value)
    with caplog.at_level(logging.INFO, logger="atlantico.extensions.progress"):
        counts = progress.log_progress()
    assert counts == {
        "listed": 420,
        "listing_pages": 12,
        "requested": 120,
        "fetched": 133,
        "exported": 110,
        "exported_since": 110,
        "queued": 0,  # no engine running
        "retries": 4,
        "dropped": 3,
        "errors": 1,
    }
    (line,) = [r.getMessage() for r in caplog.records if r.name == progress.__module__]
    assert line == (
        "Progress: listed 420 articles (12 listing pages), requested 120, fetched 133 pages, "
        "exported 110 (+110 in 30 s), queued 0, retries 4, dropped 3, errors 1"
    )
    # The next line counts what was exported since this one.
    stats.set_value("item_scraped_count", 150)
    assert progress.log_progress()["exported_since"] == 40
    assert stats.get_value("atlantico/progress/lines") == 2
    assert stats.get_value("atlantico/progress/last_exported") == 150


def test_interval_zero_switches_it_off() -> None:
    with pytest.raises(NotConfigured):
        extension(ATLANTICO_PROGRESS_INTERVAL=0)
