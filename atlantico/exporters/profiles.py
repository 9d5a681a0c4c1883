"""Flat export profiles: the item reshaped for spreadsheets and for the tools users know.

A feed line (``atlantico/items.py``) nests authors, the lead image and the extraction metadata;
Scrapy's CSV exporter writes those as Python reprs. A profile maps an item to one flat dict:

- ``flat``: every field of the item but ``metadata``, lists joined by ``"; "``, authors by
  name, the lead image as ``imageUrl``, ``imageCaption``, ``imageCredit``;
- ``news-please``: the keys of news-please's article (``title``, ``maintext``,
  ``date_publish``, ``authors``, ``url``, ``language``, ``description``, ``image_url``,
  ``source_domain``, plus ``date_modify`` and ``date_download``), dates written as news-please
  writes them (``YYYY-MM-DD HH:MM:SS``, the site's local time);
- ``trafilatura``: the keys of trafilatura's JSON output (``title``, ``author``, ``date``,
  ``text``, ``url``, ``hostname``, ``description``, ``categories``, ``tags``, plus ``language``
  and ``image``), with trafilatura's joins (authors by ``"; "``, categories and tags by ``";"``)
  and its date (``YYYY-MM-DD``).

Selected by the feed's format (``csv`` uses ``ATLANTICO_EXPORT_PROFILE``, default ``flat``;
``news-please`` and ``trafilatura`` are JSON Lines in those shapes) or by the feed option
``item_export_kwargs: {"profile": NAME}``. ``FEED_EXPORT_FIELDS`` (or a feed's ``fields``)
then picks and orders the profile's columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Self
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter, CsvItemExporter, JsonLinesItemExporter

Row = dict[str, Any]

LIST_SEPARATOR = "; "


def _names(item: Mapping[str, Any]) -> list[str]:
    return [author["name"] for author in item.get("authors") or [] if author.get("name")]


def _image(item: Mapping[str, Any]) -> Mapping[str, Any]:
    return item.get("mainImage") or {}


def _joined(values: Any, separator: str = LIST_SEPARATOR) -> str:
    return separator.join(str(value) for value in values or [])


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def flat(item: Mapping[str, Any]) -> Row:
    """Every field but ``metadata``, one value per column.

    >>> row = flat({"headline": "H", "authors": [{"name": "A B"}, {"name": "C"}],
    ...             "mainImage": {"url": "u", "caption": None, "credit": "AFP"},
    ...             "sections": ["high-tech", "decryptages"], "metadata": {"x": 1}})
    >>> row["authors"], row["imageUrl"], row["imageCredit"], row["sections"], "metadata" in row
    ('A B; C', 'u', 'AFP', 'high-tech; decryptages', False)
    """
    row: Row = {}
    for name, value in item.items():
        if name == "metadata":
            continue
        if name == "authors":
            row[name] = _joined(_names(item))
        elif name == "mainImage":
            image = _image(item)
            row["imageUrl"] = image.get("url")
            row["imageCaption"] = image.get("caption")
            row["imageCredit"] = image.get("credit")
        elif isinstance(value, list | tuple):
            row[name] = _joined(value)
        else:
            row[name] = value
    return row


def _local_time(iso: str | None) -> str | None:
    """ISO 8601 as news-please writes dates.

    >>> _local_time("2023-04-12T09:15:00+02:00"), _local_time(None)
    ('2023-04-12 09:15:00', None)
    """
    if not iso:
        return None
    return iso[:19].replace("T", " ")


def news_please(item: Mapping[str, Any]) -> Row:
    """news-please's article keys.

    >>> row = news_please({"headline": "H", "url": "https://www.atlantico.fr/a",
    ...                    "datePublished": "2023-04-12T09:15:00+02:00"})
    >>> row["title"], row["date_publish"], row["source_domain"]
    ('H', '2023-04-12 09:15:00', 'www.atlantico.fr')
    """
    metadata = item.get("metadata") or {}
    return {
        "title": item.get("headline"),
        "maintext": item.get("articleBody"),
        "date_publish": _local_time(item.get("datePublished")),
        "date_modify": _local_time(item.get("dateModified")),
        "date_download": _local_time(metadata.get("dateDownloaded")),
        "authors": _names(item),
        "url": item.get("url"),
        "language": item.get("inLanguage"),
        "description": item.get("description"),
        "image_url": _image(item).get("url"),
        "source_domain": _host(item.get("url")),
    }


def trafilatura(item: Mapping[str, Any]) -> Row:
    """trafilatura's JSON keys.

    >>> row = trafilatura({"headline": "H", "authors": [{"name": "A"}, {"name": "B"}],
    ...                    "category": "High-tech", "themes": ["IA"], "tags": ["BBC", "X"],
    ...                    "datePublished": "2023-04-12T09:15:00+02:00"})
    >>> row["author"], row["date"], row["categories"], row["tags"]
    ('A; B', '2023-04-12', 'High-tech;IA', 'BBC;X')
    """
    categories = [c for c in [item.get("category"), *(item.get("themes") or [])] if c]
    published = item.get("datePublished")
    return {
        "title": item.get("headline"),
        "author": _joined(_names(item)) or None,
        "date": published[:10] if published else None,
        "text": item.get("articleBody"),
        "url": item.get("url"),
        "hostname": _host(item.get("url")),
        "description": item.get("description"),
        "categories": ";".join(categories),
        "tags": ";".join(item.get("tags") or []),
        "language": item.get("inLanguage"),
        "image": _image(item).get("url"),
    }


PROFILES: dict[str, Callable[[Mapping[str, Any]], Row]] = {
    "flat": flat,
    "news-please": news_please,
    "trafilatura": trafilatura,
}


def profile_named(name: str) -> Callable[[Mapping[str, Any]], Row]:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown export profile {name!r}; known: {known}") from None


class _Profiled(BaseItemExporter):
    """Reshapes each item by its profile before the base exporter writes it."""

    default_profile = "flat"

    def __init__(self, file: Any, *, profile: str | None = None, **kwargs: Any) -> None:
        self.reshape = profile_named(profile or self.default_profile)
        super().__init__(file, **kwargs)  # type: ignore[call-arg]

    def export_item(self, item: Any) -> None:
        super().export_item(self.reshape(ItemAdapter(item).asdict()))  # type: ignore[safe-super]


class ProfileCsvItemExporter(_Profiled, CsvItemExporter):
    """Format ``csv``: the profile of ``ATLANTICO_EXPORT_PROFILE`` (default ``flat``)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: Any, **kwargs: Any) -> Self:
        kwargs.setdefault("profile", crawler.settings.get("ATLANTICO_EXPORT_PROFILE") or None)
        return cls(file, **kwargs)


class NewsPleaseItemExporter(_Profiled, JsonLinesItemExporter):
    """Format ``news-please``: JSON Lines in news-please's shape."""

    default_profile = "news-please"


class TrafilaturaItemExporter(_Profiled, JsonLinesItemExporter):
    """Format ``trafilatura``: JSON Lines in trafilatura's shape."""

    default_profile = "trafilatura"
