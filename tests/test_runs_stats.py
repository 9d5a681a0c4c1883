"""The stat names of the run modules: one definition each, under ``atlantico/``."""

from __future__ import annotations

from pathlib import Path

from atlantico import stats

ROOT = Path(__file__).resolve().parent.parent
# The modules whose stats atlantico/stats.py names.
OWNED = [
    "extensions/run.py",
    "extensions/exported.py",
    "pipelines/store.py",
    "pipelines/coverage.py",
    "pipelines/dedupe.py",
    "middlewares/failures.py",
    "middlewares/retry_after.py",
    "retry_queue.py",
    "feeds.py",
    "commands/crawl.py",
]


def test_every_name_is_defined_once_under_atlantico() -> None:
    names = {k: v for k, v in vars(stats).items() if k.isupper()}
    assert all(value.startswith("atlantico/") for value in names.values())
    assert len(set(names.values())) == len(names)


def test_the_owned_modules_write_no_literal_stat_key() -> None:
    for module in OWNED:
        text = (ROOT / "atlantico" / module).read_text("utf-8")
        for call in ("inc_value(", "set_value(", "max_value("):
            for chunk in text.split(call)[1:]:
                assert not chunk.lstrip().startswith(('"atlantico/', 'f"atlantico/')), module
