"""The cheaper page classification gives the same answer as before on every kind of page."""

from __future__ import annotations

import gzip
import itertools
import json
import random
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse

from atlantico import urls
from atlantico.extract import page_kind as module
from atlantico.extract.page_kind import article_page_kind, is_challenge, page_kind

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
ARTICLE_URL = "https://atlantico.fr/article/decryptage/un-article"


def old_is_challenge(response: TextResponse) -> bool:
    title = response.xpath("normalize-space(string(//title))").get() or ""
    if module.CHALLENGE_TITLE.search(title):
        return True
    markup = " ".join(
        response.xpath("//script/@src | //iframe/@src | //@id | //form/@action").getall()
    )
    return bool(module.CHALLENGE_MARKUP.search(markup))


def old_page_kind(response: Response, requested_url: str | None = None) -> str:
    """page_kind as it was before (whole-body text, two lowered copies, challenge twice)."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if not isinstance(response, TextResponse) or (
        content_type and not content_type.startswith(module.HTML_TYPES)
    ):
        return "not_html"
    if not response.body.strip():
        return "empty"
    if old_is_challenge(response):
        return "interstitial_challenge"
    if module.BINARY_BYTES.search(response.body) or (
        b"</body>" not in response.body.lower() and b"</html>" not in response.body.lower()
    ):
        return "malformed"
    text = response.xpath("normalize-space(string(//body))").get() or ""
    if not text:
        return "empty"
    has_heading = bool(response.xpath("//h1"))
    if not has_heading and len(text.split()) < 150 and module.COOKIE_WALL.search(response.text):
        return "interstitial_cookie"
    title = response.xpath("normalize-space(string(//title))").get() or ""
    heading = response.xpath("normalize-space(string(//h1))").get() or ""
    if module.SOFT_404_WORDS.search(title) or module.SOFT_404_WORDS.search(heading):
        return "soft_404"
    if (
        requested_url
        and urls.is_article_path(urlsplit(requested_url).path)
        and not urls.is_article_path(urlsplit(response.url).path)
    ):
        return "soft_404_redirect"
    return "article"


HEADS = [
    "",
    "<head><title>Un article</title></head>",
    "<head><title>Page introuvable</title></head>",
    "<head><title>Just a moment...</title></head>",
    "<head><title>404</title></head>",
    '<head><script src="https://js.datadome.co/tags.js"></script></head>',
]
BODIES = [
    "",
    "<h1>Titre</h1><p>Texte de l'article.</p>",
    "<h1></h1><p>Texte</p>",
    "<h1>   </h1>",
    "<h1>\u00a0</h1>",
    "<h1>Erreur 404</h1>",
    "<p>Nous respectons votre vie privée. Accepter et continuer</p>",
    '<div id="didomi-host"></div>',
    "<p>" + "mot " * 200 + "consent</p>",
    '<div id="cf-chl-widget"></div><h1>Titre</h1>',
    '<iframe src="https://www.google.com/recaptcha/api2"></iframe>',
    '<form action="/cdn-cgi/challenge-platform/x"></form>',
    "<p>Un article sur les captchas et recaptcha</p><h1>Les captchas</h1>",
    "<h2>Sous-titre</h2><p>Texte sans titre principal</p>",
    "<!-- rien -->",
    "\x00\x01 binaire",
    "<p>saut\x0cde page, retour\rchariot</p><h1>Titre</h1>",
    "<p>tabulation\x0bverticale</p><h1>Titre</h1>",
]
ENDS = [
    "</body></html>",
    "</BODY></HTML>",
    "</html>",
    "</body>",
    "",
    "</body >",
    "</body></html><!-- " + "x" * 5000 + " -->",  # the end far from the end
]


def html(head: str, body: str, end: str) -> bytes:
    return f"<!DOCTYPE html><html>{head}<body>{body}{end}".encode()


def responses() -> list[tuple[TextResponse | Response, str]]:
    out: list[tuple[TextResponse | Response, str]] = []
    for head, body, end in itertools.product(HEADS, BODIES, ENDS):
        out.append((HtmlResponse(ARTICLE_URL, body=html(head, body, end)), ARTICLE_URL))
    rng = random.Random(14)
    for _ in range(300):
        parts = [rng.choice(BODIES) for _ in range(rng.randint(1, 4))]
        page = html(rng.choice(HEADS), "".join(parts), rng.choice(ENDS))
        landed = rng.choice([ARTICLE_URL, "https://atlantico.fr/", "https://atlantico.fr/x"])
        out.append((HtmlResponse(landed, body=page), ARTICLE_URL))
    for folder in sorted(FIXTURES.iterdir()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        body = gzip.decompress((folder / "page.html.gz").read_bytes())
        out.append((HtmlResponse(meta["url"], body=body), meta["url"]))
        out.append((HtmlResponse("https://atlantico.fr/", body=body), meta["url"]))
    out += [
        (HtmlResponse(ARTICLE_URL, body=b"   \n"), ARTICLE_URL),
        (Response(ARTICLE_URL, body=b"%PDF-1.4"), ARTICLE_URL),
        (
            HtmlResponse(ARTICLE_URL, body=b"<html></html>", headers={"Content-Type": "image/png"}),
            ARTICLE_URL,
        ),
    ]
    return out


CASES = responses()


def test_every_kind_is_covered() -> None:
    kinds = {old_page_kind(response, requested) for response, requested in CASES}
    assert kinds == {
        "article", "not_html", "empty", "malformed", "soft_404", "soft_404_redirect",
        "interstitial_challenge", "interstitial_cookie",
    }  # fmt: skip


@pytest.mark.parametrize(("response", "requested"), CASES)
def test_same_kind_as_before(response: TextResponse, requested: str) -> None:
    expected = old_page_kind(response, requested)
    assert page_kind(response, requested) == expected
    if isinstance(response, TextResponse):
        assert is_challenge(response) == old_is_challenge(response)
        if not is_challenge(response):
            assert article_page_kind(response, requested) == expected
