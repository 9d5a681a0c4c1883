"""Shared fixtures: the offline replica of atlantico.fr and a helper that runs a real crawl.

Crawls run as ``scrapy crawl`` in a subprocess, exactly as users run them (Twisted's reactor
cannot be restarted inside one test process), against the replica on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.crawlproc import run_scrapy
from tests.replica import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent

# Settings every test crawl uses: the replica is local, so no politeness delay.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "ATLANTICO_MAX_PAGES": "0",
    "LOG_LEVEL": "INFO",
    # The replica listens on 127.0.0.1, which the crawler refuses by default.
    "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",
    # Pages read in the crawl's own process: a worker's interpreter takes about half a second
    # to start, in every one of the suite's crawls. The shared full crawl (full_crawl below)
    # and tests/test_reading.py read through a worker.
    "ATLANTICO_READ_WORKERS": "0",
}


@dataclass
class CrawlResult:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str
    returncode: int
    feed: Path
    extra: dict[str, Any] = field(default_factory=dict)


def crawl_command(
    base_url: str,
    workdir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    feed: Path | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of ``scrapy crawl atlantico`` against ``base_url``.

    Stats go to ``workdir/stats.json``, the log to ``workdir/crawl.log``, the store to
    ``workdir/state`` (unless ``settings`` say otherwise); the feed to ``feed`` with ``-O``, or
    when ``feed`` is None to the project's default FEEDS under ``ATLANTICO_FEED_URI``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "atlantico"]
    if feed is not None:
        command += ["-O", str(feed)]
    merged = {
        **FAST,
        "ATLANTICO_BASE_URL": base_url,
        "ATLANTICO_STATS_FILE": str(workdir / "stats.json"),
        "LOG_FILE": str(workdir / "crawl.log"),
        # The store, the run history (drift baseline) and the rejects stay in the test's folder,
        # unless the test shares them on purpose.
        "ATLANTICO_STATE_DIR": str(workdir / "state"),
        "ATLANTICO_REJECTS_URI": str(workdir / "rejects.jsonl"),
        "ATLANTICO_ATOM_URI": str(workdir / "atlantico-{section}.atom"),
        **(settings or {}),
    }
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    for arg in args:
        command += ["-a", arg]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return command, environment


def read_result(workdir: Path, feed: Path, returncode: int, stderr: str = "") -> CrawlResult:
    items = []
    if feed.exists():
        items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    stats_file = workdir / "stats.json"
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    log_file = workdir / "crawl.log"
    log = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    return CrawlResult(items, stats, log + stderr, returncode, feed, {"stderr": stderr})


def run_crawl(
    base_url: str,
    workdir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 240,
    default_feed: bool = False,
) -> CrawlResult:
    """``scrapy crawl atlantico -O workdir/articles.jsonl`` against ``base_url``, to the end.

    ``default_feed``: no ``-O``; the project's FEEDS (``ATLANTICO_FEED_URI`` in ``env``) apply.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    feed = workdir / "articles.jsonl"
    command, environment = crawl_command(
        base_url, workdir, *args, settings=settings, env=env, feed=None if default_feed else feed
    )
    # The same command, in a child forked from a process that has Scrapy imported already.
    assert command[:3] == [sys.executable, "-m", "scrapy"]
    done = run_scrapy(command[3:], cwd=ROOT, env=environment, timeout=timeout)
    result = read_result(workdir, feed, done.returncode, done.stderr)
    result.extra["peak_rss_kb"] = done.peak_rss_kb
    return result


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests (``slow``, then ``browser``) first: with parallel workers (pytest-xdist,
    ``-n`` in pyproject.toml) they then run beside the many short ones instead of after them."""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)  # stable: the order within each group is kept


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """The 60-article replica, shared by the tests that only read it."""
    with ReplicaServer(n_articles=60, seed=1234) as server:
        yield server


@pytest.fixture(scope="session")
def full_crawl(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """One crawl of the whole replica, both sections, read by many assertions.

    ``extra["requests"]`` is what the server saw during this crawl alone: other tests share
    the replica.
    """
    replica.clear_requests()
    # Through a worker process, as a fast crawl reads (atlantico/reading.py).
    result = run_crawl(
        replica.base_url, tmp_path_factory.mktemp("full"), settings={"ATLANTICO_READ_WORKERS": "1"}
    )
    result.extra["requests"] = replica.requests
    return result
