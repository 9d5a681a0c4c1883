"""JSON-LD and OpenGraph of the template families, in the shapes real news pages use.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: the JSON-LD node whose ``@type`` contains ``Article`` carries headline, author,
datePublished, articleSection, isAccessibleForFree), with replica-chosen values where the real
site is unknown (the full key list, ``@graph`` layout, OpenGraph tags).

Shapes drawn per page: a bare object or an ``@graph`` whose article node points at its author,
image and publisher by ``@id``; a second script (BreadcrumbList); author as a string, an object,
a list, or the publisher Organization when the article has no byline; a headline cut with "…"
(the page's ``h1`` is complete); HTML entities inside JSON strings (``qu&rsquo;être``,
``&quot;``, ``&amp;``) that decode to the page text; dates with the Paris offset, in UTC, or
as Paris local time without an offset;
``isAccessibleForFree`` as a boolean or a string, and ``hasPart`` on premium pages.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from tests.replica import corpus as C
from tests.replica.textutil import attr, iso, iso_utc

from .page import Page

_SCHEMA = "https://schema.org"
_PUBLISHER = "Atlantico"

_ENTITIES: dict[str, tuple[str, ...]] = {
    "&": ("&amp;",),
    "'": ("&#039;", "&#39;"),
    '"': ("&quot;", "&#34;"),
    "’": ("&rsquo;", "&#8217;"),
    "«": ("&laquo;",),
    "»": ("&raquo;",),
    "é": ("&eacute;",),
    "…": ("&hellip;",),
}


def entity_escape(text: str, page: Page) -> str:
    """Text as a CMS that HTML-escapes before JSON-encoding stores it: ``n'était`` becomes
    ``n&#039;était``; every entity decodes back to the character it replaced."""
    out = []
    for char in text:
        forms = _ENTITIES.get(char)
        if forms and (char != "é" or page.rng.random() < 0.3):
            out.append(page.rng.choice(forms))
        else:
            out.append(char)
    return "".join(out)


def cut_with_ellipsis(text: str, ratio: float) -> str:
    """The first words of ``text`` up to about ``ratio`` of its length, then "…".

    >>> cut_with_ellipsis("Les géants du numérique et la tentation de l’impunité", 0.5)
    'Les géants du numérique…'
    """
    limit = max(1, int(len(text) * ratio))
    head = text[:limit]
    if " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:") + "…"


def _date(page: Page, moment: Any, form: str) -> str:
    """A date as JSON-LD and OpenGraph write it: with the Paris offset, in UTC (``Z``), or as
    local Paris time with no offset at all (SITE.md: times are French local time)."""
    if form == "utc":
        return iso_utc(moment)
    if form == "naive":
        page.furniture.add("naive-date")
        return iso(moment)[:19]
    return iso(moment)


def _date_form(page: Page) -> str:
    return page.rng.choices(("offset", "utc", "naive"), weights=(6, 3, 1))[0]


def _person(page: Page, name: str, url: str | None, *, with_url: bool) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Person", "name": name}
    if url and with_url:
        node["url"] = url
        page.show("authors.url")
    return node


