"""The state of one family rendering: options, class names, text decoration, what was shown.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts), with replica-chosen values where the real site is unknown (class names,
where furniture sits). A :class:`Page` is made per (site, article, family, options); its random
choices come from ``random.Random`` seeded with the site seed, the family and the article id, so
the same arguments give the same bytes.

While a family renders, it records in :attr:`Page.shown` every truth field it printed somewhere
(``"kicker"``, ``"mainImage.credit"``, ``"authors.url"``, ``"datePublished.time"``…). The
family's truth is then the article's truth with every field it did not show cleared and named in
``notCarried``: never silently.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from tests.replica.generator import Article, Block, Seg
from tests.replica.textutil import attr, french_spaces, insert_zero_width

if TYPE_CHECKING:
    from tests.replica.generator import Site

SOFT_HYPHEN = "\u00ad"

JSONLD_FORMS: tuple[str, ...] = ("none", "plain", "graph")
"""No JSON-LD; one bare NewsArticle object; an ``@graph`` with ``@id`` references."""
OG_FORMS: tuple[str, ...] = ("none", "full", "cut")
"""No OpenGraph; full OpenGraph and ``article:*`` tags; the same with a cut ``og:description``."""
PAYWALLS: tuple[str, ...] = ("dpslvp", "markup", "tonos", "drupal")
"""Premium forms of SITE.md section 4: Poool's ``div.dpslvp``, ``div.markup`` with a *Paywall*
class, Tonos marked in JSON-LD only, Drupal's ``#paywall-placeholder``."""


@dataclass(frozen=True)
class Options:
    """How one family page is dressed: structured data, OpenGraph, known containers, paywall."""

    jsonld: str = "plain"
    og: str = "full"
    containers: bool = True
    paywall: str = "markup"

    def label(self) -> str:
        box = "known" if self.containers else "unknown"
        return f"ld={self.jsonld},og={self.og},containers={box},paywall={self.paywall}"


def _insert_soft_hyphen(text: str, rng: random.Random) -> str:
    """A soft hyphen inside a word of at least 8 letters (if there is one)."""
    words = list(re.finditer(r"[^\W\d_]{8,}", text))
    if not words:
        return text
    word = rng.choice(words)
    cut = word.start() + rng.randint(3, len(word.group()) - 3)
    return text[:cut] + SOFT_HYPHEN + text[cut:]


def opaque_token(rng: random.Random, k: int) -> str:
    """Letters as styled-components and CSS-module builds print them."""
    return "".join(rng.choices(string.ascii_letters, k=k))


Namer = Callable[[str], str | None]
"""role -> class attribute value (None: no class attribute at all)."""


class Page:
    """One family page being rendered."""

    def __init__(
        self,
        site: Site,
        art: Article,
        family: str,
        options: Options,
        namer: Namer,
        vu_sur: str | None,
    ) -> None:
        self.site = site
        self.art = art
        self.family = family
        self.options = options
        self.namer = namer
        self.vu_sur = vu_sur
        self.rng = random.Random(f"{site.seed}:family:{family}:{art.id}:{options.label()}")
        self.shown: set[str] = set()
        self.furniture: set[str] = set()  # furniture kinds drawn (for the self-checks)
        self.graph_nodes: list[dict[str, Any]] = []  # JSON-LD nodes an @graph page refers to

    # -- bookkeeping --
    def show(self, *fields: str) -> None:
        """Record that the page prints these truth fields somewhere."""
        self.shown.update(fields)

    def c(self, role: str) -> str:
        """`` class="…"`` for a role, or nothing when the family names no class there."""
        name = self.namer(role)
        return f' class="{attr(name)}"' if name else ""

    # -- text --
    def text(self, value: str, *, decorate: bool = True) -> str:
        """Plain text -> escaped HTML text: French no-break spaces (one written rule: a no-break
        or narrow no-break space before ``: ; ? ! %`` and inside ``« »``), sometimes a zero-width
        space or a soft hyphen inside a word, NFD accents on NFD articles."""
        if not self.art.typography:
            return escape(value, quote=False)
        out = french_spaces(value, self.rng)
        if decorate and self.rng.random() < 0.15:
            out = insert_zero_width(out, self.rng)
        if decorate and self.rng.random() < 0.15:
            out = _insert_soft_hyphen(out, self.rng)
        if self.art.nfd:
            out = unicodedata.normalize("NFD", out)
        return escape(out, quote=False)

    def segs(self, segs: tuple[Seg, ...]) -> str:
        out = []
        for tag, value, href in segs:
            inner = self.text(value)
            if tag == "a":
                extra = ' target="_blank" rel="noopener"' if href.startswith("http") else ""
                out.append(f'<a href="{attr(href)}"{extra}>{inner}</a>')
            elif tag:
                out.append(f"<{tag}>{inner}</{tag}>")
            else:
                out.append(inner)
        return "".join(out)

    def headline_html(self) -> str:
        """The headline as the page's ``h1`` prints it: sometimes a ``<br>`` where the plain
        text has a space (no space around it: a reader sees a line break)."""
        headline = self.art.headline
        spaces = [m.start() for m in re.finditer(" ", headline)]
        if not spaces or not self.art.typography or self.rng.random() >= 0.35:
            return self.text(headline)
        after_mark = [i for i in spaces if headline[i - 1] in ":?!,"]
        cut = after_mark[0] if after_mark else spaces[len(spaces) // 2]
        br = self.rng.choice(("<br>", "<br/>", "<br />"))
        return self.text(headline[:cut]) + br + self.text(headline[cut + 1 :])

    # -- the record --
    @property
    def body_blocks(self) -> list[Block]:
        return self.art.blocks

    def canonical(self) -> str:
        return self.site.canonical_url(self.art)
