"""Scrapy settings of the Atlantico crawler.

Every value that differs from Scrapy's default says why, and the default it replaces. Values a
user is likely to change come from the environment (``ATLANTICO_*``); any of them can also be
set for one run with ``scrapy crawl atlantico -s NAME=VALUE``.
"""

from __future__ import annotations

import os

from scrapy.settings import default_settings

BOT_NAME = "atlantico"
SPIDER_MODULES = ["atlantico.spiders"]
NEWSPIDER_MODULE = "atlantico.spiders"

# --- The site --------------------------------------------------------------------------------

# Where the site lives. Point it at a mirror (or the offline replica) and the whole crawler
# follows, allowed domains included.
ATLANTICO_BASE_URL = os.environ.get("ATLANTICO_BASE_URL", "https://atlantico.fr")
# Sections to crawl: key (used in items and the `sections` argument) → the label the site's
# navigation shows. Section URLs are [unknown] (SITE.md §2), so they are found by label.
ATLANTICO_SECTIONS = {"high-tech": "High-tech", "decryptages": "Décryptages"}
# How an article found outside the listings (sitemaps) is matched to a section: by its type
# (from the URL) or its category (from the page). [seen: SITE.md §2]
ATLANTICO_SECTION_RULES = {
    "high-tech": {"category": "High-tech"},
    "decryptages": {"type": "decryptage"},
}
# Explicit section URLs, key → URL, when the navigation cannot find them (a JSON object in the
# environment, e.g. '{"high-tech": "https://atlantico.fr/..."}').
ATLANTICO_SECTION_URLS = os.environ.get("ATLANTICO_SECTION_URLS", "{}")
# Listing pages per section and run; 0 walks the whole archive. Five pages (about 100 articles
# each) cover several days of publishing, plenty for a daily or hourly run.
ATLANTICO_MAX_PAGES = int(os.environ.get("ATLANTICO_MAX_PAGES", "5"))
# The drift alarm: when more than this share of article pages lack a required field (and at
# least ATLANTICO_DRIFT_MIN_ITEMS were read) the run logs an error naming the likely cause.
ATLANTICO_DRIFT_INVALID_SHARE = 0.2
ATLANTICO_DRIFT_MIN_ITEMS = 10

# --- Politeness (the live site) --------------------------------------------------------------

# Contact for the site's administrators, part of the User-Agent (set yours).
ATLANTICO_CONTACT = os.environ.get("ATLANTICO_CONTACT", "https://github.com/atlantico-crawler")
# An honest User-Agent (default: "Scrapy/VERSION (+https://scrapy.org)").
USER_AGENT = f"atlantico-crawler/0.1 (+{ATLANTICO_CONTACT})"
# Default False in a bare Scrapy project; the site's rules are obeyed.
ROBOTSTXT_OBEY = True
# About one request per second per domain (default: 8 concurrent, no delay). A public research
# crawl of the archive used one page every 4 s; AutoThrottle slows further if the site does.
# ATLANTICO_CONCURRENCY and ATLANTICO_DOWNLOAD_DELAY set these two (and the start delay below)
# from -s or the environment (atlantico/addons/scrapy_settings.py).
ATLANTICO_CONCURRENCY = int(os.environ.get("ATLANTICO_CONCURRENCY", "1"))
ATLANTICO_DOWNLOAD_DELAY = float(os.environ.get("ATLANTICO_DOWNLOAD_DELAY", "1.0"))
CONCURRENT_REQUESTS_PER_DOMAIN = ATLANTICO_CONCURRENCY
DOWNLOAD_DELAY = ATLANTICO_DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True  # default False: adapt the pace to the site's response times
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY  # default 5.0: start at the polite pace above
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # the default, said here because politeness relies on it
# Development: cache every response on disk so that re-running the spider costs the site
# nothing (ATLANTICO_HTTPCACHE=1). Default off.
ATLANTICO_HTTPCACHE = os.environ.get("ATLANTICO_HTTPCACHE", "0") == "1"
HTTPCACHE_ENABLED = ATLANTICO_HTTPCACHE
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 24 * 3600  # default 0 (never expires): a day-old listing is stale

# --- Components: each dict defined once, here, in the order its priorities run --------------

