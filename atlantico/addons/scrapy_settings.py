"""Scrapy's own settings from the project's ``ATLANTICO_*`` ones, once ``-s`` is known.

One precedence rule for every ``ATLANTICO_*`` setting: ``-s NAME=VALUE`` (Scrapyd's
``setting=``) over the environment variable of the same name over the default in
``atlantico/settings.py``. Where an ``ATLANTICO_*`` setting stands for a Scrapy one, this
add-on copies it over after the command line is applied, unless the Scrapy setting itself was
given on the command line (``-s DOWNLOAD_DELAY=…`` is the more specific, and wins).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.settings import BaseSettings, Settings


def _bool(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _max_errors(value: Any) -> int:
    """Spidermon's error monitor follows ATLANTICO_MAX_ERRORS (-1, no limit: a huge one)."""
    limit = int(value)
    return limit if limit >= 0 else 2**31


# ATLANTICO_* name → (Scrapy settings it sets, conversion).
MAPPING: dict[str, tuple[tuple[str, ...], Callable[[Any], Any]]] = {
    "ATLANTICO_DOWNLOAD_DELAY": (("DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY"), float),
    "ATLANTICO_CONCURRENCY": (("CONCURRENT_REQUESTS_PER_DOMAIN",), int),
    "ATLANTICO_HTTPCACHE": (("HTTPCACHE_ENABLED",), _bool),
    "ATLANTICO_LOG_LEVEL": (("LOG_LEVEL",), lambda value: str(value).upper()),
    "ATLANTICO_CONTACT": (("USER_AGENT",), lambda value: f"atlantico-crawler/0.1 (+{value})"),
    "ATLANTICO_MAX_ERRORS": (("SPIDERMON_MAX_ERRORS",), _max_errors),
}


def apply_mapping(settings: BaseSettings, names: tuple[str, ...] | None = None) -> None:
    """Copy each ``ATLANTICO_*`` value onto its Scrapy settings (not over a ``-s`` of theirs)."""
    cmdline = 40  # SETTINGS_PRIORITIES["cmdline"]
    for name, (targets, convert) in MAPPING.items():
        if names is not None and name not in names:
            continue
        value = settings.get(name)
        if value is None:
            continue
        for target in targets:
            if (settings.getpriority(target) or 0) < cmdline:
                settings.set(target, convert(value), priority="project")


class AtlanticoSettings:
    """The add-on (``ADDONS``) that applies :data:`MAPPING` to every crawler's settings."""

    def update_settings(self, settings: Settings) -> None:
        apply_mapping(settings)
