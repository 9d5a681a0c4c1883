"""HTML and XML rendering of the offline replica of atlantico.fr.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts and the seed page: navigation labels, the order of what an article page shows,
the React ``<!-- -->`` title separator, the Drupal-era template, JSON-LD, sitemaps, RSS), with
replica-chosen values where the real site is unknown (listing URLs, class names, pagination,
where the comments boilerplate sits, robots.txt).

Every function here is pure: the same site and arguments give the same bytes (per-page random
choices come from ``random.Random`` seeded with the site seed and the page's identity).
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING, Any, Final
from xml.sax.saxutils import escape as xml_escape

from . import corpus as C
from . import seed as S
from .generator import (
    OLD_TEMPLATE_TODAY,
    PAGE_SIZE,
    SECTION_LABELS,
    SECTION_PATHS,
    Article,
    Block,
    Padding,
    Response,
    Seg,
)
from .textutil import (
    attr,
    clean_text,
    french_date,
    french_day_header,
    french_published,
    french_spaces,
    html_text,
    insert_zero_width,
    iso,
    iso_utc,
    relative_time,
    slug_tokens,
)

if TYPE_CHECKING:
    from .generator import Site

HTML_TYPE: Final[str] = "text/html; charset=utf-8"
XML_TYPE: Final[str] = "application/xml; charset=utf-8"

NAV_PATHS: Final[tuple[str, ...]] = (
    "/qui-sommes-nous",
    "/newsletter",
    SECTION_PATHS["decryptages"],
    "/pepites",
    "/dossiers",
    "/rdv",
    "/atlantico-light",
    "/videos",
    "/podcasts",
)
CATEGORY_NAV: Final[tuple[str, ...]] = (
    "Politique",
    "Economie",
    "International",
    "Société",
    "Culture",
    "High-tech",
)
_PAD_HEAD: Final[str] = "<!--pad:head-->"
_PAD_FOOT: Final[str] = "<!--pad:foot-->"
_WEBSITE_NAME: Final[str] = "Atlantico"
_SCHEMA: Final[str] = "https://schema.org"


# --------------------------------------------------------------------------------------------
# Responses


def html_response(html: str, status: int = 200) -> Response:
    return Response(status, (("Content-Type", HTML_TYPE),), html.encode("utf-8"))


def text_response(text: str, content_type: str) -> Response:
    return Response(200, (("Content-Type", content_type),), text.encode("utf-8"))


def xml_response(text: str) -> Response:
    return text_response(text, XML_TYPE)


def redirect(site: Site, location: str) -> Response:
    """301 to an absolute URL (the real redirect code is unknown: replica choice)."""
    body = f'<!DOCTYPE html><html><body><a href="{attr(location)}">Moved</a></body></html>'
    headers = (("Content-Type", HTML_TYPE), ("Location", location))
    return Response(301, headers, body.encode("utf-8"))


def not_found(site: Site) -> Response:
    html = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        "<title>Page introuvable | Atlantico.fr</title></head>\n<body>\n"
        f"{_header()}\n<main><h1>Page introuvable</h1>"
        "<p>La page que vous cherchez n’existe pas ou a été déplacée.</p></main>\n"
        f"{_footer()}\n</body></html>\n"
    )
    return html_response(html, 404)


# --------------------------------------------------------------------------------------------
# Shared parts


def _header() -> str:
    items = "".join(
        f'<li><a href="{path}">{escape(label, quote=False)}</a></li>'
        for label, path in zip(S.NAV_LABELS, NAV_PATHS, strict=True)
    )
    categories = "".join(
        f'<li><a href="/categorie/{C.CATEGORY_SLUGS[name]}">{escape(name)}</a></li>'
        for name in CATEGORY_NAV
    )
    return (
        '<header class="site-header"><a class="site-header__logo" href="/">Atlantico</a>'
        f'<nav class="main-nav"><ul>{items}</ul></nav>'
        f'<nav class="categories-nav"><ul>{categories}</ul></nav></header>'
    )


def _footer() -> str:
    return (
        '<footer class="site-footer"><ul>'
        '<li><a href="/mentions-legales">Mentions légales</a></li>'
        '<li><a href="/cgu">CGU</a></li>'
        '<li><a href="/qui-sommes-nous">Qui sommes-nous ?</a></li>'
        f"</ul>{_PAD_FOOT}<p>© Atlantico 2026</p></footer>"
    )


def _most_read(site: Site, key: str, exclude_section: str | None) -> str:
    """Five "Les plus lus" links; on a listing, to articles that are NOT in that listing."""
    rng = random.Random(f"{site.seed}:most-read:{key}")
    if exclude_section is None:
        pool = site.most_read_pool[: max(5, min(40, len(site.most_read_pool)))]
        picks = rng.sample(pool, min(5, len(pool)))
    else:
        outside = [a for a in site.most_read_pool if exclude_section not in a.sections]
        nowhere = [a for a in outside if not a.sections]
        picks = rng.sample(nowhere, min(2, len(nowhere)))
        rest = [a for a in outside if a not in picks]
        picks += rng.sample(rest, min(5 - len(picks), len(rest)))
    items = "".join(
        f'<li><a href="{attr(a.canonical_path)}">{html_text(a.headline, rng)}</a></li>'
        for a in picks
    )
    return f'<aside class="most-read"><h2>Les plus lus</h2><ol>{items}</ol></aside>'


def _finish(site: Site, html: str, key: str) -> str:
    """Fill the padding markers (empty unless the site pads pages to 60–120 KB)."""
    padding = site.padding
    if padding is None:
        return html.replace(_PAD_HEAD, "").replace(_PAD_FOOT, "")
    rng = random.Random(f"{site.seed}:pad:{key}")
    target = rng.randint(60_000, 120_000)
    budget = target - len(html.encode("utf-8"))
    if budget <= 0:
        return html.replace(_PAD_HEAD, "").replace(_PAD_FOOT, "")
    css = Padding.cut(padding.css, padding.css_cuts, int(budget * 0.35) - 40)
    js = Padding.cut(padding.js, padding.js_cuts, int(budget * 0.45) - 120)
    links = Padding.cut(padding.links, padding.links_cuts, int(budget * 0.20) - 60)
    third = len(js) // 3
    cut1 = js.find("\n", third) + 1 or len(js)
    head = (
        f"<style>{css}</style>"
        f'<script async src="/static/js/tag.js"></script><script>{js[:cut1]}</script>'
    )
    foot = f'<nav class="footer-mega"><ul>{links}</ul></nav><script>{js[cut1:]}</script>'
    return html.replace(_PAD_HEAD, head).replace(_PAD_FOOT, foot)


def _card(site: Site, art: Article, href: str, rng: random.Random) -> str:
    category = f'<span class="card__category">{escape(art.category)}</span>' if art.category else ""
    return (
        f'<article class="card"><a class="card__link" href="{attr(href)}">'
        f'<h2 class="card__title">{_headline_html(art, rng)}</h2></a>{category}'
        f'<time class="card__date" datetime="{iso(art.published)}">'
        f"{french_date(art.published)}</time></article>"
    )


def _headline_html(art: Article, rng: random.Random) -> str:
    if not art.typography:
        return escape(art.headline, quote=False)
    return html_text(art.headline, rng)


# --------------------------------------------------------------------------------------------
# Home and listings


def home_page(site: Site) -> str:
    rng = random.Random(f"{site.seed}:home")
    cards = "\n".join(_card(site, a, a.canonical_path, rng) for a in site.articles[:10])
    html = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Atlantico.fr</title>"
        f'<link rel="canonical" href="{site.url("/")}">'
        '<meta name="description" content="Atlantico, le site d’information qui décrypte '
        'l’actualité.">'
        f"{_PAD_HEAD}</head>\n<body>\n{_header()}\n"
        f'<main><section class="home-latest"><h2>À la une</h2>\n{cards}\n</section>\n'
        f"{_most_read(site, 'home', None)}</main>\n{_footer()}\n</body></html>\n"
    )
    return _finish(site, html, "home")


def listing_page(site: Site, section: str, page: int) -> str:
    """One listing page: 20 cards, newest first, then the section's pagination markup."""
    rng = random.Random(f"{site.seed}:listing:{section}:{page}")
    label = SECTION_LABELS[section]
    arts = site.listings[section][(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cards = "\n".join(_card(site, a, site.listing_href(a, section), rng) for a in arts)
    last = site.page_count(section)
    prev_path = site.listing_path(section, page - 1) if page > 1 else None
    next_path = site.listing_path(section, page + 1) if page < last else None
    head_links = ""
    if section == "decryptages":
        # rel="prev"/"next" in <head> and in the pagination nav.
        if prev_path:
            head_links += f'<link rel="prev" href="{attr(site.url(prev_path))}">'
        if next_path:
            head_links += f'<link rel="next" href="{attr(site.url(next_path))}">'
        parts = []
        if prev_path:
            parts.append(f'<a rel="prev" href="{attr(prev_path)}">Précédent</a>')
        parts.append(f'<span class="pagination__current">Page {page}</span>')
        if next_path:
            parts.append(f'<a rel="next" href="{attr(next_path)}">Suivant</a>')
        pagination = f'<nav class="pagination">{" ".join(parts)}</nav>'
    else:
        # No rel attributes at all: only the link text says where it goes.
        parts = []
        if prev_path:
            parts.append(f'<a href="{attr(prev_path)}" class="pager__link">‹ Page précédente</a>')
        if next_path:
            parts.append(f'<a href="{attr(next_path)}" class="pager__link">Page suivante ›</a>')
        pagination = f'<div class="pager">{" ".join(parts)}</div>'
    html = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(label)} | Atlantico.fr</title>"
        f'<link rel="canonical" href="{attr(site.url(site.listing_path(section, page)))}">'
        f"{head_links}{_PAD_HEAD}</head>\n<body>\n{_header()}\n"
        f'<main><section class="listing"><h1>{escape(label)}</h1>\n{cards}\n{pagination}\n'
        f"</section>\n{_most_read(site, f'{section}:{page}', section)}</main>\n"
        f"{_footer()}\n</body></html>\n"
    )
    return _finish(site, html, f"listing:{section}:{page}")


