"""The crawler from Python, without Scrapy objects.

Usage (``python`` in the project's folder)::

    from atlantico import extract_html, crawl
    item = extract_html(html, "https://atlantico.fr/article/decryptage/...")
    item["headline"], item["authors"], item["datePublished"]
    result = crawl(ATLANTICO_MAX_PAGES=1, sections="high-tech")
    result.exit_code, len(result.items), result.manifest["counts"]["exported"]

``extract_html`` is the same extraction as the crawl's (``atlantico.extract``), on a page you
already have, as ``NewsPlease.from_html`` and trafilatura's ``extract`` do. ``crawl`` runs
``scrapy crawl atlantico`` in a child process (Twisted's reactor cannot be started twice in one
process, so a crawl inside the caller's process could run only once) and returns its items, its
manifest and its exit code.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request

from atlantico import stats as names
from atlantico.extract import extract_article

# The root of the project (the folder holding the atlantico package), put on the child's path.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def extract_html(html: str | bytes, url: str, *, base_url: str | None = None) -> dict[str, Any]:
    """The item of an article page, as a feed line's dict (``atlantico/items.py``).

    ``html`` is the page as text or as the bytes served (their charset is read from the page);
    ``url`` is where it was served, which makes relative links and the article key;
    ``base_url`` the site's base (default: ``url``'s host).
    """
    if isinstance(html, bytes):  # decoded by the page's own charset, as the crawl does
        html = HtmlResponse(url=url, body=html, request=Request(url)).text
    # atlantico.extract.extract_html (HTML in, no response built) when the package has it.
    pure = getattr(importlib.import_module("atlantico.extract"), "extract_html", None)
    if pure is not None:
        item = pure(html, url, base_url=base_url, discovered_via="argument")
    else:
        response = HtmlResponse(
            url=url, body=html.encode("utf-8"), encoding="utf-8", request=Request(url)
        )
        item = extract_article(response, base_url=base_url, discovered_via="argument")
    result: dict[str, Any] = item.to_dict()
    return result


@dataclass
class CrawlResult:
    """What a crawl gave: its feed's items, its manifest (None when the run published nothing)
    and the exit code of ``scrapy crawl`` (0 done, 1 failed, 2 usage error, 75 locked)."""

    items: list[dict[str, Any]]
    manifest: dict[str, Any] | None
    exit_code: int
    log: str = field(default="", repr=False)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def _value(value: Any) -> str:
    """A setting or argument as ``-s``/``-a`` takes it.

    >>> [_value(v) for v in (True, 3, {"a": 1}, "x")]
    ['True', '3', '{"a": 1}', 'x']
    """
    if isinstance(value, dict | list | tuple):
        return json.dumps(value)
    return str(value)


def crawl_command(settings_and_args: dict[str, Any]) -> list[str]:
    """``python -m atlantico crawl`` (stop signals are exit 1 from its first line) with
    UPPER_CASE keys as settings, lower_case as arguments.

    >>> crawl_command({"ATLANTICO_MAX_PAGES": 1, "sections": "high-tech"})[-4:]
    ['-s', 'ATLANTICO_MAX_PAGES=1', '-a', 'sections=high-tech']
    """
    command = [sys.executable, "-m", "atlantico", "crawl"]
    for name, value in settings_and_args.items():
        option = "-s" if name.isupper() else "-a"
        command += [option, f"{name}={_value(value)}"]
    return command


def crawl(*, timeout: float | None = None, **settings_and_args: Any) -> CrawlResult:
    """Run one crawl and return its items, manifest and exit code.

    Keyword arguments in UPPER_CASE are settings (``ATLANTICO_BASE_URL=...``,
    ``DOWNLOAD_DELAY=0``), lower_case ones the spider's arguments (``sections="high-tech"``,
    ``max_pages=2``, ``since="2026-11-01"``, ``mode="backfill"``). The run is the scheduled
    run of the command line, in the current directory: it keeps its store in
    ``ATLANTICO_STATE_DIR`` (default ``state/``), so a second call returns only what is new.
    Without ``ATLANTICO_FEED_URI``, the feed and its manifest go to a temporary folder that is
    removed once read. ``timeout`` (seconds) stops a run that takes longer
    (``subprocess.TimeoutExpired``).
    """
    with tempfile.TemporaryDirectory(prefix="atlantico-crawl-") as scratch:
        given = dict(settings_and_args)
        given.setdefault("ATLANTICO_FEED_URI", f"{scratch}/feeds/%(name)s-%(run_id)s.jsonl")
        given.setdefault("ATLANTICO_STATS_FILE", f"{scratch}/stats.json")
        env = {
            **os.environ,
            "SCRAPY_SETTINGS_MODULE": "atlantico.settings",
            "PYTHONPATH": os.pathsep.join(
                [str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        done = subprocess.run(
            crawl_command(given),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        manifest = _manifest(Path(given["ATLANTICO_STATS_FILE"]))
        items: list[dict[str, Any]] = []
        for feed in (manifest or {}).get("feeds", []):
            path = Path(feed["path"] if isinstance(feed, dict) else feed)
            if path.suffix == ".jsonl" and path.exists():
                with path.open(encoding="utf-8") as lines:
                    items += [json.loads(line) for line in lines if line.strip()]
        return CrawlResult(items, manifest, done.returncode, done.stderr)


def _manifest(stats_file: Path) -> dict[str, Any] | None:
    """The manifest the run wrote, found through its stats (``atlantico/run/manifest``)."""
    if not stats_file.exists():
        return None
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    where = stats.get(names.RUN_MANIFEST)
    if not where or not Path(where).exists():
        return None
    manifest: dict[str, Any] = json.loads(Path(where).read_text(encoding="utf-8"))
    return manifest