# Item pipelines, one per module (atlantico/pipelines/).
ITEM_PIPELINES = {
    # Which extraction source filled each field (stats for the drift monitor).
    "atlantico.pipelines.provenance.ProvenancePipeline": 100,
    # Before validation and deduplication, which read the text and the canonical URL.
    "atlantico.pipelines.text_guard.TextGuardPipeline": 140,
    # Coverage counts every article read, before any drop.
    "atlantico.pipelines.coverage.CoveragePipeline": 150,
    "atlantico.pipelines.validate.ValidatePipeline": 200,
    "atlantico.pipelines.canonical_guard.CanonicalGuardPipeline": 240,
    # Rejects what breaks schema/article.schema.json, after the required-field check.
    "atlantico.pipelines.schema.SchemaPipeline": 250,
    "atlantico.pipelines.dedupe.DedupePipeline": 300,
    # Numbers the revision and stages the article for the run's commit.
    "atlantico.pipelines.store.StorePipeline": 400,
    # After the store, which numbers the revision: the exported item joins the corpus
    # (article_items, article_revisions) when the run commits.
    "atlantico.pipelines.archive.ArchivePipeline": 410,
}
EXTENSIONS = {
    # Invalid items (missing a required field, or breaking the schema) to their own file.
    "atlantico.extensions.rejects.RejectsFeed": 300,
    # What reached the feeds, counted once (per section, per way found, per field).
    "atlantico.extensions.exported.ExportedCounter": 310,
    # A progress line with the project's counters every ATLANTICO_PROGRESS_INTERVAL seconds.
    "atlantico.extensions.progress.ProgressLog": 320,
    # The run's lifecycle: recovery, publishing with one commit point, manifest, verdict.
    "atlantico.extensions.run.RunManager": 400,
    # Before StatsFile (500), so that the stats file holds the monitors' verdict.
    "atlantico.monitoring.extension.Monitors": 400,
    # What this run could not deliver goes to the store's retry queue.
    "atlantico.retry_queue.RetryQueue": 410,
    "atlantico.extensions.statsfile.StatsFile": 500,
}
# Outermost (lowest order): a page's parsed tree is dropped once everything its callback gave
# has been taken, instead of waiting, cached on the response, for Python's cyclic collector.
SPIDER_MIDDLEWARES = {"atlantico.middlewares.release.ReleaseTreeMiddleware": 10}
# Order matters. process_request runs low → high: refuse foreign hosts before robots.txt is
# even fetched for them, then robots.txt, then the per-host pause. process_response runs
# high → low: count redirect loops (610) before Scrapy's redirect middleware (600) drops them,
# refuse redirects to other schemes (605) before it too, check a compressed stream (595) before
# Scrapy opens it (590), fix the charset of the opened page (585), take a 304 as "unchanged"
# (570), read Retry-After (560) before Scrapy's retry (550) sends the request again, then judge
# what is left once retries are over (540 and below).
DOWNLOADER_MIDDLEWARES = {
    "atlantico.middlewares.offsite_guard.OffsiteGuardMiddleware": 40,
    # Scrapy's allows everything when robots.txt answers 5xx or times out; RFC 9309 says
    # the opposite.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "atlantico.middlewares.robots_guard.RobotsGuardMiddleware": 100,
    "atlantico.middlewares.failures.FailureReportMiddleware": 530,
    "atlantico.middlewares.content_guard.ContentGuardMiddleware": 535,
    "atlantico.middlewares.gone.GoneMiddleware": 540,
    # Before Scrapy's RetryMiddleware (550) in process_response: a 304 is "unchanged" before
    # anything treats it as an error.
    "atlantico.retry_queue.ConditionalMiddleware": 570,
    "atlantico.middlewares.charset.CharsetMiddleware": 585,
    "atlantico.middlewares.compression_guard.CompressionGuardMiddleware": 595,
    # Scrapy's RedirectMiddleware drops a redirect to file:, data: and other schemes with a
    # DEBUG line only: here it is a WARNING, a stat and a retry later.
    "atlantico.middlewares.failures.RefusedRedirectMiddleware": 605,
    "atlantico.middlewares.redirect_guard.RedirectGuardMiddleware": 610,
    # Holds the per-host concurrency limit, from just before the download (see its module).
    "atlantico.middlewares.concurrency_guard.ConcurrencyGuardMiddleware": 1000,
    # After the concurrency guard: a request waits out its host's pause once it holds the
    # host's slot, right before its download; on the way back a Retry-After is recorded before
    # the slot is freed, so no request of that host that was already waiting goes out first.
    "atlantico.middlewares.retry_after.RetryAfterMiddleware": 1005,
    # robots.txt's Crawl-delay (read by the robots guard), last before the download: the host
    # sees requests spaced by it even when those that waited for a transfer slot go together.
    "atlantico.middlewares.crawl_delay.CrawlDelayMiddleware": 1008,
    # Counts every 5xx before any retry; refuses what is still queued once the run stops.
    "atlantico.middlewares.storm.ServerErrorStormMiddleware": 1010,
}
# Add-ons read settings once -s is known. Equal priorities run in the order written.
ADDONS = {
    # FEEDS from ATLANTICO_FEED_URI and ATLANTICO_ATOM_URI (atlantico/addons/feeds.py), so that
    # the feed's place can also come from -s or Scrapyd's schedule.json.
    "atlantico.addons.feeds.DefaultFeed": 0,
    # Before the feeds add-on: the Atom feeds and the rejects follow ATLANTICO_FEED_URI's folder
    # when they are left at their defaults (atlantico/addons/paths.py; Scrapyd runs elsewhere).
    "atlantico.addons.paths.FeedFolder": -10,
    # Unless ATLANTICO_RENDER is `never`: scrapy-playwright's download handler, the render
    # middleware, the browser provider and abort policy, the browser's memory extension
    # (atlantico/addons/render.py). An add-on, because `-s ATLANTICO_RENDER=never` must also
    # leave the browser out.
    "atlantico.addons.render.RenderAddon": 0,
    # Copies ATLANTICO_DOWNLOAD_DELAY, _CONCURRENCY, _HTTPCACHE, _LOG_LEVEL, _CONTACT and
    # _MAX_ERRORS onto Scrapy's settings once -s is known (a -s of the Scrapy name wins).
    "atlantico.addons.scrapy_settings.AtlanticoSettings": 0,
}
FEED_EXPORTERS = {
    # Full-text Atom feed per section (atlantico/exporters/atom.py).
    "atom": "atlantico.exporters.atom.AtomItemExporter",
    # JSON Lines (the default feed, and `-O x.jsonl`) written with orjson: the same objects as
    # Scrapy's exporter, about 20 times cheaper per item (atlantico/exporters/jsonlines.py).
    "jsonlines": "atlantico.exporters.jsonlines.JsonLinesExporter",
    "jsonl": "atlantico.exporters.jsonlines.JsonLinesExporter",
    # Scrapy's csv writes nested fields as Python reprs; ours writes one column per value, in
    # the profile ATLANTICO_EXPORT_PROFILE names (atlantico/exporters/profiles.py). The
    # news-please and trafilatura formats are JSON Lines in those tools' shapes:
    # -O out.jsonl:news-please.
    "csv": "atlantico.exporters.profiles.ProfileCsvItemExporter",
    "news-please": "atlantico.exporters.profiles.NewsPleaseItemExporter",
    "trafilatura": "atlantico.exporters.profiles.TrafilaturaItemExporter",
}

