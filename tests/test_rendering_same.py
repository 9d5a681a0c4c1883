"""``has_body`` read in Python over lxml gives the answer the XPath of css.BODY_BLOCKS gave."""

from __future__ import annotations

import random

from scrapy.http import HtmlResponse, TextResponse

from atlantico.extract import rendering
from atlantico.extract import selectors as css
from atlantico.processors import clean_text


def xpath_has_body(response: TextResponse) -> bool:
    """has_body as it was: every block listed by the XPath, then their text."""
    for selector, _source in css.BODY_CONTAINERS:
        for container in response.css(selector):
            blocks = container.xpath(css.BODY_BLOCKS)
            if any(clean_text(" ".join(b.xpath(".//text()").getall())) for b in blocks):
                return True
    return False


def test_the_python_reading_is_the_current_selector() -> None:
    # Fails when css.BODY_BLOCKS changes: has_body then falls back to the (slower) XPath until
    # rendering._has_text_block is brought in line and IMPLEMENTED_BODY_BLOCKS updated.
    assert rendering.FAST_BODY_BLOCKS


TAGS = ["p", "h2", "h3", "h4", "li", "blockquote", "div", "span", "ul", "section", "aside",
        "figure", "script", "style", "nav", "em", "a", "h1", "h5"]  # fmt: skip
CLASSES = ["", "read-also", "lire-aussi-box", "related-cards", "paywall", "Paywall", "aywall",
           "newsletter", "author-card", "card", "text", "xrelatedx", "rich-content"]  # fmt: skip
TEXTS = ["", " ", "\u00a0", "\u200b", "\u202f \u00a0", "Mot", "Un paragraphe.", "<!-- c -->"]
CONTAINERS = ['<div class="rich-content__text">', '<div id="content-body">',
              '<div itemprop="articleBody">', '<article><div class="article-body">']  # fmt: skip
CLOSERS = ["</div>", "</div>", "</div>", "</div></article>"]


def tree(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(TEXTS)
    tag = rng.choice(TAGS)
    cls = rng.choice(CLASSES)
    attrs = f' class="{cls}"' if cls else ""
    inner = "".join(tree(rng, depth - 1) for _ in range(rng.randint(0, 3)))
    return f"<{tag}{attrs}>{inner}</{tag}>"


def pages(count: int) -> list[HtmlResponse]:
    rng = random.Random(14)
    out = []
    for _ in range(count):
        which = rng.randrange(len(CONTAINERS))
        body = CONTAINERS[which] + tree(rng, 4) + CLOSERS[which]
        if rng.random() < 0.3:  # the whole body inside something excluded, or not
            cls = rng.choice(CLASSES)
            body = f'<{rng.choice(["div", "aside", "section"])} class="{cls}">{body}</div>'
        html = f"<html><body><h1>Titre</h1>{body}</body></html>"
        out.append(HtmlResponse("https://atlantico.fr/article/decryptage/x", body=html.encode()))
    return out


def test_same_answer_as_the_xpath_on_random_bodies() -> None:
    answers = []
    for response in pages(3000):
        expected = xpath_has_body(response)
        assert rendering.has_body(response) == expected, response.text
        answers.append(expected)
    assert 50 < sum(answers) < 2950  # both answers exercised


def test_render_reason_unchanged_on_a_page_built_in_the_browser() -> None:
    empty = HtmlResponse(
        "https://atlantico.fr/article/decryptage/x",
        body=b'<div class="rich-content__text"><p>\xc2\xa0</p><aside><p>Lire aussi</p></aside>'
        b'</div><script id="__NEXT_DATA__">{}</script>',
    )
    assert not xpath_has_body(empty)
    assert rendering.render_reason(empty) == rendering.CLIENT_APP


CONTROL_TAGS = ["button", "a", "div", "span", "li", "input", "BUTTON", "A"]
CONTROL_ATTRS = ["", ' href="/l?page=2"', ' href="#"', ' href=""', ' href="javascript:void(0)"',
                 ' href="JavaScript:x()"', ' href="javascriptx"', ' href="#top"', ' role="button"',
                 ' ROLE="button"', ' role="Button"', ' role="button link"', ' role="link"',
                 ' role="button" href="/x"', ' href="#" role="button"', ' role=""']  # fmt: skip
CONTROL_TEXTS = [
    "",
    "Voir plus",
    "voir  plus",
    "Charger plus d'articles",
    "Suite",
    "<b>Load</b> more",
]


def control_page(rng: random.Random) -> str:
    def node(depth: int) -> str:
        tag = rng.choice(CONTROL_TAGS)
        inner = "".join(node(depth + 1) for _ in range(rng.randint(0, 3 - min(depth, 3))))
        return f"<{tag}{rng.choice(CONTROL_ATTRS)}>{rng.choice(CONTROL_TEXTS)}{inner}</{tag}>"

    return "<html><body><main>" + "".join(node(0) for _ in range(rng.randint(1, 8))) + "</main>"


def test_the_load_more_xpath_selects_what_the_css_selects() -> None:
    """LOAD_MORE_XPATH gives the elements of LOAD_MORE_CONTROLS (the CSS the browser clicks),
    the same ones in the same order, so load_more_control answers as with the CSS: over random
    pages of buttons, links with and without href (``#``, ``javascript:``, other casings),
    role attributes of every kind and nested controls, and over the replica's listing pages."""
    from tests.replica import generate_site

    rng = random.Random(11)
    responses = [
        HtmlResponse(
            "https://x/categorie/high-tech", body=control_page(rng).encode(), encoding="utf-8"
        )
        for _ in range(1500)
    ]
    site = generate_site(60, 1234)
    for section in site.listings:
        for path in site.listing_paths(section):
            responses.append(
                HtmlResponse(site.url(path), body=site.get(path).body, encoding="utf-8")
            )
    found = 0
    for response in responses:
        by_css = [control.root for control in response.css(rendering.LOAD_MORE_CONTROLS)]
        by_xpath = [control.root for control in response.xpath(rendering.LOAD_MORE_XPATH)]
        assert len(by_xpath) == len(by_css), response.text
        assert all(a is b for a, b in zip(by_xpath, by_css, strict=True)), response.text
        found += len(by_css)
        texts = (clean_text(" ".join(c.xpath(".//text()").getall())) for c in response.css(
            rendering.LOAD_MORE_CONTROLS))  # fmt: skip
        expected = next((t for t in texts if t and rendering.LOAD_MORE_TEXT.search(t)), None)
        assert rendering.load_more_control(response) == expected
    assert found > 3000
