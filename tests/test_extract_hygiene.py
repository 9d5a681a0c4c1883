"""Text hygiene: one rule for every field from every source, and the bugs it closes."""

from __future__ import annotations

import json
import unicodedata

import pytest
from scrapy.http import HtmlResponse, Request

from atlantico import hygiene
from atlantico.extract import extract_article, extract_html
from atlantico.hygiene import clean_fragment, clean_lines, clean_text, has_markup, strip_markup
from tests.replica import generate_site
from tests.test_extract_shapes import text_fields_with_markup

URL = "https://atlantico.fr/article/decryptage/un-article"
BODY = "<p>" + "Une phrase de texte qui fait un paragraphe. " * 3 + "</p>"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("n&#039;était", "n'était"),
        ("n&amp;#039;était", "n'était"),  # double-escaped
        ("l&amp;rsquo;IA &amp;amp; la 5G", "l’IA & la 5G"),
        ("&lt;b&gt;gras&lt;/b&gt;", "gras"),  # escaped markup is markup
        ("<span>Jean</span> Dupont", "Jean Dupont"),
        ("MacDonald’s ?<br>Comment", "MacDonald’s ? Comment"),
        ("un<br/>deux", "un deux"),
        ("<p>un</p><p>deux</p>", "un deux"),
        ("<em>in</em>line", "inline"),
        ('<p class="article__surtitle"></p>', None),
        ("Titre<!-- --> suite", "Titre suite"),
        ("AT&T < 4 et 5 > 3", "AT&T < 4 et 5 > 3"),
        ("e\u0301le\u0300ve", "élève"),
        ("zéro\u200blargeur\u2060et\ufeffBOM", "zérolargeuretBOM"),
        ("coupe\u00adure", "coupeure"),
        ("Atlantico\u00a0: «\u202foui\u202f»\u2009!", "Atlantico : « oui » !"),
        ("\u00a0\u202f", None),
    ],
)
def test_clean_text(raw: str, expected: str | None) -> None:
    assert clean_text(raw) == expected


def _rules(value: str, trim: bool = True) -> str:
    """The rules of atlantico.hygiene as its docstring states them, one regex each: what its
    shortcuts must give."""
    text = strip_markup(value) if "&" in value or "<" in value else value
    text = hygiene._INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = hygiene._SPACES.sub(" ", text)
    return text.strip() if trim else text


def test_clean_text_and_clean_fragment_follow_the_rules_on_every_character() -> None:
    pieces = [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000]
    pieces += ["\U0001d400", "e\u0301", "\u00a0\u202f", "  ", "&amp;", "<br>", "&#8239;"]
    for piece in pieces:
        for value in (piece, f"a{piece}b", f" {piece}a  b{piece}", f"é{piece}\u0301 x"):
            assert clean_text(value) == (_rules(value) or None), ascii(value)
            assert clean_fragment(value) == _rules(value, trim=False), ascii(value)


def test_strip_markup_stops_on_a_bomb_of_escapes() -> None:
    bomb = "&amp;" * 20 + "lt;b&gt;"
    assert isinstance(strip_markup(bomb), str)


def test_clean_lines_splits_paragraphs() -> None:
    assert clean_lines("Un.<br><br>Deux\u00a0!\n\nTrois<br>suite") == [
        "Un.",
        "Deux !",
        "Trois suite",
    ]


def page(head: str = "", body: str = "") -> str:
    return f'<html lang="fr"><head>{head}</head><body><article>{body}</article></body></html>'


def ld(data: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_an_empty_surtitle_is_no_kicker_not_markup() -> None:
    html = page(body='<p class="article__surtitle"></p><h1>Titre</h1>' + BODY)
    item = extract_html(html, URL)
    assert item.kicker is None
    assert item.headline == "Titre"


def test_jsonld_entities_and_tags_are_cleaned() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": "Il n&#039;était pas là",
        "description": "<p>Un <b>chapo</b>&nbsp;: long</p>",
        "author": [{"@type": "Person", "name": "<span>Jean</span> Dupont"}],
        "articleSection": "High&#8209;tech",
        "keywords": ["IA &amp; 5G"],
    }
    item = extract_html(page(ld(data), "<h1>Il n'était pas là</h1>" + BODY), URL)
    assert item.headline == "Il n'était pas là"
    assert item.description == "Un chapo : long"
    assert [a["name"] for a in item.authors] == ["Jean Dupont"]
    assert item.category == "High\u2011tech"
    assert item.tags == ["IA & 5G"]


def test_an_escaped_ampersand_joins_two_authors_not_three() -> None:
    data = {"@type": "NewsArticle", "headline": "T", "author": "Jean Dupont &amp; Anne Martin"}
    item = extract_html(page(ld(data), "<h1>T</h1>" + BODY), URL)
    assert [a["name"] for a in item.authors] == ["Jean Dupont", "Anne Martin"]


def test_a_line_break_is_a_space() -> None:
    body = "<div class='rich-content__text'><p>MacDonald’s ?<br>Comment la firme a fait.</p></div>"
    item = extract_html(page(body="<h1>T</h1>" + body), URL)
    assert item.articleBody == "MacDonald’s ? Comment la firme a fait."


def test_no_text_field_of_any_replica_item_holds_markup() -> None:
    site = generate_site(60, 1234, "http://127.0.0.1:8000")
    assert len(site.truth) > 50
    for url in site.truth:
        answer = site.get(url.removeprefix(site.base_url))
        response = HtmlResponse(url=url, body=answer.body, request=Request(url))
        item = extract_article(response, base_url=site.base_url)
        assert text_fields_with_markup(item.to_dict()) == [], url
        assert item.articleBody
        assert not has_markup(item.articleBody)
