"""The fast feed writers write what the old ones wrote: the Atom feed byte for byte, the JSON Lines
the same objects, keys in the same order, UTF-8 as is (only the spacing differs)."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

import feedparser
import pytest
import time_machine
from itemadapter import ItemAdapter
from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from atlantico.exporters.atom import ATOM_NS, AtomItemExporter, body_html
from atlantico.exporters.jsonlines import JsonLinesExporter
from atlantico.extract import extract_article
from atlantico.items import Article
from atlantico.spiders.atlantico import AtlanticoSpider

FIXTURES = Path(__file__).parent / "fixtures" / "pages"


class OldAtomExporter(AtomItemExporter):
    """The Atom writer as it was before (XMLGenerator and ItemAdapter.asdict), for comparison."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.xml = XMLGenerator(file, encoding=self.encoding or "utf-8")

    def _element(self, name: str, text: str | None = None, **attrs: str) -> None:
        self.xml.startElement(name, AttributesImpl(attrs))
        if text is not None:
            self.xml.characters(text)
        self.xml.endElement(name)
        self.xml.ignorableWhitespace("\n")

    def start_exporting(self) -> None:
        self.xml.startDocument()
        self.xml.startElement("feed", AttributesImpl({"xmlns": ATOM_NS, "xml:lang": "fr"}))
        self.xml.ignorableWhitespace("\n")
        self._element("id", self.feed_id)
        self._element("title", self.title)
        self._element("updated", datetime.now(UTC).replace(microsecond=0).isoformat())
        self._element("link", rel="alternate", type="text/html", href=self.link)
        self.xml.startElement("author", AttributesImpl({}))
        self._element("name", "Atlantico.fr")
        self.xml.endElement("author")
        self.xml.ignorableWhitespace("\n")
        self._element("generator", "atlantico-crawler (Scrapy)")

    def export_item(self, item: Any) -> None:
        data = ItemAdapter(item).asdict()
        url = str(data.get("canonicalUrl") or data.get("url") or "")
        downloaded = (data.get("metadata") or {}).get("dateDownloaded")
        updated = data.get("dateModified") or data.get("datePublished") or downloaded
        self.xml.startElement("entry", AttributesImpl({}))
        self.xml.ignorableWhitespace("\n")
        self._element("id", url)
        self._element("title", data.get("headline") or url)
        self._element("link", rel="alternate", type="text/html", href=url)
        if updated:
            self._element("updated", updated)
        if data.get("datePublished"):
            self._element("published", data["datePublished"])
        for author in data.get("authors") or []:
            self.xml.startElement("author", AttributesImpl({}))
            self._element("name", author["name"])
            if author.get("url"):
                self._element("uri", author["url"])
            self.xml.endElement("author")
            self.xml.ignorableWhitespace("\n")
        if data.get("category"):
            self._element("category", term=data["category"], label=data["category"])
        for tag in data.get("tags") or []:
            self._element("category", term=tag, label=tag, scheme=f"{self.link}/tag")
        if data.get("description"):
            self._element("summary", data["description"])
        self._element("content", body_html(data), type="html")
        self.xml.endElement("entry")
        self.xml.ignorableWhitespace("\n")

    def finish_exporting(self) -> None:
        self.xml.endElement("feed")
        self.xml.ignorableWhitespace("\n")
        self.xml.endDocument()


def fixture_articles() -> list[Article]:
    out = []
    for folder in sorted(FIXTURES.iterdir()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        response = HtmlResponse(
            url=meta["url"],
            body=gzip.decompress((folder / "page.html.gz").read_bytes()),
            request=Request(meta["url"]),
        )
        out.append(extract_article(response, sections=["decryptages"]))
    return out


# Text an article may hold: quotes of both kinds, markup characters, line breaks, tabs,
# non-breaking and typographic spaces, astral characters.
AWKWARD = [
    'Il a dit "non"',
    "L'heure d'été",
    "\"Guillemets\" et 'apostrophes'",
    "A & B < C > D",
    "<script>alert(1)</script>",
    "ligne\nsuivante",
    "tab\there",
    "retour\r chariot",
    "espace\u00a0insécable\u202fet\u2009fine",
    "émoji 😀 et 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "]]> fin de CDATA",
    "&amp; déjà échappé",
]


