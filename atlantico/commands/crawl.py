"""``scrapy crawl`` with the guarantees a scheduled run needs, and an honest exit code.

Scrapy's own ``crawl`` exits 0 when the feed could not be stored, when the disk filled, or when
the run stopped early. This one, used by cron and by Scrapyd (which runs ``scrapy crawl``):

- takes the run lock first: a second run while one is running exits at once with code 75
  (EX_TEMPFAIL, "try again later"), and the first is unaffected;
- checks the store before starting: a damaged store exits with code 1 and a clear message,
  it is never replaced by a fresh one;
- exits 1 when the run failed: the stat ``atlantico/run/failed`` is set (feed not published,
  errors over ``ATLANTICO_MAX_ERRORS``), a monitor failed (``atlantico/monitors/failed``), or
  the finish reason is not ``finished``.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sys
from pathlib import Path
from typing import IO

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from atlantico.backends import database_url, preflight
from atlantico.store import ArticleStore, StoreError, lock_path, store_path

logger = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_LOCKED = 75  # EX_TEMPFAIL from sysexits.h


class AlreadyRunning(Exception):
    """Raised by :func:`take_run_lock` when another run holds the lock."""


def take_run_lock(path: Path) -> IO[str]:
    """An exclusive lock held for the process's life (the kernel drops it if the process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise AlreadyRunning(holder) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider; exit non-zero when the run failed (atlantico)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process is not None
        assert self.settings is not None
        settings = self.settings
        # The run lifecycle (store, default feed, manifest) belongs to crawls, not to
        # `scrapy shell` or `scrapy parse`, which load the same settings.
        settings.set("ATLANTICO_SCHEDULED_RUN", True, priority="cmdline")
        if settings.getbool("ATLANTICO_STORE_ENABLED") and database_url(settings):
            self.exitcode = preflight(settings)  # lock and check of the PostgreSQL store
            if self.exitcode:
                return
        elif settings.getbool("ATLANTICO_STORE_ENABLED"):
            # Beside the store, not in the state directory: two state directories sharing one
            # store must not run at once.
            lock = lock_path(store_path(settings))
            try:
                self._lock = take_run_lock(lock)
            except AlreadyRunning as holder:
                print(
                    f"Another run is in progress ({holder}; lock {lock}). Nothing was "
                    "done; try again later.",
                    file=sys.stderr,
                )
                self.exitcode = EXIT_LOCKED
                return
            try:
                ArticleStore.open(store_path(settings)).close()
            except StoreError as error:
                print(
                    f"The article store is damaged: {error}\nThe run did not start. Restore "
                    "the file from a backup, or move it away to start from an empty store "
                    "(every article will then be exported again).",
                    file=sys.stderr,
                )
                self.exitcode = EXIT_FAILED
                return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_FAILED
            return
        stats = crawler.stats.get_stats() if crawler.stats else {}
        failed = stats.get("atlantico/run/failed")
        monitors = stats.get("atlantico/monitors/failed", 0)
        reason = stats.get("finish_reason")
        if failed or monitors or reason != "finished":
            why = failed or (
                f"{monitors} monitor(s) failed" if monitors else f"finish reason {reason!r}"
            )
            logger.error("Run failed: %s", why)
            self.exitcode = EXIT_FAILED
