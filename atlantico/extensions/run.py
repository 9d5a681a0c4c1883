"""A scheduled run's lifecycle: store, leftovers, publishing, manifest, verdict.

Order of events in one run:

1. (``scrapy crawl``, :mod:`atlantico.commands.crawl`) the run lock is taken and the store's
   integrity checked before anything starts.
2. Here, at start: leftovers of runs that died are sorted out. A dead run whose feeds were all
   published has its pending articles committed ("recovered"); otherwise its partial feed
   files are deleted and its pending rows dropped ("discarded": those articles are exported
   again by this run or the next).
3. Items pass the store pipeline, which stages them as pending rows of this run.
4. Feeds are written to partial files and renamed when complete (:mod:`atlantico.feeds`).
5. When the feed exporter is done: if every feed was published, this run's pending articles
   are committed in one transaction and a manifest is written beside the feed; otherwise
   nothing is committed. The verdict goes to the stat ``atlantico/run/failed`` (a reason),
   which makes ``scrapy crawl`` exit non-zero.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from atlantico import feeds
from atlantico import signals as atlantico_signals
from atlantico.identity import article_key
from atlantico.store import Output, Store, open_store

logger = logging.getLogger(__name__)

# Finish reasons after which the run commits what it published: it ended, or was stopped by
# the operator (SIGTERM, Ctrl-C: "shutdown"), and its feed is whole for what it holds.
RESULT_REASONS = ("finished", "shutdown")
COVERAGE_FIELDS = ("headline", "datePublished", "authors", "description", "articleBody",
                   "mainImage", "kicker", "category", "tags")  # fmt: skip


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ") + "-" + secrets.token_hex(2)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RunManager:
    def __init__(self, crawler: Crawler, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.run_id = new_run_id()
        self.started = datetime.now(UTC)
        self.published: list[Path] = []
        self.planned: list[Path] = []
        settings = crawler.settings
        self.max_errors = settings.getint("ATLANTICO_MAX_ERRORS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not (
            settings.getbool("ATLANTICO_STORE_ENABLED")
            and settings.getbool("ATLANTICO_SCHEDULED_RUN")
        ):
            raise NotConfigured
        store = open_store(crawler.settings)
        manager = cls(crawler, store)
        crawler.signals.connect(manager.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(manager.feed_exporter_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(manager.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(manager.feed_opened, signal=feeds.feed_opened)
        crawler.signals.connect(manager.feed_published, signal=feeds.feed_published)
        crawler.signals.connect(manager.article_gone, signal=atlantico_signals.article_gone)
        crawler.signals.connect(manager.request_deferred, signal=atlantico_signals.request_deferred)
        return manager

    # -- start ------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.recover_leftovers()
        self.store.begin_run(self.run_id, os.getpid())
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("atlantico/run/id", self.run_id)
        logger.info("Run %s started; store %s holds %d articles", self.run_id, self.store.location,
                    self.store.count())  # fmt: skip

    def recover_leftovers(self) -> None:
        """Sort out runs that died without committing (the run lock says none is alive)."""
        for record in self.store.unfinished_runs(exclude=self.run_id):
            run_id = record.run_id
            finals = [Path(output.final) for output in record.outputs]
            partials = [Path(output.partial) for output in record.outputs]
            pending = record.pending
            if finals and all(f.exists() for f in finals) and not any(p.exists() for p in partials):
                moved = self.store.publish_run(run_id)
                self.store.finish_run(run_id, state="recovered")
                logger.warning(
                    "Recovered run %s: its feed %s was published but the run died before "
                    "committing; %d articles are now marked exported.",
                    run_id,
                    ", ".join(map(str, finals)),
                    moved,
                )
                self._inc("atlantico/run/recovered_articles", moved)
            else:
                for partial in partials:
                    partial.unlink(missing_ok=True)
                self.store.fail_run(run_id, state="discarded")
                logger.warning(
                    "Discarded run %s: it died before publishing its feed; removed %d partial "
                    "file(s); its %d articles were never marked exported and will be exported "
                    "again.",
                    run_id,
                    sum(1 for p in partials),
                    pending,
                )
                self._inc("atlantico/run/discarded_articles", pending)

    # -- what the middlewares report -------------------------------------------------------

    def article_gone(self, request: Request, response: Response) -> None:
        """410 Gone: remembered, so no later run requests the article again."""
        key = article_key(request.url)
        self.store.mark_gone(key, request.url, self.run_id)
        self._inc("atlantico/store/gone", 1)

    def request_deferred(self, request: Request, reason: str, not_before: float) -> None:
        """Not fetched in this run: nothing to record. An article never exported stays unknown
        to the store, so the next run requests it again."""
        logger.info("Deferred to the next run (%s): %s", reason, request.url)

    # -- feeds ------------------------------------------------------------------------------

    def feed_opened(self, final: Path, partial: Path) -> None:
        self.planned.append(final)
        self.store.add_output(self.run_id, Output(str(partial), str(final)))

    def feed_published(self, final: Path) -> None:
        self.published.append(final)

    def feed_exporter_closed(self) -> None:
        """Every feed slot is closed: commit if all were published, else fail the run."""
        stats = self.crawler.stats
        assert stats is not None
        failed_feeds = sum(
            value for key, value in stats.get_stats().items()
            if key.startswith("feedexport/failed_count/")
        )  # fmt: skip
        unpublished = [final for final in self.planned if final not in self.published]
        if failed_feeds or unpublished:
            dropped = self.store.fail_run(self.run_id)
            self.fail(
                "feed_storage_failed",
                f"{len(unpublished) or failed_feeds} feed(s) not published; {dropped} articles "
                "are not marked exported and will be exported again next run",
            )
            return
        reason = stats.get_value("finish_reason")
        if reason not in RESULT_REASONS:
            # The run was stopped for cause (a storm of server errors, robots.txt unreachable):
            # what its feed holds is published, but nothing is marked exported, so the next
            # run exports those articles again (duplicates are possible, losses are not).
            dropped = self.store.fail_run(self.run_id, state="aborted")
            self.fail(f"aborted_{reason}", f"the run stopped ({reason}); {dropped} articles "
                      "stay unmarked and will be exported again")  # fmt: skip
            return
        committed = self.store.publish_run(self.run_id)
        self.store.finish_run(self.run_id)
        stats.set_value("atlantico/store/committed", committed)
        manifest = self.write_manifest()
        logger.info("Run %s committed %d articles; manifest %s", self.run_id, committed, manifest)

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
            dropped = self.store.fail_run(self.run_id)
            if dropped:
                self.fail("feed_not_closed", f"{dropped} articles were exported to no feed")
        self.store.close()

    # -- verdict and manifest ---------------------------------------------------------------

    def fail(self, reason: str, detail: str) -> None:
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value("atlantico/run/failed"):
            self.crawler.stats.set_value("atlantico/run/failed", reason)
        logger.error("Run %s FAILED (%s): %s", self.run_id, reason, detail)

    def _inc(self, key: str, count: int) -> None:
        assert self.crawler.stats is not None
        if count:
            self.crawler.stats.inc_value(key, count)

    def write_manifest(self) -> Path | None:
        """A JSON summary beside the first published feed; ``None`` when no feed was written."""
        if not self.published:
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

        coverage = {
            field: round(1 - values.get(f"atlantico/missing/{field}", 0) / items, 4)
            if items
            else None
            for field in COVERAGE_FIELDS
        }
        manifest = {
            "run_id": self.run_id,
            "spider": spider.name if spider else None,
            "arguments": getattr(spider, "arguments", {}),
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "finish_reason": values.get("finish_reason"),
            "counts": {
                "exported": items,
                "new": values.get("atlantico/store/new", 0),
                "updated": values.get("atlantico/store/updated", 0),
                "unchanged": values.get("atlantico/store/unchanged", 0),
                "article_requests": values.get("atlantico/articles/requested", 0),
                "dropped": prefixed("atlantico/dropped/"),
                "by_section": prefixed("atlantico/exported/section/"),
                "by_discovery": prefixed("atlantico/exported/via/"),
            },
            "coverage": coverage,
            "sources": prefixed("atlantico/source/"),
            "feeds": [
                {"path": str(path), "sha256": sha256_of(path), "bytes": path.stat().st_size}
                for path in self.published
            ],
        }
        # Named after the run's JSON Lines feed (the Atom feeds keep one stable name each).
        first = next((p for p in self.published if p.suffix == ".jsonl"), self.published[0])
        target = first.with_name(first.name.split(".")[0] + ".manifest.json")
        partial = feeds.partial_path(target)
        partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
        stats.set_value("atlantico/run/manifest", str(target))
        return target
