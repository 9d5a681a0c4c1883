"""``python -m benchmarks``: the crawler against Scrapy's ceiling and a generic extractor.

Offline. Generates a large replica (5,000 articles, 60-120 KB pages), serves it on 127.0.0.1
with a static in-memory server (:mod:`benchmarks.server`), measures that server's throughput,
then, repeated and interleaved (the machines are shared and noisy; medians are reported):

(a) the no-op spider (:mod:`benchmarks.noop`): Scrapy's ceiling on these pages;
(b) ``scrapy crawl atlantico``: every pipeline, the store (fresh each repetition), the feed;
(c) incremental reruns on (b)'s store: after publishing a few articles, then with nothing new;
(d) extraction alone on saved pages: ``extract_article`` against trafilatura.

Then one crawl of a 20,000-article replica for peak memory. Writes ``BENCHMARKS.md`` (and the
raw results as JSON with ``--json``). ``--smoke`` is the small run the test suite makes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import extraction, harness, report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every measurement")
    parser.add_argument("--concurrency", type=int, default=16, help="same for (a) and (b)")
    parser.add_argument("--publish", type=int, default=5, help="new articles before (c)")
    parser.add_argument("--extract-pages", type=int, default=1000, help="pages for (d)")
    parser.add_argument(
        "--big", type=int, default=20000, help="articles of the memory run; 0: none"
    )
    parser.add_argument("--profile", action="store_true", help="also profile (b) and (d)")
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for every run of the product, e.g. ATLANTICO_READ_WORKERS=0",
    )
    parser.add_argument("--out", type=Path, help="the report (default: BENCHMARKS.md)")
    parser.add_argument("--json", type=Path, help="also write the raw results there")
    parser.add_argument("--workdir", type=Path, help="keep feeds, logs, stores there")
    parser.add_argument(
        "--from-json", type=Path, help="only write the report from results saved with --json"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="100 articles, 1 repetition, 200 for the memory run: checks the benchmark works",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
        out = args.out or harness.ROOT / "BENCHMARKS.md"
        out.write_text(report.markdown(results), encoding="utf-8")
        print(report.summary(results))
        return 0
    if args.smoke:
        # A 200-article "memory run" too, so that every row of the report is exercised.
        args.articles, args.repeat, args.big = 100, 1, 200
        args.extract_pages, args.publish = min(args.extract_pages, 40), min(args.publish, 3)
    for setting in args.setting:
        name, _, value = setting.partition("=")
        harness.PRODUCT_SETTINGS[name] = value
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="atlantico-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    # A smoke run replaces no report unless told where to write one (its workdir is removed).
    out = args.out or (None if args.smoke else harness.ROOT / "BENCHMARKS.md")
    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict[str, Any] = {
        "command": command.strip(),
        "config": {
            key: getattr(args, key)
            for key in ("articles", "seed", "repeat", "concurrency", "publish", "big")
        }
        | {"extract_pages": args.extract_pages},
        "machine": report.machine(),
        "versions": report.versions(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    try:
        run_all(args, workdir, results)
    finally:
        results["machine"]["load_after"] = report.loadavg()
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report.summary(results))
    if out is None:
        print("report: not written (--smoke; --out FILE writes it)")
    else:
        out.write_text(report.markdown(results), encoding="utf-8")
        print(f"report: {out}")
    return 0


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_all(args: argparse.Namespace, workdir: Path, results: dict[str, Any]) -> None:
    runs: dict[str, list[dict[str, Any]]] = {
        "noop": [],
        "full": [],
        "incr_new": [],
        "incr_none": [],
    }
    results["runs"] = runs
    _log(f"rendering a {args.articles}-article replica")
    with harness.StaticServer(args.articles, args.seed) as server:
        results["server"] = dict(server.info)
        results["server"]["load"] = harness.server_throughput(server, args.concurrency, 2000)
        _log(f"server: {results['server']}")
        pages = extraction.sample_pages(
            args.articles, args.seed, server.base_url, args.extract_pages
        )
        results["extraction"] = {
            "pages": len(pages),
            "mean_page_kb": sum(len(p.body) for p in pages) / len(pages) / 1024,
            "ms": {name: [] for name in extraction.EXTRACTORS},
            "accuracy": {name: extraction.accuracy(name, pages) for name in extraction.EXTRACTORS},
        }
        for rep in range(args.repeat):
            rep_dir = workdir / f"rep{rep}"
            state = rep_dir / "state"
            # Interleaved, the order swapped every repetition: noise hits both alike.
            order = ("noop", "full") if rep % 2 == 0 else ("full", "noop")
            for variant in order:
                _log(f"rep {rep}: ({'a' if variant == 'noop' else 'b'}) {variant}")
                if variant == "noop":
                    measured = harness.noop_crawl(server, rep_dir / "noop", args.concurrency)
                else:
                    measured = harness.product_crawl(
                        server, rep_dir / "full", state, args.concurrency
                    )
                runs[variant].append(report.measured(measured))
            _log(f"rep {rep}: (c) publish {args.publish}, rerun; rerun")
            published = server.publish(args.publish)
            measured = harness.product_crawl(server, rep_dir / "incr-new", state, args.concurrency)
            runs["incr_new"].append(report.measured(measured) | {"published": len(published)})
            measured = harness.product_crawl(server, rep_dir / "incr-none", state, args.concurrency)
            runs["incr_none"].append(report.measured(measured) | {"published": 0})
            _log(f"rep {rep}: (d) extraction")
            names = list(extraction.EXTRACTORS)
            for name in names if rep % 2 == 0 else names[::-1]:
                results["extraction"]["ms"][name].append(extraction.time_per_page(name, pages))
        _log("(d) extraction of pages that need the generic fallback")
        fallback = extraction.fallback_pages(
            min(args.articles, 600), args.seed, server.base_url, args.extract_pages
        )
        if fallback:
            results["extraction_fallback"] = {
                "pages": len(fallback),
                "mean_page_kb": sum(len(p.body) for p in fallback) / len(fallback) / 1024,
                "ms": {name: [] for name in extraction.EXTRACTORS},
                "accuracy": {
                    name: extraction.accuracy(name, fallback) for name in extraction.EXTRACTORS
                },
            }
            names = list(extraction.EXTRACTORS)
            for rep in range(args.repeat):
                for name in names if rep % 2 == 0 else names[::-1]:
                    results["extraction_fallback"]["ms"][name].append(
                        extraction.time_per_page(name, fallback)
                    )
        if args.profile:
            _log("profiling (b) and (d)")
            results["profiles"] = report.profiles(server, workdir / "profile", args, pages)
    if args.big:
        _log(f"rendering a {args.big}-article replica (memory run)")
        with harness.StaticServer(args.big, args.seed) as server:
            big_dir = workdir / "big"
            results["big"] = {
                "articles": args.big,
                "server": server.info,
                "full": report.measured(
                    harness.product_crawl(
                        server, big_dir / "full", big_dir / "state", args.concurrency
                    )
                ),
                "noop": report.measured(
                    harness.noop_crawl(server, big_dir / "noop", args.concurrency)
                ),
            }


if __name__ == "__main__":
    sys.exit(main())