# --- Pipeline and feeds ----------------------------------------------------------------------

# Feeds are written under a temporary name and renamed when complete (default: Scrapy's
# FileFeedStorage writes the final file as it goes, so a killed run leaves a truncated feed).
FEED_STORAGES = {
    "": "atlantico.feeds.AtomicFileStorage",
    "file": "atlantico.feeds.AtomicFileStorage",
}
# One JSON Lines file per run (default: no feed), published even when empty so that every run
# leaves a feed and a manifest beside it. `scrapy crawl atlantico -O file.jsonl` replaces it, as
# Scrapy users expect.
# %(run_id)s is the run's id (UTC start time plus a random suffix): unique even for two runs
# started in the same second, and the key of the run in the store and its manifest.
ATLANTICO_FEED_URI = os.environ.get("ATLANTICO_FEED_URI", "feeds/%(name)s-%(run_id)s.jsonl")
FEED_URI_PARAMS = "atlantico.feeds.uri_params"  # default None: only %(name)s and %(time)s
# FEEDS is set from ATLANTICO_FEED_URI by an add-on (ADDONS above).
# Default False for -o/-O feeds: every run publishes its feed, even empty, and a manifest beside it.
FEED_STORE_EMPTY = True
# Default None, which escapes every non-ASCII character in JSON feeds.
FEED_EXPORT_ENCODING = "utf-8"

