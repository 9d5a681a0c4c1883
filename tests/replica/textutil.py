"""Text helpers for the offline replica of atlantico.fr: typography, cleaning, slugs, dates.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts: French typography with no-break spaces, irregular slugs, author slugs that
drop accented letters, Europe/Paris times, French dates), with replica-chosen values where the
real site is unknown (listing URLs, class names, pagination).

The replica writes text twice: *plain* (ordinary spaces, NFC), which is what the truth holds after
:func:`clean_text`, and *HTML* (no-break spaces before ``: ; ? ! %`` and inside ``« »``, sometimes
a zero-width space or NFD accents), which is what a crawler has to clean.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Final
from zoneinfo import ZoneInfo

from .corpus import DAYS_FR, MONTHS_FR

PARIS: Final[ZoneInfo] = ZoneInfo("Europe/Paris")

NBSP: Final[str] = "\u00a0"
NNBSP: Final[str] = "\u202f"
ZWSP: Final[str] = "\u200b"

_ZERO_WIDTH: Final[dict[int, None]] = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None
)
_SPACE_BEFORE = re.compile(r" (?=[:;?!%»])")
_SPACE_AFTER = re.compile(r"(?<=«) ")
_SLUG_TOKENS = re.compile(r"[a-z0-9]+")


def clean_text(text: str) -> str:
    """Return the truth form of a piece of page text.

    NFC; no-break and narrow no-break spaces become plain spaces; zero-width characters go;
    runs of white space collapse to one space; the ends are stripped. ’ « » … are kept.

    >>> clean_text("Pourquoi\\u202f?  « Oui\\u00a0»\\u200b … ")
    'Pourquoi ? « Oui » …'
    """
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    return " ".join(text.split())


def french_spaces(text: str, rng: random.Random) -> str:
    """Put a no-break space (sometimes a narrow one) where French typography wants one.

    >>> out = french_spaces("Vraiment ? « Oui »", random.Random(0))
    >>> out.count(" "), out.count("\u00a0") + out.count("\u202f")
    (1, 3)
    """

    def pick(_match: re.Match[str]) -> str:
        return NNBSP if rng.random() < 0.25 else NBSP

    return _SPACE_AFTER.sub(pick, _SPACE_BEFORE.sub(pick, text))


def insert_zero_width(text: str, rng: random.Random) -> str:
    """Insert one zero-width space inside a word of at least 4 letters (if there is one)."""
    words = list(re.finditer(r"[^\W\d_]{4,}", text))
    if not words:
        return text
    word = rng.choice(words)
    cut = word.start() + rng.randint(1, len(word.group()) - 1)
    return text[:cut] + ZWSP + text[cut:]


def html_text(text: str, rng: random.Random, *, nfd: bool = False) -> str:
    """Plain text -> escaped HTML text with French no-break spaces (and NFD accents if asked)."""
    out = french_spaces(text, rng)
    if nfd:
        out = unicodedata.normalize("NFD", out)
    return escape(out, quote=False)


def attr(text: str) -> str:
    """Escape a value for a double-quoted HTML attribute."""
    return escape(text, quote=True)


def strip_accents(text: str) -> str:
    """Transliterate to ASCII letters: é -> e, œ -> oe (used for article slugs)."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug_tokens(text: str, *, apostrophe: str = "") -> list[str]:
    """Lower-case ASCII tokens of ``text``; apostrophes are dropped ("") or split ("-").

    >>> slug_tokens("Elon Musk confie qu’être propriétaire")
    ['elon', 'musk', 'confie', 'quetre', 'proprietaire']
    >>> slug_tokens("L’UMP", apostrophe="-")
    ['l', 'ump']
    """
    text = text.replace("’", apostrophe).replace("'", apostrophe)
    return _SLUG_TOKENS.findall(strip_accents(text).lower())


