"""Home and listing pages: section links by label, article links, the next page.

Listing URLs, card markup and pagination of the live site are [unknown] (SITE.md §2), so each
function tries several layers and reports which one answered, for the stats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from atlantico import urls
from atlantico.dates import parse_date
from atlantico.extract import selectors as css
from atlantico.processors import clean_text


def label_key(text: str | None) -> str:
    """A navigation label compared without case, accents, spacing or hyphens.

    Menus print one label many ways: ``High-tech``, ``HIGH-TECH``, ``High Tech``, ``High‑tech``
    (a non-breaking hyphen), ``High - tech`` split over nested elements.

    >>> label_key(" Décryptages\u00a0") == label_key("DECRYPTAGES")
    True
    >>> len({label_key(t) for t in ("High-tech", "HIGH TECH", "High\u2011tech", "High - Tech")})
    1
    """
    cleaned = clean_text(text) or ""
    decomposed = unicodedata.normalize("NFKD", cleaned.casefold())
    return "".join(
        c for c in decomposed if not unicodedata.combining(c) and c not in _LABEL_SPACING
    )


# Characters a label may carry or not without being another label: spaces and dashes.
_LABEL_SPACING = frozenset(" -\u2010\u2011\u2012\u2013\u2014_")


# Where a section link is looked for, best first. Sites put their sections in many menus: the
# header's main navigation, a burger or drawer menu, a "Thématiques"/category menu, a
# mega-menu, the footer; an article page prints its category as a link above the image
# (SITE.md §3: "High-tech" on a High-tech article). Any of them is trusted over a link with
# the same label in the body (a card, an inline link).
_MENU_WORDS = ("nav", "menu", "burger", "drawer", "mega", "thematique", "categor", "rubrique",
               "footer", "header")  # fmt: skip
SECTION_LINK_PLACES = (
    # 0: links inside navigation elements, or elements whose class/id names a menu.
    "//a[@href][ancestor::nav or ancestor::header or ancestor::footer"
    " or ancestor::*[@role='navigation' or @role='menu' or @role='menubar']"
    + "".join(
        # Not <body>/<html>: a page-wide class ("has-mega-menu") would rank every link first.
        f" or ancestor-or-self::*[not(self::body or self::html)]"
        f"[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        f"'abcdefghijklmnopqrstuvwxyz'), '{word}') or contains(@id, '{word}')]"
        for word in _MENU_WORDS
    )
    + "]",
    # 1: every other link of the page.
    css.ALL_LINKS,
)
# First path segments that are never a section listing, whatever their label says: a tag page
# (`/tag/high-tech`), an author, a newsletter sign-up, search, account and subscription pages.
DECOY_SEGMENTS = frozenset(
    {"tag", "tags", "mot-cle", "mots-cles", "author", "auteur", "auteurs", "newsletter",
     "newsletters", "recherche", "search", "mon-compte", "compte", "login", "connexion",
     "abonnement", "abonnements", "abonnez-vous", "rss", "podcast-rss"}
)  # fmt: skip


def _link_label(link: Selector) -> str:
    """The words a link shows: its text (nested elements joined), else its title/aria-label."""
    text = " ".join(link.xpath(".//text()").getall())
    if label_key(text):
        return text
    return link.attrib.get("aria-label") or link.attrib.get("title") or ""


def is_section_target(url: str, site_host: str | None) -> bool:
    """Whether a link target can be a section listing: on the site, not home, not a decoy.

    >>> is_section_target("https://atlantico.fr/categorie/high-tech", "atlantico.fr")
    True
    >>> [is_section_target(f"https://atlantico.fr{p}", "atlantico.fr") for p in
    ...  ("/tag/high-tech", "/newsletter/high-tech", "/author/x-12", "/article/decryptage/x", "/")]
    [False, False, False, False, False]
    >>> is_section_target("https://elsewhere.example/high-tech", "atlantico.fr")
    False
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return False
    if site_host and urls.host_key(parts.netloc) != urls.host_key(site_host):
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments and not parts.query:
        return False
    if segments and segments[0].lower() in DECOY_SEGMENTS:
        return False
    return not urls.is_article_path(parts.path)


