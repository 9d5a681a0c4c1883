"""One parsed article page and the index the field rules look things up in.

One pass over the elements builds three indexes: the lower-cased ``class`` + ``id`` of every
element that has them (so that class *fragments* match whatever their case or hashing:
``RelatedArticle_x7f``, ``article-body``, ``Paywall_container__x7Kq2``), the microdata and RDFa
property tokens (``itemprop="headline"``, ``property="dc:date dc:created"``), and the elements
that stand outside the article (navigation, sidebars, footers, the site header): a date, an
author or a kicker found there belongs to another article or to the page's chrome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml.html import HtmlElement
from scrapy.http import TextResponse
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

    def __init__(self, selector: Selector, url: str, html: str | bytes | None = None) -> None:
        self.sel = selector
        self.url = url
        # The page's source (for cheap substring checks before a scan of the tree, see
        # :meth:`mentions`): its text, or that text encoded to UTF-8 (a reading worker's).
        self.html: str | bytes = html if html is not None else str(selector.get())
        self.root: HtmlElement = selector.root
        # (element, "lower-cased class and id") in document order.
        self.classed: list[tuple[Any, str]] = []
        # property token → elements ("headline", "schema:headline", "dc:created"…).
        self.props: dict[str, list[Any]] = {}
        self.chrome: set[Any] = set()
        self.scripts_ld: list[str] = []
        self.has_microdata = False
        self.has_rdfa = False
        self._outside: dict[Any, bool] = {}
        self._h1: Any = False
        # Meta tags by name or property ("og:title", "description"), links by rel
        # ("link:canonical"), and "title": the head read once.
        self.meta: dict[str, list[str]] = {}
        # For the pager of a multi-page article (atlantico.discovery.parts): the links with
        # an ``href``, the elements with a ``rel``, the ``li`` whose class names a pager's
        # next link, and the ``nav``, ``aside``, ``footer`` and ``header`` elements.
        self.links: list[Any] = []
        self.rels: list[Any] = []
        self.pagers: list[Any] = []
        self.landmarks: list[Any] = []
        # For telling a bot challenge (atlantico.extract.page_kind): every non-empty ``id``,
        # script and iframe ``src`` and form ``action`` of the page.
        self.vendor_marks: list[str] = []
        # The title and h1 elements, in page order.
        self.titles: list[Any] = []
        self.headings: list[Any] = []
        # The elements of the tags the field rules look for all over the page.
        self._tagged: dict[str, list[Any]] = {tag: [] for tag in TAGGED}
        self._index()

    def _index(self) -> None:
        # One pass in document order; most elements of a page carry no attribute at all, or
        # only an ``href``, and cost a C call (``keys()``) and a look at each attribute's name.
        chrome_roots = []
        props = self.props
        classed = self.classed
        links = self.links
        landmarks = self.landmarks
        special = _SPECIAL_TAGS
        for el in self.root.iter():
            tag = el.tag
            keys = el.keys()  # none for a comment or a processing instruction
            role = special.get(tag)
            if role is not None:
                if role == "a":
                    if "href" in keys:
                        links.append(el)
                        if len(keys) == 1:
                            continue
                elif role == "head":
                    self._head_tag(el, tag)
                    if tag == "script":
                        continue
                elif role == "h1":
                    self.headings.append(el)
                elif role == "tagged":
                    self._tagged[tag].append(el)
                elif role == "mark":
                    value = el.get("src" if tag == "iframe" else "action")
                    if value:
                        self.vendor_marks.append(value)
                else:
                    chrome_roots.append(el)
                    landmarks.append(el)
            if not keys or tag.__class__ is not str:
                continue
            named = False
            for attr in keys:
                if attr not in _INDEXED:
                    continue
                if attr == "class" or attr == "id":
                    named = True
                    continue
                value = el.get(attr)
                if not value:
                    continue
                if attr == "itemprop":
                    self.has_microdata = True
                elif attr == "property":
                    if tag != "meta":
                        self.has_rdfa = True
                else:  # rel
                    self.rels.append(el)
                for token in value.split():
                    token = token.lower()
                    props.setdefault(token, []).append(el)
                    if ":" in token:
                        props.setdefault(token.split(":", 1)[1], []).append(el)
            if named:
                names = el.get("class")
                ident = el.get("id")
                if ident:
                    self.vendor_marks.append(ident)
                if names or ident:
                    key = f"{names or ''} #{ident or ''}".lower()
                    classed.append((el, key))
                    if _CHROME.search(key) or key.endswith(" #header"):
                        chrome_roots.append(el)
                    if tag == "li" and names and "pager-next" in names:
                        self.pagers.append(el)
        for el in chrome_roots:
            if el.tag == "header" and (
                _has_ancestor(el, "article") or el.find(".//h1") is not None
            ):
                continue  # a header that holds the article's title is the article's header
            self.chrome.add(el)

    def _head_tag(self, el: Any, tag: str) -> None:
        if tag == "script":
            if "ld+json" in (el.get("type") or "").lower():
                self.scripts_ld.append(el.text or "")
            for attr in ("src", "id"):
                value = el.get(attr)
                if value:
                    self.vendor_marks.append(value)
        elif tag == "title":
            self.meta.setdefault("title", []).append(el.text or "")
            self.titles.append(el)
        elif tag == "link":
            href = el.get("href")
            if href:
                for rel in (el.get("rel") or "").lower().split():
                    self.meta.setdefault(f"link:{rel}", []).append(href)
        elif tag == "meta":
            content = el.get("content")
            if content is not None:
                for attr in ("property", "name", "itemprop"):
                    key = el.get(attr)
                    if key:
                        self.meta.setdefault(key.strip().lower(), []).append(content)

    # -- lookups --------------------------------------------------------------------------

    def elements(self, tag: str) -> list[Any]:
        """The page's elements of a tag of :data:`TAGGED`, in page order (``root.iter(tag)``
        without a walk over the whole tree)."""
        return self._tagged[tag]

    def mentions(self, needle: str) -> bool:
        """Whether the page's source holds ``needle``: the same answer on its text and on its
        UTF-8 bytes (a character sequence is found in UTF-8 exactly where it is in the text).

        >>> page = Page(parse("<p>Thématiques</p>", "u"), "u", "<p>Thématiques</p>".encode())
        >>> page.mentions("Thématiques"), page.mentions("Thé matiques")
        (True, False)
        """
        html = self.html
        if isinstance(html, bytes):
            return needle.encode("utf-8") in html
        return needle in html

    def outside(self, el: Any) -> bool:
        """Whether an element stands in the page's chrome (nav, sidebar, footer, site header)."""
        chain = []
        node = el
        verdict = False
        while node is not None:
            known = self._outside.get(node)
            if known is not None:
                verdict = known
                break
            chain.append(node)
            if node in self.chrome:
                verdict = True
                break
            node = node.getparent()
        for seen in chain:
            self._outside[seen] = verdict
        return verdict

    def by_fragment(
        self, fragments: Iterable[str], *, inside: bool = True, within: Any = None
    ) -> list[Any]:
        """Elements whose class or id holds one of ``fragments`` (lower case), in page order;
        by default not those in the chrome. ``=name`` matches one whole class token."""
        fragments = tuple(fragments)
        plain, exact = _matcher(fragments)
        found = []
        for el, key in self.classed:
            if (plain is not None and plain.search(key)) or (exact and exact & set(key.split())):
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

    def meta_value(self, *keys: str) -> str | None:
        """The first meta value for one of ``keys`` (in that order), else ``None``."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value and value.strip():
                    return value
        return None

    def meta_values(self, *keys: str) -> list[str]:
        return [v for key in keys for v in self.meta.get(key, ()) if v and v.strip()]

    def xpath(self, query: str) -> list[Any]:
        return [el for el in self.root.xpath(query) if not self.outside(el)]

    def h1(self) -> Any:
        """The article's title element: an ``h1`` outside the chrome that is not the site's
        logo (a link home, the site's name); the one the ``<title>`` names when there are
        several (a second ``h1`` in a body, a logo in a header that is not ``<header>``)."""
        if self._h1 is not False:
            return self._h1
        title = (clean_text(self.meta_value("title") or "") or "").casefold()
        found = []
        for el in self.headings:
            value = text(el)
            if not value or self.outside(el) or _is_logo(el, value):
                continue
            found.append((el, value))
        self._h1 = found[0][0] if found else None
        if len(found) > 1 and title:
            for el, value in found:
                if value.casefold()[:40] in title:
                    self._h1 = el
                    break
        return self._h1


_HEAD_TAGS = frozenset({"script", "meta", "link", "title"})
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "header"})
# The tags whose elements the index lists (Page.elements).
TAGGED = ("article", "main", "time", "figure")
# The tags the index looks at by name.
_SPECIAL_TAGS = {
    "a": "a",
    **dict.fromkeys(_HEAD_TAGS, "head"),
    **dict.fromkeys(_CHROME_TAGS, "chrome"),
    "h1": "h1",
    **dict.fromkeys(TAGGED, "tagged"),
    "iframe": "mark",
    "form": "mark",
}
# The attributes the index reads.
_INDEXED = frozenset({"class", "id", "itemprop", "property", "rel"})
_CHROME = re.compile("|".join(re.escape(f) for f in CHROME_FRAGMENTS))


@lru_cache(maxsize=256)
def _matcher(fragments: tuple[str, ...]) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    plain = [re.escape(f) for f in fragments if not f.startswith("=")]
    exact = frozenset(f[1:] for f in fragments if f.startswith("="))
    return (re.compile("|".join(plain)) if plain else None), exact


# The site's own name, as its logo prints it.
SITE_NAMES = frozenset({"atlantico", "atlantico.fr"})


def _is_logo(el: Any, value: str) -> bool:
    if value.casefold() in SITE_NAMES:
        return True
    links = el.findall(".//a")
    return len(links) == 1 and (links[0].get("href") or "").strip() in ("/", "./", "#")


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
    """A selector for raw HTML (bytes decoded as UTF-8, the site's charset).

    The tree is the one parsel would build (the same libxml2 parser and options, the same
    clean-up of the text), made of plain lxml elements instead of ``lxml.html`` ones: those
    look their Python class up in Python for every element the extraction touches, about a
    tenth of the time of reading a page. Nothing here uses their extra methods.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    return _parsed(html.strip().replace("\x00", "").encode("utf-8"), url)


def parse_encoded(data: bytes, url: str) -> Selector:
    r""":func:`parse` for ``data`` that is a text encoded to UTF-8 (what a reading worker
    receives): the same tree, without decoding the text and encoding it again when the bytes
    are already what the parser is fed (no NUL, nothing for ``str.strip`` to take off but
    ASCII spaces: nearly every page).

    >>> page = "  <html><body><p>\u00a0Été</p></body></html>\n"
    >>> tostring = lambda sel: etree.tostring(sel.root, encoding="unicode")
    >>> tostring(parse_encoded(page.encode(), "u")) == tostring(parse(page, "u"))
    True
    """
    if b"\x00" not in data:
        core = data.strip(_ASCII_SPACES)
        # An ASCII character at either end: no Unicode space (U+00A0, U+3000…) is left there.
        if core and core[0] < 0x80 and core[-1] < 0x80:
            return _parsed(core, url)
    return parse(data.decode("utf-8"), url)


# The ASCII characters ``str.strip()`` takes off (``str.isspace``).
_ASCII_SPACES = bytes(c for c in range(128) if chr(c).isspace())


def _parsed(data: bytes, url: str) -> Selector:
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    data = data or b"<html/>"
    try:
        root = etree.fromstring(data, parser=parser, base_url=url)
    except etree.XMLSyntaxError:
        root = None
    if root is None:  # nothing parsel would read either: an empty document
        root = etree.fromstring(b"<html/>", parser=parser, base_url=url)
    return Selector(root=root, type="html", base_url=url)


def tree_of(response: TextResponse) -> Selector:
    """The parsed page of ``response``: Scrapy's selector if something built it already (a
    middleware, the shell), else the cheaper tree of :func:`parse`, not cached on the response.

    Scrapy keeps the selector it builds in a private attribute, the same since Scrapy 1.0
    (``tests/test_reading.py`` says if it changes); reading it here avoids a second parse.
    """
    cached = getattr(response, "_cached_selector", None)
    if cached is not None:
        return cached
    return parse(response.text, response.url)


__all__ = ["Page", "element_text", "parse", "parse_encoded", "prop_value", "text", "tree_of"]