# --------------------------------------------------------------------------------------------
# Article pages


def _segs_html(segs: tuple[Seg, ...], text: Any) -> str:
    out = []
    for tag, value, href in segs:
        inner = text(value)
        if tag == "a":
            extra = ' target="_blank" rel="noopener"' if href.startswith("http") else ""
            out.append(f'<a href="{attr(href)}"{extra}>{inner}</a>')
        elif tag:
            out.append(f"<{tag}>{inner}</{tag}>")
        else:
            out.append(inner)
    return "".join(out)


def _block_html(block: Block, text: Any) -> str:
    if block.kind == "p":
        return f"<p>{_segs_html(block.segs, text)}</p>"
    if block.kind == "h2":
        return f"<h2>{_segs_html(block.segs, text)}</h2>"
    if block.kind == "empty":
        return "<p>&nbsp;</p>"
    headline = _segs_html(block.segs, text)
    if block.kind == "read_also_div":
        return (
            '<div class="read-also"><p>À lire aussi</p>'
            f'<a href="{attr(block.href)}">{headline}</a></div>'
        )
    if block.kind == "read_also_strong":
        return (
            f"<p><strong>{text('A lire aussi :')}</strong> "
            f'<a href="{attr(block.href)}">{headline}</a></p>'
        )
    raise ValueError(block.kind)


