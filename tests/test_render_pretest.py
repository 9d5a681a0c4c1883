"""The render test's pre-check on the raw text gives the verdict the full test gave, on every page.

``render_reason`` answers None for an article page without parsing it when
:func:`~atlantico.extract.rendering.may_have_app_marker` says no application marker can be in
its text. Two properties, over the replica's pages, the page builder's shapes, every template
family, the scripted pages and adversarial pages (markers in comments, in other attributes, in
other casings, behind character references or NUL characters): the pre-check never says no
where :func:`~atlantico.extract.rendering.has_app_marker` finds a marker, and ``render_reason``
gives the same verdict as the test without the pre-check.
"""

from __future__ import annotations

import codecs
import itertools
import random
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from atlantico import urls
from atlantico.extract import jsonld, rendering
from atlantico.extract import selectors as css
from atlantico.extract.listing import next_page
from atlantico.extract.page import parse_encoded
from atlantico.extract.rendering import has_app_marker, may_have_app_marker, render_reason
from atlantico.reading import utf8_of_text
from tests import pagebuilder
from tests.replica import generate_site, scripted
from tests.replica.families import FAMILY_NAMES, render_family

ARTICLE_URL = "https://atlantico.fr/article/decryptage/un-article"


def full_reason(response: TextResponse) -> str | None:
    """render_reason as it was before the pre-check: every article page parsed."""
    if urls.is_article_path(urlsplit(response.url).path):
        if rendering.has_body(response) or not has_app_marker(response):
            return None
        node, _broken = jsonld.find_article_node(response.css(css.JSONLD).getall())
        return rendering.CLIENT_APP if node is None else None
    if rendering.load_more_control(response) and next_page(response)[0] is None:
        return rendering.LOAD_MORE
    return None


def response(url: str, html: str | bytes) -> HtmlResponse:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return HtmlResponse(url, body=body, encoding="utf-8")


def replica_pages() -> Iterator[HtmlResponse]:
    site = generate_site(60, 1234)
    for path, answer in site.pages.items():
        if answer.status == 200 and "html" in dict(answer.headers)["Content-Type"]:
            yield response(site.url(path), answer.body)
            # The same text at an article URL: the article test reads every page.
            yield response(ARTICLE_URL, answer.body)
    for section in ("high-tech", "decryptages"):
        yield response(
            site.url(scripted.listing_path(section)), scripted.listing_page(site, section)
        )
        for art in scripted.app_articles(site, section):
            variant = scripted.app_variant(art)
            page = scripted.app_article_page(site, variant)
            yield response(site.url(variant.canonical_path), page)
    for art, family in zip(site.articles, itertools.cycle(FAMILY_NAMES), strict=False):
        yield response(ARTICLE_URL, render_family(site, art, family))
    for family in FAMILY_NAMES:
        for art in site.articles[:3]:
            yield response(ARTICLE_URL, render_family(site, art, family))


def builder_pages() -> Iterator[HtmlResponse]:
    for shape in pagebuilder.shapes(150, seed=14):
        _truth, html, url = pagebuilder.build(shape)
        yield response(url, html)


