"""The store in PostgreSQL (``ATLANTICO_DATABASE_URL``), shared by crawlers on several hosts.

The same interface and guarantees as the SQLite store (:mod:`atlantico.store`), plus:

- **The run lock is a session advisory lock** (:func:`take_run_lock`), taken when ``scrapy
  crawl`` opens the run (:func:`atlantico.context.open_run`) on the connection the whole run
  then uses: a second run, from any host, exits 75; when a run's process dies (even
  ``kill -9``) its connection closes and the server releases the lock with it.
- **The corpus in queryable tables**: ``article_items`` holds the latest exported item of each
  article (the JSON as the feed wrote it, and its main fields as columns, with a French
  full-text index on ``headline || ' ' || body``); ``article_revisions`` every revision. Items
  reach them in the run's commit transaction, with the articles they belong to.
- **Versioned migrations** (:data:`MIGRATIONS`), applied in order under a transaction-scoped
  advisory lock so that two hosts starting at once do not race; a database written by a newer
  version is refused.
- **A lost connection** (dropped mid-run, server restarted, session killed) is one error
  line: the store calls :attr:`PostgresStore.on_lost` once, the items in flight are dropped,
  the commit point raises :class:`StoreUnavailable` (an ``OSError``, so the run publishes
  nothing), and the next run (which finds this run unfinished) exports those articles again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb
from scrapy.exceptions import DropItem

from atlantico.backends import StoreUnavailable
from atlantico.backends.columns import item_columns
from atlantico.context import AlreadyRunning
from atlantico.store import (
    HostPause,
    Known,
    Output,
    Pending,
    QueueEntry,
    Revisit,
    RunRecord,
    StoreError,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Advisory lock keys ("atlantic" and "atlanticm" as numbers); any 64-bit constant would do.
RUN_LOCK_KEY = 0x61746C616E746963
MIGRATION_LOCK_KEY = 0x61746C616E74696D
CONNECT_TIMEOUT_S = 10
TCP_OPTIONS = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60_000,  # milliseconds
}

_V1 = """
CREATE TABLE articles (
    key TEXT PRIMARY KEY,            -- the item's articleKey (canonical URL path)
    article_id TEXT,                 -- the site's own id, when the page has one
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    date_published TEXT,             -- as the item gave it (ISO 8601)
    date_modified TEXT,
    revision INTEGER NOT NULL,
    first_seen TEXT NOT NULL,        -- ISO 8601 UTC, as in the SQLite store
    last_seen TEXT NOT NULL,
    exported_run TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 200,  -- 410 once the site says the article is gone
    sections JSONB NOT NULL DEFAULT '[]',
    etag TEXT,                       -- validators of the last fetch, for conditional requests
    last_modified TEXT,
    checked TEXT                     -- last fetched (200 or 304), ISO 8601 UTC
);
CREATE INDEX articles_by_id ON articles (article_id);
CREATE INDEX articles_by_checked ON articles (checked);
CREATE TABLE aliases (alias TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started TIMESTAMPTZ NOT NULL,
    finished TIMESTAMPTZ,
    state TEXT NOT NULL,             -- running | publishing | committed | failed | …
    outputs JSONB NOT NULL DEFAULT '[]'  -- [{"partial": path, "final": path}]
);
CREATE TABLE pending (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    article_id TEXT,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    date_published TEXT,
    date_modified TEXT,
    revision INTEGER NOT NULL,
    aliases JSONB NOT NULL DEFAULT '[]',
    sections JSONB NOT NULL DEFAULT '[]',
    etag TEXT,
    last_modified TEXT,
    PRIMARY KEY (run_id, key)
);
CREATE TABLE retry_queue (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    sections JSONB NOT NULL DEFAULT '[]',
    why TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before DOUBLE PRECISION NOT NULL,  -- epoch seconds
    first_queued TIMESTAMPTZ NOT NULL,
    last_queued TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'   -- queued | given_up
);
CREATE TABLE host_pauses (
    host TEXT PRIMARY KEY,
    not_before DOUBLE PRECISION NOT NULL,  -- epoch seconds
    why TEXT NOT NULL
);
"""

_V2 = """
CREATE TABLE pending_items (
    run_id TEXT NOT NULL,
    article_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    url TEXT NOT NULL,
    headline TEXT NOT NULL,
    date_published TIMESTAMPTZ,
    sections TEXT[] NOT NULL,
    authors TEXT[] NOT NULL,
    body TEXT NOT NULL,
    item JSONB NOT NULL,
    PRIMARY KEY (run_id, article_key)
);
CREATE TABLE article_items (
    article_key TEXT PRIMARY KEY REFERENCES articles (key),
    revision INTEGER NOT NULL,
    url TEXT NOT NULL,
    headline TEXT NOT NULL,          -- '' when the item has none
    date_published TIMESTAMPTZ,      -- NULL when the item's date has no offset
    sections TEXT[] NOT NULL,
    authors TEXT[] NOT NULL,         -- the authors' names
    body TEXT NOT NULL,              -- articleBody; '' when the item has none
    item JSONB NOT NULL,             -- the item as the feed wrote it
    run_id TEXT NOT NULL,
    exported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX article_items_text ON article_items
    USING GIN (to_tsvector('french', headline || ' ' || body));
CREATE INDEX article_items_sections ON article_items USING GIN (sections);
CREATE INDEX article_items_published ON article_items (date_published);
CREATE TABLE article_revisions (
    article_key TEXT NOT NULL REFERENCES articles (key),
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    item JSONB NOT NULL,
    run_id TEXT NOT NULL,
    exported_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_key, revision)
);
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "articles, aliases, runs, pending, retry queue, host pauses, validators", _V1),
    (2, "the corpus: article_items (French full-text index), article_revisions", _V2),
]
"""(version, what it adds, SQL): applied in order, all in one transaction per open."""
SCHEMA_VERSION = MIGRATIONS[-1][0]

