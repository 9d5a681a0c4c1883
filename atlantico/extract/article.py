"""Article extraction: a pure function from a response to an :class:`Article`.

Each field is read from its sources in order (structured data first, then meta tags, then the
DOM, then visible text) and the first source that yields a clean value wins; the winner is
recorded in ``metadata.sources``. It runs the same in the spider, in ``scrapy shell``
(``extract_article(response)``), in ``python -m atlantico extract`` and in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.http import TextResponse

from atlantico import urls
from atlantico.dates import PARIS, date_problem
from atlantico.extract import jsonld
from atlantico.extract import selectors as css
from atlantico.identity import article_key, content_hash
from atlantico.items import Article
from atlantico.loaders import ArticleLoader
from atlantico.processors import clean_text, is_boilerplate, join_paragraphs, word_count

# A thunk returning a raw value (or values) for one source; called only if earlier sources failed.
Candidate = tuple[str, Callable[[], Any]]


class _Extraction:
    """State of one page's extraction; the public entry point is :func:`extract_article`."""

    def __init__(self, response: TextResponse, base_url: str | None, now: datetime) -> None:
        self.response = response
        self.sel: Selector = response.selector
        self.now = now
        self.base_netloc = urlsplit(base_url).netloc if base_url else urlsplit(response.url).netloc
        self.base_scheme = urlsplit(base_url).scheme if base_url else urlsplit(response.url).scheme
        blocks = self.sel.css(css.JSONLD).getall()
        self.ld, self.broken_jsonld = jsonld.find_article_node(blocks)
        # The loader is given the response's selector: from the response alone, Scrapy's
        # ItemLoader builds a second Selector and parses the page again (a third of the
        # extraction time on 90 KB pages, by the benchmark's profile).
        self.loader = ArticleLoader(item=Article(), selector=self.sel, response=response, now=now)
        self.sources: dict[str, str] = {}
        # Field → sources tried before the winner (or all, when none won) that gave no usable
        # value: which fallbacks fired, for `python -m atlantico check` and drift reports.
        self.fallbacks: dict[str, list[str]] = {}
        # Field → True when some source offered a raw value, kept or not (a byline the
        # cleaning rules rejected still means the article is signed).
        self.offered: set[str] = set()
        self.messages: list[str] = []
        self.has_paywall = bool(self.sel.xpath(css.PAYWALL))

    # -- helpers ------------------------------------------------------------------------------

    def ld_get(self, key: str) -> Any:
        return self.ld.get(key) if self.ld else None

    def absolute(self, href: str | None) -> str | None:
        if not href:
            return None
        return self.canonical(urljoin(self.response.url, href.strip()))

    def canonical(self, url: str) -> str:
        return urls.canonicalize(url, self.base_netloc, self.base_scheme)

    def first(self, field: str, candidates: Iterable[Candidate]) -> str | None:
        """Try each source until the loader keeps a value for ``field``; return the source."""
        for source, thunk in candidates:
            value = thunk()
            if value is None or value == [] or value == "":
                self._failed(field, source)
                continue
            self.offered.add(field)
            self.loader.add_value(field, value)
            if self.loader.get_collected_values(field):
                self.sources[field] = source
                return source
            self._failed(field, source)
        return None

    def _fallbacks(self) -> dict[str, list[str]]:
        """Failed sources per field, less the winner's name (a later candidate of the same
        source may have won: ``og:url`` after a missing canonical link)."""
        out = {}
        for field, tried in self.fallbacks.items():
            failed = [source for source in tried if source != self.sources.get(field)]
            if failed:
                out[field] = failed
        return out

    def _failed(self, field: str, source: str) -> None:
        tried = self.fallbacks.setdefault(field, [])
        if source not in tried:  # several candidates share a source name (two meta tags)
            tried.append(source)

    def text_of(self, xpath_or_nodes: Any) -> str | None:
        nodes = (
            self.sel.xpath(xpath_or_nodes) if isinstance(xpath_or_nodes, str) else xpath_or_nodes
        )
        for node in nodes:
            text = clean_text(_text(node) or node.get())
            if text:
                return text
        return None

    # -- fields -------------------------------------------------------------------------------

    def urls(self) -> None:
        final = self.canonical(self.response.url)
        self.loader.add_value("url", final)
        source = self.first(
            "canonicalUrl",
            [
                ("meta", lambda: self.absolute(self.sel.css(css.CANONICAL).get())),
                ("meta", lambda: self.absolute(self.sel.css(css.OG_URL).get())),
                ("url", lambda: final),
            ],
        )
        self.sources["canonicalUrl"] = source or "url"
        self.first(
            "articleId",
            [
                ("json-ld", lambda: jsonld.text_value(self.ld_get("identifier"))),
                ("url", lambda: urls.legacy_id(self.response.url)),
                (
                    "url",
                    lambda: (
                        urls.legacy_id(self.response.request.url) if self.response.request else None
                    ),
                ),
            ],
        )
        canonical = self.loader.get_output_value("canonicalUrl") or final
        self.first(
            "type",
            [
                ("url", lambda: urls.article_type(canonical)),
                ("url", lambda: urls.article_type(final)),
            ],
        )

    def headline(self) -> None:
        self.first(
            "headline",
            [
                ("json-ld", lambda: jsonld.text_value(self.ld_get("headline"))),
                ("dom", lambda: self.text_of(css.H1)),
                ("meta", lambda: self.sel.css(css.OG_TITLE).get()),
                ("meta", lambda: self.sel.css(css.TITLE).get()),
            ],
        )

    def kicker(self) -> None:
        self.first(
            "kicker",
            [
                ("json-ld", lambda: jsonld.text_value(self.ld_get("alternativeHeadline"))),
                ("dom", lambda: self.text_of(css.KICKER)),
            ],
        )

    def description(self) -> None:
        self.first(
            "description",
            [
                ("json-ld", lambda: jsonld.text_value(self.ld_get("description"))),
                ("meta", lambda: self.sel.css(css.META_DESCRIPTION).get()),
                ("meta", lambda: self.sel.css(css.OG_DESCRIPTION).get()),
                ("dom", lambda: self.text_of(self.sel.css(css.CHAPO))),
            ],
        )

    def dates(self) -> None:
        published: list[Candidate] = [
            ("json-ld", lambda: jsonld.text_value(self.ld_get("datePublished"))),
            ("meta", lambda: self.sel.css(css.META_PUBLISHED).get()),
            ("dom", lambda: self.sel.xpath(css.TIME_DATETIME).get()),
            ("text", lambda: self.sel.xpath(css.PUBLISHED_TEXT).get()),
            ("text", lambda: self.sel.xpath(css.RELATIVE_TIME_TEXT).get()),
        ]
        modified: list[Candidate] = [
            ("json-ld", lambda: jsonld.text_value(self.ld_get("dateModified"))),
            ("meta", lambda: self.sel.css(css.META_MODIFIED).get()),
            ("text", lambda: self.sel.xpath(css.MODIFIED_TEXT).get()),
        ]
        for field, candidates in (("datePublished", published), ("dateModified", modified)):
            raw_seen = None
            for source, thunk in candidates:
                raw = clean_text(thunk())
                if not raw:
                    self._failed(field, source)
                    continue
                raw_seen = raw_seen or raw
                self.loader.add_value(field, raw, now=self.now)
                if self.loader.get_collected_values(field):
                    self.loader.add_value(f"{field}Raw", raw)
                    self.sources[field] = source
                    self._check_date(field)
                    break
                self._failed(field, source)
            else:
                if raw_seen:
                    self.loader.add_value(f"{field}Raw", raw_seen)
                    self.messages.append(f"{field}: unparseable date {raw_seen!r}")

    def _check_date(self, field: str) -> None:
        value = self.loader.get_output_value(field)
        problem = date_problem(datetime.fromisoformat(value), self.now) if value else None
        if problem:
            self.messages.append(f"{field}: {value} is {problem}")

    def authors(self) -> None:
        # Author pages linked from the article (byline and cards), in page order.
        linked: list[tuple[str, str]] = []
        for link in self.sel.xpath(css.AUTHOR_LINKS):
            name = clean_text(_text(link))
            href = self.absolute(link.attrib.get("href"))
            if name and href and not name.casefold().startswith("voir la bio"):
                linked.append((name, href))
        links = {name.casefold(): href for name, href in reversed(linked)}

        def with_links(pairs: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
            out = []
            for name, url in pairs:
                key = (clean_text(name) or "").casefold()
                out.append({"nameRaw": name, "url": self.absolute(url) or links.get(key)})
            return out

        def byline() -> list[dict[str, Any]]:
            for node in self.sel.css(css.BYLINE):
                text = clean_text(_text(node))
                if text:
                    return with_links([(text, None)])
            return []

        def cards() -> list[dict[str, Any]]:
            return [{"nameRaw": name, "url": href} for name, href in linked]

        self.first(
            "authors",
            [
                ("json-ld", lambda: with_links(jsonld.people(self.ld_get("author")))),
                ("dom", byline),
                ("dom", cards),
                (
                    "meta",
                    lambda: with_links(
                        [(name, None) for name in self.sel.css(css.META_AUTHOR).getall()]
                    ),
                ),
            ],
        )
        # An author named in JSON-LD without a URL gets the one the page links for that name.
        for author in self.loader.get_collected_values("authors"):
            if not author["url"]:
                author["url"] = links.get(author["name"].casefold())

    def body(self) -> None:
        for selector, source in css.BODY_CONTAINERS:
            name = source if selector == css.BODY_CONTAINERS[0][0] else f"{source}-fallback"
            containers = self.sel.css(selector)
            if not containers:
                self._failed("articleBody", name)
                continue
            paragraphs = [_text(block) for block in containers[0].xpath(css.BODY_BLOCKS)]
            if not paragraphs:
                # A container without blocks: its text nodes, one paragraph each.
                paragraphs = (
                    containers[0].xpath(f".//text()[not({css.BODY_EXCLUDED_ANCESTORS})]").getall()
                )
            if join_paragraphs(paragraphs):
                self.offered.add("articleBody")
                self.loader.add_value("articleBody", paragraphs)
                self.sources["articleBody"] = name
                return
            self._failed("articleBody", name)
        text = jsonld.text_value(self.ld_get("articleBody"))
        if text and join_paragraphs(text.split("\n")):
            self.loader.add_value("articleBody", text.split("\n"))
            self.sources["articleBody"] = "json-ld"
        else:
            self._failed("articleBody", "json-ld")

    def image(self) -> None:
        figure = self.sel.xpath(css.FIGURE)
        caption = credit = None
        if figure:
            credit = clean_text("".join(figure[0].xpath(css.CREDIT_IN_FIGURE).getall()))
            caption = clean_text("".join(figure[0].xpath(css.CAPTION_IN_FIGURE).getall()))
            if not caption:
                caption = clean_text("".join(figure[0].xpath(".//figcaption//text()").getall()))
                if caption and credit:
                    caption = clean_text(caption.replace(credit, ""))
            caption = caption or clean_text(figure[0].xpath(".//img/@alt").get())
        if not credit:
            credit = clean_text(self.sel.xpath(css.CREDIT_TEXT).get())

        def image(url: str | None) -> dict[str, Any] | None:
            return (
                {"url": self.absolute(url), "caption": caption, "credit": credit} if url else None
            )

        self.first(
            "mainImage",
            [
                ("json-ld", lambda: image(jsonld.image_url(self.ld_get("image")))),
                ("meta", lambda: image(self.sel.css(css.OG_IMAGE).get())),
                ("dom", lambda: image(figure[0].xpath(".//img/@src").get() if figure else None)),
            ],
        )

    def taxonomy(self) -> None:
        self.first(
            "category",
            [
                ("json-ld", lambda: jsonld.text_value(self.ld_get("articleSection"))),
                ("meta", lambda: self.sel.css(css.META_SECTION).get()),
                ("dom", lambda: self.text_of(css.CATEGORY)),
            ],
        )
        self.first(
            "tags",
            [
                ("json-ld", lambda: jsonld.text_list(self.ld_get("keywords"))),
                (
                    "dom",
                    lambda: [t for t in self.sel.xpath(css.TAG_LINKS).getall() if not _is_label(t)],
                ),
                ("meta", lambda: self.sel.css(css.META_KEYWORDS).getall()),
            ],
        )
        self.first(
            "themes",
            [
                (
                    "dom",
                    lambda: [
                        t for t in self.sel.xpath(css.THEME_LINKS).getall() if not _is_label(t)
                    ],
                )
            ],
        )
        self.first(
            "inLanguage",
            [
                ("json-ld", lambda: jsonld.text_value(self.ld_get("inLanguage"))),
                ("dom", lambda: self.sel.css(css.HTML_LANG).get()),
            ],
        )

    def access(self) -> None:
        source = self.first(
            "isAccessibleForFree", [("json-ld", lambda: self.ld_get("isAccessibleForFree"))]
        )
        if source is None:
            # No structured flag: a paywall wrapper means premium; no wrapper means free.
            self.loader.add_value("isAccessibleForFree", not self.has_paywall)
            self.sources["isAccessibleForFree"] = "dom"
        free = self.loader.get_output_value("isAccessibleForFree")
        # Without a subscription a premium page shows its teaser only; nothing is bypassed.
        self.loader.add_value("bodyTruncated", bool(free is False or self.has_paywall))

    def build(self, sections: Iterable[str], discovered_via: str | None) -> Article:
        self.urls()
        self.headline()
        self.kicker()
        self.description()
        self.dates()
        self.authors()
        self.body()
        self.image()
        self.taxonomy()
        self.access()
        self.loader.add_value("sections", sorted(set(sections)))
        if self.broken_jsonld:
            self.messages.append(f"{self.broken_jsonld} JSON-LD block(s) could not be parsed")
        item: Article = self.loader.load_item()
        item.wordCount = word_count(item.articleBody)
        if item.canonicalUrl:
            item.articleKey = article_key(item.canonicalUrl)
        item.contentHash = content_hash(item)
        item.metadata = {
            "dateDownloaded": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "sources": self.sources,
            "fallbacks": self._fallbacks(),
            "hasByline": "authors" in self.offered,
            "validationMessages": self.messages,
        }
        if discovered_via:
            item.metadata["discoveredVia"] = discovered_via
        return item


def _text(node: Selector) -> str:
    """All the text of an element, as ``"".join(node.xpath(".//text()").getall())`` gives it.

    XPath's ``string()`` joins it inside libxml2; the list form built one Selector object per
    text node (a tenth of the extraction time on 90 KB pages, by the benchmark's profile).
    """
    return str(node.xpath("string()").get() or "")


def _is_label(text: str) -> bool:
    cleaned = (clean_text(text) or "").casefold()
    return not cleaned or cleaned in css.TAG_BLOCK_LABELS or cleaned in css.THEME_BLOCK_LABELS


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
) -> Article:
    """Extract the article on ``response``.

    ``base_url`` is the site's base (``ATLANTICO_BASE_URL``), so that ``www.`` and other
    spellings of the site's own links are canonicalised to it; by default the response's host.
    """
    return _Extraction(response, base_url, response_time(response)).build(sections, discovered_via)


__all__ = ["extract_article", "is_boilerplate", "response_time"]
