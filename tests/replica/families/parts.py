"""Article parts the families share: head, kicker, byline, figure, tags, author cards.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md section 3: surtitle, title, chapo, byline ``avec A et B``, author cards with
``Voir la bio »``, credits ``©…`` and ``Crédits Photo:``, ``Mots-Clés`` and ``Thématiques``),
with replica-chosen values where the real site is unknown (markup and class names). Every part
records in the page what it printed (:meth:`Page.show`).
"""

from __future__ import annotations

from html import escape

from tests.replica import corpus as C
from tests.replica.corpus import DAYS_FR
from tests.replica.textutil import PARIS, attr, french_date, french_published, slug_tokens

from .page import Page
from .structured import jsonld_scripts, opengraph, title_text


def head(page: Page, *, react: bool = False, type_form: object = None, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title_text(page, react=react)}</title>"
        f'<link rel="canonical" href="{attr(page.canonical())}">'
        f"{opengraph(page)}{jsonld_scripts(page, type_form=type_form)}{extra}"
        "<!--pad:head--></head>\n"
    )


def structured_data(page: Page) -> str:
    """OpenGraph and JSON-LD, as the options say (for families that write their own head)."""
    return opengraph(page) + jsonld_scripts(page)


def kicker(page: Page, tag: str, role: str = "kicker") -> str:
    """The surtitle; an *empty* surtitle element when the article has none, and sometimes an
    empty one before the filled one (a CMS slot left blank)."""
    value = page.art.kicker
    empty = f"<{tag}{page.c(role)}></{tag}>"
    if value is None:
        page.furniture.add("empty-surtitle")
        return empty
    page.show("kicker")
    filled = f"<{tag}{page.c(role)}>{page.text(value)}</{tag}>"
    if page.rng.random() < 0.2:
        page.furniture.add("empty-surtitle")
        return empty + filled
    return filled


def h1(page: Page, role: str = "title", extra: str = "") -> str:
    page.show("headline")
    return f"<h1{page.c(role)}{extra}>{page.headline_html()}</h1>"


def chapo(page: Page, tag: str = "p", role: str = "chapo", extra: str = "") -> str:
    if not page.art.chapo:
        return ""
    page.show("description")
    return f"<{tag}{page.c(role)}{extra}>{page.text(page.art.chapo)}</{tag}>"


def category_link(page: Page, role: str = "category", extra: str = "") -> str:
    category = page.art.category
    if not category:
        return ""
    page.show("category")
    slug = C.CATEGORY_SLUGS.get(category, "autre")
    return f'<a{page.c(role)} href="/categorie/{slug}"{extra}>{escape(category)}</a>'


def author_names(page: Page) -> list[str]:
    art = page.art
    if art.author_mode == "legacy_string":
        return [C.LEGACY_AUTHOR_STRING]
    return [a.name for a in art.authors]