# Connection-level failures: the server is unreachable, went away, or the session was killed.
LOST = (psycopg.OperationalError, psycopg.InterfaceError)


class StoreLost(DropItem):
    """Raised for an item once the connection is lost: Scrapy drops the item (an INFO line: the
    loss itself was reported once, as an error) and the run commits nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="INFO")


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "(an unreadable database URL)"
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def _holder_name() -> str:
    return f"atlantico pid {os.getpid()} on {socket.gethostname()}"


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection in autocommit mode (transactions are explicit); :class:`StoreUnavailable`
    with one readable sentence when the URL is wrong or the server refuses."""
    try:
        given = conninfo_to_dict(url)
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        raise StoreUnavailable(f"ATLANTICO_DATABASE_URL is not a valid URL: {reason}") from None
    # A network that drops packets without a reset would leave a query waiting for the
    # kernel's TCP timeout (about 15 minutes): keepalives and a send timeout find out within a
    # minute. What the URL says wins; libpq ignores these on a Unix socket.
    options = {**TCP_OPTIONS, **given}
    options.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    try:
        conninfo = make_conninfo("", **options)
        return psycopg.connect(conninfo, autocommit=True, application_name=_holder_name())
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        raise StoreUnavailable(f"cannot connect to {describe_url(url)}: {reason}") from None


def take_run_lock(connection: psycopg.Connection[Any], where: str) -> None:
    """The run lock, on this session (until it closes); :class:`AlreadyRunning` naming the
    holder when another session has it."""
    got = connection.execute("SELECT pg_try_advisory_lock(%s)", (RUN_LOCK_KEY,)).fetchone()
    if got and got[0]:
        return
    row = connection.execute(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted"
        " AND (l.classid::bigint << 32) + l.objid::bigint = %s",
        (RUN_LOCK_KEY,),
    ).fetchone()
    holder = (row[0] if row else "") or "another client"
    raise AlreadyRunning(f"{holder}; PostgreSQL advisory lock {RUN_LOCK_KEY} in {where}")


