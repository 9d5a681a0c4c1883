"""The persistent store of exported articles (SQLite), shared by scheduled runs.

What it guarantees, with the run lifecycle in :mod:`atlantico.extensions.run`:

- an article is marked exported only after the feed that holds it is published;
- pending rows of a run that died are recovered (its feeds were published) or discarded;
- a damaged database stops the run; it is never silently replaced by an empty one.

SQLite is used as its authors intend for several processes: WAL journal, a busy timeout, and
``BEGIN IMMEDIATE`` for every read-then-write transaction (a deferred one fails at once with
"database is locked" when another writer holds the lock, whatever the timeout).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,            -- the item's articleKey (canonical URL path)
    article_id TEXT,                 -- the site's own id, when the page has one
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    date_published TEXT,
    date_modified TEXT,
    revision INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    exported_run TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 200  -- 410 once the site says the article is gone
);
CREATE INDEX IF NOT EXISTS articles_by_id ON articles (article_id);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY,          -- another key that led to the article (a legacy URL)
    key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    state TEXT NOT NULL,             -- running | committed | failed | recovered | discarded
    feeds TEXT NOT NULL DEFAULT '[]' -- JSON list of {"final": path, "partial": path}
);
CREATE TABLE IF NOT EXISTS pending (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    article_id TEXT,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    date_published TEXT,
    date_modified TEXT,
    revision INTEGER NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, key)
);
"""


class StoreError(Exception):
    """The store cannot be used: damaged, unreadable or of an unknown version.

    Raised by :meth:`ArticleStore.open`; the run stops with a non-zero exit.
    """


@dataclass(frozen=True)
class Known:
    """What the store remembers of one exported article."""

    key: str
    content_hash: str
    date_modified: str | None
    date_published: str | None
    revision: int
    status: int


