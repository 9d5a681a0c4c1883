"""Page furniture inside the article body, in varied spellings, and the premium wrappers.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: "À lire aussi" boxes, ``Vu sur: <source>``, the paywall forms of section 4), with
replica-chosen values where the real site is unknown (the furniture's markup and class names,
the ad slot ids ``pv_atf`` and ``infeed`` from the issue's observations).

Nothing rendered here is article text: the families' truth body never holds any of it. The
strings a test can look for in an extracted body are in :data:`FURNITURE_MARKERS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from html import escape

from tests.replica import corpus as C
from tests.replica.generator import Block
from tests.replica.textutil import attr

from .page import Page, opaque_token

NEWSLETTER_TEXT = "Recevez chaque matin la newsletter d’Atlantico"
TWEET_TEXT = "Le gouvernement présente son plan ce matin #direct"
GATE_TEXT = "Pour lire la suite, abonnez-vous à partir de 1 € le premier mois"
AUDIO_TEXT = "Écouter cet article"
ABOUT_AUTHORS = "À PROPOS DES AUTEURS"

FURNITURE_MARKERS: tuple[str, ...] = (
    "À lire aussi",
    "A lire aussi",
    "À LIRE AUSSI",
    "Lire aussi",
    "Page suivante",
    "Vu sur",
    "Pour lire la suite",
    "Publicité",
    "PUBLICITÉ",
    "newsletter",
    "Je m’inscris",
    "pic.twitter.com",
    TWEET_TEXT,
    "Cet article est réservé aux abonnés",
    "Déjà abonné",
    "En raison de débordements",
    "Mais n'hésitez pas à partager",
    "Le sujet vous intéresse",
    "Voir la bio",
    "Mots-Clés",
    "Thématiques",
    "Sur le même sujet",
    "Les plus lus",
    AUDIO_TEXT,
    ABOUT_AUTHORS,
)
"""Text of the furniture the families put in or around the body (never article text)."""

FURNITURE_KINDS: tuple[str, ...] = (
    "empty-surtitle",
    "split-body",
    "blockquote",
    "second-h1",
    "updated-line",
    "naive-date",
    "rail-first",
    "date-form:0",
    "date-form:1",
    "date-form:2",
    "date-form:3",
    "hostile-jsonld:bomb",
    "hostile-jsonld:invalid",
    "related",
    "ad",
    "embed",
    "newsletter",
    "pager",
    "vu_sur",
    "cta",
    "empty",
)


def _hashed(page: Page, stem: str) -> str:
    """A CSS-module style name, ``RelatedArticle_ab12``, fresh per site seed."""
    rng = random.Random(f"{page.site.seed}:css:{stem}")
    return f"{stem}_{opaque_token(rng, 4).lower()}"


def related_box(page: Page, href: str, title_html: str) -> str:
    """An "À lire aussi" box pointing at another article, in one of several spellings."""
    spelling = page.rng.randrange(4)
    cls = page.namer("related")
    classless = cls is None and page.namer("body") is None
    if spelling == 0 and not classless:
        name = cls or _hashed(page, "RelatedArticle")
        return (
            f'<aside class="{attr(name)}"><span>À lire aussi</span>'
            f'<a href="{attr(href)}">{title_html}</a></aside>'
        )
    if spelling == 1:
        return (
            f"<p><strong>{page.text('À LIRE AUSSI')}</strong><br>"
            f'<a href="{attr(href)}">{title_html}</a></p>'
        )
    if spelling == 2:
        return (
            f"<aside{page.c('related')}><p>{page.text('A lire aussi :')}</p>"
            f'<ul><li><a href="{attr(href)}">{title_html}</a></li></ul></aside>'
        )
    return (
        f'<div{page.c("related")} data-testid="related-article">'
        f"<p>{page.text('Lire aussi')}</p>"
        f'<a href="{attr(href)}"><span>{title_html}</span></a></div>'
    )


def ad_slot(page: Page) -> str:
    spelling = page.rng.randrange(3)
    if spelling == 0:
        return '<div id="pv_atf"></div>'
    if spelling == 1:
        return f'<div id="infeed"{page.c("ad")}><span>Publicité</span></div>'
    slot = opaque_token(page.rng, 8).lower()
    return f'<div{page.c("ad")} id="div-gpt-ad-{slot}" data-ad-slot="inread"><p>PUBLICITÉ</p></div>'


def embed(page: Page) -> str:
    spelling = page.rng.randrange(3)
    if spelling == 0:
        return (
            '<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">'
            f'{escape(TWEET_TEXT)} <a href="https://t.co/AbCd">pic.twitter.com/AbCd</a></p>'
            "&mdash; Gouvernement (@gouvernementFR) "
            '<a href="https://twitter.com/gouvernementFR/status/1">12 mai 2017</a></blockquote>'
            '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
        )
    if spelling == 1:
        return (
            '<figure><iframe width="560" height="315" title="Lecteur vidéo YouTube" '
            'src="https://www.youtube.com/embed/dQw4w9WgXcQ" allowfullscreen></iframe></figure>'
        )
    return (
        f'<div{page.c("embed")}><iframe src="https://player.vimeo.com/video/1" '
        'title="Vidéo"></iframe></div>'
    )


def newsletter(page: Page) -> str:
    return (
        f"<div{page.c('newsletter')}><p>{page.text(NEWSLETTER_TEXT)}</p>"
        '<form action="/newsletter"><input type="email" placeholder="Votre e-mail">'
        f"<button>{page.text('Je m’inscris')}</button></form></div>"
    )


def pager(page: Page) -> str:
    """An in-article pager drawn by the browser (buttons or text: nothing a crawler follows)."""
    if page.rng.random() < 0.5:
        return (
            f"<div{page.c('pager')}><button>1</button> <button>2</button> "
            "<button>Page suivante ›</button></div>"
        )
    return "<p>1 2 Page suivante ›</p>"


def vu_sur(page: Page, source: str) -> str:
    spelling = page.rng.randrange(3)
    label = page.text("Vu sur :")
    if spelling == 0:
        return (
            f'<p>{label} <a href="https://www.example.org/" rel="nofollow">{escape(source)}</a></p>'
        )
    if spelling == 1:
        return f"<p{page.c('source')}><em>{label} {escape(source)}</em></p>"
    return f"<p>{page.text('Vu sur: ' + source)}</p>"


def cta(page: Page) -> str:
    from tests.replica import seed as S

    notice = "".join(f"<p>{escape(p, quote=False)}</p>" for p in S.SEED_COMMENTS_NOTICE)
    return f"<p>{escape(C.CTA_TEXT, quote=False)}</p>{notice}"


def empty_paragraph(page: Page) -> str:
    return page.rng.choice(("<p>&nbsp;</p>", "<p></p>", "<p><br></p>", "<p>\u00a0</p>"))


def body_html(
    page: Page,
    *,
    paragraph: Callable[[str], str],
    subheading: Callable[[str], str],
    joiner: str = "\n",
    empty: Callable[[Page], str] = empty_paragraph,
    special: Callable[[Block, str], str | None] | None = None,
    ad_break: str | None = None,
    ad: Callable[[Page], str] | None = None,
    embedded: Callable[[Page], str] | None = None,
) -> str:
    """The article's blocks in the family's markup, with furniture between them.

    The record's "à lire aussi" blocks are drawn here in one of the furniture spellings; other
    furniture is added per page (deterministic): an ad slot after the second paragraph, a
    related box after the third, an embed, a newsletter prompt before the last paragraph, and at
    the end an in-article pager, the "Vu sur" source and the comments notice. A premium teaser
    gets an ad slot at most. ``special`` may draw a block its own way (None: the default).
    ``ad_break``: markup that closes the body container, holds ``{ad}`` and opens the next one
    (a body split in several containers around an ad, as React templates often render it).
    ``ad`` and ``embedded`` draw the ad slot and the embed (AMP has its own elements).
    """
    rng = page.rng
    premium = page.art.premium
    quotes = rng.random() < 0.5
    chosen = {
        "ad": rng.random() < 0.7,
        "related": not premium and rng.random() < 0.5,
        "embed": not premium and rng.random() < 0.4,
        "newsletter": not premium and rng.random() < 0.4,
        "pager": not premium and rng.random() < 0.3,
        "cta": not premium and rng.random() < 0.35,
    }
    text_blocks = [b for b in page.body_blocks if b.kind in ("p", "h2")]
    last_text = text_blocks[-1] if text_blocks else None
    out: list[str] = []
    n_par = 0
    for block in page.body_blocks:
        if block.kind in ("read_also_div", "read_also_strong"):
            out.append(related_box(page, block.href, page.segs(block.segs)))
            page.furniture.add("related")
            continue
        if block.kind == "empty":
            out.append(empty(page))
            page.furniture.add("empty")
            continue
        if block is last_text and chosen["newsletter"] and n_par >= 2:
            out.append(newsletter(page))
            page.furniture.add("newsletter")
        inner = page.segs(block.segs)
        html = special(block, inner) if special is not None else None
        if html is None and block.kind == "p" and block.text.startswith("« ") and quotes:
            # A quotation set as a blockquote: article text, unlike an embedded post.
            html = f"<blockquote>{paragraph(inner)}</blockquote>"
            page.furniture.add("blockquote")
        if html is None:
            html = paragraph(inner) if block.kind == "p" else subheading(inner)
        out.append(html)
        if block.kind != "p":
            continue
        n_par += 1
        if (n_par == 2 and chosen["ad"]) or (n_par == 1 and premium and chosen["ad"]):
            slot = (ad or ad_slot)(page)
            if ad_break is not None and not premium:
                slot = ad_break.replace("{ad}", slot)
                page.furniture.add("split-body")
            out.append(slot)
            page.furniture.add("ad")
        if n_par == 3 and chosen["related"]:
            other = _other_article(page)
            if other is not None:
                out.append(related_box(page, other[0], page.text(other[1], decorate=False)))
                page.furniture.add("related")
        if n_par == 4 and chosen["embed"]:
            out.append((embedded or embed)(page))
            page.furniture.add("embed")
    if chosen["pager"]:
        out.append(pager(page))
        page.furniture.add("pager")
    if page.vu_sur:
        out.append(vu_sur(page, page.vu_sur))
        page.furniture.add("vu_sur")
    if chosen["cta"]:
        out.append(cta(page))
        page.furniture.add("cta")
    return joiner.join(out)


def _other_article(page: Page) -> tuple[str, str] | None:
    pool = [a for a in page.site.articles[:40] if a.id != page.art.id]
    if not pool:
        return None
    other = page.rng.choice(pool)
    return other.canonical_path, other.headline


# --------------------------------------------------------------------------------------------
# Premium


def _gate(page: Page) -> str:
    return (
        f"<p>{page.text(C.PREMIUM_NOTICE)}</p><p>{page.text(GATE_TEXT)}</p>"
        '<a href="/abonnement">Je m’abonne</a> '
        f'<a href="/connexion">{page.text("Déjà abonné ? Se connecter")}</a>'
    )


def paywalled(page: Page, container: str) -> str:
    """A premium page's body: the teaser (in its container) inside or before the wrapper of the
    page's paywall form; the teaser is the truth body, the rest is never sent."""
    form = page.options.paywall
    page.furniture.add("paywall:" + form)
    if form == "dpslvp":
        page.show("isAccessibleForFree")
        return f'<div class="dpslvp">{container}<div class="dpslvp-gate">{_gate(page)}</div></div>'
    if form == "markup":
        page.show("isAccessibleForFree")
        name = _hashed(page, "Paywall_wrapper")
        return (
            f'<div class="markup {name}">{container}'
            f'<div class="{_hashed(page, "Paywall_overlay")}">{_gate(page)}</div></div>'
        )
    if form == "drupal":
        page.show("isAccessibleForFree")
        return f'{container}<div id="paywall-placeholder">{_gate(page)}</div>'
    # Tonos: the page shows the teaser and an empty mount point; only JSON-LD says "premium".
    return f'{container}<div id="tp-container-inline"></div>'


def strip_vu_sur(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """The record's blocks without its "Vu sur: <source>" line, and that source."""
    kept, source = [], None
    for block in blocks:
        if block.kind == "p" and block.text.startswith("Vu sur:"):
            source = block.text.removeprefix("Vu sur:").strip()
            continue
        kept.append(block)
    return kept, source
