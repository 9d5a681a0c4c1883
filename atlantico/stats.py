"""Names of the stats, grouped by the module that owns (counts) them.

Every ``atlantico/...`` key a module of the run lifecycle writes is defined here; templates
take a section, a field, a kind. The other families move here later, one owner each.
"""

from __future__ import annotations

# -- atlantico.extensions.run (the run manager) ---------------------------------------------
RUN_ID = "atlantico/run/id"
RUN_FAILED = "atlantico/run/failed"
"""The reason the run failed (a string); unset when it did not. ``scrapy crawl`` exits 1."""
RUN_MANIFEST = "atlantico/run/manifest"
RUN_RECOVERED_RUNS = "atlantico/run/recovered_runs"
"""Runs that died after their commit point, whose renames this run finished."""
RUN_DISCARDED_ARTICLES = "atlantico/run/discarded_articles"
"""Staged articles of runs that died before their commit point (exported again)."""
RUN_DISCARDED_RUNS = "atlantico/run/discarded_runs"
STORE_COMMITTED = "atlantico/store/committed"
STORE_GONE = "atlantico/store/gone"

# -- atlantico.pipelines.store --------------------------------------------------------------
STORE_NEW = "atlantico/store/new"
STORE_UPDATED = "atlantico/store/updated"
STORE_UNCHANGED = "atlantico/store/unchanged"

# -- atlantico.extensions.exported (what reached the feeds: counted once) --------------------
EXPORTED_SECTION = "atlantico/exported/section/{section}"
EXPORTED_VIA = "atlantico/exported/via/{via}"
EXPORTED_FIELD = "atlantico/exported/field/{field}"
"""Exported items whose ``field`` is filled: the manifest's coverage over items exported."""

# -- atlantico.retry_queue ------------------------------------------------------------------
QUEUE_QUEUED = "atlantico/queue/queued"
"""Articles this run could not deliver and queued for the next run (a WARNING each)."""
QUEUE_GIVEN_UP = "atlantico/queue/given_up"
"""Articles given up after ATLANTICO_RETRY_MAX_ATTEMPTS (an ERROR each)."""
QUEUE_GIVEN_UP_URLS = "atlantico/queue/given_up_urls"
QUEUE_WHY = "atlantico/queue/why/{why}"
QUEUE_REQUESTED = "atlantico/queue/requested"
"""Due entries of the queue this run requested first."""
QUEUE_RESOLVED = "atlantico/queue/resolved"
REVISIT_REQUESTED = "atlantico/revisit/requested"
REVISIT_UNCHANGED = "atlantico/revisit/unchanged"
"""Revisits answered 304 Not Modified: unchanged, no body downloaded."""
HOST_PAUSE_LOADED = "atlantico/politeness/pause_from_store"
"""Host pauses an earlier run stored that still held when this run started."""

# -- atlantico.middlewares.failures ---------------------------------------------------------
FAILED_KIND = "atlantico/failed/{kind}"
"""Downloads that failed for good, by kind (timeout, connection, dns, partial, http_5xx…)."""
REFUSED_REDIRECT_SCHEME = "atlantico/refused/redirect_scheme"
"""Redirects to file:, data: or another scheme but http(s), refused."""

# -- atlantico.middlewares.retry_after ------------------------------------------------------
POLITENESS_RETRY_AFTER = "atlantico/politeness/retry_after"
POLITENESS_BACKOFF = "atlantico/politeness/backoff"
POLITENESS_WAITED = "atlantico/politeness/waited"
POLITENESS_WAIT_MAX = "atlantico/politeness/wait_max"
DEFERRED_RETRY_AFTER = "atlantico/deferred/retry_after"
DEFERRED_URLS = "atlantico/deferred"

# -- atlantico.feeds ------------------------------------------------------------------------
FEED_WRITE_FAILED = "atlantico/feed/write_failed"

# -- atlantico.pipelines.dedupe -------------------------------------------------------------
DROPPED_DUPLICATE = "atlantico/dropped/duplicate"

# -- atlantico.pipelines.coverage (articles read, before any drop; the monitors' input) -----
COVERAGE_ARTICLES = "atlantico/coverage/articles"
COVERAGE_BASE = "atlantico/coverage/{base}"
"""Articles of a denominator: ``with_byline``, ``free``."""
COVERAGE_FILLED = "atlantico/coverage/filled/{field}"
COVERAGE_EXAMPLE_URL = "atlantico/coverage/example_url"
COVERAGE_EXAMPLE_MISSING = "atlantico/coverage/example_missing/{field}"
ARTICLES_SECTION = "atlantico/articles/section/{section}"
"""Articles read per section (before drops); exported ones are EXPORTED_SECTION."""

# -- read here, owned elsewhere (moved later) -----------------------------------------------
MONITORS_FAILED = "atlantico/monitors/failed"
ARTICLES_REQUESTED = "atlantico/articles/requested"
ROBOTS_FORBIDDEN = "atlantico/robots/forbidden"