def _boilerplate() -> tuple[str, str]:
    """The end-of-page notice (verbatim, as in the seed) and the call to action."""
    notice = "".join(f"<p>{escape(p, quote=False)}</p>" for p in S.SEED_COMMENTS_NOTICE)
    return notice, escape(C.CTA_TEXT, quote=False)


def _date_value(art: Article, moment: Any) -> str:
    return iso_utc(moment) if art.jsonld.date_utc else iso(moment)


def article_jsonld(site: Site, art: Article) -> dict[str, Any]:
    """The JSON-LD object of a current-template article (its shape varies per article)."""
    style = art.jsonld
    node: dict[str, Any] = {"@type": style.type_form}
    if style.headline:
        node["headline"] = art.headline + (" " if style.headline_trailing_space else "")
    if art.chapo:
        node["description"] = art.chapo + (" " if style.description_trailing_space else "")
    if style.date:
        node["datePublished"] = _date_value(art, art.published)
    if art.modified is not None:
        node["dateModified"] = _date_value(art, art.modified)
    if art.author_mode == "legacy_string":
        node["author"] = {"@type": "Person", "name": C.LEGACY_AUTHOR_STRING}
    elif art.author_mode == "cards" and art.authors:
        people = [
            {"@type": "Person", "name": a.name, "url": site.url(a.path or "")} for a in art.authors
        ]
        node["author"] = people[0] if style.author_single and len(people) == 1 else people
    if art.category:
        node["articleSection"] = art.category
    if art.tags:
        node["keywords"] = list(art.tags)
    free = not art.premium
    node["isAccessibleForFree"] = ("True" if free else "False") if style.free_string else free
    if art.image is not None:
        url = art.image.url
        node["image"] = url if style.image_string else {"@type": "ImageObject", "url": url}
    node["inLanguage"] = "fr-FR"
    node["mainEntityOfPage"] = site.canonical_url(art)
    node["identifier"] = str(art.id)
    node["publisher"] = {"@type": "Organization", "name": _WEBSITE_NAME}
    if style.graph:
        website = {"@type": "WebSite", "name": _WEBSITE_NAME, "url": site.base_url}
        return {"@context": _SCHEMA, "@graph": [website, node]}
    return {"@context": _SCHEMA, **node}


