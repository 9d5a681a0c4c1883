"""Opt-in shapes of the replica: the same articles and truth, linked the ways other sites do.

``Site(..., shape="menus")`` (``generate_site(shape=…)``, ``ReplicaServer(shape=…)``,
``python -m tests.replica serve --shape menus``) answers the home page, the section listings,
some article pages and the parts of multi-page articles from here; every other path, and the
whole default replica, is unchanged. The truth is the default one: every article of both
sections, each once, with all its sections.

``menus``
    No section in the main navigation. High-tech sits in a "Thématiques" drop-down, its label
    split over nested elements; Décryptages in a burger menu, upper-case with a non-breaking
    space. Decoys before them: a tag page and a newsletter labelled High-tech, an article and
    an author labelled Décryptages. High-tech paginates with a numbered pager and no "next"
    link (``/rubrique/high-tech/2``); Décryptages only by ``<link rel="next">`` in the head
    (``?page=N``). High-tech links the articles both sections list by their legacy URLs
    (``/<type>/<id>/<slug>``, and ``www.`` + ``/<type>/<slug>-<id>.html``), which answer 301 to
    the current URL that Décryptages links with a trailing slash, tracking parameters and a
    fragment. The Drupal-era article is split over three pages (``….html/page/0/1``,
    ``li.pager-next a``).
``hidden``
    The home page links no High-tech page at all: only article pages do (the category link
    above the image, the category menu of their header). Décryptages is linked from the footer
    only and paginates by a "Suivant" link with nested elements (``/explore/decryptages/page/N``).
``nolisting``
    No page links a High-tech listing (article pages print the category as plain text): the
    crawler can only find High-tech's articles in the sitemaps. Décryptages paginates with a
    numbered pager of ``?page=N`` links and no "next" link.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qs, urlsplit

from .generator import PAGE_SIZE, SECTION_LABELS, Article, Response
from .textutil import attr

if TYPE_CHECKING:
    from .generator import Site

SHAPES: Final[tuple[str, ...]] = ("menus", "hidden", "nolisting")

# Where each shape puts the section listings (replica choices, as in the default replica).
LISTING_PATHS: Final[dict[str, dict[str, str]]] = {
    "menus": {"decryptages": "/type/decryptages", "high-tech": "/rubrique/high-tech"},
    "hidden": {"decryptages": "/explore/decryptages", "high-tech": "/categorie/high-tech"},
    "nolisting": {"decryptages": "/les-decryptages", "high-tech": "/categorie/high-tech"},
}
# Parts of the multi-page Drupal-era article (menus shape): its URL, then these suffixes.
PART_SUFFIXES: Final[tuple[str, ...]] = ("", "/page/0/1", "/page/0/2")


def page_count(site: Site, section: str) -> int:
    return max(1, -(-len(site.listings[section]) // PAGE_SIZE))


def listing_path(site: Site, section: str, page: int) -> str:
    base = LISTING_PATHS[site.shape or ""][section]
    if page <= 1:
        return base
    if site.shape == "menus":
        return f"{base}/{page}" if section == "high-tech" else f"{base}?page={page}"
    if site.shape == "hidden":
        return f"{base}/page/{page}"
    return f"{base}?page={page}"


def shaped_sections(site: Site) -> list[str]:
    """The sections whose listing this shape renders (the others keep the default one)."""
    if site.shape == "hidden":
        return ["decryptages"]
    if site.shape == "nolisting":
        return ["decryptages"]
    return ["decryptages", "high-tech"]


def _multipage(site: Site) -> Article | None:
    if site.shape != "menus":
        return None
    return next((a for a in site.articles if a.template == "old" and a.sections), None)


def get(site: Site, target: str) -> Response | None:
    """The shape's answer for ``target``, or None when the default replica answers."""
    from . import render

    split = urlsplit(target)
    path = split.path or "/"
    if path == "/":
        return render.html_response(home_page(site))
    if path == "/robots.txt" and site.shape == "menus":
        # The decoys' folders are closed to robots too: taking one would show in the log.
        extra = "Disallow: /tag/\nDisallow: /newsletter/\n"
        text = render.robots_txt(site).replace("User-agent: *\n", "User-agent: *\n" + extra, 1)
        return render.text_response(text, "text/plain; charset=utf-8")
    table = {
        listing_path(site, section, k): (section, k)
        for section in shaped_sections(site)
        for k in range(1, page_count(site, section) + 1)
    }
    number = parse_qs(split.query).get("page")
    hit = table.get(f"{path}?page={number[0]}" if number and number[0] != "1" else path)
    if hit is not None:
        return render.html_response(listing_page(site, *hit))
    if any(path.startswith(LISTING_PATHS[site.shape or ""][s]) for s in shaped_sections(site)):
        return render.not_found(site)
    if site.shape == "nolisting" and path.startswith(LISTING_PATHS["nolisting"]["high-tech"]):
        return render.not_found(site)
    old = _multipage(site)
    if old is not None and path.startswith(old.canonical_path):
        suffix = path[len(old.canonical_path) :]
        if suffix in PART_SUFFIXES:
            return render.html_response(part_page(site, old, PART_SUFFIXES.index(suffix)))
    if site.shape == "nolisting":
        route = site.routes.get(path)
        if route is not None and route.kind == "article":
            html = render.article_page(site, site.by_id[route.arg])
            return render.html_response(_unlink_high_tech(html))
    return None


