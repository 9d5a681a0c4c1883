"""The corpus keeps each exported item as the feed wrote it (SQLite store)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_crawl
from tests.replica import ReplicaServer


def test_the_corpus_row_of_every_article_is_the_exported_item(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    result = run_crawl(replica.base_url, tmp_path)
    assert result.returncode == 0, result.log[-3000:]
    exported = {item["articleKey"]: item for item in result.items}
    assert len(exported) == len(result.items) > 20
    with sqlite3.connect(tmp_path / "state" / "atlantico.sqlite3") as db:
        rows = db.execute("SELECT article_key, item FROM article_items").fetchall()
    assert {key: json.loads(item) for key, item in rows} == exported
