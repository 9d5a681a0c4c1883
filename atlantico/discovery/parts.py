"""Multi-page articles: the parts of an in-article pager, and the one item they make.

Era A split long articles over several pages: ``…-2406117.html`` then ``…-2406117.html/page/0/1``,
linked by ``li.pager-next a`` (SITE.md §1); other templates use ``rel=next`` or a "page
suivante" link inside the article. A part is only a URL under the article's own path (or the
same path with a page parameter): an "article suivant" link to another article is not a part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import TextResponse
from scrapy.selector import Selector

from atlantico.extract.page import Page
from atlantico.identity import content_hash
from atlantico.items import Article
from atlantico.processors import clean_text, word_count

# Era A's pager [seen: FiveFilters site configs]; then rel=next; then the words of a "next"
# link inside the article, never in navigation, sidebars or the footer.
PAGER_NEXT = "li.pager-next a::attr(href)"
REL_NEXT = 'link[rel~="next"]::attr(href), a[rel~="next"]::attr(href)'
NEXT_WORDS = ("page suivante", "suite de l'article", "suite de l’article", "suivant", "suivante")
IN_ARTICLE_LINKS = (
    "//a[@href][not(ancestor::nav or ancestor::footer or ancestor::aside"
    " or ancestor::header[not(ancestor::article)])]"
)
# `/page/0/1` (era A), `/page/2`, or `?page=2` on the article's own path.
_PART_SUFFIX = re.compile(r"(?:/page(?:/\d+)+)/?$")


def article_root(url: str) -> str:
    """The article's own path, without a part suffix.

    >>> article_root("https://atlantico.fr/decryptage/x-2406117.html/page/0/1")
    '/decryptage/x-2406117.html'
    """
    return _PART_SUFFIX.sub("", urlsplit(url).path.rstrip("/")) or "/"


def is_part_of(url: str, first_url: str) -> bool:
    """Whether ``url`` is a part of the article at ``first_url`` (and not that page itself).

    >>> first = "https://atlantico.fr/decryptage/x-2406117.html"
    >>> is_part_of(first + "/page/0/1", first), is_part_of(first + "?page=2", first)
    (True, True)
    >>> is_part_of("https://atlantico.fr/decryptage/y-2406118.html", first)
    False
    """
    parts, first = urlsplit(url), urlsplit(first_url)
    if parts.netloc.lower().removeprefix("www.") != first.netloc.lower().removeprefix("www."):
        return False
    if article_root(url) != article_root(first_url):
        return False
    return (parts.path.rstrip("/"), parts.query) != (first.path.rstrip("/"), first.query)


def next_part(
    response: TextResponse,
    first_url: str,
    seen: Iterable[str] = (),
    selector: Selector | None = None,
    index: Page | None = None,
) -> str | None:
    """The URL of the article's next part on ``response``, or None on the last part.

    ``selector``: the page already parsed; by default the response's own selector. ``index``:
    the extraction's index of that page (:class:`~atlantico.extract.page.Page`), which lists
    the elements these rules look at: then no scan of the whole page is made."""
    done = {u.rstrip("/") for u in seen} | {response.url.rstrip("/")}
    if index is not None:
        candidates = _indexed_candidates(index)
    else:
        page = selector if selector is not None else response.selector
        candidates = [*page.css(PAGER_NEXT).getall(), *page.css(REL_NEXT).getall()]
        for link in page.xpath(IN_ARTICLE_LINKS):
            if _says_next(" ".join(link.xpath(".//text()").getall())):
                candidates.append(link.attrib["href"])
    for href in candidates:
        url = response.urljoin(href.strip())
        if url.rstrip("/") not in done and is_part_of(url, first_url):
            return url
    return None


def _indexed_candidates(index: Page) -> list[str]:
    """What :data:`PAGER_NEXT`, :data:`REL_NEXT` and the worded links of
    :data:`IN_ARTICLE_LINKS` select, in that order and each in page order, read from the
    elements ``index`` lists."""
    pager: dict[Any, str] = {}  # a link in nested pagers is listed once
    for li in index.pagers:
        if "pager-next" in _tokens(li.get("class")):
            for link in li.iterdescendants("a"):
                href = link.get("href")
                if href is not None:
                    pager.setdefault(link, href)
    rel = [
        href
        for el in index.rels
        if el.tag in ("link", "a")
        and (href := el.get("href")) is not None
        and "next" in _tokens(el.get("rel"))
    ]
    # The links in a nav, footer, aside, or header outside an article.
    aside: set[Any] = set()
    for landmark in index.landmarks:
        if landmark.tag != "header" or next(landmark.iterancestors("article"), None) is None:
            aside.update(landmark.iter("a"))
    worded = [
        link.get("href")
        for link in index.links
        if link not in aside and _says_next(_link_text(link))
    ]
    return [*pager.values(), *rel, *worded]


# What separates the tokens of an attribute for ``~=`` and CSS classes (normalize-space).
_XML_SPACES = re.compile("[ \t\n\r]+")
_TEXTS = etree.XPath(".//text()")


def _tokens(value: str | None) -> list[str]:
    return _XML_SPACES.split(value) if value else []


def _link_text(link: Any) -> str:
    """The text nodes of ``link`` joined by spaces (``.//text()``; no query for a link that
    holds its text alone)."""
    if not len(link):
        return link.text or ""
    return " ".join(_TEXTS(link))


def _says_next(words: str) -> bool:
    """Whether a link's words (its text nodes joined by spaces) begin with :data:`NEXT_WORDS`
    once clean (:func:`~atlantico.hygiene.clean_text`, case folded, arrows off)."""
    text = (clean_text(words) or "").casefold()
    return text.strip(" ›»>→").startswith(NEXT_WORDS)


def join_parts(item: Article, parts: list[Article], failed: str | None = None) -> Article:
    """``item`` (the first part) with the bodies of the other ``parts`` appended in order.

    ``failed``: why a part could not be read; the item is then marked truncated and says so.
    ``articleBodyHtml`` is joined too when the item has that field.

    >>> first = Article(articleBody="Un.", headline="H")
    >>> joined = join_parts(first, [Article(articleBody="Deux.")])
    >>> joined.articleBody, joined.wordCount
    ('Un.\\n\\nDeux.', 2)
    >>> cut = join_parts(Article(articleBody="Un."), [], failed="part 2 (https://x/2): 500")
    >>> cut.bodyTruncated, cut.metadata["validationMessages"]
    (True, ['multi-page article incomplete: part 2 (https://x/2): 500'])
    """
    bodies = [text for text in [item.articleBody, *(p.articleBody for p in parts)] if text]
    item.articleBody = "\n\n".join(bodies) or None
    if hasattr(item, "articleBodyHtml"):
        htmls = [getattr(x, "articleBodyHtml", None) for x in [item, *parts]]
        joined_html = "\n".join(h for h in htmls if h)
        # A field the extraction branch adds: set by name so this runs with or without it.
        setattr(item, "articleBodyHtml", joined_html or None)  # noqa: B010
    item.wordCount = word_count(item.articleBody)
    if failed:
        item.bodyTruncated = True
        messages = item.metadata.setdefault("validationMessages", [])
        messages.append(f"multi-page article incomplete: {failed}")
    item.contentHash = content_hash(item)
    return item


@dataclass
class Chain:
    """A multi-page article being read: its first part's item, the parts read after it, and
    every URL asked (a pager leading back ends the chain).

    >>> chain = Chain(Article(articleBody="Un."), "https://a.fr/d/x-1.html")
    >>> chain.step("https://a.fr/d/x-1.html/page/0/1", limit=3)
    ('https://a.fr/d/x-1.html/page/0/1', None)
    >>> chain.parts.append(Article(articleBody="Deux."))
    >>> chain.step("https://a.fr/d/x-1.html/page/0/2", limit=2)
    (None, 'more than ATLANTICO_ARTICLE_MAX_PARTS=2 parts')
    >>> chain.step(None, limit=9), chain.number
    ((None, None), 3)
    """

    item: Article
    first: str
    parts: list[Article] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.seen = self.seen or [self.first]

    @property
    def number(self) -> int:
        """The number of the next part (the first part is 1)."""
        return len(self.parts) + 2

    def step(self, following: str | None, limit: int) -> tuple[str | None, str | None]:
        """(the next part to ask, None), or (None, why the article is incomplete or None)
        when the chain ends after ``following`` (the next part's URL, None on the last)."""
        if following is None:
            return None, None
        if len(self.parts) + 1 >= limit:
            return None, f"more than ATLANTICO_ARTICLE_MAX_PARTS={limit} parts"
        self.seen.append(following)
        return following, None

    def read(self, response: TextResponse, base_url: str) -> None:
        """Read the next part from ``response``, in the first part's sections."""
        from atlantico.extract import extract_article  # not before a page needs it

        via = self.item.metadata.get("discoveredVia")
        self.parts.append(
            extract_article(
                response, sections=self.item.sections, base_url=base_url, discovered_via=via
            )
        )

    def joined(self, failed: str | None) -> Article:
        return join_parts(self.item, self.parts, failed)