def article_node(page: Page, *, type_form: Any = None) -> dict[str, Any]:
    """The article object (without ``@context``), authors inline or by ``@id`` in graph form."""
    site, art, rng = page.site, page.art, page.rng
    graph = page.options.jsonld == "graph"
    entities = rng.random() < 0.3
    span_names = rng.random() < 0.12

    def s(text: str) -> str:
        return entity_escape(text, page) if entities else text

    if type_form is None:
        type_form = rng.choice(
            ("NewsArticle", "NewsArticle", "Article", ["Article", "NewsArticle"])
        )
    node: dict[str, Any] = {"@type": type_form}
    if graph:
        node["@id"] = page.canonical() + "#article"
    headline = art.headline
    if len(headline) > 40 and rng.random() < 0.35:
        headline = cut_with_ellipsis(headline, rng.uniform(0.45, 0.75))
    node["headline"] = s(headline)
    if art.chapo:
        node["description"] = s(art.chapo)
        page.show("description")
    utc = _date_form(page)
    node["datePublished"] = _date(page, art.published, utc)
    page.show("datePublished", "datePublished.time")
    if art.modified is not None:
        node["dateModified"] = _date(page, art.modified, utc)
        page.show("dateModified")

    with_url = rng.random() < 0.7
    people: list[dict[str, Any]] = []
    if art.author_mode == "legacy_string":
        people = [{"@type": "Person", "name": C.LEGACY_AUTHOR_STRING}]
        page.show("authors")
    elif art.authors:
        for author in art.authors:
            name = f"<span>{author.name}</span>" if span_names else author.name
            url = site.url(author.path) if author.path else None
            people.append(_person(page, s(name), url, with_url=with_url))
        page.show("authors")
    if people:
        form = rng.choice(("string", "object", "list"))
        if form == "string" and not any("url" in p for p in people):
            names = [p["name"] for p in people]
            node["author"] = names[0] if len(names) == 1 else names
        elif form == "object" and len(people) == 1:
            node["author"] = people[0]
        else:
            node["author"] = people
    elif rng.random() < 0.5:
        # No byline: the publisher itself as author, as many CMSs fill it (not a person).
        node["author"] = {"@type": "Organization", "name": _PUBLISHER, "url": site.base_url}

    if art.category:
        node["articleSection"] = art.category
        page.show("category")
    if art.tags:
        node["keywords"] = list(art.tags) if rng.random() < 0.6 else ", ".join(art.tags)
        page.show("tags")
    free = not art.premium
    node["isAccessibleForFree"] = str(free) if rng.random() < 0.25 else free
    page.show("isAccessibleForFree")
    if art.premium:
        node["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".paywalled-content",
        }
    if art.image is not None:
        image: dict[str, Any] = {"@type": "ImageObject", "url": art.image.url}
        node["image"] = art.image.url if rng.random() < 0.3 else image
        page.show("mainImage")
    node["inLanguage"] = "fr-FR"
    node["identifier"] = str(art.id)
    page.show("articleId")
    node["mainEntityOfPage"] = {"@type": "WebPage", "@id": page.canonical()}
    node["publisher"] = {
        "@type": "Organization",
        "name": _PUBLISHER,
        "logo": {"@type": "ImageObject", "url": site.url("/static/logo.png")},
    }
    if graph:
        node = _to_graph_refs(page, node)
    return node


def _to_graph_refs(page: Page, node: dict[str, Any]) -> dict[str, Any]:
    """Move author, image and publisher out to graph nodes, leaving ``{"@id": …}`` behind."""
    base = page.site.base_url
    extra = page.graph_nodes
    org = {**node.pop("publisher"), "@id": base + "/#organization"}
    extra.append(org)
    node["publisher"] = {"@id": org["@id"]}
    author = node.get("author")
    if isinstance(author, dict) and author.get("@type") == "Organization":
        node["author"] = {"@id": org["@id"]}
    elif isinstance(author, list) and author and isinstance(author[0], dict):
        refs = []
        for i, person in enumerate(author):
            ident = f"{base}/#/schema/person/{i + 1}"
            extra.append({**person, "@id": ident})
            refs.append({"@id": ident})
        node["author"] = refs
    elif isinstance(author, dict):
        ident = base + "/#/schema/person/1"
        extra.append({**author, "@id": ident})
        node["author"] = {"@id": ident}
    image = node.get("image")
    if isinstance(image, dict):
        ident = page.canonical() + "#primaryimage"
        extra.append({**image, "@id": ident})
        node["image"] = {"@id": ident}
    webpage = {
        "@type": "WebPage",
        "@id": page.canonical(),
        "url": page.canonical(),
        "name": node["headline"],
        "isPartOf": {"@id": base + "/#website"},
    }
    extra.append(webpage)
    node["mainEntityOfPage"] = {"@id": page.canonical()}
    node["isPartOf"] = {"@id": page.canonical()}
    return node


def json_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


BOMB_DEPTH = 100_000
"""Nesting of the JSON-LD bomb: far beyond any recursive parser's stack."""


