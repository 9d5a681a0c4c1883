"""Article extraction: a pure function from a page to an :class:`Article`.

:func:`extract_article` takes a Scrapy response (the spider, ``scrapy shell``);
:func:`extract_html` takes HTML and a URL and needs no Scrapy object. Both run the same
:class:`Extraction`: the field rules of :mod:`atlantico.extract.fields` (where each field comes
from, in order) over the machinery of :mod:`atlantico.extract.cascade` (provenance), on the page
index of :mod:`atlantico.extract.page`. Nothing here counts a stat: what happened is in the
item's ``metadata`` (``sources``, ``fallbacks``, ``validationMessages``, ``jsonldProblems``),
and the pipelines count it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse
from scrapy.selector import Selector

from atlantico import urls
from atlantico.dates import PARIS, date_problem
from atlantico.extract import body as bodies
from atlantico.extract import fields
from atlantico.extract import selectors as css
from atlantico.extract.cascade import Cascade
from atlantico.extract.furniture import is_paywall
from atlantico.extract.layouts import fragments
from atlantico.extract.page import Page, element_text, parse, tree_of
from atlantico.extract.structured import parse_jsonld
from atlantico.hygiene import clean_text
from atlantico.identity import article_key, content_hash
from atlantico.items import Article
from atlantico.loaders import ArticleLoader
from atlantico.processors import is_boilerplate, word_count


class Extraction:
    """State of one page's extraction; the entry points are :func:`extract_article` and
    :func:`extract_html`."""

    def __init__(
        self,
        selector: Selector,
        url: str,
        *,
        request_url: str | None,
        base_url: str | None,
        now: datetime,
        response: TextResponse | None = None,
        html: str | bytes | None = None,
        index: Page | None = None,
    ) -> None:
        self.page = index if index is not None else Page(selector, url, html)
        self.now = now
        self.request_url = request_url
        base = urlsplit(base_url) if base_url else urlsplit(url)
        self.base_netloc, self.base_scheme = base.netloc, base.scheme
        self.ld = parse_jsonld(self.page.scripts_ld)
        self.loader = ArticleLoader(item=Article(), selector=selector, response=response, now=now)
        self.cascade = Cascade(self.loader)
        if not self.page.has_microdata:
            self.cascade.absent.add("microdata")
        if not self.page.has_rdfa:
            self.cascade.absent.add("rdfa")
        self.body_container: Any = None
        self.body_source: str | None = None
        self.body_left_empty = False
        self.first_paragraph: str | None = None
        self.body_start: Any = None  # the element of the body's first block
        self.header_cache: dict[bool, list[str]] = {}
        self.header_zone: set[Any] = set()
        self.article_el: Any = None
        self.seen_on: str | None = None
        self.paywall_elements = [
            el for el in self.page.by_fragment(fragments("paywall"), inside=False) if is_paywall(el)
        ] + list(self.page.by_fragment(("=dpslvp",), inside=False))
        self.has_paywall = bool(self.paywall_elements)
        self.premium = False
        self._author_links: dict[str, str] | None = None
        self._linked: list[tuple[str, str]] = []

    # -- helpers used by the field rules ----------------------------------------------------

    def absolute(self, href: str | None) -> str | None:
        if not href:
            return None
        return self.canonical(urljoin(self.page.url, href.strip()))

    def canonical(self, url: str) -> str:
        return urls.canonicalize(url, self.base_netloc, self.base_scheme)

    def author_links(self) -> dict[str, str]:
        """Author pages linked from the article (byline and cards), name → URL."""
        if self._author_links is None:
            # One substring search of the source before a scan of every link.
            links = []
            if self.page.mentions("/author/"):
                # Within the article's element (the chrome is never there), not the page.
                root = fields.article_root(self)
                links = [
                    a
                    for a in root.xpath(".//a[contains(@href, '/author/')]")
                    if not self.page.outside(a)
                ]
            for link in links:
                name = clean_text(element_text(link))
                href = self.absolute(link.attrib.get("href"))
                if name and href and not name.casefold().startswith("voir la bio"):
                    self._linked.append((name, href))
            self._author_links = {n.casefold(): h for n, h in reversed(self._linked)}
        return self._author_links

    def author_cards(self) -> list[dict[str, Any]]:
        self.author_links()
        return [{"nameRaw": name, "url": href} for name, href in self._linked]

    def with_links(self, pairs: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
        links = self.author_links()
        out = []
        for name, url in pairs:
            key = (clean_text(name) or "").casefold()
            out.append({"nameRaw": name, "url": self.absolute(url) or links.get(key)})
        return out

    def is_label(self, value: str) -> bool:
        cleaned = (clean_text(value) or "").casefold()
        return not cleaned or cleaned in css.TAG_BLOCK_LABELS or cleaned in css.THEME_BLOCK_LABELS

    def check_date(self, field: str) -> None:
        value = self.loader.get_output_value(field)
        problem = date_problem(datetime.fromisoformat(value), self.now) if value else None
        if problem:
            self.cascade.messages.append(f"{field}: {value} is {problem}")

    def set_body(self, result: bodies.Body, source: str, container: Any) -> None:
        blocks = result.blocks
        self.cascade.offered.add("articleBody")
        self.loader.add_value("articleBody", [b.text for b in blocks])
        self.loader.add_value("articleBodyHtml", bodies.blocks_html(blocks))
        self.cascade.sources["articleBody"] = source
        self.first_paragraph = blocks[0].text if blocks else None
        self.body_start = blocks[0].element if blocks else None
        self.seen_on = result.seen_on

    # -- the item ---------------------------------------------------------------------------

    def urls(self) -> None:
        final = self.canonical(self.page.url)
        self.loader.add_value("url", final)
        source = self.cascade.first(
            "canonicalUrl",
            [
                ("meta", lambda: self.absolute(self.page.meta_value("link:canonical"))),
                ("meta", lambda: self.absolute(self.page.meta_value("og:url"))),
                ("url", lambda: final),
            ],
        )
        self.cascade.sources["canonicalUrl"] = source or "url"
        fields.article_id(self)
        canonical = self.loader.get_output_value("canonicalUrl") or final
        self.cascade.first(
            "type",
            [
                ("url", lambda: urls.article_type(canonical)),
                ("url", lambda: urls.article_type(final)),
            ],
        )

    def build(self, sections: Iterable[str], discovered_via: str | None) -> Article:
        self.urls()
        fields.find_body_container(self)
        fields.access(self)
        fields.headline(self)
        fields.body(self)
        fields.taxonomy(self)
        fields.kicker(self)
        fields.dates(self)
        fields.authors(self)
        fields.description(self)
        fields.image(self)
        self.loader.add_value("bodyTruncated", bool(self.premium))
        self.loader.add_value("sections", sorted(set(sections)))
        messages = self.cascade.messages
        if self.ld.problems:
            messages.append(
                f"jsonld: {len(self.ld.problems)} JSON-LD block(s) set aside, the page read"
            )
        if "articleBody" not in self.cascade.sources:
            messages.append(
                "articleBody: no body found"
                + (" (premium teaser not shown)" if self.premium else "")
            )
        item: Article = self.loader.load_item()
        item.wordCount = word_count(item.articleBody)
        if item.canonicalUrl:
            item.articleKey = article_key(item.canonicalUrl)
        item.contentHash = content_hash(item)
        item.metadata = {
            "dateDownloaded": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "sources": self.cascade.sources,
            "fallbacks": self.cascade.fallbacks(),
            "hasByline": "authors" in self.cascade.offered,
            "validationMessages": messages,
        }
        if self.ld.problems:
            item.metadata["jsonldProblems"] = list(self.ld.problems)
        if self.seen_on:
            item.metadata["seenOn"] = self.seen_on
        if discovered_via:
            item.metadata["discoveredVia"] = discovered_via
        return item


def response_time(response: TextResponse) -> datetime:
    """When the server says it answered (``Date`` header), else now: the base of "il y a …"."""
    header = response.headers.get("Date")
    if header:
        try:
            return parsedate_to_datetime(header.decode("latin-1")).astimezone(PARIS)
        except (TypeError, ValueError):
            pass
    return datetime.now(PARIS)


def extract_article(
    response: TextResponse,
    *,
    sections: Iterable[str] = (),
    base_url: str | None = None,
    discovered_via: str | None = None,
    selector: Selector | None = None,
    html: str | bytes | None = None,
    index: Page | None = None,
) -> Article:
    """Extract the article on ``response``.

    ``base_url`` is the site's base (``ATLANTICO_BASE_URL``), so that ``www.`` and other
    spellings of the site's own links are canonicalised to it; by default the response's host.
    ``selector``: the page already parsed (:func:`~atlantico.extract.page.parse`); by default
    :func:`~atlantico.extract.page.tree_of` the response: the selector a downloader
    middleware built already, else a tree of plain lxml elements built for this call.
    ``html``: the page's source at hand, its text or that text encoded to UTF-8 (a reading
    worker's bytes); by default the response's text. ``index``: the page's
    :class:`~atlantico.extract.page.Page` built already (from ``selector``), else built here.
    """
    request_url = response.request.url if response.request else None
    return Extraction(
        selector if selector is not None else tree_of(response),
        response.url,
        request_url=request_url,
        base_url=base_url,
        now=response_time(response),
        response=response,
        html=response.text if html is None and index is None else html,
        index=index,
    ).build(sections, discovered_via)


def extract_html(
    html: str | bytes,
    url: str,
    *,
    sections: Iterable[str] = (),
    base_url: str | None = None,
    discovered_via: str | None = None,
    now: datetime | None = None,
) -> Article:
    """Extract the article from raw HTML fetched from ``url``; no Scrapy object needed.

    ``now`` is when the page was fetched (the base of "il y a 5 heures"); default: now.

    >>> item = extract_html("<html><body><article><h1>Titre</h1><p>" + "Un texte. " * 5
    ...     + "</p></article></body></html>", "https://atlantico.fr/article/pepite/titre")
    >>> item.headline, item.articleBody[:9], item.metadata["validationMessages"]
    ('Titre', 'Un texte.', ['datePublished: no date on the page'])
    """
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    return Extraction(
        parse(text, url),
        url,
        request_url=url,
        base_url=base_url,
        now=now or datetime.now(PARIS),
        html=text,
    ).build(sections, discovered_via)


__all__ = [
    "element_text",
    "extract_article",
    "extract_html",
    "is_boilerplate",
    "response_time",
]