# `scrapy crawl` is this project's (atlantico/commands/crawl.py): run lock, store check, and an
# exit code that says whether the run failed (Scrapy's own exits 0 after most failures).
COMMANDS_MODULE = "atlantico.commands"

# --- Scheduled runs --------------------------------------------------------------------------

# Where the store of exported articles and the run lock live.
ATLANTICO_STATE_DIR = os.environ.get("ATLANTICO_STATE_DIR", "state")
# The SQLite store (default: <ATLANTICO_STATE_DIR>/atlantico.sqlite3).
ATLANTICO_STORE_PATH = os.environ.get("ATLANTICO_STORE_PATH", "")
# Off: every run exports everything it finds, nothing is remembered (exploration, one-off runs).
ATLANTICO_STORE_ENABLED = os.environ.get("ATLANTICO_STORE_ENABLED", "1") == "1"
# Set by `scrapy crawl` (atlantico/commands/crawl.py): turns on the default feed; the store and
# the manifest come with the run context the command opens (atlantico/context.py). A script
# running the spider with CrawlerProcess sets it, and sets ATLANTICO_RUN_CONTEXT to
# atlantico.context.open_run(settings) to get the store too.
ATLANTICO_SCHEDULED_RUN = False
# A run that logs more errors than this exits non-zero even though its feed was published
# (-1: no limit).
ATLANTICO_MAX_ERRORS = int(os.environ.get("ATLANTICO_MAX_ERRORS", "20"))
# The news sitemap, read by incremental runs to find updated articles (empty: off). Relative
# to ATLANTICO_BASE_URL. [seen: SITE.md §2]
ATLANTICO_NEWS_SITEMAP = os.environ.get("ATLANTICO_NEWS_SITEMAP", "/news-sitemap.xml")
# The RSS feed, read by incremental runs for the new articles of a section whose listing could
# not be read (empty: off). [seen in public feed lists: SITE.md §2]
ATLANTICO_RSS = os.environ.get("ATLANTICO_RSS", "/rss.xml")
# The sitemap index, walked by backfill runs. [seen: SITE.md §2]
ATLANTICO_SITEMAP_INDEX = os.environ.get("ATLANTICO_SITEMAP_INDEX", "/sitemap-index.xml")
# Where the final stats of a run go as JSON (off when empty).
ATLANTICO_STATS_FILE = os.environ.get("ATLANTICO_STATS_FILE", "")

# --- Scrapy runtime --------------------------------------------------------------------------

# The default since Scrapy 2.13, said here because scrapy-playwright needs it.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Default scrapy.statscollectors.MemoryStatsCollector: the same, without the cost Scrapy 2.19
# adds to every attribute read of the collector (atlantico/statscollector.py).
STATS_CLASS = "atlantico.statscollector.AtlanticoStatsCollector"
ATLANTICO_LOG_LEVEL = os.environ.get("ATLANTICO_LOG_LEVEL", "INFO")
LOG_LEVEL = ATLANTICO_LOG_LEVEL  # default DEBUG: one line per request
# Default True; the console listens on a local port nobody uses here.
TELNETCONSOLE_ENABLED = False
# Default 100. Scrapy (2.13+) starts this many asyncio tasks, plus one, for every response it
# hands to a callback, whatever the callback yields: 0.9 ms per response at 100, a quarter of
# the crawl process's time in a fast crawl. An article page yields one item (the pipelines are
# synchronous); a listing page about twenty requests, all still queued at once (Scrapy buffers
# twice this number of outputs). With 1, requests trickled out of a listing between downloads
# and one slipped past a day-long Retry-After in tests/test_faults_politeness.py.
CONCURRENT_ITEMS = 16
# Where article pages are read (atlantico/reading.py): `auto` starts a worker process per spare
# core (at most 2) when DOWNLOAD_DELAY is under 0.1 s, so that a fast crawl (a backfill, a
# mirror) is not bound by one core; at the live site's polite pace, none. 0: always in the
# crawl's process; N: N workers.
ATLANTICO_READ_WORKERS = os.environ.get("ATLANTICO_READ_WORKERS", "auto")
# Scrapy's default extensions but its remote control (new in 2.19, on by default): an HTTP
# server on localhost that runs Python code sent to it, for the same nobody as the console; and
# importing it (aiohttp) took 0.1-0.6 s of every start-up. Left out of the base list rather than
# set to None in EXTENSIONS, which would still import it (Scrapy loads every key it merges).
EXTENSIONS_BASE = {
    path: order
    for path, order in default_settings.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}

