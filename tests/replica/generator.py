"""Deterministic generator of the offline replica of atlantico.fr.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts: URL forms and legacy redirects, article types and categories, the page's
content order, JSON-LD quirks, French typography, the paywall, sitemaps and feeds), with
replica-chosen values where the real site is unknown (listing URLs, class names, pagination).

:func:`generate_site` builds every article record from ``random.Random(seed)`` and returns a
:class:`Site`: a lazily rendered mapping path -> (status, headers, body bytes) plus the *truth*,
the items a correct crawler must produce. Records do not depend on the base URL; absolute URLs
(canonical links, JSON-LD, sitemaps, redirects) are rendered with the base URL the server bound.

Replica choices (the real values are unknown): the listing URLs ``/decryptages`` (pages
``?page=k``) and ``/categorie/high-tech`` (pages ``/page/k``), their markup and pagination, the
CSS class names of the article template, the 301 code of legacy redirects, robots.txt, the
reference "now" 2026-11-20T12:00:00+01:00 and the seed article's date.
"""

from __future__ import annotations

import bisect
import functools
import random
import string
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from . import corpus as C
from . import seed as S
from .textutil import (
    PARIS,
    a_,
    author_slug,
    capitalize_first,
    clean_text,
    de,
    elide,
    iso,
    slug_tokens,
)

NOW: Final[datetime] = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)
"""The replica's reference "now" (Europe/Paris)."""

DEFAULT_BASE_URL: Final[str] = "http://127.0.0.1:8000"
PAGE_SIZE: Final[int] = 20
"""Cards per listing page (replica choice)."""

IMAGE_HOST: Final[str] = "https://atlantico-media.s3.eu-west-3.amazonaws.com"
TYPES: Final[tuple[str, ...]] = ("decryptage", "pepite", "rdv", "atlantico-light")

SECTION_KEYS: Final[tuple[str, ...]] = ("decryptages", "high-tech")
SECTION_LABELS: Final[dict[str, str]] = {"decryptages": "Décryptages", "high-tech": "High-tech"}
# Replica choices: the real listing URLs and pagination are unknown (SITE.md section 2). A crawler
# finds the listings through the navigation labels, never through these paths.
SECTION_PATHS: Final[dict[str, str]] = {
    "decryptages": "/decryptages",
    "high-tech": "/categorie/high-tech",
}

TRACKING_QUERIES: Final[dict[str, str]] = {
    "utm": "?utm_source=newsletter&utm_medium=email&utm_campaign=x",
    "xtor": "?xtor=RSS-1",
    "fragment": "#comments",
}

REQUIRED_VARIANTS: Final[tuple[str, ...]] = (
    "premium",
    "jsonld_no_headline",
    "jsonld_no_date",
    "no_jsonld",
    "no_author",
    "legacy_author_string",
    "no_image",
    "updated",
    "date_text_only",
    "accented_author",
    "dst_spring",
    "dst_autumn",
    "nfd",
)
"""Variants that exist at least once among section articles when N >= 40."""

# Variants given to exactly one (or N // 100) section article each, before the random ones.
_SINGLE_VARIANTS: Final[tuple[str, ...]] = (
    "updated",
    "jsonld_no_headline",
    "jsonld_no_date",
    "no_jsonld",
    "no_author",
    "legacy_author_string",
    "no_image",
    "date_text_only",
    "accented_author",
    "dst_spring",
    "dst_autumn",
    "nfd",
    "no_kicker",
    "no_caption",
)
_FIXED_DATES: Final[dict[str, datetime]] = {
    "seed": datetime(*S.SEED_DATE_LOCAL, tzinfo=PARIS),
    "old_template": datetime(2017, 5, 12, 10, 0, tzinfo=PARIS),
    "date_text_only": datetime(2021, 7, 3, 7, 5, tzinfo=PARIS),
    # Near the DST changes but unambiguous: the day clocks go forward, and back.
    "dst_spring": datetime(2025, 3, 30, 3, 30, tzinfo=PARIS),
    "dst_autumn": datetime(2025, 10, 26, 1, 30, tzinfo=PARIS),
}
OLD_TEMPLATE_TODAY: Final[datetime] = datetime(2017, 5, 23, 9, 0, tzinfo=PARIS)
"""The "current day" the old template prints in its header (a trap, not a publication date)."""

OLD_TEMPLATE_HEADLINE: Final[str] = "Les géants du numérique et la tentation de l’impunité"
OLD_TEMPLATE_AUTHOR: Final[str] = "Jean Dupont"

Seg = tuple[str, str, str]
"""One inline piece of a paragraph: (tag, text, href); tag is "", "em", "strong" or "a"."""


# --------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Author:
    """A person credited on an article. ``path`` is None when the page gives no link."""

    name: str
    path: str | None
    bio: str | None = None
    photo: str | None = None


@dataclass(frozen=True)
class Image:
    """The article's main image. ``credit_printed`` is what the page shows."""

    url: str
    caption: str | None
    credit_printed: str
    credit: str | None


@dataclass(frozen=True)
class Block:
    """A block of the article body.

    kind: "p", "h2", "empty" (``<p>&nbsp;</p>``), "read_also_div", "read_also_strong".
    For read-also blocks ``href`` is the target path and ``segs`` its headline.
    """

    kind: str
    segs: tuple[Seg, ...] = ()
    href: str = ""

    @property
    def text(self) -> str:
        return "".join(seg[1] for seg in self.segs)

    @property
    def truth_text(self) -> str | None:
        """The cleaned text this block contributes to ``articleBody`` (None: nothing)."""
        if self.kind not in ("p", "h2"):
            return None
        if self.text.startswith("Vu sur:"):
            return None  # where a pépite was seen: not article text (issue 10)
        return clean_text(self.text) or None


@dataclass
class JsonLdStyle:
    """How an article's JSON-LD is shaped (deterministic per article)."""

    present: bool = True
    graph: bool = True
    type_form: str | list[str] = "NewsArticle"
    author_single: bool = False
    image_string: bool = False
    free_string: bool = False
    date_utc: bool = False
    headline: bool = True
    date: bool = True
    headline_trailing_space: bool = False
    description_trailing_space: bool = False


