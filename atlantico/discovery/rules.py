"""``ATLANTICO_SECTION_RULES`` interpreted in one place: which sections an article belongs to
by what it says of itself, when no listing showed it.

A rule names the article's ``type`` (from its URL: ``/article/decryptage/…``) and/or its
``category`` (the one printed above the image, the JSON-LD ``articleSection``, an RSS
``<category>``); each value is a string or a list of strings. Values compare without case,
accents or spacing, so ``High-tech``, ``HIGH-TECH`` and ``High‑tech`` (NBSP) agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from atlantico import urls
from atlantico.extract.listing import label_key


def _values(raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    items = [raw] if isinstance(raw, str) else list(raw)
    return frozenset(label_key(str(item)) for item in items if label_key(str(item)))


@dataclass(frozen=True)
class Rule:
    types: frozenset[str]
    categories: frozenset[str]

    def matches(self, kind: str | None, categories: Iterable[str | None]) -> bool:
        if kind and label_key(kind) in self.types:
            return True
        return any(c and label_key(c) in self.categories for c in categories)


class SectionRules:
    """The rules of the wanted sections.

    >>> rules = SectionRules({"high-tech": {"category": "High-tech"},
    ...                       "decryptages": {"type": "decryptage"}}, ["high-tech", "decryptages"])
    >>> rules.by_url("https://atlantico.fr/article/decryptage/x")
    {'decryptages'}
    >>> sorted(rules.of("https://atlantico.fr/article/decryptage/x", ["HIGH-TECH"]))
    ['decryptages', 'high-tech']
    >>> rules.has_rule("high-tech"), rules.has_rule("sciences")
    (True, False)
    """

    def __init__(self, raw: Mapping[str, Any], wanted: Iterable[str]) -> None:
        self.rules: dict[str, Rule] = {}
        for key in wanted:
            spec = raw.get(key) or {}
            rule = Rule(_values(spec.get("type")), _values(spec.get("category")))
            if rule.types or rule.categories:
                self.rules[key] = rule

    def has_rule(self, key: str) -> bool:
        return key in self.rules

    def decided_by_url(self, key: str) -> bool:
        """Whether the URL alone can tell membership (a type rule with no category rule)."""
        rule = self.rules.get(key)
        return rule is not None and bool(rule.types) and not rule.categories

    def by_url(self, url: str, keys: Iterable[str] | None = None) -> set[str]:
        """Sections an article URL's type puts it in."""
        return self.of(url, (), keys)

    def of(
        self, url: str | None, categories: Iterable[str | None], keys: Iterable[str] | None = None
    ) -> set[str]:
        """Sections an article belongs to by its URL's type and the categories it shows."""
        kind = urls.article_type(url) if url else None
        shown = list(categories)
        candidates = (
            self.rules if keys is None else {k: self.rules[k] for k in keys if k in self.rules}
        )
        return {key for key, rule in candidates.items() if rule.matches(kind, shown)}

    def of_item(self, item: Any, keys: Iterable[str] | None = None) -> set[str]:
        """Sections of an extracted article: its type (from the URL or the item) and category."""
        found = self.of(item.url, [item.category], keys)
        rules = self.rules if keys is None else {k: self.rules[k] for k in keys if k in self.rules}
        if item.type:
            found |= {k for k, rule in rules.items() if label_key(item.type) in rule.types}
        return found
