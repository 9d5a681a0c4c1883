"""Microdata: the article marked with ``itemscope``/``itemprop`` (body under ``articleBody``).

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: JSON-LD on current pages; whether microdata is used is unknown), with replica-chosen
values where the real site is unknown: schema.org microdata on the visible elements
(``headline``, ``description``, ``datePublished`` on a ``meta``, ``author`` as a nested Person,
``image`` as an ImageObject with ``caption`` and ``copyrightHolder``, ``articleBody``,
``isAccessibleForFree``), with generic class names the project does not know.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import attr, french_date, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "site-nav",
    "sidebar": "widget widget-popular",
    "card": "widget-item",
    "card-date": "widget-date",
    "kicker": "post-overline",
    "title": "post-title",
    "chapo": "post-excerpt",
    "category": "post-section",
    "figure": "post-figure",
    "body": "post-content",
    "tags": "post-tags",
    "ad": "advert",
    "newsletter": "nl-box",
    "pager": "post-pages",
    "related": "post-related",
    "related-strip": "more-posts",
    "card-category": "more-posts__section",
}


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time", "isAccessibleForFree")
    meta = (
        f'<meta itemprop="datePublished" content="{iso(art.published)}">'
        f'<meta itemprop="isAccessibleForFree" content="{not art.premium!s}">'
        f'<link itemprop="mainEntityOfPage" href="{attr(page.canonical())}">'
    )
    if art.modified is not None:
        meta += f'<meta itemprop="dateModified" content="{iso(art.modified)}">'
        page.show("dateModified")
    if art.category:
        meta += f'<meta itemprop="articleSection" content="{attr(art.category)}">'
    people = []
    if art.author_mode == "cards":
        for author in art.authors:
            page.show("authors")
            if author.path:
                page.show("authors.url")
            people.append(
                '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                f'<a itemprop="url" href="{attr(author.path or "")}">'
                f'<span itemprop="name">{escape(author.name)}</span></a></span>'
            )
    elif parts.author_names(page):
        page.show("authors")
        people.append(
            '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
            f'<span itemprop="name">{escape(parts.author_names(page)[0])}</span></span>'
        )
    byline = f'<p class="post-byline">Par {parts.joined(people)}</p>' if people else ""
    figure = ""
    if art.image is not None:
        page.show("mainImage", "mainImage.credit")
        caption = ""
        if art.image.caption:
            page.show("mainImage.caption")
            caption = f'<span itemprop="caption">{page.text(art.image.caption)}</span> '
        figure = (
            '<figure class="post-figure" itemprop="image" itemscope '
            'itemtype="https://schema.org/ImageObject">'
            f'<img itemprop="url contentUrl" src="{attr(art.image.url)}" alt="">'
            f"<figcaption>{caption}"
            f'<span itemprop="copyrightHolder">{escape(art.image.credit_printed)}</span>'
            "</figcaption></figure>"
        )
    body = body_html(page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h2)
    container = f'<div class="post-content" itemprop="articleBody">\n{body}\n</div>'
    if art.premium:
        container = paywalled(page, container)
    title = parts.h1(page, extra=' itemprop="headline"')
    lead = parts.chapo(page, extra=' itemprop="description"')
    header = (
        f'<div class="post-meta">{parts.category_link(page)} · '
        f'<span class="post-date">{french_date(art.published)}</span></div>'
        f"{parts.kicker(page, 'div')}{title}{lead}{byline}{figure}"
    )
    article = (
        '<article class="post" itemscope itemtype="https://schema.org/NewsArticle">'
        f"{meta}{header}\n{container}\n{parts.taxonomy(page, themes=False)}</article>"
    )
    return (
        parts.head(page) + f'<body class="single-post">{chrome.site_header(page, today=False)}\n'
        f'<div class="site-content">{article}{chrome.sidebar(page, "Les plus lus")}</div>'
        f"{chrome.related_strip(page)}\n{chrome.footer(page)}<!--pad:foot--></body></html>\n"
    )


def _h2(inner: str) -> str:
    return f"<h2>{inner}</h2>"
