"""Real crawls of the replica with the store in PostgreSQL: the article table, two hosts (two
state directories and processes) sharing one database, kill -9, a connection lost mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import psycopg
import pytest

from atlantico.backends.postgres import RUN_LOCK_KEY
from atlantico.identity import article_key
from tests.conftest import ROOT, crawl_command, run_crawl
from tests.replica import ReplicaServer

# The PostgreSQL fixtures: pg_cluster, pg_url.
pytest_plugins = ["tests.pgserver"]

FULL_TEXT = "to_tsvector('french', headline || ' ' || body)"


def truth_keys(server: ReplicaServer) -> set[str]:
    return {article_key(url) for url in server.truth}


class Gate:
    """A replica fault hook: the first ``allow`` article pages are served, the next ones wait
    until the test opens the gate, so a run is still in flight whatever the machine's speed."""

    def __init__(self, allow: int = 10) -> None:
        self.allow = allow
        self.served = 0
        self.lock = threading.Lock()
        self.held = threading.Event()
        self.opened = threading.Event()

    def __call__(self, handler: BaseHTTPRequestHandler, send_body: bool) -> bool:
        if handler.path.startswith("/article/"):
            with self.lock:
                self.served += 1
                hold = self.served > self.allow
            if hold:
                self.held.set()
                self.opened.wait(timeout=300)
        return False  # then answered as usual


@pytest.fixture
def gated() -> Iterator[tuple[ReplicaServer, Gate]]:
    gate = Gate()
    with ReplicaServer(n_articles=60, seed=1234, faults=gate) as server:
        yield server, gate
        gate.opened.set()


def held_crawl(server: ReplicaServer, gate: Gate, workdir: Path, url: str) -> subprocess.Popen[str]:
    """A crawl with its store in the database at ``url``, started and held at the gate."""
    command, env = crawl_command(
        server.base_url,
        workdir,
        env={"ATLANTICO_DATABASE_URL": url},
        feed=workdir / "articles.jsonl",
    )
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 240
    while not gate.held.wait(timeout=0.1):
        assert process.poll() is None, "the crawl ended before the gate"
        assert time.monotonic() < deadline, "the crawl never reached the gate"
    return process


def run_lock_holders(url: str) -> list[int]:
    """Server processes holding the run lock."""
    with psycopg.connect(url, autocommit=True) as db:
        rows = db.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND (classid::bigint << 32) + objid::bigint = %s",
            (RUN_LOCK_KEY,),
        ).fetchall()
    return [row[0] for row in rows]


def wait_until_lock_released(url: str) -> None:
    """The server ends a dead client's session when it reads the closed socket: soon, not at
    once. Waits for that (the next run would rightly exit 75 before)."""
    deadline = time.monotonic() + 60
    while run_lock_holders(url):
        assert time.monotonic() < deadline, "the dead run's session kept the lock"
        time.sleep(0.05)


def test_a_crawl_fills_the_article_table_and_another_host_exports_nothing(
    replica: ReplicaServer, pg_url: str, tmp_path: Path
) -> None:
    env = {"ATLANTICO_DATABASE_URL": pg_url}
    first = run_crawl(replica.base_url, tmp_path / "host-a", env=env)
    assert first.returncode == 0, first.log[-3000:]
    exported = {item["articleKey"]: item for item in first.items}
    assert len(exported) == len(first.items)
    assert set(exported) == truth_keys(replica)
    assert not (tmp_path / "host-a" / "state" / "atlantico.sqlite3").exists()  # all in PostgreSQL

    with psycopg.connect(pg_url) as db:
        rows = dict(db.execute("SELECT article_key, item FROM article_items").fetchall())
        assert rows == exported  # one row per exported article, the item as the feed wrote it
        for key, item in exported.items():
            found = db.execute(
                f"SELECT article_key FROM article_items WHERE {FULL_TEXT}"
                " @@ plainto_tsquery('french', %s)",
                (item["headline"],),
            ).fetchall()
            assert key in {row[0] for row in found}, item["headline"]
        revisions = db.execute("SELECT count(*), max(revision) FROM article_revisions").fetchone()
        assert revisions == (len(exported), 1)

    second = run_crawl(replica.base_url, tmp_path / "host-b", env=env)
    assert second.returncode == 0, second.log[-3000:]
    assert second.items == []  # every article was exported by the other host
    assert second.stats.get("atlantico/store/new", 0) == 0

    corpus = tmp_path / "corpus.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "atlantico", "corpus", "--out", str(corpus)],
        cwd=ROOT,
        env={**os.environ, "ATLANTICO_DATABASE_URL": pg_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in corpus.read_text("utf-8").splitlines()]
    assert lines == [exported[key] for key in sorted(exported)]