def hostile_script(page: Page) -> str:
    """Sometimes a hostile or broken JSON-LD script: a nesting bomb, or the article object cut
    in the middle (a CMS that truncates its field). Never the only source of any field."""
    roll = page.rng.random()
    if roll < 0.05:
        page.furniture.add("hostile-jsonld:bomb")
        bomb = "[" * BOMB_DEPTH + "]" * BOMB_DEPTH
        return f'<script type="application/ld+json">{{"@context":"{_SCHEMA}","@graph":{bomb}}}</script>'
    if roll < 0.12:
        page.furniture.add("hostile-jsonld:invalid")
        text = json.dumps(
            {"@context": _SCHEMA, "@type": "NewsArticle", "headline": page.art.headline},
            ensure_ascii=False,
        )
        return f'<script type="application/ld+json">{text[: len(text) // 2]}</script>'
    return ""


def jsonld_scripts(page: Page, *, type_form: Any = None) -> str:
    """The page's JSON-LD scripts (none when the options say so), sometimes after a hostile
    one (:func:`hostile_script`)."""
    hostile = hostile_script(page)
    form = page.options.jsonld
    if form == "none":
        return hostile
    site, art = page.site, page.art
    node = article_node(page, type_form=type_form)
    crumbs: list[dict[str, Any]] = [
        {"@type": "ListItem", "position": 1, "name": "Accueil", "item": site.url("/")}
    ]
    if art.category:
        slug = C.CATEGORY_SLUGS.get(art.category, "autre")
        crumbs.append(
            {
                "@type": "ListItem",
                "position": 2,
                "name": art.category,
                "item": site.url(f"/categorie/{slug}"),
            }
        )
    breadcrumb = {"@type": "BreadcrumbList", "itemListElement": crumbs}
    if form == "graph":
        website = {
            "@type": "WebSite",
            "@id": site.base_url + "/#website",
            "url": site.base_url,
            "name": _PUBLISHER,
        }
        nodes = [website, *page.graph_nodes, node]
        out = hostile + json_script({"@context": _SCHEMA, "@graph": nodes})
        if page.rng.random() < 0.5:
            out += json_script({"@context": _SCHEMA, **breadcrumb})
        return out
    scripts = [json_script({"@context": _SCHEMA, **node})]
    if page.rng.random() < 0.5:
        scripts.insert(page.rng.randrange(2), json_script({"@context": _SCHEMA, **breadcrumb}))
    return hostile + "".join(scripts)


def opengraph(page: Page) -> str:
    """OpenGraph and ``article:*`` meta tags, and the meta description (the same text)."""
    form = page.options.og
    if form == "none":
        return ""
    art = page.art
    tags = [
        '<meta property="og:site_name" content="Atlantico">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{attr(page.canonical())}">',
        f'<meta property="og:title" content="{attr(art.headline)}">',
    ]
    if art.chapo:
        description = art.chapo
        if form == "cut" and len(description) > 60:
            description = cut_with_ellipsis(description, page.rng.uniform(0.4, 0.7))
        else:
            page.show("description")
        tags.append(f'<meta name="description" content="{attr(description)}">')
        tags.append(f'<meta property="og:description" content="{attr(description)}">')
    if art.image is not None:
        tags.append(f'<meta property="og:image" content="{attr(art.image.url)}">')
        page.show("mainImage")
    form = _date_form(page)
    published = _date(page, art.published, form)
    tags.append(f'<meta property="article:published_time" content="{published}">')
    page.show("datePublished", "datePublished.time")
    if art.modified is not None:
        modified = _date(page, art.modified, form)
        tags.append(f'<meta property="article:modified_time" content="{modified}">')
        page.show("dateModified")
    if art.category:
        tags.append(f'<meta property="article:section" content="{attr(art.category)}">')
        page.show("category")
    for tag in art.tags:
        tags.append(f'<meta property="article:tag" content="{attr(tag)}">')
    if art.tags:
        page.show("tags")
    return "".join(tags)


def title_text(page: Page, *, react: bool) -> str:
    """``<title>`` content: ``X | Atlantico.fr``, with React's ``<!-- -->`` separator if asked."""
    head = escape(page.art.headline, quote=False)
    if react:
        separator = page.rng.choice(("<!-- -->", " <!-- -->"))
        return f"{head}{separator} | Atlantico.fr"
    return f"{head} | Atlantico.fr"
