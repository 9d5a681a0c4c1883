"""Opaque styled-components class names (``sc-bdVaJa kXyZab``): nothing readable in a class.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: a React front end whose class names are unknown), with replica-chosen values where the
real site is unknown: every element's class is ``sc-<6 letters> <6 letters>``, fresh per seed,
mostly ``div`` and ``span`` elements, as styled-components renders them. Only the ``h1``, the
``time`` element and the text itself say what is what; on some pages the paragraphs are
``div`` elements.
"""

from __future__ import annotations

import random

from tests.replica.textutil import french_published, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Namer, Options, Page, opaque_token


def namer(seed: int, _options: Options) -> Namer:
    cache: dict[str, str] = {}

    def name(role: str) -> str:
        if role not in cache:
            rng = random.Random(f"{seed}:styled:{role}")
            cache[role] = f"sc-{opaque_token(rng, 6)} {opaque_token(rng, 6)}"
        return cache[role]

    return name


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time")
    if page.rng.random() < 0.5:
        date = f'<time{page.c("date")} datetime="{iso(art.published)}">{french_published(art.published)}</time>'
    else:
        date = f"<span{page.c('date')}>{parts.visible_date(page)}</span>"
    # Paragraphs as <p> or as bare <div> elements (no element says "paragraph").
    tag = page.rng.choice(("p", "div"))
    body = body_html(
        page,
        paragraph=lambda inner: f"<{tag}{page.c('paragraph')}>{inner}</{tag}>",
        subheading=lambda inner: f"<h2{page.c('subheading')}>{inner}</h2>",
    )
    container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    header = (
        f"<div{page.c('top')}>{parts.category_link(page)}</div>{parts.figure(page)}"
        f"{parts.kicker(page, 'span')}{parts.h1(page)}{parts.chapo(page, 'div')}"
        f"{parts.byline(page, prefix='avec', links=True, tag='div')}{date}"
    )
    article = (
        f"<div{page.c('article')}>{header}\n{container}\n"
        f"{parts.author_cards(page)}{parts.taxonomy(page, themes=False)}</div>"
    )
    rail = chrome.sidebar(page, "Les plus lus")
    if page.rng.random() < 0.5:  # the rail of other articles before the article in the DOM
        page.furniture.add("rail-first")
        main = f"<div{page.c('main')}>{rail}{article}</div>"
    else:
        main = f"<div{page.c('main')}>{article}{rail}</div>"
    return (
        parts.head(page, react=True)
        + f'<body><div id="root">{chrome.site_header(page, today=False)}\n{main}\n'
        f"{chrome.related_strip(page)}{chrome.footer(page)}<!--pad:foot--></div></body></html>\n"
    )
