"""Hashed CSS-module class names (``Article_body__x7Fq2``), fresh for every site seed.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: the current front end is React; its real class names are unknown), with
replica-chosen values where the real site is unknown: here every class is
``<Component>_<part>__<5 random characters>``, drawn again for every seed, as a Next.js build
names them. No class of the site's known containers appears; a selector written for one seed's
names fails on the next seed's.
"""

from __future__ import annotations

import random

from tests.replica.textutil import french_published, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Namer, Options, Page, opaque_token
from .parts import updated_line

# role -> (component, part): the readable half of each hashed name.
ROLES: dict[str, tuple[str, str]] = {
    "site-header": ("Header", "root"),
    "nav": ("Header", "nav"),
    "nav-item": ("Header", "item"),
    "logo": ("Header", "logo"),
    "sidebar": ("MostRead", "root"),
    "card": ("Card", "root"),
    "card-date": ("Card", "date"),
    "card-category": ("Card", "section"),
    "related-strip": ("Related", "root"),
    "kicker": ("Article", "overline"),
    "title": ("Article", "title"),
    "chapo": ("Article", "lead"),
    "category": ("Article", "section"),
    "date": ("Article", "date"),
    "updated": ("Article", "updated"),
    "site-name": ("Header", "brand"),
    "byline": ("Byline", "root"),
    "author-link": ("Byline", "link"),
    "author-name": ("Byline", "name"),
    "authors": ("AuthorBox", "list"),
    "author-card": ("AuthorBox", "root"),
    "figure": ("Figure", "root"),
    "caption": ("Figure", "caption"),
    "credit": ("Figure", "credit"),
    "body": ("Article", "body"),
    "tags": ("Tags", "root"),
    "tag": ("Tags", "link"),
    "themes": ("Topics", "root"),
    "ad": ("AdSlot", "root"),
    "newsletter": ("Newsletter", "inline"),
    "pager": ("Pager", "root"),
    "related": ("RelatedArticle", "box"),
    "source": ("Article", "source"),
    "site-footer": ("Footer", "root"),
}


def namer(seed: int, _options: Options) -> Namer:
    rng = random.Random(f"{seed}:css-modules")
    names = {
        role: f"{component}_{part}__{opaque_token(rng, 5)}"
        for role, (component, part) in sorted(ROLES.items())
    }
    return names.get


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time")
    date = (
        f'<time{page.c("date")} dateTime="{iso(art.published)}">'
        f"{french_published(art.published)}</time>"
    )
    updated = updated_line(page)
    ad_break = f"\n</div>{{ad}}<div{page.c('body')}>\n" if page.rng.random() < 0.35 else None
    body = body_html(
        page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h2, ad_break=ad_break
    )
    container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    header = (
        f"<div>{parts.category_link(page)}</div>{parts.kicker(page, 'span')}{parts.h1(page)}"
        f"{parts.chapo(page)}{parts.byline(page, prefix='Par', links=True, tag='div')}{updated}{date}"
        f"{parts.figure(page)}"
    )
    main = (
        f"<main><article><header>{header}</header>\n{container}\n"
        f"{parts.author_cards(page)}{parts.taxonomy(page, themes=True)}</article>"
        f"{chrome.sidebar(page, 'Les plus lus')}</main>"
    )
    return (
        parts.head(page, react=True)
        + f'<body><div id="__next">{chrome.site_header(page, today=False)}\n{main}\n'
        f"{chrome.related_strip(page)}{chrome.footer(page)}<!--pad:foot--></div></body></html>\n"
    )


def _h2(inner: str) -> str:
    return f"<h2>{inner}</h2>"
