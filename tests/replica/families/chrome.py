"""What surrounds the article on a family page: header, navigation, sidebars, footer.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: the navigation labels, era A's header printing the *current day*), with replica-chosen
values where the real site is unknown (class names, sidebar contents). Sidebars carry other
articles' titles and dates, in ``<time>`` elements or as plain French text: traps for a date or
headline taken from the wrong place.
"""

from __future__ import annotations

from html import escape

from tests.replica import corpus as C
from tests.replica import seed as S
from tests.replica.generator import Article
from tests.replica.render import CATEGORY_NAV, NAV_PATHS
from tests.replica.textutil import attr, french_date, french_day_header, iso, relative_time

from .page import Page


def today_line(page: Page) -> str:
    """The header's "today" (``Vendredi 20 Novembre 2026``): the day served, not the article's."""
    return french_day_header(page.site.now)


def site_name(page: Page) -> str:
    """The logo; on some pages inside an ``h1`` before the article's (old templates did)."""
    if page.rng.random() < 0.5:
        page.furniture.add("second-h1")
        return f'<h1{page.c("site-name")}><a href="/" rel="home">Atlantico</a></h1>'
    return f'<a{page.c("logo")} href="/">Atlantico</a>'


def navigation(page: Page) -> str:
    items = "".join(
        f'<li{page.c("nav-item")}><a href="{path}">{escape(label, quote=False)}</a></li>'
        for label, path in zip(S.NAV_LABELS, NAV_PATHS, strict=True)
    )
    categories = "".join(
        f'<li{page.c("nav-item")}><a href="/categorie/{C.CATEGORY_SLUGS[name]}">'
        f"{escape(name)}</a></li>"
        for name in CATEGORY_NAV
    )
    return (
        f"<nav{page.c('nav')}><ul>{items}</ul></nav>"
        f'<nav{page.c("nav")} aria-label="Rubriques"><ul>{categories}</ul></nav>'
    )


def site_header(page: Page, *, today: bool) -> str:
    date = f"<div{page.c('today')}>{today_line(page)}</div>" if today else ""
    logo = f'<a{page.c("logo")} href="/">Atlantico</a>'
    return f"<header{page.c('site-header')}>{date}{logo}{navigation(page)}</header>"


def footer(page: Page) -> str:
    return (
        f"<footer{page.c('site-footer')}><ul>"
        '<li><a href="/mentions-legales">Mentions légales</a></li>'
        '<li><a href="/cgu">CGU</a></li>'
        '<li><a href="/qui-sommes-nous">Qui sommes-nous ?</a></li>'
        "</ul><p>© Atlantico 2026</p></footer>"
    )


def others(page: Page, k: int) -> list[Article]:
    """``k`` other articles of the site, drawn from the 60 newest (deterministic per page)."""
    pool = [a for a in page.site.articles[:60] if a.id != page.art.id]
    return page.rng.sample(pool, min(k, len(pool)))


def _date_of(page: Page, other: Article) -> str:
    style = page.rng.random()
    if style < 0.45:
        return f'<time datetime="{iso(other.published)}">{french_date(other.published)}</time>'
    if style < 0.75:
        return f"<span{page.c('card-date')}>{french_date(other.published)}</span>"
    return f"<span{page.c('card-date')}>{relative_time(other.published, page.site.now)}</span>"


def sidebar(page: Page, title: str, *, k: int = 5) -> str:
    """A list of other articles with their titles and dates (``aside``)."""
    items = []
    for other in others(page, k):
        items.append(
            f'<li{page.c("card")}><a href="{attr(other.canonical_path)}">'
            f"{page.text(other.headline, decorate=False)}</a> {_date_of(page, other)}</li>"
        )
    return f"<aside{page.c('sidebar')}><h2>{escape(title)}</h2><ul>{''.join(items)}</ul></aside>"


def related_strip(page: Page) -> str:
    """ "Sur le même sujet": cards after the article, each with a category, a title, a date."""
    cards = []
    for other in others(page, 3):
        category = escape(other.category) if other.category else "Décryptages"
        cards.append(
            f"<div{page.c('card')}><span{page.c('card-category')}>{category}</span>"
            f'<h3><a href="{attr(other.canonical_path)}">'
            f"{page.text(other.headline, decorate=False)}</a></h3>{_date_of(page, other)}</div>"
        )
    return f"<section{page.c('related-strip')}><h2>Sur le même sujet</h2>{''.join(cards)}</section>"
