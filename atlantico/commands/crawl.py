"""``scrapy crawl`` with the guarantees a scheduled run needs, and an honest exit code.

Scrapy's own ``crawl`` exits 0 when the feed could not be stored, when the disk filled, or when
the run stopped early. This one, run by ``python -m atlantico crawl`` (cron: the documented
command), by ``scrapy crawl atlantico`` and by Scrapyd (whose runner is Scrapy's command line),
exits with one of four codes, whatever the moment of a stop signal (SIGTERM, SIGINT, SIGHUP:
:mod:`atlantico.shutdown`) — except at the very start of the process, before any code of this
project runs: for ``python -m atlantico crawl`` only the interpreter's own start-up (its
handlers are installed before Scrapy is imported), for ``scrapy crawl`` and Scrapyd the time
Scrapy's command line takes to import and reach :meth:`Command.process_options` (about half a
second; the README's "Signals" gives the figures):

- ``0``: the run finished and published its outputs;
- ``1``: the run failed: the stat ``atlantico/run/failed`` is set (outputs not published,
  errors over ``ATLANTICO_MAX_ERRORS``), a monitor failed (``atlantico/monitors/failed``),
  the finish reason is not ``finished`` (a stop signal: "shutdown"), the store is unusable (a
  0-byte file, missing tables, an unknown schema version: never replaced), or a stop signal
  came before the crawl started or after it ended;
- ``2``: a usage error (a bad ``-a`` argument or setting): one line naming it, no traceback;
- ``75`` (EX_TEMPFAIL, "try again later"): another run holds the lock beside the store, or the
  site asked an earlier run for a pause that has not ended and is longer than
  ``ATLANTICO_RETRY_AFTER_MAX`` (nothing is requested, not even robots.txt).

It opens the run context (:func:`atlantico.context.open_run`) and hands it to the crawler in
the setting :data:`atlantico.context.CONTEXT_SETTING`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from atlantico import stats as names
from atlantico.addons.scrapy_settings import apply_mapping
from atlantico.backends import StoreUnavailable
from atlantico.context import CONTEXT_SETTING, AlreadyRunning, RunContext, open_run
from atlantico.shutdown import install_early_handlers, reinstall_after_crawl
from atlantico.store import StoreError

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL from sysexits.h


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider; exit 0 published, 1 failed, 2 usage error, 75 try later"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        # A stop signal until Scrapy's own handlers exist: exit 1 (atlantico/shutdown.py).
        # `python -m atlantico crawl` installed them before importing Scrapy already; `scrapy
        # crawl` gets here only after its imports (the README's "Exit codes" says so).
        install_early_handlers()
        super().process_options(args, opts)
        assert self.settings is not None
        # Logging is set up from the process's settings, before any add-on runs.
        apply_mapping(self.settings, ("ATLANTICO_LOG_LEVEL",))

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process is not None
        assert self.settings is not None
        settings = self.settings
        self.terminated = ""  # the name of the stop signal that came during the crawl
        # The run lifecycle (store, default feed, manifest) belongs to crawls, not to
        # `scrapy shell` or `scrapy parse`, which load the same settings.
        settings.set("ATLANTICO_SCHEDULED_RUN", True, priority="cmdline")
        context: RunContext | None = None
        if settings.getbool("ATLANTICO_STORE_ENABLED"):
            try:
                context = open_run(settings)
            except AlreadyRunning as holder:
                print(
                    f"Another run is in progress ({holder}). Nothing was done; try again later.",
                    file=sys.stderr,
                )
                self.exitcode = EXIT_LOCKED
                return
            except StoreUnavailable as error:  # PostgreSQL unreachable (atlantico/backends)
                print(f"{error}. The run did not start.", file=sys.stderr)
                self.exitcode = EXIT_FAILED
                return
            except StoreError as error:
                print(
                    f"The article store is damaged or not a store: {error}\nThe run did not "
                    "start. Restore the file from a backup, or move it away to start from an "
                    "empty store (every article will then be exported again).",
                    file=sys.stderr,
                )
                self.exitcode = EXIT_FAILED
                return
            if context.store.created:
                logger.warning("First run: created the store %s", context.store.location)
            if self._site_paused(context, settings):
                context.close()
                self.exitcode = EXIT_LOCKED
                return
            settings.set(CONTEXT_SETTING, context, priority="cmdline")
        self.exitcode = self._crawl(args[0], opts)

    def _site_paused(self, context: RunContext, settings: Any) -> bool:
        host = urlsplit(settings.get("ATLANTICO_BASE_URL")).netloc
        cap = settings.getfloat("ATLANTICO_RETRY_AFTER_MAX")
        now = time.time()
        for pause in context.store.host_pauses(now):
            if pause.host == host and pause.not_before - now > cap:
                until = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(pause.not_before))
                print(
                    f"{host} asked for a pause until {until} ({pause.why}), longer than "
                    f"ATLANTICO_RETRY_AFTER_MAX={cap:.0f} s: nothing was requested; the retry "
                    "queue waits for the next run after that time.",
                    file=sys.stderr,
                )
                return True
        return False

    def _crawl(self, name: str, opts: argparse.Namespace) -> int:
        assert self.crawler_process is not None
        crawler = self._create_crawler(name)
        usage: list[str] = []

        def bootstrap_failed(failure: Failure) -> Failure | None:
            if failure.check(UsageError):
                usage.append(str(failure.value))
                return None
            return failure  # anything else: Scrapy reports it

        def task_done(task: asyncio.Future[None]) -> None:
            # Reading the exception marks it retrieved: no "Task exception was never
            # retrieved" traceback for a usage error.
            error = None if task.cancelled() else task.exception()
            if isinstance(error, UsageError):
                usage.append(str(error))
            elif error is not None:  # retrieved here, so asyncio would never print it
                logger.critical("The crawl could not start: %r", error, exc_info=error)

        def engine_started() -> None:
            # Scrapy's shutdown handlers are installed by now: remember a SIGTERM or a SIGINT
            # (a SIGHUP follows SIGTERM's handler), then let Scrapy stop the crawl gracefully.
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous = signal.getsignal(signum)
                if callable(previous):
                    signal.signal(signum, remember_stop(previous))

        def remember_stop(previous: Callable[[int, FrameType | None], Any]) -> Any:
            def on_stop(signum: int, frame: FrameType | None) -> None:
                self.terminated = signal.Signals(signum).name
                previous(signum, frame)

            return on_stop

        crawler.signals.connect(engine_started, signal=signals.engine_started)
        started: Any = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, Deferred):
            started.addErrback(bootstrap_failed)
        elif isinstance(started, asyncio.Future):
            started.add_done_callback(task_done)
        self.crawler_process.start()
        # From here to the exit, a stop signal is again a failed run (1), not 143 or a lost flag.
        reinstall_after_crawl()
        if usage:
            print(f"scrapy crawl {name}: {usage[0]}", file=sys.stderr)
            return EXIT_USAGE
        if self.crawler_process.bootstrap_failed:
            return EXIT_FAILED
        stats = crawler.stats.get_stats() if crawler.stats else {}
        failed = stats.get(names.RUN_FAILED)
        monitors = stats.get(names.MONITORS_FAILED, 0)
        reason = stats.get("finish_reason")
        if failed or monitors or reason != "finished" or self.terminated:
            why = failed or (
                f"{monitors} monitor(s) failed"
                if monitors
                else f"stopped by {self.terminated}"
                if self.terminated
                else f"finish reason {reason!r}"
            )
            logger.error("Run failed: %s", why)
            return EXIT_FAILED
        return EXIT_OK
