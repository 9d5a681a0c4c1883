"""Helpers of the fault tests: a replica with fault endpoints, and a crawl of a fault listing.

A crawl here walks one section whose URL (``ATLANTICO_SECTION_URLS``) is the fault listing
``/_fault/listing?links=…``, so the spider reads exactly the fault articles named, and nothing
of the default replica changes for the other tests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer, RequestRecord
from tests.replica.faults import Faults

# Short timeouts and pauses so that a fault costs the suite seconds, not minutes.
QUICK = {
    "DOWNLOAD_TIMEOUT": "1",
    "ATLANTICO_BACKOFF_BASE": "0.05",
    "ATLANTICO_BACKOFF_MAX": "0.2",
    "DOWNLOAD_MAXSIZE": str(1_000_000),
}


@contextmanager
def fault_server(robots: str = "normal") -> Iterator[tuple[ReplicaServer, Faults]]:
    faults = Faults(robots=robots)
    with ReplicaServer(n_articles=20, seed=7, faults=faults) as server:
        yield server, faults


def crawl(
    server: ReplicaServer,
    workdir: Path,
    links: list[str] | None = None,
    *,
    section_url: str | None = None,
    settings: dict[str, str] | None = None,
) -> CrawlResult:
    """Crawl the listing of ``links`` (fault article names), or ``section_url``."""
    url = section_url or f"{server.base_url}/_fault/listing?links={','.join(links or [])}"
    return run_crawl(
        server.base_url,
        workdir,
        "sections=decryptages",
        settings={
            **QUICK,
            "ATLANTICO_SECTION_URLS": json.dumps({"decryptages": url}),
            **(settings or {}),
        },
        timeout=120,
    )


@contextmanager
def let_go_once_held(faults: Faults, count: int, settle: float = 0.5) -> Iterator[None]:
    """Around a crawl of ``held-*`` pages: once ``count`` of them wait at the server, and
    ``settle`` seconds more (for any request that should not have gone out to arrive), the
    server lets them all answer."""

    def let_go() -> None:
        while faults.held_in_flight < count:
            time.sleep(0.01)
        time.sleep(settle)
        faults.let_go()

    releaser = threading.Thread(target=let_go, daemon=True)
    releaser.start()
    try:
        yield
    finally:
        faults.let_go()
        releaser.join(timeout=5)


def hits(server: ReplicaServer, path: str) -> list[RequestRecord]:
    """The requests the server saw for ``path`` (query ignored)."""
    return [r for r in server.requests if r.path.split("?")[0] == path]


def article(name: str) -> str:
    return f"/article/fault/{name}"


def item_urls(result: CrawlResult) -> set[str]:
    return {item["url"].split("/article/fault/")[-1] for item in result.items}


def stat(result: CrawlResult, name: str) -> Any:
    return result.stats.get(name, 0)
