"""Era E: the current template (2024/2025 →).

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: category glued to a relative time, caption and credit, surtitle, title, chapo, byline
``avec A et B``, one card per author, body ``div.rich-content__text``, ``Mots-Clés`` and
``Thématiques``, ``Le sujet vous intéresse ?``), with replica-chosen values where the real site
is unknown (the other class names, where the date with its time is printed). Some pages split
the body in several containers around an ad slot.
"""

from __future__ import annotations

from tests.replica.textutil import french_published, iso, relative_time

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Page
from .parts import updated_line

NAMES: dict[str, str] = {
    "nav": "main-nav",
    "updated": "article-header__updated",
    "sidebar": "most-read",
    "card": "card",
    "card-date": "card__date",
    "kicker": "article-header__surtitle",
    "title": "article-header__title",
    "chapo": "article-header__hat",
    "category": "article-header__category",
    "byline": "article-header__with",
    "figure": "article-media",
    "caption": "article-media__caption",
    "credit": "article-media__copyright",
    "author-card": "author-box",
    "authors": "authors",
    "tags": "keywords",
    "themes": "topics",
    "ad": "ad-container",
    "newsletter": "newsletter-cta",
    "pager": "article-pagination",
    "related": "related-inline",
    "body": "article-text",
    "related-strip": "related-articles",
    "card-category": "card__category",
    "site-header": "site-header",
    "site-footer": "site-footer",
}


def render(page: Page) -> str:
    art = page.art
    top = (
        f'<div class="article-header__top">{parts.category_link(page)}'
        f"<span>{relative_time(art.published, page.site.now)}</span></div>"
    )
    page.show("datePublished", "datePublished.time")
    if page.rng.random() < 0.5:
        date = f'<time datetime="{iso(art.published)}">{french_published(art.published)}</time>'
    else:
        date = f'<p class="article-header__date">{parts.visible_date(page)}</p>'
    if page.options.containers:
        split = '\n</div></div>{ad}<div class="rich-content"><div class="rich-content__text">\n'
    else:
        split = f"\n</div>{{ad}}<div{page.c('body')}>\n"
    ad_break = split if page.rng.random() < 0.35 else None
    updated = updated_line(page)
    dates = updated + date if page.rng.random() < 0.5 else date + updated
    body = body_html(
        page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h2, ad_break=ad_break
    )
    if page.options.containers:
        container = (
            f'<div class="rich-content"><div class="rich-content__text">\n{body}\n</div></div>'
        )
    else:
        container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    header = (
        f"{top}{parts.figure(page)}{parts.kicker(page, 'p')}{parts.h1(page)}"
        f"{parts.chapo(page)}{dates}{parts.byline(page, prefix='avec', links=True)}"
        f"{parts.author_cards(page)}"
    )
    article = (
        f'<article class="article-page"><header class="article-header">{header}</header>\n'
        f"{container}\n{parts.taxonomy(page, themes=True)}"
        '<p class="article-page__cta">Le sujet vous intéresse ?</p></article>'
    )
    return (
        parts.head(page) + f'<body><div id="__next">{chrome.site_header(page, today=False)}\n'
        f'<main class="main">{article}{chrome.sidebar(page, "Les plus lus")}</main>'
        f"{chrome.related_strip(page)}\n{chrome.footer(page)}<!--pad:foot--></div></body></html>\n"
    )


def _h2(inner: str) -> str:
    return f"<h2>{inner}</h2>"
