"""Scheduled runs: the store, the watermark, revisions, manifests, and nothing lost on crashes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from atlantico import settings as project_settings
from atlantico.identity import article_key
from tests.conftest import ROOT, CrawlResult, crawl_command, read_result, run_crawl
from tests.replica import ReplicaServer


@pytest.fixture
def site() -> Iterator[ReplicaServer]:
    """A replica of its own: these tests publish and update articles."""
    with ReplicaServer(n_articles=60, seed=1234) as server:
        yield server


def shared_state(tmp_path: Path) -> dict[str, str]:
    """Settings that make successive runs share one store, as scheduled runs do."""
    return {"ATLANTICO_STATE_DIR": str(tmp_path / "state")}


def article_requests(server: ReplicaServer) -> list[str]:
    """Article pages the server was asked for (current and legacy URL forms)."""
    paths = [record.path for record in server.requests]
    return [
        p
        for p in paths
        if p.startswith("/article/")
        or p.endswith(".html")
        or (p.count("/") == 3 and p.split("/")[2].isdigit())
    ]


def stored_keys(state: Path) -> set[str]:
    with sqlite3.connect(state / "atlantico.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT key FROM articles WHERE status = 200")}


def feed_keys(path: Path) -> list[str]:
    return [json.loads(line)["articleKey"] for line in path.read_text("utf-8").splitlines()]


def truth_keys(server: ReplicaServer) -> set[str]:
    return {article_key(url) for url in server.truth}


def test_second_run_requests_no_article_and_exports_nothing(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    first = run_crawl(site.base_url, tmp_path / "run1", settings=state)
    assert first.returncode == 0, first.log[-2000:]
    assert len(first.items) == len(site.truth)
    assert all(item["revision"] == 1 for item in first.items)

    site.clear_requests()
    second = run_crawl(site.base_url, tmp_path / "run2", settings=state)
    assert second.returncode == 0, second.log[-2000:]
    assert second.items == []
    assert article_requests(site) == []
    assert second.stats["atlantico/listing/stopped/watermark"] == 2
    listing_pages = [r.path for r in site.requests if "page" in r.path]
    assert listing_pages == []  # only page 1 of each section was read

    manifest = json.loads(Path(second.stats["atlantico/run/manifest"]).read_text("utf-8"))
    assert manifest["counts"]["exported"] == 0
    assert manifest["counts"]["article_requests"] == 0
    assert manifest["finish_reason"] == "finished"
    assert manifest["feeds"][0]["bytes"] == 0


def test_new_and_updated_articles_are_exported_and_only_they(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    first = run_crawl(site.base_url, tmp_path / "run1", settings=state)
    assert first.returncode == 0
    before = {item["articleKey"]: item for item in first.items}

    new_urls = site.publish(2)
    updated_url = next(
        url for url in site.truth if url not in new_urls and "/article/decryptage/" in url
    )
    site.update(updated_url)
    site.clear_requests()

    second = run_crawl(site.base_url, tmp_path / "run2", settings=state)
    assert second.returncode == 0, second.log[-2000:]
    exported = {item["articleKey"]: item for item in second.items}
    assert set(exported) == {article_key(url) for url in [*new_urls, updated_url]}
    assert sorted(article_requests(site)) == sorted(
        article_key(url) for url in [*new_urls, updated_url]
    )

    updated = exported[article_key(updated_url)]
    assert updated["revision"] == 2
    assert updated["previousHash"] == before[article_key(updated_url)]["contentHash"]
    assert updated["dateModified"] == site.truth[updated_url]["dateModified"]
    assert updated["articleBody"] == site.truth[updated_url]["articleBody"]
    assert updated["metadata"]["discoveredVia"] == "news-sitemap"
    for url in new_urls:
        item = exported[article_key(url)]
        assert item["revision"] == 1
        assert item["sections"] == site.truth[url]["sections"]
    assert second.stats["atlantico/store/new"] == 2
    assert second.stats["atlantico/store/updated"] == 1


def test_unchanged_article_fetched_again_is_dropped_with_a_stat(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    first = run_crawl(site.base_url, tmp_path / "run1", settings=state)
    # The store now believes one article is older than the news sitemap says: it is fetched
    # again, found identical, and dropped.
    newest = max(first.items, key=lambda item: item["datePublished"])
    with sqlite3.connect(tmp_path / "state/atlantico.sqlite3") as db:
        db.execute(
            "UPDATE articles SET date_modified = NULL, date_published = '2011-01-01T00:00:00+01:00' WHERE key = ?",
            (newest["articleKey"],),
        )
    again = run_crawl(site.base_url, tmp_path / "run2", settings=state)
    assert again.returncode == 0
    assert again.items == []
    assert again.stats["atlantico/articles/requested"] == 1
    assert again.stats["atlantico/store/unchanged"] == 1


def test_backfill_ignores_the_watermark_but_not_the_store(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    run_crawl(
        site.base_url, tmp_path / "run1", "sections=decryptages", "max_pages=1", settings=state
    )
    again = run_crawl(
        site.base_url,
        tmp_path / "run2",
        "sections=decryptages",
        "max_pages=2",
        "mode=backfill",
        settings={**state, "ATLANTICO_SITEMAP_INDEX": ""},
    )
    assert again.returncode == 0
    assert again.stats["atlantico/skipped/known"] == 20  # page 1, exported by the first run
    assert len(again.items) == 20  # page 2, new


def test_legacy_links_are_known_after_their_first_export(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    first = run_crawl(site.base_url, tmp_path / "run1", settings=state)
    with_aliases = [item for item in first.items if item["metadata"].get("aliases")]
    assert with_aliases  # the replica links some articles by a legacy (301) URL
    site.clear_requests()
    second = run_crawl(
        site.base_url,
        tmp_path / "run2",
        "mode=backfill",
        settings={**state, "ATLANTICO_SITEMAP_INDEX": ""},
    )
    assert second.items == []
    assert article_requests(site) == []


def feed_env(feed_dir: Path) -> dict[str, str]:
    """Publish into ``feed_dir`` through the project's default feed (not ``-O``)."""
    return {"ATLANTICO_FEED_URI": str(feed_dir / "%(name)s-%(run_id)s.jsonl")}