# Default: Scrapy's memory queues, holding Request objects (about 3.5 KB each). The articles are
# requested after every listing is read, so the scheduler holds one per article found: these
# keep each as its marshalled to_dict (300-450 bytes), an article request as a tuple of shared
# parts (88 bytes), the same order (atlantico/queues.py).
SCHEDULER_MEMORY_QUEUE = "atlantico.queues.CompactLifoMemoryQueue"
SCHEDULER_START_MEMORY_QUEUE = "atlantico.queues.CompactFifoMemoryQueue"

# --- Quality gates and subscribed feeds -------------------------------------------------------

# Invalid items (missing a required field, or breaking the schema) go there with their errors,
# one file per run, created at the first reject only. Empty: off.
ATLANTICO_REJECTS_URI = os.environ.get(
    "ATLANTICO_REJECTS_URI", "feeds/%(name)s-rejects-%(time)s.jsonl"
)
# The run history (runs.jsonl) for the drift alarm lives in ATLANTICO_STATE_DIR.

# Spidermon (default off): the monitors in atlantico/monitoring/ run when the spider closes; a
# failed one sets the stat atlantico/monitors/failed (> 0) and prints a report.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("atlantico.monitoring.suites.CloseSpiderSuite",)
# An object path, not a file path: the schema loads from the zipped egg Scrapyd runs too.
SPIDERMON_VALIDATION_SCHEMAS = ["atlantico.schema.ARTICLE_SCHEMA"]
# Default False (count only): an invalid item is kept out of the feeds, into the rejects.
SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS = True
# Default: no limit. Follows ATLANTICO_MAX_ERRORS, the one error limit (the add-on
# atlantico/addons/scrapy_settings.py copies it here, -1 meaning no limit).
SPIDERMON_MAX_ERRORS = ATLANTICO_MAX_ERRORS if ATLANTICO_MAX_ERRORS >= 0 else 2**31
# Default: no limit. A few warnings (a pagination loop stopped) are normal on a live site.
SPIDERMON_MAX_WARNINGS = 10
# The default ["finished"], said here because the monitor relies on it.
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
# Default: 10 of each of 400, 407, 429, 500, 502, 503, 504... Being refused (403, 429) means
# the crawler is blocked; server errors a few times are the site's hiccups; missing pages
# more than 5 % of the requests mean broken links or a changed URL scheme.
SPIDERMON_UNWANTED_HTTP_CODES = {
    403: 0,
    429: 0,
    404: {"max_percentage": 0.05},
    500: 3,
    502: 3,
    503: 3,
    504: 3,
}
# Articles a crawled section must yield (0: no check, e.g. for short `since` windows).
ATLANTICO_MIN_ITEMS_PER_SECTION = int(os.environ.get("ATLANTICO_MIN_ITEMS_PER_SECTION", "1"))
# Minimum coverage per field, in percent of its denominator (atlantico/pipelines/coverage.py):
# every article has a title; a date goes missing on very few; authors on signed articles;
# bodies on free articles.
ATLANTICO_MIN_COVERAGE = {"headline": 100, "datePublished": 99, "authors": 90, "articleBody": 95}
# Rejected items allowed, in percent of the articles read.
ATLANTICO_MAX_REJECTED_PERCENT = 5.0
# Drift (atlantico/monitoring/drift.py): against the mean of the last runs in the history, a
# field's coverage may fall by at most this many points, and a source filling a field may
# lose at most this many points of its share (JSON-LD vanishing, fallbacks taking over).
ATLANTICO_DRIFT_COVERAGE_POINTS = 10.0
ATLANTICO_DRIFT_SOURCE_POINTS = 20.0
ATLANTICO_DRIFT_BASELINE_RUNS = 5

