"""Semantic-only markup: ``article``, ``h1``, ``time``, ``figure``; no class attribute at all.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: what an article page shows, in order), with replica-chosen values where the real site
is unknown: a page that names nothing with classes, so that only HTML's own elements (and the
structured data, when present) tell the kicker before the ``h1``, the chapo after it, the byline
(``rel="author"``), the date (``time``), the category (the breadcrumb) and the body. The paywall
wrappers keep their classes: they are the site's paywall forms.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import attr, french_date, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Namer, Options, Page


def namer(_seed: int, _options: Options) -> Namer:
    def none(_role: str) -> None:
        return None

    return none


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time")
    local = art.published
    date = (
        f'<time datetime="{iso(local)}">{french_date(local)}, '
        f"{local.hour:02d}:{local.minute:02d}</time>"
    )
    crumbs = '<li><a href="/">Accueil</a></li>'
    if art.category:
        crumbs += f"<li>{parts.category_link(page)}</li>"
    breadcrumb = f'<nav aria-label="Fil d’Ariane"><ol>{crumbs}</ol></nav>'
    byline = ""
    if parts.author_names(page):
        page.show("authors")
        if art.author_mode == "cards":
            links = []
            for author in art.authors:
                if author.path:
                    page.show("authors.url")
                    links.append(
                        f'<a rel="author" href="{attr(author.path)}">{escape(author.name)}</a>'
                    )
                else:
                    links.append(escape(author.name))
            byline = f"<p>Par {parts.joined(links)}</p>"
        else:
            byline = f"<p>Par {escape(parts.joined(parts.author_names(page)))}</p>"
    body = body_html(page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h2)
    container = f"<div>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    figure = ""
    if art.image is not None:
        page.show("mainImage", "mainImage.credit")
        caption = ""
        if art.image.caption:
            page.show("mainImage.caption")
            caption = page.text(art.image.caption) + " "
        figure = (
            f'<figure><img src="{attr(art.image.url)}" alt="{attr(art.image.caption or "")}">'
            f"<figcaption>{caption}<small>{escape(art.image.credit_printed)}</small></figcaption>"
            "</figure>"
        )
    tags = ""
    if art.tags:
        page.show("tags")
        items = "".join(
            f'<li><a rel="tag" href="/tag/{attr(t.lower())}">{escape(t)}</a></li>' for t in art.tags
        )
        tags = f"<footer><p>Mots-Clés</p><ul>{items}</ul></footer>"
    article = (
        f"<article><header>{breadcrumb}{parts.kicker(page, 'p')}{parts.h1(page)}"
        f"{parts.chapo(page)}{byline}<p>{date}</p></header>{figure}\n{container}\n{tags}</article>"
    )
    return (
        parts.head(page) + f"<body>{chrome.site_header(page, today=False)}\n<main>{article}"
        f"{chrome.sidebar(page, 'Les plus lus')}</main>{chrome.related_strip(page)}\n"
        f"{chrome.footer(page)}<!--pad:foot--></body></html>\n"
    )


def _h2(inner: str) -> str:
    return f"<h2>{inner}</h2>"
