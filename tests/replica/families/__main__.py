"""Print one family page (or its truth) of the offline replica, to look at it or debug it.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts), with replica-chosen values where the real site is unknown (class names,
furniture, structured-data shapes).

``python -m tests.replica.families list`` prints the families and their option sets;
``python -m tests.replica.families page FAMILY ARTICLE_ID [--jsonld none|plain|graph]
[--og none|full|cut] [--containers|--no-containers] [--paywall FORM] [--truth]`` prints the
page's HTML (or, with ``--truth``, its truth as JSON); options not given are the ones the
article draws, as served. ``--articles`` and ``--seed`` choose the site (60, 1234).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from tests.replica.families import (
    FAMILIES,
    FAMILY_NAMES,
    all_options,
    family_truth,
    options_for,
    render_family,
)
from tests.replica.families.page import JSONLD_FORMS, OG_FORMS, PAYWALLS
from tests.replica.generator import generate_site


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.replica.families", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the families and their option sets")
    page = commands.add_parser("page", help="print one family page")
    page.add_argument("family", choices=FAMILY_NAMES)
    page.add_argument("article", type=int, help="the article id (see `truth` of tests.replica)")
    page.add_argument("--articles", type=int, default=60)
    page.add_argument("--seed", type=int, default=1234)
    page.add_argument("--jsonld", choices=JSONLD_FORMS)
    page.add_argument("--og", choices=OG_FORMS)
    page.add_argument("--containers", action=argparse.BooleanOptionalAction, default=None)
    page.add_argument("--paywall", choices=PAYWALLS)
    page.add_argument("--truth", action="store_true", help="print the truth instead of the page")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = sys.stdout
    if args.command == "list":
        for name, family in FAMILIES.items():
            count = len(list(all_options(name, premium=True)))
            out.write(
                f"{name}\tera {family.era}\t{count} option sets\tomits {sorted(family.omits)}\n"
            )
        return 0
    site = generate_site(args.articles, args.seed)
    article = site.by_id.get(args.article)
    if article is None:
        sys.stderr.write(f"no article {args.article} on this site\n")
        return 2
    options = options_for(site, article, args.family)
    for name in ("jsonld", "og", "containers", "paywall"):
        if getattr(args, name) is not None:
            options = replace(options, **{name: getattr(args, name)})
    if args.truth:
        truth = family_truth(site, article, args.family, options)
        out.write(json.dumps(truth, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_family(site, article, args.family, options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
