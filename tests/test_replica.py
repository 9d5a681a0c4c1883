"""Self-checks of the offline replica of atlantico.fr (tests/replica).

The replica is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md facts and the seed page), with replica-chosen values where the real site is unknown
(listing URLs, class names, pagination). These tests check the replica itself, not the crawler:
that it serves what the spec says, and that its truth can be recovered from its own pages by a
straightforward reference extractor (so a crawler that disagrees with the truth is wrong, not
the replica).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import lxml.html  # type: ignore[import-untyped]
import pytest

from tests.replica import (
    NOW,
    PAGE_SIZE,
    REQUIRED_VARIANTS,
    ReplicaServer,
    clean_text,
    generate_site,
)
from tests.replica import seed as S
from tests.replica.corpus import MONTHS_FR
from tests.replica.generator import Route

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[1]
TRUTH_KEYS = {
    "url",
    "canonicalUrl",
    "headline",
    "datePublished",
    "dateModified",
    "authors",
    "description",
    "articleBody",
    "mainImage",
    "kicker",
    "category",
    "type",
    "tags",
    "themes",
    "sections",
    "isAccessibleForFree",
    "bodyTruncated",
    "inLanguage",
    "articleId",
}
BOILERPLATE = {clean_text(t) for t in (*S.SEED_COMMENTS_NOTICE, "Le sujet vous intéresse ?")}
MONTHS = {m: i + 1 for i, m in enumerate(MONTHS_FR)}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --------------------------------------------------------------------------------------------
# HTTP helpers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Fetched:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, method: str = "GET") -> Fetched:
    """GET without following redirects."""
    request = urllib.request.Request(url, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return Fetched(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, dict(error.headers.items()), error.read())


@pytest.fixture(scope="module")
def srv() -> Iterator[ReplicaServer]:
    with ReplicaServer(n_articles=60, seed=1234) as server:
        yield server


def canonical_target(base_url: str, page_url: str, href: str) -> str:
    """What a crawler should request for a listing href: absolute, base host, no query."""
    url = urljoin(page_url, href)
    parts = urlsplit(url)
    netloc = parts.netloc.removeprefix("www.")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def resolve(url: str) -> str:
    """Follow one 301 (legacy URL) if any."""
    answer = fetch(url)
    if answer.status == 301:
        return answer.headers["Location"]
    assert answer.status == 200, (url, answer.status)
    return url


def crawl_listing(base_url: str, section: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Walk a listing the way a crawler would (Décryptages: rel=next; High-tech: link text).

    Returns page URLs, card hrefs per page and the "most read" hrefs seen.
    """
    home = lxml.html.fromstring(fetch(base_url + "/").text)
    label = {"decryptages": "Décryptages", "high-tech": "High-tech"}[section]
    href = next(a.get("href") for a in home.iter("a") if a.text_content().strip() == label)
    url = urljoin(base_url + "/", href)
    pages: list[str] = []
    cards: list[list[str]] = []
    aside: list[str] = []
    while url:
        answer = fetch(url)
        assert answer.status == 200, url
        doc = lxml.html.fromstring(answer.text)
        pages.append(url)
        cards.append([a.get("href") for a in doc.cssselect("section.listing a.card__link")])
        aside.extend(a.get("href") for a in doc.cssselect("aside.most-read a"))
        nxt = doc.xpath('//a[@rel="next"]/@href') or [
            a.get("href") for a in doc.iter("a") if "suivant" in a.text_content().lower()
        ]
        url = urljoin(url, nxt[0]) if nxt else ""
    return pages, cards, aside


# --------------------------------------------------------------------------------------------
# Reference extractor (the recipe SITE.md describes, plus the replica's fallbacks)