@dataclass(frozen=True)
class Pending:
    """An article a running run has exported to a feed not yet published."""

    key: str
    article_id: str | None
    url: str
    content_hash: str
    date_published: str | None
    date_modified: str | None
    revision: int
    aliases: tuple[str, ...] = ()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _setup(db: sqlite3.Connection, busy_timeout_s: float) -> None:
    """WAL mode and the tables. Switching to WAL takes a lock that SQLite does not wait for,
    so two processes opening a new store at once retry here instead of failing."""
    deadline = time.monotonic() + busy_timeout_s
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable in WAL mode except for the last commits on power loss; every
            # commit here follows a published (fsynced) feed, which a rerun would export again.
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class ArticleStore:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path | str, busy_timeout_s: float = 30.0) -> ArticleStore:
        """Open (or create) the store and check its integrity; :class:`StoreError` if damaged."""
        path = Path(path)
        fresh = not path.exists() or path.stat().st_size == 0
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: transactions are opened explicitly (BEGIN IMMEDIATE).
            db = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            if not fresh:
                # quick_check reads every page: a truncated or overwritten file fails here.
                result = [row[0] for row in db.execute("PRAGMA quick_check")]
                if result != ["ok"]:
                    raise StoreError(f"{path} failed its integrity check: {result[:3]}")
            _setup(db, busy_timeout_s)
            version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path} is not a usable SQLite store: {error}") from error
        if version is None:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(version[0]) != SCHEMA_VERSION:
            raise StoreError(f"{path} has schema version {version[0]}, expected {SCHEMA_VERSION}")
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- reading ---------------------------------------------------------------------------

    def known(self, keys: Iterable[str]) -> dict[str, Known]:
        """The stored articles among ``keys``."""
        found: dict[str, Known] = {}
        batch: list[str] = []
        for key in keys:
            batch.append(key)
            if len(batch) == 500:
                found.update(self._known_batch(batch))
                batch = []
        if batch:
            found.update(self._known_batch(batch))
        return found

    def _known_batch(self, keys: list[str]) -> dict[str, Known]:
        """Stored articles by the keys asked for; an alias key maps to its article."""
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            "SELECT asked, a.key, content_hash, date_modified, date_published, revision, status"
            " FROM (SELECT key AS asked, key AS target FROM articles"
            f"       WHERE key IN ({marks})"
            "       UNION SELECT alias, key FROM aliases"
            f"       WHERE alias IN ({marks})) AS wanted"
            " JOIN articles AS a ON a.key = wanted.target",
            keys + keys,
        )
        return {row[0]: Known(*row[1:]) for row in rows}

    def known_ids(self, article_ids: Iterable[str]) -> dict[str, Known]:
        """Stored articles by the site's own id (legacy URLs carry it, current ones do not)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT article_id, key, content_hash, date_modified, date_published, revision, status"
            f" FROM articles WHERE article_id IN ({marks})",
            ids,
        )
        return {row[0]: Known(*row[1:]) for row in rows}

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- a run's lifecycle -----------------------------------------------------------------

    def begin_run(self, run_id: str, pid: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (run_id, pid, started, state) VALUES (?, ?, ?, 'running')",
                (run_id, pid, _now()),
            )

    def add_feed(self, run_id: str, final: str, partial: str) -> None:
        """Record where a run's feed will be published, so a crash can be sorted out later."""
        with self.transaction() as db:
            row = db.execute("SELECT feeds FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            feeds = json.loads(row[0]) if row else []
            feeds.append({"final": final, "partial": partial})
            db.execute("UPDATE runs SET feeds = ? WHERE run_id = ?", (json.dumps(feeds), run_id))

    def stage(self, run_id: str, pending: Pending) -> None:
        """Remember an exported article until its feed is published."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    pending.key,
                    pending.article_id,
                    pending.url,
                    pending.content_hash,
                    pending.date_published,
                    pending.date_modified,
                    pending.revision,
                    json.dumps(list(pending.aliases)),
                ),
            )

    def commit_run(self, run_id: str, state: str = "committed") -> int:
        """Mark every pending article of ``run_id`` as exported, in one transaction."""
        now = _now()
        with self.transaction() as db:
            moved = db.execute(
                """
                INSERT INTO articles (key, article_id, url, content_hash, date_published,
                                      date_modified, revision, first_seen, last_seen, exported_run)
                SELECT key, article_id, url, content_hash, date_published, date_modified,
                       revision, ?, ?, run_id
                FROM pending WHERE run_id = ?
                ON CONFLICT (key) DO UPDATE SET
                    article_id = excluded.article_id, url = excluded.url,
                    content_hash = excluded.content_hash,
                    date_published = excluded.date_published,
                    date_modified = excluded.date_modified,
                    revision = MAX(articles.revision, excluded.revision),
                    last_seen = excluded.last_seen, exported_run = excluded.exported_run
                """,
                (now, now, run_id),
            ).rowcount
            db.execute(
                """
                INSERT OR REPLACE INTO aliases (alias, key)
                SELECT json_each.value, pending.key FROM pending, json_each(pending.aliases)
                WHERE pending.run_id = ? AND json_each.value != pending.key
                """,
                (run_id,),
            )
            db.execute("DELETE FROM pending WHERE run_id = ?", (run_id,))
            db.execute(
                "UPDATE runs SET state = ?, finished = ? WHERE run_id = ?", (state, now, run_id)
            )
        return moved

    def fail_run(self, run_id: str, state: str = "failed") -> int:
        """Forget the pending articles of a run whose feed was not published."""
        with self.transaction() as db:
            dropped = db.execute("DELETE FROM pending WHERE run_id = ?", (run_id,)).rowcount
            db.execute(
                "UPDATE runs SET state = ?, finished = ? WHERE run_id = ?", (state, _now(), run_id)
            )
        return dropped

    def unfinished_runs(self, exclude: str | None = None) -> list[tuple[str, list[dict[str, str]]]]:
        """Runs left in state ``running`` (their process died), with their planned feeds."""
        rows = self.db.execute(
            "SELECT run_id, feeds FROM runs WHERE state = 'running' AND run_id != ?",
            (exclude or "",),
        )
        return [(run_id, json.loads(feeds)) for run_id, feeds in rows]

    def pending_count(self, run_id: str) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM pending WHERE run_id = ?", (run_id,))
        return int(row.fetchone()[0])

    def mark_gone(self, key: str, url: str, run_id: str) -> None:
        """Remember that the site answered 410 Gone, so the article is not requested again."""
        now = _now()
        with self.transaction() as db:
            db.execute(
                """
                INSERT INTO articles (key, url, content_hash, revision, first_seen, last_seen,
                                      exported_run, status)
                VALUES (?, ?, '', 0, ?, ?, ?, 410)
                ON CONFLICT (key) DO UPDATE SET status = 410, last_seen = excluded.last_seen
                """,
                (key, url, now, now, run_id),
            )
