"""The cascade machinery: each field's sources tried in order, with provenance.

Knows nothing of the site: the field rules (:mod:`atlantico.extract.fields`) give, per field, a
list of ``(source name, thunk)`` candidates; :meth:`Cascade.first` calls each thunk until the
item loader keeps a value, and records

- ``metadata.sources[field]``: the source that won (``json-ld``, ``microdata``, ``rdfa``,
  ``meta``, ``dom``, ``text``, ``generic``, ``url``);
- ``metadata.fallbacks[field]``: the sources tried before it that gave nothing usable;
- ``offered``: the fields some source offered a raw value for, kept or not (a byline that the
  cleaning rules rejected still means the article is signed: ``metadata.hasByline``).

A thunk runs only when the sources before it failed, so the costly layers (the generic body
finder) cost nothing on pages where structured data or a known container answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scrapy.loader import ItemLoader

# A thunk returning a raw value (or values) for one source.
Candidate = tuple[str, Callable[[], Any]]


class Cascade:
    def __init__(self, loader: ItemLoader) -> None:
        self.loader = loader
        self.sources: dict[str, str] = {}
        self.tried: dict[str, list[str]] = {}
        self.offered: set[str] = set()
        self.messages: list[str] = []
        # Layers the page does not have at all (no microdata, no RDFa): skipped silently, so
        # that a fallback named in metadata.fallbacks is one that was there and failed.
        self.absent: set[str] = set()

    def first(self, field: str, candidates: Iterable[Candidate], **context: Any) -> str | None:
        """Try each source until the loader keeps a value for ``field``; return the source."""
        for source, thunk in candidates:
            if source in self.absent:
                continue
            value = thunk()
            if value is None or value == [] or value == "":
                self.failed(field, source)
                continue
            self.offered.add(field)
            self.loader.add_value(field, value, **context)
            if self.loader.get_collected_values(field):
                self.sources[field] = source
                return source
            self.failed(field, source)
        return None

    def put(self, field: str, value: Any, source: str) -> None:
        """Set a field decided outside :meth:`first` (a cross-check's winner)."""
        self.loader.replace_value(field, value)
        if self.loader.get_collected_values(field):
            self.sources[field] = source
            self.offered.add(field)

    def failed(self, field: str, source: str) -> None:
        tried = self.tried.setdefault(field, [])
        if source not in tried:  # several candidates share a source name (two meta tags)
            tried.append(source)

    def value(self, field: str) -> Any:
        return self.loader.get_output_value(field)

    def fallbacks(self) -> dict[str, list[str]]:
        """Failed sources per field, less the winner's name (a later candidate of the same
        source may have won: ``og:url`` after a missing canonical link)."""
        out = {}
        for field, tried in self.tried.items():
            failed = [source for source in tried if source != self.sources.get(field)]
            if failed:
                out[field] = failed
        return out