def joined(parts: list[str]) -> str:
    """``A``, ``A et B``, ``A, B et C``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def byline(page: Page, *, prefix: str, links: bool, role: str = "byline", tag: str = "p") -> str:
    """``Par A et B`` / ``avec A et B``: names linked to ``/author/…`` or as plain text."""
    art = page.art
    names = author_names(page)
    if not names:
        return ""
    page.show("authors")
    if art.author_mode == "legacy_string" or not links:
        inner = joined([f"<span{page.c('author-name')}>{escape(n)}</span>" for n in names])
    else:
        parts = []
        for author in art.authors:
            if author.path:
                parts.append(
                    f'<a{page.c("author-link")} href="{attr(author.path)}">{escape(author.name)}</a>'
                )
                page.show("authors.url")
            else:
                parts.append(escape(author.name))
        inner = joined(parts)
    return f"<{tag}{page.c(role)}>{prefix} {inner}</{tag}>"


def author_cards(page: Page, *, heading: str | None = None, role: str = "author-card") -> str:
    """One card per author: photo, name (linked), bio, ``Voir la bio »``."""
    art = page.art
    if art.author_mode != "cards" or not art.authors:
        return ""
    page.show("authors")
    cards = []
    for author in art.authors:
        path = attr(author.path or "")
        if author.path:
            page.show("authors.url")
        cards.append(
            f'<div{page.c(role)}><img src="{attr(author.photo or "")}" alt="">'
            f'<a href="{path}">{escape(author.name)}</a>'
            f"<p>{escape(author.bio or '', quote=False)}</p>"
            f'<a href="{path}">Voir la bio »</a></div>'
        )
    title = f"<h3>{escape(heading)}</h3>" if heading else ""
    return f"<section{page.c('authors')}>{title}{''.join(cards)}</section>"


def figure(
    page: Page,
    *,
    credit_role: str = "credit",
    caption_role: str = "caption",
    with_credit: bool = True,
) -> str:
    """The main image with its caption and credit as printed (``©Reuters``, ``Crédits Photo:``);
    ``with_credit`` False: the family prints no credit (``mainImage.credit`` not carried)."""
    image = page.art.image
    if image is None:
        return ""
    page.show("mainImage")
    caption = ""
    if image.caption:
        page.show("mainImage.caption")
        caption = f"<span{page.c(caption_role)}>{page.text(image.caption)}</span> "
    credit = ""
    if with_credit:
        page.show("mainImage.credit")
        credit = f"<span{page.c(credit_role)}>{escape(image.credit_printed, quote=False)}</span>"
    alt = attr(image.caption or "")
    return (
        f'<figure{page.c("figure")}><img src="{attr(image.url)}" alt="{alt}">'
        f"<figcaption>{caption}{credit}</figcaption></figure>"
    )


def taxonomy(page: Page, *, themes: bool) -> str:
    """``Mots-Clés`` links (and ``Thématiques`` when the family prints them)."""
    art = page.art
    out = ""
    if art.tags:
        page.show("tags")
        links = "".join(_link(page, "tag", t) for t in art.tags)
        out += f"<div{page.c('tags')}><span>Mots-Clés</span>{links}</div>"
    if themes and art.themes:
        page.show("themes")
        links = "".join(_link(page, "thematique", t) for t in art.themes)
        out += f"<div{page.c('themes')}><span>Thématiques</span>{links}</div>"
    return out


def _link(page: Page, folder: str, label: str) -> str:
    return f'<a{page.c("tag")} href="/{folder}/{"-".join(slug_tokens(label))}">{escape(label)}</a>'


def visible_date(page: Page) -> str:
    """The publication date as a French page prints it, with its time, in one of the forms
    French news sites use: ``Publié le 12 mai 2017 à 10h00``, ``Le 12/05/2017 à 10:00``,
    ``mardi 12 mai 2017, 10:00``, ``12.05.2017 - 10h00``."""
    local = page.art.published.astimezone(PARIS)
    hm, hhmm = f"{local.hour}h{local.minute:02d}", f"{local.hour:02d}:{local.minute:02d}"
    numeric = f"{local.day:02d}/{local.month:02d}/{local.year}"
    form = page.rng.randrange(4)
    page.furniture.add(f"date-form:{form}")
    if form == 0:
        return french_published(local)
    if form == 1:
        return f"Le {numeric} à {hhmm}"
    if form == 2:
        return f"{DAYS_FR[local.weekday()]} {french_date(local)}, {hhmm}"
    return f"{numeric.replace('/', '.')} - {hm}"


def updated_line(page: Page, role: str = "updated") -> str:
    """``Mis à jour le 20 novembre 2026 à 9h05`` (an update date printed near the publication
    date, sometimes before it: a trap for ``datePublished``); empty when never updated."""
    modified = page.art.modified
    if modified is None:
        return ""
    page.show("dateModified")
    page.furniture.add("updated-line")
    text = french_published(modified).replace("Publié le", "Mis à jour le")
    return f"<p{page.c(role)}>{text}</p>"
