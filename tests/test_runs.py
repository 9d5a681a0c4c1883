"""Runs as a whole: the retry queue, host pauses across runs, publishing with one commit point,
refused stores, the lock beside the store, honest counts and exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from atlantico import settings as project_settings
from atlantico.identity import article_key
from tests.conftest import ROOT, CrawlResult, crawl_command, read_result, run_crawl
from tests.replica import ReplicaServer
from tests.runs_faults import Failing, Validating
from tests.test_incremental import article_requests

EXTENSIONS = json.dumps({**project_settings.EXTENSIONS, "tests.runs_faults.CrashAtStep": 900})


def truth_keys(server: ReplicaServer) -> set[str]:
    return {article_key(url) for url in server.truth}


def feed_lines(feed_dir: Path) -> Counter[str]:
    """Article keys over the union of the published JSON Lines feeds."""
    seen: Counter[str] = Counter()
    for feed in sorted(feed_dir.glob("*.jsonl")):
        for line in feed.read_text("utf-8").splitlines():
            seen[json.loads(line)["articleKey"]] += 1
    return seen


def article_paths(server: ReplicaServer) -> list[str]:
    return article_requests(server)


def crawl(
    server: ReplicaServer, workdir: Path, state: Path, feed_dir: Path, **settings: str
) -> CrawlResult:
    """A crawl publishing into ``feed_dir`` through the default feeds, sharing ``state``."""
    merged = {
        "ATLANTICO_STATE_DIR": str(state),
        "ATLANTICO_ATOM_URI": str(feed_dir / "atlantico-{section}.atom"),
        **settings,
    }
    env = {"ATLANTICO_FEED_URI": str(feed_dir / "%(name)s-%(run_id)s.jsonl")}
    return run_crawl(
        server.base_url, workdir, settings=merged, env=env, default_feed=True, timeout=240
    )


@pytest.fixture
def flaky() -> Iterator[tuple[ReplicaServer, Failing]]:
    hook = Failing(status=500)
    with ReplicaServer(n_articles=60, seed=1234, faults=hook) as server:
        yield server, hook


def oldest_in(server: ReplicaServer, section: str) -> str:
    """The section's oldest article: on its last listing page."""
    urls = [url for url, item in server.truth.items() if section in item["sections"]]
    assert len(urls) > 20  # more than one listing page of 20
    return min(urls, key=lambda url: server.truth[url]["datePublished"])


def test_an_article_that_failed_on_listing_page_2_is_delivered_by_the_next_run(
    flaky: tuple[ReplicaServer, Failing], tmp_path: Path
) -> None:
    server, hook = flaky
    state, feeds = tmp_path / "state", tmp_path / "feeds"
    failing = oldest_in(server, "decryptages")
    hook.failing.add(urlsplit(failing).path)
    first = crawl(server, tmp_path / "run1", state, feeds, RETRY_TIMES="1")
    assert first.returncode == 0, first.log[-3000:]
    assert first.stats["atlantico/queue/queued"] == 1
    assert first.stats["atlantico/failed/http_500"] == 1
    assert (
        f"Failed for good (http_500) after 2 tries: {failing} (status 500); queued for retry (attempt 1 of 5, not before"
        in first.log
    )
    assert first.stats.get("log_count/ERROR", 0) == 0  # queued, not lost: a WARNING
    assert article_key(failing) not in feed_lines(feeds)

    hook.failing.clear()
    server.clear_requests()
    second = crawl(server, tmp_path / "run2", state, feeds)
    assert second.returncode == 0, second.log[-3000:]
    assert second.stats["atlantico/listing/stopped/watermark"] == 2  # page 1 only…
    assert article_paths(server) == [urlsplit(failing).path]  # …and the queued article first
    [item] = [json.loads(line) for f in feeds.glob("*.jsonl") for line in f.read_text().splitlines()
              if article_key(failing) in line]  # fmt: skip
    assert item["metadata"]["discoveredVia"] == "retry-queue"
    assert item["sections"] == server.truth[failing]["sections"]
    seen = feed_lines(feeds)
    assert set(seen) == truth_keys(server)
    assert max(seen.values()) == 1
    with sqlite3.connect(state / "atlantico.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM retry_queue").fetchone()[0] == 0


