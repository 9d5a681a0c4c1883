"""The persistent store shared by scheduled runs: exported articles, runs, the retry queue.

The interface every backend implements is :class:`Store` (SQLite here, :class:`SQLiteStore`;
PostgreSQL elsewhere). What it guarantees, with the run lifecycle in
:mod:`atlantico.extensions.run` and the publishing journal in :mod:`atlantico.publishing`:

- an article is marked exported in the same transaction that makes the run's outputs the ones
  to publish (:meth:`Store.publish_run`, the commit point); renames follow and a later run
  finishes them (:meth:`Store.unfinished_runs` gives the journal);
- pending rows of a run that died before its commit point are discarded;
- a store is never silently replaced: a 0-byte file, a file without the store's tables, or a
  schema version this code does not know stops the run (:class:`StoreError`). Only a *missing*
  file is created, explicitly (:attr:`SQLiteStore.created` says so);
- the schema carries its version (``PRAGMA user_version``) and migrates in order
  (:data:`MIGRATIONS`), each step in one transaction;
- the run lock lives beside the store (:func:`lock_path`), so two state directories sharing
  one store cannot run at once.

SQLite is used as its authors intend for several processes: WAL journal, a busy timeout, and
``BEGIN IMMEDIATE`` for every read-then-write transaction (a deferred one fails at once with
"database is locked" when another writer holds the lock, whatever the timeout).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class StoreError(Exception):
    """The store cannot be used: empty, damaged, not a store, or of an unknown version.

    Raised by :meth:`SQLiteStore.open`; ``scrapy crawl`` prints it and exits 1.
    """


# -- what the store holds -------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What the store remembers of one exported article."""

    key: str
    content_hash: str
    date_modified: str | None
    date_published: str | None
    revision: int
    status: int
    url: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Pending:
    """An article a running run has exported to outputs not yet published."""

    key: str
    article_id: str | None
    url: str
    content_hash: str
    date_published: str | None
    date_modified: str | None
    revision: int
    aliases: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Output:
    """One output file of a run: written at ``partial``, published by a rename to ``final``."""

    partial: str
    final: str


@dataclass(frozen=True)
class RunRecord:
    """A run that did not finish: ``running`` (died before its commit point) or
    ``publishing`` (committed; some renames may be left to do)."""

    run_id: str
    state: str
    outputs: tuple[Output, ...]
    pending: int


@dataclass(frozen=True)
class QueueEntry:
    """An article to request again: it failed, or was deferred (host asked for a pause)."""

    key: str
    url: str
    sections: tuple[str, ...]
    why: str
    """The last reason: ``http_503``, ``timeout``, ``dns``, ``retry_after``, ``refused``…"""
    attempts: int
    """Requests that failed (a deferral made no request and does not count)."""
    not_before: float
    """Epoch seconds: not requested before this."""
    state: str = "queued"
    """``queued``, or ``given_up`` after ``max_attempts``."""


@dataclass(frozen=True)
class Revisit:
    """An exported article due for a conditional request (If-None-Match, If-Modified-Since)."""

    key: str
    url: str
    sections: tuple[str, ...]
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class HostPause:
    host: str
    not_before: float
    why: str


