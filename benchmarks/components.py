"""What each component of the crawler costs per page, from a cProfile of one crawl.

cProfile's *cumulative* time of a component's entry point (a middleware's ``process_response``,
a pipeline's ``process_item``, an exporter's ``export_item``, the spider's callbacks...) is what
the crawl spends in that component, libraries included (jsonschema inside the schema pipeline,
lxml inside extraction). Entry points are found by name, not listed by hand, so a component
added later shows up on its own. Rows can nest (extraction runs inside ``parse_article``; the
exporters inside the feed exporter): the ``within`` column says which row holds which.

Under cProfile every Python call costs more than it does outside it: the shares are the figures
to read, the milliseconds are an upper bound.
"""

from __future__ import annotations

import pstats
from pathlib import Path
from typing import Any

# (file suffix, function) entry points that are not found by the generic rule below.
NAMED: dict[tuple[str, str], tuple[str, str | None]] = {
    ("atlantico/extract/article.py", "extract_article"): ("extraction (extract_article)", "spider"),
    ("parsel/selector.py", "create_root_node"): ("HTML parse (lxml, via parsel)", None),
    ("scrapy/downloadermiddlewares/httpcompression.py", "process_response"): (
        "decompression (Scrapy's HttpCompressionMiddleware)",
        None,
    ),
    ("scrapy/extensions/feedexport.py", "item_scraped"): ("feed exports (all feeds)", None),
    ("scrapy/exporters.py", "export_item"): ("  JSON Lines (Scrapy's exporter)", "feeds"),
    ("atlantico/exporters/jsonlines.py", "export_item"): ("  JSON Lines (orjson)", "feeds"),
    ("atlantico/exporters/atom.py", "export_item"): ("  Atom entries", "feeds"),
    ("atlantico/exporters/filters.py", "accepts"): ("  section filter", "feeds"),
    ("scrapy/http/response/text.py", "text"): ("Response.text (decoding)", None),
    ("<frozen importlib._bootstrap>", "_find_and_load"): ("imports (start-up)", None),
    ("spidermon/core/suites.py", "run"): ("Spidermon monitors (at close)", None),
}
GENERIC = {
    "process_item": "pipeline",
    "process_response": "middleware",
    "process_request": "middleware",
    "item_scraped": "extension",
}


def _component(filename: str, function: str) -> tuple[str, str | None] | None:
    for (suffix, name), label in NAMED.items():
        if function == name and filename.endswith(suffix):
            return label
    if "atlantico/" in filename:
        module = filename.split("atlantico/", 1)[1].removesuffix(".py")
        if function in GENERIC:
            return f"{GENERIC[function]} {module}.{function}", None
        if module.startswith("spiders/") and function.startswith("parse"):
            return f"spider {function} (extraction included)", None
    return None


def components(path: Path, pages: int, items: int) -> dict[str, Any]:
    """Rows of (component, calls, cumulative s, ms per page, ms per item, share) by cost."""
    stats = pstats.Stats(str(path))
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in table.values()) or 1.0
    rows: dict[str, dict[str, Any]] = {}
    for (filename, _line, function), (_cc, calls, _tottime, cumtime, _callers) in table.items():
        found = _component(filename, function)
        if found is None:
            continue
        label, within = found
        row = rows.setdefault(label, {"component": label, "calls": 0, "cum_s": 0.0})
        row["within"] = within
        row["calls"] += calls
        row["cum_s"] += cumtime
    out = sorted(rows.values(), key=lambda r: r["cum_s"], reverse=True)
    for row in out:
        row["ms_per_page"] = round(1000 * row["cum_s"] / pages, 3) if pages else None
        row["ms_per_item"] = round(1000 * row["cum_s"] / items, 3) if items else None
        row["share"] = round(row["cum_s"] / total, 3)
        row["cum_s"] = round(row["cum_s"], 3)
    return {
        "profiled_s": round(total, 3),
        "pages": pages,
        "items": items,
        "ms_per_page": round(1000 * total / pages, 3) if pages else None,
        "rows": out,
    }


def markdown(table: dict[str, Any]) -> list[str]:
    lines = [
        f"{table['pages']} pages, {table['items']} items, {table['profiled_s']} s of profiled "
        f"time ({table['ms_per_page']} ms per page under cProfile). Cumulative time of each "
        "component's entry points, libraries included; indented rows are part of the row above "
        "them (feed exports), extraction is part of the spider's callbacks.",
        "",
        "| component | calls | cumulative s | ms per page | ms per item | share |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in table["rows"]:
        lines.append(
            f"| {row['component']} | {row['calls']} | {row['cum_s']} | {row['ms_per_page']} "
            f"| {row['ms_per_item']} | {100 * row['share']:.1f} % |"
        )
    return lines
