"""Whether a static page needs a browser: the two tests of ``ATLANTICO_RENDER=auto``.

Rendering costs 20 to 30 times a plain request, so a page goes to the browser only when its
static HTML fails one clear test:

``load_more``   a listing page (not an article URL) with a "voir plus"-style control that is
                not a link, and no next-page link: the rest of the listing exists only after
                clicks (SITE.md §2: a "load more" button calling an API is one of the
                possible paginations).
``client_app``  an article URL whose static HTML has no body text and no JSON-LD Article
                node, while it carries a client-side application marker (a hydration JSON
                such as ``__NEXT_DATA__``, or an empty application root): the body is built
                in the browser (SITE.md §1: a React front end; hydration JSON [unknown]).

Pure functions of a response, like the rest of :mod:`atlantico.extract`.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.selector import Selector

from atlantico import urls
from atlantico.extract import jsonld
from atlantico.extract import selectors as css
from atlantico.extract.listing import next_page
from atlantico.processors import clean_text

LOAD_MORE = "load_more"
CLIENT_APP = "client_app"

# Controls that load more cards without leaving the page: buttons, ARIA buttons and links that
# go nowhere. A real <a href> saying "voir plus" is a next-page link and is followed instead.
LOAD_MORE_CONTROLS = "button, [role=button], a:not([href]), a[href='#'], a[href^='javascript']"
# The same elements as one XPath, in document order as the CSS gives them: cssselect writes
# [role=button] as a test of every element's attributes, and each of the five selectors as its
# own walk of the page; here three walks, the role attributes read directly (about 0.45 against
# 0.8 ms on a 90 KB listing page). tests/test_rendering_same.py compares the two.
LOAD_MORE_XPATH = (
    "descendant-or-self::button"
    " | descendant-or-self::a[not(@href) or @href = '#' or starts-with(@href, 'javascript')]"
    " | descendant-or-self::*/@role[. = 'button']/.."
)
# Their words (French first: the site is French; the English ones cost nothing).
LOAD_MORE_TEXT = re.compile(
    r"\b(?:voir|afficher|charger) plus\b|\bplus d[’']articles\b|\bplus de résultats\b"
    r"|\barticles suivants\b|\b(?:load|show) more\b",
    re.IGNORECASE,
)
# Client-side application markers: hydration JSON of Next.js, Nuxt and Redux-style stores, and
# the empty roots the usual front-end frameworks mount into. The live site's own marker is
# [unknown] (SITE.md §6); the replica's scripted article uses __NEXT_DATA__.
APP_DATA_SCRIPTS = (
    "//script[@id='__NEXT_DATA__' or @id='__NUXT_DATA__']"
    " | //script[contains(., 'window.__NUXT__') or contains(., '__INITIAL_STATE__')"
    " or contains(., '__PRELOADED_STATE__') or contains(., '__APOLLO_STATE__')]"
)
EMPTY_APP_ROOT = (
    "//div[@id='__next' or @id='__nuxt' or @id='root' or @id='app'][not(normalize-space(.))]"
)


def load_more_control(response: TextResponse) -> str | None:
    """The text of the first "voir plus"-style control that is not a link, if any.

    >>> from scrapy.http import HtmlResponse
    >>> page = lambda html: HtmlResponse("https://x/l", body=html.encode(), encoding="utf-8")
    >>> load_more_control(page('<main><button type="button">Voir plus</button></main>'))
    'Voir plus'
    >>> load_more_control(page('<a href="/l?page=2">Voir plus</a>')) is None
    True
    """
    for control in response.xpath(LOAD_MORE_XPATH):
        text = clean_text(" ".join(control.xpath(".//text()").getall()))
        if text and LOAD_MORE_TEXT.search(text):
            return text
    return None


def has_body(page: TextResponse | Selector) -> bool:
    """Whether any body container of :mod:`~atlantico.extract.selectors` holds text."""
    for selector, _source in css.BODY_CONTAINERS:
        for container in page.css(selector):
            root = container.root
            if FAST_BODY_BLOCKS and isinstance(root, etree._Element):
                if _has_text_block(root):
                    return True
                continue
            blocks = container.xpath(css.BODY_BLOCKS)
            if any(clean_text(" ".join(b.xpath(".//text()").getall())) for b in blocks):
                return True
    return False


# css.BODY_BLOCKS as Python over lxml elements, for has_body: stopping at the first block with
# text instead of listing every block (the XPath's ancestor tests on each element of the body
# cost about 0.4 ms per article page). Used only while css.BODY_BLOCKS is the expression below;
# a changed selector falls back to the XPath (and tests/test_rendering_same.py says so).
IMPLEMENTED_BODY_BLOCKS = (
    ".//*[self::p or self::h2 or self::h3 or self::h4 or self::li"
    " or self::blockquote[not(.//p)]]"
    "[not(ancestor-or-self::*[contains(@class, 'read-also') or contains(@class, 'lire-aussi')"
    " or contains(@class, 'related') or contains(@class, 'aywall')"
    " or contains(@class, 'newsletter')"
    " or contains(@class, 'author-card')]"
    " or ancestor-or-self::aside or ancestor-or-self::figure or ancestor-or-self::script"
    " or ancestor-or-self::style or ancestor-or-self::nav)]"
)
FAST_BODY_BLOCKS = css.BODY_BLOCKS == IMPLEMENTED_BODY_BLOCKS
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote")
_EXCLUDED_CLASSES = ("read-also", "lire-aussi", "related", "aywall", "newsletter", "author-card")
_EXCLUDED_TAGS = frozenset({"aside", "figure", "script", "style", "nav"})


def _has_text_block(container: etree._Element) -> bool:
    for block in container.iterdescendants(*_BLOCK_TAGS):
        if block.tag == "blockquote" and next(block.iterdescendants("p"), None) is not None:
            continue
        if _excluded(block):
            continue
        if clean_text(" ".join(block.xpath(".//text()"))):
            return True
    return False


def _excluded(element: etree._Element | None) -> bool:
    """Whether the element or an ancestor is one of the excluded blocks of css.BODY_BLOCKS."""
    while element is not None:
        if element.tag in _EXCLUDED_TAGS:
            return True
        classes = element.get("class")
        if classes and any(name in classes for name in _EXCLUDED_CLASSES):
            return True
        element = element.getparent()
    return False


def has_app_marker(page: TextResponse | Selector) -> bool:
    return bool(page.xpath(APP_DATA_SCRIPTS) or page.xpath(EMPTY_APP_ROOT))


def is_client_app(page: TextResponse | Selector) -> bool:
    """The :data:`CLIENT_APP` test of an article page, parsed: no body text, an application
    marker, and no JSON-LD Article node to read instead. A reading worker asks it of the tree
    it has built (``ATLANTICO_RENDER=auto`` with workers, see :mod:`atlantico.reading`)."""
    if has_body(page) or not has_app_marker(page):
        return False
    node, _broken = jsonld.find_article_node(page.css(css.JSONLD).getall())
    return node is None


# What the raw text of a page must hold for has_app_marker to be true, read without parsing:
# the script words of APP_DATA_SCRIPTS as written (a script's text is not decoded by the HTML
# parser), or an attribute value that is one of the ids of APP_DATA_SCRIPTS/EMPTY_APP_ROOT:
# written out (``__`` covers the four that start with it) or with a character reference where
# one of their letters is (``id="&#97;pp"`` is ``app``). The parser drops NUL characters, so
# they are dropped first. Any element, any attribute, comments included: a page that holds one
# of these where the XPath does not look goes on to the full test, which answers as before.
APP_SCRIPT_WORDS = re.compile(r"__(?:NUXT__|INITIAL_STATE__|PRELOADED_STATE__|APOLLO_STATE__)")
# The same words in the page's bytes, where each ASCII character of the text is its own byte
# (see :func:`_ascii_bytes`): one byte a character scans in about 60 % of the time of the text.
APP_SCRIPT_BYTES = re.compile(APP_SCRIPT_WORDS.pattern.encode("ascii"))
# The value an id must start with, as one regex: ``=\s*["']?`` then ``__``, ``_&`` or ``&``,
# ``r&``, ``ro&``, ``roo&``, ``a&``, ``ap&``, or ``root``/``app`` that end there. Written with
# possessive repeats (what follows them never starts with a space or a quote, so giving one back
# never helps) and the branches grouped by their first letter: a page's hundreds of ``=`` are
# each ruled out in about 70 % of the time of the plain alternation, for the same matches
# (tests/test_render_pretest.py compares it with that one).
APP_ID_VALUE = re.compile(
    r"""=\s*+["']?+(?:_[_&]|&|r(?:o{0,2}&|oot(?:[\s"'>]|$))|a(?:p?&|pp(?:[\s"'>]|$)))"""
)
# An application root that holds text is not empty: ``<div id="__next">`` right after a tag,
# then only start tags with plain attributes (no script, no end tag, no comment, no reference)
# and a character of text. Front ends that render on the server wrap the whole page so; an id
# value found inside such a root (the root's own included) is passed over.
ROOT_WITH_TEXT = re.compile(
    r"""<div\s+id=(?:"(?:__next|__nuxt|root|app)"|'(?:__next|__nuxt|root|app)')>"""
    r"""(?:\s*<(?!script\b)[a-z][a-z0-9]*(?:\s+[a-z][a-z-]*="[^"<>&]*")*>)*\s*[^\s<>&="']"""
)
# Encodings in which a NUL character of the text is a NUL byte of the body.
NUL_AS_BYTE = frozenset({"utf-8", "ascii", "cp1252", "iso8859-1", "iso8859-15"})


