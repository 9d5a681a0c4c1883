"""The store: refuses what is not a store, creates only a missing file, migrates in order,
keeps the retry queue, host pauses and revisit validators."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from atlantico.store import (
    SCHEMA_VERSION,
    Output,
    Pending,
    SQLiteStore,
    Store,
    StoreError,
    lock_path,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The backend under test. The contract tests below use only the :class:`Store`
    interface: another backend runs them by overriding this fixture."""
    opened = SQLiteStore.open(tmp_path / "s.sqlite3")
    yield opened
    opened.close()


def pending(key: str, **changes: object) -> Pending:
    values: dict[str, object] = {
        "key": key,
        "article_id": None,
        "url": f"https://atlantico.fr{key}",
        "content_hash": "h" * 64,
        "date_published": "2026-11-30T08:00:00+01:00",
        "date_modified": None,
        "revision": 1,
        "sections": ("high-tech",),
        "etag": '"v1"',
        "last_modified": "Mon, 30 Nov 2026 07:00:00 GMT",
    }
    values.update(changes)
    return Pending(**values)  # type: ignore[arg-type]


def test_a_missing_file_is_created_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "state" / "store.sqlite3"
    store = SQLiteStore.open(path)
    assert store.created
    assert store.count() == 0
    store.close()
    again = SQLiteStore.open(path)
    assert not again.created
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    again.close()
    assert not list(path.parent.glob(".*creating*"))  # nothing left from the creation


def test_a_zero_byte_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match=r"empty \(0-byte\) file"):
        SQLiteStore.open(path)
    assert path.read_bytes() == b""


def test_a_store_without_its_articles_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    SQLiteStore.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE articles")
    with pytest.raises(StoreError, match=r"lacks the table\(s\) articles"):
        SQLiteStore.open(path)


def test_an_sqlite_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match=r"not an article store \(tables: notes"):
        SQLiteStore.open(path)


def test_a_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    SQLiteStore.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
        SQLiteStore.open(path)


def test_a_version_1_store_is_migrated_and_keeps_its_articles(tmp_path: Path) -> None:
    from atlantico.store import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # a store as the previous release left it
        db.executescript(MIGRATIONS[0][2])
        db.execute(
            "INSERT INTO articles VALUES ('/article/a', NULL, 'u', 'h', NULL, NULL, 1,"
            " '2026-11-01T00:00:00+00:00', '2026-11-01T00:00:00+00:00', 'r0', 200)"
        )
    store = SQLiteStore.open(path)
    assert store.known(["/article/a"])["/article/a"].revision == 1
    assert store.due(time.time()) == []  # the queue table exists now
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_the_lock_is_beside_the_store() -> None:
    assert lock_path("/srv/shared/atlantico.sqlite3") == Path("/srv/shared/atlantico.sqlite3.lock")


def test_publish_run_is_the_commit_point_and_resolves_the_queue(store: Store) -> None:
    store.queue("/article/a", "u", ["high-tech"], "timeout", 0.0, attempted=True, max_attempts=5)
    store.begin_run("r1", 1)
    store.add_output("r1", Output("/f/.a.partial", "/f/a.jsonl"))
    store.stage("r1", pending("/article/a"))
    [record] = store.unfinished_runs()
    assert (record.state, record.pending) == ("running", 1)
    assert record.outputs == (Output("/f/.a.partial", "/f/a.jsonl"),)
    assert store.publish_run("r1") == 1
    assert store.run_state("r1") == "publishing"
    assert [r.state for r in store.unfinished_runs()] == ["publishing"]
    assert store.queued() == []
    known = store.known(["/article/a"])["/article/a"]
    assert (known.etag, known.last_modified) == ('"v1"', "Mon, 30 Nov 2026 07:00:00 GMT")
    store.finish_run("r1")
    assert store.unfinished_runs() == []


def test_a_failed_run_leaves_nothing_exported(store: Store) -> None:
    store.begin_run("r1", 1)
    store.stage("r1", pending("/article/a"))
    assert store.fail_run("r1") == 1
    assert store.known(["/article/a"]) == {}
    assert store.run_state("r1") == "failed"


def test_queue_counts_attempts_not_deferrals_and_gives_up(store: Store) -> None:
    args = ("/article/a", "https://x/article/a")
    first = store.queue(*args, ["high-tech"], "http_503", 0.0, attempted=True, max_attempts=3)
    assert (first.attempts, first.state) == (1, "queued")
    deferred = store.queue(*args, ["decryptages"], "retry_after", 50.0, attempted=False,
                           max_attempts=3)  # fmt: skip
    assert (deferred.attempts, deferred.state) == (1, "queued")
    assert deferred.sections == ("decryptages", "high-tech")  # both sections kept
    assert store.due(49.0) == []
    assert [e.key for e in store.due(50.0)] == ["/article/a"]
    store.queue(*args, [], "timeout", 0.0, attempted=True, max_attempts=3)
    last = store.queue(*args, [], "timeout", 0.0, attempted=True, max_attempts=3)
    assert (last.attempts, last.state, last.why) == (3, "given_up", "timeout")
    assert store.due(1e12) == []  # given up: never requested again
    assert [e.state for e in store.queued()] == ["given_up"]


