"""The spider's ``-a name=value`` arguments: each refused with one line naming what is allowed.

Every function raises :class:`scrapy.exceptions.UsageError`, which the crawl command turns
into exit code 2 without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from scrapy.exceptions import UsageError

from atlantico.dates import parse_date

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


def parse_bool(name: str, value: str | bool | None, default: bool) -> bool:
    """A switch: true/yes/1/on or false/no/0/off, in any case.

    >>> parse_bool("fallback", "YES", False), parse_bool("fallback", "Off", True)
    (True, False)
    >>> parse_bool("fallback", None, True)
    True
    >>> parse_bool("fallback", "peut-être", True)
    Traceback (most recent call last):
    scrapy.exceptions.UsageError: fallback='peut-être': use true/yes/1/on or false/no/0/off
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise UsageError(f"{name}={value!r}: use true/yes/1/on or false/no/0/off")


def parse_count(name: str, value: str | int | None, default: int) -> int:
    """A whole number, 0 or more (0 means "no limit").

    >>> parse_count("max_pages", "3", 5), parse_count("max_pages", None, 5)
    (3, 5)
    >>> parse_count("max_pages", "-3", 5)
    Traceback (most recent call last):
    scrapy.exceptions.UsageError: max_pages='-3': use a whole number, 0 or more (0: no limit)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise UsageError(f"{name}={value!r}: use a whole number, 0 or more (0: no limit)")
    return number


def parse_choice(name: str, value: str, allowed: Iterable[str]) -> str:
    """One of ``allowed``.

    >>> parse_choice("mode", "backfill", ("incremental", "backfill"))
    'backfill'
    >>> parse_choice("mode", "full", ("incremental", "backfill"))
    Traceback (most recent call last):
    scrapy.exceptions.UsageError: mode='full': use incremental or backfill
    """
    options = list(allowed)
    if value not in options:
        listed = " or ".join(
            [", ".join(options[:-1]), options[-1]] if len(options) > 1 else options
        )
        raise UsageError(f"{name}={value!r}: use {listed}")
    return value


def parse_since(value: str | None) -> datetime | None:
    """A date (``2026-11-01``, ``1er novembre 2026``), or None when not given.

    >>> parse_since("2026-11-01").date().isoformat()
    '2026-11-01'
    >>> parse_since("bientôt")
    Traceback (most recent call last):
    scrapy.exceptions.UsageError: since='bientôt': use a date such as 2026-11-01
    """
    if not value:
        return None
    moment = parse_date(value)
    if moment is None:
        raise UsageError(f"since={value!r}: use a date such as 2026-11-01")
    return moment


def parse_sections(value: str | None, known: Iterable[str]) -> list[str]:
    """The section keys asked for (comma-separated), every known one by default.

    >>> parse_sections(None, ["high-tech", "decryptages"])
    ['high-tech', 'decryptages']
    >>> parse_sections("sport", ["high-tech", "decryptages"])
    Traceback (most recent call last):
    scrapy.exceptions.UsageError: sections='sport': use one or more of decryptages, high-tech
    """
    keys = list(known)
    wanted = [key.strip() for key in value.split(",")] if value else list(keys)
    wanted = [key for key in wanted if key]
    if not wanted or any(key not in keys for key in wanted):
        raise UsageError(f"sections={value!r}: use one or more of {', '.join(sorted(keys))}")
    return list(dict.fromkeys(wanted))
