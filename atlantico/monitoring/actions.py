"""What a run does once its monitors have run (Spidermon actions).

- :class:`RecordRun` (always): appends the run's summary to the history.
- :class:`FailRun` (a monitor failed): sets ``atlantico/monitors/failed`` to the number of
  failed monitors (the crawl command exits non-zero on it) and prints the failure report.
- :class:`atlantico.monitoring.notify.NotifyFailure` (a monitor failed): sends the same
  report by e-mail, Slack or webhook, as the ``ATLANTICO_NOTIFY_*`` settings say.
- :class:`PassRun` (all passed): sets ``atlantico/monitors/failed`` to 0 and prints the
  summary table.

The texts go to the log; when the log goes to a file (``LOG_FILE``) they are also printed on
stderr, so that whoever runs the crawl (a person, cron's mail) sees them.
"""

from __future__ import annotations

import logging
import sys

from scrapy.crawler import Crawler
from spidermon.core.actions import Action

from atlantico import stats as names
from atlantico.monitoring.history import append_run, history_path, site_of
from atlantico.monitoring.report import failure_report, summary_table
from atlantico.monitoring.summary import summarize

logger = logging.getLogger(__name__)


def _emit(crawler: Crawler, text: str, level: int) -> None:
    logger.log(level, "%s", text)
    settings = crawler.settings
    if settings.get("LOG_FILE") or not settings.getbool("LOG_ENABLED"):
        print(text, file=sys.stderr)


def _message(error: str) -> str:
    """The assertion's message from a monitor's traceback (the last line for other errors)."""
    marker = "AssertionError: "
    if marker in error:
        return error.split(marker, 1)[1].strip()
    lines = error.strip().splitlines()
    return lines[-1] if lines else error


class RecordRun(Action):
    def run_action(self) -> None:
        crawler: Crawler = self.data.crawler
        path = history_path(crawler.settings.get("ATLANTICO_STATE_DIR"))
        try:
            summary = summarize(self.data.stats, failed=self.monitors_failed)
            append_run(path, summary, site=site_of(crawler))
        except OSError as error:
            logger.error("Could not record the run in %s: %s", path, error)


def _is_example(key: str) -> bool:
    """A stat holding the URL of a page to check by hand."""
    return key == names.COVERAGE_EXAMPLE_URL or key.startswith(
        names.COVERAGE_EXAMPLE_MISSING.format(field="")
    )


def failure_text(action: Action) -> tuple[str, list[str]]:
    """The failure report of a failed-actions step, and the names of the failed monitors."""
    crawler: Crawler = action.data.crawler
    stats = action.data.stats
    failed = action.result.monitors_failed_results
    failed_names = sorted({result.item.monitor_name for result in failed})
    failures = [
        (f"{result.item.monitor_name}: {result.item.method_name}", _message(result.error))
        for result in failed
    ]
    settings = crawler.settings
    evidence = [
        f"stats: {settings.get('ATLANTICO_STATS_FILE') or 'the stats dump in the log'}",
        f"log: {settings.get('LOG_FILE') or 'stderr'}",
        f"run history: {history_path(settings.get('ATLANTICO_STATE_DIR'))}",
    ]
    if stats.get(names.REJECTED_FILE):
        evidence.append(f"rejected items: {stats[names.REJECTED_FILE]}")
    example = next(
        (v for k, v in sorted(stats.items()) if _is_example(k)),
        "URL",
    )
    evidence.append(f"one page, field by field: python -m atlantico check {example}")
    return failure_report(failures, evidence), failed_names


class FailRun(Action):
    def run_action(self) -> None:
        crawler: Crawler = self.data.crawler
        report, failed = failure_text(self)
        crawler.stats.set_value(names.MONITORS_FAILED, len(failed))
        crawler.stats.set_value(names.MONITORS_FAILURES, failed)
        _emit(crawler, report, logging.ERROR)


class PassRun(Action):
    def run_action(self) -> None:
        crawler: Crawler = self.data.crawler
        stats = self.data.stats
        crawler.stats.set_value(names.MONITORS_FAILED, 0)
        minimums = {
            field: float(value)
            for field, value in crawler.settings.getdict("ATLANTICO_MIN_COVERAGE").items()
        }
        passed = len(self.result.monitor_results)  # skipped ones found nothing to judge
        text = summary_table(stats, summarize(stats), minimums, passed)
        _emit(crawler, text, logging.INFO)