@dataclass(eq=False)
class Article:
    """One article record. Plain text fields are NFC with ordinary spaces."""

    slot: int
    id: int = 0
    type: str = "decryptage"
    slug: str = ""
    category: str | None = None
    kicker: str | None = None
    headline: str = ""
    chapo: str | None = None
    authors: list[Author] = field(default_factory=list)
    author_mode: str = "cards"  # "cards" | "legacy_string" | "none" | "old"
    blocks: list[Block] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    image: Image | None = None
    published: datetime = NOW
    modified: datetime | None = None
    premium: bool = False
    sections: set[str] = field(default_factory=set)
    variants: set[str] = field(default_factory=set)
    template: str = "current"  # "current" | "old"
    rdv_series: str | None = None
    link_forms: dict[str, str] = field(default_factory=dict)
    jsonld: JsonLdStyle = field(default_factory=JsonLdStyle)
    typography: bool = True  # False: text is printed verbatim (the seed article)
    title_space: bool = False
    zwsp_title: bool = False
    nfd: bool = False
    boilerplate_inside: bool = False
    date_text_only: bool = False
    family: str | None = None  # a template family of tests/replica/families (served opt-in)

    # -- URLs (paths; the Site adds the base URL) --
    @property
    def current_path(self) -> str:
        return f"/article/{self.type}/{self.slug}"

    @property
    def drupal_path(self) -> str:
        folder = "pepites" if self.type == "pepite" else self.type
        return f"/{folder}/{self.slug}-{self.id}.html"

    @property
    def react_path(self) -> str:
        return f"/{self.type}/{self.id}/{self.slug}"

    @property
    def rdv_series_path(self) -> str | None:
        if self.rdv_series is None:
            return None
        return f"/rdv/{self.rdv_series}/{self.slug}-{self.id}.html"

    @property
    def canonical_path(self) -> str:
        return self.drupal_path if self.template == "old" else self.current_path

    @property
    def legacy_paths(self) -> list[str]:
        """Paths that answer 301 to the canonical URL."""
        paths = [self.drupal_path, self.react_path, self.current_path]
        if self.rdv_series_path:
            paths.append(self.rdv_series_path)
        return [p for p in paths if p != self.canonical_path]

    @property
    def body_texts(self) -> list[str]:
        return [t for b in self.blocks if (t := b.truth_text)]