# Adversarial fragments: real markers, markers where the XPath does not look, near misses.
MARKERS = [
    '<script id="__NEXT_DATA__" type="application/json">{"props": {}}</script>',
    '<script id="__NUXT_DATA__">[]</script>',
    "<script>window.__NUXT__={}</script>",
    "<script>window.__INITIAL_STATE__ = {};</script>",
    "<script>self.__PRELOADED_STATE__={}</script>",
    "<script>__APOLLO_STATE__</script>",
    '<div id="__next"></div>',
    "<div id='__nuxt'> </div>",
    "<div id=root></div>",
    '<div id="app"><span> </span></div>',
    '<DIV ID="app"></DIV>',
    '<div\nid\n=\n"app"></div>',
    '<div id="&#97;pp"></div>',
    '<div id="a&#x70;p"></div>',
    "<div id=ap&#112></div>",
    '<div id="&lowbar;&lowbar;next"></div>',
    '<div id="&#95;_nuxt"></div>',
    '<div id="\x00app"></div>',
    '<div id="ro\x00ot"></div>',
    '<script id="&#95;_NEXT_DATA__"></script>',
    "<script>window.__NU\x00XT__={}</script>",
    '<svg><script id="__NEXT_DATA__"></script></svg>',
    # Roots that look as if they held text, but do not (or hold a marker).
    '<div id="__next"></div>Texte',
    '<div id="__next"><!-- --></div>Texte',
    '<div id="__next"><div id="app"></div>Texte</div>',
    '<div id="__next"><p>\n</p></div>Texte',
    '<div id="__next"><script id="__NEXT_DATA__">{}</script>',
    '<div id="__next"> <span class="x"> &#32;</span></div>',
    '<div id="root"><p>\r\n\t </p></div>',
    '<!-- <div id="root"><p>T --><div id="app"></div>',
    '<div id="__next"><p>T</p></div> =app" <div id="app"></div>',
    '"<div id="__next"><p>T</p><div id="root"></div>',
]
DECOYS = [
    '<div id="__next"><header class="site-header"><a href="/">Atlantico</a></header></div>',
    '<div id="__next">\n<main><div id="app"><p>Texte</p></div></main></div>',
    "<div id='root'><h1>Titre</h1></div>",
    '<div id="app">\u00a0</div>',  # not empty for normalize-space
    '<div id="root"><p>Texte déjà là</p></div>',
    '<!-- <script id="__NEXT_DATA__">{}</script> -->',
    '<!-- <div id="app"></div> -->',
    '<p class="__next">x</p>',
    '<div data-x="window.__NUXT__"></div>',
    '<div title="__INITIAL_STATE__"></div>',
    '<div id="App"></div>',
    '<div id="APP"></div>',
    '<div id="Root"></div>',
    '<div id=" app"></div>',
    '<div id="app\r"></div>',
    '<div id="app/"></div>',
    "<div id=app/></div>",
    '<div id="apps"></div>',
    '<div id="rootline"></div>',
    '<span id="app"></span>',
    "<script>window.__nuxt__ = 1; __initial_state__</script>",
    "<script>window.&#95;_NUXT__={}</script>",
    "<p>window.__NUXT__ cité dans un article</p>",
    "<p>&lt;div id=&quot;app&quot;&gt;</p>",
    "<div id=&quot;app&quot;></div>",
    '<div id="&amp;app"></div>',
    '<a href="/x?a=1&amp;b=2" id="lien">lien</a>',
    '<div id="__next"><p>T</p></div> =app" x',
    '<p title="<div id=&quot;app&quot;>">x</p>',
    '<script type="application/ld+json">{"@type": "WebPage"}</script>',
    '<div class="rich-content__text"></div>',
]
BODIES = [
    "",
    '<div class="rich-content__text"></div>',
    '<div class="rich-content__text"><p>\u00a0</p><aside><p>Lire aussi</p></aside></div>',
    '<div class="rich-content__text"><p>Un paragraphe du texte.</p></div>',
    '<div itemprop="articleBody"><p>Texte.</p></div>',
]
JSONLD = [
    "",
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H"}</script>',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
]


def adversarial_pages() -> Iterator[HtmlResponse]:
    for fragment, body in itertools.product(MARKERS + DECOYS, BODIES):
        yield response(ARTICLE_URL, f"<html><body><h1>Titre</h1>{body}{fragment}</body></html>")
    rng = random.Random(14)
    for _ in range(1500):
        parts = [rng.choice(MARKERS + DECOYS) for _ in range(rng.randint(0, 3))]
        parts += [rng.choice(BODIES), rng.choice(JSONLD)]
        rng.shuffle(parts)
        head = rng.choice(["", "<head><title>T</title></head>"])
        html = f"<!DOCTYPE html><html>{head}<body>{''.join(parts)}</body></html>"
        yield response(rng.choice([ARTICLE_URL, "https://atlantico.fr/decryptages"]), html)


def all_pages() -> Iterator[HtmlResponse]:
    yield from replica_pages()
    yield from builder_pages()
    yield from adversarial_pages()


def test_the_pre_check_never_misses_a_marker_and_the_verdict_is_unchanged() -> None:
    verdicts: dict[str | None, int] = {}
    answered_from_text = 0
    for page in all_pages():
        maybe = may_have_app_marker(page.text)
        if has_app_marker(page):
            assert maybe, page.text
        answered_from_text += not maybe
        verdict = full_reason(page)
        assert render_reason(page) == verdict, (page.url, page.text)
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    # Every verdict met, and the pre-check both answers and falls through.
    assert verdicts.get(rendering.CLIENT_APP, 0) > 50, verdicts
    assert verdicts.get(rendering.LOAD_MORE, 0) >= 2, verdicts
    assert answered_from_text > 300


def test_every_adversarial_marker_is_seen_by_the_pre_check() -> None:
    for fragment in MARKERS:
        page = response(ARTICLE_URL, f"<html><body>{fragment}</body></html>")
        assert has_app_marker(page), fragment  # the fragment is a marker for the XPath
        assert may_have_app_marker(page.text), fragment


def test_an_article_page_without_a_marker_is_answered_without_a_parse() -> None:
    page = response(ARTICLE_URL, '<html><body><div id="main"><p>Texte</p></div></body></html>')
    assert render_reason(page) is None
    assert page._cached_selector is None  # nothing parsed the page


def test_an_xml_response_takes_the_full_test() -> None:
    # An XML parse reads the text otherwise (entities in script text, attribute names kept
    # as written): the pre-check applies to HTML only.
    for html, verdict in [
        (b'<html><body><div id="main"><p>Texte</p></div></body></html>', None),
        (
            b"<html><body><script>window.&#95;_NUXT__={}</script>"
            b'<div class="rich-content__text"></div></body></html>',
            rendering.CLIENT_APP,
        ),
    ]:
        page = XmlResponse(ARTICLE_URL, body=html, encoding="utf-8")
        assert render_reason(page) == full_reason(page) == verdict
        assert page._cached_selector is not None  # the full test parsed it


