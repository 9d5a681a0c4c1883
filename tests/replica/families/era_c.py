"""Era C: the React server-rendered front end (~2020 →).

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md eras B/C: ``<title>`` is ``TITLE<!-- --> | Atlantico.fr``, sometimes with a space
before ``<!-- -->``; category, image caption printed twice, credit, surtitle, chapo, author cards
with the name printed twice and ``Voir la bio »``), with replica-chosen values where the real
site is unknown (class names).

With the known containers it uses the BEM names of the replica's current template
(``article__title``…); without them, unhashed PascalCase component names.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import attr, iso, relative_time

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Page

KNOWN: dict[str, str] = {
    "kicker": "article__surtitle",
    "title": "article__title",
    "chapo": "article__chapo",
    "category": "article__category",
    "caption": "article__caption",
    "credit": "article__credit",
    "figure": "article__image",
    "byline": "article__byline",
    "author-card": "author-card",
    "tags": "article__tags",
    "themes": "article__themes",
    "body": "article__body",
}
OTHER: dict[str, str] = {
    "kicker": "ArticleHeader-overline",
    "title": "ArticleHeader-heading",
    "chapo": "ArticleHeader-intro",
    "category": "ArticleHeader-section",
    "caption": "Media-legend",
    "credit": "Media-rights",
    "figure": "Media",
    "byline": "ArticleHeader-signature",
    "author-card": "AuthorBox",
    "tags": "ArticleFooter-keywords",
    "themes": "ArticleFooter-topics",
    "body": "ArticleContent",
}
SHARED: dict[str, str] = {
    "nav": "Navigation",
    "sidebar": "MostRead",
    "card": "MostRead-item",
    "card-date": "MostRead-date",
    "ad": "AdSlot",
    "newsletter": "NewsletterInline",
    "pager": "ArticlePager",
    "related": "InlineRelated",
    "related-strip": "SameTopic",
    "card-category": "SameTopic-category",
    "site-header": "Header",
    "site-footer": "Footer",
}


def render(page: Page) -> str:
    art = page.art
    top = parts.category_link(page)
    when = relative_time(art.published, page.site.now)
    page.show("datePublished", "datePublished.time")
    time = f'<time datetime="{iso(art.published)}">{when}</time>'
    figure = parts.figure(page)
    if art.image is not None and art.image.caption and page.rng.random() < 0.5:
        # The caption printed twice (seen on React-era pages): once above, once in the figure.
        figure = f"<p{page.c('caption')}>{page.text(art.image.caption)}</p>{figure}"
    body = body_html(page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h2)
    container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    cards = _cards_twice(page)
    main = (
        f'<div class="ArticlePage">{top}{time}{figure}{parts.kicker(page, "p")}'
        f"{parts.h1(page)}{parts.chapo(page)}{cards}\n{container}\n"
        f"{parts.taxonomy(page, themes=True)}</div>"
    )
    return (
        parts.head(page, react=True)
        + f'<body><div id="__next">{chrome.site_header(page, today=False)}\n'
        f"<main>{main}{chrome.related_strip(page)}{chrome.sidebar(page, 'Les plus lus')}</main>\n"
        f"{chrome.footer(page)}<!--pad:foot--></div>"
        '<script id="__NEXT_DATA__" type="application/json">{"props":{},"page":"/article"}'
        "</script></body></html>\n"
    )


def _cards_twice(page: Page) -> str:
    """Author cards with the name printed twice (a heading and the link), as seen."""
    art = page.art
    if art.author_mode != "cards" or not art.authors:
        return parts.byline(page, prefix="avec", links=False)
    page.show("authors", "authors.url")
    out = []
    for author in art.authors:
        path = attr(author.path or "")
        out.append(
            f"<div{page.c('author-card')}><span>{escape(author.name)}</span>"
            f'<a href="{path}">{escape(author.name)}</a>'
            f"<p>{escape(author.bio or '', quote=False)}</p>"
            f'<a href="{path}">Voir la bio »</a></div>'
        )
    return "".join(out)


def _h2(inner: str) -> str:
    return f"<h2>{inner}</h2>"
