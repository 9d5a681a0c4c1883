"""``python -m atlantico corpus [--out FILE]``: the deduplicated corpus as JSON Lines.

One line per article: its latest exported revision, exactly as the feed wrote it, in the order
of the article keys. Read from the store the settings name: PostgreSQL when
``ATLANTICO_DATABASE_URL`` is set, else the SQLite file in ``ATLANTICO_STATE_DIR`` (or
``ATLANTICO_STORE_PATH``). With ``--out`` the file appears whole or not at all (written under a
temporary name, then renamed). Exit 1, after one line on stderr, when the store cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from scrapy.utils.project import get_project_settings

from atlantico.backends import database_url, open_store
from atlantico.store import StoreError


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python -m atlantico corpus",
        description="Write the latest revision of every exported article as JSON Lines.",
    )
    command.add_argument("--out", type=Path, help="the JSON Lines file (default: stdout)")
    command.add_argument(
        "--database-url", help="a postgresql:// URL (default: ATLANTICO_DATABASE_URL)"
    )
    command.add_argument(
        "--store", type=Path, help="the SQLite store (default: in ATLANTICO_STATE_DIR)"
    )
    return command


def write_lines(items: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = get_project_settings()
    if args.database_url:
        settings.set("ATLANTICO_DATABASE_URL", args.database_url, priority="cmdline")
    if args.store:
        settings.set("ATLANTICO_DATABASE_URL", "", priority="cmdline")
        settings.set("ATLANTICO_STORE_PATH", str(args.store), priority="cmdline")
    if not database_url(settings):
        from atlantico.store import store_path

        path = store_path(settings)
        if not path.exists():
            print(f"corpus: no store at {path} (set ATLANTICO_STATE_DIR or --store)",
                  file=sys.stderr)  # fmt: skip
            return 1
    try:
        store: Any = open_store(settings)
    except StoreError as error:
        print(f"corpus: the store cannot be read: {error}", file=sys.stderr)
        return 1
    try:
        if args.out is None:
            count = write_lines(store.corpus(), sys.stdout)
        else:
            partial = args.out.with_name(f".{args.out.name}.partial")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("w", encoding="utf-8") as out:
                count = write_lines(store.corpus(), out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, args.out)
    except StoreError as error:
        if args.out is not None:
            args.out.with_name(f".{args.out.name}.partial").unlink(missing_ok=True)
        print(f"corpus: the store cannot be read: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"corpus: {count} articles from {store.location}", file=sys.stderr)
    return 0