def _json_script(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def article_page(site: Site, art: Article) -> str:
    if art.family is not None:  # opt-in template families (tests/replica/families)
        from .families import render_served

        return _finish(site, render_served(site, art), f"article:{art.id}")
    if art.template == "old":
        return _old_article_page(site, art)
    return _finish(site, _current_article_page(site, art), f"article:{art.id}")


def _current_article_page(site: Site, art: Article) -> str:
    rng = random.Random(f"{site.seed}:article:{art.id}")
    nfd = art.nfd

    def text(value: str) -> str:
        if not art.typography:
            return escape(value, quote=False)
        return html_text(value, rng, nfd=nfd)

    canonical = site.canonical_url(art)
    head_title = escape(art.headline, quote=False)
    if art.typography:
        head_title = escape(french_spaces(art.headline, rng), quote=False)
    separator = " <!-- -->" if art.title_space else "<!-- -->"
    head = [
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{head_title}{separator} | Atlantico.fr</title>",
        f'<link rel="canonical" href="{attr(canonical)}">',
    ]
    if art.chapo:
        head.append(f'<meta name="description" content="{attr(art.chapo)}">')
    head.append(f'<meta property="og:title" content="{attr(art.headline)}">')
    head.append('<meta property="og:type" content="article">')
    head.append(f'<meta property="og:url" content="{attr(canonical)}">')
    if art.image is not None:
        head.append(f'<meta property="og:image" content="{attr(art.image.url)}">')
    if art.jsonld.present:
        head.append(_json_script(article_jsonld(site, art)))
    head.append(f"{_PAD_HEAD}</head>")

    body: list[str] = ['<article class="article">']
    top = ""
    if art.category:
        slug = C.CATEGORY_SLUGS.get(art.category, "autre")
        top = f'<a class="article__category" href="/categorie/{slug}">{escape(art.category)}</a>'
    body.append(
        f'<div class="article__top">{top}'
        f'<span class="article__time">{relative_time(art.published, site.now)}</span></div>'
    )
    if art.image is not None:
        image = art.image
        alt = attr(image.caption or "")
        caption = (
            f'<span class="article__caption">{text(image.caption)}</span> ' if image.caption else ""
        )
        body.append(
            f'<figure class="article__image"><img src="{attr(image.url)}" alt="{alt}">'
            f"<figcaption>{caption}"
            f'<span class="article__credit">{escape(image.credit_printed, quote=False)}</span>'
            "</figcaption></figure>"
        )
    if art.kicker is not None:
        body.append(f'<p class="article__surtitle">{text(art.kicker)}</p>')
    headline = text(art.headline)
    if art.zwsp_title:
        headline = text(insert_zero_width(art.headline, rng))
    body.append(f'<h1 class="article__title">{headline}</h1>')
    if art.chapo:
        body.append(f'<p class="article__chapo">{text(art.chapo)}</p>')
    published = french_published(art.published)
    if art.date_text_only:
        body.append(f'<p class="article__date">{published}</p>')
    else:
        body.append(
            f'<time class="article__date" datetime="{iso(art.published)}">{published}</time>'
        )
    body.extend(_byline(art))
    inner = "\n".join(_block_html(block, text) for block in art.blocks)
    notice, cta = _boilerplate()
    if art.boilerplate_inside:
        inner += f"\n{notice}<p>{cta}</p>"
    body.append(
        f'<div class="rich-content"><div class="rich-content__text">\n{inner}\n</div></div>'
    )
    if art.premium:
        body.append(
            '<div class="markup Paywall_container__x7Kq2">'
            f"<p>{escape(C.PREMIUM_NOTICE)}</p>"
            '<a href="/abonnement">Je m\'abonne</a></div>'
        )
    if art.tags:
        links = "".join(_taxonomy_link("tag", t) for t in art.tags)
        body.append(f'<div class="article__tags"><span>Mots-Clés</span>{links}</div>')
    if art.themes:
        links = "".join(_taxonomy_link("thematique", t) for t in art.themes)
        body.append(f'<div class="article__themes"><span>Thématiques</span>{links}</div>')
    if not art.boilerplate_inside:
        body.append(f'<p class="article__cta">{cta}</p>')
        body.append(f'<div class="article__comments">{notice}</div>')
    body.append("</article>")
    return (
        "".join(head)
        + f'\n<body><div id="__next">\n{_header()}\n<main class="main">\n'
        + "\n".join(body)
        + f"\n{_most_read(site, f'article:{art.id}', None)}</main>\n{_footer()}\n"
        + "</div></body></html>\n"
    )


def _taxonomy_link(folder: str, label: str) -> str:
    return f'<a href="/{folder}/{"-".join(slug_tokens(label))}">{escape(label)}</a>'


def _byline(art: Article) -> list[str]:
    """The ``avec A et B`` byline and one card per author (current template)."""
    if art.author_mode == "legacy_string":
        return [f'<p class="article__byline">avec {escape(C.LEGACY_AUTHOR_STRING)}</p>']
    if art.author_mode != "cards" or not art.authors:
        return []
    links = [f'<a href="{attr(a.path or "")}">{escape(a.name)}</a>' for a in art.authors]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " et " + links[-1]
    out = [f'<p class="article__byline">avec {joined}</p>']
    for author in art.authors:
        path = attr(author.path or "")
        out.append(
            f'<div class="author-card"><img src="{attr(author.photo or "")}" alt="">'
            f'<a class="author-card__name" href="{path}">{escape(author.name)}</a>'
            f'<p class="author-card__bio">{escape(author.bio or "", quote=False)}</p>'
            f'<a class="author-card__more" href="{path}">Voir la bio »</a></div>'
        )
    return out


def _old_article_page(site: Site, art: Article) -> str:
    """Drupal-era template (era A in SITE.md), served as it is at its .html URL."""
    rng = random.Random(f"{site.seed}:article:{art.id}")

    def text(value: str) -> str:
        return html_text(value, rng)

    canonical = site.canonical_url(art)
    paragraphs = "\n".join(_block_html(b, text) for b in art.blocks)
    tags = "".join(f"<li>{_taxonomy_link('tag', t)}</li>" for t in art.tags)
    author = art.authors[0].name if art.authors else ""
    menu = "".join(
        f'<li><a href="{path}">{escape(label, quote=False)}</a></li>'
        for label, path in zip(S.NAV_LABELS, NAV_PATHS, strict=True)
    )
    html = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(art.headline, quote=False)} | Atlantico.fr</title>"
        f'<link rel="canonical" href="{attr(canonical)}">'
        f'<meta property="og:title" content="{attr(art.headline)}">'
        f"{_PAD_HEAD}</head>\n"
        '<body class="node-type-article"><div id="page"><div id="header">'
        f'<div class="date-du-jour">{french_day_header(OLD_TEMPLATE_TODAY)}</div>'
        f'<a id="logo" href="/">Atlantico</a><ul class="menu">{menu}</ul></div>\n'
        '<div id="main"><div class="node">'
        f'<h1 class="title">{text(art.headline)}</h1>\n'
        f'<div class="metas"><span class="author">Par {escape(author)}</span> '
        f'<time datetime="{iso(art.published)}">{french_date(art.published)}</time></div>\n'
        f'<div id="content-body">\n{paragraphs}\n</div>\n'
        f'<ul class="tags">{tags}</ul>\n'
        "</div></div>\n"
        f'<div id="footer"><a href="/mentions-legales">Mentions légales</a>{_PAD_FOOT}</div>'
        "</div></body></html>\n"
    )
    return _finish(site, html, f"article:{art.id}")