def migrate(connection: psycopg.Connection[Any], where: str) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; the version found before."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS atlantico_schema (version INTEGER PRIMARY KEY,"
            " description TEXT NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        row = connection.execute("SELECT max(version) FROM atlantico_schema").fetchone()
        found = int(row[0]) if row and row[0] is not None else 0
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"{where} has schema version {found}, newer than this crawler's "
                f"{SCHEMA_VERSION}: upgrade the crawler"
            )
        for version, description, sql in MIGRATIONS:
            if version > found:
                connection.execute(sql.encode())
                connection.execute(
                    "INSERT INTO atlantico_schema (version, description) VALUES (%s, %s)",
                    (version, description),
                )
                logger.info("Store %s: schema migrated to version %d (%s)", where, version,
                            description)  # fmt: skip
    return found


class _Rows:
    """The part of a DB-API cursor the store tests read (``fetchone``, iteration)."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)


class _QmarkConnection:
    """``store.db.execute(sql, params)`` with SQLite's ``?`` placeholders: the store tests,
    written for SQLite, set a row directly this way on either backend."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Rows:
        query = sql.replace("%", "%%").replace("?", "%s")

        def run() -> _Rows:
            cursor = self.store.connection.execute(query.encode(), tuple(params))
            return _Rows(cursor.fetchall() if cursor.description else [])

        return self.store._guard(run, _Rows([]))


