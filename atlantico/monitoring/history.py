"""The history of run summaries: one JSON line per run in ``ATLANTICO_STATE_DIR/runs.jsonl``.

The drift alarm compares each run with the ones before; the run's summary is appended when
its monitors have run. To accept a new normal after a deliberate change (a new extraction
source), delete the file: the next run starts a new baseline.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from atlantico.monitoring.summary import Summary

logger = logging.getLogger(__name__)

HISTORY_FILE = "runs.jsonl"


def history_path(state_dir: str | Path) -> Path:
    return Path(state_dir) / HISTORY_FILE


def read_history(path: Path, limit: int = 50) -> list[Summary]:
    """The last ``limit`` summaries, oldest first; a damaged line is skipped, not fatal."""
    if not path.exists():
        return []
    runs: list[Summary] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            runs.append(json.loads(line))
        except json.JSONDecodeError:
            logger.warning("%s line %d is not JSON; skipped", path, number)
    return runs[-limit:]


def append_run(path: Path, summary: Summary) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as history:
        history.write(json.dumps(summary, ensure_ascii=False, sort_keys=True) + "\n")