class Store(Protocol):
    """What a run needs from its store; every backend implements exactly this.

    Methods that write are each one transaction, except the staging of a run's articles
    (:meth:`stage`), which a backend may write with its next transaction, at the latest by the
    commit point, the failure of the run or :meth:`close`: staged rows are only ever read
    there (a run that dies before its commit point has them discarded anyway). Keys are
    :func:`atlantico.identity.article_key`.
    """

    location: str
    """Where the store is, for messages (a path, or a URL without its password)."""
    created: bool
    """True when this open created the store (a first run)."""

    def close(self) -> None: ...

    # articles
    def known(self, keys: Iterable[str]) -> dict[str, Known]:
        """The stored articles among ``keys`` (an alias key maps to its article)."""
        ...

    def known_ids(self, article_ids: Iterable[str]) -> dict[str, Known]:
        """Stored articles by the site's own id."""
        ...

    def count(self) -> int: ...

    def mark_gone(self, key: str, url: str, run_id: str) -> None:
        """410 Gone: never requested again."""
        ...

    def revisits(self, checked_before: str, published_after: str, limit: int) -> list[Revisit]:
        """Exported articles last fetched before ``checked_before`` (ISO) and published after
        ``published_after``, least recently fetched first, at most ``limit``."""
        ...

    def touch(self, keys: Sequence[str]) -> None:
        """The articles were fetched (or answered 304) now: not revisited again soon."""
        ...

    # a run's lifecycle
    def begin_run(self, run_id: str, pid: int) -> None: ...

    def add_output(self, run_id: str, output: Output) -> None:
        """Journal an output file of the run before it is written."""
        ...

    def stage(self, run_id: str, pending: Pending) -> None:
        """An article exported to the run's (unpublished) outputs.

        When it raises, the article was not staged (nor were its corpus rows, if any)."""
        ...

    def publish_run(self, run_id: str) -> int:
        """The commit point: pending articles become exported, queue entries they resolve are
        removed, and the run goes to ``publishing`` (its renames are then due). Returns the
        number of articles committed."""
        ...

    def finish_run(self, run_id: str, state: str = "committed") -> None:
        """Every output of a ``publishing`` run is in place."""
        ...

    def fail_run(self, run_id: str, state: str = "failed") -> int:
        """Drop the pending articles of a run that publishes nothing; returns how many."""
        ...

    def run_state(self, run_id: str) -> str | None: ...

    def unfinished_runs(self, exclude: str | None = None) -> list[RunRecord]:
        """Runs left ``running`` or ``publishing`` by a process that died."""
        ...

    # the retry queue
    def queue(
        self,
        key: str,
        url: str,
        sections: Sequence[str],
        why: str,
        not_before: float,
        *,
        attempted: bool,
        max_attempts: int,
    ) -> QueueEntry:
        """Record a failure (``attempted``) or a deferral; returns the entry, ``given_up``
        once ``attempts`` reaches ``max_attempts``."""
        ...

    def due(self, now: float, limit: int | None = None) -> list[QueueEntry]:
        """Queued entries whose ``not_before`` has passed, oldest first."""
        ...

    def queued(self) -> list[QueueEntry]:
        """Every entry, queued or given up."""
        ...

    def resolve(self, keys: Sequence[str]) -> None:
        """Entries no longer to retry (the article answered and was unchanged, or is gone)."""
        ...

    # host pauses that outlive a run
    def pause_host(self, host: str, not_before: float, why: str) -> None:
        """The host asked for a pause (Retry-After, backoff) until ``not_before`` (epoch)."""
        ...

    def host_pauses(self, now: float) -> list[HostPause]:
        """Pauses still running at ``now``."""
        ...


def lock_path(store_location: Path | str) -> Path:
    """The run lock beside the store: ``<store>.lock``.

    >>> lock_path("state/atlantico.sqlite3")
    PosixPath('state/atlantico.sqlite3.lock')
    """
    path = Path(store_location)
    return path.with_name(path.name + ".lock")


# -- the SQLite schema, by version ----------------------------------------------------------

_V1 = """
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
    state TEXT NOT NULL,             -- running | publishing | committed | failed | discarded…
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
INSERT OR IGNORE INTO meta VALUES ('schema', '1');
"""

