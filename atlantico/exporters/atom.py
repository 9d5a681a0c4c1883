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

import re
from datetime import UTC, datetime
from html import escape
from typing import IO, Any, Self
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter

from atlantico.fields import item_fields

ATOM_NS = "http://www.w3.org/2005/Atom"
# Shown at the end of a premium article's teaser: the reader must know the body is partial.
TRUNCATED_NOTE = "Article réservé aux abonnés : seul le début est disponible."
# Characters XML 1.0 does not allow (§2.2): C0 controls but tab, newline and carriage return;
# surrogates; U+FFFE and U+FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def body_html(item: dict[str, Any]) -> str:
    """The article as HTML: lead image with caption and credit, then the body.

    The body is ``articleBodyHtml`` (the body's own clean HTML) when the item has it, else one
    ``<p>`` per paragraph of ``articleBody``.

    >>> body_html({"articleBody": "Un.\\n\\nDeux & trois.", "mainImage": None})
    '<p>Un.</p>\\n<p>Deux &amp; trois.</p>'
    >>> body_html({"articleBody": "Un.", "articleBodyHtml": "<p>Un <b>gras</b>.</p>"})
    '<p>Un <b>gras</b>.</p>'
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
    html = item.get("articleBodyHtml")
    if html:
        parts.append(html)
    else:
        for paragraph in (item.get("articleBody") or "").split("\n\n"):
            if paragraph.strip():
                parts.append(f"<p>{escape(paragraph.strip(), quote=False)}</p>")
    if item.get("bodyTruncated"):
        parts.append(f"<p><em>{escape(TRUNCATED_NOTE)}</em></p>")
    return "\n".join(parts)


def xml_text(text: str) -> str:
    """``text`` as XML character data (what ``XMLGenerator.characters`` writes), without the
    characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF): a feed reader
    refuses the whole feed for one of them.

    >>> xml_text("a < b & c\\x00")
    'a &lt; b &amp; c'
    """
    if XML_FORBIDDEN.search(text):
        text = XML_FORBIDDEN.sub("", text)
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


# What makes an attribute value more than itself between double quotes: the characters
# quoteattr escapes or quotes around (& < > " and the three whitespace it writes as references)
# and those XML_FORBIDDEN drops. Most values (URLs, tags, "alternate") hold none of them.
ATTR_SPECIAL = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def xml_attr(value: str) -> str:
    """``value`` quoted as an XML attribute, as ``XMLGenerator`` quotes it.

    >>> xml_attr('un "mot"'), xml_attr("a\\nb"), xml_attr("https://x/a?b=c")
    ('\\'un "mot"\\'', '"a&#10;b"', '"https://x/a?b=c"')
    """
    if not ATTR_SPECIAL.search(value):
        return f'"{value}"'
    if XML_FORBIDDEN.search(value):
        value = XML_FORBIDDEN.sub("", value)
    return quoteattr(value)


def element(name: str, text: str | None = None, **attrs: str) -> str:
    """One element and the newline after it, as the feed has always been written."""
    attributes = (
        "".join(f" {key}={xml_attr(value)}" for key, value in attrs.items()) if attrs else ""
    )
    return f"<{name}{attributes}>{xml_text(text) if text else ''}</{name}>\n"


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
        self.encoding: str = self.encoding or "utf-8"
        self.tag_scheme = xml_attr(f"{self.link}/tag")

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: IO[bytes], **kwargs: Any) -> Self:
        kwargs.setdefault("link", crawler.settings.get("ATLANTICO_BASE_URL"))
        return cls(file, **kwargs)

    def _write(self, text: str) -> None:
        self.file.write(text.encode(self.encoding, "xmlcharrefreplace"))

    def start_exporting(self) -> None:
        self._write(
            f'<?xml version="1.0" encoding="{self.encoding}"?>\n'
            f'<feed xmlns="{ATOM_NS}" xml:lang="fr">\n'
            + element("id", self.feed_id)
            + element("title", self.title)
            + element("updated", datetime.now(UTC).replace(microsecond=0).isoformat())
            + element("link", rel="alternate", type="text/html", href=self.link)
            # Feed-level author: RFC 4287 requires one for entries that name none (unsigned).
            + "<author>"
            + element("name", "Atlantico.fr")
            + "</author>\n"
            + element("generator", "atlantico-crawler (Scrapy)")
        )

    def export_item(self, item: Any) -> None:
        data = item_fields(item)
        url = str(data.get("canonicalUrl") or data.get("url") or "")
        downloaded = (data.get("metadata") or {}).get("dateDownloaded")
        updated = data.get("dateModified") or data.get("datePublished") or downloaded
        parts = [
            "<entry>\n",
            element("id", url),
            element("title", data.get("headline") or url),
            # element("link", rel="alternate", type="text/html", href=url), written out.
            f'<link rel="alternate" type="text/html" href={xml_attr(url)}></link>\n',
        ]
        if updated:
            parts.append(element("updated", updated))
        if data.get("datePublished"):
            parts.append(element("published", data["datePublished"]))
        for author in data.get("authors") or []:
            parts.append("<author>")
            parts.append(element("name", author["name"]))
            if author.get("url"):
                parts.append(element("uri", author["url"]))
            parts.append("</author>\n")
        if data.get("category"):
            quoted = xml_attr(data["category"])
            parts.append(f"<category term={quoted} label={quoted}></category>\n")
        for tag in data.get("tags") or []:
            quoted = xml_attr(tag)
            parts.append(f"<category term={quoted} label={quoted} scheme={self.tag_scheme}>")
            parts.append("</category>\n")
        if data.get("description"):
            parts.append(element("summary", data["description"]))
        # element("content", body_html(data), type="html"), written out.
        parts.append(f'<content type="html">{xml_text(body_html(data))}</content>\n')
        parts.append("</entry>\n")
        self._write("".join(parts))

    def finish_exporting(self) -> None:
        self._write("</feed>\n")
