"""Dates: every form seen on atlantico.fr to ISO 8601 with the Europe/Paris offset.

Three layers, cheapest first (dateparser was about half of the extraction time in an early
measurement, so the common forms never reach it):

1. ISO 8601 (JSON-LD, ``time[datetime]``, meta tags): :func:`datetime.fromisoformat`.
2. The French forms the site prints (``12 mai 2017``, ``1er août 2023``,
   ``Publié le 3 juillet 2021 à 7h05``, ``Mis à jour le lundi 7 septembre 2015 à 01:05``,
   ``il y a 5 heures``): a regular expression.
3. Anything else in French: dateparser, with one parser built once, French only.

A naive time is French local time (the site's audience and newsroom are in Paris). Nothing
here invents a date: what cannot be read gives ``None``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from atlantico.processors import clean_text

PARIS = ZoneInfo("Europe/Paris")

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # Abbreviations printed on listing cards of some templates.
    "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "déc": 12, "dec": 12,
}  # fmt: skip

# Labels and weekdays in front of a date: "Publié le", "Mis à jour le lundi", "Le".
_PREFIX = re.compile(
    r"^(?:(?:publi[ée]e?|mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?)"
    r"\s*(?:le\s*)?:?\s*|le\s+)?"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?",
    re.IGNORECASE,
)
_FRENCH_DATE = re.compile(
    r"^(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-zéû]+)\.?\s+(?P<year>\d{4})"
    r"(?:\s*(?:à|a|,|-)?\s*(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?)?\s*$",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(
    r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s*(?:à|a|-)?\s*(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?)?\s*$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"^il\s+y\s+a\s+(?P<n>\d+|une?)\s+(?P<unit>seconde|minute|heure|jour|semaine|mois|an)s?\s*$",
    re.IGNORECASE,
)
_RELATIVE_UNITS = {
    "seconde": timedelta(seconds=1), "minute": timedelta(minutes=1), "heure": timedelta(hours=1),
    "jour": timedelta(days=1), "semaine": timedelta(weeks=1),
}  # fmt: skip


def to_paris(value: datetime) -> datetime:
    """An aware datetime in Paris time; a naive one is taken as Paris local time.

    >>> to_paris(datetime(2023, 4, 12, 7, 15, tzinfo=ZoneInfo("UTC"))).isoformat()
    '2023-04-12T09:15:00+02:00'
    >>> to_paris(datetime(2023, 1, 12, 7, 15)).isoformat()
    '2023-01-12T07:15:00+01:00'
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=PARIS)
    return value.astimezone(PARIS)


def format_iso(value: datetime) -> str:
    """ISO 8601 to the second with the Paris offset.

    >>> format_iso(datetime(2025, 10, 26, 1, 30, tzinfo=ZoneInfo("UTC")))
    '2025-10-26T02:30:00+01:00'
    """
    return to_paris(value).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime | None:
    """Parse ISO 8601 without dateparser; ``None`` when the text is not ISO.

    >>> parse_iso("2023-04-12T07:15:00.000Z").isoformat()
    '2023-04-12T09:15:00+02:00'
    >>> parse_iso("2017-05-12").isoformat()
    '2017-05-12T00:00:00+02:00'
    >>> parse_iso("12 mai 2017") is None
    True
    """
    candidate = text.strip()
    if len(candidate) < 10 or not candidate[:4].isdigit() or candidate[4] != "-":
        return None
    try:
        return to_paris(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _french_absolute(text: str) -> datetime | None:
    match = _FRENCH_DATE.match(text) or _NUMERIC_DATE.match(text)
    if not match:
        return None
    month_text = match["month"].lower()
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.rstrip("."))
    if month is None:
        return None
    try:
        naive = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
        )
    except ValueError:
        return None
    return to_paris(naive)


