"""The state of one run, made by ``scrapy crawl`` and handed to the components that need it.

:func:`open_run` takes the run lock beside the store, opens and checks the store, and finishes
or discards what runs that died left behind (:mod:`atlantico.publishing`). The context it
returns travels in the setting :data:`CONTEXT_SETTING`; components read it with
:meth:`RunContext.of` (no extension looks another up). Without it (``scrapy shell``, a script
that did not call :func:`open_run`, ``ATLANTICO_STORE_ENABLED=0``) no store is used.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

from scrapy.crawler import Crawler

from atlantico.backends import database_url, open_locked_store
from atlantico.store import Store, lock_path, open_store, store_location

CONTEXT_SETTING = "ATLANTICO_RUN_CONTEXT"


class AlreadyRunning(Exception):
    """Raised by :func:`open_run` when another run holds the lock beside the store."""


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ") + "-" + secrets.token_hex(2)


def take_run_lock(path: Path) -> IO[str]:
    """An exclusive lock held for the process's life (the kernel drops it if the process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise AlreadyRunning(f"{holder}; lock {path}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


@dataclass(eq=False)
class RunContext:
    """One run: its store, id and site. Shared, never copied (Scrapy deep-copies settings)."""

    store: Store
    run_id: str
    site: str
    """The base URL crawled (``ATLANTICO_BASE_URL``): run history and drift are per site."""
    state_dir: Path
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    lock: IO[str] | None = None
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Article key → (ETag, Last-Modified) of the page fetched in this run, for the store."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    @classmethod
    def of(cls, crawler: Crawler) -> RunContext | None:
        value = crawler.settings.get(CONTEXT_SETTING)
        return value if isinstance(value, RunContext) else None

    def close(self) -> None:
        self.store.close()
        if self.lock is not None:
            self.lock.close()
            self.lock = None


def open_run(settings: Any) -> RunContext:
    """Lock, open and check the store; :class:`AlreadyRunning` or
    :class:`atlantico.store.StoreError` when the run cannot start."""
    lock: IO[str] | None = None
    if database_url(settings):  # PostgreSQL: an advisory lock held by the store's own session
        store = open_locked_store(settings)
    else:
        lock = take_run_lock(lock_path(store_location(settings)))
        try:
            store = open_store(settings)
        except BaseException:
            lock.close()
            raise
    return RunContext(
        store=store,
        run_id=new_run_id(),
        site=settings.get("ATLANTICO_BASE_URL").rstrip("/"),
        state_dir=Path(settings.get("ATLANTICO_STATE_DIR")),
        lock=lock,
    )