def author_slug(name: str) -> str:
    """Author slug as the site builds it: accented letters are *dropped*, not transliterated.

    >>> author_slug("Sébastien Le Fol")
    'sbastien-le-fol'
    >>> author_slug("Franck DeCloquement")
    'franck-decloquement'
    """
    kept = []
    for char in name.lower():
        if char.isascii() and char.isalnum():
            kept.append(char)
        elif char in " -":
            kept.append("-")
    return re.sub("-+", "-", "".join(kept)).strip("-")


def capitalize_first(text: str) -> str:
    """Upper-case the first character only."""
    return text[:1].upper() + text[1:]


_VOWELS: Final[str] = "AEIOUÉÈaeiouéè"


def elide(word: str, following: str) -> str:
    """``de``/``que`` before a vowel: ``d’``/``qu’`` (returns the word with its separator).

    >>> elide("que", "Elon Musk") + "Elon Musk"
    'qu’Elon Musk'
    """
    if following[:1] in _VOWELS and word in ("de", "que"):
        return word[:-1] + "’"
    return word + " "


def de(noun_phrase: str) -> str:
    """French "de" + noun phrase with the contractions: de les -> des, de le -> du.

    >>> de("les réseaux sociaux"), de("le cloud"), de("OpenAI"), de("l’Insee")
    ('des réseaux sociaux', 'du cloud', 'd’OpenAI', 'de l’Insee')
    """
    if noun_phrase.startswith("les "):
        return "des " + noun_phrase[4:]
    if noun_phrase.startswith("le "):
        return "du " + noun_phrase[3:]
    return elide("de", noun_phrase) + noun_phrase


def a_(noun_phrase: str) -> str:
    """French "à" + noun phrase with the contractions: à les -> aux, à le -> au."""
    if noun_phrase.startswith("les "):
        return "aux " + noun_phrase[4:]
    if noun_phrase.startswith("le "):
        return "au " + noun_phrase[3:]
    return "à " + noun_phrase


def iso(moment: datetime) -> str:
    """ISO 8601 with the Europe/Paris offset and seconds, as the truth holds dates."""
    return moment.astimezone(PARIS).isoformat(timespec="seconds")


def iso_utc(moment: datetime) -> str:
    """The same instant in UTC with milliseconds and ``Z`` (a JSON-LD form seen on the web)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def day_number(day: int) -> str:
    """French day of month: 1 -> 1er."""
    return "1er" if day == 1 else str(day)


def french_date(moment: datetime) -> str:
    """``12 mai 2017`` (local Paris date)."""
    local = moment.astimezone(PARIS)
    return f"{day_number(local.day)} {MONTHS_FR[local.month - 1]} {local.year}"


def french_published(moment: datetime) -> str:
    """``Publié le 20 novembre 2026 à 7h05`` (local Paris time)."""
    local = moment.astimezone(PARIS)
    return f"Publié le {french_date(local)} à {local.hour}h{local.minute:02d}"


def french_day_header(moment: datetime) -> str:
    """Old-template header date: ``Mardi 23 Mai 2017`` (capitalised day and month)."""
    local = moment.astimezone(PARIS)
    day = DAYS_FR[local.weekday()].capitalize()
    month = MONTHS_FR[local.month - 1].capitalize()
    return f"{day} {day_number(local.day)} {month} {local.year}"


def relative_time(moment: datetime, now: datetime) -> str:
    """``il y a 5 heures`` as printed next to the category; a plain date when older."""
    delta = now.astimezone(UTC) - moment.astimezone(UTC)
    if delta < timedelta(hours=1):
        minutes = max(1, int(delta.total_seconds() // 60))
        return f"il y a {minutes} minute{'s' if minutes > 1 else ''}"
    if delta < timedelta(days=1):
        hours = int(delta.total_seconds() // 3600)
        return f"il y a {hours} heure{'s' if hours > 1 else ''}"
    if delta < timedelta(days=7):
        days = delta.days
        return f"il y a {days} jour{'s' if days > 1 else ''}"
    return french_date(moment)