def may_have_app_marker(text: str, nul_free: bool = False, body: bytes | None = None) -> bool:
    """False when no application marker of :func:`has_app_marker` can be in this HTML text.

    ``nul_free``: the caller knows that the text holds no NUL character. ``body``: the bytes
    the text was decoded from, given when each ASCII character of the text is one byte of
    them and every ASCII byte one character (:func:`_ascii_bytes`): the script words, all
    ASCII, are then looked for there, with the same answer.

    >>> may_have_app_marker('<div id="content"><p>Texte</p></div>')
    False
    >>> may_have_app_marker('<body><div id="__next"><header><a href="/">Site</a>')
    False
    >>> may_have_app_marker('<div id="&#97;pp"></div>'), may_have_app_marker("<p>__NUXT__</p>")
    (True, True)
    """
    if not nul_free and "\x00" in text:
        text = text.replace("\x00", "")
        body = None  # the words are looked for without the NUL characters
    if APP_SCRIPT_BYTES.search(body) if body is not None else APP_SCRIPT_WORDS.search(text):
        return True
    found = APP_ID_VALUE.search(text)
    while found is not None:
        tag = text.rfind("<", 0, found.start())
        root = ROOT_WITH_TEXT.match(text, tag) if tag > 0 else None
        if root is None or root.end() <= found.start() or not _after_a_tag(text, tag):
            return True
        found = APP_ID_VALUE.search(text, root.end())
    return False


