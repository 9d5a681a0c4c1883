"""Command line of the offline replica of atlantico.fr.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts), with replica-chosen values where the real site is unknown (listing URLs,
class names, pagination).

``python -m tests.replica serve [--host 127.0.0.1] [--port 0] [--articles 60] [--seed 1234]
[--padding] [--families] [--shape NAME]`` binds (port 0: a free port), prints the base URL as the first line of stdout,
then serves until SIGINT or SIGTERM.

``--families`` renders every article in one of the template families of
:mod:`tests.replica.families` (deterministic per article and seed).

``python -m tests.replica truth --articles N [--seed S] --base-url URL [--families]`` prints the expected
items as JSON Lines, newest first.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType

from .generator import DEFAULT_BASE_URL, generate_site
from .server import ReplicaServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.replica", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the replica until SIGINT/SIGTERM")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    serve.add_argument("--articles", type=int, default=60)
    serve.add_argument("--seed", type=int, default=1234)
    serve.add_argument(
        "--padding", action="store_true", help="pad pages to 60-120 KB of realistic noise"
    )
    serve.add_argument(
        "--families",
        action="store_true",
        help="render every article in one of the template families (tests/replica/families)",
    )
    serve.add_argument(
        "--shape", default=None, help="an opt-in shape of tests/replica/shapes.py (menus, …)"
    )
    truth = commands.add_parser("truth", help="print the expected items as JSON Lines")
    truth.add_argument("--families", action="store_true", help="the template families' truth")
    truth.add_argument("--articles", type=int, default=60)
    truth.add_argument("--seed", type=int, default=1234)
    truth.add_argument("--base-url", default=DEFAULT_BASE_URL)
    return parser


def _serve(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server = ReplicaServer(
        args.articles,
        args.seed,
        host=args.host,
        port=args.port,
        page_padding=args.padding,
        families=args.families,
        shape=args.shape,
    )
    with server:
        print(server.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    return 0


def _truth(args: argparse.Namespace) -> int:
    site = generate_site(args.articles, args.seed, args.base_url, families=args.families)
    out = sys.stdout
    for item in site.truth.values():
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    return _truth(args)


if __name__ == "__main__":
    sys.exit(main())
