"""The benchmark's smoke run (``python -m benchmarks --smoke``), so that it cannot rot.

No timing is asserted: the machine is shared. What is asserted could fail: both crawls fetched
the same article pages, the incremental reruns asked for exactly the new articles and then for
none, the product's extraction matches the replica's truth, and every row of the report is
filled.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import main as benchmarks_main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(600)  # CPU-bound: on a machine shared with other work it may take minutes
def test_smoke_run_measures_every_variant_and_fills_the_report(tmp_path: Path) -> None:
    out, raw = tmp_path / "BENCHMARKS.md", tmp_path / "results.json"
    done = subprocess.run(
        # As the README gives it (no --out: its temporary workdir is removed at the end).
        [sys.executable, "-m", "benchmarks", "--smoke", "--json", str(raw)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "report: not written" in done.stdout
    assert benchmarks_main(["--from-json", str(raw), "--out", str(out)]) == 0
    results = json.loads(raw.read_text(encoding="utf-8"))
    runs = {name: rows[0] for name, rows in results["runs"].items()}
    assert {name: len(rows) for name, rows in results["runs"].items()} == dict.fromkeys(runs, 1)
    noop, full, new, none = runs["noop"], runs["full"], runs["incr_new"], runs["incr_none"]
    for run in (*runs.values(), results["big"]["full"], results["big"]["noop"]):
        assert run["returncode"] == 0
        assert run["cpu_ms_per_page"] > 0
        assert 10 < run["maxrss_mb"] < 2000
        assert 0 < run["first_request_s"] < run["wall_s"]
    # (a) and (b) followed the same links to the same article pages; (b) exported each once.
    assert noop["by_kind"]["article"] == full["by_kind"]["article"] == full["items"] > 50
    # (c) the site saw one request per new article, then none.
    assert new["published"] == 3
    assert new["manifest_counts"]["article_requests"] == new["by_kind"]["article"] == 3
    assert none["manifest_counts"]["article_requests"] == 0
    assert none["by_kind"].get("article", 0) == 0
    # (d) both extractors ran on the same pages; the product matches the truth.
    extraction = results["extraction"]
    assert extraction["pages"] == 40
    assert all(len(times) == 1 and times[0] > 0 for times in extraction["ms"].values())
    assert extraction["accuracy"]["atlantico"]["headline"] == 1.0
    assert extraction["accuracy"]["atlantico"]["body_exact"] == 1.0
    # The server's load loop fetched every article page it holds.
    assert results["server"]["load"]["pages"] == results["server"]["article_pages"] == 100
    report = out.read_text(encoding="utf-8")
    assert "n/a" not in report
    for heading in ("## Results", "### (d) extraction alone", "### Memory"):
        assert heading in report
