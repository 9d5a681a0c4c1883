"""Era B: the transitional template of 2019.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the issue's observations of 2019 pages: ``div.corps-article``, RDFa
``span[property="dc:date dc:created"]@content``, ``div.header-top div.theme a`` for the
category, ``div.savoir-plus``, ``div.source``, bodies as bare text with ``<br><br>`` runs), with
replica-chosen values where the real site is unknown (the other class names).

Without the known containers the same shape uses other class names (``texte-article``,
``bandeau``…); the RDFa date stays (it is structured data, not a container). Bylines are plain
names with English class names; no ``Thématiques`` block.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import attr, iso

from . import chrome, parts
from .furniture import body_html, paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "main-menu",
    "sidebar": "col-right",
    "card": "item",
    "card-date": "item-date",
    "kicker": "surtitre",
    "title": "titre-article",
    "chapo": "chapeau",
    "author-name": "author-name",
    "byline": "author-block",
    "figure": "visuel",
    "caption": "legende",
    "credit": "copyright",
    "tags": "mots-cles",
    "ad": "pub-slot",
    "newsletter": "nl-inline",
    "pager": "pagination-article",
    "related": "encart-lire",
    "body": "txt",
    "related-strip": "meme-sujet",
    "card-category": "theme",
}

_KNOWN = {
    "top": "header-top",
    "theme": "theme",
    "body": "corps-article",
    "more": "savoir-plus",
    "source": "source",
}
_OTHER = {
    "top": "bandeau",
    "theme": "rubrique",
    "body": "texte-article",
    "more": "encadre-liens",
    "source": "provenance",
}


def render(page: Page) -> str:
    art = page.art
    n = _KNOWN if page.options.containers else _OTHER
    rng = page.rng
    local = art.published
    page.show("datePublished", "datePublished.time")
    date = (
        f'<span property="dc:date dc:created" content="{iso(local)}" datatype="xsd:dateTime">'
        f"{local.day:02d}/{local.month:02d}/{local.year} - {local.hour:02d}:{local.minute:02d}"
        "</span>"
    )
    source, page.vu_sur = page.vu_sur, None  # era B prints the source in its own div
    joiner = rng.choice(("<br><br>", "<br />\n<br />", "<br><br><br>", "\n<br>\n<br>\n"))
    body = body_html(
        page,
        paragraph=lambda inner: inner,
        subheading=lambda inner: f"<strong>{inner}</strong>",
        joiner=joiner,
        empty=lambda _page: "&nbsp;",
    )
    more = ""
    if not art.premium:
        links = "".join(
            f'<li><a href="{attr(o.canonical_path)}">{page.text(o.headline, decorate=False)}</a></li>'
            for o in chrome.others(page, 3)
        )
        more = f'<div class="{n["more"]}"><h3>En savoir plus</h3><ul>{links}</ul></div>'
        page.furniture.add("savoir-plus")
    container = f'<div class="{n["body"]}">{body}{joiner}{more}</div>'
    if art.premium:
        container = paywalled(page, container)
    source_div = ""
    if source:
        source_div = f'<div class="{n["source"]}">{page.text("Vu sur : " + source)}</div>'
        page.furniture.add("vu_sur")
    theme = ""
    if art.category:
        theme = f'<div class="{n["theme"]}">{parts.category_link(page)}</div>'
    header = (
        f'<div class="{n["top"]}">{theme}<div class="share"><a href="#">Partager</a></div></div>'
        f'<div class="article-header">{parts.kicker(page, "div")}{parts.h1(page)}'
        f'{parts.chapo(page, "div")}<div class="infos">'
        f"{parts.byline(page, prefix='Par', links=False, tag='span')} {date}</div></div>"
    )
    tags = ""
    if art.tags:
        page.show("tags")
        tags = (
            '<div class="mots-cles">Mots-Clés : '
            + ", ".join(f'<a href="/tag/{attr(t.lower())}">{escape(t)}</a>' for t in art.tags)
            + "</div>"
        )
    article = f"{header}{parts.figure(page)}\n{container}\n{source_div}{tags}"
    return (
        parts.head(page) + '<body class="page-article"><div class="wrapper">'
        f"{chrome.site_header(page, today=False)}\n"
        f'<div class="col-main"><div class="article">{article}</div>'
        f"{chrome.related_strip(page)}</div>"
        f"{chrome.sidebar(page, 'Les plus lus')}\n{chrome.footer(page)}<!--pad:foot-->"
        "</div></body></html>\n"
    )