def test_an_article_failing_every_run_is_given_up_loudly(
    flaky: tuple[ReplicaServer, Failing], tmp_path: Path
) -> None:
    server, hook = flaky
    state, feeds = tmp_path / "state", tmp_path / "feeds"
    failing = oldest_in(server, "high-tech")
    hook.failing.add(urlsplit(failing).path)
    settings = {"RETRY_TIMES": "0", "ATLANTICO_RETRY_MAX_ATTEMPTS": "2"}
    first = crawl(server, tmp_path / "run1", state, feeds, **settings)
    assert first.returncode == 0, first.log[-3000:]
    second = crawl(server, tmp_path / "run2", state, feeds, **settings)
    assert second.stats["atlantico/queue/given_up"] == 1
    assert second.stats["atlantico/queue/given_up_urls"] == [failing]
    assert second.log.count(f"Given up on {failing} after 2 failed attempts") == 1
    assert second.stats["log_count/ERROR"] == 1  # one ERROR for the one article lost
    manifest = json.loads(Path(second.stats["atlantico/run/manifest"]).read_text("utf-8"))
    assert manifest["given_up"] == [failing]
    assert manifest["counts"]["given_up"] == 1
    server.clear_requests()
    third = crawl(server, tmp_path / "run3", state, feeds, **settings)
    assert urlsplit(failing).path not in article_paths(server)  # never asked again
    assert third.returncode == 0


def test_a_day_long_retry_after_is_honoured_by_the_next_run(tmp_path: Path) -> None:
    hook = Failing(status=503, headers={"Retry-After": "86400"})
    with ReplicaServer(n_articles=60, seed=1234, faults=hook) as server:
        state, feeds = tmp_path / "state", tmp_path / "feeds"
        paused = oldest_in(server, "decryptages")
        hook.failing.add(urlsplit(paused).path)
        first = crawl(server, tmp_path / "run1", state, feeds)
        assert first.stats["atlantico/deferred/retry_after"] >= 1
        assert first.stats["atlantico/queue/queued"] >= 1

        hook.failing.clear()
        server.clear_requests()
        second = crawl(server, tmp_path / "run2", state, feeds)
        assert second.returncode == 75
        assert "asked for a pause until" in second.log
        assert server.requests == []  # not even robots.txt

        # A day later (the pause and the queue's dates moved to the past): everything arrives.
        with sqlite3.connect(state / "atlantico.sqlite3") as db:
            db.execute("UPDATE host_pauses SET not_before = 0")
            db.execute("UPDATE retry_queue SET not_before = 0")
        third = crawl(server, tmp_path / "run3", state, feeds)
        assert third.returncode == 0, third.log[-3000:]
        seen = feed_lines(feeds)
        assert set(seen) == truth_keys(server)
        assert max(seen.values()) == 1


@pytest.fixture
def site() -> Iterator[ReplicaServer]:
    with ReplicaServer(n_articles=60, seed=1234) as server:
        yield server


# Four outputs: the JSON Lines feed, two Atom feeds, the manifest.
STEPS = ["ready", "committed", "renamed:1", "renamed:2", "renamed:3", "renamed:4", "finished"]


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_while_publishing_loses_nothing_and_duplicates_nothing(
    site: ReplicaServer, tmp_path: Path, step: str
) -> None:
    state, feeds = tmp_path / "state", tmp_path / "feeds"
    crashed = crawl(
        site, tmp_path / "crashed", state, feeds, EXTENSIONS=EXTENSIONS, TEST_CRASH_AT_STEP=step
    )
    assert crashed.returncode == 137
    rerun = crawl(site, tmp_path / "rerun", state, feeds)
    assert rerun.returncode == 0, rerun.log[-3000:]
    if step == "ready":
        assert "Discarded run" in rerun.log
        assert "none of its outputs was published" in rerun.log
    elif step == "finished":
        assert "Recovered run" not in rerun.log  # nothing was left to do
    else:
        assert "Recovered run" in rerun.log
        assert rerun.stats["atlantico/run/recovered_runs"] == 1
    seen = feed_lines(feeds)
    assert set(seen) == truth_keys(site)
    assert max(seen.values()) == 1
    assert not list(feeds.glob(".*.partial"))
    for section in ("high-tech", "decryptages"):
        assert (feeds / f"atlantico-{section}.atom").exists()
    manifests = sorted(feeds.glob("*.manifest.json"))
    assert sum(json.loads(m.read_text())["counts"]["exported"] for m in manifests) == len(seen)


