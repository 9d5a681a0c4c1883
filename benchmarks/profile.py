"""``python -m benchmarks.profile``: one small (b) crawl under cProfile, cost per component.

A quick look at where the crawl's time goes, without the half hour of ``python -m benchmarks``:
a small replica (``--articles``, default 300) served by the benchmark's static server, one
``scrapy crawl atlantico`` under cProfile, and the table of :mod:`benchmarks.components`.
``--compare`` also runs (a) the no-op spider and (b) unprofiled, interleaved ``--repeat``
times, for their CPU per page, the (b)/(a) ratio and the time to the first request (small
replicas overstate the fixed start-up cost: read the ratio of ``python -m benchmarks``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks import components, harness, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--compare", action="store_true", help="also (a) and (b) unprofiled")
    parser.add_argument("--repeat", type=int, default=1, help="repetitions of --compare")
    parser.add_argument("--no-profile", action="store_true", help="only --compare")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path, help="write the results there too")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="atlantico-profile-"))
    results: dict[str, object] = {"load_before": report.loadavg()}
    with harness.StaticServer(args.articles, args.seed) as server:
        if args.compare:
            runs: dict[str, list[dict[str, object]]] = {"noop": [], "full": []}
            for rep in range(args.repeat):
                order = ("noop", "full") if rep % 2 == 0 else ("full", "noop")
                for variant in order:
                    rep_dir = workdir / f"rep{rep}" / variant
                    measured = (
                        harness.noop_crawl(server, rep_dir, args.concurrency)
                        if variant == "noop"
                        else harness.product_crawl(
                            server, rep_dir, rep_dir / "state", args.concurrency
                        )
                    )
                    runs[variant].append(report.measured(measured))
            results["runs"] = runs
            for variant, rows in runs.items():
                cpu = statistics.median(float(r["cpu_ms_per_page"] or 0) for r in rows)
                pps = statistics.median(float(r["pages_per_s"] or 0) for r in rows)
                first = statistics.median(float(r["first_request_s"] or 0) for r in rows)
                print(
                    f"{variant}: {cpu:.2f} ms CPU/page, {pps:.0f} pages/s, "
                    f"first request {first:.2f} s"
                )
            ratios = [
                float(b["pages_per_s"]) / float(a["pages_per_s"])  # type: ignore[arg-type]
                for a, b in zip(runs["noop"], runs["full"], strict=True)
            ]
            print("(b)/(a) per repetition: " + ", ".join(f"{r:.2f}" for r in ratios))
        if not args.no_profile:
            prof = workdir / "crawl.prof"
            crawl = harness.product_crawl(
                server, workdir / "profiled", workdir / "profiled-state", args.concurrency,
                profile=prof,
            )  # fmt: skip
            pages = int(crawl.stats.get("downloader/response_count", crawl.responses))
            items = int(crawl.stats.get("item_scraped_count", 0))
            table = components.components(prof, pages, items)
            results["components"] = table
            print("\n".join(components.markdown(table)))
    results["load_after"] = report.loadavg()
    print(f"load average before {results['load_before']}, after {results['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
