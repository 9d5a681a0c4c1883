"""Structured data of any shape, hostile or not: JSON-LD, microdata, RDFa."""

from __future__ import annotations

import json

import pytest
from scrapy.utils.test import get_crawler

from atlantico.extract import extract_html
from atlantico.extract.structured import people
from atlantico.pipelines.text_guard import TextGuardPipeline
from atlantico.spiders.atlantico import AtlanticoSpider

URL = "https://atlantico.fr/article/decryptage/un-article"
PARAGRAPHS = ["Premier paragraphe du texte, assez long pour compter.", "Dernier paragraphe, fin."]
DOM = (
    "<article><h1>Le titre du DOM</h1><p class='date'>Publié le 12 mai 2017 à 10h05</p>"
    "<p class='byline'>Par Jean Dupont</p><div class='article-body'>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</div></article>"
)


def page(*scripts: str, body: str = DOM) -> str:
    blocks = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f'<html lang="fr"><head>{blocks}</head><body>{body}</body></html>'


HOSTILE = {
    "nesting bomb": "[" * 200_000,
    "deep objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "deep valid": json.dumps(
        {"@type": "NewsArticle", "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    ),
    "invalid": '{"@type": "NewsArticle", "headline": "cut',
    "huge": '{"@type": "WebPage", "text": "' + "x" * 600_000 + '"}',
    "wide": json.dumps([{"@type": "Thing", "n": i} for i in range(60_000)]),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_jsonld_never_raises_and_the_dom_is_used(name: str) -> None:
    item = extract_html(page(HOSTILE[name]), URL)
    assert item.headline == "Le titre du DOM"
    assert item.articleBody == "\n\n".join(PARAGRAPHS)
    assert item.datePublished == "2017-05-12T10:05:00+02:00"
    assert [a["name"] for a in item.authors] == ["Jean Dupont"]
    if name != "deep valid":
        assert item.metadata["jsonldProblems"], name
        assert any(m.startswith("jsonld:") for m in item.metadata["validationMessages"])


def test_the_text_guard_counts_rejected_jsonld() -> None:
    item = extract_html(page(HOSTILE["nesting bomb"], HOSTILE["invalid"]), URL)
    crawler = get_crawler(AtlanticoSpider)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    TextGuardPipeline.from_crawler(crawler).process_item(item)
    assert crawler.stats.get_value("atlantico/extract/jsonld_rejected") == 2


def test_a_good_block_beside_a_bomb_is_still_read() -> None:
    good = json.dumps({"@type": "NewsArticle", "headline": "Titre JSON-LD"})
    item = extract_html(page(HOSTILE["nesting bomb"], good), URL)
    assert item.headline == "Titre JSON-LD"
    assert item.metadata["sources"]["headline"] == "json-ld"


def test_graph_with_id_references_and_several_scripts() -> None:
    crumbs = json.dumps({"@type": "BreadcrumbList", "itemListElement": []})
    graph = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Person", "@id": "#a", "name": "Anne Martin", "url": "/author/am-1"},
                {"@type": "Organization", "@id": "#org", "name": "Atlantico"},
                {
                    "@type": ["Article", "NewsArticle"],
                    "headline": "Titre",
                    "author": [{"@id": "#a"}, {"@id": "#org"}],
                    "publisher": {"@id": "#org"},
                    "datePublished": "2023-04-12T07:15:00Z",
                    "isAccessibleForFree": "False",
                },
            ],
        }
    )
    item = extract_html(page(crumbs, graph), URL)
    assert [(a["name"], a["url"]) for a in item.authors] == [
        ("Anne Martin", "https://atlantico.fr/author/am-1")
    ]
    assert item.datePublished == "2023-04-12T09:15:00+02:00"
    assert item.isAccessibleForFree is False
    assert item.bodyTruncated is True


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("Jean Dupont", ["Jean Dupont"]),
        ({"@type": "Person", "name": "Jean Dupont"}, ["Jean Dupont"]),
        ([{"name": "A B"}, "C D"], ["A B", "C D"]),
        ({"@type": "Organization", "name": "AFP"}, ["AFP"]),
        ({"@type": "Organization", "name": "Atlantico"}, []),
        ({"@type": "Person", "givenName": "Anne", "familyName": "Martin"}, ["Anne Martin"]),
        (None, []),
        (42, []),
    ],
)
def test_author_shapes(author: object, names: list[str]) -> None:
    assert [name for name, _url in people(author)] == names


def test_a_cut_jsonld_headline_loses_to_the_complete_h1() -> None:
    data = json.dumps({"@type": "NewsArticle", "headline": "Le titre du…"})
    item = extract_html(page(data), URL)
    assert item.headline == "Le titre du DOM"
    assert item.metadata["sources"]["headline"] == "dom"
    assert item.metadata["fallbacks"]["headline"] == ["json-ld"]


def test_a_different_jsonld_headline_is_kept() -> None:
    data = json.dumps({"@type": "NewsArticle", "headline": "Un autre titre..."})
    assert extract_html(page(data), URL).headline == "Un autre titre..."


def test_a_cut_og_description_loses_to_the_chapo_shown() -> None:
    chapo = "Le chapo complet de l’article, tel que la page le montre au lecteur."
    body = DOM.replace("<h1>", f"<p class='chapo'>{chapo}</p><h1>", 1)
    html = page(body=body).replace(
        "<head>", f'<head><meta property="og:description" content="{chapo[:30]}…">'
    )
    item = extract_html(html, URL)
    assert item.description == chapo
    assert item.metadata["sources"]["description"] == "dom"


def test_microdata_article() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/NewsArticle">'
        '<h2 itemprop="headline">Titre microdata</h2>'
        '<meta itemprop="datePublished" content="2019-03-01T08:00:00+01:00">'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="name">Chloé Morin</span></span>'
        '<div itemprop="articleBody"><p>Texte du corps, premier paragraphe.</p></div></div>'
    )
    item = extract_html(page(body=body), URL)
    assert item.headline == "Titre microdata"
    assert item.datePublished == "2019-03-01T08:00:00+01:00"
    assert [a["name"] for a in item.authors] == ["Chloé Morin"]
    assert item.articleBody == "Texte du corps, premier paragraphe."
    assert item.metadata["sources"]["articleBody"] == "microdata"


def test_rdfa_drupal_node() -> None:
    body = (
        '<div class="node" typeof="sioc:Item foaf:Document">'
        '<h1 property="dc:title">Titre RDFa</h1>'
        '<span property="dc:date dc:created" content="2013-06-04T18:30:00+02:00"'
        ' datatype="xsd:dateTime">4 juin 2013</span>'
        '<span rel="sioc:has_creator"><a href="/author/jd-1" typeof="sioc:UserAccount"'
        ' property="foaf:name">Jean Dupont</a></span>'
        '<div class="field-name-body" property="content:encoded">Premier paragraphe.<br><br>'
        "Second paragraphe.<br>suite du second.</div></div>"
    )
    item = extract_html(page(body=body), "https://atlantico.fr/decryptage/titre-rdfa-123.html")
    assert item.headline == "Titre RDFa"
    assert item.datePublished == "2013-06-04T18:30:00+02:00"
    assert item.metadata["sources"]["datePublished"] == "rdfa"
    assert [a["name"] for a in item.authors] == ["Jean Dupont"]
    assert item.articleBody == "Premier paragraphe.\n\nSecond paragraphe. suite du second."
