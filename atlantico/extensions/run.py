"""A scheduled run's lifecycle: leftovers, journal of outputs, publishing, manifest, verdict.

Order of events in one run:

1. (``scrapy crawl``, :mod:`atlantico.commands.crawl`) the run context is opened
   (:func:`atlantico.context.open_run`): the lock beside the store, the store checked.
2. Here, at start: runs that died are finished or discarded (:func:`atlantico.publishing.recover`).
3. Items pass the store pipeline, which stages them as pending rows of this run.
4. Feeds are written whole to partial files journalled in the store (:mod:`atlantico.feeds`).
5. When the feed exporter is done: if every feed was written, the manifest is written too and
   the run published as a whole (:func:`atlantico.publishing.publish`: one commit point, then
   the renames). A feed that failed (disk full) publishes nothing of the run. A failed run
   with nothing to deliver publishes nothing either (no empty feed, the Atom feeds kept).
   The verdict goes to the stat ``atlantico/run/failed`` (a reason), and ``scrapy crawl``
   exits 1.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from atlantico import feeds, publishing
from atlantico import signals as atlantico_signals
from atlantico import stats as names
from atlantico.context import RunContext
from atlantico.identity import article_key
from atlantico.store import Output

logger = logging.getLogger(__name__)

# The finish reason of a run that succeeded. Any other (a SIGTERM's "shutdown", a storm of
# server errors) publishes what the run holds, if anything, and fails the run.
RESULT_REASONS = ("finished",)
COVERAGE_FIELDS = ("headline", "datePublished", "authors", "description", "articleBody",
                   "mainImage", "kicker", "category", "tags")  # fmt: skip

publish_step = object()
"""Sent at each step of publishing (``step``: ready, committed, renamed:<n>, finished). The
tests stop the process there; nothing in the crawler listens."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RunManager:
    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        self.crawler = crawler
        self.context = context
        self.store = context.store
        self.run_id = context.run_id
        self.started = context.started
        self.planned: list[Output] = []
        self.ready: list[Output] = []
        self.published: list[Path] = []
        self.max_errors = crawler.settings.getint("ATLANTICO_MAX_ERRORS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        context = RunContext.of(crawler)
        if context is None:
            # No message: Scrapy would log it as a warning in every `scrapy shell`.
            raise NotConfigured
        manager = cls(crawler, context)
        crawler.signals.connect(manager.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(manager.feed_exporter_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(manager.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(manager.feed_opened, signal=feeds.feed_opened)
        crawler.signals.connect(manager.feed_ready, signal=feeds.feed_ready)
        crawler.signals.connect(manager.article_gone, signal=atlantico_signals.article_gone)
        return manager

    # -- start ------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        for record in self.store.unfinished_runs(exclude=self.run_id):
            verdict, count = publishing.recover(self.store, record)
            if verdict == "recovered":
                self._inc(names.RUN_RECOVERED_RUNS, 1)
            else:
                self._inc(names.RUN_DISCARDED_RUNS, 1)
                self._inc(names.RUN_DISCARDED_ARTICLES, count)
        self.store.begin_run(self.run_id, os.getpid())
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(names.RUN_ID, self.run_id)
        logger.info("Run %s started; store %s holds %d articles", self.run_id,
                    self.store.location, self.store.count())  # fmt: skip

    # -- what the middlewares report -------------------------------------------------------

    def article_gone(self, request: Request, response: Response) -> None:
        """410 Gone: remembered, so no later run requests the article again."""
        self.store.mark_gone(article_key(request.url), request.url, self.run_id)
        self._inc(names.STORE_GONE, 1)

    # -- outputs ----------------------------------------------------------------------------

    def feed_opened(self, output: Output) -> None:
        self.planned.append(output)
        self.store.add_output(self.run_id, output)

    def feed_ready(self, output: Output) -> None:
        self.ready.append(output)

    def feed_exporter_closed(self) -> None:
        """Every feed slot is closed: publish the run whole, or nothing of it."""
        stats = self.crawler.stats
        assert stats is not None
        values = stats.get_stats()
        failed_feeds = sum(v for k, v in values.items() if k.startswith("feedexport/failed_count/"))
        unready = [output for output in self.planned if output not in self.ready]
        if failed_feeds or unready:
            self._discard()
            dropped = self.store.fail_run(self.run_id)
            self.fail(
                "feed_storage_failed",
                f"{len(unready) or failed_feeds} feed(s) could not be written; nothing of this "
                f"run was published; {dropped} articles are not marked exported and will be "
                "exported again next run",
            )
            return
        reason = values.get("finish_reason")
        exported = values.get("item_scraped_count", 0)
        failing = reason not in RESULT_REASONS or values.get(names.RUN_FAILED)
        if failing and not exported:
            # Nothing to deliver: no empty feed, and the stable Atom feeds stay as they are.
            removed = self._discard()
            self.store.fail_run(self.run_id, state="aborted")
            self.fail(f"aborted_{reason}", f"the run stopped ({reason}) with nothing "
                      f"to deliver; nothing published ({removed} partial(s) removed)")  # fmt: skip
            return
        try:
            manifest = self.write_manifest()
        except OSError as error:
            self._discard()
            dropped = self.store.fail_run(self.run_id)
            self.fail("manifest_failed", f"the manifest could not be written ({error}); "
                      f"nothing published; {dropped} articles will be exported again")  # fmt: skip
            return
        outputs = [*self.ready, *([manifest] if manifest else [])]
        try:
            committed = publishing.publish(self.store, self.run_id, outputs, self._step)
        except OSError as error:
            if self.store.run_state(self.run_id) != "publishing":
                self._discard()
                dropped = self.store.fail_run(self.run_id)
                self.fail("publish_failed", f"the store refused the commit ({error}); nothing "
                          f"published; {dropped} articles will be exported again")  # fmt: skip
            else:
                self.fail(
                    "publish_interrupted",
                    f"a rename failed after the commit point ({error}); the next run "
                    "finishes publishing from the journal",
                )
            return
        self.published = [Path(output.final) for output in outputs]
        stats.set_value(names.STORE_COMMITTED, committed)
        if manifest:
            stats.set_value(names.RUN_MANIFEST, manifest.final)
        logger.info("Run %s published %d output(s) and committed %d articles", self.run_id,
                    len(outputs), committed)  # fmt: skip
        if reason not in RESULT_REASONS:
            # Stopped for cause (a storm of server errors, robots.txt unreachable): what it
            # holds is delivered and committed, and the run still fails.
            self.fail(f"aborted_{reason}", f"the run stopped ({reason}); the {committed} "
                      "articles it had were published")  # fmt: skip

    def _step(self, step: str) -> None:
        self.crawler.signals.send_catch_log(signal=publish_step, step=step)

    def _discard(self) -> int:
        return publishing.discard(self.planned)

    def engine_stopped(self) -> None:
        """Last word on the run: error threshold, finish reason, and closing the store."""
        stats = self.crawler.stats
        assert stats is not None
        errors = stats.get_value("log_count/ERROR", 0)
        if self.max_errors >= 0 and errors > self.max_errors:
            self.fail(
                "too_many_errors",
                f"{errors} errors logged (ATLANTICO_MAX_ERRORS={self.max_errors})",
            )
        if self.store.run_state(self.run_id) == "running":
            # The feed exporter never reported (no FEEDS configured, or it crashed).
            self._discard()
            dropped = self.store.fail_run(self.run_id)
            if dropped:
                self.fail("feed_not_closed", f"{dropped} articles were exported to no feed")
        self.context.close()

    # -- verdict and manifest ---------------------------------------------------------------

    def fail(self, reason: str, detail: str) -> None:
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value(names.RUN_FAILED):
            self.crawler.stats.set_value(names.RUN_FAILED, reason)
        logger.error("Run %s FAILED (%s): %s", self.run_id, reason, detail)

    def _inc(self, key: str, count: int) -> None:
        assert self.crawler.stats is not None
        if count:
            self.crawler.stats.inc_value(key, count)

    def write_manifest(self) -> Output | None:
        """A JSON summary beside the JSON Lines feed, written to its partial path (published
        with the feeds); ``None`` when the run wrote no feed."""
        if not self.ready:
            return None
        stats = self.crawler.stats
        assert stats is not None
        values = stats.get_stats()
        spider = self.crawler.spider
        items = values.get("item_scraped_count", 0)

        def prefixed(prefix: str) -> dict[str, Any]:
            return {
                k.removeprefix(prefix): v for k, v in sorted(values.items()) if k.startswith(prefix)
            }

        # Over the items exported (the feed's lines), counted once where they are exported.
        filled = prefixed(names.EXPORTED_FIELD.format(field=""))
        coverage = {
            field: round(filled.get(field, 0) / items, 4) if items else None
            for field in COVERAGE_FIELDS
        }
        finals = [Path(output.final) for output in self.ready]
        manifest = {
            "run_id": self.run_id,
            "site": self.context.site,
            "spider": spider.name if spider else None,
            "arguments": getattr(spider, "arguments", {}),
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "finish_reason": values.get("finish_reason"),
            "failed": values.get(names.RUN_FAILED),
            "counts": {
                "exported": items,
                "new": values.get(names.STORE_NEW, 0),
                "updated": values.get(names.STORE_UPDATED, 0),
                "unchanged": values.get(names.STORE_UNCHANGED, 0),
                "revisits_unchanged": values.get(names.REVISIT_UNCHANGED, 0),
                "article_requests": values.get(names.ARTICLES_REQUESTED, 0),
                "queued_for_retry": values.get(names.QUEUE_QUEUED, 0),
                "given_up": values.get(names.QUEUE_GIVEN_UP, 0),
                "dropped": prefixed(names.DROPPED),
                "refused": {
                    **prefixed(names.REFUSED),
                    "robots": values.get(names.ROBOTS_FORBIDDEN, 0),
                },
                "by_section": prefixed(names.EXPORTED_SECTION.format(section="")),
                "by_discovery": prefixed(names.EXPORTED_VIA.format(via="")),
            },
            "given_up": values.get(names.QUEUE_GIVEN_UP_URLS, []),
            # How the sections' listings were found (setting, home page menus, an article's
            # category link) and, per section, the articles read from the sitemaps because no
            # listing was found (the last resort of atlantico/discovery).
            "discovery": {
                "sections_from": prefixed(names.DISCOVERY_SECTION_FROM.format(source="")),
                "section_fallback": prefixed(names.DISCOVERY_SECTION_FALLBACK.format(section="")),
            },
            "coverage": coverage,
            "sources": prefixed(names.SOURCES),
            "feeds": [
                {
                    "path": str(final),
                    "sha256": sha256_of(Path(output.partial)),
                    "bytes": Path(output.partial).stat().st_size,
                }
                for final, output in zip(finals, self.ready, strict=True)
            ],
        }
        # Named after the run's JSON Lines feed (the Atom feeds keep one stable name each).
        first = next((p for p in finals if p.suffix == ".jsonl"), finals[0])
        target = first.with_name(first.name.split(".")[0] + ".manifest.json")
        output = Output(str(feeds.partial_path(target, self.run_id)), str(target))
        self.store.add_output(self.run_id, output)
        self.planned.append(output)
        text = json.dumps(manifest, indent=2, ensure_ascii=False)
        feeds.write_whole(Path(output.partial), text.encode("utf-8"))
        return output