def awkward_articles(seed: int, count: int) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for number in range(count):
        base = Article(
            url=f"https://atlantico.fr/article/decryptage/x-{number}",
            canonicalUrl=f"https://atlantico.fr/article/decryptage/x-{number}?a=1&b=2",
            headline=rng.choice(AWKWARD),
            description=rng.choice([None, "", *AWKWARD]),
            datePublished=rng.choice([None, "2026-11-20T08:00:00+01:00"]),
            dateModified=rng.choice([None, "2026-11-21T09:30:00+01:00"]),
            authors=[
                {
                    "name": rng.choice(AWKWARD),
                    "nameRaw": "x",
                    "url": rng.choice([None, "https://atlantico.fr/author/a-1?x=1&y=2"]),
                }
                for _ in range(rng.randint(0, 3))
            ],
            articleBody=rng.choice([None, ""])
            if rng.random() < 0.1
            else "\n\n".join(rng.choice(AWKWARD) for _ in range(rng.randint(1, 6))),
            mainImage=rng.choice(
                [
                    None,
                    {"url": "https://atlantico.fr/i.jpg?w=1&h=2", "caption": None, "credit": None},
                    {
                        "url": 'https://atlantico.fr/i".jpg',
                        "caption": rng.choice(AWKWARD),
                        "credit": rng.choice([None, "AFP & Reuters"]),
                    },
                ]
            ),
            category=rng.choice([None, "High-tech", 'Catégorie "x"']),
            tags=rng.sample(AWKWARD, rng.randint(0, 3)),
            sections=["decryptages"],
            bodyTruncated=rng.random() < 0.3,
            metadata={
                "dateDownloaded": "2026-11-20T08:00:00+00:00",
                "sources": {},
                "validationMessages": [],
            },
        )
        out.append(base)
    return out


def write_feed(cls: type[AtomItemExporter], items: list[Article]) -> bytes:
    buffer = io.BytesIO()
    exporter = cls(buffer, title="Atlantico — Décryptages", section="decryptages")
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return buffer.getvalue()


@time_machine.travel(datetime(2026, 11, 20, 8, 0, tzinfo=UTC), tick=False)
def test_atom_feed_is_the_same_bytes_as_before() -> None:
    items = fixture_articles() + awkward_articles(seed=4, count=300)
    new = write_feed(AtomItemExporter, items)
    assert new == write_feed(OldAtomExporter, items)
    feed = feedparser.parse(new)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(items)


@time_machine.travel(datetime(2026, 11, 20, 8, 0, tzinfo=UTC), tick=False)
def test_empty_atom_feed_is_the_same_bytes_as_before() -> None:
    assert write_feed(AtomItemExporter, []) == write_feed(OldAtomExporter, [])


def test_characters_xml_forbids_are_left_out_of_the_feed() -> None:
    item = awkward_articles(seed=1, count=1)[0]
    item.headline = "Titre\x00 avec\x0b des\x1f contrôles\ufffe"
    item.tags = ["mot\x08clé"]
    feed = feedparser.parse(write_feed(AtomItemExporter, [item]))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries[0].title == "Titre avec des contrôles"
    assert [tag.term for tag in feed.entries[0].tags][-1] == "motclé"


def test_atom_content_is_the_body_html_when_the_item_has_it() -> None:
    fields = {f.name: getattr(awkward_articles(seed=2, count=1)[0], f.name) for f in
              dataclasses.fields(Article)}  # fmt: skip
    fields["bodyTruncated"] = False
    fields["mainImage"] = None
    html = '<p>Premier <a href="https://atlantico.fr/x">lien</a>.</p>\n<h2>Intertitre</h2>'
    fields["articleBodyHtml"] = html
    feed = feedparser.parse(write_feed(AtomItemExporter, [Article(**fields)]))
    assert feed.entries[0].content[0].value == html
    fields["articleBodyHtml"] = None
    without = Article(**fields)
    content = feedparser.parse(write_feed(AtomItemExporter, [without])).entries[0].content[0]
    assert content.value.startswith("<p>")
    assert "Intertitre" not in content.value


