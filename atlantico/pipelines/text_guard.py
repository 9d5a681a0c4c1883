"""No exported field holds mojibake or U+FFFD: repaired when reversible, else the item dropped.

The charset middleware decodes pages right; this is the last check, on the item itself, for
text that arrives already garbled (a JSON-LD block written by a misconfigured CMS, a page
built from a badly converted database). Stats: ``atlantico/charset/repaired_field/<field>``,
``atlantico/dropped/garbled_text/<field>``.

It also counts what extraction (pure, it counts nothing) says it set aside: JSON-LD blocks that
were hostile or broken (``metadata.jsonldProblems``: nesting bombs, invalid or huge scripts)
give one warning line and ``atlantico/extract/jsonld_rejected`` per block; the item, read from
the DOM, goes on.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from scrapy.exceptions import DropItem

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.items import Article
from atlantico.mojibake import is_suspect, repair

logger = logging.getLogger(__name__)


class _Garbled(Exception):
    pass


def _clean(value: Any) -> Any:
    """``value`` with every string repaired; raises _Garbled for one that cannot be."""
    if isinstance(value, str):
        if not is_suspect(value):
            return value
        fixed = repair(value)
        if fixed is None:
            raise _Garbled(value)
        return fixed
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


class TextGuardPipeline(CrawlerComponent):
    def process_item(self, item: Article) -> Article:
        problems = item.metadata.get("jsonldProblems") or []
        if problems:
            self.stats.inc_value(names.EXTRACT_JSONLD_REJECTED, len(problems))
            logger.warning(
                "JSON-LD set aside on %s (%s); fields read from the page", item.url, problems[0]
            )
        for field in dataclasses.fields(item):
            if field.name == "metadata":
                continue
            value = getattr(item, field.name)
            try:
                cleaned = _clean(value)
            except _Garbled as garbled:
                self.stats.inc_value(names.DROPPED_GARBLED_TEXT.format(field=field.name))
                raise DropItem(
                    f"{field.name} of {item.url} holds text no decoding can restore: "
                    f"{str(garbled)[:80]!r}"
                ) from None
            if cleaned != value:
                self.stats.inc_value(names.CHARSET_REPAIRED_FIELD.format(field=field.name))
                logger.warning("Repaired mojibake in %s of %s", field.name, item.url)
                setattr(item, field.name, cleaned)
        return item
