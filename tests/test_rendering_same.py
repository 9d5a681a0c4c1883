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