# --------------------------------------------------------------------------------------------
# robots.txt, sitemaps, RSS


def robots_txt(site: Site) -> str:
    """Replica choice: the real robots.txt is unknown."""
    return (
        "User-agent: *\n"
        "Disallow: /recherche\n"
        "Disallow: /mon-compte\n"
        "\n"
        f"Sitemap: {site.url('/sitemap-index.xml')}\n"
    )


def _lastmod(art: Article) -> str:
    return iso(art.modified or art.published)


def sitemap_index(site: Site) -> str:
    entries = [f"<sitemap><loc>{xml_escape(site.url('/news-sitemap.xml'))}</loc></sitemap>"]
    for month, arts in site.months.items():
        latest = max(_lastmod(a) for a in arts)
        entries.append(
            f"<sitemap><loc>{xml_escape(site.url(f'/sitemaps/{month}.xml'))}</loc>"
            f"<lastmod>{latest}</lastmod></sitemap>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries)
        + "\n</sitemapindex>\n"
    )


def sitemap_month(site: Site, month: str) -> str:
    urls = "\n".join(
        f"<url><loc>{xml_escape(site.canonical_url(a))}</loc><lastmod>{_lastmod(a)}</lastmod></url>"
        for a in site.months[month]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}\n</urlset>\n"
    )