def test_nul_characters_are_dropped_as_the_parser_drops_them_in_every_encoding() -> None:
    html = (
        '<html><body><div class="rich-content__text"></div><div id="ap\x00p"></div></body></html>'
    )
    for encoding in ("utf-8", "cp1252", "utf-16", "shift_jis"):
        page = HtmlResponse(ARTICLE_URL, body=html.encode(encoding), encoding=encoding)
        assert "\x00" in page.text
        assert render_reason(page) == full_reason(page) == rendering.CLIENT_APP, encoding


def test_the_words_looked_for_in_the_bytes_give_the_answer_of_the_text() -> None:
    """Where the page's bytes stand for its ASCII characters one for one (UTF-8, the 8-bit
    encodings), the script words are looked for in the bytes: the same answer as the text's,
    over every page above and over the same pages in Windows-1252, with byte-order marks and
    with bytes that do not decode."""
    pages = list(all_pages())
    for page in pages[:400]:
        html = page.text
        for body, encoding in [
            (html.encode("cp1252", "replace"), "cp1252"),
            (codecs.BOM_UTF8 + html.encode("utf-8"), "utf-8"),
            (html.encode("utf-8") + b"\xe2\x80<p>__NUXT__\xff</p>", "utf-8"),
            (b"\x81\x8d" + html.encode("cp1252", "replace") + b"__APOLLO_STATE__", "cp1252"),
            (codecs.BOM_UTF16_LE + html.encode("utf-16-le"), "cp1252"),
        ]:
            pages.append(HtmlResponse(ARTICLE_URL, body=body, encoding=encoding))
    used = 0
    for page in pages:
        if rendering._ascii_bytes(page) and b"\x00" not in page.body:
            used += 1
            expected = may_have_app_marker(page.text)
            assert may_have_app_marker(page.text, True, page.body) == expected, page.body[:200]
        assert render_reason(page) == full_reason(page), page.body[:200]
    assert used > len(pages) // 2
    # A UTF-16 byte-order mark decodes the body as UTF-16, whatever the encoding says.
    wide = HtmlResponse(ARTICLE_URL, body=codecs.BOM_UTF16_LE + b"a\x00", encoding="cp1252")
    assert not rendering._ascii_bytes(wide)


# APP_ID_VALUE as first written, a plain alternation: the one in rendering.py must find the same.
PLAIN_APP_ID_VALUE = re.compile(r"""=\s*["']?(?:__|_?&|ro{0,2}&|ap?&|(?:root|app)(?:[\s"'>]|$))""")


def test_the_id_value_regex_finds_what_the_plain_alternation_finds() -> None:
    """The same matches (start and end), over every page above and over random strings of the
    pieces the regex is made of (Unicode spaces, both quotes, near misses such as ``ro&``,
    ``roo&``, ``rooot``, ``ap&``, ``appx``, a value at the very end), searched from anywhere."""
    pieces = ["=", "= ", "=\u00a0", "=\n", '"', "'", "_", "__", "&", "r", "o", "oo", "ot", "a",
              "p", "pp", "root", "app", ">", " ", "\u2003", "\x1c", "x", "é", "\n"]  # fmt: skip
    rng = random.Random(3)
    texts = [page.text for page in all_pages()]
    texts += ["".join(rng.choices(pieces, k=rng.randint(1, 14))) for _ in range(30000)]
    for text in texts:
        spans = [m.span() for m in rendering.APP_ID_VALUE.finditer(text)]
        assert spans == [m.span() for m in PLAIN_APP_ID_VALUE.finditer(text)], repr(text[:200])
        start = rng.randrange(len(text) + 1)
        found, plain = (
            rendering.APP_ID_VALUE.search(text, start),
            PLAIN_APP_ID_VALUE.search(text, start),
        )
        assert (found and found.span()) == (plain and plain.span()), repr(text[:200])


def test_the_test_on_a_workers_tree_gives_the_verdict_of_the_crawl_process() -> None:
    """With reading workers the client-app test of an article page is asked of the tree the
    worker builds from the page's UTF-8 (:mod:`atlantico.reading`): the same verdict as
    ``render_reason`` on the response, page for page."""
    verdicts = {True: 0, False: 0}
    for page in all_pages():
        if not urls.is_article_path(urlsplit(page.url).path):
            continue
        tree = parse_encoded(utf8_of_text(page), page.url)
        expected = render_reason(page) == rendering.CLIENT_APP
        assert rendering.is_client_app(tree) == expected, page.text
        verdicts[expected] += 1
    assert verdicts[True] > 50, verdicts
    assert verdicts[False] > 300, verdicts
