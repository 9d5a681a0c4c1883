"""Cleaning rules, one named function each; ``loaders.py`` wires them into the item loader.

Every function is pure and typed, takes one raw value and returns the cleaned value, or
``None`` to drop it (item loaders skip ``None``). Each has its own table of cases in
``tests/test_processors.py``; the doctests here are the short version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from atlantico.hygiene import clean_text

# clean_text is the one hygiene rule (atlantico/hygiene.py); it is imported from here too.


# React prints `TITLE<!-- --> | Atlantico.fr` (its text separator survives in the HTML source);
# sometimes with a space before the comment. Some stored pages use a dash instead of the bar.
_TITLE_SUFFIX = re.compile(r"\s*(?:<!--\s*-->)?\s*[|\-–]\s*Atlantico(?:\.fr)?\s*$", re.IGNORECASE)
_REACT_SEPARATOR = re.compile(r"<!--\s*-->")


def clean_title(value: str | None) -> str | None:
    """Clean a headline and strip the site suffix of ``<title>``.

    >>> clean_title('Elon Musk confie\u00a0: "assez douloureux"<!-- --> | Atlantico.fr')
    'Elon Musk confie : "assez douloureux"'
    >>> clean_title("Le titre <!-- --> | Atlantico.fr")
    'Le titre'
    """
    if value is None:
        return None
    value = _TITLE_SUFFIX.sub("", value)
    return clean_text(_REACT_SEPARATOR.sub("", value))


def clean_kicker(value: str | None) -> str | None:
    """A surtitle is free text; only spaces are cleaned, case is kept (``PAS DE BLANC-SEING``).

    >>> clean_kicker("Mea culpa ")
    'Mea culpa'
    """
    return clean_text(value)


# "Crédits Photo: X", "Crédit photo : X", "© X", "©X", "(c) X".
_CREDIT_PREFIX = re.compile(r"^(?:cr[ée]dits?\s*(?:photos?)?\s*:?|©|\(c\))\s*", re.IGNORECASE)


def clean_credit(value: str | None) -> str | None:
    """The photo credit without its prefix; a bare ``©`` means no credit.

    >>> clean_credit("Crédits Photo: OLIVIER DOULIERY / AFP")
    'OLIVIER DOULIERY / AFP'
    >>> clean_credit("©Reuters")
    'Reuters'
    >>> clean_credit("©") is None
    True
    """
    text = clean_text(value)
    if text is None:
        return None
    while True:
        stripped = _CREDIT_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return text or None


# --- Authors -------------------------------------------------------------------------------

# Words that introduce a byline or a role, never part of a name.
_BYLINE_PREFIX = re.compile(
    r"^(?:propos\s+recueillis\s+par|interview\s+r[ée]alis[ée]e\s+par|entretien\s+r[ée]alis[ée]\s+par"
    r"|avec|par|by|de)\s+",
    re.IGNORECASE,
)
# Separators between people: commas, " et ", " & ", " and ", semicolons, slashes.
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\bet\b|\band\b)\s*", re.IGNORECASE)
# A trailing role after a comma or in parentheses: "Jean Dupont (AFP)", "Jean Dupont, journaliste"
_ROLE_IN_PARENS = re.compile(r"\s*\([^)]*\)\s*")


def split_authors(value: str | None) -> list[str]:
    """Split a byline into people's names.

    >>> split_authors("avec Guillaume Lagane et Emmanuel Lincot")
    ['Guillaume Lagane', 'Emmanuel Lincot']
    >>> split_authors("Erwan Le Noan,Didier Maus et David Valence")
    ['Erwan Le Noan', 'Didier Maus', 'David Valence']
    >>> split_authors("Propos recueillis par Jean Dupont (AFP)")
    ['Jean Dupont']
    """
    text = clean_text(value)
    if text is None:
        return []
    text = _ROLE_IN_PARENS.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _BYLINE_PREFIX.sub("", text).strip()
    names = []
    for part in _AUTHOR_SEPARATORS.split(text):
        name = clean_author_name(part)
        if name:
            names.append(name)
    return dedupe(names)


def clean_author_name(value: str | None) -> str | None:
    """One person's name: spaces cleaned, ``Par`` and trailing punctuation removed.

    >>> clean_author_name(" Par  Franck DeCloquement. ")
    'Franck DeCloquement'
    >>> clean_author_name("Voir la bio »") is None, clean_author_name("Atlantico.fr") is None
    (True, True)
    """
    text = clean_text(value)
    if text is None:
        return None
    text = _BYLINE_PREFIX.sub("", text.strip(" .,;:-–—·|•")).strip(" .,;:-–—·|•")
    if not text or text.lower().startswith("voir la bio") or not any(c.isalpha() for c in text):
        return None
    if text.casefold() in HOUSE_NAMES:
        return None  # the site signing its own dispatch is not a person
    return text


# Bylines that name the publication, not a person (Drupal pépites were signed "Atlantico.fr").
HOUSE_NAMES = frozenset({"atlantico", "atlantico.fr", "la rédaction", "rédaction",
                         "la redaction", "redaction", "la rédaction d'atlantico",
                         "la rédaction d’atlantico"})  # fmt: skip


def dedupe(values: Iterable[str]) -> list[str]:
    """Keep the first of each value, comparing case-insensitively.

    >>> dedupe(["BBC", "bbc", "IA"])
    ['BBC', 'IA']
    """
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


# --- Body ----------------------------------------------------------------------------------

# Paragraphs that are page furniture, not article text, wherever the template puts them.
# Matched on the cleaned, case-folded paragraph start.
BOILERPLATE_PREFIXES: tuple[str, ...] = (
    "en raison de débordements, nous avons fait le choix de suspendre les commentaires",
    "mais n'hésitez pas à partager cet article",
    "mais n’hésitez pas à partager cet article",
    "le sujet vous intéresse ?",
    "voir la bio »",
    "à lire aussi",
    "a lire aussi",
    "lire aussi :",
    "lire aussi:",
    "lire également",
    "sur le même sujet",
    "cet article est réservé aux abonnés",
    "article réservé aux abonnés",
    "réservé aux abonnés",
    "pour lire la suite",
    "la suite est réservée",
    "je m'abonne",
    "je m’abonne",
    "déjà abonné",
    "abonnez-vous",
    "inscrivez-vous à notre newsletter",
    "inscrivez-vous à la newsletter",
    "recevez notre newsletter",
    "mots-clés",
    "thématiques",
)
# Labels that are furniture when they are the whole paragraph.
BOILERPLATE_LABELS = frozenset({"publicité", "advertisement", "annonce", "partager", "pub"})
# "Il vous reste 75 % de cet article à lire": a paywall's count of what is hidden.
_LEFT_TO_READ = re.compile(r"^il vous reste \d+\s*%", re.IGNORECASE)
# An in-article pager: "1 2 Page suivante ›", "‹ Page précédente 1 2", "Page 2 / 3".
_PAGER = re.compile(
    r"^(?:[‹«<]\s*)?(?:page\s+pr[ée]c[ée]dente\s*)?(?:\d+\s*)*"
    r"(?:(?:page\s+)?suivante?|page\s+\d+\s*/\s*\d+)?\s*[›»>]?$",
    re.IGNORECASE,
)
# "Vu sur : Le Figaro": where a pépite was seen, printed at the end of the text [seen].
_SEEN_ON = re.compile(r"^vu\s+sur\s*:\s*(?P<source>.+)$", re.IGNORECASE)


def seen_on(paragraph: str) -> str | None:
    """The source named by a ``Vu sur :`` line, else ``None``.

    >>> seen_on("Vu sur : Le Figaro"), seen_on("Vu sur ces images, rien.")
    ('Le Figaro', None)
    """
    match = _SEEN_ON.match(paragraph)
    return match["source"].strip() if match else None


_DIGIT = re.compile(r"\d")


def is_pager(paragraph: str) -> bool:
    """Whether a paragraph is an in-article pager ("1 2 Page suivante ›").

    >>> is_pager("1 2 Page suivante ›"), is_pager("‹ Page précédente 1 2"), is_pager("2017")
    (True, True, False)
    """
    if len(paragraph) > 80:
        return False
    if not _DIGIT.search(paragraph) and "page" not in paragraph.casefold():
        return False
    if paragraph.strip().isdigit() and len(paragraph.strip()) > 2:
        return False  # a year or a figure alone is text
    return bool(_PAGER.match(paragraph.strip()))


def is_boilerplate(paragraph: str) -> bool:
    """Whether a cleaned paragraph is page furniture rather than article text.

    >>> is_boilerplate("Le sujet vous intéresse ?")
    True
    >>> is_boilerplate("Atlantico : le sujet vous intéresse ?")
    False
    """
    folded = paragraph.casefold()
    return (
        folded.startswith(BOILERPLATE_PREFIXES)
        or (len(folded) <= 160 and "newsletter" in folded)
        or folded in BOILERPLATE_LABELS
        or _LEFT_TO_READ.match(folded) is not None
        or seen_on(paragraph) is not None
        or is_pager(paragraph)
    )


def join_paragraphs(paragraphs: Iterable[str | None]) -> str | None:
    """Clean each paragraph, drop empty ones and furniture, join with a blank line.

    >>> join_paragraphs(["Un.", "\u00a0", "Deux.", "Le sujet vous intéresse ?"])
    'Un.\\n\\nDeux.'
    """
    kept = []
    for paragraph in paragraphs:
        text = clean_text(paragraph)
        if text and not is_boilerplate(text):
            kept.append(text)
    return "\n\n".join(kept) or None


def word_count(text: str | None) -> int | None:
    """Words in a text, counting "l’homme" as one word.

    >>> word_count("L’homme a dit : « oui ».")
    4
    """
    if not text:
        return None
    # Most tokens are plain words: str.isalnum() answers them in C; the others (with
    # punctuation or an apostrophe) are searched for one letter or digit.
    return sum(1 for token in text.split() if token.isalnum() or _ALNUM.search(token))


# One letter or digit: \w without the underscore is exactly what str.isalnum() accepts.
_ALNUM = re.compile(r"[^\W_]")


# --- Small values --------------------------------------------------------------------------


def parse_bool(value: object) -> bool | None:
    """JSON-LD booleans arrive as booleans or as strings ("False", "true").

    >>> parse_bool("False"), parse_bool(True), parse_bool("oui")
    (False, True, None)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        folded = value.strip().casefold()
        if folded in {"true", "1", "yes"}:
            return True
        if folded in {"false", "0", "no"}:
            return False
    return None


def language_code(value: str | None) -> str | None:
    """``fr-FR`` → ``fr``.

    >>> language_code("fr-FR")
    'fr'
    """
    text = clean_text(value)
    if not text:
        return None
    code = re.split(r"[-_]", text)[0].lower()
    return code if code.isalpha() and len(code) in (2, 3) else None