class PostgresStore:
    """The store's interface (:class:`atlantico.store.Store`) on PostgreSQL."""

    backend = "postgresql"

    def __init__(
        self, connection: psycopg.Connection[Any], url: str, created: bool, locked: bool = False
    ) -> None:
        self.connection = connection
        self.locked = locked  # this session holds the run lock
        self.url = url
        self.location = describe_url(url)  # for messages: no password
        self.created = created
        self.lost: str | None = None
        self.on_lost: Callable[[str], None] | None = None
        self.db = _QmarkConnection(self)
        self._staged: tuple[str, Pending] | None = None

    @classmethod
    def open(cls, url: str, *, lock: bool = False) -> PostgresStore:
        """Connect and migrate; with ``lock``, first take the run lock on this store's session
        (:class:`AlreadyRunning` when another holds it). :class:`StoreError` when the database
        cannot be used."""
        where = describe_url(url)
        connection = connect(url)
        try:
            if lock:
                take_run_lock(connection, where)
            found = migrate(connection, where)
        except LOST as error:
            connection.close()
            reason = " ".join(str(error).split())
            raise StoreUnavailable(f"lost the connection to {where}: {reason}") from None
        except psycopg.Error as error:
            connection.close()
            reason = " ".join(str(error).split())
            raise StoreError(f"{where} is not a usable store: {reason}") from None
        except BaseException:
            connection.close()
            raise
        return cls(connection, url, created=found == 0, locked=lock)

    def close(self) -> None:
        """Release the run lock, if this store holds it, and close the session.

        The lock is released in so many words: the server ends a closed session a moment
        after the client has gone, and a run started in that moment would find the lock still
        held. (A run that dies without closing loses its session, and the lock, all the same.)
        """
        self._flush()
        if self.locked and self.lost is None and not self.connection.closed:
            with contextlib.suppress(psycopg.Error):
                self.connection.execute("SELECT pg_advisory_unlock(%s)", (RUN_LOCK_KEY,))
        self.locked = False
        self.connection.close()

    # -- losing the connection ---------------------------------------------------------------

    def _guard(
        self, work: Callable[[], T], if_lost: T, *, item: bool = False, commit: bool = False
    ) -> T:
        """Run ``work``; once the connection is lost, report it once and answer ``if_lost``
        (for an item's work, drop the item with :class:`StoreLost`; for the commit point,
        raise :class:`StoreUnavailable`, so that the run publishes nothing)."""
        if self.lost is None:
            try:
                return work()
            except LOST as error:
                self.lost = " ".join(str(error).split()) or type(error).__name__
                if self.on_lost is not None:
                    self.on_lost(self.lost)
                else:
                    logger.error("Lost the connection to the store %s: %s", self.location,
                                 self.lost)  # fmt: skip
        if item:
            raise StoreLost(f"the store {self.location} is unreachable ({self.lost})")
        if commit:
            raise StoreUnavailable(f"the store {self.location} is unreachable ({self.lost})")
        return if_lost

    def _rows(self, sql: str, params: Any = (), *, item: bool = False) -> list[tuple[Any, ...]]:
        def read() -> list[tuple[Any, ...]]:
            return self.connection.execute(sql.encode(), params).fetchall()

        return self._guard(read, [], item=item)

    def _write(
        self, *statements: tuple[str, Any], item: bool = False, commit: bool = False
    ) -> list[int]:
        """Statements in one transaction; their row counts ([] when the connection is lost)."""

        def write() -> list[int]:
            with self.connection.transaction():
                return [
                    self.connection.execute(sql.encode(), params).rowcount
                    for sql, params in statements
                ]

        return self._guard(write, [], item=item, commit=commit)

    # -- articles ----------------------------------------------------------------------------

    _KNOWN = (
        "a.key, a.content_hash, a.date_modified, a.date_published, a.revision, a.status, a.url,"
        " a.etag, a.last_modified"
    )

    def known(self, keys: Iterable[str]) -> dict[str, Known]:
        """The stored articles among ``keys``; an alias key maps to its article."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        rows = self._rows(
            f"SELECT w.asked, {self._KNOWN}"
            " FROM (SELECT key AS asked, key AS target FROM articles WHERE key = ANY(%(k)s)"
            "       UNION SELECT alias, key FROM aliases WHERE alias = ANY(%(k)s)) AS w"
            " JOIN articles AS a ON a.key = w.target",
            {"k": wanted},
            item=True,
        )
        return {row[0]: Known(*row[1:]) for row in rows}

    def known_ids(self, article_ids: Iterable[str]) -> dict[str, Known]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        rows = self._rows(
            f"SELECT a.article_id, {self._KNOWN} FROM articles AS a WHERE a.article_id = ANY(%s)",
            (ids,),
            item=True,
        )
        return {row[0]: Known(*row[1:]) for row in rows}

    def count(self) -> int:
        rows = self._rows("SELECT count(*) FROM articles")
        return int(rows[0][0]) if rows else 0

    def mark_gone(self, key: str, url: str, run_id: str) -> None:
        now = _now()
        self._write(
            (
                "INSERT INTO articles (key, url, content_hash, revision, first_seen, last_seen,"
                " exported_run, status, checked) VALUES (%s, %s, '', 0, %s, %s, %s, 410, %s)"
                " ON CONFLICT (key) DO UPDATE SET status = 410, last_seen = excluded.last_seen",
                (key, url, now, now, run_id, now),
            ),
            ("DELETE FROM retry_queue WHERE key = %s", (key,)),
        )

    def revisits(self, checked_before: str, published_after: str, limit: int) -> list[Revisit]:
        if limit <= 0:
            return []
        rows = self._rows(
            "SELECT key, url, sections, etag, last_modified FROM articles"
            " WHERE status = 200 AND checked < %s"
            " AND COALESCE(date_published, first_seen) >= %s"
            " AND key NOT IN (SELECT key FROM retry_queue)"
            " ORDER BY checked, key LIMIT %s",
            (checked_before, published_after, limit),
        )
        return [Revisit(k, u, tuple(s), e, lm) for k, u, s, e, lm in rows]

    def touch(self, keys: Sequence[str]) -> None:
        if keys:
            self._write(
                ("UPDATE articles SET checked = %s WHERE key = ANY(%s)", (_now(), list(keys)))
            )

    # -- a run's lifecycle -------------------------------------------------------------------

    def begin_run(self, run_id: str, pid: int) -> None:
        self._write(
            (
                "INSERT INTO runs (run_id, host, pid, started, state)"
                " VALUES (%s, %s, %s, now(), 'running')",
                (run_id, socket.gethostname(), pid),
            )
        )

    def add_output(self, run_id: str, output: Output) -> None:
        entry = Jsonb([{"final": output.final, "partial": output.partial}])
        self._write(("UPDATE runs SET outputs = outputs || %s WHERE run_id = %s", (entry, run_id)))

    def stage(self, run_id: str, pending: Pending) -> None:
        """Held until the item's own row (:meth:`stage_item`) so that both are written in one
        transaction: a connection lost between them cannot leave an article staged whose item
        never reached the run's feed. Written alone when no item follows."""
        self._flush(item=True)
        self._staged = (run_id, pending)

    def _flush(self, item: bool = False) -> None:
        """Write an article staged without its item (the archive pipeline is off)."""
        if self._staged is not None:
            self._write(*self._take_staged(), item=item)

    def _take_staged(self) -> list[tuple[str, Any]]:
        if self._staged is None:
            return []
        run_id, pending = self._staged
        self._staged = None
        values = (
            run_id, pending.key, pending.article_id, pending.url, pending.content_hash,
            pending.date_published, pending.date_modified, pending.revision,
            Jsonb(list(pending.aliases)), Jsonb(list(pending.sections)), pending.etag,
            pending.last_modified,
        )  # fmt: skip
        return [
            (
                "INSERT INTO pending (run_id, key, article_id, url, content_hash, date_published,"
                " date_modified, revision, aliases, sections, etag, last_modified)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (run_id, key) DO UPDATE SET article_id = excluded.article_id,"
                " url = excluded.url, content_hash = excluded.content_hash,"
                " date_published = excluded.date_published,"
                " date_modified = excluded.date_modified, revision = excluded.revision,"
                " aliases = excluded.aliases, sections = excluded.sections,"
                " etag = excluded.etag, last_modified = excluded.last_modified",
                values,
            )
        ]

    def stage_item(self, run_id: str, item: dict[str, Any]) -> None:
        """Keep the exported item itself until the run commits (then it joins the corpus)."""
        columns = item_columns(item)
        values = (
            run_id, item.get("articleKey") or "", item.get("revision") or 1,
            item.get("contentHash") or "", columns.url, columns.headline, columns.date_published,
            columns.sections, columns.authors, columns.body, Jsonb(item),
        )  # fmt: skip
        self._write(
            *self._take_staged(),
            (
                "INSERT INTO pending_items VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (run_id, article_key) DO UPDATE SET revision = excluded.revision,"
                " content_hash = excluded.content_hash, url = excluded.url,"
                " headline = excluded.headline, date_published = excluded.date_published,"
                " sections = excluded.sections, authors = excluded.authors,"
                " body = excluded.body, item = excluded.item",
                values,
            ),
            item=True,
        )

    def publish_run(self, run_id: str) -> int:
        """The commit point, in one transaction: pending articles become exported, their
        items join the corpus, the queue entries they resolve go, the run is ``publishing``.
        :class:`StoreUnavailable` when the connection is lost (nothing is committed then)."""
        self._flush()
        now = _now()
        run = {"run": run_id, "now": now}
        counts = self._write(
            (
                """
                INSERT INTO articles (key, article_id, url, content_hash, date_published,
                                      date_modified, revision, first_seen, last_seen,
                                      exported_run, sections, etag, last_modified, checked)
                SELECT key, article_id, url, content_hash, date_published, date_modified,
                       revision, %(now)s, %(now)s, run_id, sections, etag, last_modified,
                       %(now)s
                FROM pending WHERE run_id = %(run)s
                ON CONFLICT (key) DO UPDATE SET
                    article_id = excluded.article_id, url = excluded.url,
                    content_hash = excluded.content_hash,
                    date_published = excluded.date_published,
                    date_modified = excluded.date_modified,
                    revision = GREATEST(articles.revision, excluded.revision),
                    last_seen = excluded.last_seen, exported_run = excluded.exported_run,
                    sections = excluded.sections, etag = excluded.etag,
                    last_modified = excluded.last_modified, checked = excluded.checked,
                    status = 200
                """,
                run,
            ),
            (
                """
                INSERT INTO aliases (alias, key)
                SELECT DISTINCT ON (a.alias) a.alias, p.key
                FROM pending AS p, jsonb_array_elements_text(p.aliases) AS a (alias)
                WHERE p.run_id = %(run)s AND a.alias <> p.key
                ON CONFLICT (alias) DO UPDATE SET key = excluded.key
                """,
                run,
            ),
            (
                "DELETE FROM retry_queue WHERE key IN"
                " (SELECT key FROM pending WHERE run_id = %(run)s)",
                run,
            ),
            *self._corpus_statements(run),
            ("DELETE FROM pending WHERE run_id = %(run)s", run),
            ("UPDATE runs SET state = 'publishing' WHERE run_id = %(run)s", run),
            commit=True,
        )
        return counts[0] if counts else 0

    @staticmethod
    def _corpus_statements(run: dict[str, str]) -> list[tuple[str, Any]]:
        """The run's items into the corpus: every revision, and the latest one per article
        (an older revision never replaces a newer one)."""
        items = "FROM pending_items AS p JOIN articles AS a ON a.key = p.article_key"
        return [
            (
                "INSERT INTO article_revisions SELECT p.article_key, p.revision, p.content_hash,"
                f" p.item, p.run_id, now() {items} WHERE p.run_id = %(run)s"
                " ON CONFLICT (article_key, revision) DO UPDATE SET item = excluded.item,"
                " content_hash = excluded.content_hash, run_id = excluded.run_id,"
                " exported_at = excluded.exported_at",
                run,
            ),
            (
                "INSERT INTO article_items SELECT p.article_key, p.revision, p.url, p.headline,"
                " p.date_published, p.sections, p.authors, p.body, p.item, p.run_id, now()"
                f" {items} WHERE p.run_id = %(run)s"
                " ON CONFLICT (article_key) DO UPDATE SET revision = excluded.revision,"
                " url = excluded.url, headline = excluded.headline,"
                " date_published = excluded.date_published, sections = excluded.sections,"
                " authors = excluded.authors, body = excluded.body, item = excluded.item,"
                " run_id = excluded.run_id, exported_at = excluded.exported_at"
                " WHERE excluded.revision >= article_items.revision",
                run,
            ),
            ("DELETE FROM pending_items WHERE run_id = %(run)s", run),
        ]

    def finish_run(self, run_id: str, state: str = "committed") -> None:
        self._write(
            ("UPDATE runs SET state = %s, finished = now() WHERE run_id = %s", (state, run_id))
        )

    def fail_run(self, run_id: str, state: str = "failed") -> int:
        self._flush()
        counts = self._write(
            ("DELETE FROM pending WHERE run_id = %s", (run_id,)),
            ("DELETE FROM pending_items WHERE run_id = %s", (run_id,)),
            ("UPDATE runs SET state = %s, finished = now() WHERE run_id = %s", (state, run_id)),
        )
        return counts[0] if counts else 0

    def run_state(self, run_id: str) -> str | None:
        rows = self._rows("SELECT state FROM runs WHERE run_id = %s", (run_id,))
        return str(rows[0][0]) if rows else None

    def unfinished_runs(self, exclude: str | None = None) -> list[RunRecord]:
        """Runs left ``running`` or ``publishing`` (the run lock says their process is gone)."""
        self._flush()
        rows = self._rows(
            "SELECT run_id, state, outputs, (SELECT count(*) FROM pending AS p"
            " WHERE p.run_id = runs.run_id) FROM runs"
            " WHERE state IN ('running', 'publishing') AND run_id <> %s ORDER BY started",
            (exclude or "",),
        )
        return [
            RunRecord(
                run_id,
                state,
                tuple(Output(o["partial"], o["final"]) for o in outputs),
                int(pending),
            )
            for run_id, state, outputs, pending in rows
        ]

    def pending_count(self, run_id: str) -> int:
        self._flush()
        rows = self._rows("SELECT count(*) FROM pending WHERE run_id = %s", (run_id,))
        return int(rows[0][0]) if rows else 0

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
        def write() -> QueueEntry:
            with self.connection.transaction():
                row = self.connection.execute(
                    "SELECT sections, attempts FROM retry_queue WHERE key = %s FOR UPDATE", (key,)
                ).fetchone()
                attempts = (row[1] if row else 0) + (1 if attempted else 0)
                state = "given_up" if 0 < max_attempts <= attempts else "queued"
                merged = tuple(sorted(set(row[0] if row else []) | set(sections)))
                self.connection.execute(
                    "INSERT INTO retry_queue (key, url, sections, why, attempts, not_before,"
                    " first_queued, last_queued, state)"
                    " VALUES (%s, %s, %s, %s, %s, %s, now(), now(), %s)"
                    " ON CONFLICT (key) DO UPDATE SET url = excluded.url,"
                    " sections = excluded.sections, why = excluded.why,"
                    " attempts = excluded.attempts, not_before = excluded.not_before,"
                    " last_queued = excluded.last_queued, state = excluded.state",
                    (key, url, Jsonb(list(merged)), why, attempts, not_before, state),
                )
            return QueueEntry(key, url, merged, why, attempts, not_before, state)

        lost = QueueEntry(key, url, tuple(sections), why, 0, not_before)
        return self._guard(write, lost)

    def _entries(self, where: str, params: Any) -> list[QueueEntry]:
        rows = self._rows(
            "SELECT key, url, sections, why, attempts, not_before, state FROM retry_queue " + where,
            params,
        )
        return [QueueEntry(k, u, tuple(s), w, a, nb, st) for k, u, s, w, a, nb, st in rows]

    def due(self, now: float, limit: int | None = None) -> list[QueueEntry]:
        return self._entries(
            "WHERE state = 'queued' AND not_before <= %s ORDER BY first_queued, key LIMIT %s",
            (now, limit),
        )

    def queued(self) -> list[QueueEntry]:
        return self._entries("ORDER BY first_queued, key", ())

    def resolve(self, keys: Sequence[str]) -> None:
        if keys:
            self._write(("DELETE FROM retry_queue WHERE key = ANY(%s)", (list(keys),)))

    # -- host pauses -------------------------------------------------------------------------

    def pause_host(self, host: str, not_before: float, why: str) -> None:
        self._write(
            (
                "INSERT INTO host_pauses (host, not_before, why) VALUES (%s, %s, %s)"
                " ON CONFLICT (host) DO UPDATE SET"
                " why = CASE WHEN excluded.not_before > host_pauses.not_before"
                "       THEN excluded.why ELSE host_pauses.why END,"
                " not_before = GREATEST(host_pauses.not_before, excluded.not_before)",
                (host, not_before, why),
            )
        )

    def host_pauses(self, now: float) -> list[HostPause]:
        rows = self._rows(
            "SELECT host, not_before, why FROM host_pauses WHERE not_before > %s ORDER BY host",
            (now,),
        )
        return [HostPause(host, not_before, why) for host, not_before, why in rows]

    # -- the corpus ------------------------------------------------------------------------

    def corpus(self) -> Iterator[dict[str, Any]]:
        """The latest exported item of each article, by article key (server-side cursor)."""
        try:
            with self.connection.transaction(), self.connection.cursor(name="corpus") as cursor:
                cursor.itersize = 500
                cursor.execute("SELECT item FROM article_items ORDER BY article_key")
                for (item,) in cursor:
                    yield item
        except LOST as error:
            raise StoreUnavailable(f"lost the connection to {self.location}: {error}") from None


def _now() -> str:
    """ISO 8601 UTC to the second, as the SQLite store writes its dates."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
