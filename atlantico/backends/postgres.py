"""The store in PostgreSQL (``ATLANTICO_DATABASE_URL``), shared by crawlers on several hosts.

The same interface and guarantees as the SQLite store (:mod:`atlantico.store`), plus:

- **The run lock is a session advisory lock** (:func:`take_run_lock`), taken by ``scrapy crawl``
  before anything starts and held by the connection the whole run then uses: a second run,
  from any host, exits 75; when a run's process dies (even ``kill -9``) its connection closes
  and the server releases the lock with it.
- **The corpus in queryable tables**: ``article_items`` holds the latest exported item of each
  article (the JSON as the feed wrote it, and its main fields as columns, with a French
  full-text index on ``headline || ' ' || body``); ``article_revisions`` every revision. Items
  reach them in the run's commit transaction, with the articles they belong to.
- **Versioned migrations** (:data:`MIGRATIONS`), applied in order under a transaction-scoped
  advisory lock so that two hosts starting at once do not race; a database written by a newer
  version is refused.
- **A lost connection** (refused, dropped mid-run, server restarted) is one error line: the
  store calls :attr:`PostgresStore.on_lost` once, the items in flight are dropped, nothing is
  committed, and the next run (which finds this run unfinished) exports those articles again.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from scrapy.exceptions import DropItem

from atlantico.backends.columns import item_columns
from atlantico.store import Known, Pending, StoreError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Advisory lock keys ("atlantic" and "atlanticm" as numbers); any 64-bit constant would do.
RUN_LOCK_KEY = 0x61746C616E746963
MIGRATION_LOCK_KEY = 0x61746C616E74696D
CONNECT_TIMEOUT_S = 10

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "store tables (articles, aliases, runs, pending) and the corpus (items, revisions)",
        """
        CREATE TABLE articles (
            key TEXT PRIMARY KEY,            -- the item's articleKey (canonical URL path)
            article_id TEXT,                 -- the site's own id, when the page has one
            url TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            date_published TEXT,
            date_modified TEXT,
            revision INTEGER NOT NULL,
            first_seen TIMESTAMPTZ NOT NULL,
            last_seen TIMESTAMPTZ NOT NULL,
            exported_run TEXT NOT NULL,
            status INTEGER NOT NULL DEFAULT 200  -- 410 once the site says the article is gone
        );
        CREATE INDEX articles_by_id ON articles (article_id);
        CREATE TABLE aliases (alias TEXT PRIMARY KEY, key TEXT NOT NULL);
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started TIMESTAMPTZ NOT NULL,
            finished TIMESTAMPTZ,
            state TEXT NOT NULL,             -- running | committed | failed | recovered | …
            feeds JSONB NOT NULL DEFAULT '[]'
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
            PRIMARY KEY (run_id, key)
        );
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
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

# Connection-level failures: the server is unreachable, went away, or the session was killed.
LOST = (psycopg.OperationalError, psycopg.InterfaceError)


class StoreUnavailable(StoreError):
    """The database cannot be reached (wrong URL, refused or lost connection)."""


class StoreLost(StoreUnavailable, DropItem):
    """Raised for an item once the connection is lost: Scrapy drops the item (a warning line,
    no traceback) and the run commits nothing."""


class AlreadyRunning(Exception):
    """Another run holds the run lock; the argument says which (host, pid)."""


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
        conninfo_to_dict(url)
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        raise StoreUnavailable(f"ATLANTICO_DATABASE_URL is not a valid URL: {reason}") from None
    try:
        return psycopg.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
            application_name=_holder_name(),
        )  # fmt: skip
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        raise StoreUnavailable(f"cannot connect to {describe_url(url)}: {reason}") from None


# Connections holding the run lock, by URL: the store of the run reuses its process's one.
_locks: dict[str, psycopg.Connection[Any]] = {}