# -- pages -----------------------------------------------------------------------------------


def _menus_header() -> str:
    """Thématiques drop-down and burger menu, decoys first (menus shape)."""
    return (
        '<header class="site-header"><a class="logo" href="/">Atlantico</a>'
        '<nav class="main-nav"><ul><li><a href="/pepites">Pépites</a></li>'
        '<li><a href="/tag/high-tech">High-tech</a></li>'
        '<li><a href="/newsletter/high-tech">Newsletter High-tech</a></li>'
        '<li class="dropdown"><button type="button">Thématiques</button>'
        '<ul class="dropdown-menu"><li><a href="/rubrique/politique">Politique</a></li>'
        '<li><a href="/rubrique/high-tech"><i class="icon"></i><span>High</span>-<span>Tech</span>'
        "</a></li></ul></li></ul></nav>"
        '<button class="burger" aria-label="Menu"></button>'
        '<div id="burger-menu" class="drawer" hidden><ul>'
        '<li><a href="/author/decryptages-12">Décryptages</a></li>'
        '<li><a href="/type/decryptages">DÉCRYPTAGES\u00a0</a></li>'
        '<li><a href="/recherche">Recherche</a></li></ul></div></header>'
    )


def _plain_header() -> str:
    return (
        '<header class="site-header"><a class="logo" href="/">Atlantico</a>'
        '<nav class="main-nav"><ul><li><a href="/pepites">Pépites</a></li>'
        '<li><a href="/rdv">Rendez-vous</a></li></ul></nav></header>'
    )


def _footer(site: Site) -> str:
    decryptages = LISTING_PATHS[site.shape or ""]["decryptages"]
    return (
        '<footer class="site-footer"><div class="mega-menu"><ul>'
        '<li><a href="/mentions-legales">Mentions légales</a></li>'
        f'<li><a href="{decryptages}"><span>Nos</span> <span>décryptages</span></a></li>'
        f'<li><a href="{decryptages}"><span>Décryptages</span></a></li>'
        "</ul></div><p>© Atlantico 2026</p></footer>"
    )


def _header(site: Site) -> str:
    return _menus_header() if site.shape == "menus" else _plain_header()


def _page(site: Site, title: str, canonical: str, head: str, main: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<link rel="canonical" href="{attr(site.url(canonical))}">{head}</head>\n<body>\n'
        f"{_header(site)}\n<main>{main}</main>\n{_footer(site)}\n</body></html>\n"
    )