# Full-text Atom feed per section, overwritten by each run at a stable path to subscribe to
# ("{section}" is the section key). Empty: off. `-O file` replaces them like the default feed.
ATLANTICO_ATOM_URI = os.environ.get("ATLANTICO_ATOM_URI", "feeds/atlantico-{section}.atom")
# The add-on (atlantico/addons/feeds.py) adds one Atom feed per section to FEEDS.

# --- JavaScript rendering (scrapy-playwright) ------------------------------------------------

# auto: a page goes to a browser only when its static HTML fails a clear test (a listing with a
# "voir plus" button and no next link; an article built by a client-side app); never: no
# browser at all; always: every page rendered (20 to 30 times slower).
ATLANTICO_RENDER = os.environ.get("ATLANTICO_RENDER", "auto")
# The Chromium executable. Empty: Playwright's own build (`playwright install chromium`), else
# the system's (/usr/bin/chromium, Debian's `chromium` package).
ATLANTICO_BROWSER_PATH = os.environ.get("ATLANTICO_BROWSER_PATH", "")
# "voir plus" clicks on one rendered listing, at most: a button that never runs out (an endless
# feed) must not hold the browser forever. 50 clicks of ~20 cards cover ~1,000 articles.
ATLANTICO_RENDER_MAX_CLICKS = int(os.environ.get("ATLANTICO_RENDER_MAX_CLICKS", "50"))
# Milliseconds a click may take to load cards, and an app to fill an article's body.
ATLANTICO_RENDER_WAIT_MS = 10_000
# Abort browser requests to hosts other than the site's. Off by default: the paywall runs from
# a third-party script, and blocking it could reveal premium text. The tests turn it on.
ATLANTICO_RENDER_BLOCK_THIRD_PARTY = os.environ.get("ATLANTICO_RENDER_BLOCK_THIRD_PARTY") == "1"
PLAYWRIGHT_BROWSER_TYPE = "chromium"  # the default, said here: only Chromium is set up
# Default {}. Chromium flags for containers and closed networks: no sandbox (it cannot start as
# root without it), no GPU, and none of the background connections (updates, sync, safe
# browsing) that a closed network refuses and that slow every launch.
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}
# Default None (Playwright's 30 s): one page may not hold the crawl longer than 20 s.
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
# Default: unlimited contexts, CONCURRENT_REQUESTS pages each. One context, two pages: rendered
# pages are few, and each open page costs 50-100 MB.
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
# Default 0 (no warning, no limit). scrapy-playwright's memory extension (enabled by the
# add-on) adds the RSS of every browser process, shared pages once per process: a healthy
# browser with two pages reads 1.1-1.4 GB. Warn past 2 GB, stop the run past 4 GB (a leak).
MEMUSAGE_WARNING_MB = 2048
MEMUSAGE_LIMIT_MB = 4096

# --- Faults, bad input and hostile servers (docs/RELIABILITY.md) -----------------------------