def slow_crawl(
    server: ReplicaServer, workdir: Path, state: dict[str, str], feed_dir: Path
) -> subprocess.Popen[str]:
    """A crawl paced to last several seconds, publishing into ``feed_dir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {**state, "DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    command, env = crawl_command(
        server.base_url, workdir, settings=settings, env=feed_env(feed_dir)
    )
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for_article_requests(
    server: ReplicaServer, count: int, process: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + 60
    while len(article_requests(server)) < count:
        assert process.poll() is None, "the crawl ended too early"
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.05)


def published_feeds(feed_dir: Path) -> list[Path]:
    return sorted(feed_dir.glob("*.jsonl"))


def final_run(
    server: ReplicaServer, workdir: Path, state: dict[str, str], feed_dir: Path
) -> CrawlResult:
    command, env = crawl_command(server.base_url, workdir, settings=state, env=feed_env(feed_dir))
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    return read_result(workdir, Path("/nonexistent"), done.returncode, done.stderr)


def assert_nothing_lost(server: ReplicaServer, feed_dir: Path, state_dir: Path) -> Counter[str]:
    """Every article is in a published feed; the store holds nothing no published feed holds."""
    seen: Counter[str] = Counter()
    for feed in published_feeds(feed_dir):
        seen.update(feed_keys(feed))
    assert set(seen) == truth_keys(server)
    assert stored_keys(state_dir) <= set(seen)
    assert stored_keys(state_dir) == truth_keys(server)
    assert not list(feed_dir.glob(".*.partial"))
    return seen


def test_kill_9_mid_crawl_loses_nothing(site: ReplicaServer, tmp_path: Path) -> None:
    state, feed_dir = shared_state(tmp_path), tmp_path / "feeds"
    process = slow_crawl(site, tmp_path / "killed", state, feed_dir)
    wait_for_article_requests(site, 20, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert published_feeds(feed_dir) == []  # the killed run published nothing
    assert list(feed_dir.glob(".*.partial"))  # …and left a partial feed behind

    rerun = final_run(site, tmp_path / "rerun", state, feed_dir)
    assert rerun.returncode == 0, rerun.log[-2000:]
    assert "Discarded run" in rerun.log
    seen = assert_nothing_lost(site, feed_dir, tmp_path / "state")
    assert max(seen.values()) == 1


def test_sigterm_publishes_what_it_has_and_the_rerun_the_rest(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state, feed_dir = shared_state(tmp_path), tmp_path / "feeds"
    process = slow_crawl(site, tmp_path / "stopped", state, feed_dir)
    wait_for_article_requests(site, 20, process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 1  # stopped early: not a success for cron
    first_feeds = published_feeds(feed_dir)
    assert len(first_feeds) == 1
    partial_count = len(feed_keys(first_feeds[0]))
    assert 0 < partial_count < len(site.truth)

    rerun = final_run(site, tmp_path / "rerun", state, feed_dir)
    assert rerun.returncode == 0, rerun.log[-2000:]
    seen = assert_nothing_lost(site, feed_dir, tmp_path / "state")
    assert max(seen.values()) == 1  # the rerun exported exactly the rest


def test_crash_between_committing_and_the_last_rename_is_recovered(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state, feed_dir = shared_state(tmp_path), tmp_path / "feeds"
    # -s EXTENSIONS replaces the project's dict: pass it whole, plus the crash. The crash comes
    # after the commit point and the feed's rename, before the manifest's.
    extensions = {**project_settings.EXTENSIONS, "tests.runs_faults.CrashAtStep": 900}
    crash = {
        **state,
        "EXTENSIONS": json.dumps(extensions),
        "ATLANTICO_ATOM_URI": "",
        "TEST_CRASH_AT_STEP": "renamed:1",
    }
    crashed = run_crawl(
        site.base_url,
        tmp_path / "crashed",
        settings=crash,
        env=feed_env(feed_dir),
        default_feed=True,
    )
    assert crashed.returncode == 137
    assert len(published_feeds(feed_dir)) == 1
    assert not list(feed_dir.glob("*.manifest.json"))
    assert stored_keys(tmp_path / "state") == truth_keys(site)  # committed before the renames

    rerun = final_run(site, tmp_path / "rerun", {**state, "ATLANTICO_ATOM_URI": ""}, feed_dir)
    assert rerun.returncode == 0, rerun.log[-2000:]
    assert "Recovered run" in rerun.log
    assert "1 of its 2 output(s) were already in place, 1 renamed now" in rerun.log
    assert rerun.stats["atlantico/run/recovered_runs"] == 1
    assert len(list(feed_dir.glob("*.manifest.json"))) == 2
    seen = assert_nothing_lost(site, feed_dir, tmp_path / "state")
    assert max(seen.values()) == 1  # recovered, not exported twice


def test_full_disk_fails_the_run_and_the_next_run_exports_everything(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    full = run_crawl(
        site.base_url,
        tmp_path / "full",
        settings={
            **state,
            "FEED_STORAGES": json.dumps({"enospc": "tests.crashes.FullDiskStorage"}),
        },
        env={"ATLANTICO_FEED_URI": f"enospc://{tmp_path}/full.jsonl"},
        default_feed=True,
    )
    assert full.returncode == 1
    assert full.stats["atlantico/run/failed"] == "feed_storage_failed"
    assert full.stats["atlantico/feed/write_failed"] == 1
    assert full.log.count("Writing the feed") == 1  # one clear line, not one per item
    assert not (tmp_path / "full.jsonl").exists()
    assert stored_keys(tmp_path / "state") == set()

    rerun = run_crawl(site.base_url, tmp_path / "rerun", settings=state)
    assert rerun.returncode == 0
    assert {item["articleKey"] for item in rerun.items} == truth_keys(site)


def test_a_second_run_while_one_runs_exits_at_once(site: ReplicaServer, tmp_path: Path) -> None:
    state, feed_dir = shared_state(tmp_path), tmp_path / "feeds"
    # The replica holds every article page until the second run is over: the first run is
    # then certainly running (it takes the lock before its first request) however slow the
    # machine, and the second cannot have waited for it to end.
    gate = threading.Event()

    def hold_articles(handler: BaseHTTPRequestHandler, send_body: bool) -> bool:
        if handler.path.startswith("/article/"):
            gate.wait(timeout=240)
        return False  # then answered as usual

    server = site._server
    server.fault_hook = hold_articles
    try:
        first = slow_crawl(site, tmp_path / "first", {**state, "DOWNLOAD_TIMEOUT": "300"}, feed_dir)
        wait_for_article_requests(site, 1, first)
        second = run_crawl(site.base_url, tmp_path / "second", settings=state)
        assert second.returncode == 75
        assert "Another run is in progress" in second.log
        assert first.poll() is None  # the second exited while the first was held
    finally:
        gate.set()
        server.fault_hook = None
    assert first.wait(timeout=120) == 0
    assert_nothing_lost(site, feed_dir, tmp_path / "state")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_store_stops_the_run(site: ReplicaServer, tmp_path: Path, damage: str) -> None:
    state = shared_state(tmp_path)
    assert run_crawl(site.base_url, tmp_path / "run1", settings=state).returncode == 0
    path = tmp_path / "state/atlantico.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "garbage":
        data = bytearray(path.read_bytes())
        data[4096:8192] = os.urandom(4096)
        path.write_bytes(bytes(data))
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    damaged = path.read_bytes()

    result = run_crawl(site.base_url, tmp_path / "run2", settings=state)
    assert result.returncode == 1
    assert "The article store is damaged" in result.log
    assert result.items == []
    assert path.read_bytes() == damaged  # never silently replaced


def test_failed_runs_say_why_in_the_manifest_and_exit_code(
    site: ReplicaServer, tmp_path: Path
) -> None:
    result = run_crawl(
        site.base_url,
        tmp_path,
        settings={
            "ATLANTICO_MAX_ERRORS": "0",
            "ATLANTICO_SECTION_URLS": json.dumps({"high-tech": f"{site.base_url}/nowhere"}),
        },
    )
    assert result.returncode == 1
    assert result.stats["atlantico/run/failed"] == "too_many_errors"
    # The articles of the section that worked were still published and committed.
    assert result.items


def run_stage_many(args: tuple[str, str, int]) -> int:
    from atlantico.store import ArticleStore, Pending

    path, run_id, count = args
    store = ArticleStore.open(path, busy_timeout_s=30)
    store.begin_run(run_id, os.getpid())
    for i in range(count):
        store.stage(run_id, Pending(f"/article/x/{run_id}-{i}", None, "u", "h" * 64, None, None, 1))
        store.known([f"/article/x/{run_id}-{i - 1}"])
    moved = store.publish_run(run_id)
    store.close()
    return moved


def test_two_processes_write_the_store_at_once(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "store.sqlite3")
    with ProcessPoolExecutor(2) as pool:
        moved = list(pool.map(run_stage_many, [(path, "a", 300), (path, "b", 300)]))
    assert moved == [300, 300]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 600
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_backfill_walks_the_sitemaps_too(site: ReplicaServer, tmp_path: Path) -> None:
    # One listing page per section; the monthly sitemaps bring the rest of the archive.
    result = run_crawl(site.base_url, tmp_path, "mode=backfill", "max_pages=1")
    assert result.returncode == 0, result.log[-2000:]
    by_key = {item["articleKey"]: item for item in result.items}
    assert len(by_key) == len(result.items)
    assert set(by_key) == truth_keys(site)
    via = Counter(item["metadata"]["discoveredVia"] for item in result.items)
    assert via["listing"] >= 20
    assert via["sitemap"] >= 10
    for url, truth in site.truth.items():
        assert by_key[article_key(url)]["sections"] == truth["sections"], url
    # Articles in no section were fetched from the sitemaps, then left out.
    assert result.stats["atlantico/skipped/not_in_sections"] >= 1


def test_backfill_resumes_from_jobdir_after_sigterm(site: ReplicaServer, tmp_path: Path) -> None:
    state, feed_dir = shared_state(tmp_path), tmp_path / "feeds"
    jobdir = {
        **state,
        "JOBDIR": str(tmp_path / "job"),
        "DOWNLOAD_DELAY": "0.1",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    }
    command, env = crawl_command(
        site.base_url, tmp_path / "first", "mode=backfill", settings=jobdir, env=feed_env(feed_dir)
    )
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    wait_for_article_requests(site, 15, process)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    done_first = {key for feed in published_feeds(feed_dir) for key in feed_keys(feed)}
    assert 0 < len(done_first) < len(site.truth)

    site.clear_requests()
    command, env = crawl_command(
        site.base_url,
        tmp_path / "second",
        "mode=backfill",
        settings={**jobdir, "DOWNLOAD_DELAY": "0"},
        env=feed_env(feed_dir),
    )
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = assert_nothing_lost(site, feed_dir, tmp_path / "state")
    assert max(seen.values()) == 1
    # It carried on: articles of the first run were not requested again.
    again = set(article_requests(site))
    assert not again & done_first


def test_rss_finds_new_articles_when_a_listing_is_unreadable(
    site: ReplicaServer, tmp_path: Path
) -> None:
    state = shared_state(tmp_path)
    assert run_crawl(site.base_url, tmp_path / "run1", settings=state).returncode == 0
    new_urls = site.publish(3)  # both sections, High-tech only, Décryptages only
    # The High-tech listing now answers 404: only rss.xml can tell about its new articles.
    broken = {
        **state,
        "ATLANTICO_SECTION_URLS": json.dumps({"high-tech": f"{site.base_url}/nowhere"}),
    }
    second = run_crawl(site.base_url, tmp_path / "run2", settings=broken)
    exported = {item["articleKey"]: item for item in second.items}
    assert set(exported) == {article_key(url) for url in new_urls}
    via = {key: item["metadata"]["discoveredVia"] for key, item in exported.items()}
    high_tech_only = article_key(new_urls[1])
    assert via[high_tech_only] == "rss"
    assert exported[high_tech_only]["sections"] == ["high-tech"]
    assert second.stats["atlantico/rss/new"] == 1
