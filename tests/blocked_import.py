"""``python -m MODULE`` whose import of one module waits forever, at a moment a test can see.

``python -c "from tests.blocked_import import main; main('atlantico')" ARGS...`` runs what
``python -m atlantico ARGS...`` runs (``runpy._run_module_as_main``, the function behind
``-m``), except that the first import of ``$TEST_BLOCK_IMPORT`` creates the file
``$TEST_BLOCK_MARKER`` and then sleeps until a signal ends the process. A test that sees the
file knows, without timing, that the process is inside that import: everything before it has
run, nothing after it has. Only the standard library is imported here.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class BlockedImport:
    """A meta path finder that stops the process at the first import of ``name``."""

    def __init__(self, name: str, marker: str) -> None:
        self.name = name
        self.marker = marker

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != self.name:
            return None
        with open(self.marker, "x"):
            pass
        # A signal handler that raises ends this; one that returns does not. Short sleeps: a
        # signal that comes after the marker is made but before a sleep begins is handled by
        # the interpreter between two of them (a long sleep would miss it for its whole length).
        while True:
            time.sleep(0.05)


def main(module: str) -> None:
    sys.meta_path.insert(
        0, BlockedImport(os.environ["TEST_BLOCK_IMPORT"], os.environ["TEST_BLOCK_MARKER"])
    )
    runpy._run_module_as_main(module)  # type: ignore[attr-defined]
