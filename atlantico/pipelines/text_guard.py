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


def _suspect(value: Any) -> bool:
    """Whether any string in ``value`` (nested lists and dict values too) is suspect: only
    then can :func:`_clean` change or refuse it. No copy is made (most items are clean)."""
    if isinstance(value, str):
        return is_suspect(value)
    if isinstance(value, list):
        for v in value:
            if _suspect(v):
                return True
    elif isinstance(value, dict):
        for v in value.values():
            if _suspect(v):
                return True
    return False


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


_CHECKED: dict[type, tuple[str, ...]] = {}


def _checked_fields(kind: type) -> tuple[str, ...]:
    """The item class's fields that are checked: all but ``metadata``, in order."""
    checked = _CHECKED.get(kind)
    if checked is None:
        fields = dataclasses.fields(kind)
        checked = _CHECKED[kind] = tuple(f.name for f in fields if f.name != "metadata")
    return checked


class TextGuardPipeline(CrawlerComponent):
    def process_item(self, item: Article) -> Article:
        problems = item.metadata.get("jsonldProblems") or []
        if problems:
            self.stats.inc_value(names.EXTRACT_JSONLD_REJECTED, len(problems))
            logger.warning(
                "JSON-LD set aside on %s (%s); fields read from the page", item.url, problems[0]
            )
        for name in _checked_fields(type(item)):
            value = getattr(item, name)
            if not _suspect(value):
                continue  # _clean would give it back equal: nothing to repair or refuse
            try:
                cleaned = _clean(value)
            except _Garbled as garbled:
                self.stats.inc_value(names.DROPPED_GARBLED_TEXT.format(field=name))
                raise DropItem(
                    f"{name} of {item.url} holds text no decoding can restore: "
                    f"{str(garbled)[:80]!r}"
                ) from None
            if cleaned != value:
                self.stats.inc_value(names.CHARSET_REPAIRED_FIELD.format(field=name))
                logger.warning("Repaired mojibake in %s of %s", name, item.url)
                setattr(item, name, cleaned)
        return item
