"""What a response to an article request really is, before anything is extracted from it.

A server can answer an article URL with something else: an error page with status 200 (a
"soft 404"), a redirect to the home page, a PDF, an empty body, a cookie wall or a bot challenge,
or a page cut short. None of these may become an article. :func:`page_kind` names the case;
:class:`atlantico.middlewares.content_guard.ContentGuardMiddleware` counts and drops them.
Pure: a response in, a name out.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.selector import Selector

from atlantico import urls
from atlantico.extract.page import Page

Kind = Literal[
    "article", "not_html", "empty", "malformed", "soft_404", "soft_404_redirect",
    "interstitial_challenge", "interstitial_cookie",
]  # fmt: skip

HTML_TYPES = ("text/html", "application/xhtml+xml")

# Titles and headings of error pages served with status 200 (French first: the site's language).
SOFT_404_WORDS = re.compile(
    r"page introuvable|page non trouv[ée]e|erreur 404|cette page n.existe (?:pas|plus)"
    r"|page not found|404 not found|^404$",
    re.IGNORECASE,
)
# Bot challenges: the vendors' titles, element ids and script hosts (Cloudflare, DataDome,
# hCaptcha, reCAPTCHA). Read from the title and attributes only, never from article text, so an
# article *about* captchas stays an article.
CHALLENGE_TITLE = re.compile(
    r"just a moment|attention required|un instant|access denied|are you a robot"
    r"|êtes-vous un robot|v[ée]rification (?:de s[ée]curit[ée]|en cours)|captcha",
    re.IGNORECASE,
)
CHALLENGE_MARKUP = re.compile(
    r"challenge-platform|cf-chl|challenge-running|cf-challenge|captcha-delivery|hcaptcha"
    r"|recaptcha|datadome",
    re.IGNORECASE,
)
# Consent walls (Didomi, OneTrust, Sirdata, generic French wording): an interstitial only when
# the page has no article around it (a real page may carry a consent banner too).
COOKIE_WALL = re.compile(
    r"didomi|onetrust|sirdata|accepter et continuer|nous respectons votre vie priv[ée]e"
    r"|consent",
    re.IGNORECASE,
)
# Bytes no HTML page holds: NUL and C0 controls other than tab, newline, carriage return.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# The same test, ten times cheaper than the regex (which tries every position of a 90 KB page):
# deleting every other byte leaves the controls a body holds.
_NOT_BINARY = bytes(byte for byte in range(256) if not BINARY_BYTES.match(bytes([byte])))
# The end of a document: what `b"</body>" in body.lower()` looked for, without copying the body.
DOCUMENT_END = re.compile(rb"</(?:body|html)>", re.IGNORECASE)
# Where a document's end usually is: looked for there first.
TAIL = 4096


def has_binary_bytes(body: bytes) -> bool:
    r"""Whether ``body`` holds a byte of :data:`BINARY_BYTES`.

    >>> has_binary_bytes(b"<p>texte\t\r\n\x0c</p>"), has_binary_bytes(b"<p>\x00</p>")
    (False, True)
    """
    return bool(body.translate(None, _NOT_BINARY))


def has_document_end(body: bytes) -> bool:
    """Whether ``body`` holds ``</body>`` or ``</html>``, in any case.

    >>> has_document_end(b"<html><body>x</BODY>"), has_document_end(b"<html><body>x")
    (True, False)
    """
    return bool(DOCUMENT_END.search(body, max(0, len(body) - TAIL)) or DOCUMENT_END.search(body))


# The attributes that name a challenge vendor, read straight from lxml (strings, no Selector per
# attribute: a page has hundreds of ids).
CHALLENGE_ATTRIBUTES = "//script/@src | //iframe/@src | //@id | //form/@action"
# An <h1> with text inside <body>: then the body has text, and its whole text need not be built.
BODY_HEADING_WITH_TEXT = "boolean(//body//h1[normalize-space()])"


def page_kind(response: Response, requested_url: str | None = None) -> Kind:
    """``"article"`` when the response may hold an article, else what it is instead.

    ``requested_url`` is the URL first asked for (before redirects); a request for an article
    path that lands on a page that is not one is a soft 404.

    >>> from scrapy.http import HtmlResponse
    >>> page = lambda body, url="https://a.fr/article/x/y": HtmlResponse(url, body=body)
    >>> page_kind(page(b"<html><title>Page introuvable</title><body><h1>Oups</h1></body></html>"))
    'soft_404'
    >>> page_kind(page(b"<html><body><h1>Titre</h1><p>Texte</p></body></html>"))
    'article'
    >>> page_kind(page(b"<html><body><h1>Accueil</h1></body></html>", "https://a.fr/"),
    ...           requested_url="https://a.fr/article/x/y")
    'soft_404_redirect'
    """
    return _page_kind(response, requested_url, challenge_checked=False)


ByteKind = Literal["not_html", "empty", "malformed"] | None


def byte_kind(response: Response) -> ByteKind:
    """What the headers and the raw bytes alone say: ``not_html``, ``empty``, ``malformed``
    (binary noise, or a document that never closes: cut short on the way), or None.

    The first half of :func:`page_kind`, for a page whose tree is read elsewhere (a reading
    worker receives the decoded text, not these bytes): a ``malformed`` page that is also a
    bot challenge is still a challenge, decided on the tree. :func:`header_kind` then
    :func:`body_kind`, which a worker can ask itself when it has the page's own bytes.
    """
    return header_kind(response) or body_kind(response.body)


def header_kind(response: Response) -> ByteKind:
    """``not_html`` when the response is not HTML by its class or its Content-Type, else None."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if not isinstance(response, TextResponse) or (
        content_type and not content_type.startswith(HTML_TYPES)
    ):
        return "not_html"
    return None