def _after_a_tag(text: str, position: int) -> bool:
    """Whether only HTML whitespace stands between the previous ``>`` and ``position``."""
    position -= 1
    while position >= 0 and text[position] in " \t\n\r\f":
        position -= 1
    return position >= 0 and text[position] == ">"


def _nul_free(response: TextResponse) -> bool:
    """Whether the text of the response has no NUL character, told from its body when cheaper."""
    try:
        by_byte = codecs.lookup(response.encoding).name in NUL_AS_BYTE
    except LookupError:
        by_byte = False
    return b"\x00" not in response.body if by_byte else "\x00" not in response.text


# Byte-order marks that make Scrapy (w3lib) decode a body as UTF-16 or UTF-32, whatever its
# encoding says.
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _ascii_bytes(response: TextResponse) -> bool:
    """Whether every ASCII character of the response's text is one byte of its body, in the
    same order, and every ASCII byte of the body one of its characters: true of the encodings
    of :data:`NUL_AS_BYTE` (UTF-8 and the 8-bit ones: other bytes, replaced or not, are never
    ASCII characters), unless a byte-order mark makes the body decode as UTF-16 or 32."""
    try:
        if codecs.lookup(response.encoding).name not in NUL_AS_BYTE:
            return False
    except LookupError:
        return False
    return not response.body.startswith(WIDE_BOMS)


def render_reason(response: TextResponse) -> str | None:
    """Why this static page needs a browser (:data:`LOAD_MORE`, :data:`CLIENT_APP`), or None.

    >>> from scrapy.http import HtmlResponse
    >>> page = lambda url, html: HtmlResponse(url, body=html.encode(), encoding="utf-8")
    >>> render_reason(page("https://x/categorie/high-tech",
    ...     '<main><article><a href="/article/decryptage/a">A</a></article>'
    ...     '<button>Voir plus</button></main>'))
    'load_more'
    >>> render_reason(page("https://x/article/decryptage/a",
    ...     '<div class="rich-content__text"></div><script id="__NEXT_DATA__">{}</script>'))
    'client_app'
    >>> render_reason(page("https://x/article/decryptage/a",
    ...     '<div class="rich-content__text"><p>Texte.</p></div>'
    ...     '<script id="__NEXT_DATA__">{}</script>')) is None
    True
    """
    if urls.is_article_path(urlsplit(response.url).path):
        # Most article pages carry no application marker at all: answered from the text,
        # without parsing the page (only HTML: an XML parse decodes script text too).
        if isinstance(response, HtmlResponse) and not isinstance(response, XmlResponse):
            body = response.body if _ascii_bytes(response) else None
            nul_free = b"\x00" not in body if body is not None else _nul_free(response)
            if not may_have_app_marker(response.text, nul_free, body if nul_free else None):
                return None
        return CLIENT_APP if is_client_app(response) else None
    if load_more_control(response) and next_page(response)[0] is None:
        return LOAD_MORE
    return None
