"""The body: furniture out whatever its spelling, teasers kept, clean HTML beside the text;
dates and bylines from the article's header only."""

from __future__ import annotations

import pytest

from atlantico.extract import extract_html
from atlantico.extract.page import Page, parse
from tests.pagebuilder import NOW

URL = "https://atlantico.fr/article/decryptage/un-article"
FIRST = "Le premier paragraphe raconte comment tout a commencé, un mardi soir."
LAST = "Le dernier paragraphe conclut : la suite dira qui avait raison."


def article(body: str, head: str = "", top: str = "") -> str:
    return (
        f'<html lang="fr"><head>{head}</head><body><header class="x"><nav><a href="/">A</a>'
        "</nav></header><main><article>"
        f"{top}<h1>Le titre</h1><div class='metas'>Par Jean Dupont</div>"
        f"<time datetime='2024-02-03T10:00:00+01:00'>3 février 2024</time>{body}"
        "</article><aside><h2>Les plus lus</h2><a href='/a'>Un autre titre</a>"
        "<span>12 mai 2017</span></aside></main></body></html>"
    )


def text_body(inner: str, container: str = "div class='sc-a1b2c3 d4e5f6'") -> str:
    tag = container.split()[0]
    return f"<{container}><p>{FIRST}</p>{inner}<p>{LAST}</p></{tag}>"


FURNITURE = {
    "related hashed class": "<div class='RelatedArticle_x7f'><a href='/b'>Un autre titre</a></div>",
    "related upper-case": "<section class='READ-ALSO'><a href='/b'>Un autre titre</a></section>",
    "lire aussi by text": "<div class='sc-zz'><p>À lire aussi</p><a href='/b'>Un autre titre</a></div>",
    "lire aussi strong": "<p><strong>A lire aussi :</strong> <a href='/b'>Un autre titre</a></p>",
    "pager": "<div class='sc-p'><a>1</a> <a>2</a> <a>Page suivante ›</a></div>",
    "vu sur": "<p>Vu sur : Le Figaro</p>",
    "pour lire la suite": "<p>Pour lire la suite, abonnez-vous</p>",
    "ad slots by id": "<div id='pv_atf'>Publicité</div><div id='infeed'><span>Annonce</span></div>",
    "placeholder by id": "<div id='video-placeholder'><p>Chargement du lecteur</p></div>",
    "embeds": "<blockquote class='twitter-tweet'><p>Un tweet</p></blockquote><iframe src='x'></iframe>",
    "subscription prompt": "<div class='sc-q'><p>Cet article est réservé aux abonnés.</p><a>Je m'abonne</a></div>",
    "newsletter box": "<div class='NewsletterSignup__box'><p>Recevez notre newsletter chaque matin</p></div>",
    "author card": "<div class='sc-c'><a href='/author/jd-1'>Jean Dupont</a><p>Jean Dupont est journaliste.</p><a>Voir la bio »</a></div>",
    "share bar": "<ul class='ShareBar_list'><li><a>Facebook</a></li><li><a>X</a></li></ul>",
}  # fmt: skip


@pytest.mark.parametrize("name", list(FURNITURE))
def test_furniture_stays_out_of_the_body(name: str) -> None:
    item = extract_html(article(text_body(FURNITURE[name])), URL)
    assert item.articleBody == f"{FIRST}\n\n{LAST}", name


def test_vu_sur_is_kept_in_metadata() -> None:
    item = extract_html(article(text_body("<p>Vu sur : Le Figaro</p>")), URL)
    assert item.metadata["seenOn"] == "Le Figaro"


