"""A stop signal at any moment of ``python -m atlantico crawl`` is a failed run: exit 1.

Each test spawns a fresh interpreter (not a fork of the preloaded crawl process of
tests/crawlproc.py, which has imported Scrapy long before): the moments tested here are those
of a process's start. No test waits for a time: each waits for something the process shows
(a file created inside a blocked import, the handlers in ``/proc/PID/status``, article
requests on the replica).
"""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, crawl_command
from tests.replica import ReplicaServer
from tests.test_incremental import (
    article_requests,
    feed_env,
    feed_keys,
    published_feeds,
    wait_for_article_requests,
)

STOP_SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
NAMES = [s.name for s in STOP_SIGNALS]
BLOCKED_MAIN = "from tests.blocked_import import main; main('atlantico')"


@pytest.fixture
def site() -> Iterator[ReplicaServer]:
    """A replica of its own: the tests assert what it was asked for."""
    with ReplicaServer(n_articles=60, seed=1234) as server:
        yield server


def module_command(command: list[str]) -> list[str]:
    """``python -m scrapy crawl atlantico ARGS`` of crawl_command as ``python -m atlantico crawl ARGS``."""
    at = command.index("-m")
    assert command[at : at + 4] == ["-m", "scrapy", "crawl", "atlantico"]
    return [*command[:at], "-m", "atlantico", "crawl", *command[at + 4 :]]


def blocked_command(command: list[str]) -> list[str]:
    """The same, run through tests/blocked_import.py: it stops inside an import."""
    at = command.index("-m")
    assert command[at : at + 2] == ["-m", "atlantico"]
    return [*command[:at], "-c", BLOCKED_MAIN, *command[at + 2 :]]


def signal_set(pid: int, field: str) -> set[int]:
    """The signals in ``/proc/PID/status``'s ``field`` (SigCgt: caught, SigIgn: ignored)."""
    status = Path(f"/proc/{pid}/status").read_text()
    [line] = [line for line in status.splitlines() if line.startswith(f"{field}:")]
    mask = int(line.split()[1], 16)
    return {n for n in range(1, 65) if mask & (1 << (n - 1))}


def wait_until_blocked(marker: Path, process: subprocess.Popen[str]) -> None:
    """Until the process is inside the blocked import (it created ``marker``)."""
    deadline = time.monotonic() + 120  # a guard against a hang, not an assertion on time
    while not marker.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the process never reached the blocked import"
        time.sleep(0.01)


def old_store(state: Path) -> Path:
    """A store of the previous schema version: any run that opened it would migrate it."""
    from atlantico.store import MIGRATIONS

    state.mkdir(parents=True)
    path = state / "atlantico.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0][2])
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_blocked(
    site: ReplicaServer, tmp_path: Path, prefix: list[str] | None = None
) -> tuple[subprocess.Popen[str], Path, Path, Path]:
    """``python -m atlantico crawl`` stopped inside its first import of Scrapy."""
    store = old_store(tmp_path / "state")
    feed = tmp_path / "out.jsonl"
    feed.write_text('{"a line of an earlier run": 1}\n', encoding="utf-8")
    marker = tmp_path / "importing-scrapy"
    command, env = crawl_command(
        site.base_url,
        tmp_path / "run",
        settings={"ATLANTICO_STATE_DIR": str(store.parent)},
        env={"TEST_BLOCK_IMPORT": "scrapy", "TEST_BLOCK_MARKER": str(marker)},
        feed=feed,
    )
    command = [*(prefix or []), *blocked_command(module_command(command))]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    wait_until_blocked(marker, process)
    return process, store, feed, tmp_path / "run"


