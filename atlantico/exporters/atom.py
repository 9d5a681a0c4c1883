"""Full-text Atom 1.0 feed (RFC 4287): format ``atom`` in ``FEED_EXPORTERS``.

One ``<entry>`` per article, with the whole body as HTML in ``<content type="html">`` (the
teaser only for a premium article, marked as such), so that a feed reader shows the article
without visiting the site. Options (``item_export_kwargs`` of a ``FEEDS`` entry): ``title``
(the feed's title), ``feed_id`` (a permanent IRI; default from the base URL and ``section``),
``section`` (a section key, for the default id), ``link`` (the site page the feed follows;
default ``ATLANTICO_BASE_URL``).

The feed's ``updated`` is the time the export started: the feed is written as the items come,
and Atom lets ``updated`` say when the publisher last changed the feed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import IO, Any, Self
from urllib.parse import urlsplit
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter

ATOM_NS = "http://www.w3.org/2005/Atom"
# Shown at the end of a premium article's teaser: the reader must know the body is partial.
TRUNCATED_NOTE = "Article réservé aux abonnés : seul le début est disponible."


def body_html(item: dict[str, Any]) -> str:
    """The article as HTML: lead image with caption and credit, then one <p> per paragraph.

    >>> body_html({"articleBody": "Un.\\n\\nDeux & trois.", "mainImage": None})
    '<p>Un.</p>\\n<p>Deux &amp; trois.</p>'
    """
    parts = []
    image = item.get("mainImage")
    if image and image.get("url"):
        legend = " ".join(
            text
            for text in (
                image.get("caption"),
                f"© {image['credit']}" if image.get("credit") else None,
            )
            if text
        )
        caption = f"<figcaption>{escape(legend, quote=False)}</figcaption>" if legend else ""
        parts.append(f'<figure><img src="{escape(image["url"])}" alt="">{caption}</figure>')
    for paragraph in (item.get("articleBody") or "").split("\n\n"):
        if paragraph.strip():
            parts.append(f"<p>{escape(paragraph.strip(), quote=False)}</p>")
    if item.get("bodyTruncated"):
        parts.append(f"<p><em>{escape(TRUNCATED_NOTE)}</em></p>")
    return "\n".join(parts)


class AtomItemExporter(BaseItemExporter):
    def __init__(
        self,
        file: IO[bytes],
        *,
        title: str = "Atlantico",
        feed_id: str | None = None,
        section: str | None = None,
        link: str = "https://atlantico.fr",
        **kwargs: Any,
    ) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.title = title
        self.link = link
        host = urlsplit(link).netloc or "atlantico.fr"
        self.feed_id = feed_id or f"tag:atlantico-crawler,2026:{host}/{section or 'all'}"
        self.xml = XMLGenerator(file, encoding=self.encoding or "utf-8")

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: IO[bytes], **kwargs: Any) -> Self:
        kwargs.setdefault("link", crawler.settings.get("ATLANTICO_BASE_URL"))
        return cls(file, **kwargs)

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
        # Feed-level author: RFC 4287 requires one for entries that name none (unsigned items).
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
