"""A run's outputs are published together, with one commit point, and recovery finishes it.

Every output of a run (the JSON Lines feed, the Atom feeds, the manifest) is written whole to
a partial file journalled in the store (:meth:`atlantico.store.Store.add_output`). Then:

1. ``ready``: every partial is written and fsynced (the manifest last);
2. ``committed``: :meth:`~atlantico.store.Store.publish_run`, one transaction, marks the run's
   articles exported and the run ``publishing``. This is the commit point;
3. ``renamed:<n>``: each partial is renamed to its final name, in journal order;
4. ``finished``: the directories are fsynced and the run marked ``committed``.

A process that dies before 2 published nothing: the next run deletes its partials and its
articles stay unexported (they are exported again, once). One that dies after 2 published
everything as far as the store knows: the next run finishes the renames from the journal. So
a kill or a full disk at any instant loses nothing and delivers nothing twice. ``step`` lets
the tests stop the process at each of these points (``tests/runs_faults.py``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from atlantico.store import Output, RunRecord, Store

logger = logging.getLogger(__name__)


def _fsync_dirs(outputs: Sequence[Output]) -> None:
    for directory in {Path(output.final).parent for output in outputs}:
        if directory.exists():
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def publish(
    store: Store, run_id: str, outputs: Sequence[Output], step: Callable[[str], None]
) -> int:
    """Commit the run and put its outputs in place; returns the articles committed."""
    step("ready")
    committed = store.publish_run(run_id)
    step("committed")
    for number, output in enumerate(outputs, 1):
        os.replace(output.partial, output.final)
        step(f"renamed:{number}")
    _fsync_dirs(outputs)
    store.finish_run(run_id)
    step("finished")
    return committed


def discard(outputs: Sequence[Output]) -> int:
    """Delete the partial files of a run that publishes nothing; returns how many existed."""
    removed = 0
    for output in outputs:
        path = Path(output.partial)
        if path.exists():
            path.unlink()
            removed += 1
    return removed


def recover(store: Store, record: RunRecord) -> tuple[str, int]:
    """Finish (``recovered``) or discard (``discarded``) a run a dead process left; returns
    the verdict and a count (outputs put in place, or articles left unexported)."""
    if record.state == "publishing":
        renamed = already = 0
        missing: list[str] = []
        for output in record.outputs:
            if Path(output.partial).exists():
                os.replace(output.partial, output.final)
                renamed += 1
            elif Path(output.final).exists():
                already += 1
            else:
                missing.append(output.final)
        _fsync_dirs(record.outputs)
        store.finish_run(record.run_id, state="recovered")
        logger.warning(
            "Recovered run %s: it died after its commit point, while publishing; %d of its %d "
            "output(s) were already in place, %d renamed now%s. Its articles were marked "
            "exported at the commit point and are not exported again.",
            record.run_id,
            already,
            len(record.outputs),
            renamed,
            f"; MISSING (removed by someone?): {', '.join(missing)}" if missing else "",
        )
        return "recovered", renamed
    removed = discard(record.outputs)
    store.fail_run(record.run_id, state="discarded")
    logger.warning(
        "Discarded run %s: it died before its commit point, so none of its outputs was "
        "published; removed %d partial file(s); its %d staged article(s) were never marked "
        "exported and will be exported again.",
        record.run_id,
        removed,
        record.pending,
    )
    return "discarded", record.pending