def test_host_pauses_keep_the_latest_end(store: Store) -> None:
    store.pause_host("atlantico.fr", 1000.0, "Retry-After: 86400")
    store.pause_host("atlantico.fr", 500.0, "backoff")
    [pause] = store.host_pauses(now=10.0)
    assert (pause.host, pause.not_before, pause.why) == (
        "atlantico.fr",
        1000.0,
        "Retry-After: 86400",
    )
    assert store.host_pauses(now=1000.0) == []


def test_revisits_are_the_least_recently_checked_within_the_window(tmp_path: Path) -> None:
    store = SQLiteStore.open(tmp_path / "s.sqlite3")
    store.begin_run("r1", 1)
    store.stage("r1", pending("/article/old", date_published="2020-01-01T00:00:00+00:00"))
    store.stage("r1", pending("/article/a"))
    store.stage("r1", pending("/article/b"))
    store.publish_run("r1")
    store.db.execute("UPDATE articles SET checked = '2026-11-01' WHERE key = '/article/b'")
    store.db.execute("UPDATE articles SET checked = '2026-11-02' WHERE key = '/article/a'")
    due = store.revisits("2026-11-03", "2026-10-01", limit=5)
    assert [r.key for r in due] == ["/article/b", "/article/a"]  # 'old' is out of the window
    assert due[0].sections == ("high-tech",)
    assert due[0].etag == '"v1"'
    assert [r.key for r in store.revisits("2026-11-03", "2026-10-01", limit=1)] == ["/article/b"]
    store.touch(["/article/b"])
    assert [r.key for r in store.revisits("2026-11-03", "2026-10-01", limit=5)] == ["/article/a"]


def test_staged_rows_wait_for_a_batch_or_the_next_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atlantico import store as store_module
    from atlantico.backends.sqlite import SqliteStore

    clock = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: clock[0])
    path = tmp_path / "s.sqlite3"
    opened = SqliteStore.open(path)
    outside = sqlite3.connect(path)

    def on_disk() -> tuple[int, int]:
        pending_rows = outside.execute("SELECT COUNT(*) FROM pending").fetchone()[0]
        item_rows = outside.execute("SELECT COUNT(*) FROM pending_items").fetchone()[0]
        return int(pending_rows), int(item_rows)

    def stage(n: int) -> None:
        key = f"/article/{n}"
        opened.stage("r1", pending(key))
        opened.stage_item("r1", {"articleKey": key, "url": f"https://x{key}", "headline": "é"})

    opened.begin_run("r1", 1)
    batch = store_module.STAGE_BATCH
    for n in range(batch):
        stage(n)
    assert on_disk() == (0, 0)
    stage(batch)  # the full batch is written first, whole
    assert on_disk() == (batch, batch)
    opened.touch(["/article/none"])  # any transaction writes what waits
    assert on_disk() == (batch + 1, batch + 1)
    stage(batch + 1)
    clock[0] += store_module.STAGE_WAIT_S - 0.01
    stage(batch + 2)
    assert on_disk() == (batch + 1, batch + 1)
    clock[0] += 0.01  # the oldest has waited long enough: written with the next stage
    stage(batch + 3)
    assert on_disk() == (batch + 3, batch + 3)
    assert opened.pending_count("r1") == batch + 4  # a read of staged rows sees them all
    stage(batch + 4)
    opened.close()  # and closing writes them
    assert on_disk() == (batch + 5, batch + 5)
    [(text,)] = outside.execute("SELECT item FROM pending_items WHERE article_key = '/article/0'")
    assert text == '{"articleKey":"/article/0","url":"https://x/article/0","headline":"é"}'
    outside.close()


def test_a_stage_that_cannot_write_the_batch_before_it_stages_nothing(tmp_path: Path) -> None:
    from atlantico import store as store_module
    from atlantico.backends.sqlite import SqliteStore

    path = tmp_path / "s.sqlite3"
    opened = SqliteStore.open(path, busy_timeout_s=0.05)
    opened.begin_run("r1", 1)
    batch = store_module.STAGE_BATCH
    for n in range(batch):
        opened.stage("r1", pending(f"/article/{n}"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        opened.stage("r1", pending("/article/refused"))
    holder.execute("ROLLBACK")
    holder.close()
    # The batch waited for the next transaction; the refused article is not in it.
    assert opened.publish_run("r1") == batch
    assert opened.known(["/article/refused"]) == {}
    assert len(opened.known([f"/article/{n}" for n in range(batch)])) == batch
    opened.close()