def body_kind(body: bytes) -> ByteKind:
    """What an HTML page's raw bytes say: ``empty``, ``malformed``, or None.

    >>> body_kind(b" \\n"), body_kind(b"<html>\\x00</html>"), body_kind(b"<html><body>x")
    ('empty', 'malformed', 'malformed')
    >>> body_kind(b"<html><body>x</body></html>") is None
    True
    """
    if not body or body.isspace():  # what `not body.strip()` says, without the copy
        return "empty"
    if has_binary_bytes(body) or not has_document_end(body):
        return "malformed"
    return None


def tree_kind(
    response: TextResponse,
    requested_url: str | None,
    by_bytes: ByteKind,
    selector: Selector | None = None,
    index: Page | None = None,
) -> Kind:
    """:func:`page_kind` given :func:`byte_kind`'s answer ``by_bytes`` for the page's own bytes
    (``response`` may be a copy of its text, as a reading worker has). ``selector``: the page
    already parsed; by default the response's own. ``index``: the extraction's index of that
    page (:class:`~atlantico.extract.page.Page`), which has read what the challenge test
    needs: then the page is not scanned for it."""
    return _page_kind(
        response,
        requested_url,
        challenge_checked=False,
        by_bytes=by_bytes,
        selector=selector,
        index=index,
    )


_NOT_GIVEN: Any = object()


def _page_kind(
    response: Response,
    requested_url: str | None,
    *,
    challenge_checked: bool,
    by_bytes: ByteKind = _NOT_GIVEN,
    selector: Selector | None = None,
    index: Page | None = None,
) -> Kind:
    verdict = byte_kind(response) if by_bytes is _NOT_GIVEN else by_bytes
    if verdict in ("not_html", "empty"):
        return verdict
    assert isinstance(response, TextResponse)  # else not_html
    page = selector if selector is not None else response.selector
    if index is not None and index.root is not page.root:
        index = None  # another tree's
    if not challenge_checked and is_challenge(response, page, index):
        return "interstitial_challenge"
    if verdict == "malformed":
        return verdict
    if index is not None:
        # The first h1, and whether one in <body> has text: from the index's list of h1.
        headings = index.headings
        has_heading = bool(headings)
        with_text = has_heading and any(_BODY_HEADING(h1) for h1 in headings)
    else:
        has_heading = bool(page.xpath("//h1"))
        with_text = has_heading and page.xpath(BODY_HEADING_WITH_TEXT).get() == "1"
    if with_text:
        text = None  # not empty, and the cookie-wall test below needs no heading
    else:
        text = page.xpath("normalize-space(string(//body))").get() or ""
        if not text:
            return "empty"
    if (
        not has_heading
        and text is not None
        and len(text.split()) < 150
        and COOKIE_WALL.search(response.text)
    ):
        return "interstitial_cookie"
    if index is not None:
        title = _first_text(index.titles)
        heading = _first_text(index.headings)
    else:
        title = page.xpath("normalize-space(string(//title))").get() or ""
        heading = page.xpath("normalize-space(string(//h1))").get() or ""
    if SOFT_404_WORDS.search(title) or SOFT_404_WORDS.search(heading):
        return "soft_404"
    if (
        requested_url
        and urls.is_article_path(urlsplit(requested_url).path)
        and not urls.is_article_path(urlsplit(response.url).path)
    ):
        return "soft_404_redirect"
    return "article"


def article_page_kind(response: TextResponse, requested_url: str | None) -> Kind:
    """:func:`page_kind` for a response :func:`is_challenge` has already cleared."""
    return _page_kind(response, requested_url, challenge_checked=True)


def is_challenge(
    response: TextResponse, selector: Selector | None = None, index: Page | None = None
) -> bool:
    """Whether the page is a bot challenge (by its title or the challenge vendor's markup).

    ``index``: the page's :class:`~atlantico.extract.page.Page` (of ``selector``'s tree),
    whose ``vendor_marks`` are the values :data:`CHALLENGE_ATTRIBUTES` selects, in another
    order: no vendor's mark holds a space, so the order of the values joined by spaces does
    not change the answer."""
    page = selector if selector is not None else response.selector
    if index is not None and index.root is page.root:
        if CHALLENGE_TITLE.search(_first_text(index.titles)):
            return True
        return bool(CHALLENGE_MARKUP.search(" ".join(index.vendor_marks)))
    title = page.xpath("normalize-space(string(//title))").get() or ""
    if CHALLENGE_TITLE.search(title):
        return True
    markup = " ".join(page.root.xpath(CHALLENGE_ATTRIBUTES))
    return bool(CHALLENGE_MARKUP.search(markup))


# normalize-space(string(.)) of an element; an h1 with text inside <body>.
_BLANKS = etree.XPath("normalize-space(string(.))", smart_strings=False)
_BODY_HEADING = etree.XPath("boolean(ancestor::body) and normalize-space() != ''")


def _first_text(elements: list[Any]) -> str:
    """``normalize-space(string(//tag))`` given the tag's elements in page order."""
    return _BLANKS(elements[0]) if elements else ""
