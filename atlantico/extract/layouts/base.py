"""The shape of a layout's rules (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """The class fragments of one template, per field (empty: the era has none known)."""

    name: str
    body: tuple[str, ...] = ()
    kicker: tuple[str, ...] = ()
    chapo: tuple[str, ...] = ()
    byline: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    paywall: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Elements that print something else than the article's date (era A: today's date in the
    # header); never read for a date.
    not_dates: tuple[str, ...] = ()