def news_sitemap(site: Site) -> str:
    """Google News sitemap: the items published in the last two days."""
    limit = site.now.timestamp() - timedelta(days=2).total_seconds()
    recent = [a for a in site.articles if a.published.timestamp() >= limit]
    urls = "\n".join(
        f"<url><loc>{xml_escape(site.canonical_url(a))}</loc><lastmod>{_lastmod(a)}</lastmod>"
        "<news:news><news:publication>"
        "<news:name>Atlantico</news:name><news:language>fr</news:language></news:publication>"
        f"<news:publication_date>{iso(a.published)}</news:publication_date>"
        f"<news:title>{xml_escape(clean_text(a.headline))}</news:title></news:news></url>"
        for a in recent
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{urls}\n</urlset>\n"
    )


def rss(site: Site) -> str:
    """RSS 2.0 with the 30 newest items."""
    items = []
    for art in site.articles[:30]:
        if art.author_mode == "legacy_string":
            creator = C.LEGACY_AUTHOR_STRING
        else:
            creator = ", ".join(a.name for a in art.authors)
        description = art.chapo or (art.body_texts[0] if art.body_texts else "")
        parts = [
            f"<title>{xml_escape(clean_text(art.headline))}</title>",
            f"<link>{xml_escape(site.canonical_url(art))}</link>",
            f'<guid isPermaLink="true">{xml_escape(site.canonical_url(art))}</guid>',
            f"<pubDate>{format_datetime(art.published)}</pubDate>",
            f"<description>{xml_escape(description)}</description>",
        ]
        if art.category:
            parts.append(f"<category>{xml_escape(art.category)}</category>")
        if creator:
            parts.append(f"<dc:creator>{xml_escape(creator)}</dc:creator>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<title>Atlantico.fr</title>"
        f"<link>{xml_escape(site.url('/'))}</link>"
        "<description>Atlantico, le site d’information qui décrypte l’actualité</description>"
        "<language>fr</language>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )
