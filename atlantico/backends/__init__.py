"""Which store a run uses: SQLite (embedded, the default) or PostgreSQL.

``ATLANTICO_DATABASE_URL`` set to a ``postgresql://`` URL moves the whole store (articles,
aliases, revisions, runs, the run lock) and the corpus of exported items to that database
(:mod:`atlantico.backends.postgres`); empty, the store is the SQLite file in
``ATLANTICO_STATE_DIR`` with the same corpus tables (:mod:`atlantico.backends.sqlite`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atlantico.store import Store


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


EXIT_LOCKED = 75  # EX_TEMPFAIL, as `scrapy crawl` answers for the file lock


def preflight(settings: Any) -> int:
    """Before a run on PostgreSQL: take the run lock and check the store. 0 when the run may
    start (the lock is then held until the process exits); else the exit code, after one line
    on stderr saying why."""
    from atlantico.backends import postgres
    from atlantico.store import StoreError

    url = database_url(settings)
    try:
        postgres.take_run_lock(url)
        postgres.PostgresStore.open(url).close()
    except postgres.AlreadyRunning as holder:
        print(
            f"Another run is in progress ({holder}). Nothing was done; try again later.",
            file=sys.stderr,
        )
        return EXIT_LOCKED
    except StoreError as error:
        postgres.release_run_lock(url)
        print(f"The article store cannot be used: {error}. The run did not start.",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0