@pytest.mark.parametrize("signum", STOP_SIGNALS, ids=NAMES)
def test_a_stop_signal_while_python_imports_scrapy_exits_1(
    site: ReplicaServer, tmp_path: Path, signum: signal.Signals
) -> None:
    process, store, feed, workdir = start_blocked(site, tmp_path)
    before = digest(store)
    try:
        assert "scrapy" not in process.args  # python -c …main('atlantico') crawl -O … -s …
        # Inside `import scrapy`, the handlers are already ours: SIGTERM and SIGHUP caught
        # (Python catches SIGINT from its start; that it is ours shows in the exit code).
        assert {signal.SIGTERM, signal.SIGHUP, signal.SIGINT} <= signal_set(process.pid, "SigCgt")
        process.send_signal(signum)
        assert process.wait(timeout=120) == 1
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read() if process.stderr else ""
    assert "Traceback" not in stderr  # SIGINT: no KeyboardInterrupt
    assert site.requests == []
    assert digest(store) == before  # not even migrated
    assert feed.read_text(encoding="utf-8") == '{"a line of an earlier run": 1}\n'
    assert not (workdir / "crawl.log").exists()  # Scrapy's logging never started
    assert sorted(p.name for p in store.parent.iterdir()) == ["atlantico.sqlite3"]  # no lock


def test_a_sighup_ignored_at_start_stays_ignored(site: ReplicaServer, tmp_path: Path) -> None:
    # As `nohup` starts a program: SIGHUP ignored, which Python programs inherit.
    ignore_hup = ["sh", "-c", 'trap "" HUP; exec "$@"', "sh"]
    process, _, _, _ = start_blocked(site, tmp_path, prefix=ignore_hup)
    try:
        assert signal.SIGHUP in signal_set(process.pid, "SigIgn")
        assert signal.SIGHUP not in signal_set(process.pid, "SigCgt")
        assert signal.SIGTERM in signal_set(process.pid, "SigCgt")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=120) == 1
    finally:
        if process.poll() is None:
            process.kill()
    assert site.requests == []


def test_importing_the_package_installs_no_signal_handler() -> None:
    code = (
        "import signal, atlantico, atlantico.shutdown, atlantico.cli, atlantico.api; "
        "print(signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, "
        "signal.getsignal(signal.SIGINT) == signal.default_int_handler, "
        "signal.getsignal(signal.SIGHUP) == signal.SIG_DFL)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["True", "True", "True"], done.stderr


@pytest.mark.parametrize("signum", STOP_SIGNALS, ids=NAMES)
def test_a_stop_signal_mid_crawl_stops_gracefully_and_exits_1(
    site: ReplicaServer, tmp_path: Path, signum: signal.Signals
) -> None:
    feeds, workdir = tmp_path / "feeds", tmp_path / "run"
    command, env = crawl_command(
        site.base_url,
        workdir,
        settings={"DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
        env=feed_env(feeds),
    )
    process = subprocess.Popen(
        module_command(command), cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for_article_requests(site, 20, process)
        process.send_signal(signum)
        assert process.wait(timeout=120) == 1
    finally:
        if process.poll() is None:
            process.kill()
    log = (workdir / "crawl.log").read_text(encoding="utf-8")
    assert f"Received {signum.name}, shutting down gracefully" in log  # Scrapy's handler
    assert "ERROR: Run failed: " in log
    stats = json.loads((workdir / "stats.json").read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "shutdown"
    [feed] = published_feeds(feeds)  # what it held is published…
    assert 20 <= len(feed_keys(feed)) < len(site.truth)
    assert len(article_requests(site)) < len(site.truth)  # …and it stopped early
    assert not list(feeds.glob(".*.partial"))


def test_the_module_entry_point_keeps_usage_errors_at_2_and_help_at_0(
    site: ReplicaServer, tmp_path: Path
) -> None:
    command, env = crawl_command(site.base_url, tmp_path / "run", "mode=sideways")
    command = module_command(command)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()  # one line, no traceback
    assert "mode='sideways': use incremental or backfill" in line
    missing = subprocess.run(
        [*command, "-a"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 2
    assert "python -m atlantico crawl: error: argument -a: expected one argument" in missing.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "atlantico", "crawl", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert helped.returncode == 0
    assert "exit 0 published, 1 failed, 2 usage error, 75 try later" in helped.stdout
    assert site.requests == []
