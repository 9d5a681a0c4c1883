"""The item loader: which cleaning rule applies to which field. Rules live in processors.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, ClassVar

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from atlantico.dates import format_iso, parse_date
from atlantico.items import Article, Author, Image
from atlantico.processors import (
    clean_credit,
    clean_kicker,
    clean_text,
    clean_title,
    dedupe,
    join_paragraphs,
    language_code,
    parse_bool,
    split_authors,
)


def authors_from_source(value: dict[str, Any]) -> list[Author]:
    """One raw author entry ``{"nameRaw", "url"}`` → one Author per person it names.

    >>> authors_from_source({"nameRaw": "Erwan Le Noan,Didier Maus", "url": None})[1]["name"]
    'Didier Maus'
    """
    raw = value.get("nameRaw") or ""
    names = split_authors(raw)
    # A link belongs to a person only when the entry names exactly one.
    url = value.get("url") if len(names) == 1 else None
    return [Author(name=name, nameRaw=clean_text(raw) or raw, url=url) for name in names]


def unique_authors(values: Iterable[Author]) -> list[Author]:
    """First occurrence of each name (case-insensitive), keeping a URL found later.

    >>> unique_authors([Author(name="A b", nameRaw="A b", url=None),
    ...                 Author(name="a B", nameRaw="a B", url="u")])
    [{'name': 'A b', 'nameRaw': 'A b', 'url': 'u'}]
    """
    by_key: dict[str, Author] = {}
    for author in values:
        key = author["name"].casefold()
        if key not in by_key:
            by_key[key] = author
        elif not by_key[key]["url"] and author["url"]:
            by_key[key]["url"] = author["url"]
    return list(by_key.values())


def clean_image(value: dict[str, Any]) -> Image | None:
    """An image needs a URL; caption and credit are cleaned."""
    url = clean_text(value.get("url"))
    if not url:
        return None
    return Image(
        url=url, caption=clean_text(value.get("caption")), credit=clean_credit(value.get("credit"))
    )


def iso_date(value: str, loader_context: dict[str, Any]) -> str | None:
    """A raw date → ISO 8601 with the Paris offset; relative dates count from ``now``."""
    now: datetime | None = loader_context.get("now")
    parsed = parse_date(value, now=now)
    return format_iso(parsed) if parsed else None


def unique_texts(values: Iterable[str]) -> list[str]:
    """Output processor for tags and themes."""
    return dedupe(values)


class ArticleLoader(ItemLoader):
    """Fills an :class:`~atlantico.items.Article`; one value per field unless stated."""

    default_item_class = Article
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    headline_in = MapCompose(clean_title)
    kicker_in = MapCompose(clean_kicker)
    datePublished_in = MapCompose(iso_date)
    dateModified_in = MapCompose(iso_date)
    authors_in = MapCompose(authors_from_source)
    authors_out = unique_authors
    mainImage_in = MapCompose(clean_image)
    tags_in = MapCompose(clean_text)
    tags_out = unique_texts
    themes_out = unique_texts
    sections_in = Identity()
    sections_out = sorted
    # The body arrives as paragraphs; furniture is removed and the rest joined.
    articleBody_in = Identity()
    articleBody_out = join_paragraphs
    # Built from the same blocks by atlantico.extract.body, already clean.
    articleBodyHtml_in = Identity()
    isAccessibleForFree_in = MapCompose(parse_bool)
    bodyTruncated_in = Identity()
    # The item's default (False) is collected first: any True wins.
    bodyTruncated_out = any
    wordCount_in = Identity()
    inLanguage_in = MapCompose(language_code)
    metadata_in = Identity()

    # Each field's processors, looked up once per field for the process rather than once per
    # value: itemloaders builds an ItemAdapter over the item for every lookup (to read field
    # metadata that an Article dataclass never has), a tenth of the extraction time by the
    # benchmark's profile. The processors are class attributes, so the cache is per class.
    _processors: ClassVar[dict[tuple[type, str, str], Callable[..., Any]]] = {}

    def get_input_processor(self, field_name: str) -> Callable[..., Any]:
        key = (type(self), field_name, "in")
        found = self._processors.get(key)
        if found is None:
            found = self._processors[key] = super().get_input_processor(field_name)
        return found

    def get_output_processor(self, field_name: str) -> Callable[..., Any]:
        key = (type(self), field_name, "out")
        found = self._processors.get(key)
        if found is None:
            found = self._processors[key] = super().get_output_processor(field_name)
        return found
