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

from parsel import Selector
from scrapy.http import TextResponse

from atlantico import urls
from atlantico.dates import parse_date
from atlantico.extract import selectors as css
from atlantico.processors import clean_text


def label_key(text: str | None) -> str:
    """A navigation label compared without case, accents or spacing.

    >>> label_key(" Décryptages\u00a0") == label_key("DECRYPTAGES")
    True
    """
    cleaned = clean_text(text) or ""
    decomposed = unicodedata.normalize("NFKD", cleaned.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "")


def find_section_links(response: TextResponse, labels: dict[str, str]) -> dict[str, str]:
    """Section key → absolute URL of the link whose text is the section's label.

    Navigation (``nav``, ``header``) is searched first, then every link on the page.
    """
    wanted = {label_key(label): key for key, label in labels.items()}
    found: dict[str, str] = {}
    for xpath in (css.NAV_LINKS, css.ALL_LINKS):
        for link in response.xpath(xpath):
            key = wanted.get(label_key(" ".join(link.xpath(".//text()").getall())))
            href = link.attrib.get("href")
            if key and href and key not in found:
                found[key] = response.urljoin(href)
        if len(found) == len(wanted):
            break
    return found


@dataclass(frozen=True)
class ListedArticle:
    url: str
    """Absolute URL as linked (not yet canonicalised)."""
    date: datetime | None
    """The date printed on the card, when the card has a machine-readable one."""


def article_links(response: TextResponse, site_host: str) -> tuple[list[ListedArticle], str]:
    """Article links of a listing page, in page order, and the layer that found them.

    Cards (``<article>`` elements) first, then the main content, then the whole page; never
    navigation, sidebars or footers. A link counts when it points at the site (any spelling of
    its host) and its path is an article URL of any era.
    """
    layers = (("cards", css.CARD_LINKS), ("main", css.MAIN_LINKS), ("page", css.BODY_LINKS))
    for layer, xpath in layers:
        found: dict[str, ListedArticle] = {}
        for link in response.xpath(xpath):
            href = link.attrib.get("href", "")
            absolute = urljoin(response.url, href.strip())
            parts = urlsplit(absolute)
            if urls.host_key(parts.netloc) != urls.host_key(site_host):
                continue
            if not urls.is_article_path(parts.path) or absolute in found:
                continue
            found[absolute] = ListedArticle(absolute, _card_date(link))
        if found:
            return list(found.values()), layer
    return [], "none"


def _card_date(link: Selector) -> datetime | None:
    """The ``time[datetime]`` of the card (the nearest <article>) holding a link."""
    card = link.xpath("ancestor::article[1]")
    if not card:
        return None
    raw = card.xpath(".//time/@datetime").get()
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


def _link_words(text: str) -> str:
    return (clean_text(text) or "").casefold().strip(" ›»>→")


def next_page(response: TextResponse) -> tuple[str | None, str]:
    """The URL of the next listing page and how it was recognised.

    Layers: ``rel=next``; a link whose text says "suivant"/"voir plus"/"›"; a link to this
    page's number plus one (``?page=N``, ``/page/N``).
    """
    href = response.css(css.REL_NEXT).get()
    if href:
        return response.urljoin(href), "rel-next"
    words = {w.strip(" ›»>→") for w in css.NEXT_LINK_WORDS} - {""}
    for link in response.xpath(css.ALL_LINKS):
        text = _link_words(" ".join(link.xpath(".//text()").getall()))
        if (
            text in words
            or text.startswith(("page suivante", "suivant", "voir plus"))
            or (not text and link.xpath("normalize-space(string(.))").get() in {"›", "»", "→"})
        ):
            return response.urljoin(link.attrib["href"]), "link-text"
    current = page_number(response.url)
    here = urlsplit(response.url).path.rstrip("/")
    for link in response.xpath(css.ALL_LINKS):
        url = response.urljoin(link.attrib["href"])
        if page_number(url) == current + 1 and urlsplit(url).path.startswith(
            _PAGE_PATH.sub("", here) or "/"
        ):
            return url, "page-number"
    return None, "none"