_V2 = """
ALTER TABLE articles ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';
ALTER TABLE articles ADD COLUMN etag TEXT;
ALTER TABLE articles ADD COLUMN last_modified TEXT;
ALTER TABLE articles ADD COLUMN checked TEXT;    -- last fetched (200 or 304), ISO UTC
UPDATE articles SET checked = last_seen;
CREATE INDEX articles_by_checked ON articles (checked);
ALTER TABLE pending ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';
ALTER TABLE pending ADD COLUMN etag TEXT;
ALTER TABLE pending ADD COLUMN last_modified TEXT;
CREATE TABLE retry_queue (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    sections TEXT NOT NULL DEFAULT '[]',
    why TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL,        -- epoch seconds
    first_queued TEXT NOT NULL,
    last_queued TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'  -- queued | given_up
);
CREATE TABLE host_pauses (
    host TEXT PRIMARY KEY,
    not_before REAL NOT NULL,        -- epoch seconds
    why TEXT NOT NULL
);
UPDATE meta SET value = '2' WHERE key = 'schema';
"""

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "articles, aliases, runs, pending", _V1),
    (2, "retry queue, host pauses, validators and sections of articles", _V2),
)
"""(version, what it adds, SQL): applied in order, each in one transaction."""
SCHEMA_VERSION = MIGRATIONS[-1][0]
_REQUIRED_TABLES = {
    1: {"meta", "articles", "aliases", "runs", "pending"},
    2: {"meta", "articles", "aliases", "runs", "pending", "retry_queue", "host_pauses"},
}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _retrying(action: str, busy_timeout_s: float) -> Iterator[None]:
    """Retry a statement that SQLite refuses with "locked" without waiting (journal mode)."""
    deadline = time.monotonic() + busy_timeout_s
    while True:
        yield None
        if time.monotonic() > deadline:
            raise StoreError(f"the store stayed locked for {busy_timeout_s:.0f} s ({action})")
        time.sleep(0.05)


