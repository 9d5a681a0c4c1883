"""Dates: every form the site prints, to ISO 8601 with the Europe/Paris offset."""

from __future__ import annotations

from datetime import datetime
from unittest import mock

import pytest

from atlantico import dates
from atlantico.dates import PARIS, date_problem, format_iso, parse_date

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ISO forms (JSON-LD, time[datetime], meta tags)
        ("2023-04-12T09:15:00+02:00", "2023-04-12T09:15:00+02:00"),
        ("2023-04-12T07:15:00.000Z", "2023-04-12T09:15:00+02:00"),
        ("2023-01-12T07:15:00Z", "2023-01-12T08:15:00+01:00"),
        ("2017-05-12", "2017-05-12T00:00:00+02:00"),
        ("2017-05-12T10:00:00", "2017-05-12T10:00:00+02:00"),  # naive = Paris time
        # French forms seen on the site
        ("12 mai 2017", "2017-05-12T00:00:00+02:00"),
        ("8 juillet 2025", "2025-07-08T00:00:00+02:00"),
        ("1er août 2023", "2023-08-01T00:00:00+02:00"),
        ("Publié le 3 juillet 2021 à 7h05", "2021-07-03T07:05:00+02:00"),
        ("Publié le 3 juillet 2021 à 07:05", "2021-07-03T07:05:00+02:00"),
        ("Mis à jour le lundi 7 septembre 2015 à 01:05", "2015-09-07T01:05:00+02:00"),
        ("Mardi 23 Mai 2017", "2017-05-23T00:00:00+02:00"),
        ("12 décembre 2019 à 18h30", "2019-12-12T18:30:00+01:00"),
        ("12/04/2023 à 9h15", "2023-04-12T09:15:00+02:00"),
        # Across the DST changes of 2025: offsets follow the date, not the crawl
        ("29 mars 2025 à 12h00", "2025-03-29T12:00:00+01:00"),
        ("30 mars 2025 à 12h00", "2025-03-30T12:00:00+02:00"),
        ("26 octobre 2025 à 12h00", "2025-10-26T12:00:00+01:00"),
        # Relative forms count back from the response's time
        ("il y a 5 heures", "2026-11-20T07:00:00+01:00"),
        ("il y a 1 jour", "2026-11-19T12:00:00+01:00"),
        ("il y a une heure", "2026-11-20T11:00:00+01:00"),
        ("il y a 30 minutes", "2026-11-20T11:30:00+01:00"),
    ],
)
def test_parse_date(raw: str, expected: str) -> None:
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None
    assert format_iso(parsed) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Forms outside the fast path go through dateparser, French settings
        ("le 12 mai 2017 vers 10 heures", "2017-05-12T10:00:00+02:00"),
        ("12 mai 2017 10:00:00", "2017-05-12T10:00:00+02:00"),
        ("vendredi 12 mai 2017 - 10:00:00", "2017-05-12T10:00:00+02:00"),
        ("12.05.2017", "2017-05-12T00:00:00+02:00"),
        ("12 mai 2017 08:00 UTC", "2017-05-12T10:00:00+02:00"),
        ("hier à 18h00", "2026-11-19T18:00:00+01:00"),
    ],
)
def test_dateparser_fallback(raw: str, expected: str) -> None:
    parsed = parse_date(raw, now=NOW)
    assert parsed is not None
    assert format_iso(parsed) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "bientôt", "mai 2017", "31 février 2020", "n'importe quoi 42", None]
)
def test_no_date_is_invented(raw: str | None) -> None:
    assert parse_date(raw, now=NOW) is None


def test_iso_and_common_forms_never_reach_dateparser() -> None:
    with mock.patch.object(dates, "_dateparser", side_effect=AssertionError("dateparser called")):
        for raw in (
            "2023-04-12T07:15:00.000Z",
            "1er août 2023",
            "Publié le 3 juillet 2021 à 7h05",
            "il y a 5 heures",
        ):
            assert parse_date(raw, now=NOW) is not None


def test_dateparser_is_built_once() -> None:
    dates._dateparser.cache_clear()
    parse_date("le 12 mai 2017 vers 10 heures", now=NOW)
    parse_date("le 13 mai 2017 vers 10 heures", now=NOW)
    assert dates._dateparser.cache_info().misses == 1


def test_relative_date_without_base_uses_the_clock() -> None:
    import time_machine

    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=PARIS), tick=False):
        parsed = parse_date("il y a 2 heures")
    assert parsed is not None
    assert format_iso(parsed) == "2026-11-20T10:00:00+01:00"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (datetime(2030, 1, 1, tzinfo=PARIS), "in the future"),
        (datetime(2010, 12, 31, tzinfo=PARIS), "before 2011"),
        (datetime(2026, 11, 20, 11, tzinfo=PARIS), None),
        (datetime(2011, 1, 1, tzinfo=PARIS), None),
    ],
)
def test_date_problem(value: datetime, problem: str | None) -> None:
    assert date_problem(value, NOW) == problem