def take_run_lock(url: str) -> None:
    """Take the run lock for this process (held until it exits); :class:`AlreadyRunning` when
    another session holds it, :class:`StoreUnavailable` when the server cannot be reached."""
    if url in _locks and not _locks[url].closed:
        return
    connection = connect(url)
    try:
        got = connection.execute("SELECT pg_try_advisory_lock(%s)", (RUN_LOCK_KEY,)).fetchone()
        if not (got and got[0]):
            row = connection.execute(
                "SELECT a.application_name, a.client_addr::text FROM pg_locks l"
                " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                " AND l.granted AND (l.classid::bigint << 32) + l.objid::bigint = %s",
                (RUN_LOCK_KEY,),
            ).fetchone()
            connection.close()
            holder = (row[0] or "another client") if row else "another client"
            raise AlreadyRunning(f"{holder}, PostgreSQL advisory lock {RUN_LOCK_KEY}")
    except LOST as error:
        connection.close()
        raise StoreUnavailable(f"lost the connection to {describe_url(url)}: {error}") from None
    _locks[url] = connection


def release_run_lock(url: str) -> None:
    connection = _locks.pop(url, None)
    if connection is not None:
        connection.close()


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
    """The part of a DB-API cursor the run manager reads (``fetchone``, iteration)."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)


class _QmarkConnection:
    """``store.db.execute(sql, params)`` with SQLite's ``?`` placeholders, for the few reads
    the run manager makes on the store's connection directly."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Rows:
        query = sql.replace("%", "%%").replace("?", "%s")

        def run() -> _Rows:
            cursor = self.store.connection.execute(query.encode(), tuple(params))
            return _Rows(cursor.fetchall() if cursor.description else [])

        return self.store._guard(run, _Rows([]))


