"""One parsed article page and the index the field rules look things up in.

One pass over the elements builds three indexes: the lower-cased ``class`` + ``id`` of every
element that has them (so that class *fragments* match whatever their case or hashing:
``RelatedArticle_x7f``, ``article-body``, ``Paywall_container__x7Kq2``), the microdata and RDFa
property tokens (``itemprop="headline"``, ``property="dc:date dc:created"``), and the elements
that stand outside the article (navigation, sidebars, footers, the site header): a date, an
author or a kicker found there belongs to another article or to the page's chrome.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lxml.html import HtmlElement
from scrapy.selector import Selector

from atlantico.hygiene import clean_text

# Elements whose content is never text of the page.
NON_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})
# Elements whose boundary separates words (a <br> is a space, a block is a space).
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "form",
        "hr",
        "address",
        "details",
        "summary",
    ]
)
# Class/id fragments of a site's chrome, outside the article even when not in <nav>/<aside>.
CHROME_FRAGMENTS = (
    "site-header", "siteheader", "masthead", "main-nav", "mainnav", "navbar", "menu",
    "site-footer", "sitefooter", "most-read", "mostread", "plus-lus", "pluslus", "sidebar",
    "breadcrumb", "cookie", "consent", "header-date", "date-du-jour", "today",
)  # fmt: skip


def element_text(el: Any) -> str:
    """The text of an element as a reader sees it: ``<br>`` and block boundaries are spaces,
    scripts and styles are not text. Not cleaned (see :func:`atlantico.hygiene.clean_text`).
    """
    parts: list[str] = []
    _walk_text(el, parts, top=True)
    return "".join(parts)


def _walk_text(el: Any, parts: list[str], top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None:  # comment or processing instruction: only its tail is text
        if not top and el.tail:
            parts.append(el.tail)
        return
    tag = tag.lower()
    if tag in NON_TEXT_TAGS:
        if not top and el.tail:
            parts.append(el.tail)
        return
    if tag == "br" or tag in BLOCK_TAGS:
        parts.append(" ")
    if el.text and tag != "br":
        parts.append(el.text)
    for child in el:
        _walk_text(child, parts)
    if tag in BLOCK_TAGS:
        parts.append(" ")
    if not top and el.tail:
        parts.append(el.tail)


def text(el: Any) -> str | None:
    """The clean text of an element, ``None`` when it has none (never its markup)."""
    return clean_text(element_text(el))


class Page:
    """A parsed page: its parsel selector, lxml root, and the indexes described above."""

    def __init__(self, selector: Selector, url: str) -> None:
        self.sel = selector
        self.url = url
        self.root: HtmlElement = selector.root
        # (element, "lower-cased class and id") in document order.
        self.classed: list[tuple[Any, str]] = []
        # property token → elements ("headline", "schema:headline", "dc:created"…).
        self.props: dict[str, list[Any]] = {}
        self.chrome: set[Any] = set()
        self.scripts_ld: list[str] = []
        self.has_microdata = False
        self.has_rdfa = False
        self._index()

    def _index(self) -> None:
        chrome_roots = []
        for el in self.root.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            attrib = el.attrib
            if tag == "script":
                if "ld+json" in (attrib.get("type") or "").lower():
                    self.scripts_ld.append(el.text or "")
                continue
            names = attrib.get("class")
            ident = attrib.get("id")
            if names or ident:
                key = f"{names or ''} #{ident or ''}".lower()
                self.classed.append((el, key))
                if any(fragment in key for fragment in CHROME_FRAGMENTS):
                    chrome_roots.append(el)
            for attr in ("itemprop", "property", "rel"):
                value = attrib.get(attr)
                if value:
                    if attr == "itemprop":
                        self.has_microdata = True
                    elif attr == "property" and tag != "meta":
                        self.has_rdfa = True
                    for token in value.split():
                        token = token.lower()
                        self.props.setdefault(token, []).append(el)
                        if ":" in token:
                            self.props.setdefault(token.split(":", 1)[1], []).append(el)
            if tag in ("nav", "aside", "footer") or (
                tag == "header" and not _has_ancestor(el, "article")
            ):
                chrome_roots.append(el)
        for root in chrome_roots:
            if root.tag == "header" and root.xpath(".//h1"):
                continue  # a header that holds the article's title is the article's header
            self.chrome.add(root)

    # -- lookups --------------------------------------------------------------------------

    def outside(self, el: Any) -> bool:
        """Whether an element stands in the page's chrome (nav, sidebar, footer, site header)."""
        node = el
        while node is not None:
            if node in self.chrome:
                return True
            node = node.getparent()
        return False

    def by_fragment(
        self, fragments: Iterable[str], *, inside: bool = True, within: Any = None
    ) -> list[Any]:
        """Elements whose class or id holds one of ``fragments`` (lower case), in page order;
        by default not those in the chrome. ``=name`` matches one whole class token."""
        plain = tuple(f for f in fragments if not f.startswith("="))
        exact = frozenset(f[1:] for f in fragments if f.startswith("="))
        found = []
        for el, key in self.classed:
            if any(f in key for f in plain) or (exact and exact & set(key.split())):
                if within is not None and not _is_descendant(el, within):
                    continue
                if inside and self.outside(el):
                    continue
                found.append(el)
        return found

    def prop(self, *names: str, inside: bool = True) -> list[Any]:
        """Elements carrying one of these microdata/RDFa property names, in page order."""
        found: list[Any] = []
        for name in names:
            found.extend(self.props.get(name.lower(), ()))
        if len(names) > 1:
            order = {el: i for i, el in enumerate(self.root.iter())} if len(found) > 1 else {}
            found = sorted(set(found), key=lambda el: order.get(el, 0))
        return [el for el in found if not (inside and self.outside(el))]

    def xpath(self, query: str) -> list[Any]:
        return [el for el in self.root.xpath(query) if not self.outside(el)]

    def h1(self) -> Any:
        for el in self.root.iter("h1"):
            if not self.outside(el) and text(el):
                return el
        return None


def prop_value(el: Any) -> str | None:
    """The value of a microdata/RDFa property element: ``content``, ``datetime``, else text."""
    for attr in ("content", "datetime"):
        value = el.attrib.get(attr)
        if value and value.strip():
            return value
    return element_text(el)


def _has_ancestor(el: Any, tag: str) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag == tag:
            return True
        node = node.getparent()
    return False


def _is_descendant(el: Any, ancestor: Any) -> bool:
    node = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def ancestors(el: Any) -> Iterator[Any]:
    node = el.getparent()
    while node is not None:
        yield node
        node = node.getparent()


def parse(html: str | bytes, url: str) -> Selector:
    """A parsel selector for raw HTML (bytes decoded as UTF-8, the site's charset)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    return Selector(text=html, type="html", base_url=url)


__all__ = ["Page", "element_text", "parse", "prop_value", "text"]
