"""The project's Spidermon monitors, run when the spider closes (see ``suites``).

Each failing monitor's message is one short paragraph with the figures and the stat or file
to look at; :mod:`atlantico.monitoring.actions` gathers them into the run's failure report.
Spidermon's stock monitors (errors, warnings, finish reason, HTTP statuses) run beside them.
"""

from __future__ import annotations

from typing import Any

from spidermon import monitors
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.contrib.scrapy.monitors.monitors import UnwantedHTTPCodesMonitor

from atlantico import stats as names
from atlantico.monitoring import drift
from atlantico.monitoring.history import history_path, read_history, site_of
from atlantico.monitoring.summary import by_prefix, coverage, percent, sources, summarize


@monitors.name("Section item count")
class SectionItemCountMonitor(BaseScrapyMonitor):
    """Every crawled section lists at least ATLANTICO_MIN_ITEMS_PER_SECTION articles, read in
    this run or exported by an earlier one."""

    @monitors.name("each crawled section yields articles")
    def test_sections_yield_articles(self) -> None:
        minimum = self.crawler.settings.getint("ATLANTICO_MIN_ITEMS_PER_SECTION")
        read = by_prefix(self.stats, names.ARTICLES_SECTION.format(section=""))
        wanted = getattr(self.spider, "wanted", None) or sorted(read)
        short = []
        for key in wanted:
            # Articles listed but exported by an earlier run count too: an incremental run
            # with nothing new is a healthy run.
            known = int(self.stats.get(names.LISTING_KNOWN.format(section=key), 0))
            count = read.get(key, 0) + known
            if count < minimum:
                listing_pages = names.LISTING_PAGES.format(section=key)
                pages = self.stats.get(listing_pages, 0)
                short.append(
                    f"section {key!r}: {count} articles read (minimum {minimum}); "
                    f"{pages} listing page(s) read ({listing_pages}), "
                    f"listings without article links: "
                    f"{self.stats.get(names.DRIFT_LISTING_WITHOUT_ARTICLES, 0)}, "
                    f"sections not found: {self.stats.get(names.ERROR_SECTION_NOT_FOUND, 0)}"
                )
        self.assertFalse(short, msg="\n".join(short))


@monitors.name("Field coverage")
class FieldCoverageMonitor(BaseScrapyMonitor):
    """Each monitored field is filled on at least its ATLANTICO_MIN_COVERAGE share."""

    @monitors.name("fields are filled often enough")
    def test_field_coverage(self) -> None:
        minimums = self.crawler.settings.getdict("ATLANTICO_MIN_COVERAGE")
        covered = coverage(self.stats)
        shares = sources(self.stats)
        low = []
        for field, minimum in minimums.items():
            cov = covered.get(field)
            if cov is None or cov["percent"] is None or cov["percent"] >= float(minimum):
                continue
            by_source = ", ".join(f"{s} {p:.0f} %" for s, p in shares.get(field, {}).items())
            example = self.stats.get(names.COVERAGE_EXAMPLE_MISSING.format(field=field))
            low.append(
                f"{field}: {cov['percent']:.1f} % ({cov['filled']} of {cov['of']}), minimum "
                f"{float(minimum):g} %; filled by: {by_source or 'nothing'}"
                + (f"; e.g. missing on {example}" if example else "")
            )
        self.assertFalse(low, msg="\n".join(low))


@monitors.name("Rejected items")
class RejectedItemsMonitor(BaseScrapyMonitor):
    """At most ATLANTICO_MAX_REJECTED_PERCENT of the articles read are invalid."""

    @monitors.name("few items are invalid")
    def test_rejected_share(self) -> None:
        maximum = self.crawler.settings.getfloat("ATLANTICO_MAX_REJECTED_PERCENT")
        articles = int(self.stats.get(names.COVERAGE_ARTICLES, 0))
        rejected = int(self.stats.get(names.REJECTED_WRITTEN, 0))
        share = percent(rejected, articles) or 0.0
        reasons = {
            **by_prefix(self.stats, names.DROPPED_INVALID.format(field="")),
            **by_prefix(self.stats, names.REJECTED_FIELD.format(field="")),
        }
        self.assertLessEqual(
            share,
            maximum,
            msg=f"{rejected} of {articles} articles rejected ({share:.1f} %, maximum "
            f"{maximum:g} %); by field: {reasons}; the rejects, with their errors, are in "
            f"{self.stats.get(names.REJECTED_FILE, 'the rejects feed')}",
        )


