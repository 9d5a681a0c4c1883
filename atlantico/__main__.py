"""Entry point of ``python -m atlantico``; see :mod:`atlantico.cli`.

For ``crawl`` its first statements install the stop-signal handlers (:mod:`atlantico.shutdown`:
SIGTERM, SIGINT or SIGHUP is then exit 1, a failed run), before anything imports Scrapy, whose
imports take a large part of a second (the README's "Exit codes"). Only the interpreter's own
start-up, and ``atlantico/__init__.py`` (no imports), run before these lines.
"""

import sys

if sys.argv[1:2] == ["crawl"]:
    from atlantico.shutdown import install_early_handlers

    install_early_handlers()

from atlantico.cli import main  # after the handlers, on purpose

sys.exit(main())
