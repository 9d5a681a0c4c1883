"""The listing reader reads links on lxml elements and answers as it did with a Selector each."""

from __future__ import annotations

import itertools
import random
from datetime import datetime
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse

from atlantico import urls
from atlantico.dates import parse_date
from atlantico.extract import listing
from atlantico.extract import selectors as css
from atlantico.processors import clean_text
from tests.replica import generate_site


def old_card_date(link: Selector) -> datetime | None:
    card = link.xpath("ancestor::article[1]")
    if not card:
        return None
    raw = card.xpath(".//time/@datetime").get()
    return parse_date(raw) if raw else None


def old_next_page(response: TextResponse, page: int | None = None) -> tuple[str | None, str]:
    """next_page as it was: a Selector for every link's text."""
    here = urls.canonicalize(response.url)
    href = response.css(listing.REL_NEXT_LINKS).get()
    if href and urls.canonicalize(response.urljoin(href.strip())) != here:
        return response.urljoin(href.strip()), "rel-next"
    words = {w.strip(" ›»>→") for w in css.NEXT_LINK_WORDS} - {""}
    for link in response.xpath(css.ALL_LINKS):
        text = listing._link_words(" ".join(link.xpath(".//text()").getall()))
        if (
            text in words
            or text.startswith(("page suivante", "suivant", "voir plus"))
            or (not text and link.xpath("normalize-space(string(.))").get() in {"›", "»", "→"})
        ):
            url = response.urljoin(link.attrib["href"].strip())
            if urls.canonicalize(url) != here:
                return url, "link-text"
    current = listing.page_number(response.url)
    path = urlsplit(response.url).path.rstrip("/")
    for link in response.xpath(css.ALL_LINKS):
        url = response.urljoin(link.attrib["href"].strip())
        if listing.page_number(url) == current + 1 and urlsplit(url).path.startswith(
            listing._PAGE_PATH.sub("", path) or "/"
        ):
            return url, "page-number"
    if (
        current == 1
        and not listing._PAGE_PATH.search(path)
        and "page" not in urlsplit(response.url).query
    ):
        current = listing._shown_page(response) or page or 1
    for link in response.xpath(listing.PAGER_LINKS):
        text = (clean_text(" ".join(link.xpath(".//text()").getall())) or "").strip()
        if text == str(current + 1):
            return response.urljoin(link.attrib["href"].strip()), "pager-number"
    return None, "none"


LINK_TEXTS = ["Suivant", "suivant ›", "Page suivante", "›", " » ", "→", "2", "3", "Voir plus",
              "Plus d’articles", "<span>Page</span> <b>suivante</b>", "<!-- x -->›", "",
              "<img alt='next'>", "Article", "Précédent", "\u00a0›\u00a0", "<em>2</em>"]  # fmt: skip
HREFS = ["/decryptages?page=2", "/decryptages?page=3", "/decryptages/page/2", "#", "/decryptages",
         "/article/decryptage/un-article-1", "/rubrique/high-tech/2", "https://ailleurs.fr/x",
         " /decryptages?page=2 "]  # fmt: skip
WRAPS = ["{}", '<nav class="pagination">{}</nav>', '<div class="pager">{}</div>',
         "<header><nav>{}</nav></header>", '<article><time datetime="2026-11-20T10:00:00+01:00">'
         "20 nov.</time>{}</article>", '<article><time datetime="">x</time>{}</article>',
         "<article><div><article>{}</article></div><time datetime='2026-01-02'>x</time></article>",
         '<a rel="next nofollow" href="/decryptages?page=2">{}</a>',
    '<ul role="navigation"><li class="current">1</li><li>{}</li></ul>']  # fmt: skip
URLS = ["https://atlantico.fr/decryptages", "https://atlantico.fr/decryptages?page=2",
        "https://atlantico.fr/rubrique/high-tech", "https://atlantico.fr/decryptages/page/2"]  # fmt: skip


def generated() -> list[HtmlResponse]:
    rng = random.Random(14)
    out = []
    for _ in range(1500):
        links = []
        for _ in range(rng.randint(0, 5)):
            link = f'<a href="{rng.choice(HREFS)}">{rng.choice(LINK_TEXTS)}</a>'
            links.append(rng.choice(WRAPS).format(link))
        html = f"<html><body><main>{''.join(links)}</main></body></html>"
        out.append(HtmlResponse(rng.choice(URLS), body=html.encode(), encoding="utf-8"))
    return out


def replica() -> list[HtmlResponse]:
    site = generate_site(60, 1234)
    return [
        HtmlResponse(site.url(path), body=answer.body, encoding="utf-8")
        for path, answer in site.pages.items()
        if answer.status == 200 and "html" in dict(answer.headers)["Content-Type"]
    ]


def test_next_page_and_card_dates_answer_as_before() -> None:
    layers = set()
    dated = 0
    for response, page in zip(
        replica() + generated(), itertools.cycle([None, 1, 2, 5]), strict=False
    ):
        expected = old_next_page(response, page)
        assert listing.next_page(response, page) == expected, response.text
        layers.add(expected[1])
        for link in response.xpath("//a[@href]"):
            date = old_card_date(link)
            assert listing._card_date(link) == date, response.text
            assert listing._card_date(link.root) == date, response.text  # the element itself
            dated += date is not None
    assert layers == {"rel-next", "link-text", "page-number", "pager-number", "none"}
    assert dated > 100


def old_article_links(
    response: TextResponse, site_host: str
) -> tuple[list[listing.ListedArticle], str]:
    """article_links as it was: a Selector for every link."""
    from urllib.parse import urljoin

    layers = (("cards", css.CARD_LINKS), ("main", css.MAIN_LINKS), ("page", css.BODY_LINKS))
    for layer, xpath in layers:
        found: dict[str, listing.ListedArticle] = {}
        for link in response.xpath(xpath):
            absolute = urljoin(response.url, link.attrib.get("href", "").strip())
            parts = urlsplit(absolute)
            if urls.host_key(parts.netloc) != urls.host_key(site_host):
                continue
            if not urls.is_article_path(parts.path) or absolute in found:
                continue
            found[absolute] = listing.ListedArticle(absolute, old_card_date(link))
        if found:
            return list(found.values()), layer
    return [], "none"


def test_article_links_answer_as_before() -> None:
    layers = set()
    for response in replica() + generated():
        for host in ("atlantico.fr", urlsplit(response.url).netloc, "www.atlantico.fr"):
            expected = old_article_links(response, host)
            assert listing.article_links(response, host) == expected, response.text
            layers.add(expected[1])
    assert {"cards", "main", "none"} <= layers
