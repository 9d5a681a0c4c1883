"""The one item this crawler emits: an Atlantico article.

Field names follow the Zyte ``Article`` schema (zyte-common-items) where it has one, so that
Scrapy users recognise them; Atlantico's own fields (``kicker``, ``category``, ``type``, ``tags``,
``themes``, ``sections``, ``isAccessibleForFree``, ``bodyTruncated``) are added beside them.
``atlantico/schema/article.schema.json`` describes one feed line; the tests validate against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict


class Author(TypedDict):
    name: str
    """Cleaned display name (spaces normalised, role and "Par" removed), case as on the page."""
    nameRaw: str
    """The name as the source gave it, before splitting and cleaning."""
    url: str | None
    """Absolute URL of the author's page (``/author/<slug>-<id>``), when the page links one."""


class Image(TypedDict):
    url: str
    """Absolute URL of the main image."""
    caption: str | None
    """Caption text, cleaned; ``None`` when the page has none."""
    credit: str | None
    """Credit without its ``©`` or ``Crédits Photo:`` prefix (``"OLIVIER DOULIERY / AFP"``);
    ``None`` for a bare ``©`` or no credit."""


class Metadata(TypedDict, total=False):
    dateDownloaded: str
    """When the page was fetched: ISO 8601 in UTC, e.g. ``2026-11-26T10:00:00+00:00``."""
    sources: dict[str, str]
    """Field name → where its value came from: ``json-ld``, ``meta``, ``dom``, ``text``,
    ``url`` or ``computed``. A change here between runs is the first sign of site drift."""
    fallbacks: dict[str, list[str]]
    """Field name → the sources tried that gave no usable value, in the order tried (before
    the winner, or all of them when none won). ``{"headline": ["json-ld"]}`` with
    ``sources.headline == "dom"`` means the JSON-LD had no headline and the ``h1`` filled it."""
    hasByline: bool
    """``True`` when some source offered an author (JSON-LD, byline, author links, meta), even
    one the cleaning rules rejected: the articles whose ``authors`` coverage is monitored."""
    validationMessages: list[str]
    """Human-readable notes on doubtful or missing values, each ``"<field>: <what>"``
    (``"datePublished: no date on the page"``, an unparseable date, a date in the future,
    ``"jsonld: …"`` when JSON-LD blocks were set aside)."""
    jsonldProblems: list[str]
    """JSON-LD blocks the extractor set aside and why (``"block 2: nested too deep to
    parse"``, invalid JSON, too large); the fields were read from the DOM. Absent when none."""
    seenOn: str
    """The source a pépite names in its closing ``Vu sur : …`` line (kept out of the body)."""
    discoveredVia: str
    """How the crawler found the article: ``listing`` (a section page), ``sitemap`` (monthly
    sitemaps, backfill), ``news-sitemap`` (a change seen there), ``rss`` (new in rss.xml, missed
    by the listings), or ``argument`` (a URL given directly)."""
    aliases: list[str]
    """Other article keys that led to this page (legacy URLs redirected to it)."""


@dataclass(kw_only=True)
class Article:
    """One article page of atlantico.fr, cleaned. ``None`` means "not found on the page"."""

    articleKey: str | None = None
    """Stable key of the article, the same in every run and every feed: its canonical URL
    without scheme and host (``/article/decryptage/<slug>``). Dedupe on this."""
    url: str | None = None
    """Final URL of the page after redirects, canonicalised (no tracking parameters, no
    ``www.``, no fragment)."""
    canonicalUrl: str | None = None
    """The page's ``<link rel=canonical>`` (else ``og:url``, else ``url``), canonicalised. The
    key for deduplication within and across runs."""
    articleId: str | None = None
    """The site's own article id when the page exposes one (JSON-LD ``identifier``, or the
    number in a legacy ``…-<id>.html`` / ``/<type>/<id>/<slug>`` URL)."""
    headline: str | None = None
    """Title, cleaned: NFC, spaces normalised, ``<!-- --> | Atlantico.fr`` removed."""
    kicker: str | None = None
    """The surtitle printed above the title (``"Mea culpa"``), case as on the page."""
    description: str | None = None
    """The chapo (standfirst) under the title."""
    datePublished: str | None = None
    """Publication time, ISO 8601 with the Europe/Paris offset
    (``2023-04-12T09:15:00+02:00``)."""
    datePublishedRaw: str | None = None
    """The publication date exactly as the source gave it."""
    dateModified: str | None = None
    """Last update time, same format as ``datePublished``; ``None`` when never updated."""
    dateModifiedRaw: str | None = None
    """The update date exactly as the source gave it."""
    authors: list[Author] = field(default_factory=list)
    """People who signed the article, in page order, deduplicated. Empty when unsigned."""
    articleBody: str | None = None
    """Body text: paragraphs and sub-headings separated by a blank line; no bios, tags,
    "à lire aussi" blocks or end-of-page notices. The teaser only when ``bodyTruncated``."""
    articleBodyHtml: str | None = None
    """The body as clean HTML (Zyte's ``articleBodyHtml``): ``<p>``, ``<h2>``-``<h4>``,
    ``<ul>``/``<ol>``/``<li>``, ``<blockquote>``, ``<a href>`` (absolute URLs), ``<strong>``,
    ``<em>``; no script, no class, id or style. The same blocks as ``articleBody``."""
    mainImage: Image | None = None
    """The lead image with its caption and credit."""
    inLanguage: str | None = None
    """Language of the article as an ISO 639-1 code (``fr``)."""
    category: str | None = None
    """Category printed above the image (``High-tech``, ``Economie``…), as on the page."""
    type: str | None = None
    """Content type from the URL: ``decryptage``, ``pepite``, ``rdv``, ``atlantico-light``…"""
    tags: list[str] = field(default_factory=list)
    """Keywords ("Mots-Clés"), in page order, deduplicated."""
    themes: list[str] = field(default_factory=list)
    """Entries of the "Thématiques" block."""
    sections: list[str] = field(default_factory=list)
    """Keys of the crawled sections that list the article (``decryptages``, ``high-tech``),
    sorted."""
    isAccessibleForFree: bool | None = None
    """``False`` for premium (subscriber-only) articles; ``None`` when the page does not say."""
    bodyTruncated: bool = False
    """``True`` when only the teaser of a premium article could be read (no paywall is
    bypassed)."""
    wordCount: int | None = None
    """Number of words in ``articleBody``."""
    revision: int | None = None
    """1 the first time the article is exported; +1 each time it is exported again because its
    content changed (set by the store pipeline; ``None`` without a store)."""
    previousHash: str | None = None
    """``contentHash`` of the previous revision, when ``revision`` > 1."""
    contentHash: str | None = None
    """SHA-256 (hex) of the article's content fields; unchanged content, unchanged hash."""
    metadata: Metadata = field(default_factory=Metadata)
    """Provenance of the item: download time, source of each field, validation notes."""

    def to_dict(self) -> dict[str, Any]:
        """The item as a plain dict, as the feed writes it."""
        return asdict(self)