def _iso(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(PARIS).isoformat(timespec="seconds")


def _french_datetime(text: str) -> str:
    match = re.search(r"(\d{1,2})(?:er)? (\w+) (\d{4}) à (\d{1,2})h(\d{2})", text)
    assert match, text
    day, month, year, hour, minute = match.groups()
    moment = datetime(int(year), MONTHS[month], int(day), int(hour), int(minute), tzinfo=PARIS)
    return moment.isoformat(timespec="seconds")


def _jsonld_article(doc: Any) -> dict[str, Any] | None:
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        nodes = data.get("@graph", [data])
        for node in nodes:
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any("Article" in k for k in kinds):
                return dict(node)
    return None


def _split_names(value: str) -> list[str]:
    return [n.strip() for n in re.split(r",| et ", value) if n.strip()]


def _text(el: Any) -> str:
    return clean_text(el.text_content())


def _first(doc: Any, css: str) -> Any:
    found = doc.cssselect(css)
    return found[0] if found else None


def extract(html: str, url: str) -> dict[str, Any]:
    """Reference extraction of one article page (everything except ``sections``)."""
    doc = lxml.html.fromstring(html)
    canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
    if doc.cssselect("#content-body"):
        match = re.search(r"/(\w[\w-]*)/[^/]*-(\d+)\.html$", canonical)
        assert match
        return {
            "url": canonical,
            "canonicalUrl": canonical,
            "headline": _text(_first(doc, "h1.title")),
            "datePublished": _iso(_first(doc, ".metas time").get("datetime")),
            "dateModified": None,
            "authors": [
                {"name": _text(_first(doc, ".metas .author")).removeprefix("Par "), "url": None}
            ],
            "description": None,
            "articleBody": "\n\n".join(
                t for p in doc.cssselect("#content-body p") if (t := _text(p))
            ),
            "mainImage": None,
            "kicker": None,
            "category": None,
            "type": match.group(1),
            "tags": [_text(a) for a in doc.cssselect("ul.tags a")],
            "themes": [],
            "isAccessibleForFree": True,
            "bodyTruncated": False,
            "inLanguage": doc.get("lang"),
            "articleId": match.group(2),
        }
    ld = _jsonld_article(doc) or {}
    headline = ld.get("headline") or _text(_first(doc, "h1.article__title"))
    if "datePublished" in ld:
        published = _iso(ld["datePublished"])
    elif (time_el := _first(doc, "time.article__date")) is not None:
        published = _iso(time_el.get("datetime"))
    else:
        published = _french_datetime(_text(_first(doc, ".article__date")))
    authors: list[dict[str, Any]] = []
    raw = ld.get("author")
    if raw:
        people = raw if isinstance(raw, list) else [raw]
        for person in people:
            names = _split_names(person["name"])
            url_value = person.get("url") if len(names) == 1 else None
            authors.extend({"name": n, "url": url_value} for n in names)
    elif (byline := _first(doc, ".article__byline")) is not None:
        links = byline.cssselect("a")
        if links:
            authors = [{"name": _text(a), "url": urljoin(url, a.get("href"))} for a in links]
        else:
            names = _split_names(_text(byline).removeprefix("avec "))
            authors = [{"name": n, "url": None} for n in names]
    paragraphs = []
    text_root = _first(doc, ".rich-content__text")
    for el in text_root:
        if el.tag not in ("p", "h2"):
            continue  # read-also div
        strong = el.find("strong")
        if strong is not None and clean_text(strong.text_content()).lower().startswith("a lire"):
            continue
        text = _text(el)
        # "Vu sur: <source>" names where a pépite was seen: not body text (issue 10; it was
        # kept here before).
        if text and text not in BOILERPLATE and not text.startswith("Vu sur:"):
            paragraphs.append(text)
    image = None
    if (figure := _first(doc, "figure.article__image")) is not None:
        caption = _first(figure, ".article__caption")
        printed = _text(_first(figure, ".article__credit"))
        credit = re.sub(r"^(Crédits Photo:|©)\s*", "", printed).strip() or None
        image = {
            "url": figure.cssselect("img")[0].get("src"),
            "caption": _text(caption) if caption is not None else None,
            "credit": credit,
        }
    paywalled = bool(doc.xpath('//div[contains(@class, "Paywall")]'))
    free = ld.get("isAccessibleForFree", not paywalled)
    if isinstance(free, str):
        free = free.lower() == "true"
    kicker = _first(doc, ".article__surtitle")
    category = _first(doc, ".article__category")
    description = doc.xpath('//meta[@name="description"]/@content')
    return {
        "url": canonical,
        "canonicalUrl": canonical,
        "headline": clean_text(headline),
        "datePublished": published,
        "dateModified": _iso(ld["dateModified"]) if "dateModified" in ld else None,
        "authors": [{"name": clean_text(a["name"]), "url": a["url"]} for a in authors],
        "description": clean_text(description[0]) if description else None,
        "articleBody": "\n\n".join(paragraphs),
        "mainImage": image,
        "kicker": _text(kicker) if kicker is not None else None,
        "category": _text(category) if category is not None else None,
        "type": urlsplit(canonical).path.split("/")[2],
        "tags": [_text(a) for a in doc.cssselect(".article__tags a")],
        "themes": [_text(a) for a in doc.cssselect(".article__themes a")],
        "isAccessibleForFree": free,
        "bodyTruncated": paywalled,
        "inLanguage": doc.get("lang"),
        "articleId": ld.get("identifier"),
    }


# --------------------------------------------------------------------------------------------
# Tests


def test_home_navigation(srv: ReplicaServer) -> None:
    answer = fetch(srv.base_url + "/")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Date" in answer.headers
    doc = lxml.html.fromstring(answer.text)
    assert doc.get("lang") == "fr"
    assert doc.findtext(".//title") == "Atlantico.fr"
    labels = [a.text_content() for a in doc.cssselect("header nav.main-nav a")]
    assert labels == list(S.NAV_LABELS)
    assert len(labels) == 9
    categories = {a.text_content(): a.get("href") for a in doc.cssselect("nav.categories-nav a")}
    assert categories["High-tech"] == "/categorie/high-tech"
    assert list(categories) == [
        "Politique",
        "Economie",
        "International",
        "Société",
        "Culture",
        "High-tech",
    ]
    assert len(doc.cssselect("article.card")) == 10


@pytest.mark.parametrize("section", ["decryptages", "high-tech"])
def test_listing_pages_and_sections(srv: ReplicaServer, section: str) -> None:
    pages, cards, aside = crawl_listing(srv.base_url, section)
    assert len(pages) >= 3
    assert all(len(page) == PAGE_SIZE for page in cards[:-1])
    assert 0 < len(cards[-1]) <= PAGE_SIZE
    found = set()
    for page_url, hrefs in zip(pages, cards, strict=True):
        for href in hrefs:
            target = canonical_target(srv.base_url, page_url, href)
            found.add(resolve(target))
    expected = {url for url, item in srv.truth.items() if section in item["sections"]}
    assert found == expected
    # The "most read" aside never points into this section (it is a trap for attribution).
    for href in aside:
        target = resolve(canonical_target(srv.base_url, pages[0], href))
        assert target not in expected


def test_listing_markup(srv: ReplicaServer) -> None:
    base = srv.base_url
    first = fetch(base + "/decryptages").text
    assert f'<link rel="next" href="{base}/decryptages?page=2">' in first
    assert '<a rel="next" href="/decryptages?page=2">Suivant</a>' in first
    assert 'rel="prev"' not in first
    second = fetch(base + "/decryptages?page=2").text
    assert '<a rel="prev" href="/decryptages">Précédent</a>' in second
    ht = fetch(base + "/categorie/high-tech").text
    assert "rel=" not in ht.split("<main>")[1]
    assert '<a href="/categorie/high-tech/page/2" class="pager__link">Page suivante ›</a>' in ht
    ht2 = fetch(base + "/categorie/high-tech/page/2").text
    assert "‹ Page précédente" in ht2
    site = srv.site
    last = site.page_count("high-tech")
    assert "Page suivante" not in fetch(base + f"/categorie/high-tech/page/{last}").text
    assert fetch(base + f"/categorie/high-tech/page/{last + 1}").status == 404
    assert fetch(base + "/decryptages?page=99").status == 404
    # Listing href forms: tracking parameters, fragment, www host, absolute, legacy.
    hrefs: list[str] = []
    for section in ("decryptages", "high-tech"):
        for path in site.listing_paths(section):
            doc = lxml.html.fromstring(fetch(base + path).text)
            hrefs.extend(a.get("href") for a in doc.cssselect("a.card__link"))
    host = urlsplit(base).netloc
    assert any("utm_source=newsletter" in h for h in hrefs)
    assert any(h.endswith("?xtor=RSS-1") for h in hrefs)
    assert any(h.endswith("#comments") for h in hrefs)
    assert any(h.startswith(f"http://www.{host}/article/") for h in hrefs)
    assert any(h.startswith(f"{base}/article/") for h in hrefs)
    assert any(h.endswith(".html") and not h.startswith("/decryptage/") for h in hrefs)
    assert any(re.fullmatch(r"/[a-z-]+/\d+/[a-z0-9-]+", h) for h in hrefs)


def test_legacy_urls_redirect(srv: ReplicaServer) -> None:
    base = srv.base_url
    checked = 0
    for art in srv.site.articles:
        canonical = base + art.canonical_path
        for path in art.legacy_paths:
            answer = fetch(base + path)
            assert answer.status == 301, path
            assert answer.headers["Location"] == canonical
            checked += 1
        if art.type == "pepite":
            assert art.drupal_path.startswith("/pepites/")
        if art.type == "rdv":
            assert art.rdv_series_path in art.legacy_paths
    assert checked > 100
    assert fetch(canonical).status == 200


def test_old_template_page(srv: ReplicaServer) -> None:
    old = next(a for a in srv.site.articles if a.template == "old")
    url = srv.base_url + old.canonical_path
    assert re.fullmatch(r"/decryptage/[a-z0-9-]+-\d+\.html", old.canonical_path)
    answer = fetch(url)
    assert answer.status == 200
    assert '<div class="date-du-jour">Mardi 23 Mai 2017</div>' in answer.text
    assert "ld+json" not in answer.text
    item = srv.truth[url]
    assert item["authors"] == [{"name": "Jean Dupont", "url": None}]
    assert item["datePublished"] == "2017-05-12T10:00:00+02:00"
    assert item["sections"] == ["decryptages"]
    for key in ("category", "kicker", "description", "mainImage"):
        assert item[key] is None, key
    assert item["themes"] == []
    assert item["articleId"] == str(old.id)


def test_every_truth_page_matches_reference_extraction(srv: ReplicaServer) -> None:
    assert len(srv.truth) == 57
    for url, item in srv.truth.items():
        answer = fetch(url)
        assert answer.status == 200, url
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        extracted = extract(answer.text, url)
        expected = {k: v for k, v in item.items() if k != "sections"}
        assert extracted == expected, url


def test_truth_format(srv: ReplicaServer) -> None:
    base = srv.base_url
    strange = re.compile("[\u00a0\u202f\u200b\u200c\u200d\u2060\ufeff]")

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    for url, item in srv.truth.items():
        assert set(item) == TRUTH_KEYS
        assert item["url"] == item["canonicalUrl"] == url
        assert url.startswith(base + "/")
        for text in strings(item):
            assert not strange.search(text), (url, text)
            assert unicodedata.is_normalized("NFC", text)
            assert text == text.strip()
        for key in ("datePublished", "dateModified"):
            if item[key] is not None:
                moment = datetime.fromisoformat(item[key])
                assert moment.utcoffset() == moment.astimezone(PARIS).utcoffset()
                assert moment <= NOW
                assert moment.year >= 2011
        for author in item["authors"]:
            assert author["url"] is None or re.fullmatch(
                re.escape(base) + r"/author/[a-z0-9-]+-([0-9]+|[A-Za-z0-9]{10})", author["url"]
            )
        if item["mainImage"]:
            assert re.fullmatch(
                r"https://atlantico-media\.s3\.eu-west-3\.amazonaws\.com/[\w-]+_[0-9a-f]{10}\.jpg",
                item["mainImage"]["url"],
            )
        assert item["type"] in ("decryptage", "pepite", "rdv", "atlantico-light")
        assert item["sections"] in (["decryptages"], ["high-tech"], ["decryptages", "high-tech"])
        assert ("decryptages" in item["sections"]) == (item["type"] == "decryptage")
        assert ("high-tech" in item["sections"]) == (item["category"] == "High-tech") or (
            item["category"] is None
        )
        assert item["bodyTruncated"] == (not item["isAccessibleForFree"])
        assert item["articleBody"]
        assert "\n\n\n" not in item["articleBody"]
    both = [i for i in srv.truth.values() if len(i["sections"]) == 2]
    assert len(both) >= 10


def test_seed_article(srv: ReplicaServer) -> None:
    url = f"{srv.base_url}/article/pepite/{S.SEED_SLUG}"
    item = srv.truth[url]
    assert (
        item["headline"]
        == 'Elon Musk confie qu’être propriétaire de Twitter est "assez douloureux"'
    )
    assert item["kicker"] == "Mea culpa"
    assert item["authors"] == []
    assert item["category"] == "High-tech"
    assert item["sections"] == ["high-tech"]
    assert item["tags"] == ["BBC"]
    assert item["themes"] == []
    assert item["datePublished"] == "2023-04-12T09:15:00+02:00"
    assert item["mainImage"]["credit"] == "OLIVIER DOULIERY / AFP"
    assert item["mainImage"]["caption"] == S.SEED_CAPTION
    paragraphs = item["articleBody"].split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[0].startswith("Elon Musk a assuré mercredi")
    assert paragraphs[1].endswith("mea culpa :")
    assert paragraphs[-1].endswith('ne présente pas de danger pour le public".')
    html = fetch(url).text
    assert "Crédits Photo: OLIVIER DOULIERY / AFP" in html
    assert "<!-- --> | Atlantico.fr</title>" in html


def test_variants_present() -> None:
    site = generate_site(60, 1234)
    index = site.variant_index()
    missing = [v for v in REQUIRED_VARIANTS if v not in index]
    assert not missing
    for variant in ("seed", "old_template", "boilerplate_inside", "interview", "vu_sur"):
        assert variant in index, variant
    for variant in ("read_also_div", "read_also_strong", "bare_credit", "jsonld_bare"):
        assert variant in index, variant
    for form in ("utm", "xtor", "fragment", "www", "absolute", "legacy_drupal", "legacy_react"):
        assert "link_" + form in index, form
    premium = len(index["premium"])
    assert 0.08 <= premium / len(site.truth) <= 0.25
    # Legacy-linked articles are in one section only.
    for art in site.articles:
        if any(f.startswith("legacy") for f in art.link_forms.values()):
            assert len(art.sections) == 1
    truth = {i["url"].rsplit("/", 1)[-1]: i for i in site.truth.values()}
    spring = next(a for a in site.articles if "dst_spring" in a.variants)
    autumn = next(a for a in site.articles if "dst_autumn" in a.variants)
    assert truth[spring.slug]["datePublished"] == "2025-03-30T03:30:00+02:00"
    assert truth[autumn.slug]["datePublished"] == "2025-10-26T01:30:00+02:00"
    text_only = next(a for a in site.articles if "date_text_only" in a.variants)
    assert truth[text_only.slug]["datePublished"] == "2021-07-03T07:05:00+02:00"
    legacy = next(a for a in site.articles if "legacy_author_string" in a.variants)
    assert [a["name"] for a in truth[legacy.slug]["authors"]] == [
        "Erwan Le Noan",
        "Didier Maus",
        "David Valence",
    ]
    accented = next(a for a in site.articles if "accented_author" in a.variants)
    urls = [a["url"] for a in truth[accented.slug]["authors"]]
    assert any("/author/franck-decloquement-" in u for u in urls)
    assert any("/author/sbastien-le-fol-" in u for u in urls)


def test_nfd_and_zero_width_are_in_html_only(srv: ReplicaServer) -> None:
    site = srv.site
    nfd = next(a for a in site.articles if "nfd" in a.variants)
    html = fetch(srv.base_url + nfd.canonical_path).text
    text = lxml.html.fromstring(html).cssselect(".rich-content__text")[0].text_content()
    assert not unicodedata.is_normalized("NFC", text)
    assert unicodedata.is_normalized(
        "NFC", srv.truth[srv.base_url + nfd.canonical_path]["articleBody"]
    )
    zw = [a for a in site.articles if "zwsp_title" in a.variants and a.sections]
    assert zw
    html = fetch(srv.base_url + zw[0].canonical_path).text
    assert "\u200b" in lxml.html.fromstring(html).cssselect("h1")[0].text_content()
    assert "\u00a0" in html or "\u202f" in html


def test_robots_sitemaps_and_rss(srv: ReplicaServer) -> None:
    base = srv.base_url
    robots = fetch(base + "/robots.txt")
    assert robots.headers["Content-Type"].startswith("text/plain")
    assert robots.text.splitlines()[:3] == [
        "User-agent: *",
        "Disallow: /recherche",
        "Disallow: /mon-compte",
    ]
    assert f"Sitemap: {base}/sitemap-index.xml" in robots.text
    index = ET.fromstring(fetch(base + "/sitemap-index.xml").body)
    locs = [e.text or "" for e in index.iter(SM + "loc")]
    assert base + "/news-sitemap.xml" in locs
    monthly = [u for u in locs if re.search(r"/sitemaps/\d{4}-\d{2}\.xml$", u)]
    assert monthly
    listed: set[str] = set()
    for url in monthly:
        answer = fetch(url)
        assert answer.headers["Content-Type"].startswith("application/xml")
        tree = ET.fromstring(answer.body)
        listed.update(e.text or "" for e in tree.iter(SM + "loc"))
        assert all(e.text for e in tree.iter(SM + "lastmod"))
    all_urls = {base + a.canonical_path for a in srv.site.articles}
    assert listed == all_urls
    assert set(srv.truth) < listed  # articles in no section are in the sitemaps too
    news = ET.fromstring(fetch(base + "/news-sitemap.xml").body)
    ns = "{http://www.google.com/schemas/sitemap-news/0.9}"
    dates = [datetime.fromisoformat(e.text or "") for e in news.iter(ns + "publication_date")]
    assert dates
    assert all((NOW - d).total_seconds() <= 2 * 86400 for d in dates)
    assert len(list(news.iter(ns + "title"))) == len(dates)
    rss = ET.fromstring(fetch(base + "/rss.xml").body)
    items = rss.findall("./channel/item")
    assert len(items) == 30
    for item in items:
        assert parsedate_to_datetime(item.findtext("pubDate") or "").tzinfo is not None
        assert (item.findtext("link") or "") in all_urls


def test_not_found_and_headers(srv: ReplicaServer) -> None:
    answer = fetch(srv.base_url + "/nulle-part")
    assert answer.status == 404
    assert "Page introuvable" in answer.text
    head = fetch(srv.base_url + "/decryptages", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert int(head.headers["Content-Length"]) > 1000


def test_request_log_and_silence(srv: ReplicaServer, capfd: pytest.CaptureFixture[str]) -> None:
    srv.clear_requests()
    fetch(srv.base_url + "/robots.txt?x=1")
    fetch(srv.base_url + "/nope")
    log = srv.requests
    assert [(r.method, r.path) for r in log] == [("GET", "/robots.txt?x=1"), ("GET", "/nope")]
    assert log[0].headers.get("User-Agent", "").startswith("Python-urllib")
    assert log[0].timestamp <= log[1].timestamp
    captured = capfd.readouterr()
    assert captured.err == ""


def test_deterministic_across_hash_seeds() -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.replica",
                "truth",
                "--articles",
                "60",
                "--base-url",
                "http://127.0.0.1:1",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    lines = outputs[0].splitlines()
    assert len(lines) == 57
    assert json.loads(lines[0])["url"].startswith("http://127.0.0.1:1/")
    other = generate_site(60, 99, "http://127.0.0.1:1").truth
    assert set(other) != {json.loads(line)["url"] for line in lines}


def test_large_site_is_fast_and_padding_is_realistic() -> None:
    # CPU time of this process, not wall time: a machine loaded by other work must not fail it.
    started = time.process_time()
    site = generate_site(5000, 7, "http://127.0.0.1:1", page_padding=True)
    assert time.process_time() - started < 15
    assert len(site.listings["decryptages"]) > 3000
    sizes = [len(site.get(a.canonical_path).body) for a in site.articles[:200]]
    assert min(sizes) >= 55_000
    assert max(sizes) <= 125_000
    page = site.get(site.articles[0].canonical_path).body.decode()
    body = page.split('<div class="rich-content__text">')[1].split("</div></div>")[0]
    assert "googletag" not in body
    assert "css-" not in body
    plain = generate_site(60, 1234, "http://127.0.0.1:1").articles[0]
    assert (
        len(generate_site(60, 1234, "http://127.0.0.1:1").get(plain.canonical_path).body) < 40_000
    )


def test_cli_serve_prints_base_url_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--articles", "60"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", first)
        assert fetch(first + "/").status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
    assert process.stderr is not None
    assert process.stderr.read() == ""


# --------------------------------------------------------------------------------------------
# Incremental changes (scheduled crawls: crawl, the site changes, crawl again)


def _card_paths(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [urlsplit(a.get("href")).path for a in doc.cssselect("section.listing a.card__link")]


def _sitemap_lastmods(body: bytes) -> dict[str, str]:
    tree = ET.fromstring(body)
    return {
        url.findtext(SM + "loc") or "": url.findtext(SM + "lastmod") or ""
        for url in tree.iter(SM + "url")
    }


def _check_page(site: Any, url: str) -> None:
    """The page of ``url`` yields its truth item through the reference extractor."""
    html = site.get(urlsplit(url).path).body.decode()
    expected = {k: v for k, v in site.truth[url].items() if k != "sections"}
    assert extract(html, url) == expected, url


def test_sitemaps_carry_lastmod_of_every_entry() -> None:
    site = generate_site(60, 1234, "http://127.0.0.1:1")
    lastmods: dict[str, str] = {}
    for month in site.months:
        lastmods.update(_sitemap_lastmods(site.get(f"/sitemaps/{month}.xml").body))
    news = _sitemap_lastmods(site.get("/news-sitemap.xml").body)
    assert news
    assert all(lastmods[url] == value for url, value in news.items())
    for url, item in site.truth.items():
        assert lastmods[url] == (item["dateModified"] or item["datePublished"])
        assert datetime.fromisoformat(lastmods[url]).utcoffset() is not None


def test_publish_adds_newest_articles_on_top() -> None:
    base = "http://127.0.0.1:1"
    site = generate_site(60, 1234, base)
    pages = dict(site.pages.items())
    truth = dict(site.truth)
    tops = {s: site.listings[s][0].canonical_path for s in ("decryptages", "high-tech")}
    newest = max(datetime.fromisoformat(i["datePublished"]) for i in truth.values())

    urls = site.publish(2)
    assert len(urls) == 2
    both, tech = (urlsplit(u).path for u in urls)
    assert set(site.truth) == set(truth) | set(urls)
    assert all(site.truth[u] == truth[u] for u in truth)
    assert site.truth[urls[0]]["sections"] == ["decryptages", "high-tech"]
    assert site.truth[urls[1]]["sections"] == ["high-tech"]
    assert site.truth[urls[1]]["type"] == "pepite"
    dates = [datetime.fromisoformat(site.truth[u]["datePublished"]) for u in urls]
    assert newest < dates[0] < dates[1]
    for url in urls:
        assert site.truth[url]["authors"]
        assert site.truth[url]["articleBody"]
        _check_page(site, url)

    # Page 1 of each listing starts with the new articles, newest first; 20 cards a page.
    tech_cards = _card_paths(site.get("/categorie/high-tech").body.decode())
    assert tech_cards[:3] == [tech, both, tops["high-tech"]]
    assert len(tech_cards) == PAGE_SIZE
    dec_cards = _card_paths(site.get("/decryptages").body.decode())
    assert dec_cards[:2] == [both, tops["decryptages"]]
    first = lxml.html.fromstring(site.get("/").body.decode()).cssselect("a.card__link")
    assert [a.get("href") for a in first[:2]] == [tech, both]
    rss = ET.fromstring(site.get("/rss.xml").body)
    assert [i.findtext("link") for i in rss.findall("./channel/item")[:2]] == urls[::-1]
    assert set(urls) <= set(_sitemap_lastmods(site.get("/news-sitemap.xml").body))
    month = f"/sitemaps/{dates[0]:%Y-%m}.xml"
    lastmods = _sitemap_lastmods(site.get(month).body)
    assert [lastmods[u] for u in urls] == [site.truth[u]["datePublished"] for u in urls]

    # Every other page is byte-identical: only listings, home, feeds and sitemaps changed.
    after = dict(site.pages.items())
    assert set(after) >= set(pages) | {both, tech}
    changed = {p for p in pages if after[p] != pages[p]}
    listings = set(site.listing_paths("decryptages")) | {"/categorie/high-tech"}
    listings |= {p for p in pages if p.startswith("/categorie/high-tech/page/")}
    feeds = {"/", "/rss.xml", "/news-sitemap.xml", "/sitemap-index.xml", month}
    assert changed <= listings | feeds
    articles = {p for p in pages if site.routes.get(p, Route("")).kind in ("article", "redirect")}
    assert len(articles) > 100
    assert not articles & changed

    # Deterministic: the same site publishes the same articles, byte for byte.
    again = generate_site(60, 1234, base)
    assert again.publish(2) == urls
    assert again.get(both).body == site.get(both).body
    assert generate_site(60, 1234, base).get(both).status == 404  # records are not shared
    more = [urlsplit(u).path for u in site.publish(3)]  # Décryptages only, both, High-tech only
    assert len(site.truth) == len(truth) + 5
    assert _card_paths(site.get("/decryptages").body.decode())[:3] == [more[1], more[0], both]
    tech_cards = _card_paths(site.get("/categorie/high-tech").body.decode())
    assert tech_cards[:4] == [more[2], more[1], tech, both]


def test_update_changes_one_article() -> None:
    base = "http://127.0.0.1:1"
    site = generate_site(60, 1234, base)
    url = next(u for u, i in site.truth.items() if i["dateModified"] is None)
    path = urlsplit(url).path
    pages = dict(site.pages.items())
    truth = dict(site.truth)
    month = f"/sitemaps/{truth[url]['datePublished'][:7]}.xml"
    latest = max(
        datetime.fromisoformat(i["dateModified"] or NOW.isoformat()) for i in truth.values()
    )

    site.update(url)
    item = site.truth[url]
    modified = item["dateModified"]
    assert modified is not None
    assert datetime.fromisoformat(modified) > latest
    assert item["articleBody"].startswith(truth[url]["articleBody"].split("\n\nVu sur:")[0])
    assert len(item["articleBody"]) > len(truth[url]["articleBody"])
    assert {k for k in item if item[k] != truth[url][k]} == {"dateModified", "articleBody"}
    assert all(site.truth[u] == truth[u] for u in truth if u != url)
    ld = _jsonld_article(lxml.html.fromstring(site.get(path).body.decode()))
    assert ld is not None
    assert _iso(ld["dateModified"]) == modified
    _check_page(site, url)
    assert _sitemap_lastmods(site.get(month).body)[url] == modified

    after = dict(site.pages.items())
    changed = {p for p in pages if after[p] != pages[p]}
    assert changed <= {path, month, "/sitemap-index.xml", "/news-sitemap.xml"}
    assert {path, month} <= changed
    for section in ("decryptages", "high-tech"):
        assert [a.id for a in site.listings[section]] == [
            a.id for a in generate_site(60, 1234, base).listings[section]
        ]

    # A second update moves dateModified on again; an update after a publish is later still.
    site.update(url)
    second = site.truth[url]["dateModified"]
    assert second > modified
    new = site.publish(1)[0]
    site.update(new)
    assert site.truth[new]["dateModified"] > site.truth[new]["datePublished"] > second
    _check_page(site, new)
    with pytest.raises(KeyError):
        site.update(base + "/nulle-part")
    assert generate_site(60, 1234, base).truth[url] == truth[url]  # records are not shared


def test_server_publish_and_update_over_http() -> None:
    import threading

    with ReplicaServer(n_articles=60, seed=1234) as server:
        base = server.base_url
        errors: list[str] = []
        stop = threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                for target in ("/", "/decryptages", "/categorie/high-tech", "/rss.xml"):
                    answer = fetch(base + target)
                    if answer.status != 200:
                        errors.append(f"{target}: {answer.status}")

        worker = threading.Thread(target=hammer)
        worker.start()
        try:
            before = {u: fetch(u).body for u in list(server.truth)[:15]}
            urls = server.publish(2)
            target = next(u for u in before if server.truth[u]["dateModified"] is None)
            server.update(target)
        finally:
            stop.set()
            worker.join(timeout=10)
        assert not errors
        assert len(server.truth) == 59
        pages, cards, _aside = crawl_listing(base, "high-tech")
        assert [canonical_target(base, pages[0], h) for h in cards[0][:2]] == urls[::-1]
        _pages, cards, _aside = crawl_listing(base, "decryptages")
        assert canonical_target(base, base + "/decryptages", cards[0][0]) == urls[0]
        for url in urls:
            answer = fetch(url)
            assert answer.status == 200
            assert extract(answer.text, url) == {
                k: v for k, v in server.truth[url].items() if k != "sections"
            }
        for url, body in before.items():
            assert (fetch(url).body == body) == (url != target), url
        page = lxml.html.fromstring(fetch(target).text)
        ld = _jsonld_article(page)
        assert ld is not None
        assert _iso(ld["dateModified"]) == server.truth[target]["dateModified"]