def _relative(text: str, now: datetime) -> datetime | None:
    match = _RELATIVE.match(text)
    if not match:
        return None
    count = 1 if match["n"].lower() in {"un", "une"} else int(match["n"])
    unit = match["unit"].lower()
    if unit == "mois":
        delta = timedelta(days=30 * count)
    elif unit == "an":
        delta = timedelta(days=365 * count)
    else:
        delta = _RELATIVE_UNITS[unit] * count
    return to_paris(now - delta)


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    """The dateparser parser, built once (building one costs milliseconds)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["fr"],
        settings={
            "TIMEZONE": "Europe/Paris",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
            # A date without a day is not a publication date: never invent the day.
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )


def _with_dateparser(text: str) -> datetime | None:
    # Normalise "7h05" to "7:05": dateparser does not read the French hour form.
    text = re.sub(r"(\d{1,2})\s*h\s*(\d{2})", r"\1:\2", text)
    text = re.sub(r"(\d{1,2})\s*heures?\b", r"\1:00", text)
    text = re.sub(r"\s+(?:à|vers)\s+", " ", text)
    result = _dateparser().get_date_data(text)
    value = result["date_obj"] if result else None
    return to_paris(value) if value is not None else None


def parse_date(value: str | None, now: datetime | None = None) -> datetime | None:
    """Parse any date the site prints; relative forms count back from ``now``.

    ``now`` should be the response's ``Date`` header, else the crawl time.

    >>> parse_date("Publié le 3 juillet 2021 à 7h05").isoformat()
    '2021-07-03T07:05:00+02:00'
    >>> parse_date("Mis à jour le lundi 7 septembre 2015 à 01:05").isoformat()
    '2015-09-07T01:05:00+02:00'
    >>> parse_date("1er août 2023").isoformat()
    '2023-08-01T00:00:00+02:00'
    >>> base = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)
    >>> parse_date("il y a 5 heures", now=base).isoformat()
    '2026-11-20T07:00:00+01:00'
    >>> parse_date("hier soir, vers l'heure du thé") is None
    True
    """
    text = clean_text(value)
    if text is None:
        return None
    iso = parse_iso(text)
    if iso is not None:
        return iso
    text = _PREFIX.sub("", text, count=1).strip()
    found = _french_absolute(text)
    if found is not None:
        return found
    reference = now or datetime.now(PARIS)
    found = _relative(text, reference)
    if found is not None:
        return found
    if not any(ch.isdigit() for ch in text) and not text.lower().startswith(("hier", "aujourd")):
        # Without a number the text cannot hold an absolute date; "hier"/"aujourd'hui" are
        # the relative words worth a dateparser call.
        return None
    if text.lower().startswith(("hier", "aujourd")):
        return _relative_with_dateparser(text, reference)
    return _with_dateparser(text)


def _relative_with_dateparser(text: str, reference: datetime) -> datetime | None:
    """Rare relative words ("hier à 18h00"): dateparser with this response's time as base."""
    from dateparser import parse

    text = re.sub(r"(\d{1,2})\s*h\s*(\d{2})", r"\1:\2", text)
    value = parse(
        text,
        languages=["fr"],
        settings={
            "TIMEZONE": "Europe/Paris",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "RELATIVE_BASE": reference.astimezone(PARIS).replace(tzinfo=None),
        },
    )
    return to_paris(value) if value is not None else None


# The site's archive starts in 2011 (SITE.md); earlier dates are misreadings.
EARLIEST_PLAUSIBLE = datetime(2011, 1, 1, tzinfo=PARIS)


def date_problem(value: datetime, now: datetime) -> str | None:
    """Why a parsed date is doubtful, or ``None`` when it is plausible.

    >>> now = datetime(2026, 11, 20, tzinfo=PARIS)
    >>> date_problem(datetime(2030, 1, 1, tzinfo=PARIS), now)
    'in the future'
    >>> date_problem(datetime(2009, 1, 1, tzinfo=PARIS), now)
    'before 2011'
    """
    if value > now + timedelta(days=1):
        return "in the future"
    if value < EARLIEST_PLAUSIBLE:
        return "before 2011"
    return None


_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_TIME = r"(?:\s*(?:à|a|,|-)?\s*\d{1,2}\s*(?:h|:)\s*\d{2}(?!\d))?"
# A date printed in a text, to be read by :func:`parse_date`: "12 mai 2017", "1er août 2023 à
# 10h05", "12/05/2017", "il y a 5 heures", each optionally after "Publié le" / "Mis à jour le"
# and a weekday.
_DATE_IN_TEXT = re.compile(
    r"(?P<label>(?:publi[ée]e?|mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?)"
    r"\s*(?:le\s*)?:?\s*)?"
    r"(?P<weekday>" + _WEEKDAY + r"\s+)?"
    r"(?P<date>\d{1,2}(?:er)?\s+(?:"
    + _MONTH_WORDS
    + r")\.?\s+\d{4}"
    + _TIME
    + r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}"
    + _TIME
    + r"|il\s+y\s+a\s+(?:\d+|une?)\s+(?:seconde|minute|heure|jour|semaine|mois|an)s?)",
    re.IGNORECASE,
)
_MODIFIED_LABEL = re.compile(r"^(?:mis|mise|modifi|actualis)", re.IGNORECASE)


class PrintedDate(NamedTuple):
    raw: str
    modified: bool
    weekday: bool
    labeled: bool = False

    @property
    def precision(self) -> int:
        """How much a printed date says: a time beats a day; "Publié le" beats no label; an
        absolute date beats "il y a …"."""
        relative = self.raw.lower().startswith("il y a")
        has_time = bool(re.search(r"\d\s*[h:]\s*\d{2}\s*$", self.raw))
        return 4 * has_time + 2 * self.labeled + (0 if relative else 1)


def find_dates(text: str) -> list[PrintedDate]:
    """French dates printed in a text: (the date as printed, whether a "Mis à jour" label
    introduces it, whether a weekday precedes it).

    >>> [tuple(d) for d in find_dates("Publié le 12 mai 2017 à 10h05 · Mis à jour le 13 mai 2017")]
    [('12 mai 2017 à 10h05', False, False, True), ('13 mai 2017', True, False, True)]
    >>> [tuple(d) for d in find_dates("Internationalil y a 5 heures Mardi 23 Mai 2017")]
    [('il y a 5 heures', False, False, False), ('23 Mai 2017', False, True, False)]
    """
    found = []
    for match in _DATE_IN_TEXT.finditer(text):
        label = match["label"] or ""
        found.append(
            PrintedDate(
                match["date"].strip(),
                bool(_MODIFIED_LABEL.match(label)),
                bool(match["weekday"]),
                bool(label),
            )
        )
    return found