# The downloader middlewares that guard against these are in DOWNLOADER_MIDDLEWARES above.
# The replica of the tests runs on 127.0.0.1; everywhere else a private, loopback or link-local
# address is refused (a redirect or a DNS answer must not point the crawler inside a network).
ATLANTICO_ALLOW_PRIVATE_HOSTS = os.environ.get("ATLANTICO_ALLOW_PRIVATE_HOSTS", "") in {"1", "True"}
# Default: every handler. Only http(s) is crawled; a file:, data:, ftp: or s3: URL from a page
# must not read the local disk or reach another service.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# Default 180 s. An article page answers in well under a second; a server that keeps a socket
# open for a minute is not going to answer.
DOWNLOAD_TIMEOUT = 30
# Defaults 1 GB and 32 MB. Article pages weigh about 100 KB; 10 MB is a page gone wrong (or a
# compression bomb, which is also measured after decompression), and 2 MB is worth a warning.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Default 20. Legacy article URLs redirect once [inferred]; five hops is a loop.
REDIRECT_MAX_TIMES = 5
# A pause the site asks for (Retry-After) is waited out up to this many seconds; beyond it, the
# host's requests are deferred to the next run. Five minutes is nothing for a scheduled run.
ATLANTICO_RETRY_AFTER_MAX = float(os.environ.get("ATLANTICO_RETRY_AFTER_MAX", "300"))
# Without Retry-After, a failing host is left alone BASE × 2^(n−1) seconds after its n-th
# failure in a row, at most MAX (Scrapy's default retries at once).
ATLANTICO_BACKOFF_BASE = 2.0
ATLANTICO_BACKOFF_MAX = 60.0
# This many 5xx responses in a row stop the run (finish reason "server_errors"): the site is
# down or refusing the crawler. 0 switches the check off.
ATLANTICO_SERVER_ERROR_LIMIT = int(os.environ.get("ATLANTICO_SERVER_ERROR_LIMIT", "20"))
# Listing pages per section that no run exceeds, even with max_pages=0 (a whole section holds a
# few thousand pages at most [inferred]): an endless "next" chain (a broken paginator) stops here.
ATLANTICO_LISTING_PAGE_LIMIT = 20000
# Listing pages a section's walk asks ahead of the one it needs while its pages show only new
# articles and its URLs number the pages (atlantico/discovery/ahead.py; pages are still taken
# in order). `auto`: 4 when DOWNLOAD_DELAY is under 0.1 s (a fast crawl, whose walk would be a
# chain of round trips that every article request waits for), else 0: at a polite pace the
# delay sets the walk's speed, and no page the walk may not need is asked. 0: page by page.
ATLANTICO_LISTING_AHEAD = os.environ.get("ATLANTICO_LISTING_AHEAD", "auto")

# --- Discovery (atlantico/discovery/) ----------------------------------------------------------

# When the home page links no section, this many recent articles per missing section (from
# rss.xml and the news sitemap) are read for the category link they print above the image
# (SITE.md §3). They are kept and parsed once, not fetched again. 0 switches the probe off.
ATLANTICO_SECTION_PROBES = int(os.environ.get("ATLANTICO_SECTION_PROBES", "3"))
# A section with no listing found is read from the sitemaps (last resort). An incremental run
# then reads only this many of the most recently changed monthly sitemaps (0: all of them); a
# backfill or a run with `since` chooses by date instead.
ATLANTICO_FALLBACK_SITEMAPS = int(os.environ.get("ATLANTICO_FALLBACK_SITEMAPS", "2"))
# Parts of one multi-page article that are followed at most (a pager looping on itself stops
# here; the item is then marked truncated).
ATLANTICO_ARTICLE_MAX_PARTS = 50
# `scrapy check atlantico` runs the contracts in the spider's callback docstrings; `@site_url
# PATH` requests ATLANTICO_CHECK_BASE_URL + PATH (default: ATLANTICO_BASE_URL), so that the
# checks run offline against the replica (`python -m tests.replica serve`).
SPIDER_CONTRACTS = {
    "atlantico.spiders.contracts.SiteUrlContract": 10,
    "atlantico.spiders.contracts.FindsSectionsContract": 11,
    "atlantico.spiders.contracts.ListsArticlesContract": 12,
}
ATLANTICO_CHECK_BASE_URL = os.environ.get("ATLANTICO_CHECK_BASE_URL", "")
# The article the contract of the article callback reads: the page of seed-page.txt (SITE.md),
# which the replica serves at the same path.
ATLANTICO_CHECK_ARTICLE_PATH = (
    "/article/pepite/elon-musk-confie-quetre-proprietaire-de-twitter-est-assez-douloureux"
)

# --- PostgreSQL store and the corpus (issue 15) ----------------------------------------------
# A postgresql:// URL moves the store (articles, aliases, revisions, runs, the run lock) and the
# corpus tables to that database, shared by crawlers on several hosts (README, "PostgreSQL").
# Empty (the default): the SQLite file in ATLANTICO_STATE_DIR.
ATLANTICO_DATABASE_URL = os.environ.get("ATLANTICO_DATABASE_URL", "")

# --- Runs: retry queue, revisits, settings from -s and the environment (issue 12) -----------

