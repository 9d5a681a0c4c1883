"""Names of the stats, grouped by the module that owns (counts) them.

Every ``atlantico/...`` key a module of ``atlantico/`` writes or reads is defined here, once;
the modules import them (``from atlantico import stats as names``) and write no literal key
(``tests/test_stats_names.py`` checks it). Templates take a section, a field, a kind…: fill
them with ``.format(...)``; formatted with ``""`` they are the prefix of their family. The
key strings are what users, the README and docs/RELIABILITY.md read: never rename one.

Owned elsewhere, for now with their own literals:

- :mod:`atlantico.discovery.report` counts the ``atlantico/discovery/*``, ``listing/*``,
  ``sitemap/*``, ``rss/*``, ``articles/*``, ``article/*``, ``skipped/*``, ``error/*`` and
  ``drift/listing_*`` families (how sections and articles were found). The ones other modules
  read are named below, under its heading.
- :mod:`atlantico.pipelines.archive` counts ``atlantico/corpus/staged``.
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

# -- atlantico.pipelines.provenance (which source filled each field) -----------------------
SOURCE_FIELD = "atlantico/source/{field}/{source}"
"""Articles whose ``field`` was filled by ``source`` (jsonld, dom, meta…)."""
SOURCES = "atlantico/source/"
"""The prefix of SOURCE_FIELD (a template of two parts cannot be formatted into it)."""
MISSING_FIELD = "atlantico/missing/{field}"
"""Articles on which no source filled ``field``."""
VALIDATION_MESSAGE = "atlantico/validation/{field}"
"""Values kept but flagged in ``metadata.validationMessages``, by field (``datePublished``)."""

# -- atlantico.pipelines.validate -----------------------------------------------------------
EXPORTED_WITHOUT_DATE = "atlantico/exported_without/datePublished"
DROPPED_INVALID = "atlantico/dropped/invalid/{field}"
"""Items dropped because a required ``field`` is missing or invalid."""
DRIFT_INVALID_SHARE = "atlantico/drift/invalid_share"
"""Share of article pages lacking a required field, set when over the alarm share."""

# -- atlantico.pipelines.text_guard ---------------------------------------------------------
EXTRACT_JSONLD_REJECTED = "atlantico/extract/jsonld_rejected"
"""JSON-LD blocks whose text was garbled, ignored (a warning each)."""
DROPPED_GARBLED_TEXT = "atlantico/dropped/garbled_text/{field}"
CHARSET_REPAIRED_FIELD = "atlantico/charset/repaired_field/{field}"
"""Fields whose mojibake was repaired."""

# -- atlantico.pipelines.schema -------------------------------------------------------------
REJECTED_SCHEMA = "atlantico/rejected/schema"
REJECTED_FIELD = "atlantico/rejected/field/{field}"
SCHEMA_FAST_CHECK_OVERRULED = "atlantico/schema/fast_check_overruled"
"""Items the fast check passed that the full JSON Schema validation rejected."""

# -- atlantico.pipelines.canonical_guard ----------------------------------------------------
REFUSED_CANONICAL = "atlantico/refused/canonical"
"""Canonical links to another host or scheme, not followed (the page's URL is kept)."""

# -- atlantico.extensions.rejects -----------------------------------------------------------
REJECTED_WRITTEN = "atlantico/rejected/written"
REJECTED_FILE = "atlantico/rejected/file"
"""The path of the rejects feed."""

# -- atlantico.extensions.progress ----------------------------------------------------------
PROGRESS_LINES = "atlantico/progress/lines"
PROGRESS_LAST_EXPORTED = "atlantico/progress/last_exported"

# -- atlantico.middlewares.offsite_guard ----------------------------------------------------
REFUSED_KIND = "atlantico/refused/{kind}"
"""Requests refused, by kind: ``scheme``, ``offsite``, ``private_address``."""
REFUSED_REDIRECT = "atlantico/refused/redirect"
"""Of those, the ones a redirect asked for."""

# -- atlantico.middlewares.robots_guard -----------------------------------------------------
ROBOTS_FETCHED = "atlantico/robots/fetched/{status}"
ROBOTS_ALLOW_ALL = "atlantico/robots/allow_all"
"""robots.txt answered 4xx: everything allowed."""
ROBOTS_UNAVAILABLE = "atlantico/robots/unavailable/{reason}"
ROBOTS_FORBIDDEN = "atlantico/robots/forbidden"
"""Requests the rules forbid, not sent."""
ROBOTS_REFUSED_UNAVAILABLE = "atlantico/robots/refused_unavailable"
"""Requests refused because robots.txt could not be read."""
ROBOTS_CRAWL_DELAY = "atlantico/robots/crawl_delay"
"""The Crawl-delay honoured for the site's host, in seconds."""
POLITENESS_CRAWL_DELAY_WAITED = "atlantico/politeness/crawl_delay_waited"
"""Requests held back for the Crawl-delay."""

# -- atlantico.middlewares.redirect_guard ---------------------------------------------------
REFUSED_REDIRECT_LOOP = "atlantico/refused/redirect_loop"

# -- atlantico.middlewares.concurrency_guard ------------------------------------------------
CONCURRENCY_WAITED = "atlantico/concurrency/waited"
"""Requests that had to wait for a free slot."""

# -- atlantico.middlewares.compression_guard ------------------------------------------------
REFUSED_TOO_LARGE_DECOMPRESSED = "atlantico/refused/too_large/decompressed"
"""Responses whose decompressed body would exceed DOWNLOAD_MAXSIZE."""
FAILED_TRUNCATED_BODY = "atlantico/failed/truncated_body"
"""Compressed bodies cut short, given up with an ERROR."""

# -- atlantico.middlewares.content_guard ----------------------------------------------------
PAGE_KIND = "atlantico/page/{kind}"
"""Responses dropped because they are not an article page (``not_html``…)."""

# -- atlantico.middlewares.charset ----------------------------------------------------------
CHARSET_REPAIRED = "atlantico/charset/repaired/{declared}->{used}"
"""Pages decoded with another charset than Scrapy's choice."""
CHARSET_DOUBT = "atlantico/charset/doubt"
"""Pages whose text still holds U+FFFD or mojibake after decoding."""

# -- atlantico.middlewares.gone -------------------------------------------------------------
HTTP_NOT_FOUND = "atlantico/http/not_found"
LISTING_AHEAD_NOT_FOUND = "atlantico/listing/ahead/not_found"
"""404s of listing pages asked ahead of a walk (past its last page): not counted in
``HTTP_NOT_FOUND``, and left out of the HTTP-codes monitor."""
HTTP_GONE = "atlantico/http/gone"
GONE = "atlantico/gone"
"""The URLs that answered 404 or 410 (a list): the store marks them gone."""

# -- atlantico.middlewares.storm ------------------------------------------------------------
HTTP_SERVER_ERROR = "atlantico/http/server_error"
STORM_CONSECUTIVE = "atlantico/storm/consecutive"
"""The run of consecutive 5xx answers that stopped the crawl."""
STORM_REFUSED = "atlantico/storm/refused"
"""Requests not sent while the run stops."""

# -- atlantico.reading ----------------------------------------------------------------------
READING_IN_WORKER = "atlantico/reading/in_worker"
"""Article pages read by a worker process (ATLANTICO_READ_WORKERS)."""
READING_HERE = "atlantico/reading/here"
"""Article pages read in the crawl's own process (no worker, or after one died)."""
READING_WORKER_LOST = "atlantico/reading/worker_lost"
"""A worker process died; the pages were read in the crawl's process from then on."""

# -- atlantico.middlewares.render -----------------------------------------------------------
RENDER_STATIC = "atlantico/render/static"
RENDER_ESCALATED = "atlantico/render/escalated/{reason}"
"""Pages sent to the browser, by the reason the static page was not enough."""
RENDER_RENDERED = "atlantico/render/rendered"
RENDER_UNAVAILABLE = "atlantico/render/unavailable"
"""Pages that needed the browser when none was available (kept static)."""
RENDER_FAILED = "atlantico/render/failed"
RENDER_LOAD_MORE_CLICKS = "atlantico/render/load_more/clicks"
RENDER_LOAD_MORE = "atlantico/render/load_more/{outcome}"
"""How a load-more button ended: ``exhausted``, ``capped``, ``stalled``."""
RENDER_BODY_TIMEOUT = "atlantico/render/body_timeout"

# -- atlantico.browser ----------------------------------------------------------------------
RENDER_ABORTED = "atlantico/render/aborted/{reason}"
"""Browser requests aborted (images, fonts, offsite…), by reason."""

# -- atlantico.queues (the scheduler's memory queues) -----------------------------------------
SCHEDULER_KEPT_WHOLE = "atlantico/scheduler/kept_whole"
"""Requests the scheduler held as objects, not packed (an object in their ``meta``)."""

# -- atlantico.monitoring.actions and monitors ----------------------------------------------
MONITORS_FAILED = "atlantico/monitors/failed"
"""Number of monitors that failed (0 on a passing run): the crawl command exits 1 above 0."""
MONITORS_FAILURES = "atlantico/monitors/failures"
"""The names of the monitors that failed (a list)."""
DRIFT_ALARMS = "atlantico/drift/alarms"

# -- atlantico.monitoring.notify ------------------------------------------------------------
NOTIFY_SENT = "atlantico/notify/sent/{channel}"
NOTIFY_FAILED = "atlantico/notify/failed/{channel}"

# -- families of several owners (prefixes the run manager and the reports read) -------------
DROPPED = "atlantico/dropped/"
REFUSED = "atlantico/refused/"
REJECTED = "atlantico/rejected/"

# -- atlantico.discovery.report (read here; it writes its own literals, see above) ----------
ARTICLES_FOUND = "atlantico/articles/found"
ARTICLES_REQUESTED = "atlantico/articles/requested"
LISTING_PAGES = "atlantico/listing/pages/{section}"
"""Listing pages read, per section."""
LISTING_KNOWN = "atlantico/listing/known/{section}"
"""Articles listed that an earlier run exported."""
DISCOVERY_SECTION_FROM = "atlantico/discovery/section_from/{source}"
"""Sections found, by where: ``setting``, the home page's menus, an article's category link."""
DISCOVERY_SECTION_FALLBACK = "atlantico/discovery/section_fallback/{section}"
"""Articles read from the sitemaps for a section whose listing was not found."""
DRIFT_LISTING_WITHOUT_ARTICLES = "atlantico/drift/listing_without_articles"
ERROR_SECTION_NOT_FOUND = "atlantico/error/section_not_found"
SKIPPED = "atlantico/skipped/"
