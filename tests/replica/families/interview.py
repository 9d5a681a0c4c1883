"""An interview: questions ``Atlantico : …`` (or the interviewer's initials) and answers
``<Expert> : …``.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: a question starts with ``Atlantico : `` or the interviewer's initials ``BL : ``;
answers start with the expert's name and `` : ``), with replica-chosen values where the real
site is unknown (markup, class names).

An article of the record that is not an interview becomes one: after its first paragraph each
paragraph is preceded by a question, and prefixed by the first author's name when it has one.
The truth changes with it (the questions and prefixes are article text).
"""

from __future__ import annotations

import random

from tests.replica.generator import Article, Block, _Writer
from tests.replica.textutil import french_published, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "menu-principal",
    "sidebar": "plus-lus",
    "card": "plus-lus__item",
    "card-date": "plus-lus__date",
    "kicker": "entretien__surtitre",
    "title": "entretien__titre",
    "chapo": "entretien__intro",
    "category": "entretien__rubrique",
    "byline": "entretien__avec",
    "figure": "entretien__visuel",
    "caption": "entretien__legende",
    "credit": "entretien__credit",
    "author-card": "expert",
    "authors": "experts",
    "tags": "entretien__tags",
    "themes": "entretien__themes",
    "ad": "encart-pub",
    "newsletter": "encart-newsletter",
    "pager": "entretien__pages",
    "related": "encart-lire-aussi",
    "body": "entretien__texte",
    "related-strip": "meme-sujet",
    "card-category": "meme-sujet__rubrique",
}


def is_question(block: Block) -> bool:
    return (
        block.kind == "p"
        and bool(block.segs)
        and block.segs[0][0] == "strong"
        and (block.segs[0][1].startswith("Atlantico") or block.segs[0][1][:-2].isupper())
    )


def transform(art: Article) -> list[Block]:
    if "interview" in art.variants or art.premium:
        return list(art.blocks)
    rng = random.Random(f"interview:{art.id}")
    writer = _Writer(rng, art.category or "High-tech")
    asker = "Atlantico" if rng.random() < 0.7 else rng.choice(("BL", "JSF", "AL"))
    expert = art.authors[0].name if art.authors and art.author_mode == "cards" else None
    out: list[Block] = []
    seen_first = False
    for block in art.blocks:
        if block.kind != "p":
            out.append(block)
            continue
        if not seen_first:
            seen_first = True
            out.append(block)
            continue
        question = ("", " " + writer.question(), "")
        out.append(Block("p", (("strong", f"{asker} :", ""), question)))
        if expert:
            out.append(Block("p", (("strong", f"{expert} :", ""), ("", " ", ""), *block.segs)))
        else:
            out.append(block)
    return out


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time")
    date = f'<time datetime="{iso(art.published)}">{french_published(art.published)}</time>'
    style = page.rng.randrange(3)

    def question(block: Block, inner: str) -> str | None:
        # Questions spelled as paragraphs, headings or with a class, per page.
        if not is_question(block) or style == 0:
            return None
        return f"<h3>{inner}</h3>" if style == 1 else f'<p class="question">{inner}</p>'

    body = body_html(
        page,
        paragraph=lambda inner: f"<p>{inner}</p>",
        subheading=lambda inner: f"<h2>{inner}</h2>",
        special=question,
    )
    container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    header = (
        f"{parts.category_link(page)}{parts.kicker(page, 'p')}{parts.h1(page)}"
        f"{parts.chapo(page)}{date}{parts.byline(page, prefix='avec', links=True)}"
        f"{parts.figure(page)}"
    )
    article = (
        f'<article class="entretien"><header>{header}</header>\n{container}\n'
        f"{parts.author_cards(page)}{parts.taxonomy(page, themes=True)}</article>"
    )
    return (
        parts.head(page)
        + f'<body><div id="app">{chrome.site_header(page, today=False)}\n<main>{article}'
        f"{chrome.sidebar(page, 'Les plus lus')}</main>{chrome.related_strip(page)}\n"
        f"{chrome.footer(page)}<!--pad:foot--></div></body></html>\n"
    )