def _create(path: Path, busy_timeout_s: float) -> bool:
    """Create the store at ``path`` whole, or not at all: built beside it and linked into
    place (a link never replaces a file, so a store another process created at the same
    moment wins, and no reader ever sees a half-made one). Returns whether this call made it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.creating-{os.getpid()}")
    building.unlink(missing_ok=True)
    db = sqlite3.connect(building, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        for version, _, sql in MIGRATIONS:
            db.executescript(f"BEGIN; {sql}; PRAGMA user_version = {version}; COMMIT;")
    finally:
        db.close()
    try:
        os.link(building, path)
        return True
    except FileExistsError:
        return False
    finally:
        building.unlink(missing_ok=True)


# Staged rows wait in memory for at most this many articles or this many seconds (checked at
# the next stage), unless another transaction comes first. Two transactions per article were
# over a third of the CPU of the store and archive pipelines (0.12 of 0.32 ms per article,
# in-process); batched, one commit serves 50 articles. Nothing is lost by the wait: staged rows
# count only at the commit point, and a run killed before it has them discarded by the next
# run either way (that run's "Discarded run" line then counts only the rows written).
STAGE_BATCH = 50
STAGE_WAIT_S = 1.0


class SQLiteStore:
    """The store in one SQLite file (``ATLANTICO_STORE_PATH``).

    :meth:`stage` (and the corpus backend's ``stage_item``) only queue their rows; the queue is
    written, in order, at the start of the next transaction, whichever it is: the next article's
    stage once :data:`STAGE_BATCH` articles or :data:`STAGE_WAIT_S` seconds have gathered, the
    commit point (:meth:`publish_run`), :meth:`fail_run`, any other write, and :meth:`close`;
    and before any read of staged rows (:meth:`unfinished_runs`, :meth:`pending_count`). The
    store's contents at each of those points are what one transaction per row gave. A
    transaction that fails keeps the queue, for the next one; an article whose stage could not
    write the queue before it is not staged (it raises, as when its own row failed).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, created: bool = False) -> None:
        self.db = connection
        self.path = path
        self.location = str(path)
        self.created = created
        # (statement, parameters) in the order they were staged, not yet written.
        self.staged: list[tuple[str, tuple[Any, ...]]] = []
        self.staged_articles = 0
        self.staged_since = 0.0

    @classmethod
    def open(
        cls, path: Path | str, busy_timeout_s: float = 30.0, create: bool = True
    ) -> SQLiteStore:
        """Open the store, creating it only when the file is missing (and ``create``).

        :class:`StoreError` when the file is empty, damaged, not a store, misses tables, or
        has a schema version newer than this code knows.
        """
        path = Path(path)
        created = False
        if not path.exists():
            if not create:
                raise StoreError(f"{path} does not exist")
            created = _create(path, busy_timeout_s)
            if created:
                logger.warning(
                    "Created a new, empty store at %s (schema v%d)", path, SCHEMA_VERSION
                )
        elif path.stat().st_size == 0:
            raise StoreError(
                f"{path} is an empty (0-byte) file, not a store: it was truncated or replaced"
            )
        try:
            # isolation_level=None: transactions are opened explicitly (BEGIN IMMEDIATE).
            db = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            # quick_check reads every page: a truncated or overwritten file fails here.
            result = [row[0] for row in db.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                db.close()
                raise StoreError(f"{path} failed its integrity check: {result[:3]}")
            for _ in _retrying("journal mode", busy_timeout_s):
                try:
                    db.execute("PRAGMA journal_mode = WAL")
                    # NORMAL is durable in WAL mode except for the last commits on power loss;
                    # a commit lost so is a run whose outputs recovery then discards or
                    # finishes from the journal.
                    db.execute("PRAGMA synchronous = NORMAL")
                    break
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error):
                        raise
            store = cls(db, path, created)
            store._check_and_migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path} is not a usable SQLite store: {error}") from error
        return store

    def _version(self) -> int:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version == 0 and "meta" in self._tables():
            # Stores made before versioning kept the version in meta.
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            version = int(row[0]) if row else 0
        return version

    def _tables(self) -> set[str]:
        rows = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}

    def _check_and_migrate(self) -> None:
        version = self._version()
        if version == 0:
            tables = sorted(self._tables())
            raise StoreError(
                f"{self.path} is an SQLite file but not an article store (tables: "
                f"{', '.join(tables) or 'none'})"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}; this code knows versions up to "
                f"{SCHEMA_VERSION} (a newer release made it)"
            )
        missing = _REQUIRED_TABLES[version] - self._tables()
        if missing:
            raise StoreError(
                f"{self.path} (schema v{version}) lacks the table(s) {', '.join(sorted(missing))}"
            )
        for target, what, sql in MIGRATIONS:
            if target <= version:
                continue
            with self.transaction() as db:
                if self._version() >= target:  # another process migrated meanwhile
                    continue
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
            logger.warning("Store %s migrated to schema v%d: %s", self.path, target, what)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``); the
        staged rows waiting are written first."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            staged = self.staged
            if staged:
                self._write_staged(staged)
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        if staged:
            # Only once they are committed (nothing stages inside a transaction).
            self.staged = []
            self.staged_articles = 0

    def _write_staged(self, staged: list[tuple[str, tuple[Any, ...]]]) -> None:
        """The queued rows, each statement's in the order staged, one call per statement
        (the statements write different tables: their order between them does not matter)."""
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for statement, params in staged:
            rows.setdefault(statement, []).append(params)
        for statement, params_list in rows.items():
            self.db.executemany(statement, params_list)

    def flush(self) -> None:
        """Write the staged rows now (one transaction), if any wait."""
        if self.staged:
            with self.transaction():
                pass

    def defer(self, statement: str, params: tuple[Any, ...]) -> None:
        """Queue a row of the current article's staging, written with the next transaction.

        Each statement writes its own table (``INSERT OR REPLACE``): rows of one statement are
        written in their order, the statements one after the other."""
        self.staged.append((statement, params))

    # -- articles ----------------------------------------------------------------------------

    _KNOWN_COLUMNS = (
        "a.key, content_hash, date_modified, date_published, revision, status, a.url, etag,"
        " last_modified"
    )

    def known(self, keys: Iterable[str]) -> dict[str, Known]:
        found: dict[str, Known] = {}
        batch: list[str] = []
        for key in keys:
            batch.append(key)
            if len(batch) == 400:
                found.update(self._known_batch(batch))
                batch = []
        if batch:
            found.update(self._known_batch(batch))
        return found

    def _known_batch(self, keys: list[str]) -> dict[str, Known]:
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT asked, {self._KNOWN_COLUMNS}"
            " FROM (SELECT key AS asked, key AS target FROM articles"
            f"       WHERE key IN ({marks})"
            "       UNION SELECT alias, key FROM aliases"
            f"       WHERE alias IN ({marks})) AS wanted"
            " JOIN articles AS a ON a.key = wanted.target",
            keys + keys,
        )
        return {row[0]: Known(*row[1:]) for row in rows}

    def known_ids(self, article_ids: Iterable[str]) -> dict[str, Known]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT article_id, {self._KNOWN_COLUMNS} FROM articles AS a"
            f" WHERE article_id IN ({marks})",
            ids,
        )
        return {row[0]: Known(*row[1:]) for row in rows}

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def mark_gone(self, key: str, url: str, run_id: str) -> None:
        now = _now()
        with self.transaction() as db:
            db.execute(
                """
                INSERT INTO articles (key, url, content_hash, revision, first_seen, last_seen,
                                      exported_run, status, checked)
                VALUES (?, ?, '', 0, ?, ?, ?, 410, ?)
                ON CONFLICT (key) DO UPDATE SET status = 410, last_seen = excluded.last_seen
                """,
                (key, url, now, now, run_id, now),
            )
            db.execute("DELETE FROM retry_queue WHERE key = ?", (key,))

    def revisits(self, checked_before: str, published_after: str, limit: int) -> list[Revisit]:
        if limit <= 0:
            return []
        rows = self.db.execute(
            "SELECT key, url, sections, etag, last_modified FROM articles"
            " WHERE status = 200 AND checked < ?"
            " AND COALESCE(date_published, first_seen) >= ?"
            " AND key NOT IN (SELECT key FROM retry_queue)"
            " ORDER BY checked, key LIMIT ?",
            (checked_before, published_after, limit),
        )
        return [
            Revisit(key, url, tuple(json.loads(sections)), etag, last_modified)
            for key, url, sections, etag, last_modified in rows
        ]

    def touch(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        now = _now()
        with self.transaction() as db:
            db.executemany(
                "UPDATE articles SET checked = ? WHERE key = ?", [(now, k) for k in keys]
            )

    # -- a run's lifecycle -------------------------------------------------------------------

    def begin_run(self, run_id: str, pid: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (run_id, pid, started, state) VALUES (?, ?, ?, 'running')",
                (run_id, pid, _now()),
            )

    def add_output(self, run_id: str, output: Output) -> None:
        with self.transaction() as db:
            row = db.execute("SELECT feeds FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            outputs = json.loads(row[0]) if row else []
            outputs.append({"final": output.final, "partial": output.partial})
            db.execute("UPDATE runs SET feeds = ? WHERE run_id = ?", (json.dumps(outputs), run_id))

    _STAGE = (
        "INSERT OR REPLACE INTO pending (run_id, key, article_id, url, content_hash,"
        " date_published, date_modified, revision, aliases, sections, etag,"
        " last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    def stage(self, run_id: str, pending: Pending) -> None:
        if self.staged_articles >= STAGE_BATCH or (
            self.staged and time.monotonic() - self.staged_since >= STAGE_WAIT_S
        ):
            # The articles before this one, whole (their corpus rows too): if this fails,
            # nothing of this article was queued.
            self.flush()
        if not self.staged:
            self.staged_since = time.monotonic()
        self.staged_articles += 1
        self.defer(
            self._STAGE,
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
                json.dumps(list(pending.sections)),
                pending.etag,
                pending.last_modified,
            ),
        )

    def publish_run(self, run_id: str) -> int:
        now = _now()
        # The commit point must survive a power loss too (NORMAL is durable against a killed
        # process only): this one transaction is fully synced.
        self.db.execute("PRAGMA synchronous = FULL")
        try:
            return self._publish_run(run_id, now)
        finally:
            self.db.execute("PRAGMA synchronous = NORMAL")

    def _publish_run(self, run_id: str, now: str) -> int:
        with self.transaction() as db:
            moved = db.execute(
                """
                INSERT INTO articles (key, article_id, url, content_hash, date_published,
                                      date_modified, revision, first_seen, last_seen,
                                      exported_run, sections, etag, last_modified, checked)
                SELECT key, article_id, url, content_hash, date_published, date_modified,
                       revision, ?, ?, run_id, sections, etag, last_modified, ?
                FROM pending WHERE run_id = ?
                ON CONFLICT (key) DO UPDATE SET
                    article_id = excluded.article_id, url = excluded.url,
                    content_hash = excluded.content_hash,
                    date_published = excluded.date_published,
                    date_modified = excluded.date_modified,
                    revision = MAX(articles.revision, excluded.revision),
                    last_seen = excluded.last_seen, exported_run = excluded.exported_run,
                    sections = excluded.sections, etag = excluded.etag,
                    last_modified = excluded.last_modified, checked = excluded.checked,
                    status = 200
                """,
                (now, now, now, run_id),
            ).rowcount
            db.execute(
                """
                INSERT OR REPLACE INTO aliases (alias, key)
                SELECT json_each.value, pending.key FROM pending, json_each(pending.aliases)
                WHERE pending.run_id = ? AND json_each.value != pending.key
                """,
                (run_id,),
            )
            db.execute(
                "DELETE FROM retry_queue WHERE key IN (SELECT key FROM pending WHERE run_id = ?"
                " UNION SELECT json_each.value FROM pending, json_each(pending.aliases)"
                " WHERE pending.run_id = ?)",
                (run_id, run_id),
            )
            db.execute("DELETE FROM pending WHERE run_id = ?", (run_id,))
            db.execute("UPDATE runs SET state = 'publishing' WHERE run_id = ?", (run_id,))
        return moved

    def finish_run(self, run_id: str, state: str = "committed") -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET state = ?, finished = ? WHERE run_id = ?", (state, _now(), run_id)
            )

    def fail_run(self, run_id: str, state: str = "failed") -> int:
        with self.transaction() as db:
            dropped = db.execute("DELETE FROM pending WHERE run_id = ?", (run_id,)).rowcount
            db.execute(
                "UPDATE runs SET state = ?, finished = ? WHERE run_id = ?", (state, _now(), run_id)
            )
        return dropped

    def run_state(self, run_id: str) -> str | None:
        row = self.db.execute("SELECT state FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return str(row[0]) if row else None

    def unfinished_runs(self, exclude: str | None = None) -> list[RunRecord]:
        self.flush()
        rows = self.db.execute(
            "SELECT run_id, state, feeds, (SELECT COUNT(*) FROM pending AS p"
            " WHERE p.run_id = runs.run_id) FROM runs"
            " WHERE state IN ('running', 'publishing') AND run_id != ? ORDER BY started",
            (exclude or "",),
        )
        return [
            RunRecord(
                run_id,
                state,
                tuple(Output(o["partial"], o["final"]) for o in json.loads(outputs)),
                int(pending),
            )
            for run_id, state, outputs, pending in rows
        ]

    def pending_count(self, run_id: str) -> int:
        self.flush()
        row = self.db.execute("SELECT COUNT(*) FROM pending WHERE run_id = ?", (run_id,))
        return int(row.fetchone()[0])

    # -- the retry queue ---------------------------------------------------------------------

    def queue(
        self,
        key: str,
        url: str,
        sections: Sequence[str],
        why: str,
        not_before: float,
        *,
        attempted: bool,
        max_attempts: int,
    ) -> QueueEntry:
        now = _now()
        with self.transaction() as db:
            row = db.execute(
                "SELECT sections, attempts FROM retry_queue WHERE key = ?", (key,)
            ).fetchone()
            known_sections = set(json.loads(row[0])) if row else set()
            attempts = (row[1] if row else 0) + (1 if attempted else 0)
            state = "given_up" if max_attempts > 0 and attempts >= max_attempts else "queued"
            merged = tuple(sorted(known_sections | set(sections)))
            db.execute(
                """
                INSERT INTO retry_queue (key, url, sections, why, attempts, not_before,
                                         first_queued, last_queued, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET url = excluded.url,
                    sections = excluded.sections, why = excluded.why,
                    attempts = excluded.attempts, not_before = excluded.not_before,
                    last_queued = excluded.last_queued, state = excluded.state
                """,
                (key, url, json.dumps(list(merged)), why, attempts, not_before, now, now, state),
            )
        return QueueEntry(key, url, merged, why, attempts, not_before, state)

    def _entries(self, where: str, params: tuple[object, ...]) -> list[QueueEntry]:
        rows = self.db.execute(
            f"SELECT key, url, sections, why, attempts, not_before, state FROM retry_queue {where}",
            params,
        )
        return [
            QueueEntry(k, u, tuple(json.loads(s)), w, a, nb, st) for k, u, s, w, a, nb, st in rows
        ]

    def due(self, now: float, limit: int | None = None) -> list[QueueEntry]:
        return self._entries(
            "WHERE state = 'queued' AND not_before <= ? ORDER BY first_queued, key LIMIT ?",
            (now, -1 if limit is None else limit),
        )

    def queued(self) -> list[QueueEntry]:
        return self._entries("ORDER BY first_queued, key", ())

    def resolve(self, keys: Sequence[str]) -> None:
        if keys:
            with self.transaction() as db:
                db.executemany("DELETE FROM retry_queue WHERE key = ?", [(k,) for k in keys])

    # -- host pauses -------------------------------------------------------------------------

    def pause_host(self, host: str, not_before: float, why: str) -> None:
        with self.transaction() as db:
            db.execute(
                """
                INSERT INTO host_pauses (host, not_before, why) VALUES (?, ?, ?)
                ON CONFLICT (host) DO UPDATE SET
                    why = CASE WHEN excluded.not_before > host_pauses.not_before
                               THEN excluded.why ELSE host_pauses.why END,
                    not_before = MAX(host_pauses.not_before, excluded.not_before)
                """,
                (host, not_before, why),
            )

    def host_pauses(self, now: float) -> list[HostPause]:
        rows = self.db.execute(
            "SELECT host, not_before, why FROM host_pauses WHERE not_before > ? ORDER BY host",
            (now,),
        )
        return [HostPause(host, not_before, why) for host, not_before, why in rows]


# The name the rest of the code used before the interface was written down.
ArticleStore = SQLiteStore


def store_path(settings: Any) -> Path:
    """Where the SQLite store lives: ``ATLANTICO_STORE_PATH``, else
    ``<ATLANTICO_STATE_DIR>/atlantico.sqlite3``."""
    explicit = settings.get("ATLANTICO_STORE_PATH")
    return Path(explicit or Path(settings.get("ATLANTICO_STATE_DIR")) / "atlantico.sqlite3")


def store_location(settings: Any) -> Path:
    """The file the run lock sits beside (:func:`lock_path`): the store's path."""
    return store_path(settings)


def open_store(settings: Any) -> Store:
    """The store the settings name, opened and checked (:class:`StoreError` if unusable).

    The one place that picks a backend: other backends dispatch here on their own setting.
    """
    from atlantico.backends import open_store as open_backend  # PostgreSQL, corpus tables

    return open_backend(settings)
