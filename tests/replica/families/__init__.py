"""Article-page template families: one article truth, many markups (metamorphic tests).

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the eras of SITE.md and the issue's observations of pages the project had never seen), with
replica-chosen values where the real site is unknown (class names, furniture markup, the
JSON-LD and OpenGraph shapes drawn per page).

Each family renders an article record of :mod:`tests.replica.generator` in its own markup; the
same truth (:func:`family_truth`, built on :func:`tests.replica.generator.truth_item`) must come
out of every family. Families: ``drupal`` (era A), ``transitional`` (era B, 2019), ``react``
(era C), ``v3`` (era D), ``current`` (era E), ``css_modules`` (hashed names, fresh per seed),
``styled`` (opaque styled-components names), ``semantic`` (no classes), ``microdata``
(``itemprop="articleBody"``), ``amp`` (AMP HTML), ``liveblog`` and ``interview``. Each is drawn with or without
JSON-LD (bare or ``@graph``), with or without OpenGraph (full or with a cut ``og:description``),
with or without the site's known containers, and premium pages in each paywall form the family
allows. Public API::

    from tests.replica.families import FAMILIES, Options, render_family, family_truth

    html = render_family(site, article, "styled")            # options drawn per article
    html = render_family(site, article, "drupal", Options(jsonld="none", og="none"))
    truth = family_truth(site, article, "drupal", options)    # + "family", "notCarried"
    family_url(site, article, "drupal")                       # the URL the page is served at

A family's truth is the article's truth with every field the page does not print cleared and
named in ``notCarried`` (``"kicker"``, ``"mainImage.credit"``, ``"authors.url"``,
``"datePublished.time"`` — then ``datePublished`` is the day at midnight, Paris time…). The
"Vu sur: <source>" line of a record is furniture in every family (never in the truth body).

One page from the command line: ``python -m tests.replica.families page FAMILY ARTICLE_ID
[--jsonld …] [--og …] [--truth]`` (``list`` names the families).

Served: ``python -m tests.replica serve --families`` (``ReplicaServer(families=True)``,
``generate_site(families=True)``) gives every article a family, round robin over a seeded
shuffle, so that a crawl of the 60-article site meets every family at least four times.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tests.replica.generator import Article, truth_item
from tests.replica.textutil import PARIS, iso

from . import (
    amp,
    css_modules,
    era_a,
    era_b,
    era_c,
    era_d,
    era_e,
    interview,
    liveblog,
    microdata,
    semantic,
    styled,
)
from .furniture import strip_vu_sur
from .page import JSONLD_FORMS, OG_FORMS, PAYWALLS, Namer, Options, Page

if TYPE_CHECKING:
    from tests.replica.generator import Block, Site


def _fixed(names: dict[str, str]) -> Callable[[int, Options], Namer]:
    def make(_seed: int, _options: Options) -> Namer:
        return names.get

    return make


def _by_containers(
    known: dict[str, str], other: dict[str, str], shared: dict[str, str]
) -> Callable[[int, Options], Namer]:
    def make(_seed: int, options: Options) -> Namer:
        return {**shared, **(known if options.containers else other)}.get

    return make


@dataclass(frozen=True)
class Family:
    """One template family.

    ``containers``: the values of :attr:`Options.containers` it can take (True: it uses the
    site's known containers of :data:`KNOWN_CONTAINERS`). ``url_form`` "drupal": the page is
    served at the Drupal ``/<type>/<slug>-<id>.html`` URL. ``transform``: the body the family
    shows instead of the record's (live blog entries, interview questions).
    """

    name: str
    era: str
    render: Callable[[Page], str]
    namer: Callable[[int, Options], Namer]
    containers: tuple[bool, ...] = (True, False)
    paywalls: tuple[str, ...] = ("dpslvp", "markup", "tonos")
    url_form: str = "current"
    transform: Callable[[Article], list[Block]] | None = None
    omits: frozenset[str] = frozenset()
    """Fields the family's pages may leave out (beyond ``articleId`` and ``dateModified``,
    which only structured data or a Drupal URL carry): each page's truth names those it did
    leave out in ``notCarried``; a page never omits anything else."""


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            "drupal",
            "A",
            era_a.render,
            _fixed(era_a.NAMES),
            paywalls=("drupal", "tonos"),
            url_form="drupal",
            omits=frozenset({"authors.url", "themes"}),  # plain-text bylines, no Thématiques
        ),
        Family(
            "transitional",
            "B",
            era_b.render,
            _fixed(era_b.NAMES),
            paywalls=("dpslvp",),
            omits=frozenset({"authors.url", "themes"}),
        ),
        Family(
            "react",
            "C",
            era_c.render,
            _by_containers(era_c.KNOWN, era_c.OTHER, era_c.SHARED),
            paywalls=("dpslvp", "markup", "tonos"),
        ),
        Family(
            "v3",
            "D",
            era_d.render,
            _fixed(era_d.NAMES),
            paywalls=("markup", "tonos"),
            # The day only, no time; some pages print no credit; no Thématiques.
            omits=frozenset({"datePublished.time", "mainImage.credit", "themes"}),
        ),
        Family("current", "E", era_e.render, _fixed(era_e.NAMES), paywalls=("markup", "tonos")),
        Family("css_modules", "E", css_modules.render, css_modules.namer, containers=(False,)),
        Family(
            "styled",
            "E",
            styled.render,
            styled.namer,
            containers=(False,),
            omits=frozenset({"themes"}),
        ),
        Family(
            "semantic",
            "-",
            semantic.render,
            semantic.namer,
            containers=(False,),
            omits=frozenset({"themes"}),
        ),
        Family(
            "microdata",
            "-",
            microdata.render,
            _fixed(microdata.NAMES),
            containers=(False,),
            paywalls=("markup", "dpslvp"),
            omits=frozenset({"themes"}),
        ),
        Family(
            "amp",
            "-",
            amp.render,
            _fixed(amp.NAMES),
            containers=(False,),
            paywalls=("markup", "tonos"),
            omits=frozenset({"themes"}),
        ),
        Family(
            "liveblog",
            "E",
            liveblog.render,
            _fixed(liveblog.NAMES),
            containers=(False,),
            transform=liveblog.transform,
            omits=frozenset({"mainImage.credit", "themes"}),
        ),
        Family(
            "interview",
            "E",
            interview.render,
            _fixed(interview.NAMES),
            containers=(False,),
            transform=interview.transform,
        ),
    )
}
FAMILY_NAMES: tuple[str, ...] = tuple(FAMILIES)

KNOWN_CONTAINERS: tuple[str, ...] = (
    "#content-body",
    "div.metas time",
    ".rich-content__text",
    ".corps-article",
    "div.header-top div.theme a",
    ".savoir-plus",
    "[class*=article__]",
    ".author-card",
)
"""CSS selectors of the containers the site is known to use (SITE.md, the issue, and the
replica's default template): a family page drawn without known containers matches none."""


def options_for(site: Site, art: Article, family: str) -> Options:
    """The options a family draws for an article (deterministic per seed, family, article)."""
    fam = FAMILIES[family]
    rng = random.Random(f"{site.seed}:family-options:{family}:{art.id}")
    options = Options(
        jsonld=rng.choice(JSONLD_FORMS),
        og=rng.choice(OG_FORMS),
        containers=rng.choice(fam.containers),
        paywall=rng.choice(fam.paywalls),
    )
    return normalise(fam, options)


def normalise(fam: Family, options: Options) -> Options:
    """Options the family can show: a paywall form it has; Tonos needs JSON-LD (it is the only
    mark of a Tonos page), so without JSON-LD another form of the family is used."""
    paywall = options.paywall if options.paywall in fam.paywalls else fam.paywalls[0]
    if paywall == "tonos" and options.jsonld == "none":
        paywall = next((p for p in fam.paywalls if p != "tonos"), "markup")
    containers = options.containers if options.containers in fam.containers else fam.containers[0]
    return replace(options, paywall=paywall, containers=containers)


def all_options(family: str, *, premium: bool) -> Iterator[Options]:
    """Every distinct option set of a family (paywall forms only matter on premium pages)."""
    fam = FAMILIES[family]
    seen: set[Options] = set()
    for jsonld in JSONLD_FORMS:
        for og in OG_FORMS:
            for containers in fam.containers:
                for paywall in fam.paywalls if premium else fam.paywalls[:1]:
                    options = normalise(fam, Options(jsonld, og, containers, paywall))
                    if options not in seen:
                        seen.add(options)
                        yield options


def prepared(art: Article, family: str) -> tuple[Article, str | None]:
    """The record as the family shows it (URL form, body) and its "Vu sur" source."""
    fam = FAMILIES[family]
    template = "old" if fam.url_form == "drupal" else art.template
    blocks, source = strip_vu_sur(list(art.blocks))
    out = replace(art, family=None, template=template, blocks=blocks)
    if fam.transform is not None:
        out = replace(out, blocks=fam.transform(out))
    return out, source


def _page(site: Site, art: Article, family: str, options: Options | None) -> tuple[Page, str]:
    fam = FAMILIES[family]
    shown, source = prepared(art, family)
    if options is None:
        options = options_for(site, art, family)
    options = normalise(fam, options)
    page = Page(site, shown, family, options, fam.namer(site.seed, options), source)
    return page, fam.render(page)


def _unpadded(html: str) -> str:
    return html.replace("<!--pad:head-->", "").replace("<!--pad:foot-->", "")


def render_family(site: Site, article: Article, family: str, options: Options | None = None) -> str:
    """The article page of ``article`` in ``family`` (pure: same arguments, same text)."""
    return _unpadded(_page(site, article, family, options)[1])


def render_with_page(
    site: Site, article: Article, family: str, options: Options | None = None
) -> tuple[Page, str]:
    """The page state (what was shown, which furniture was drawn) and the HTML."""
    page, html = _page(site, article, family, options)
    return page, _unpadded(html)


def family_url(site: Site, article: Article, family: str) -> str:
    """The URL the family's page is served at (its canonical URL)."""
    return site.canonical_url(prepared(article, family)[0])


_OPTIONAL_SCALARS: tuple[str, ...] = ("kicker", "description", "category", "articleId")


def family_truth(
    site: Site, article: Article, family: str | None = None, options: Options | None = None
) -> dict[str, Any]:
    """What a correct extractor gives from the family page: the article's truth, with the
    fields the page does not print cleared and named in ``notCarried``; plus ``family`` and
    ``familyOptions``."""
    family = family or article.family
    if family is None:
        raise ValueError("no family given and the article has none")
    page, _html = _page(site, article, family, options)
    art = page.art
    truth = truth_item(site, art)
    shown = page.shown
    missing: list[str] = []
    for name in _OPTIONAL_SCALARS:
        if truth[name] is not None and name not in shown:
            if name == "articleId" and art.template == "old":
                continue  # the Drupal URL carries the id
            truth[name] = None
            missing.append(name)
    truth["dateModified"] = None
    if art.modified is not None:
        if "dateModified" in shown:
            truth["dateModified"] = iso(art.modified)
        else:
            missing.append("dateModified")
    if "datePublished.time" not in shown:
        local = art.published.astimezone(PARIS)
        midnight = datetime(local.year, local.month, local.day, tzinfo=PARIS)
        truth["datePublished"] = iso(midnight)
        missing.append("datePublished.time")
    if truth["authors"] and "authors" not in shown:
        truth["authors"] = []
        missing.append("authors")
    elif truth["authors"] and "authors.url" not in shown:
        if any(a["url"] for a in truth["authors"]):
            missing.append("authors.url")
        truth["authors"] = [{**a, "url": None} for a in truth["authors"]]
    image = truth["mainImage"]
    if image is not None:
        for part in ("caption", "credit"):
            if image[part] is not None and f"mainImage.{part}" not in shown:
                image[part] = None
                missing.append(f"mainImage.{part}")
    for name in ("tags", "themes"):
        if truth[name] and name not in shown:
            truth[name] = []
            missing.append(name)
    if art.premium and "isAccessibleForFree" not in shown:
        raise AssertionError(f"{family}: a premium page that does not say so ({page.options})")
    truth["family"] = family
    truth["familyOptions"] = page.options.label()
    truth["notCarried"] = sorted(missing)
    return truth


# --------------------------------------------------------------------------------------------
# Served families (the hook of generator.Site)


def assign(seed: int, articles: list[Article]) -> list[Article]:
    """Records with a family each: round robin over a seeded shuffle of the articles that have
    none yet, those of the sections first (existing assignments are kept, so published
    articles do not move the others)."""
    rng = random.Random(f"{seed}:families:{len(articles)}")
    todo = []
    # Section articles first, so that the crawlable ones spread evenly over the families.
    for listed in (True, False):
        group = [a for a in articles if a.family is None and bool(a.sections) == listed]
        group.sort(key=lambda a: (a.slot, a.id))
        rng.shuffle(group)
        todo.extend(group)
    start = sum(1 for a in articles if a.family is not None)
    chosen = {a.id: FAMILY_NAMES[(start + i) % len(FAMILY_NAMES)] for i, a in enumerate(todo)}
    out = []
    for art in articles:
        name = chosen.get(art.id)
        if name is None:
            out.append(art)
            continue
        fam = FAMILIES[name]
        template = "old" if fam.url_form == "drupal" else art.template
        out.append(replace(art, family=name, template=template))
    return out


def render_served(site: Site, art: Article) -> str:
    """The served page of an article that carries a family (its options drawn per article),
    with the padding markers of :func:`tests.replica.render._finish` left in."""
    assert art.family is not None
    return _page(site, art, art.family, None)[1]


__all__ = [
    "FAMILIES",
    "FAMILY_NAMES",
    "KNOWN_CONTAINERS",
    "PAYWALLS",
    "Family",
    "Options",
    "all_options",
    "assign",
    "family_truth",
    "family_url",
    "options_for",
    "render_family",
    "render_served",
    "render_with_page",
]
