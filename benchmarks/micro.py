"""``python -m benchmarks.micro``: per-page cost of each cheapened step, before and after.

On article pages of the benchmark's replica (60-120 KB, :func:`benchmarks.extraction.sample_pages`),
each step timed the way it was written before issue 14 (the reference implementations kept by
the tests that prove both give the same answers) and as it is now: schema validation, the item
as a dict, a JSON Lines line, an Atom entry, the mojibake scan, the page classification, the
render test, the decompressions of a gzip page.
Best of ``--repeat`` runs, in microseconds per page (or per item). CPU-bound and single-threaded;
run it on a quiet machine, or read the ratios.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import timeit
from collections.abc import Callable
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import HtmlResponse
from scrapy.utils.gz import gunzip
from spidermon.contrib.validation import JSONSchemaValidator

from atlantico.exporters.atom import AtomItemExporter
from atlantico.exporters.jsonlines import JsonLinesExporter
from atlantico.extract import extract_article
from atlantico.extract.page_kind import article_page_kind, is_challenge
from atlantico.extract.rendering import has_body
from atlantico.fields import item_fields
from atlantico.middlewares.compression_guard import inflate, stream_problem
from atlantico.mojibake import MOJIBAKE, REPLACEMENT, is_suspect
from atlantico.pipelines.schema import compiled_check
from atlantico.schema import ARTICLE_SCHEMA
from benchmarks.extraction import sample_pages
from tests.test_feed_writers import OldAtomExporter
from tests.test_page_kind_same import old_page_kind
from tests.test_rendering_same import xpath_has_body


def best_us(function: Callable[[], Any], calls: int, repeat: int) -> float:
    """Microseconds per call of the best of ``repeat`` runs (``function`` does ``calls`` calls)."""
    return min(timeit.repeat(function, number=1, repeat=repeat)) / calls * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.micro", description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--articles", type=int, default=2000, help="size of the replica sampled")
    args = parser.parse_args(argv)
    pages = sample_pages(args.articles, 1234, "http://127.0.0.1:8000", args.pages)
    responses = [HtmlResponse(p.url, body=p.body, encoding="utf-8") for p in pages]
    for response in responses:
        response.selector  # noqa: B018 - parsed once, as the crawl does before these steps
    texts = [r.text for r in responses]
    items = [extract_article(r) for r in responses]
    dicts = [ItemAdapter(i).asdict() for i in items]
    spidermon = JSONSchemaValidator(ARTICLE_SCHEMA)
    check = compiled_check(ARTICLE_SCHEMA)
    assert check is not None
    n = len(pages)
    gzipped = [gzip.compress(p.body) for p in pages]

    def atom(cls: type[AtomItemExporter]) -> Callable[[], None]:
        def run() -> None:
            exporter = cls(io.BytesIO())
            for item in items:
                exporter.export_item(item)

        return run

    def jsonl(cls: type[JsonLinesItemExporter]) -> Callable[[], None]:
        def run() -> None:
            exporter = cls(io.BytesIO(), encoding="utf-8")
            for item in items:
                exporter.export_item(item)

        return run

    def kinds_new() -> None:
        for response in responses:
            if not is_challenge(response):
                article_page_kind(response, response.url)

    def kinds_old() -> None:
        for response in responses:
            old_page_kind(response, response.url)  # its own challenge test inside
            is_challenge(response)  # and the guard's, before it

    steps: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "schema validation per item",
            lambda: [spidermon.validate(ItemAdapter(i).asdict()) for i in items],
            lambda: [check(item_fields(i)) for i in items],
        ),
        (
            "item as a dict",
            lambda: [ItemAdapter(i).asdict() for i in items],
            lambda: [item_fields(i) for i in items],
        ),
        ("JSON Lines line", jsonl(JsonLinesItemExporter), jsonl(JsonLinesExporter)),
        ("Atom entry", atom(OldAtomExporter), atom(AtomItemExporter)),
        (
            "mojibake scan of the page text",
            lambda: [REPLACEMENT in t or bool(MOJIBAKE.search(t)) for t in texts],
            lambda: [is_suspect(t) for t in texts],
        ),
        ("page classification (content guard)", kinds_old, kinds_new),
        (
            "render test of an article page (has a body?)",
            lambda: [xpath_has_body(r) for r in responses],
            lambda: [has_body(r) for r in responses],
        ),
        (
            "gzip page: guard's check + Scrapy's decompression",
            lambda: [(stream_problem(g, "gzip", 0), gunzip(g)) for g in gzipped],
            lambda: [inflate(g, "gzip", 0) for g in gzipped],
        ),
    ]
    size = sum(len(p.body) for p in pages) / n / 1024
    print(f"{n} article pages of {size:.0f} KB on average, best of {args.repeat} runs")
    print("| step | before µs | after µs | ratio |")
    print("| --- | --- | --- | --- |")
    for name, before, after in steps:
        old, new = best_us(before, n, args.repeat), best_us(after, n, args.repeat)
        print(f"| {name} | {old:.1f} | {new:.1f} | {old / new:.1f}x |")
    del dicts
    return 0


if __name__ == "__main__":
    sys.exit(main())
