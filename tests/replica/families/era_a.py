"""Era A: the Drupal template (2011 → ~2019), served at its ``.html`` URL.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md era A: body ``div#content-body``, date ``div.metas time@datetime``, old paywall
``div#paywall-placeholder``, the header printing the *current day*), with replica-chosen values
where the real site is unknown (the other class names, sidebar, byline markup).

Without the known containers the body sits in Drupal's ``field-name-body`` items and the date is
the submitted line ``Publié le 12 mai 2017 à 10h00``. Bylines are plain names (no ``/author/``
link); no ``Thématiques`` block.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import french_date, french_published, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "menu",
    "nav-item": "leaf",
    "today": "date-du-jour",
    "sidebar": "block block-views",
    "card": "views-row",
    "card-date": "date",
    "kicker": "field-name-field-surtitre",
    "title": "title",
    "chapo": "field-name-field-chapo",
    "category": "rubrique-link",
    "author-name": "username",
    "figure": "field-name-field-image",
    "caption": "legende",
    "credit": "credit",
    "tags": "field-name-field-tags",
    "tag": "tag-link",
    "ad": "pub",
    "newsletter": "block-newsletter",
    "pager": "item-list pager-article",
    "source": "source",
    "related": "lire-aussi",
    "body": "field-item",
    "related-strip": "block block-related",
    "card-category": "rubrique",
    "site-footer": "footer-inner",
}


def render(page: Page) -> str:
    art = page.art
    known = page.options.containers
    names = parts.author_names(page)
    byline = f"Par {escape(parts.joined(names))}" if names else ""
    if names:
        page.show("authors")
    if known:
        page.show("datePublished", "datePublished.time")
        local = art.published
        metas = (
            f'<div class="metas"><span class="auteur">{byline}</span> '
            f'<time datetime="{iso(local)}">{french_date(local)} - '
            f"{local.hour:02d}:{local.minute:02d}</time></div>"
        )
    else:
        page.show("datePublished", "datePublished.time")
        metas = (
            f'<div class="submitted">{french_published(art.published)}'
            f"{' · ' + byline if byline else ''}</div>"
        )
    body = body_html(page, paragraph=lambda inner: f"<p>{inner}</p>", subheading=_h2)
    if known:
        container = f'<div id="content-body">\n{body}\n</div>'
    else:
        container = (
            '<div class="field field-name-body"><div class="field-items">'
            f'<div class="field-item even" property="content:encoded">\n{body}\n</div></div></div>'
        )
    if art.premium:
        container = paywalled(page, container)
    category = ""
    if art.category:
        category = f'<div class="rubrique">{parts.category_link(page)}</div>'
    title = parts.h1(page, extra=' id="page-title"')
    node = (
        f'<div class="node node-article">{category}{parts.kicker(page, "div")}'
        f"{title}{parts.chapo(page, 'div')}{metas}"
        f"{parts.figure(page)}\n{container}\n{parts.taxonomy(page, themes=False)}</div>"
    )
    return (
        parts.head(page)
        + '<body class="html not-front page-node node-type-article"><div id="page">'
        f'<div id="header"><div class="date-du-jour">{chrome.today_line(page)}</div>'
        f"{chrome.site_name(page)}{chrome.navigation(page)}</div>\n"
        '<div id="main"><div id="sidebar-first">'
        f"{chrome.sidebar(page, 'Les plus lus')}</div>\n"
        f'<div id="content">{node}{chrome.related_strip(page)}</div></div>\n'
        f'<div id="footer">{chrome.footer(page)}<!--pad:foot--></div></div></body></html>\n'
    )


def _h2(inner: str) -> str:
    return f"<h2>{inner}</h2>"
