"""Era D: the "v3" host's template.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the issue's observations: the date printed as plain French text with no label, ``12 mai 2017``
or ``1er août 2023``, an audio player line, an ``À PROPOS DES AUTEURS`` block), with
replica-chosen values where the real site is unknown (class names, the v3 asset host).

The page prints the day only: without JSON-LD or OpenGraph the time of publication is not on
the page (``datePublished.time`` is then not carried). The header prints today's date, a trap.
Some pages print no photo credit.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import attr, french_date

from . import chrome, parts
from .furniture import ABOUT_AUTHORS, AUDIO_TEXT, body_html, paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "v3-nav",
    "today": "v3-header__today",
    "sidebar": "v3-aside",
    "card": "v3-card",
    "card-date": "v3-card__date",
    "kicker": "v3-story__kicker",
    "title": "v3-story__title",
    "chapo": "v3-story__lead",
    "category": "v3-story__section",
    "byline": "v3-story__byline",
    "figure": "v3-figure",
    "caption": "v3-figure__caption",
    "credit": "v3-figure__credit",
    "tags": "v3-tags",
    "ad": "v3-ad",
    "newsletter": "v3-newsletter",
    "pager": "v3-pager",
    "related": "v3-inline-related",
    "body": "v3-story__text",
    "related-strip": "v3-related",
    "card-category": "v3-card__section",
    "authors": "v3-about",
    "author-card": "v3-about__author",
}


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished")
    meta = (
        f'<div class="v3-story__meta">{parts.category_link(page)}'
        f"<span>{french_date(art.published)}</span></div>"
    )
    minutes = 2 + len(" ".join(art.body_texts).split()) // 180
    audio = (
        f'<div class="v3-audio"><button aria-label="Lecture">▶</button>'
        f"<span>{AUDIO_TEXT}</span><span>00:00 / {minutes:02d}:{page.rng.randint(0, 59):02d}</span>"
        "</div>"
    )
    body = body_html(page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h3)
    if page.options.containers:
        container = (
            f'<div class="rich-content"><div class="rich-content__text">\n{body}\n</div></div>'
        )
    else:
        container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    byline = ""
    if page.rng.random() < 0.5:
        byline = parts.byline(page, prefix="avec", links=True)
    about = _about(page)
    # The v3 host drops the credit line on some pages.
    figure = parts.figure(page, with_credit=page.rng.random() < 0.6)
    article = (
        f'<article class="v3-story">{meta}{parts.kicker(page, "h2")}{parts.h1(page)}'
        f"{parts.chapo(page, 'div')}{byline}{audio}{figure}\n{container}\n"
        f"{about}{parts.taxonomy(page, themes=False)}</article>"
    )
    header = (
        f'<header class="v3-header"><div class="v3-header__today">{chrome.today_line(page).lower()}'
        f"</div>{chrome.site_name(page)}{chrome.navigation(page)}</header>"
    )
    return (
        parts.head(page, extra='<script src="https://v3.atlantico.fr/_nuxt/app.js" defer></script>')
        + f'<body><div id="__nuxt">{header}\n<main class="v3-main">{article}'
        f"{chrome.sidebar(page, 'Les plus lus')}</main>{chrome.related_strip(page)}\n"
        f"{chrome.footer(page)}<!--pad:foot--></div></body></html>\n"
    )


def _about(page: Page) -> str:
    art = page.art
    names = parts.author_names(page)
    if not names:
        return ""
    page.show("authors")
    rows = []
    if art.author_mode == "cards":
        for author in art.authors:
            if author.path:
                page.show("authors.url")
            rows.append(
                f'<div class="v3-about__author"><a href="{attr(author.path or "")}">'
                f"{escape(author.name)}</a><p>{escape(author.bio or '', quote=False)}</p></div>"
            )
    else:
        rows.append(f'<div class="v3-about__author"><span>{escape(names[0])}</span></div>')
    return f'<section class="v3-about"><h3>{ABOUT_AUTHORS}</h3>{"".join(rows)}</section>'


def _h3(inner: str) -> str:
    return f"<h3>{inner}</h3>"
