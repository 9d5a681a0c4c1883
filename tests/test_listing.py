"""Home and listing pages: sections by label, article links, pagination layers."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from atlantico.extract.listing import article_links, find_section_links, next_page

BASE = "https://atlantico.fr"


def page(url: str, body: str, head: str = "") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")


def test_sections_found_by_label_in_navigation_first() -> None:
    response = page(
        f"{BASE}/",
        '<main><a href="/wrong">High-tech</a></main>'
        '<nav><a href="/decryptages">Décryptages</a><a href="/c/high-tech">HIGH-TECH</a></nav>',
    )
    found = find_section_links(response, {"high-tech": "High-tech", "decryptages": "Décryptages"})
    assert found == {"high-tech": f"{BASE}/c/high-tech", "decryptages": f"{BASE}/decryptages"}


def test_section_label_outside_navigation_is_still_found() -> None:
    response = page(
        f"{BASE}/",
        '<nav><a href="/pepites">Pépites</a></nav><div><a href="/ht">High-tech</a></div>',
    )
    assert find_section_links(response, {"high-tech": "High-tech"}) == {"high-tech": f"{BASE}/ht"}


def test_missing_label_is_not_guessed() -> None:
    response = page(f"{BASE}/", '<nav><a href="/pepites">Pépites</a></nav>')
    assert find_section_links(response, {"decryptages": "Décryptages"}) == {}


def test_article_links_come_from_cards_not_sidebars() -> None:
    response = page(
        f"{BASE}/decryptages",
        "<main>"
        '<article class="card"><a href="/article/decryptage/a"><h2>A</h2></a><time datetime="2026-11-20T10:00:00+01:00">x</time></article>'
        '<article class="card"><a href="https://www.atlantico.fr/pepites/b-2406117.html?xtor=RSS-1">B</a></article>'
        '<article class="card"><a href="/author/someone-12">Someone</a><a href="https://elsewhere.example/article/x/y">ext</a></article>'
        '<aside class="most-read"><article><a href="/article/decryptage/sidebar">S</a></article></aside>'
        "</main>",
    )
    links, layer = article_links(response, "atlantico.fr")
    assert layer == "cards"
    assert [link.url for link in links] == [
        f"{BASE}/article/decryptage/a",
        "https://www.atlantico.fr/pepites/b-2406117.html?xtor=RSS-1",
    ]
    assert links[0].date is not None
    assert links[0].date.isoformat() == "2026-11-20T10:00:00+01:00"
    assert links[1].date is None


def test_article_links_fall_back_to_main_content() -> None:
    response = page(
        f"{BASE}/decryptages",
        '<main><ul><li><a href="/article/decryptage/a">A</a></li></ul></main>'
        '<footer><a href="/article/decryptage/f">F</a></footer>',
    )
    links, layer = article_links(response, "atlantico.fr")
    assert layer == "main"
    assert [link.url for link in links] == [f"{BASE}/article/decryptage/a"]


def test_next_page_by_rel_next() -> None:
    response = page(f"{BASE}/decryptages", "", head='<link rel="next" href="/decryptages?page=2">')
    assert next_page(response) == (f"{BASE}/decryptages?page=2", "rel-next")


def test_next_page_by_link_text() -> None:
    response = page(
        f"{BASE}/c/high-tech/page/2",
        '<a href="/c/high-tech">‹ Page précédente</a><a href="/c/high-tech/page/3">Page suivante ›</a>',
    )
    assert next_page(response) == (f"{BASE}/c/high-tech/page/3", "link-text")


def test_next_page_by_page_number() -> None:
    response = page(
        f"{BASE}/decryptages?page=2",
        '<a href="/decryptages?page=1">1</a><a href="/decryptages?page=3">3</a><a href="/decryptages?page=4">4</a>',
    )
    assert next_page(response) == (f"{BASE}/decryptages?page=3", "page-number")


def test_bio_link_is_not_pagination() -> None:
    response = page(f"{BASE}/decryptages", '<a href="/author/x-1">Voir la bio »</a>')
    assert next_page(response) == (None, "none")