class PostgresStore:
    """The store's interface (:class:`atlantico.store.ArticleStore`) on PostgreSQL."""

    backend = "postgresql"

    def __init__(self, connection: psycopg.Connection[Any], url: str, owned: bool) -> None:
        self.connection = connection
        self.url = url
        self.path = describe_url(url)  # what the run's log names as the store's place
        self.owned = owned  # False: the run lock's connection, closed when the process exits
        self.lost: str | None = None
        self.on_lost: Callable[[str], None] | None = None
        self.db = _QmarkConnection(self)

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        """Connect (reusing the run lock's connection when this process holds it) and migrate;
        :class:`StoreError` when the database cannot be used."""
        shared = _locks.get(url)
        owned = shared is None or shared.closed
        connection = connect(url) if owned else shared
        assert connection is not None
        try:
            migrate(connection, describe_url(url))
        except LOST as error:
            raise StoreUnavailable(f"lost the connection to {describe_url(url)}: {error}") from None
        except psycopg.Error as error:
            raise StoreError(f"{describe_url(url)} is not a usable store: {error}") from None
        return cls(connection, url, owned)

    def close(self) -> None:
        if self.owned:
            self.connection.close()

    # -- losing the connection ---------------------------------------------------------------

    def _guard(self, work: Callable[[], T], if_lost: T, *, item: bool = False) -> T:
        """Run ``work``; once the connection is lost, report it once and answer ``if_lost``
        (or, for an item's work, drop the item with :class:`StoreLost`)."""
        if self.lost is None:
            try:
                return work()
            except LOST as error:
                self.lost = " ".join(str(error).split()) or type(error).__name__
                if self.on_lost is not None:
                    self.on_lost(self.lost)
                else:
                    logger.error("Lost the connection to the store %s: %s", self.path, self.lost)
        if item:
            raise StoreLost(f"the store {self.path} is unreachable ({self.lost})")
        return if_lost

    # -- reading ---------------------------------------------------------------------------

    def known(self, keys: Iterable[str]) -> dict[str, Known]:
        """The stored articles among ``keys``; an alias key maps to its article."""
        wanted = list(dict.fromkeys(keys))

        def read() -> dict[str, Known]:
            rows = self.connection.execute(
                "SELECT w.asked, a.key, a.content_hash, a.date_modified, a.date_published,"
                "       a.revision, a.status"
                " FROM (SELECT key AS asked, key AS target FROM articles WHERE key = ANY(%(k)s)"
                "       UNION SELECT alias, key FROM aliases WHERE alias = ANY(%(k)s)) AS w"
                " JOIN articles AS a ON a.key = w.target",
                {"k": wanted},
            ).fetchall()
            return {row[0]: Known(*row[1:]) for row in rows}

        return self._guard(read, {}, item=True) if wanted else {}

    def known_ids(self, article_ids: Iterable[str]) -> dict[str, Known]:
        """Stored articles by the site's own id."""
        ids = list(dict.fromkeys(article_ids))

        def read() -> dict[str, Known]:
            rows = self.connection.execute(
                "SELECT article_id, key, content_hash, date_modified, date_published, revision,"
                " status FROM articles WHERE article_id = ANY(%s)",
                (ids,),
            ).fetchall()
            return {row[0]: Known(*row[1:]) for row in rows}

        return self._guard(read, {}, item=True) if ids else {}

    def count(self) -> int:
        def read() -> int:
            row = self.connection.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0]) if row else 0

        return self._guard(read, 0)

    def unfinished_runs(self, exclude: str | None = None) -> list[tuple[str, list[dict[str, str]]]]:
        """Runs left in state ``running`` (the run lock says their process is gone)."""

        def read() -> list[tuple[str, list[dict[str, str]]]]:
            rows = self.connection.execute(
                "SELECT run_id, feeds FROM runs WHERE state = 'running' AND run_id <> %s"
                " ORDER BY started",
                (exclude or "",),
            ).fetchall()
            return [(run_id, list(feeds)) for run_id, feeds in rows]

        return self._guard(read, [])

    def pending_count(self, run_id: str) -> int:
        def read() -> int:
            row = self.connection.execute(
                "SELECT count(*) FROM pending WHERE run_id = %s", (run_id,)
            ).fetchone()
            return int(row[0]) if row else 0

        return self._guard(read, 0)

    def run_state(self, run_id: str) -> str | None:
        def read() -> str | None:
            row = self.connection.execute(
                "SELECT state FROM runs WHERE run_id = %s", (run_id,)
            ).fetchone()
            return str(row[0]) if row else None

        return self._guard(read, None)

    # -- a run's lifecycle -----------------------------------------------------------------

    def begin_run(self, run_id: str, pid: int) -> None:
        def write() -> None:
            self.connection.execute(
                "INSERT INTO runs (run_id, host, pid, started, state)"
                " VALUES (%s, %s, %s, now(), 'running')",
                (run_id, socket.gethostname(), pid),
            )

        self._guard(write, None)

    def add_feed(self, run_id: str, final: str, partial: str) -> None:
        """Record where a run's feed will be published, so a crash can be sorted out later."""

        def write() -> None:
            self.connection.execute(
                "UPDATE runs SET feeds = feeds || %s WHERE run_id = %s",
                (Jsonb([{"final": final, "partial": partial}]), run_id),
            )

        self._guard(write, None)

    def stage(self, run_id: str, pending: Pending) -> None:
        """Remember an exported article until its feed is published."""

        def write() -> None:
            self.connection.execute(
                "INSERT INTO pending VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (run_id, key) DO UPDATE SET article_id = excluded.article_id,"
                " url = excluded.url, content_hash = excluded.content_hash,"
                " date_published = excluded.date_published,"
                " date_modified = excluded.date_modified, revision = excluded.revision,"
                " aliases = excluded.aliases",
                (
                    run_id, pending.key, pending.article_id, pending.url, pending.content_hash,
                    pending.date_published, pending.date_modified, pending.revision,
                    Jsonb(list(pending.aliases)),
                ),
            )  # fmt: skip

        self._guard(write, None, item=True)

    def stage_item(self, run_id: str, item: dict[str, Any]) -> None:
        """Keep the exported item itself until the run commits (then it joins the corpus)."""
        columns = item_columns(item)

        def write() -> None:
            self.connection.execute(
                "INSERT INTO pending_items VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (run_id, article_key) DO UPDATE SET revision = excluded.revision,"
                " content_hash = excluded.content_hash, url = excluded.url,"
                " headline = excluded.headline, date_published = excluded.date_published,"
                " sections = excluded.sections, authors = excluded.authors,"
                " body = excluded.body, item = excluded.item",
                (
                    run_id, item.get("articleKey") or "", item.get("revision") or 1,
                    item.get("contentHash") or "", columns.url, columns.headline,
                    columns.date_published, columns.sections, columns.authors, columns.body,
                    Jsonb(item),
                ),
            )  # fmt: skip

        self._guard(write, None, item=True)

    def commit_run(self, run_id: str, state: str = "committed") -> int:
        """Mark every pending article of ``run_id`` as exported and add its item to the corpus,
        in one transaction; 0 when the connection is lost (nothing is committed then)."""

        def write() -> int:
            with self.connection.transaction():
                moved = self.connection.execute(
                    """
                    INSERT INTO articles (key, article_id, url, content_hash, date_published,
                                          date_modified, revision, first_seen, last_seen,
                                          exported_run)
                    SELECT key, article_id, url, content_hash, date_published, date_modified,
                           revision, now(), now(), run_id
                    FROM pending WHERE run_id = %(run)s
                    ON CONFLICT (key) DO UPDATE SET
                        article_id = excluded.article_id, url = excluded.url,
                        content_hash = excluded.content_hash,
                        date_published = excluded.date_published,
                        date_modified = excluded.date_modified,
                        revision = GREATEST(articles.revision, excluded.revision),
                        last_seen = excluded.last_seen, exported_run = excluded.exported_run
                    """,
                    {"run": run_id},
                ).rowcount
                self.connection.execute(
                    """
                    INSERT INTO aliases (alias, key)
                    SELECT DISTINCT ON (a.alias) a.alias, p.key
                    FROM pending AS p, jsonb_array_elements_text(p.aliases) AS a (alias)
                    WHERE p.run_id = %(run)s AND a.alias <> p.key
                    ON CONFLICT (alias) DO UPDATE SET key = excluded.key
                    """,
                    {"run": run_id},
                )
                self._commit_items(run_id)
                self.connection.execute("DELETE FROM pending WHERE run_id = %s", (run_id,))
                self.connection.execute(
                    "UPDATE runs SET state = %s, finished = now() WHERE run_id = %s",
                    (state, run_id),
                )
            return int(moved)

        return self._guard(write, 0)

    def _commit_items(self, run_id: str) -> None:
        """The run's items into the corpus: every revision, and the latest one per article
        (an older revision never replaces a newer one)."""
        items = "FROM pending_items AS p JOIN articles AS a ON a.key = p.article_key"
        self.connection.execute(
            "INSERT INTO article_revisions SELECT p.article_key, p.revision, p.content_hash,"
            f" p.item, p.run_id, now() {items} WHERE p.run_id = %s"
            " ON CONFLICT (article_key, revision) DO UPDATE SET item = excluded.item,"
            " content_hash = excluded.content_hash, run_id = excluded.run_id,"
            " exported_at = excluded.exported_at",
            (run_id,),
        )
        self.connection.execute(
            "INSERT INTO article_items SELECT p.article_key, p.revision, p.url, p.headline,"
            " p.date_published, p.sections, p.authors, p.body, p.item, p.run_id, now()"
            f" {items} WHERE p.run_id = %s"
            " ON CONFLICT (article_key) DO UPDATE SET revision = excluded.revision,"
            " url = excluded.url, headline = excluded.headline,"
            " date_published = excluded.date_published, sections = excluded.sections,"
            " authors = excluded.authors, body = excluded.body, item = excluded.item,"
            " run_id = excluded.run_id, exported_at = excluded.exported_at"
            " WHERE excluded.revision >= article_items.revision",
            (run_id,),
        )
        self.connection.execute("DELETE FROM pending_items WHERE run_id = %s", (run_id,))

    def fail_run(self, run_id: str, state: str = "failed") -> int:
        """Forget the pending articles of a run whose feed was not published."""

        def write() -> int:
            with self.connection.transaction():
                dropped = self.connection.execute(
                    "DELETE FROM pending WHERE run_id = %s", (run_id,)
                ).rowcount
                self.connection.execute("DELETE FROM pending_items WHERE run_id = %s", (run_id,))
                self.connection.execute(
                    "UPDATE runs SET state = %s, finished = now() WHERE run_id = %s",
                    (state, run_id),
                )
            return int(dropped)

        return self._guard(write, 0)

    def mark_gone(self, key: str, url: str, run_id: str) -> None:
        """Remember that the site answered 410 Gone, so the article is not requested again."""

        def write() -> None:
            self.connection.execute(
                """
                INSERT INTO articles (key, url, content_hash, revision, first_seen, last_seen,
                                      exported_run, status)
                VALUES (%s, %s, '', 0, now(), now(), %s, 410)
                ON CONFLICT (key) DO UPDATE SET status = 410, last_seen = excluded.last_seen
                """,
                (key, url, run_id),
            )

        self._guard(write, None)

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
            raise StoreUnavailable(f"lost the connection to {self.path}: {error}") from None