def home_page(site: Site) -> str:
    from . import render

    rng = random.Random(f"{site.seed}:home")
    cards = "\n".join(render._card(site, a, a.canonical_path, rng) for a in site.articles[:10])
    # A card whose link text is a section's label, pointing at an article: a decoy.
    decoy = site.articles[0].canonical_path
    main = (
        f'<section class="home-latest"><h2>À la une</h2>\n{cards}\n'
        f'<p><a href="{attr(decoy)}">Décryptages</a></p></section>'
    )
    return _page(site, "Atlantico.fr", "/", "", main)


def listing_href(site: Site, art: Article, section: str) -> str:
    """How the shape's listings link an article."""
    both = len(art.sections) == 2 and art.template == "current"
    if site.shape == "menus" and both and section == "high-tech":
        if art.id % 2:
            return art.react_path
        return f"{site.scheme}://www.{site.netloc}{art.drupal_path}"
    if site.shape == "menus" and both and section == "decryptages":
        return art.canonical_path + "/?utm_source=menu&xtor=AL-1#top"
    return site.listing_href(art, section)


def _pager(site: Site, section: str, page: int) -> tuple[str, str]:
    """(head links, pagination markup) of a listing page in the shape's form."""
    last = page_count(site, section)
    nxt = listing_path(site, section, page + 1) if page < last else None
    if site.shape == "menus" and section == "decryptages":
        # rel=next only as <link> in the head; nothing in the page says "next".
        head = f'<link rel="next" href="{attr(site.url(nxt))}">' if nxt else ""
        return head, f'<p class="listing__page">Page {page} sur {last}</p>'
    if site.shape == "hidden" and section == "decryptages":
        link = (
            f'<a class="pagination__next" href="{attr(nxt)}"><span>Suivant</span> '
            "<svg><path/></svg></a>"
            if nxt
            else ""
        )
        return "", f'<div class="pagination">{link}</div>'
    # A numbered pager: the current page is not a link, and there is no "next" link.
    numbers = []
    for k in range(1, last + 1):
        if k == page:
            numbers.append(f'<span class="current">{k}</span>')
        else:
            numbers.append(f'<a href="{attr(listing_path(site, section, k))}">{k}</a>')
    return "", f'<nav class="pagination" aria-label="pages">{" ".join(numbers)}</nav>'


def listing_page(site: Site, section: str, page: int) -> str:
    from . import render

    rng = random.Random(f"{site.seed}:listing:{section}:{page}")
    arts = site.listings[section][(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cards = "\n".join(render._card(site, a, listing_href(site, a, section), rng) for a in arts)
    head, pager = _pager(site, section, page)
    label = SECTION_LABELS[section]
    main = f'<section class="listing"><h1>{escape(label)}</h1>\n{cards}\n{pager}\n</section>'
    return _page(site, f"{label} | Atlantico.fr", listing_path(site, section, page), head, main)


def part_page(site: Site, art: Article, index: int) -> str:
    """Part ``index`` (0-based) of a Drupal-era article split over ``PART_SUFFIXES`` pages."""
    from . import render

    count = len(PART_SUFFIXES)
    size = -(-len(art.blocks) // count)
    blocks = art.blocks[index * size : (index + 1) * size]
    html = render.article_page(site, replace(art, blocks=blocks))
    pager = ""
    if index + 1 < count:
        href = art.canonical_path + PART_SUFFIXES[index + 1]
        pager = f'<ul class="pager"><li class="pager-next"><a href="{attr(href)}">suivant ›</a></li></ul>'
    # After the body when the template has its tag list, else at the end of the page.
    if '<ul class="tags">' in html:
        return html.replace('<ul class="tags">', pager + '<ul class="tags">', 1)
    return html.replace("</body>", pager + "</body>", 1)


_HIGH_TECH_LINK = re.compile(r'<a\b[^>]*href="[^"]*categorie/high-tech[^"]*"[^>]*>(.*?)</a>', re.S)
_CATEGORY_MENU = re.compile(r'<nav class="categories-nav">.*?</nav>', re.S)


def _unlink_high_tech(html: str) -> str:
    """An article page whose category is printed as text, with no category menu."""
    html = _CATEGORY_MENU.sub("", html)
    return _HIGH_TECH_LINK.sub(r'<span class="article__category">\1</span>', html)
