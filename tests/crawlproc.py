"""Test crawls in child processes that start without paying Scrapy's imports every time.

A crawl must run in a process of its own (Twisted's reactor cannot be restarted), but most of a
short crawl's start-up is importing Scrapy, Twisted, Spidermon, Playwright, lxml and dateparser
(about a second of CPU each time, over a hundred times a suite). A multiprocessing *forkserver*
imports those third-party modules once; each crawl is then a fork of it that runs
``scrapy.cmdline.execute`` exactly as ``python -m scrapy`` does: its own working directory,
environment, arguments, exit code, stdout and stderr. The project's own modules are NOT
preloaded: ``atlantico.settings`` reads the environment when it is imported, in the child.

``ATLANTICO_TEST_SUBPROCESS=1`` switches back to one ``python -m scrapy`` process per crawl.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
from multiprocessing.context import ForkServerContext
from pathlib import Path

# Third-party modules only (see the module's docstring).
PRELOAD = [
    "scrapy",
    "scrapy.cmdline",
    "scrapy.crawler",
    "scrapy.core.engine",
    "scrapy.core.downloader.handlers.http11",
    "scrapy.extensions.feedexport",
    "spidermon",
    "spidermon.contrib.scrapy.monitors",
    "spidermon.contrib.validation",
    "scrapy_playwright.handler",
    "lxml.html",
    "dateparser",
    "jsonschema",
    "itemloaders",
    "protego",
]

_context: ForkServerContext | None = None


def enabled() -> bool:
    return os.environ.get("ATLANTICO_TEST_SUBPROCESS") != "1" and sys.platform != "win32"


def _forkserver() -> ForkServerContext:
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _context = context
    return _context


class Crawled(subprocess.CompletedProcess[str]):
    """A finished ``scrapy`` command, with the peak resident memory of its process and of the
    processes it started and waited for (its reading workers), in KiB: the larger of the two.
    None when the crawl ran as ``python -m scrapy`` (``ATLANTICO_TEST_SUBPROCESS=1``)."""

    peak_rss_kb: int | None = None


def _child(argv: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """Runs in the forked child: ``python -m scrapy ARGV`` in ``cwd`` with ``env``; its peak
    memory (see :class:`Crawled`) written beside its output, once the command is done."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for entry in reversed(env.get("PYTHONPATH", "").split(os.pathsep)):
        if entry and entry not in sys.path:
            sys.path.insert(0, entry)
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = ["scrapy", *argv]
    from scrapy.cmdline import execute

    try:
        execute(sys.argv)  # exits with the command's code
    finally:
        # A fork's own peak counts from the forkserver's size: an upper bound of the crawl's.
        peak = max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        Path(out).with_name("peak_rss_kb").write_text(str(peak), encoding="ascii")


def run_scrapy(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> Crawled:
    """``python -m scrapy ARGS`` to its end: exit code, stdout and stderr, as subprocess.run."""
    if not enabled():
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Crawled(done.args, done.returncode, done.stdout, done.stderr)
    # The child's output goes to files of its own, outside the test's folders (some tests
    # check that a run leaves nothing but its own files).
    with tempfile.TemporaryDirectory(prefix="atlantico-crawl-") as scratch:
        out, err = Path(scratch) / "stdout", Path(scratch) / "stderr"
        process = _forkserver().Process(
            target=_child, args=(args, env, str(cwd), str(out), str(err)), daemon=False
        )
        process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["scrapy", *args], timeout)
        stdout = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
        stderr = err.read_text(encoding="utf-8", errors="replace") if err.exists() else ""
        peak = Path(scratch) / "peak_rss_kb"
        peak_kb = int(peak.read_text(encoding="ascii")) if peak.exists() else None
    code = process.exitcode if process.exitcode is not None else -1
    crawled = Crawled(["scrapy", *args], code, stdout, stderr)
    crawled.peak_rss_kb = peak_kb
    return crawled