def jsonl(cls: type[JsonLinesItemExporter], items: list[Any], **kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    exporter = cls(buffer, **kwargs)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return buffer.getvalue()


def test_json_lines_are_the_same_objects_in_the_same_order() -> None:
    items = fixture_articles() + awkward_articles(seed=5, count=300)
    old = jsonl(JsonLinesItemExporter, items, encoding="utf-8")
    new = jsonl(JsonLinesExporter, items, encoding="utf-8")
    old_lines, new_lines = old.decode("utf-8").splitlines(), new.decode("utf-8").splitlines()
    assert len(new_lines) == len(old_lines) == len(items)
    assert new.endswith(b"\n")
    for old_line, new_line in zip(old_lines, new_lines, strict=True):
        # Read back and written with the json module's spacing: the very same line.
        assert json.dumps(json.loads(new_line), ensure_ascii=False) == old_line
    assert "é".encode() in new
    assert b"\\u00e9" not in new


@pytest.mark.parametrize(
    "kwargs",
    [
        {"encoding": None},
        {"encoding": "utf-16"},
        {"encoding": "utf-8", "fields_to_export": ["url", "headline"]},
        {"encoding": "utf-8", "sort_keys": True},
    ],
    ids=["ascii", "utf-16", "fields", "sort_keys"],
)
def test_json_lines_options_are_scrapys(kwargs: dict[str, Any]) -> None:
    items = awkward_articles(seed=6, count=20)
    assert jsonl(JsonLinesExporter, items, **kwargs) == jsonl(
        JsonLinesItemExporter, items, **kwargs
    )


def test_json_lines_stay_one_line_per_item_whatever_the_indent() -> None:
    items = awkward_articles(seed=8, count=20)
    lines = jsonl(JsonLinesExporter, items, encoding="utf-8", indent=4).splitlines()
    assert lines == jsonl(JsonLinesExporter, items, encoding="utf-8").splitlines()
    assert len(lines) == len(items)


def test_json_lines_values_orjson_does_not_know_are_written_as_scrapy_does() -> None:
    items = [{"when": datetime(2026, 11, 20, 8, 0), "tags": {"a"}, "n": 3}]
    old = jsonl(JsonLinesItemExporter, items, encoding="utf-8")
    new = jsonl(JsonLinesExporter, items, encoding="utf-8")
    assert json.loads(new) == json.loads(old)


def test_jsonlines_and_jsonl_feeds_use_the_orjson_exporter() -> None:
    from atlantico import settings as project

    crawler = get_crawler(AtlanticoSpider, {"FEED_EXPORTERS": project.FEED_EXPORTERS})
    exporters = crawler.settings.getwithbase("FEED_EXPORTERS")
    assert (
        exporters["jsonlines"]
        == exporters["jsonl"]
        == ("atlantico.exporters.jsonlines.JsonLinesExporter")
    )


def test_attribute_values_are_quoted_as_quoteattr_quotes_them() -> None:
    """``xml_attr`` (a value with nothing to escape is written between double quotes at once)
    gives quoteattr's answer, after the characters XML forbids are dropped, for every value:
    plain ones, each special character alone and among others, both quotes, forbidden
    characters, surrogates, astral characters."""
    from xml.sax.saxutils import quoteattr

    from atlantico.exporters.atom import XML_FORBIDDEN, xml_attr

    specials = ['"', "'", "&", "<", ">", "\n", "\r", "\t", "\x00", "\x0b", "\x1f", "\ud800"]
    pieces = [
        *AWKWARD,
        *specials,
        "",
        "a",
        "https://atlantico.fr/tag/x?y=1",
        "\ufffe",
        "\U0001f600",
    ]
    rng = random.Random(7)
    values = pieces + [a + b for a in pieces for b in pieces]
    values += ["".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(3000)]
    for value in values:
        assert xml_attr(value) == quoteattr(XML_FORBIDDEN.sub("", value)), repr(value)
