"""The history of run summaries, per site: one JSON line per run in
``ATLANTICO_STATE_DIR/runs.jsonl``, each carrying the ``site`` it crawled (its base URL).

The drift alarm compares each run with the earlier runs *of the same site*: a crawl of a
mirror or of the replica never becomes the baseline of the live site's next run. Lines written
before the site was recorded belong to no site and are not read. The run's summary is appended
when its monitors have run. To accept a new normal after a deliberate change (a new extraction
source), delete the file: the next run starts a new baseline.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from atlantico.context import RunContext
from atlantico.monitoring.summary import Summary

logger = logging.getLogger(__name__)

HISTORY_FILE = "runs.jsonl"
SITE_KEY = "site"


def history_path(state_dir: str | Path) -> Path:
    return Path(state_dir) / HISTORY_FILE


def site_of(crawler: Crawler) -> str:
    """The site a crawler crawls: its run context's, else ``ATLANTICO_BASE_URL``."""
    context = RunContext.of(crawler)
    if context is not None:
        return context.site
    return str(crawler.settings.get("ATLANTICO_BASE_URL") or "").rstrip("/")


def read_history(path: Path, limit: int = 50, site: str | None = None) -> list[Summary]:
    """The last ``limit`` summaries of ``site`` (every site when None), oldest first; a
    damaged line is skipped, not fatal."""
    if not path.exists():
        return []
    runs: list[Summary] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            logger.warning("%s line %d is not JSON; skipped", path, number)
            continue
        if site is not None and record.pop(SITE_KEY, None) != site:
            continue
        record.pop(SITE_KEY, None)
        runs.append(record)  # type: ignore[arg-type]  # a Summary plus its site
    return runs[-limit:]


def append_run(path: Path, summary: Summary, site: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {**summary, SITE_KEY: site} if site is not None else dict(summary)
    with path.open("a", encoding="utf-8") as history:
        history.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
