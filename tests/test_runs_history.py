"""The run history is per site: another site's runs are never a baseline."""

from __future__ import annotations

from pathlib import Path

from atlantico.monitoring.history import append_run, read_history
from atlantico.monitoring.summary import Summary


def summary(articles: int) -> Summary:
    return {"articles": articles}


def test_runs_of_another_site_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    append_run(path, summary(1), site="https://atlantico.fr")
    append_run(path, summary(2), site="http://127.0.0.1:8765")
    append_run(path, summary(3), site="https://atlantico.fr")
    assert read_history(path, site="https://atlantico.fr") == [summary(1), summary(3)]
    assert read_history(path, site="http://127.0.0.1:8765") == [summary(2)]
    assert read_history(path, site="https://mirror.example") == []


def test_lines_without_a_site_belong_to_none(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    path.write_text('{"articles": 9}\nnot json\n', encoding="utf-8")
    append_run(path, summary(1), site="https://atlantico.fr")
    assert read_history(path, site="https://atlantico.fr") == [summary(1)]
    assert len(read_history(path)) == 2  # every site: the old line too, the broken one skipped