class Response(NamedTuple):
    """One HTTP answer of the replica."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


# --------------------------------------------------------------------------------------------
# Text writer


_SENTENCES: Final[tuple[str, ...]] = (
    "{Actor} {verb}, et cela n’a rien d’anodin.",
    "{connector} {subject} {state}.",
    "Selon {source}, {claim}.",
    "« {quote} », résume {expert}.",
    "Les chiffres parlent d’eux-mêmes : {n} % des {population} se disent {adjective}.",
    "Pour {actor}, l’enjeu est double : {infinitive} et {infinitive2}.",
    "A court terme, {claim} ; à plus long terme, {claim2}…",
    "Faut-il s’en inquiéter ? Pas forcément, répondent les plus optimistes.",
    "Plus de {n} milliards d’euros sont en jeu.",
    "Reste à savoir si {actor} parviendra à {infinitive}.",
    "Depuis {year}, {actor} {verb}.",
    "Ce n’est pas un hasard si {subject} {state}.",
    "Le débat sur {subject} ne fait que commencer.",
    "Dans ce contexte, {actor} {verb} !",
)
_QUESTIONS: Final[tuple[str, ...]] = (
    "{Subject} {state}. Faut-il y voir {epithet} ?",
    "Comment expliquer que {actor} {verb} ?",
    "Quelles conséquences pour {subject} ?",
    "Est-il réaliste d’imaginer que {actor} parvienne à {infinitive} ?",
    "Selon vous, {claim} ?",
)
_HEADLINES: Final[tuple[str, ...]] = (
    "{Subject} : pourquoi {claim}",
    "Comment {actor} {verb}",
    "{Actor} face {subject_a} : {outcome}",
    "« {quote} » : {actor} {verb}",
    "{Subject}, {epithet} ?",
    "La vraie raison pour laquelle {actor} {verb}",
    "{Subject} : les dessous d’un bras de fer qui inquiète",
    "{Actor} et {subject} : {outcome}",
    "{Subject} : {actor} {verb}",
    "Ce que le cas {actor_de} dit {subject_de}",
)
_CAPTIONS: Final[tuple[str, ...]] = (
    "{Actor} lors d’une conférence à {city}, le {day} {month} {year}.",
    "Photo d’illustration.",
    "{Actor} à {city}.",
    "Une image d’illustration : {subject}.",
)
_FORMATTER: Final[string.Formatter] = string.Formatter()


@functools.lru_cache(maxsize=256)
def _parse(template: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((literal, name) for literal, name, _spec, _conv in _FORMATTER.parse(template))


class _Writer:
    """Fills French sentence templates for one article (category-aware)."""

    def __init__(self, rng: random.Random, category: str) -> None:
        self.rng = rng
        self.category = category

    def _pool(self, pools: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
        if self.category in pools and self.rng.random() < 0.8:
            return pools[self.category]
        return pools[self.rng.choice(C.CATEGORIES)]

    def fill(self, template: str, *, inline: bool = True) -> list[Seg]:
        """Fill a template; with ``inline`` some values become links or emphasis."""
        rng = self.rng
        subject = rng.choice(self._pool(C.SUBJECTS))
        plural = subject.startswith("les ")
        used: set[str] = set()

        def choose(pool: tuple[str, ...]) -> str:
            """A value not used yet in this template (``claim`` and ``claim2`` differ)."""
            fresh = [v for v in pool if v not in used]
            value = rng.choice(fresh or list(pool))
            used.add(value)
            return value

        segs: list[Seg] = []
        for literal, name in _parse(template):
            if literal:
                segs.append(("", literal, ""))
            if name is None:
                continue
            tag, href = "", ""
            key = name.lower()
            if key == "subject":
                value = subject
            elif key == "subject_a":
                value = a_(subject)
            elif key == "subject_de":
                value = de(subject)
            elif key == "state":
                value = rng.choice(C.STATES)[1 if plural else 0]
            elif key in ("actor", "actor_de"):
                actor = rng.choice(self._pool(C.ACTORS))
                value = de(actor) if key == "actor_de" else actor
                if inline and key == "actor" and rng.random() < 0.12:
                    tag, href = "a", "/tag/" + "-".join(slug_tokens(actor))
            elif key == "verb":
                value = choose(C.VERB_PHRASES)
            elif key == "claim" or key == "claim2":
                value = choose(C.CLAIMS)
            elif key in ("infinitive", "infinitive2"):
                value = choose(C.INFINITIVES)
            elif key == "quote":
                value = choose(C.QUOTES)
                if inline and rng.random() < 0.3:
                    tag = "em"
            elif key == "source":
                value = rng.choice(C.SOURCES)
                if inline and rng.random() < 0.1:
                    tag, href = "a", rng.choice(C.EXTERNAL_LINKS)
            elif key == "expert":
                value = rng.choice(C.EXPERTS)
            elif key == "n":
                value = str(rng.randint(12, 87))
            elif key == "population":
                value = rng.choice(C.POPULATIONS)
            elif key == "adjective":
                value = rng.choice(C.ADJECTIVES)
            elif key == "connector":
                value = rng.choice(C.CONNECTORS)
            elif key == "year":
                value = str(rng.randint(2012, 2024))
            elif key == "outcome":
                value = choose(C.OUTCOMES)
            elif key == "epithet":
                value = choose(C.EPITHETS)
            elif key == "city":
                value = rng.choice(C.CITIES)
            elif key == "day":
                value = str(rng.randint(2, 28))
            elif key == "month":
                value = rng.choice(C.MONTHS_FR)
            else:  # pragma: no cover - template typo
                raise KeyError(name)
            if name[0].isupper():
                value = capitalize_first(value)
            if segs and not segs[-1][0]:
                previous = segs[-1][1]
                for word in (" que ", " de "):
                    if previous.endswith(word):
                        elided = elide(word.strip(), value)
                        segs[-1] = ("", previous[: -len(word) + 1] + elided, "")
                        break
            segs.append((tag, value, href))
        return _merge(segs)

    def plain(self, template: str) -> str:
        return "".join(seg[1] for seg in self.fill(template, inline=False))

    def sentence(self) -> list[Seg]:
        return self.fill(self.rng.choice(_SENTENCES))

    def paragraph(self, low: int = 2, high: int = 4) -> list[Seg]:
        segs: list[Seg] = []
        for i in range(self.rng.randint(low, high)):
            if i:
                segs.append(("", " ", ""))
            segs.extend(self.sentence())
        return _merge(segs)

    def headline(self) -> str:
        return self.plain(self.rng.choice(_HEADLINES))

    def chapo(self) -> str:
        first = self.plain(self.rng.choice(_SENTENCES))
        second = self.plain(self.rng.choice(_SENTENCES))
        return capitalize_first(first) + " " + capitalize_first(second)

    def question(self) -> str:
        return self.plain(self.rng.choice(_QUESTIONS))

    def caption(self) -> str:
        return capitalize_first(self.plain(self.rng.choice(_CAPTIONS)))


def _merge(segs: list[Seg]) -> list[Seg]:
    """Merge neighbouring plain segments."""
    out: list[Seg] = []
    for seg in segs:
        if out and not seg[0] and not out[-1][0]:
            out[-1] = ("", out[-1][1] + seg[1], "")
        else:
            out.append(seg)
    return out


# --------------------------------------------------------------------------------------------
# Generation


def _shift(moment: datetime, delta: timedelta) -> datetime:
    """Add ``delta`` in absolute time (aware arithmetic in one zone would use wall time)."""
    return (moment.astimezone(UTC) + delta).astimezone(PARIS)


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Absolute time from ``start`` to ``end``."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _round5(moment: datetime) -> datetime:
    """Floor to a multiple of 5 minutes, in Paris time (offsets are whole hours)."""
    utc = moment.astimezone(UTC).replace(second=0, microsecond=0)
    return (utc - timedelta(minutes=utc.minute % 5)).astimezone(PARIS)


def _random_old_date(rng: random.Random) -> datetime:
    start = datetime(2017, 1, 2, tzinfo=PARIS).timestamp()
    end = datetime(2025, 9, 1, tzinfo=PARIS).timestamp()
    return _round5(datetime.fromtimestamp(rng.uniform(start, end), tz=PARIS))


def _groups(n: int, rng: random.Random) -> list[str]:
    """Section membership per slot: "both", "dec", "ht" or "none" (slot 0 seed, slot 1 old)."""
    n_none = max(1, round(n * 0.05)) if n >= 10 else 0
    n_both = round(n * 0.45)
    n_dec = max(1, round(n * 0.25))
    n_ht = max(1, n - n_none - n_both - n_dec)
    n_both = n - n_none - n_dec - n_ht
    rest = ["both"] * n_both + ["dec"] * (n_dec - 1) + ["ht"] * (n_ht - 1) + ["none"] * n_none
    rng.shuffle(rest)
    return ["ht", "dec", *rest]


def _credit_truth(printed: str) -> str | None:
    text = printed.strip()
    for prefix in ("Crédits Photo:", "©"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return text or None


def _image_url(rng: random.Random, stem: str) -> str:
    return f"{IMAGE_HOST}/{stem or 'illustration'}_{rng.getrandbits(40):010x}.jpg"


def _make_slug(rng: random.Random, art: Article) -> str:
    tokens = slug_tokens(art.headline, apostrophe="-" if rng.random() < 0.3 else "")
    if art.authors and art.author_mode == "cards" and rng.random() < 0.2:
        for author in art.authors:
            tokens.extend(slug_tokens(author.name))
    elif art.tags and rng.random() < 0.1:
        tokens.extend(slug_tokens(art.tags[0]))
    if len(tokens) > 2 and rng.random() < 0.15:
        cut = rng.randint(1, len(tokens) - 1)
        tokens[cut] = "-" + tokens[cut]  # a double hyphen
    slug = "-".join(tokens)
    if rng.random() < 0.08:
        slug += "-"
    return slug


_AUTHORS_BY_NAME: Final[dict[str, tuple[str, str]]] = {name: (name, aid) for name, aid in C.AUTHORS}


def _author(rng: random.Random, name: str) -> Author:
    name, author_id = _AUTHORS_BY_NAME[name]
    slug = author_slug(name)
    bio = rng.choice(C.BIO_TEMPLATES).format(name=name, field=rng.choice(C.BIO_FIELDS))
    photo = _image_url(rng, "author_" + slug.replace("-", "_"))
    return Author(name=name, path=f"/author/{slug}-{author_id}", bio=bio, photo=photo)


def _body(rng: random.Random, writer: _Writer, art: Article) -> list[Block]:
    if art.premium:
        return [Block("p", tuple(writer.paragraph(2, 3))) for _ in range(rng.randint(1, 2))]
    blocks: list[Block] = []
    interview = (
        art.type == "decryptage"
        and art.author_mode == "cards"
        and bool(art.authors)
        and rng.random() < 0.3
    )
    if interview:
        art.variants.add("interview")
        expert = art.authors[0].name
        asker = "Atlantico" if rng.random() < 0.7 else rng.choice(C.INTERVIEWER_INITIALS)
        blocks.append(Block("p", tuple(writer.paragraph(1, 2))))
        for _ in range(rng.randint(2, 4)):
            question = ("", " " + writer.question(), "")
            blocks.append(Block("p", (("strong", f"{asker} :", ""), question)))
            answer = writer.paragraph(2, 4)
            blocks.append(Block("p", (("strong", f"{expert} :", ""), ("", " ", ""), *answer)))
            if rng.random() < 0.4:
                blocks.append(Block("p", tuple(writer.paragraph())))
    else:
        n_par = rng.randint(4, 9)
        for i in range(n_par):
            if i in (2, 5) and n_par >= 5 and rng.random() < 0.35:
                art.variants.add("subheading")
                blocks.append(Block("h2", (("", rng.choice(C.SUBHEADINGS), ""),)))
            blocks.append(Block("p", tuple(writer.paragraph())))
    if rng.random() < 0.12:
        art.variants.add("empty_paragraph")
        blocks.insert(rng.randint(1, len(blocks)), Block("empty"))
    if art.type in ("pepite", "atlantico-light") and rng.random() < 0.4:
        art.variants.add("vu_sur")
        blocks.append(Block("p", (("", "Vu sur: " + rng.choice(C.VU_SUR_SOURCES), ""),)))
    return blocks


_TYPE_FORMS: Final[tuple[str | list[str], ...]] = (
    "NewsArticle",
    "NewsArticle",
    "NewsArticle",
    ["Article", "NewsArticle"],
    "Article",
)


def _jsonld_style(rng: random.Random, art: Article) -> JsonLdStyle:
    style = JsonLdStyle(
        graph=rng.random() < 0.65,
        type_form=_TYPE_FORMS[rng.randrange(len(_TYPE_FORMS))],
        author_single=rng.random() < 0.5,
        image_string=rng.random() < 0.3,
        free_string=rng.random() < 0.2,
        date_utc=rng.random() < 0.3,
        headline_trailing_space=rng.random() < 0.1,
        description_trailing_space=rng.random() < 0.1,
    )
    for name, flag in (
        ("jsonld_graph", style.graph),
        ("jsonld_bare", not style.graph),
        ("jsonld_type_list", isinstance(style.type_form, list)),
        ("jsonld_type_article", style.type_form == "Article"),
        ("jsonld_image_string", style.image_string),
        ("jsonld_free_string", style.free_string),
        ("jsonld_date_utc", style.date_utc),
    ):
        if flag:
            art.variants.add(name)
    return style


def _build_articles(n: int, seed: int) -> list[Article]:
    """Every article record, newest first. Independent of the base URL."""
    if n < 2:
        raise ValueError("the replica needs at least 2 articles (the seed and the old page)")
    rng = random.Random(seed)
    groups = _groups(n, rng)
    arts = [Article(slot=i) for i in range(n)]
    for art, group in zip(arts, groups, strict=True):
        if group in ("both", "dec"):
            art.sections.add("decryptages")
        if group in ("both", "ht"):
            art.sections.add("high-tech")
    arts[0].variants.add("seed")
    arts[1].variants.add("old_template")
    arts[1].template = "old"

    # Single variants go to distinct section articles (other than the seed and the old page).
    pool = [a for a in arts[2:] if a.sections]
    rng.shuffle(pool)
    repeat = max(1, n // 100)
    taken = 0
    for variant in _SINGLE_VARIANTS:
        times = 1 if variant in _FIXED_DATES else repeat
        if variant == "nfd":
            times = max(2, repeat)  # "a couple of articles"
        for _ in range(times):
            if taken >= len(pool):
                break  # a tiny site lacks some variants rather than mixing them
            pool[taken].variants.add(variant)
            taken += 1
    # About 15% of the section articles are premium.
    plain_pool = [a for a in pool if not a.variants]
    n_premium = min(len(plain_pool), max(1, round(0.15 * (len(pool) + 2))))
    for art in rng.sample(plain_pool, n_premium):
        art.variants.add("premium")

    # Dates: fixed ones, then a walk back from NOW, with some older articles.
    walk = _round5(_shift(NOW, -timedelta(minutes=rng.randint(120, 330))))
    floor = datetime(2012, 1, 2, tzinfo=PARIS)
    for art in arts:
        fixed = sorted(v for v in art.variants if v in _FIXED_DATES)
        if fixed:
            art.published = _FIXED_DATES[fixed[0]]
        elif rng.random() < 0.12 or walk < floor:
            art.published = _random_old_date(rng)
        else:
            art.published = walk
            walk = _round5(_shift(walk, -timedelta(minutes=rng.randint(60, 40 * 60))))
    arts.sort(key=lambda a: (a.published, -a.slot))
    next_id = 60000
    for art in arts:
        if art.template == "old":
            art.id = rng.randint(3_000_000, 3_099_999)
        else:
            art.id = next_id
            next_id += 1
    arts.reverse()  # newest first

    for art in sorted(arts, key=lambda a: a.slot):
        _fill_article(rng, art, n)
    _ensure_unique_slugs(arts)
    for art in sorted(arts, key=lambda a: a.slot):
        _add_read_also(rng, art, arts)
    _assign_link_forms(rng, arts)
    return arts


def _fill_article(rng: random.Random, art: Article, n: int) -> None:
    """Type, category, text, people, image and page style of one article."""
    in_dec = "decryptages" in art.sections
    in_ht = "high-tech" in art.sections
    if "seed" in art.variants:
        _fill_seed(rng, art)
        return
    if art.template == "old":
        _fill_old(rng, art)
        return
    if in_dec:
        art.type = "decryptage"
    elif in_ht:
        art.type = rng.choice(["pepite", "pepite", "rdv", "atlantico-light"])
    else:
        art.type = rng.choice(["pepite", "rdv", "atlantico-light"])
    if art.type == "rdv":
        art.rdv_series = rng.choice(C.RDV_SERIES)
    others = [c for c in C.CATEGORIES if c != "High-tech"]
    art.category = "High-tech" if in_ht else rng.choice(others)
    writer = _Writer(rng, art.category)
    v = art.variants

    # People.
    if "legacy_author_string" in v:
        art.author_mode = "legacy_string"
        art.authors = [Author(name=name, path=None) for name in C.LEGACY_AUTHOR_NAMES]
    elif "accented_author" in v:
        art.authors = [_author(rng, name) for name in C.ACCENTED_AUTHORS]
    elif "no_author" in v:
        art.author_mode = "none"
    else:
        if art.type in ("pepite", "atlantico-light") and rng.random() < 0.6:
            count = 0
        else:
            count = rng.choices([0, 1, 2, 3], weights=[4, 62, 26, 8])[0]
        names = rng.sample([name for name, _ in C.AUTHORS], count)
        art.authors = [_author(rng, name) for name in names]
        art.author_mode = "cards" if art.authors else "none"
    if art.author_mode == "none":
        v.add("no_author")

    # Text.
    art.headline = capitalize_first(writer.headline())
    art.chapo = writer.chapo()
    if "no_kicker" not in v:
        kicker = rng.choice(C.KICKERS)
        if rng.random() < 0.15:
            kicker = kicker.upper()
        if rng.random() < 0.15:
            kicker += " "
            v.add("kicker_trailing_space")
        art.kicker = kicker
    tag_pool = list(C.TAGS[art.category])
    art.tags = rng.sample(tag_pool, rng.randint(0, min(4, len(tag_pool))))
    art.themes = rng.sample(list(C.THEMES), rng.choices([0, 1, 2], weights=[3, 5, 2])[0])
    art.premium = "premium" in v
    art.blocks = _body(rng, writer, art)

    # Image.
    if "no_image" not in v and rng.random() > 0.03:
        stem = "-".join(slug_tokens(art.tags[0] if art.tags else art.category)[:3])
        printed = rng.choice(C.CREDITS)
        caption = None if "no_caption" in v else writer.caption()
        art.image = Image(_image_url(rng, stem), caption, printed, _credit_truth(printed))
        if printed == "©":
            v.add("bare_credit")
    if art.image is None:
        v.add("no_image")

    # Dates.
    if "updated" in v or (
        not art.premium
        and "no_jsonld" not in v
        and "date_text_only" not in v
        and _elapsed(art.published, NOW) > timedelta(hours=3)
        and rng.random() < 0.15
    ):
        latest = min(_elapsed(art.published, NOW) - timedelta(minutes=30), timedelta(days=3))
        span = max(10, int(latest.total_seconds() // 60))
        minutes = rng.randint(min(60, span // 2), span)
        art.modified = _round5(_shift(art.published, timedelta(minutes=minutes)))
        v.add("updated")

    # Page style.
    art.jsonld = _jsonld_style(rng, art)
    art.jsonld.present = "no_jsonld" not in v
    art.jsonld.headline = "jsonld_no_headline" not in v
    art.jsonld.date = not ({"jsonld_no_date", "date_text_only"} & v)
    art.date_text_only = "date_text_only" in v
    art.nfd = "nfd" in v
    art.title_space = rng.random() < 0.3
    art.zwsp_title = rng.random() < 0.1
    if art.zwsp_title:
        v.add("zwsp_title")
    art.boilerplate_inside = not art.premium and rng.random() < 0.25
    if art.boilerplate_inside:
        v.add("boilerplate_inside")
    art.slug = _make_slug(rng, art)


def _fill_seed(rng: random.Random, art: Article) -> None:
    art.type = S.SEED_TYPE
    art.category = S.SEED_CATEGORY
    art.kicker = S.SEED_KICKER
    art.headline = S.SEED_HEADLINE
    art.chapo = S.SEED_CHAPO
    art.author_mode = "none"
    art.tags = list(S.SEED_TAGS)
    art.blocks = [Block("p", (("", text, ""),)) for text in S.SEED_BODY_PARAGRAPHS]
    art.image = Image(
        _image_url(rng, "elon-musk-twitter"),
        S.SEED_CAPTION,
        S.SEED_CREDIT_PRINTED,
        _credit_truth(S.SEED_CREDIT_PRINTED),
    )
    art.jsonld = JsonLdStyle()
    art.typography = False
    art.slug = S.SEED_SLUG
    art.variants.add("no_author")


def _fill_old(rng: random.Random, art: Article) -> None:
    art.type = "decryptage"
    art.category = None
    art.headline = OLD_TEMPLATE_HEADLINE
    art.author_mode = "old"
    art.authors = [Author(name=OLD_TEMPLATE_AUTHOR, path=None)]
    writer = _Writer(rng, "High-tech")
    art.blocks = [Block("p", tuple(writer.paragraph())) for _ in range(rng.randint(4, 6))]
    art.tags = ["Numérique", "GAFAM"]
    art.jsonld = JsonLdStyle(present=False)
    art.slug = "-".join(slug_tokens(art.headline, apostrophe="-"))


def _ensure_unique_slugs(arts: list[Article]) -> None:
    seen: set[str] = set()
    for art in sorted(arts, key=lambda a: a.slot):
        while art.current_path in seen:
            art.slug = art.slug.rstrip("-") + f"-{art.id % 1000}"
        seen.add(art.current_path)


def _add_read_also(rng: random.Random, art: Article, arts: list[Article]) -> None:
    """Insert an "à lire aussi" block after the 2nd paragraph of some articles."""
    if art.premium or art.template == "old" or not art.typography or len(art.blocks) < 4:
        return
    if rng.random() >= 0.4:
        return
    target = arts[rng.randrange(len(arts))]
    if target is art:
        target = arts[(arts.index(art) + 1) % len(arts)]
    kind = "read_also_div" if rng.random() < 0.6 else "read_also_strong"
    art.variants.add(kind)
    block = Block(kind, (("", target.headline, ""),), target.canonical_path)
    art.blocks.insert(2, block)


def _assign_link_forms(rng: random.Random, arts: list[Article]) -> None:
    """How each listing links each of its articles (see the module's render code)."""
    for art in arts:
        for section in art.sections:
            art.link_forms[section] = "relative"
    old = next(a for a in arts if a.template == "old")
    old.link_forms["decryptages"] = "drupal_page"

    def eligible(a: Article) -> bool:
        return (
            len(a.sections) == 1
            and a.template == "current"
            and not ({"seed", "no_jsonld"} & a.variants)
        )

    singles = [a for a in sorted(arts, key=lambda a: a.slot) if eligible(a)]
    rng.shuffle(singles)
    n_legacy = max(3, round(len(arts) * 0.05))
    picked: list[Article] = []
    picked_ids: set[int] = set()

    def pick(form: str, prefer: str | None) -> None:
        candidates = (a for a in singles if a.id not in picked_ids)
        first = next(candidates, None)
        if first is None:
            return
        art = first
        if first.type != prefer and prefer is not None:
            art = next((a for a in candidates if a.type == prefer), first)
        if form == "legacy_rdv" and art.type != "rdv":
            form = "legacy_drupal"
        picked.append(art)
        picked_ids.add(art.id)
        art.link_forms[next(iter(art.sections))] = form

    # The Drupal form on a pepite (plural folder), the series form on an rdv item, the React form.
    pick("legacy_drupal", "pepite")
    pick("legacy_rdv", "rdv")
    pick("legacy_react", None)
    while len(picked) < min(n_legacy, len(singles)):
        pick(rng.choice(["legacy_drupal", "legacy_react", "legacy_rdv"]), None)
    for art in picked:
        art.variants.add("link_" + art.link_forms[next(iter(art.sections))])

    # Other link forms on the remaining (article, section) pairs.
    pairs = [
        (a, s)
        for a in sorted(arts, key=lambda a: a.slot)
        for s in sorted(a.sections)
        if a.link_forms[s] == "relative"
    ]
    rng.shuffle(pairs)
    forced = ["absolute", "utm", "xtor", "fragment", "www", "www"]
    for (art, section), form in zip(pairs, forced, strict=False):
        art.link_forms[section] = form
    for art, section in pairs[len(forced) :]:
        roll = rng.random()
        for form, limit in (
            ("absolute", 0.06),
            ("utm", 0.09),
            ("xtor", 0.12),
            ("fragment", 0.15),
            ("www", 0.20),
        ):
            if roll < limit:
                art.link_forms[section] = form
                break
    for art in arts:
        for section in sorted(art.link_forms):
            art.variants.add("link_" + art.link_forms[section])


# --------------------------------------------------------------------------------------------
# The site


class Route(NamedTuple):
    kind: str
    arg: Any = None


class Padding(NamedTuple):
    """Pre-built noise that pads pages to a realistic size (outside the article body)."""

    css: str
    css_cuts: list[int]
    js: str
    js_cuts: list[int]
    links: str
    links_cuts: list[int]

    @staticmethod
    def cut(text: str, cuts: list[int], budget: int) -> str:
        index = bisect.bisect_right(cuts, max(0, budget))
        return text[: cuts[index - 1]] if index else ""


def _build_padding(seed: int) -> Padding:
    rng = random.Random(f"{seed}:padding")
    alphabet = string.ascii_lowercase + string.digits

    def token(k: int) -> str:
        return "".join(rng.choices(alphabet, k=k))

    css_parts: list[str] = []
    js_parts: list[str] = []
    link_parts: list[str] = []
    props = (
        "display:flex",
        "margin:0 auto",
        "padding:4px 8px",
        "color:#1a1a1a",
        "font-family:Georgia,serif",
        "line-height:1.5",
        "border-bottom:1px solid #e5e5e5",
        "grid-template-columns:repeat(3,1fr)",
    )
    while sum(map(len, css_parts)) < 80_000:
        body = ";".join(rng.sample(props, rng.randint(2, 5)))
        css_parts.append(f".css-{token(6)}{{{body}}}\n")
    while sum(map(len, js_parts)) < 90_000:
        js_parts.append(
            rng.choice(
                (
                    f'window.__tcf=window.__tcf||[];__tcf.push({{"k":"{token(12)}","v":'
                    f"{rng.randint(1, 999)}}});\n",
                    f"!function(e,t){{var n=e.{token(4)}||{{}};n.q=n.q||[];n.q.push(t)}}"
                    f'(window,"{token(16)}");\n',
                    f'googletag.cmd.push(function(){{googletag.defineSlot("/{rng.randint(1000, 9999)}'
                    f'/atlantico/{token(5)}",[300,250],"div-gpt-{token(8)}")}});\n',
                )
            )
        )
    words = [t for pool in C.TAGS.values() for t in pool] + list(C.THEMES)
    while sum(map(len, link_parts)) < 40_000:
        label = rng.choice(words)
        href = "/tag/" + "-".join(slug_tokens(label))
        link_parts.append(f'<li><a href="{href}">{label}</a></li>\n')

    def cuts(parts: list[str]) -> list[int]:
        out, total = [], 0
        for part in parts:
            total += len(part)
            out.append(total)
        return out

    return Padding(
        "".join(css_parts),
        cuts(css_parts),
        "".join(js_parts),
        cuts(js_parts),
        "".join(link_parts),
        cuts(link_parts),
    )


class Site:
    """The generated site: records, routes, lazily rendered pages and the truth."""

    def __init__(
        self,
        articles: list[Article],
        *,
        base_url: str,
        seed: int,
        page_padding: bool = False,
        families: bool = False,
        shape: str | None = None,
    ) -> None:
        # An opt-in shape (tests/replica/shapes.py) answers some pages its own way.
        self.shape = shape
        self.families = families
        if families:  # every article rendered in a template family (tests/replica/families)
            from .families import assign

            articles = assign(seed, articles)
        self.articles = articles  # newest first
        self.base_url = base_url.rstrip("/")
        split = urlsplit(self.base_url)
        self.scheme = split.scheme
        self.netloc = split.netloc
        self.seed = seed
        self.now = NOW
        self.page_padding = page_padding
        self.padding: Padding | None = _build_padding(seed) if page_padding else None
        self.by_id = {a.id: a for a in articles}
        self.listings: dict[str, list[Article]] = {
            key: [a for a in articles if key in a.sections] for key in SECTION_KEYS
        }
        self.months: dict[str, list[Article]] = {}
        for art in articles:
            self.months.setdefault(art.published.strftime("%Y-%m"), []).append(art)
        self.routes: dict[str, Route] = self._build_routes()
        self.pages = LazyPages(self)
        self._truth: dict[str, dict[str, Any]] | None = None
        # Incremental changes (publish/update): the generated articles feed "Les plus lus", so
        # existing pages stay byte-identical; every change takes the site clock one step on.
        self.most_read_pool: tuple[Article, ...] = tuple(articles)
        self.lock = threading.RLock()  # held by the server around get(), and by changes
        self.clock_steps = 0
        self.published_count = 0
        self.update_count = 0

    # -- URLs --
    def url(self, path: str) -> str:
        return self.base_url + path

    def canonical_url(self, art: Article) -> str:
        return self.url(art.canonical_path)

    def page_count(self, section: str) -> int:
        return max(1, -(-len(self.listings[section]) // PAGE_SIZE))

    def listing_path(self, section: str, page: int) -> str:
        """Replica choice: ``/decryptages?page=k`` and ``/categorie/high-tech/page/k``."""
        base = SECTION_PATHS[section]
        if page <= 1:
            return base
        if section == "decryptages":
            return f"{base}?page={page}"
        return f"{base}/page/{page}"

    def listing_paths(self, section: str) -> list[str]:
        return [self.listing_path(section, k) for k in range(1, self.page_count(section) + 1)]

    def listing_href(self, art: Article, section: str) -> str:
        """The href a listing uses for an article (the form depends on ``link_forms``)."""
        form = art.link_forms.get(section, "relative")
        if form in TRACKING_QUERIES:
            return art.canonical_path + TRACKING_QUERIES[form]
        if form == "absolute":
            return self.url(art.canonical_path)
        if form == "www":
            return f"{self.scheme}://www.{self.netloc}{art.canonical_path}"
        if form == "legacy_drupal":
            return art.drupal_path
        if form == "legacy_react":
            return art.react_path
        if form == "legacy_rdv":
            return art.rdv_series_path or art.drupal_path
        return art.canonical_path

    def _build_routes(self) -> dict[str, Route]:
        routes: dict[str, Route] = {
            "/": Route("home"),
            "/robots.txt": Route("robots"),
            "/sitemap-index.xml": Route("sitemap_index"),
            "/news-sitemap.xml": Route("news_sitemap"),
            "/rss.xml": Route("rss"),
            SECTION_PATHS["decryptages"]: Route("listing_query", "decryptages"),
            SECTION_PATHS["high-tech"]: Route("listing", ("high-tech", 1)),
        }
        for k in range(1, self.page_count("high-tech") + 1):
            routes[f"{SECTION_PATHS['high-tech']}/page/{k}"] = Route("listing", ("high-tech", k))
        for month in self.months:
            routes[f"/sitemaps/{month}.xml"] = Route("sitemap_month", month)
        for art in self.articles:
            for path in art.legacy_paths:
                routes.setdefault(path, Route("redirect", art.canonical_path))
        for art in self.articles:
            routes[art.canonical_path] = Route("article", art.id)
        return routes

    # -- serving --
    def get(self, target: str) -> Response:
        """Answer a request target (path and query) as the server would."""
        from . import render

        if self.shape is not None:
            from . import shapes

            shaped = shapes.get(self, target)
            if shaped is not None:
                return shaped
        split = urlsplit(target)
        path = split.path or "/"
        route = self.routes.get(path) or self.routes.get(unquote(path))
        if route is None:
            # Pages that need JavaScript, at paths no normal page links (tests/replica/scripted.py).
            from . import scripted

            return scripted.get(self, target) or render.not_found(self)
        if route.kind == "listing_query":
            values = parse_qs(split.query).get("page", ["1"])
            try:
                page = int(values[0])
            except ValueError:
                return render.not_found(self)
            route = Route("listing", (route.arg, page))
        if route.kind == "listing":
            section, page = route.arg
            if not 1 <= page <= self.page_count(section):
                return render.not_found(self)
            return render.html_response(render.listing_page(self, section, page))
        if route.kind == "redirect":
            return render.redirect(self, self.url(route.arg))
        if route.kind == "article":
            return render.html_response(render.article_page(self, self.by_id[route.arg]))
        if route.kind == "home":
            return render.html_response(render.home_page(self))
        if route.kind == "robots":
            return render.text_response(render.robots_txt(self), "text/plain; charset=utf-8")
        if route.kind == "sitemap_index":
            return render.xml_response(render.sitemap_index(self))
        if route.kind == "sitemap_month":
            return render.xml_response(render.sitemap_month(self, route.arg))
        if route.kind == "news_sitemap":
            return render.xml_response(render.news_sitemap(self))
        if route.kind == "rss":
            return render.text_response(render.rss(self), "application/rss+xml; charset=utf-8")
        raise AssertionError(route)  # pragma: no cover

    # -- truth --
    @property
    def truth(self) -> dict[str, dict[str, Any]]:
        """canonical URL -> expected item, for every article linked from a section listing."""
        if self._truth is None:
            self._truth = {
                self.canonical_url(a): truth_item(self, a) for a in self.articles if a.sections
            }
        return self._truth

    def render_all(self) -> dict[str, Response]:
        """Every routed page rendered eagerly: path -> Response (slow for big sites)."""
        return dict(self.pages.items())

    def variant_index(self) -> dict[str, list[int]]:
        """variant name -> ids of the section articles that carry it."""
        index: dict[str, list[int]] = {}
        for art in self.articles:
            if art.sections:
                for variant in sorted(art.variants):
                    index.setdefault(variant, []).append(art.id)
        return index

    # -- incremental changes (for scheduled-crawl tests) --
    def _tick(self) -> datetime:
        """The next moment of the site clock: NOW + 10 min, + 20 min… (``now`` stays NOW)."""
        self.clock_steps += 1
        return _shift(NOW, timedelta(minutes=CLOCK_STEP_MINUTES * self.clock_steps))

    def publish(self, k: int = 1) -> list[str]:
        """Add ``k`` new articles, newer than every existing one; return their canonical URLs.

        Each takes the next clock moment (the last one is the newest). Membership cycles:
        both sections (a High-tech décryptage), High-tech only (a pépite), Décryptages only.
        The new articles lead page 1 of their listings, the home page, the RSS feed and the
        sitemaps; every other page except those listings is unchanged. Deterministic per
        (seed, publication counter).
        """
        with self.lock:
            next_id = 1 + max(a.id for a in self.articles if a.template == "current")
            taken = set(self.routes)
            new: list[Article] = []
            for _ in range(k):
                art = _build_published(self.seed, self.published_count, next_id, self._tick())
                while {art.current_path, art.drupal_path, art.react_path} & taken:
                    art.slug = art.slug.rstrip("-") + f"-{art.id % 1000}"
                taken.update((art.current_path, art.drupal_path, art.react_path))
                self.published_count += 1
                next_id += 1
                new.append(art)
            self._apply(new[::-1] + self.articles)
            return [self.canonical_url(a) for a in new]

    def update(self, canonical_url: str) -> None:
        """Modify an article: dateModified = the next clock moment, one paragraph appended.

        Shows in the page (the JSON-LD ``dateModified``, the body), the sitemaps' ``lastmod``
        and the truth; the article keeps its place in listings. Accepts the canonical URL or
        path. Records are shared between sites, so the article is replaced by a copy.
        """
        with self.lock:
            path = urlsplit(canonical_url).path
            route = self.routes.get(path)
            if route is None or route.kind != "article":
                raise KeyError(f"not an article page: {canonical_url}")
            old = self.by_id[route.arg]
            moment = self._tick()
            rng = random.Random(f"{self.seed}:update:{self.update_count}")
            self.update_count += 1
            block = Block("p", tuple(_Writer(rng, old.category or "High-tech").paragraph()))
            blocks = list(old.blocks)
            at = len(blocks)
            if blocks and blocks[-1].text.startswith("Vu sur:"):
                at -= 1
            blocks.insert(at, block)
            art = replace(old, blocks=blocks, modified=moment, variants=old.variants | {"updated"})
            self._apply([art if a is old else a for a in self.articles])

    def _apply(self, articles: list[Article]) -> None:
        """Swap in a new article list (newest first) and rebuild what derives from it."""
        if self.families:
            from .families import assign

            articles = assign(self.seed, articles)
        self.articles = articles
        self.by_id = {a.id: a for a in articles}
        self.listings = {key: [a for a in articles if key in a.sections] for key in SECTION_KEYS}
        months: dict[str, list[Article]] = {}
        for art in articles:
            months.setdefault(art.published.strftime("%Y-%m"), []).append(art)
        self.months = months
        self.routes = self._build_routes()
        self.pages = LazyPages(self)
        self._truth = None


CLOCK_STEP_MINUTES: Final[int] = 10
"""Minutes between two incremental changes of a site (publish/update)."""

_PUBLISH_CYCLE: Final[tuple[tuple[str, ...], ...]] = (
    ("decryptages", "high-tech"),
    ("high-tech",),
    ("decryptages",),
)


def _build_published(seed: int, counter: int, art_id: int, published: datetime) -> Article:
    """One article added by :meth:`Site.publish` (current template, at least one author)."""
    rng = random.Random(f"{seed}:publish:{counter}")
    art = Article(slot=-1 - counter, id=art_id, published=published)
    art.sections = set(_PUBLISH_CYCLE[counter % len(_PUBLISH_CYCLE)])
    art.variants.add("published")
    _fill_article(rng, art, 0)
    if art.sections == {"high-tech"} and art.type != "pepite":
        art.type, art.rdv_series = "pepite", None
    if not art.authors:
        art.authors = [_author(rng, rng.choice([name for name, _ in C.AUTHORS]))]
        art.author_mode = "cards"
        art.variants.discard("no_author")
    art.link_forms = dict.fromkeys(sorted(art.sections), "relative")
    art.variants.add("link_relative")
    return art


class LazyPages(Mapping[str, Response]):
    """path -> Response for every routed path (pages rendered on access)."""

    def __init__(self, site: Site) -> None:
        self._site = site
        paths = [p for p, r in site.routes.items() if r.kind != "listing_query"]
        paths.extend(site.listing_paths("decryptages"))
        self._paths: dict[str, None] = dict.fromkeys(paths)

    def __getitem__(self, path: str) -> Response:
        if path not in self._paths:
            raise KeyError(path)
        return self._site.get(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def truth_item(site: Site, art: Article) -> dict[str, Any]:
    """The item a correct crawler extracts from this article.

    Keys: url and canonicalUrl (the same absolute canonical URL: ``/article/<type>/<slug>``, or
    the Drupal ``.html`` URL of the old-template page), headline, datePublished and
    dateModified (ISO 8601 with the Europe/Paris offset and seconds; dateModified None unless
    the JSON-LD carries one), authors (``[{"name", "url"}]``, url absolute ``<base>/author/…``
    or None), description (the chapo), articleBody (paragraphs and sub-headings joined by a
    blank line; no read-also block, empty paragraph or comments boilerplate), mainImage
    (``{"url", "caption", "credit"}`` or None; credit without its ``©``/``Crédits Photo:``),
    kicker, category, type, tags, themes, sections (sorted keys of the listings that link the
    article), isAccessibleForFree, bodyTruncated (True for premium teasers), inLanguage ("fr")
    and articleId (the JSON-LD identifier, the id of the old page's URL, else None).
    Text is cleaned with :func:`tests.replica.textutil.clean_text`.
    """
    if art.family is not None:
        from .families import family_truth

        return family_truth(site, art)
    canonical = site.canonical_url(art)
    authors = [
        {"name": clean_text(a.name), "url": site.url(a.path) if a.path else None}
        for a in art.authors
    ]
    image = None
    if art.image is not None:
        image = {
            "url": art.image.url,
            "caption": clean_text(art.image.caption) if art.image.caption else None,
            "credit": art.image.credit,
        }
    if art.template == "old":
        article_id: str | None = str(art.id)
    else:
        article_id = str(art.id) if art.jsonld.present else None
    return {
        "url": canonical,
        "canonicalUrl": canonical,
        "headline": clean_text(art.headline),
        "datePublished": iso(art.published),
        "dateModified": iso(art.modified) if art.modified and art.jsonld.present else None,
        "authors": authors,
        "description": clean_text(art.chapo) if art.chapo else None,
        "articleBody": "\n\n".join(art.body_texts),
        "mainImage": image,
        "kicker": clean_text(art.kicker) if art.kicker else None,
        "category": art.category,
        "type": art.type,
        "tags": [clean_text(t) for t in art.tags],
        "themes": [clean_text(t) for t in art.themes],
        "sections": sorted(art.sections),
        "isAccessibleForFree": not art.premium,
        "bodyTruncated": art.premium,
        "inLanguage": "fr",
        "articleId": article_id,
    }


@functools.lru_cache(maxsize=8)
def _cached_articles(n_articles: int, seed: int) -> tuple[Article, ...]:
    return tuple(_build_articles(n_articles, seed))


def generate_site(
    n_articles: int = 60,
    seed: int = 1234,
    base_url: str = DEFAULT_BASE_URL,
    *,
    page_padding: bool = False,
    families: bool = False,
    shape: str | None = None,
) -> Site:
    """Build the replica site for ``base_url`` (deterministic for a given n_articles and seed).

    ``shape``: one of :data:`tests.replica.shapes.SHAPES`, other menus, pagination forms and
    link forms over the same articles and truth (default: the replica as it always was).

    Records are cached per (n_articles, seed) and must be treated as read-only; regenerating
    for another base URL is cheap. ``families``: every article page in one of the template
    families of :mod:`tests.replica.families` (and the truth with it).
    """
    articles = list(_cached_articles(n_articles, seed))
    return Site(
        articles,
        base_url=base_url,
        seed=seed,
        page_padding=page_padding,
        families=families,
        shape=shape,
    )
