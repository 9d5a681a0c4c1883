"""A live blog: the body is a list of timed entries ("0h11 : …"), newest first.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(SITE.md: live blog entries start with ``0h11 : ``; the surtitle ``En direct``), with
replica-chosen values where the real site is unknown (markup, entry times, class names).

The family changes the body it renders, so its truth changes with it: each paragraph of the
record becomes an entry whose text starts with its time (``9h05 : …``), the newest first. Each
entry may carry its own ``time`` element: a trap for the publication date, which is the
article's (the first entry's time is later). The live blog prints no photo credit.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.replica.generator import Article, Block
from tests.replica.textutil import PARIS, french_published, iso

from . import chrome, parts
from .furniture import paywalled
from .page import Page

NAMES: dict[str, str] = {
    "nav": "nav",
    "sidebar": "live-aside",
    "card": "live-aside__item",
    "card-date": "live-aside__date",
    "kicker": "live-header__badge",
    "title": "live-header__title",
    "chapo": "live-header__summary",
    "category": "live-header__section",
    "byline": "live-header__authors",
    "figure": "live-media",
    "caption": "live-media__caption",
    "credit": "live-media__credit",
    "tags": "live-tags",
    "live-entry": "live-entry",
    "live-time": "live-entry__time",
    "ad": "live-ad",
    "related": "live-related",
    "related-strip": "live-more",
    "card-category": "live-more__section",
    "body": "live-feed",
}


def entry_times(art: Article) -> list[tuple[int, str]]:
    """(block index, ISO time) of each entry, oldest entry 6 to 20 minutes after publication."""
    rng = random.Random(f"live:{art.id}")
    moment = art.published
    out = []
    for index, block in enumerate(art.blocks):
        if block.kind != "p":
            continue
        moment = moment + timedelta(minutes=rng.randint(6, 47))
        out.append((index, iso(moment)))
    return out


def transform(art: Article) -> list[Block]:
    """The record's paragraphs as timed entries, newest first (sub-headings dropped)."""
    entries = []
    times = dict(entry_times(art))
    for index, block in enumerate(art.blocks):
        if index not in times:
            continue
        local = _local(times[index])
        label = f"{local.hour}h{local.minute:02d} :"
        entries.append(Block("p", (("strong", label, ""), ("", " ", ""), *block.segs)))
    return entries[::-1]


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(PARIS)


def render(page: Page) -> str:
    art = page.art
    page.show("datePublished", "datePublished.time")
    date = f'<time datetime="{iso(art.published)}">{french_published(art.published)}</time>'
    entries = []
    spelled = page.rng.random() < 0.5
    for n, block in enumerate(art.blocks):
        label = block.segs[0][1]
        rest = page.segs(block.segs[2:])
        if spelled:
            hour, minute = label.removesuffix(" :").split("h")
            start = art.published.astimezone(PARIS)
            moment = start.replace(hour=int(hour), minute=int(minute))
            if moment < start:  # the entry is past midnight
                moment += timedelta(days=1)
            entries.append(
                f'<div{page.c("live-entry")} id="entry-{n}"><span{page.c("live-time")}>'
                f'<time datetime="{iso(moment)}">{label.removesuffix(" :")}</time> :</span> '
                f"{rest}</div>"
            )
        else:
            entries.append(f"<p>{page.segs(block.segs)}</p>")
        if n == 1:
            entries.append('<div id="infeed"><span>Publicité</span></div>')
            page.furniture.add("ad")
    container = f"<div{page.c('body')}>\n" + "\n".join(entries) + "\n</div>"
    if art.premium:
        container = paywalled(page, container)
    header = (
        f'<div class="live-header">{parts.category_link(page)}{parts.kicker(page, "span")}'
        f"{parts.h1(page)}{parts.chapo(page)}{date}"
        f"{parts.byline(page, prefix='Par', links=True)}{parts.figure(page, with_credit=False)}</div>"
    )
    return (
        parts.head(page, type_form="LiveBlogPosting")
        + f'<body><div id="__next">{chrome.site_header(page, today=False)}\n'
        f'<main><article class="live">{header}\n{container}\n'
        f"{parts.taxonomy(page, themes=False)}</article>{chrome.sidebar(page, 'Les plus lus')}"
        f"</main>{chrome.footer(page)}<!--pad:foot--></div></body></html>\n"
    )