@pytest.mark.parametrize("output", ["jsonl", "atom"])
def test_a_full_disk_on_any_output_publishes_nothing_of_the_run(
    site: ReplicaServer, tmp_path: Path, output: str
) -> None:
    state, feeds = tmp_path / "state", tmp_path / "feeds"
    first = crawl(site, tmp_path / "run1", state, feeds, ATLANTICO_MAX_PAGES="1")
    assert first.returncode == 0, first.log[-3000:]
    atom = feeds / "atlantico-decryptages.atom"
    stable = atom.read_bytes()
    before = feed_lines(feeds)
    site.publish(3)
    storages = json.dumps(
        {**project_settings.FEED_STORAGES, "enospc": "tests.crashes.FullDiskStorage"}
    )
    env = {"ATLANTICO_FEED_URI": str(feeds / "%(name)s-%(run_id)s.jsonl")}
    settings = {
        "ATLANTICO_STATE_DIR": str(state),
        "ATLANTICO_ATOM_URI": str(feeds / "atlantico-{section}.atom"),
        "FEED_STORAGES": storages,
        "ATLANTICO_MAX_PAGES": "0",
    }
    if output == "jsonl":
        env["ATLANTICO_FEED_URI"] = f"enospc://{feeds}/%(name)s-%(run_id)s.jsonl"
    else:
        settings["ATLANTICO_ATOM_URI"] = f"enospc://{feeds}/atlantico-{{section}}.atom"
    full = run_crawl(site.base_url, tmp_path / "full", settings=settings, env=env,
                     default_feed=True)  # fmt: skip
    assert full.returncode == 1
    assert full.stats["atlantico/run/failed"] == "feed_storage_failed"
    assert feed_lines(feeds) == before  # no feed of the failed run
    assert atom.read_bytes() == stable  # the stable Atom feed is not replaced
    assert not list(feeds.glob(".*.partial"))  # nothing left to fill the disk

    rerun = crawl(site, tmp_path / "rerun", state, feeds)
    assert rerun.returncode == 0, rerun.log[-3000:]
    seen = feed_lines(feeds)
    assert set(seen) == truth_keys(site)
    assert max(seen.values()) == 1


