"""Counts how many articles each field was filled for, before any item is dropped.

The monitors read these counters (``atlantico/coverage/...``): field coverage is measured on
every article page read, so a field that vanishes shows here even when the item is then
dropped for lacking it. Each field has the denominator it is judged on:

- ``headline``, ``datePublished`` and the descriptive fields: every article;
- ``authors``: articles that show a byline (``metadata.hasByline``), since some are unsigned;
- ``articleBody``: free articles, since a premium one shows its teaser only.

Also counts the articles read per crawled section (``atlantico/articles/section/<key>``) and
keeps one URL per field that lacked it (``atlantico/coverage/example_missing/<field>``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.items import Article
from atlantico.statscollector import Named

# Field → the denominator it is measured on (a stat under atlantico/coverage/).
COVERED_FIELDS = {
    "headline": "articles",
    "datePublished": "articles",
    "authors": "with_byline",
    "articleBody": "free",
    "description": "articles",
    "mainImage": "articles",
    "category": "articles",
}


def is_free(item: Article) -> bool:
    """A free article shows its whole body: not flagged premium and not truncated."""
    return item.isAccessibleForFree is not False and not item.bodyTruncated


class CoveragePipeline(CrawlerComponent):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # The stat names, formatted once: (field, base, filled, example_missing).
        self.fields = [
            (
                field,
                base,
                names.COVERAGE_FILLED.format(field=field),
                names.COVERAGE_EXAMPLE_MISSING.format(field=field),
            )
            for field, base in COVERED_FIELDS.items()
        ]
        self.base_names = {
            base: names.COVERAGE_BASE.format(base=base) for base in ("with_byline", "free")
        }
        self.section_name = Named(names.ARTICLES_SECTION, "section")

    def process_item(self, item: Article) -> Article:
        stats = self.stats
        inc = stats.inc_value
        inc(names.COVERAGE_ARTICLES)
        if item.url:
            # A page the failure report can point `python -m atlantico check` at.
            stats.max_value(names.COVERAGE_EXAMPLE_URL, item.url)
        for key in item.sections:
            inc(self.section_name(key))
        bases = {
            "articles": True,
            "with_byline": bool(item.metadata.get("hasByline")),
            "free": is_free(item),
        }
        for base in ("with_byline", "free"):
            if bases[base]:
                inc(self.base_names[base])
        for field, base, filled, example_missing in self.fields:
            if not bases[base]:
                continue
            if getattr(item, field):
                inc(filled)
            elif item.url:
                # One page to look at when the field's coverage alarm goes off.
                stats.max_value(example_missing, item.url)
        return item
