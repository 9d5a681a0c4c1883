"""The main fields of an exported item, as the queryable columns of the corpus tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ItemColumns:
    url: str
    headline: str
    date_published: datetime | None
    sections: list[str]
    authors: list[str]
    body: str


def parse_date(value: Any) -> datetime | None:
    """An ISO 8601 date with its offset; ``None`` for anything else (the JSON keeps the text)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # A date without an offset would be read in the database server's time zone: leave it out.
    return parsed if parsed.tzinfo is not None else None


def item_columns(item: dict[str, Any]) -> ItemColumns:
    """Headline and body are ``""`` when absent, so ``headline || ' ' || body`` is never NULL."""
    authors = [
        str(author.get("name") or "") if isinstance(author, dict) else str(author)
        for author in item.get("authors") or []
    ]
    return ItemColumns(
        url=str(item.get("url") or ""),
        headline=str(item.get("headline") or ""),
        date_published=parse_date(item.get("datePublished")),
        sections=[str(section) for section in item.get("sections") or []],
        authors=[name for name in authors if name],
        body=str(item.get("articleBody") or ""),
    )