def test_a_full_disk_on_the_manifest_publishes_nothing_of_the_run(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state, feeds = tmp_path / "state", tmp_path / "feeds"
    first = crawl(site, tmp_path / "run1", state, feeds, ATLANTICO_MAX_PAGES="1")
    assert first.returncode == 0, first.log[-3000:]
    stable = (feeds / "atlantico-high-tech.atom").read_bytes()
    before = feed_lines(feeds)
    site.publish(3)
    extensions = json.dumps(
        {**project_settings.EXTENSIONS, "tests.runs_faults.ManifestDiskFull": 900}
    )
    full = crawl(site, tmp_path / "full", state, feeds, EXTENSIONS=extensions)
    assert full.returncode == 1
    assert full.stats["atlantico/run/failed"] == "manifest_failed"
    assert feed_lines(feeds) == before
    assert (feeds / "atlantico-high-tech.atom").read_bytes() == stable
    assert not list(feeds.glob(".*.partial"))
    rerun = crawl(site, tmp_path / "rerun", state, feeds)
    assert rerun.returncode == 0, rerun.log[-3000:]
    seen = feed_lines(feeds)
    assert set(seen) == truth_keys(site)
    assert max(seen.values()) == 1


def test_a_zero_byte_store_is_refused(site: ReplicaServer, tmp_path: Path) -> None:
    store = tmp_path / "state" / "atlantico.sqlite3"
    store.parent.mkdir()
    store.write_bytes(b"")
    result = crawl(site, tmp_path / "run", tmp_path / "state", tmp_path / "feeds")
    assert result.returncode == 1
    assert "empty (0-byte) file" in result.log
    assert store.read_bytes() == b""
    assert site.requests == []


def test_two_state_dirs_sharing_one_store_cannot_run_at_once(
    site: ReplicaServer, tmp_path: Path
) -> None:
    shared = str(tmp_path / "shared" / "store.sqlite3")
    command, env = crawl_command(
        site.base_url,
        tmp_path / "first",
        settings={"ATLANTICO_STORE_PATH": shared, "ATLANTICO_STATE_DIR": str(tmp_path / "a"),
                  "DOWNLOAD_DELAY": "0.2", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
        feed=tmp_path / "first.jsonl",
    )  # fmt: skip
    first = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        lock = Path(shared + ".lock")
        import time

        deadline = time.monotonic() + 60
        while not (lock.exists() and "pid" in lock.read_text()):
            assert time.monotonic() < deadline
            assert first.poll() is None
            time.sleep(0.05)
        second = run_crawl(site.base_url, tmp_path / "second", settings={
            "ATLANTICO_STORE_PATH": shared, "ATLANTICO_STATE_DIR": str(tmp_path / "b")})  # fmt: skip
        assert second.returncode == 75
        assert f"lock {lock}" in second.log
    finally:
        assert first.wait(timeout=240) == 0


def test_manifest_counts_are_the_feed_lines(replica: ReplicaServer, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    result = crawl(replica, tmp_path / "run", tmp_path / "state", feeds)
    assert result.returncode == 0, result.log[-3000:]
    [feed] = feeds.glob("*.jsonl")
    items = [json.loads(line) for line in feed.read_text("utf-8").splitlines()]
    manifest = json.loads(Path(result.stats["atlantico/run/manifest"]).read_text("utf-8"))
    assert manifest["counts"]["exported"] == len(items)
    by_section = Counter(section for item in items for section in item["sections"])
    assert manifest["counts"]["by_section"] == dict(by_section)
    for field, share in manifest["coverage"].items():
        filled = sum(1 for item in items if item.get(field))
        assert share == round(filled / len(items), 4), field
    assert 0 < manifest["coverage"]["tags"] <= 1


def test_a_304_on_revisit_is_unchanged_and_costs_no_body(tmp_path: Path) -> None:
    hook = Validating()
    with ReplicaServer(n_articles=60, seed=1234, faults=hook) as server:
        state, feeds = tmp_path / "state", tmp_path / "feeds"
        first = crawl(server, tmp_path / "run1", state, feeds)
        assert first.returncode == 0, first.log[-3000:]
        server.clear_requests()
        settings = {
            "ATLANTICO_REVISIT_AFTER_HOURS": "0",
            "ATLANTICO_REVISIT_PER_RUN": "7",
            # The replica's dates are fixed (its NOW is 2026-11-20): a window counted back from
            # today's clock would hold fewer of its articles every day, and none after a month.
            "ATLANTICO_REVISIT_WINDOW_DAYS": "36500",
        }
        second = crawl(server, tmp_path / "run2", state, feeds, **settings)
        assert second.returncode == 0, second.log[-3000:]
        revisits = [r for r in server.requests if r.path in set(article_requests(server))]
        assert len(revisits) == 7
        assert all(r.headers.get("If-None-Match") for r in revisits)
        assert second.stats["atlantico/revisit/unchanged"] == 7
        assert second.stats.get("log_count/ERROR", 0) == 0
        assert second.stats.get("item_scraped_count", 0) == 0
        assert max(feed_lines(feeds).values()) == 1


def test_a_usage_error_is_one_line_and_exit_2(site: ReplicaServer, tmp_path: Path) -> None:
    command, env = crawl_command(site.base_url, tmp_path, "mode=sideways")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()  # one line, no traceback
    assert line.startswith("scrapy crawl atlantico: ")
    assert "sideways" in line
    assert site.requests == []


def test_download_delay_from_the_command_line_takes_effect(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    command, env = crawl_command(
        replica.base_url, tmp_path, "sections=decryptages", "max_pages=1",
        settings={"ATLANTICO_DOWNLOAD_DELAY": "0.01", "ATLANTICO_CONCURRENCY": "3"},
        feed=tmp_path / "out.jsonl",
    )  # fmt: skip
    at = command.index("DOWNLOAD_DELAY=0")  # the suite's own -s DOWNLOAD_DELAY=0 goes away
    del command[at - 1 : at + 1]
    at = command.index("CONCURRENT_REQUESTS_PER_DOMAIN=8")
    del command[at - 1 : at + 1]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    result = read_result(tmp_path, tmp_path / "out.jsonl", done.returncode, done.stderr)
    assert result.returncode == 0, result.log[-3000:]
    # Scrapy logs the crawler's settings once the add-ons have run.
    overridden = result.log.split("Overridden settings:", 1)[1].split("\n2026", 1)[0]
    assert "'DOWNLOAD_DELAY': 0.01" in overridden
    assert "'AUTOTHROTTLE_START_DELAY': 0.01" in overridden
    assert "'CONCURRENT_REQUESTS_PER_DOMAIN': 3" in overridden


def test_a_scrapy_setting_given_with_s_wins_over_its_atlantico_name() -> None:
    from scrapy.settings import Settings

    from atlantico.addons.scrapy_settings import AtlanticoSettings

    assert "atlantico.addons.scrapy_settings.AtlanticoSettings" in project_settings.ADDONS
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("ATLANTICO_DOWNLOAD_DELAY", "0", priority="cmdline")
    settings.set("DOWNLOAD_DELAY", "3", priority="cmdline")
    settings.set("ATLANTICO_MAX_ERRORS", "-1", priority="cmdline")
    AtlanticoSettings().update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 3.0
    assert settings.getfloat("AUTOTHROTTLE_START_DELAY") == 0.0
    assert settings.getint("SPIDERMON_MAX_ERRORS") > 10**6


def test_every_atlantico_setting_reads_the_environment() -> None:
    code = (
        "from atlantico import settings as s; "
        "print(s.ATLANTICO_DOWNLOAD_DELAY, s.ATLANTICO_RETRY_MAX_ATTEMPTS, s.ATLANTICO_BACKOFF_MAX)"
    )
    env = {"PYTHONPATH": str(ROOT), "ATLANTICO_DOWNLOAD_DELAY": "0",
           "ATLANTICO_RETRY_MAX_ATTEMPTS": "9", "ATLANTICO_BACKOFF_MAX": "7"}  # fmt: skip
    import sys

    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    # From the environment as strings, which Scrapy's getfloat/getint read.
    assert out.stdout.split() == ["0", "9", "7"]


def test_sigterm_before_the_crawl_starts_exits_1_not_143(
    site: ReplicaServer, tmp_path: Path
) -> None:
    import os
    import signal
    import time

    from atlantico.store import MIGRATIONS

    state = tmp_path / "state"
    state.mkdir()
    path = state / "atlantico.sqlite3"
    with sqlite3.connect(path) as db:  # a store of the previous version: it will migrate
        db.executescript(MIGRATIONS[0][2])
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the migration waits for this write lock
    command, env = crawl_command(site.base_url, tmp_path / "run", settings={
        "ATLANTICO_STATE_DIR": str(state)}, feed=tmp_path / "out.jsonl")  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        # Wait until the run has opened the store: it is then waiting for the lock, before
        # any crawl (and before Scrapy's own signal handlers exist).
        fds = Path(f"/proc/{process.pid}/fd")
        while not any(os.path.realpath(fd) == str(path) for fd in fds.iterdir()):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=120) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        if process.poll() is None:
            process.kill()
    assert site.requests == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "data:text/html,<p>x</p>"])
def test_a_redirect_to_a_refused_scheme_is_counted_and_queued(tmp_path: Path, target: str) -> None:
    hook = Failing(status=302, headers={"Location": target})
    with ReplicaServer(n_articles=60, seed=1234, faults=hook) as server:
        redirected = oldest_in(server, "high-tech")
        hook.failing.add(urlsplit(redirected).path)
        result = crawl(server, tmp_path / "run", tmp_path / "state", tmp_path / "feeds")
        assert result.returncode == 0, result.log[-3000:]
        assert result.stats["atlantico/queue/why/refused_redirect"] == 1
        assert result.stats["atlantico/queue/queued"] == 1
        assert (
            f"Not delivered (refused_redirect): {redirected}; queued for retry (attempt 1 of 5"
            in result.log
        )
        refused = {k: v for k, v in result.stats.items() if k.startswith("atlantico/refused/")}
        assert refused, "the refusal is counted"
        with sqlite3.connect(tmp_path / "state/atlantico.sqlite3") as db:
            [(url, why)] = db.execute("SELECT url, why FROM retry_queue").fetchall()
        assert (url, why) == (redirected, "refused_redirect")