# An article this run could not deliver (failed for good, refused redirect, deferred by a
# host's pause) is queued in the store and requested first by every later run; after this
# many failed attempts it is given up (an ERROR, a stat, a line in the manifest). Deferrals
# are not attempts.
ATLANTICO_RETRY_MAX_ATTEMPTS = 5
# Revisits (atlantico/retry_queue.py): each run asks again, with If-None-Match /
# If-Modified-Since, for at most ATLANTICO_REVISIT_PER_RUN exported articles published within
# ATLANTICO_REVISIT_WINDOW_DAYS and not fetched for ATLANTICO_REVISIT_AFTER_HOURS, least
# recently fetched first: an unchanged page costs a 304 and no body. 0 switches it off.
ATLANTICO_REVISIT_PER_RUN = 20
ATLANTICO_REVISIT_AFTER_HOURS = 24.0
ATLANTICO_REVISIT_WINDOW_DAYS = 30.0

# --- First-hour conveniences (issue 13) ------------------------------------------------------
# Set by `scrapy shell` (atlantico/commands/shell.py), never by hand: the offsite guard then
# refuses a request in its downloader hook, where the shell's fetch hears of it, rather than
# at scheduling, where a dropped request leaves the shell waiting forever.
ATLANTICO_INTERACTIVE = False
# The flat-export profile of the csv format (flat, news-please, trafilatura; FEED_EXPORTERS).
ATLANTICO_EXPORT_PROFILE = os.environ.get("ATLANTICO_EXPORT_PROFILE", "flat")
# A progress line with the project's counters (listed, requested, fetched, exported, queued,
# retries, dropped) every this many seconds, beside LogStats' pages/min (0: off;
# atlantico/extensions/progress.py). A minute: often enough for a backfill of thousands.
ATLANTICO_PROGRESS_INTERVAL = float(os.environ.get("ATLANTICO_PROGRESS_INTERVAL", "60"))
# robots.txt's Crawl-delay is honoured when larger than DOWNLOAD_DELAY, up to this many seconds
# (a larger one is capped with a warning: an hour between requests would never finish a run).
ATLANTICO_CRAWL_DELAY_MAX = float(os.environ.get("ATLANTICO_CRAWL_DELAY_MAX", "60"))
# Notifications of a failed run (atlantico/monitoring/notify.py), each off while empty: e-mail
# to these addresses (comma-separated) through this SMTP relay, a Slack incoming webhook, and
# any webhook (a JSON POST). They carry the failure report the run prints.
ATLANTICO_NOTIFY_EMAIL_TO = os.environ.get("ATLANTICO_NOTIFY_EMAIL_TO", "")
ATLANTICO_NOTIFY_EMAIL_FROM = os.environ.get("ATLANTICO_NOTIFY_EMAIL_FROM", "atlantico@localhost")
ATLANTICO_NOTIFY_SMTP_HOST = os.environ.get("ATLANTICO_NOTIFY_SMTP_HOST", "localhost")
ATLANTICO_NOTIFY_SMTP_PORT = int(os.environ.get("ATLANTICO_NOTIFY_SMTP_PORT", "25"))
ATLANTICO_NOTIFY_SMTP_USER = os.environ.get("ATLANTICO_NOTIFY_SMTP_USER", "")
ATLANTICO_NOTIFY_SMTP_PASSWORD = os.environ.get("ATLANTICO_NOTIFY_SMTP_PASSWORD", "")
ATLANTICO_NOTIFY_SMTP_STARTTLS = os.environ.get("ATLANTICO_NOTIFY_SMTP_STARTTLS", "") in {
    "1",
    "True",
}
ATLANTICO_NOTIFY_SLACK_WEBHOOK = os.environ.get("ATLANTICO_NOTIFY_SLACK_WEBHOOK", "")
ATLANTICO_NOTIFY_WEBHOOK = os.environ.get("ATLANTICO_NOTIFY_WEBHOOK", "")

# Every ATLANTICO_* setting can come from the environment, as a string Scrapy's getters read
# (getint, getbool, getdict with JSON). Precedence: -s > environment > the defaults above.
for _name in [name for name in globals() if name.startswith("ATLANTICO_")]:
    if _name in os.environ:
        globals()[_name] = os.environ[_name]
