"""A stop signal outside Scrapy's own handlers is a failed run (exit 1), never a kill.

Scrapy installs its graceful-shutdown handlers (SIGTERM, SIGINT) only once the crawl's reactor
has started. Before that, and again after the crawl, the defaults would apply: SIGTERM kills
the process (143 in a shell), SIGINT ends it with a ``KeyboardInterrupt`` traceback and then
kills it with SIGINT (130), SIGHUP kills it (129): none of the documented exit codes. The
handlers here raise ``SystemExit(1)`` instead, so the run ends as "failed", through the
ordinary exit path (``finally`` blocks and ``atexit`` run; the store's transactions roll back).

Only the standard library is imported: ``python -m atlantico crawl`` (``atlantico/__main__.py``)
installs these handlers with its first statements, before it imports Scrapy. ``scrapy crawl``
installs them when it reaches this project's command (:mod:`atlantico.commands.crawl`).
Importing this module installs nothing.
"""

from __future__ import annotations

import signal
from types import FrameType

EXIT_FAILED = 1


def stop_failed(signum: int, frame: FrameType | None) -> None:
    """A stop signal before (or after) Scrapy's handlers: a failed run, exit 1."""
    raise SystemExit(EXIT_FAILED)


def hangup_as_sigterm(signum: int, frame: FrameType | None) -> None:
    """SIGHUP does whatever SIGTERM does at this moment.

    Before and after the crawl that is :func:`stop_failed`; during it, Scrapy's graceful
    shutdown (then, on a second signal, its forced stop). Scrapy itself does not handle SIGHUP,
    which would otherwise kill the run wherever it is (a closed terminal, ``kill -HUP``).
    """
    handler = signal.getsignal(signal.SIGTERM)
    if callable(handler):
        handler(signum, frame)
    elif handler == signal.SIG_DFL:  # nobody handles SIGTERM: stop as a failed run all the same
        stop_failed(signum, frame)


def install_early_handlers() -> None:
    """SIGTERM and SIGINT: :func:`stop_failed`; SIGHUP: :func:`hangup_as_sigterm`.

    A signal the process was started with ignored stays ignored (``nohup`` sets SIGHUP to
    ``SIG_IGN``, a shell sets SIGINT to ``SIG_IGN`` for a background job), as Python itself
    leaves an ignored SIGINT alone. Calling this again is harmless.
    """
    signal.signal(signal.SIGTERM, stop_failed)
    if signal.getsignal(signal.SIGINT) in (signal.default_int_handler, stop_failed):
        signal.signal(signal.SIGINT, stop_failed)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) != signal.SIG_IGN:
        signal.signal(signal.SIGHUP, hangup_as_sigterm)


def reinstall_after_crawl() -> None:
    """After Scrapy's crawl returned: SIGTERM and SIGINT are again :func:`stop_failed`.

    Scrapy's handlers would only ask a stopped reactor to stop (and the run would exit as if
    nothing had happened); SIGHUP's handler already follows SIGTERM's.
    """
    signal.signal(signal.SIGTERM, stop_failed)
    signal.signal(signal.SIGINT, stop_failed)