@pytest.mark.parametrize(
    ("form", "body", "head"),
    [
        ("dpslvp", f"<div class='dpslvp'><p>{FIRST}</p><div><p>Réservé aux abonnés</p></div></div>", ""),
        (
            "markup Paywall",
            f"<div class='rich-content__text'><div class='markup Paywall_root__a1'><p>{FIRST}</p>"
            "<p>Cet article est réservé aux abonnés.</p><p>Texte caché ici</p></div></div>",
            "",
        ),
        (
            "Tonos only",
            f"<div class='rich-content__text'><p>{FIRST}</p></div>",
            '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>',
        ),
        (
            "Drupal placeholder",
            f"<div id='content-body'><p>{FIRST}</p></div><div id='paywall-placeholder'>"
            "<p>Pour lire la suite de cet article, abonnez-vous.</p></div>",
            "",
        ),
    ],
)  # fmt: skip
def test_premium_pages_keep_their_teaser(form: str, body: str, head: str) -> None:
    item = extract_html(article(body, head), URL)
    assert item.articleBody == FIRST, form
    assert item.isAccessibleForFree is False
    assert item.bodyTruncated is True


def test_interviews_keep_their_speakers() -> None:
    body = (
        "<div class='x'><p><strong>Atlantico :</strong> La question posée à l’expert ?</p>"
        "<p><strong>BL :</strong> Une relance de l’intervieweur ?</p>"
        "<p>Jean Dupont : La réponse de l’expert, longue et argumentée.</p></div>"
    )
    item = extract_html(article(body), URL)
    assert item.articleBody == (
        "Atlantico : La question posée à l’expert ?\n\nBL : Une relance de l’intervieweur ?"
        "\n\nJean Dupont : La réponse de l’expert, longue et argumentée."
    )


def test_live_blogs_keep_their_times() -> None:
    body = (
        "<div class='live'><div class='e'><span>0h11</span><p>Première entrée du direct.</p></div>"
        "<p><strong>23h58 :</strong> Dernière entrée du direct.</p></div>"
    )
    item = extract_html(article(body), URL)
    assert (
        item.articleBody
        == "0h11 : Première entrée du direct.\n\n23h58 : Dernière entrée du direct."
    )


def test_bare_text_with_br_runs_becomes_paragraphs() -> None:
    body = f"<div class='sc-t'>{FIRST}<br><br>\n{LAST}<br>suite du même.<br/><br/></div>"
    item = extract_html(article(body), URL)
    assert item.articleBody == f"{FIRST}\n\n{LAST} suite du même."


def test_article_body_html_is_clean() -> None:
    body = (
        "<div class='rich-content__text' style='x'><p class='p1' id='a'>Un <a href='/tag/ia'"
        " class='l' onclick='x()'>lien</a>, du <b>gras</b> et de l’<i>italique</i>.</p>"
        "<h3 class='t'>Intertitre</h3><ul class='u'><li>Un</li><li>Deux</li></ul>"
        "<blockquote><p>Une citation</p></blockquote><script>alert(1)</script>"
        "<p>Fin <span class='s'>du</span> texte.</p></div>"
    )
    item = extract_html(article(body), URL)
    assert item.articleBodyHtml == (
        '<p>Un <a href="https://atlantico.fr/tag/ia">lien</a>, du <strong>gras</strong> et de '
        "l’<em>italique</em>.</p><h3>Intertitre</h3><ul><li>Un</li><li>Deux</li></ul>"
        "<blockquote><p>Une citation</p></blockquote><p>Fin du texte.</p>"
    )
    assert item.articleBody == (
        "Un lien, du gras et de l’italique.\n\nIntertitre\n\nUn\n\nDeux\n\nUne citation"
        "\n\nFin du texte."
    )


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("12 mai 2017", "2017-05-12T00:00:00+02:00"),
        ("1er août 2023", "2023-08-01T00:00:00+02:00"),
        ("8 juillet 2025", "2025-07-08T00:00:00+02:00"),
        ("Publié le 3 juillet 2021 à 7h05", "2021-07-03T07:05:00+02:00"),
        ("il y a 5 heures", "2026-11-20T07:00:00+01:00"),
    ],
)
def test_a_date_printed_as_text_in_the_header(printed: str, expected: str) -> None:
    html = (
        "<html><body><div class='sc-hd'>Vendredi 20 Novembre 2026</div><div class='sc-w'>"
        f"<span class='sc-c'>High-tech</span><span class='sc-d'>{printed}</span>"
        f"<h1>Titre</h1><div class='sc-b'><p>{FIRST}</p><p>{LAST}</p></div>"
        "<div class='sc-r'><a href='/x'>Autre</a> <span>2 mars 2020</span></div></div>"
        "</body></html>"
    )
    item = extract_html(html, URL, now=NOW)
    assert item.datePublished == expected


