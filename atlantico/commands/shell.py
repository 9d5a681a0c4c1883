"""``scrapy shell URL``: the page you ask for is the site, and a page that could not be fetched
says so in one line.

Scrapy's shell runs with the project's settings, so the offsite guard compares the URL with
``ATLANTICO_BASE_URL`` (atlantico.fr by default) and refuses a page of a mirror or of the
replica. Here the URL given on the command line defines the site for the session, unless
``-s ATLANTICO_BASE_URL=...`` says otherwise. The guard against private addresses is unchanged:
the replica on 127.0.0.1 still needs ``-s ATLANTICO_ALLOW_PRIVATE_HOSTS=True``.

When the page cannot be fetched (no network, robots.txt unreadable, refused by a guard),
Scrapy's shell opens with ``response = None`` and the first ``response.headers`` raises an
``AttributeError``. This command prints instead one line, ``Could not fetch URL: why``, with the
last warning or error logged while fetching; with ``-c`` it exits 1 without evaluating the code.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any
from urllib.parse import urlsplit

from scrapy.commands.shell import Command as ScrapyShell
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.url import guess_scheme

EXIT_NOT_FETCHED = 1


class _LastProblem(logging.Handler):
    """Keeps the last warning or error logged, the reason a fetch gave nothing."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.message = ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record must not break the shell
            return
        self.message = " ".join(text.split())


def site_of(url: str) -> str | None:
    """The origin (``scheme://host[:port]``) of an http(s) URL, else None.

    >>> site_of("http://127.0.0.1:8765/article/pepite/x"), site_of("./page.html")
    ('http://127.0.0.1:8765', None)
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


class Command(ScrapyShell):
    def short_desc(self) -> str:
        return "Interactive scraping console; the URL given is the site (atlantico)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        self._url = guess_scheme(args[0]) if args else None
        self._code = opts.code
        site = site_of(self._url) if self._url else None
        explicit = self.settings.getpriority("ATLANTICO_BASE_URL") or 0
        if site and explicit < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("ATLANTICO_BASE_URL", site, priority="cmdline")
        # The offsite guard refuses where the shell's fetch hears of it (atlantico/settings.py).
        self.settings.set("ATLANTICO_INTERACTIVE", True, priority="cmdline")
        self._problem = _LastProblem()
        logging.getLogger().addHandler(self._problem)
        super().run(args, opts)

    def update_vars(self, vars: dict[str, Any]) -> None:
        """Called once the first page is fetched (or not)."""
        if vars.get("response") is not None or not getattr(self, "_url", None):
            return
        why = self._problem.message or "no response (see the log above)"
        print(f"Could not fetch {self._url}: {why}", file=sys.stderr)
        if self._code:
            sys.stderr.flush()
            raise SystemExit(EXIT_NOT_FETCHED)