@monitors.name("Drift")
class DriftMonitor(BaseScrapyMonitor):
    """Coverage and extraction sources match the previous runs' (ATLANTICO_STATE_DIR)."""

    @monitors.name("coverage and sources are as in the previous runs")
    def test_no_drift(self) -> None:
        settings = self.crawler.settings
        path = history_path(settings.get("ATLANTICO_STATE_DIR"))
        previous = read_history(path, site=site_of(self.crawler))
        alarms = drift.compare(
            summarize(self.stats),
            previous,
            coverage_points=settings.getfloat("ATLANTICO_DRIFT_COVERAGE_POINTS"),
            source_points=settings.getfloat("ATLANTICO_DRIFT_SOURCE_POINTS"),
            min_articles=settings.getint("ATLANTICO_DRIFT_MIN_ITEMS"),
            baseline_runs=settings.getint("ATLANTICO_DRIFT_BASELINE_RUNS"),
        )
        self.crawler.stats.set_value(names.DRIFT_ALARMS, len(alarms))
        runs = len(
            drift.baseline(
                previous,
                min_articles=settings.getint("ATLANTICO_DRIFT_MIN_ITEMS"),
                baseline_runs=settings.getint("ATLANTICO_DRIFT_BASELINE_RUNS"),
            )
        )
        self.assertFalse(
            alarms,
            msg=f"{len(alarms)} drift alarm(s) against the mean of the last {runs} run(s) in "
            f"{path}:\n" + "\n".join(str(alarm) for alarm in alarms),
        )


@monitors.name("Log errors and warnings")
class LogCountMonitor(BaseScrapyMonitor):
    """At most SPIDERMON_MAX_ERRORS errors and SPIDERMON_MAX_WARNINGS warnings in the log.

    Spidermon's own count monitors skip a run whose log has none (the stat is missing); here
    none counts as 0, and the message says where to look.
    """

    def _check(self, level: str, setting: str) -> None:
        count = int(self.stats.get(f"log_count/{level}", 0))
        maximum = self.crawler.settings.getint(setting)
        log = self.crawler.settings.get("LOG_FILE") or "the log"
        self.assertLessEqual(
            count,
            maximum,
            msg=f"{count} {level.lower()} line(s) in the log (maximum {maximum}, {setting}): "
            f"search {log} for ' {level}: '",
        )

    @monitors.name("few errors")
    def test_errors(self) -> None:
        self._check("ERROR", "SPIDERMON_MAX_ERRORS")

    @monitors.name("few warnings")
    def test_warnings(self) -> None:
        self._check("WARNING", "SPIDERMON_MAX_WARNINGS")


class _Less:
    """The run's stats as a monitor reads them (``get``), some counts less by some number."""

    def __init__(self, stats: Any, less: dict[str, int]) -> None:
        self._stats = stats
        self._less = less

    def get(self, key: str, default: Any = None) -> Any:
        value = self._stats.get(key, default)
        if key in self._less and isinstance(value, int):
            return max(0, value - self._less[key])
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stats, name)


class UnwantedHTTPCodes(UnwantedHTTPCodesMonitor):
    """Spidermon's limits on HTTP codes (``SPIDERMON_UNWANTED_HTTP_CODES``), less the 404s of
    listing pages asked ahead of a walk past its section's last page: each is a page the
    crawler guessed might exist (``atlantico/listing/ahead/not_found``), not a broken link.

    Scrapy's own stats keep every response; only this check leaves those pages out, from the
    404s and from the requests alike."""

    @property
    def stats(self) -> Any:
        stats = super().stats
        expected = stats.get(names.LISTING_AHEAD_NOT_FOUND, 0)
        if not expected:
            return stats
        return _Less(
            stats,
            {
                "downloader/response_status_count/404": expected,
                "downloader/request_count": expected,
            },
        )
