"""(d) Extraction alone, on saved pages: ``atlantico.extract.extract_article`` against
trafilatura's ``bare_extraction`` with metadata, on the same pages, against the replica's truth.

Both extractors get the same bytes and URL; the product's time includes building the
``HtmlResponse`` and parsing it, trafilatura's its own parsing. Times are CPU time of this
process (``time.process_time``), so another program on the machine slows both without being
counted; they are still noisy on a busy machine, hence the repetitions, interleaved.

Field accuracy is the share of pages where a field equals the truth after the same
normalisation for both (NFC, spaces folded, case-folded for authors):

- headline: equal;
- date: the publication *day* equal (trafilatura gives a day, not a time); the product's full
  timestamp is reported apart (``date_exact``);
- authors: the same set of names (trafilatura joins several with ``;``);
- body: token F1 ≥ 0.95 against the truth's body (words, case-folded); the mean F1 and the
  product's exact-equality share are reported too.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapy.http import HtmlResponse

from atlantico.extract import extract_article
from tests.replica import Site, generate_site

FIELDS = ("headline", "date", "authors", "body")
BODY_MATCH_F1 = 0.95


@dataclass
class Page:
    url: str
    body: bytes
    truth: dict[str, Any]


def sample_pages(articles: int, seed: int, base_url: str, count: int) -> list[Page]:
    """``count`` article pages spread evenly over a site (every era and variant)."""
    site: Site = generate_site(articles, seed, base_url, page_padding=True)
    truth = site.truth
    urls = list(truth)
    step = max(1, len(urls) // count) if count else 1
    chosen = urls[::step][:count] if count else urls
    pages = []
    for url in chosen:
        path = url.removeprefix(site.base_url)
        pages.append(Page(url, site.get(path).body, truth[url]))
    return pages


def fallback_pages(articles: int, seed: int, base_url: str, count: int) -> list[Page]:
    """Up to ``count`` pages on which the product falls back to its class-free body finder.

    Taken from the replica's template families (classless, styled-components, hashed names…):
    the pages where no structured data, semantic container or known class fragment gave the
    body, so that ``metadata.sources.articleBody`` is ``generic``. Their cost is reported apart
    from the usual pages'.
    """
    site: Site = generate_site(articles, seed, base_url, families=True)
    pages = []
    for url, truth in site.truth.items():
        page = Page(url, site.get(url.removeprefix(site.base_url)).body, truth)
        item = extract_article(HtmlResponse(page.url, body=page.body, encoding="utf-8"))
        if item.metadata.get("sources", {}).get("articleBody") == "generic":
            pages.append(page)
            if len(pages) >= count:
                break
    return pages


# -- the two extractors, reduced to the compared fields ----------------------------------------


def product(page: Page) -> dict[str, Any]:
    response = HtmlResponse(page.url, body=page.body, encoding="utf-8")
    item = extract_article(response)
    return {
        "headline": item.headline,
        "date": item.datePublished,
        "authors": [a["name"] for a in item.authors],
        "body": item.articleBody,
    }


def trafilatura_extract(page: Page) -> dict[str, Any]:
    from trafilatura import bare_extraction

    doc = bare_extraction(page.body, url=page.url, with_metadata=True)
    if doc is None:
        return {"headline": None, "date": None, "authors": [], "body": None}
    get = doc.get if isinstance(doc, dict) else lambda name: getattr(doc, name, None)
    authors = get("author") or ""
    return {
        "headline": get("title"),
        "date": get("date"),
        "authors": [name for name in re.split(r"\s*;\s*", authors) if name],
        "body": get("text"),
    }


EXTRACTORS: dict[str, Callable[[Page], dict[str, Any]]] = {
    "atlantico": product,
    "trafilatura": trafilatura_extract,
}


# -- scoring -----------------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _tokens(text: str | None) -> Counter[str]:
    return Counter(re.findall(r"\w+", _norm(text).casefold()))


def token_f1(found: str | None, expected: str | None) -> float:
    got, want = _tokens(found), _tokens(expected)
    if not got and not want:
        return 1.0
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def score(found: dict[str, Any], truth: dict[str, Any]) -> dict[str, float]:
    expected_date = truth["datePublished"] or ""  # a family page may print no date
    f1 = token_f1(found["body"], truth["articleBody"])
    return {
        "headline": float(_norm(found["headline"]) == _norm(truth["headline"])),
        "date": float(bool(found["date"]) and found["date"][:10] == expected_date[:10]),
        "date_exact": float(found["date"] == expected_date),
        "authors": float(
            {_norm(a).casefold() for a in found["authors"]}
            == {_norm(a["name"]).casefold() for a in truth["authors"]}
        ),
        "body": float(f1 >= BODY_MATCH_F1),
        "body_f1": f1,
        "body_exact": float(_norm(found["body"]) == _norm(truth["articleBody"])),
    }


def accuracy(name: str, pages: list[Page]) -> dict[str, float]:
    """Mean of each score over ``pages`` for one extractor."""
    extractor = EXTRACTORS[name]
    totals: Counter[str] = Counter()
    for page in pages:
        totals.update(score(extractor(page), page.truth))
    return {key: value / len(pages) for key, value in totals.items()}


def time_per_page(name: str, pages: list[Page]) -> float:
    """CPU milliseconds per page for one extractor over ``pages``."""
    extractor = EXTRACTORS[name]
    started = time.process_time()
    for page in pages:
        extractor(page)
    return (time.process_time() - started) * 1000 / len(pages)
