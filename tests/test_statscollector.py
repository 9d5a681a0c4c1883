"""The project's stats collector keeps what Scrapy's memory collector does, warnings included."""

from __future__ import annotations

import warnings
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from atlantico.statscollector import AtlanticoStatsCollector


def run(collector: Any) -> tuple[dict[str, Any], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        collector.open_spider()
        collector.inc_value("a")
        collector.inc_value("a", 2)
        collector.inc_value("b", start=10)
        collector.max_value("m", 3)
        collector.max_value("m", 1)
        collector.min_value("n", 3)
        collector.min_value("n", 1)
        collector.set_value("s", "x")
        collector.inc_value("a", spider=None)  # deprecated: warns
        # Each wrapped method, the spider given by keyword and by position.
        collector.inc_value("a", 1, 0, None)
        collector.get_value("a", None, None)
        collector.set_value("t", 1, spider=None)
        collector.max_value("m", 2, None)
        collector.min_value("n", 2, spider=None)
        collector.get_stats(None)
        collector.open_spider(None)
        got = collector.get_value("a"), collector.get_value("zz", 7)
        collector.set_value("got", got)
        stats = dict(collector.get_stats())
        collector.set_stats(dict(stats), spider=None)
        collector.close_spider(None, reason="finished")
        collector.close_spider(reason="finished")
        collector.clear_stats(spider=None)
        collector.clear_stats()
        left = dict(collector.get_stats())
    where = {(w.category, w.filename) for w in caught}
    return {**stats, "left": left}, [str(w.message) for w in caught] + [str(sorted(where))]


def test_same_stats_and_warnings_as_scrapy_s_collector() -> None:
    crawler = get_crawler(settings_dict={"STATS_DUMP": False})
    ours = run(AtlanticoStatsCollector(crawler))
    assert ours == run(MemoryStatsCollector(crawler))
    assert (ours[0]["a"], ours[0]["m"], ours[0]["n"]) == (5, 3, 1)
    assert sum("'spider' argument" in message for message in ours[1]) == 11
    assert "test_statscollector.py" in ours[1][-1]  # said where the call is, as Scrapy does


def test_the_project_uses_it() -> None:
    settings = get_project_settings()
    assert load_object(settings["STATS_CLASS"]) is AtlanticoStatsCollector