def test_the_header_today_and_the_sidebar_are_never_the_date() -> None:
    html = (
        "<html><body><div id='header'><div class='date-du-jour'>Vendredi 20 Novembre 2026</div>"
        "</div><div class='node'><h1>Titre</h1><div id='content-body'>"
        f"<p>{FIRST}</p></div></div><aside><a href='/x'>Autre</a> 2 mars 2020</aside></body></html>"
    )
    item = extract_html(html, URL, now=NOW)
    assert item.datePublished is None
    assert item.metadata["validationMessages"] == ["datePublished: no date on the page"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<p class='sc-x'>Par Jean Dupont</p>", ["Jean Dupont"]),
        ("<p class='sc-x'>avec Guillaume Lagane et Emmanuel Lincot</p>", ["Guillaume Lagane", "Emmanuel Lincot"]),
        ("<span class='writer'>Anne Martin</span>", ["Anne Martin"]),
        ("<div class='metas'><span class='author'>Par Erwan Le Noan,Didier Maus</span></div>", ["Erwan Le Noan", "Didier Maus"]),
        ("<a rel='author' href='/p/cm'>Chloé Morin</a>", ["Chloé Morin"]),
        ("<p>Par <span>Jean</span> Dupont</p>", ["Jean Dupont"]),
    ],
)  # fmt: skip
def test_bylines_without_author_links(byline: str, names: list[str]) -> None:
    html = (
        f"<html><body><div class='sc-w'><h1>Titre</h1>{byline}"
        f"<div class='sc-b'><p>{FIRST}</p><p>Par ailleurs, la suite du texte est là.</p>"
        "</div></div></body></html>"
    )
    item = extract_html(html, URL)
    assert [a["name"] for a in item.authors] == names


def test_meta_author_is_the_last_resort() -> None:
    html = f"<html><head><meta name='author' content='Jean Dupont'></head><body><h1>T</h1><p>{FIRST}</p></body></html>"
    assert [a["name"] for a in extract_html(html, URL).authors] == ["Jean Dupont"]


def test_class_fragments_match_whatever_their_case() -> None:
    html = "<div class='ArticleSurtitle_root__x1'>K</div><div class='x' id='Main-Nav'></div>"
    page = Page(parse(html, URL), URL)
    assert [el.attrib["class"] for el in page.by_fragment(("surtitle",))] == [
        "ArticleSurtitle_root__x1"
    ]


def test_an_empty_paywall_slot_on_a_free_page_is_no_wall() -> None:
    head = '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":true}</script>'
    body = f"<div class='rich-content__text'><p>{FIRST}</p><p>{LAST}</p></div><div class='Paywall_slot__x1'></div>"
    item = extract_html(article(body, head), URL)
    assert item.isAccessibleForFree is True
    assert item.bodyTruncated is False
    assert item.articleBody == f"{FIRST}\n\n{LAST}"


def test_a_page_without_h1_reads_its_header_from_the_article_element() -> None:
    html = (
        "<html><head><title>Un titre | Atlantico.fr</title></head><body><header><nav>"
        "<a href='/'>A</a></nav><div>Vendredi 20 Novembre 2026</div></header><main><article>"
        "<h2 class='t'>Un titre</h2><p>Par Jean Dupont · 12 mai 2017</p>"
        f"<div><p>{FIRST}</p><p>{LAST}</p></div></article>"
        "<aside><a href='/x'>Autre</a> 3 mars 2020</aside></main></body></html>"
    )
    item = extract_html(html, URL, now=NOW)
    assert item.headline == "Un titre"
    assert item.datePublished == "2017-05-12T00:00:00+02:00"
    assert [a["name"] for a in item.authors] == ["Jean Dupont"]
    assert item.articleBody == f"{FIRST}\n\n{LAST}"