def find_section_links(
    response: TextResponse, labels: dict[str, str], site_host: str | None = None
) -> dict[str, str]:
    """Section key → absolute URL of the link whose words are the section's label.

    Every menu of the page is searched first (navigation, header, burger, "Thématiques",
    mega-menu, footer, an article's category link), then every other link. Labels compare
    without case, accents or spacing (non-breaking spaces, text split over nested elements).
    A link whose target is a tag, author, newsletter or article page is a decoy, never a
    section, whatever it says. ``site_host`` (default: the page's host) rejects other sites.
    """
    host = site_host or urlsplit(response.url).netloc
    wanted = {label_key(label): key for key, label in labels.items()}
    found: dict[str, str] = {}
    for xpath in SECTION_LINK_PLACES:
        for link in response.xpath(xpath):
            key = wanted.get(label_key(_link_label(link)))
            href = (link.attrib.get("href") or "").strip()
            if not key or key in found or not href or href.startswith(("#", "javascript:")):
                continue
            url = response.urljoin(href)
            if is_section_target(url, host):
                found[key] = url
        if len(found) == len(wanted):
            break
    return found


@dataclass(frozen=True)
class ListedArticle:
    url: str
    """Absolute URL as linked (not yet canonicalised)."""
    date: datetime | None
    """The date printed on the card, when the card has a machine-readable one."""


def _links(response: TextResponse, xpath: str) -> list[Selector] | list[etree._Element]:
    """What ``response.xpath(xpath)`` selects: the lxml elements themselves when the page has
    an lxml tree (a listing page has some three hundred links, and a Selector built for each
    cost about 1 ms a page), else Selectors. Both have ``attrib``; :func:`_element` reads
    either."""
    root = response.selector.root
    if isinstance(root, etree._Element):
        return list(root.xpath(xpath))
    return list(response.xpath(xpath))


def _element(link: Selector | etree._Element) -> object:
    """The lxml element of a link (a Selector's root), or the link itself."""
    return link.root if isinstance(link, Selector) else link


def article_links(response: TextResponse, site_host: str) -> tuple[list[ListedArticle], str]:
    """Article links of a listing page, in page order, and the layer that found them.

    Cards (``<article>`` elements) first, then the main content, then the whole page; never
    navigation, sidebars or footers. A link counts when it points at the site (any spelling of
    its host) and its path is an article URL of any era.
    """
    layers = (("cards", css.CARD_LINKS), ("main", css.MAIN_LINKS), ("page", css.BODY_LINKS))
    site_key = urls.host_key(site_host)  # once, not for each of a listing's links
    for layer, xpath in layers:
        found: dict[str, ListedArticle] = {}
        for link in _links(response, xpath):
            href = link.attrib.get("href", "")
            absolute = urljoin(response.url, href.strip())
            parts = urlsplit(absolute)
            if urls.host_key(parts.netloc) != site_key:
                continue
            if not urls.is_article_path(parts.path) or absolute in found:
                continue
            found[absolute] = ListedArticle(absolute, _card_date(link))
        if found:
            return list(found.values()), layer
    return [], "none"


def _card_date(link: Selector | etree._Element) -> datetime | None:
    """The ``time[datetime]`` of the card (the nearest <article>) holding a link."""
    root = _element(link)
    if isinstance(root, etree._Element):
        # ancestor::article[1] and .//time/@datetime, read on the lxml element: no Selector
        # built per link (a listing has about a hundred).
        card = next(root.iterancestors("article"), None)
        if card is None:
            return None
        values = card.xpath(".//time/@datetime")
        raw = str(values[0]) if values else None
        return parse_date(raw) if raw else None
    assert isinstance(link, Selector)
    selected = link.xpath("ancestor::article[1]")
    if not selected:
        return None
    raw = selected.xpath(".//time/@datetime").get()
    return parse_date(raw) if raw else None


_PAGE_PARAM = re.compile(r"^(?:page|p|pg|paged)$", re.IGNORECASE)
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")


def page_number(url: str) -> int:
    """The page number a listing URL carries; 1 when it carries none.

    >>> page_number("https://x/decryptages?page=3"), page_number("https://x/c/high-tech/page/2")
    (3, 2)
    >>> page_number("https://x/decryptages")
    1
    """
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if _PAGE_PARAM.match(key) and value.isdigit():
            return int(value)
    match = _PAGE_PATH.search(parts.path)
    return int(match[1]) if match else 1