def test_two_hosts_never_run_at_once_and_kill_9_loses_nothing(
    gated: tuple[ReplicaServer, Gate], pg_url: str, tmp_path: Path
) -> None:
    replica, gate = gated
    first = held_crawl(replica, gate, tmp_path / "host-a", pg_url)
    try:
        second = run_crawl(
            replica.base_url, tmp_path / "host-b", env={"ATLANTICO_DATABASE_URL": pg_url}
        )
        assert second.returncode == 75, second.log[-3000:]
        assert "Another run is in progress" in second.log
        assert first.poll() is None  # the first is unaffected
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
        gate.opened.set()
    assert not (tmp_path / "host-a" / "articles.jsonl").exists()  # published nothing

    wait_until_lock_released(pg_url)
    third = run_crawl(replica.base_url, tmp_path / "host-c", env={"ATLANTICO_DATABASE_URL": pg_url})
    assert third.returncode == 0, third.log[-3000:]
    assert "Discarded run" in third.log
    assert {item["articleKey"] for item in third.items} == truth_keys(replica)
    with psycopg.connect(pg_url) as db:
        keys = {row[0] for row in db.execute("SELECT article_key FROM article_items")}
        states = [row[0] for row in db.execute("SELECT state FROM runs ORDER BY started")]
    assert keys == truth_keys(replica)
    assert states == ["discarded", "committed"]


def test_a_connection_lost_mid_run_is_one_error_exit_1_and_nothing_lost(
    gated: tuple[ReplicaServer, Gate], pg_url: str, tmp_path: Path
) -> None:
    replica, gate = gated
    run = held_crawl(replica, gate, tmp_path / "cut", pg_url)
    try:
        with psycopg.connect(pg_url, autocommit=True) as db:
            [pid] = run_lock_holders(pg_url)
            db.execute("SELECT pg_terminate_backend(%s)", (pid,))
        gate.opened.set()
        _, stderr = run.communicate(timeout=240)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 1
    log = (tmp_path / "cut" / "crawl.log").read_text("utf-8") + stderr
    assert log.count("Lost the connection to the store") == 1, log[-3000:]
    assert "Traceback" not in log
    assert "FAILED (publish_failed)" in log
    assert not (tmp_path / "cut" / "articles.jsonl").exists()  # nothing published
    assert not list((tmp_path / "cut").glob(".*.partial"))
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (0,)  # nothing committed
    rerun = run_crawl(replica.base_url, tmp_path / "rerun", env={"ATLANTICO_DATABASE_URL": pg_url})
    assert rerun.returncode == 0, rerun.log[-3000:]
    # The cut run committed nothing: the rerun discards what it left and exports everything.
    assert "Discarded run" in rerun.log
    assert sorted(item["articleKey"] for item in rerun.items) == sorted(truth_keys(replica))
    with psycopg.connect(pg_url) as db:
        keys = {row[0] for row in db.execute("SELECT article_key FROM article_items")}
    assert keys == truth_keys(replica)


def test_a_wrong_database_url_stops_the_crawl_with_one_line(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    url = f"postgresql://atlantico@/atlantico?host={tmp_path / 'no-server-here'}"
    command, env = crawl_command(
        replica.base_url, tmp_path, env={"ATLANTICO_DATABASE_URL": url}, feed=tmp_path / "a.jsonl"
    )
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert "cannot connect to postgresql://atlantico@" in done.stderr
    assert "The run did not start" in done.stderr
    assert not (tmp_path / "a.jsonl").exists()


def test_the_corpus_command_reads_the_sqlite_store_of_a_crawl(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The embedded default keeps the same corpus: the items of the run, by article key."""
    crawl = run_crawl(replica.base_url, tmp_path / "run")
    assert crawl.returncode == 0, crawl.log[-3000:]
    corpus = tmp_path / "corpus.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "atlantico", "corpus", "--out", str(corpus)],
        cwd=ROOT,
        env={
            **os.environ,
            "ATLANTICO_DATABASE_URL": "",
            "ATLANTICO_STATE_DIR": str(tmp_path / "run" / "state"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in corpus.read_text("utf-8").splitlines()]
    by_key = {item["articleKey"]: item for item in crawl.items}
    assert lines == [by_key[key] for key in sorted(by_key)]
