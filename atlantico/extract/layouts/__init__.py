"""The site's layout eras (docs/SITE.md §1), one rules module each, newest first.

A layout names, per field, the class or id *fragments* its template used (matched lower-case
on ``class`` + ``id``, so ``Paywall_container__x7Kq2`` matches ``paywall``); ``=name`` is one
whole class token. Each fragment carries the era's evidence in its module. The field rules
(:mod:`atlantico.extract.fields`) try structured data and semantic HTML first, then these
fragments, era by era, then a generic rule that needs no class name.

A new layout is a new module here plus its fixture in ``tests/fixtures/pages/``, as Fundus adds
a parser version: the old eras stay, because the archive still serves their pages.
"""

from __future__ import annotations

from atlantico.extract.layouts import current, drupal, react, transitional, v3
from atlantico.extract.layouts.base import Layout

__all__ = ["ERAS", "Layout", "fragments"]

ERAS: tuple[Layout, ...] = (current.LAYOUT, v3.LAYOUT, react.LAYOUT, transitional.LAYOUT,
                            drupal.LAYOUT)  # fmt: skip


def fragments(field: str) -> tuple[str, ...]:
    """Every era's fragments for ``field``, newest era first, without repeats.

    >>> "rich-content__text" in fragments("body"), "content-body" in fragments("body")
    (True, True)
    """
    seen: dict[str, None] = {}
    for layout in ERAS:
        for fragment in getattr(layout, field):
            seen.setdefault(fragment, None)
    return tuple(seen)
