"""Measure the generic body finder against trafilatura on the page builder's shapes.

``python -m tests.compare_generic [PAGES]`` builds PAGES pages (default 300) of every shape in
``tests/pagebuilder.py`` and gives each body finder the same HTML:

- ``density``: this project's generic path alone (:func:`atlantico.extract.generic
  .main_text_element`, then the container read with the furniture rules and the header
  removed), i.e. what ``extract_html`` does when no known container matches;
- ``trafilatura``: ``trafilatura.extract(html, url=…)`` with its defaults (no comments).

For each: the share of pages whose body holds the first and the last paragraph of the truth,
the share with no furniture text (related boxes, pagers, prompts, sidebars…), the mean token F1
against the truth's body, and the CPU time per page (``time.process_time``, best of 3). Not a
test: figures for the README and the branch's report.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable

import trafilatura

from atlantico.extract import body as bodies
from atlantico.extract import fields
from atlantico.extract.article import Extraction
from atlantico.extract.generic import main_text_element
from atlantico.extract.page import parse
from tests.pagebuilder import FURNITURE_TEXTS, NOW, build, shapes


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def density(html: str, url: str) -> str:
    x = Extraction(parse(html, url), url, request_url=url, base_url=None, now=NOW)
    fields.headline(x)
    container = main_text_element(x.page)
    if container is None:
        return ""
    x.body_container, x.body_source = container, "generic"
    result = bodies.read_container(container, url)
    return bodies.blocks_text(fields._without_header(x, result.blocks)) or ""


def with_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def f1(got: str, want: str) -> float:
    a, b = Counter(_norm(got).casefold().split()), Counter(_norm(want).casefold().split())
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def measure(count: int) -> dict[str, dict[str, float]]:
    pages = [build(shape) for shape in shapes(count, seed=7)]
    methods: dict[str, Callable[[str, str], str]] = {
        "density": density,
        "trafilatura": with_trafilatura,
    }
    report: dict[str, dict[str, float]] = {}
    for name, method in methods.items():
        first_last = clean = 0
        scores = []
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            outputs = [method(html, url) for _truth, html, url in pages]
            best = min(best, time.process_time() - started)
        for (truth, _html, _url), got in zip(pages, outputs, strict=True):
            text = _norm(got)
            if _norm(truth.paragraphs[0]) in text and _norm(truth.paragraphs[-1]) in text:
                first_last += 1
            if not [t for t in (*FURNITURE_TEXTS, *truth.outside) if t in got]:
                clean += 1
            scores.append(f1(got, "\n\n".join(truth.paragraphs)))
        report[name] = {
            "first_and_last": first_last / len(pages),
            "no_furniture": clean / len(pages),
            "mean_f1": sum(scores) / len(scores),
            "ms_per_page": 1000 * best / len(pages),
        }
    return report


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    for name, figures in measure(count).items():
        print(
            f"{name:12} first+last {figures['first_and_last']:.1%}  "
            f"no furniture {figures['no_furniture']:.1%}  "
            f"mean F1 {figures['mean_f1']:.3f}  {figures['ms_per_page']:.2f} ms/page"
        )


if __name__ == "__main__":
    main()