def _texts(link: Selector | etree._Element) -> list[str]:
    """``link.xpath(".//text()").getall()``, read on the lxml element when there is one."""
    root = _element(link)
    if isinstance(root, etree._Element):
        return [str(text) for text in root.xpath(".//text()")]
    assert isinstance(link, Selector)
    return link.xpath(".//text()").getall()


def _string_value(link: Selector | etree._Element) -> str | None:
    """``link.xpath("normalize-space(string(.))").get()``, on the lxml element when there is one."""
    root = _element(link)
    if isinstance(root, etree._Element):
        return str(root.xpath("normalize-space(string(.))"))
    assert isinstance(link, Selector)
    return link.xpath("normalize-space(string(.))").get()


def _link_words(text: str) -> str:
    return (clean_text(text) or "").casefold().strip(" ›»>→")


# Pagination forms, each a layer of :func:`next_page`. ``rel~=next`` also takes
# ``rel="next nofollow"``; the ``<link>`` in the head counts alone, without any ``<a>``.
REL_NEXT_LINKS = 'link[rel~="next"]::attr(href), a[rel~="next"]::attr(href)'
# Numbered pagers: the links of a pagination block (by class or role), whose text is a number.
PAGER_LINKS = (
    "//*[contains(@class, 'pagination') or contains(@class, 'pager') or contains(@class, 'pages')"
    " or @role='navigation' or self::nav][not(ancestor::header)]//a[@href]"
)


def _shown_page(response: TextResponse) -> int | None:
    """The page number a pager marks as current (``aria-current``, class current/active)."""
    for text in response.xpath(PAGER_CURRENT).getall():
        cleaned = (clean_text(text) or "").strip()
        if cleaned.isdigit():
            return int(cleaned)
    return None


# The current page in a numbered pager: marked, and usually not a link.
PAGER_CURRENT = (
    "//*[@aria-current='page' or contains(@class, 'current') or contains(@class, 'active')]"
    "[ancestor-or-self::*[contains(@class, 'pagination') or contains(@class, 'pager')"
    " or self::nav]]//text()"
)


def next_page(response: TextResponse, page: int | None = None) -> tuple[str | None, str]:
    """The URL of the next listing page and how it was recognised.

    Layers: ``rel=next`` (on a link or only as ``<link>`` in the head); a link whose text says
    "suivant"/"page suivante"/"voir plus"/"›"; a link to this page's number plus one
    (``?page=N``, ``/page/N``); a numbered pager's link whose text is the next number (a pager
    with no "next" link). A link back to this very page is never "next".

    ``page``: the walk's count of this page, for pagers whose URLs carry no number the
    crawler can read (``/rubrique/high-tech/2``); the URL's own number wins, then the number
    the pager marks as current, then ``page``.
    """
    here = urls.canonicalize(response.url)
    href = response.css(REL_NEXT_LINKS).get()
    if href and urls.canonicalize(response.urljoin(href.strip())) != here:
        return response.urljoin(href.strip()), "rel-next"
    words = {w.strip(" ›»>→") for w in css.NEXT_LINK_WORDS} - {""}
    links = _links(response, css.ALL_LINKS)
    for link in links:
        text = _link_words(" ".join(_texts(link)))
        if (
            text in words
            or text.startswith(("page suivante", "suivant", "voir plus"))
            or (not text and _string_value(link) in {"›", "»", "→"})
        ):
            url = response.urljoin(link.attrib["href"].strip())
            if urls.canonicalize(url) != here:
                return url, "link-text"
    current = page_number(response.url)
    path = urlsplit(response.url).path.rstrip("/")
    for link in links:
        url = response.urljoin(link.attrib["href"].strip())
        if page_number(url) == current + 1 and urlsplit(url).path.startswith(
            _PAGE_PATH.sub("", path) or "/"
        ):
            return url, "page-number"
    if current == 1 and not _PAGE_PATH.search(path) and "page" not in urlsplit(response.url).query:
        current = _shown_page(response) or page or 1
    for link in _links(response, PAGER_LINKS):
        text = (clean_text(" ".join(_texts(link))) or "").strip()
        if text == str(current + 1):
            return response.urljoin(link.attrib["href"].strip()), "pager-number"
    return None, "none"
