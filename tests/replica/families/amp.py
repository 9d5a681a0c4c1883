"""An AMP page: ``<html ⚡>``, ``amp-img``, ``amp-ad``, ``amp-twitter``, AMP's boilerplate.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: what an article page shows; whether the site publishes AMP pages is unknown), with
replica-chosen values where the real site is unknown: the AMP form many French news sites
served for years, where the main image is an ``amp-img`` (no ``img`` element), ads are
``amp-ad`` elements with a "Publicité" fallback inside, embeds are AMP components carrying the
post's text as a placeholder, and the page's styles sit in ``style amp-custom``.
"""

from __future__ import annotations

from html import escape

from tests.replica.textutil import attr, french_published, iso

from . import chrome, parts
from .furniture import TWEET_TEXT, body_html, paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "amp-nav",
    "sidebar": "amp-related",
    "card": "amp-related__item",
    "card-date": "amp-related__date",
    "kicker": "amp-overline",
    "title": "amp-title",
    "chapo": "amp-lead",
    "category": "amp-section",
    "byline": "amp-byline",
    "caption": "amp-caption",
    "credit": "amp-credit",
    "tags": "amp-tags",
    "newsletter": "amp-newsletter",
    "pager": "amp-pager",
    "related": "amp-inline-related",
    "body": "amp-body",
    "related-strip": "amp-more",
    "card-category": "amp-more__section",
}

_BOILERPLATE = (
    "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
    "animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>"
    "<noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style>"
    "</noscript>"
)


def amp_ad(page: Page) -> str:
    slot = page.rng.randint(1000, 9999)
    return (
        f'<amp-ad width="300" height="250" type="doubleclick" data-slot="/{slot}/atlantico/atf">'
        "<div fallback>Publicité</div></amp-ad>"
    )


def amp_embed(page: Page) -> str:
    if page.rng.random() < 0.5:
        return (
            '<amp-twitter width="375" height="472" layout="responsive" data-tweetid="1">'
            f"<blockquote placeholder><p>{escape(TWEET_TEXT)} pic.twitter.com/AbCd</p>"
            "</blockquote></amp-twitter>"
        )
    return '<amp-youtube data-videoid="dQw4w9WgXcQ" layout="responsive" width="480" height="270"></amp-youtube>'


def _figure(page: Page) -> str:
    image = page.art.image
    if image is None:
        return ""
    page.show("mainImage", "mainImage.credit")
    caption = ""
    if image.caption:
        page.show("mainImage.caption")
        caption = f"<span{page.c('caption')}>{page.text(image.caption)}</span> "
    return (
        f'<figure><amp-img src="{attr(image.url)}" alt="{attr(image.caption or "")}" '
        'width="1200" height="675" layout="responsive"></amp-img>'
        f"<figcaption>{caption}<span{page.c('credit')}>"
        f"{escape(image.credit_printed, quote=False)}</span></figcaption></figure>"
    )


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time")
    date = f'<time datetime="{iso(art.published)}">{french_published(art.published)}</time>'
    body = body_html(
        page,
        paragraph=lambda inner: f"<p>{inner}</p>",
        subheading=lambda inner: f"<h2>{inner}</h2>",
        ad=amp_ad,
        embedded=amp_embed,
    )
    container = f"<div{page.c('body')}>\n{body}\n</div>"
    if art.premium:
        container = paywalled(page, container)
    header = (
        f"<p>{parts.category_link(page)}</p>{parts.kicker(page, 'p')}{parts.h1(page)}"
        f"{parts.chapo(page)}{parts.byline(page, prefix='Par', links=True)}{date}{_figure(page)}"
    )
    head = (
        '<!doctype html>\n<html ⚡ lang="fr"><head><meta charset="utf-8">'
        '<script async src="https://cdn.ampproject.org/v0.js"></script>'
        '<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js">'
        "</script>"
        f"<title>{escape(art.headline, quote=False)} | Atlantico.fr</title>"
        f'<link rel="canonical" href="{attr(page.canonical())}">'
        '<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">'
        f"{_BOILERPLATE}<style amp-custom>.amp-title{{font-size:2rem}}</style>"
        f"{parts.structured_data(page)}<!--pad:head--></head>\n"
    )
    return (
        head + f"<body>{chrome.site_header(page, today=False)}\n"
        f"<main><article>{header}\n{container}\n{parts.taxonomy(page, themes=False)}</article>"
        f"{chrome.related_strip(page)}</main>\n{chrome.footer(page)}<!--pad:foot--></body></html>\n"
    )
