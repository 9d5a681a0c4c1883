"""Which store a run uses: SQLite (embedded, the default) or PostgreSQL.

``ATLANTICO_DATABASE_URL`` set to a ``postgresql://`` URL moves the whole store (articles,
aliases, revisions, runs, the run lock) and the corpus of exported items to that database
(:mod:`atlantico.backends.postgres`); empty, the store is the SQLite file in
``ATLANTICO_STATE_DIR`` with the same corpus tables (:mod:`atlantico.backends.sqlite`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from atlantico.store import StoreError

if TYPE_CHECKING:
    from atlantico.store import Store


class StoreUnavailable(StoreError, OSError):
    """The database cannot be reached: a wrong URL, a refused or lost connection. Its message
    is one sentence naming the database without its password.

    An :class:`OSError` too, as a disk that refuses a write is: the run manager treats a commit
    the database could not take like one the disk refused (nothing published, nothing marked
    exported, those articles exported again by the next run)."""


def database_url(settings: Any) -> str:
    """The PostgreSQL URL of the settings, or ``""`` for the SQLite store."""
    return str(settings.get("ATLANTICO_DATABASE_URL") or "").strip()


def open_store(settings: Any) -> Store:
    """The run's store, chosen by ``ATLANTICO_DATABASE_URL`` (called by
    :func:`atlantico.store.open_store`); :class:`~atlantico.store.StoreError` when it cannot be
    used (damaged file, wrong URL, refused connection)."""
    url = database_url(settings)
    if url:
        from atlantico.backends.postgres import PostgresStore

        return PostgresStore.open(url)
    from atlantico.backends.sqlite import SqliteStore
    from atlantico.store import store_path

    return SqliteStore.open(store_path(settings))


def open_locked_store(settings: Any) -> Store:
    """The PostgreSQL store of a run, holding the run lock (an advisory lock of its session,
    released when it closes or the process dies); :class:`atlantico.context.AlreadyRunning`
    when another session holds it. Called by :func:`atlantico.context.open_run`."""
    from atlantico.backends.postgres import PostgresStore

    return PostgresStore.open(database_url(settings), lock=True)
