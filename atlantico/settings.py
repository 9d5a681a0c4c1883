"""Scrapy settings of the Atlantico crawler.

Every value that differs from Scrapy's default says why, and the default it replaces. Values a
user is likely to change come from the environment (``ATLANTICO_*``); any of them can also be
set for one run with ``scrapy crawl atlantico -s NAME=VALUE``.
"""

from __future__ import annotations

import os

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
CONCURRENT_REQUESTS_PER_DOMAIN = int(os.environ.get("ATLANTICO_CONCURRENCY", "1"))
DOWNLOAD_DELAY = float(os.environ.get("ATLANTICO_DOWNLOAD_DELAY", "1.0"))
AUTOTHROTTLE_ENABLED = True  # default False: adapt the pace to the site's response times
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY  # default 5.0: start at the polite pace above
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # the default, said here because politeness relies on it
# Development: cache every response on disk so that re-running the spider costs the site
# nothing (ATLANTICO_HTTPCACHE=1). Default off.
HTTPCACHE_ENABLED = os.environ.get("ATLANTICO_HTTPCACHE", "0") == "1"
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 24 * 3600  # default 0 (never expires): a day-old listing is stale

# --- Pipeline and feeds ----------------------------------------------------------------------

ITEM_PIPELINES = {
    "atlantico.pipelines.provenance.ProvenancePipeline": 100,
    "atlantico.pipelines.validate.ValidatePipeline": 200,
    "atlantico.pipelines.dedupe.DedupePipeline": 300,
}
# One JSON Lines file per run (default: no feed). `scrapy crawl atlantico -O file.jsonl`
# replaces it, as Scrapy users expect.
ATLANTICO_FEED_URI = os.environ.get("ATLANTICO_FEED_URI", "feeds/%(name)s-%(time)s.jsonl")
FEEDS = {
    ATLANTICO_FEED_URI: {
        "format": "jsonlines",
        "encoding": "utf8",  # accents as they are, not \u00e9
        "store_empty": False,
    }
}
# Default None, which escapes every non-ASCII character in JSON feeds.
FEED_EXPORT_ENCODING = "utf-8"

EXTENSIONS = {"atlantico.extensions.statsfile.StatsFile": 500}
# Where the final stats of a run go as JSON (off when empty).
ATLANTICO_STATS_FILE = os.environ.get("ATLANTICO_STATS_FILE", "")

# --- Scrapy runtime --------------------------------------------------------------------------

# The default since Scrapy 2.13, said here because scrapy-playwright needs it.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = os.environ.get("ATLANTICO_LOG_LEVEL", "INFO")  # default DEBUG: one line per request
# Default True; the console listens on a local port nobody uses here.
TELNETCONSOLE_ENABLED = False

# --- Faults, bad input and hostile servers (docs/RELIABILITY.md) -----------------------------

# Order matters. process_request runs low → high: refuse foreign hosts before robots.txt is
# even fetched for them, then robots.txt, then the per-host pause. process_response runs
# high → low: check a compressed stream (595) before Scrapy opens it (590), fix the charset of
# the opened page (585), read Retry-After (560) before Scrapy's retry (550)
# sends the request again, then judge what is left once retries are over (540 and below).
# Redirect loops are counted (610) before Scrapy's redirect middleware (600) drops them.
DOWNLOADER_MIDDLEWARES = {
    "atlantico.middlewares.offsite_guard.OffsiteGuardMiddleware": 40,
    # Scrapy's allows everything when robots.txt answers 5xx or times out; RFC 9309 says
    # the opposite.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "atlantico.middlewares.robots_guard.RobotsGuardMiddleware": 100,
    "atlantico.middlewares.failures.FailureReportMiddleware": 530,
    "atlantico.middlewares.content_guard.ContentGuardMiddleware": 535,
    "atlantico.middlewares.gone.GoneMiddleware": 540,
    "atlantico.middlewares.retry_after.RetryAfterMiddleware": 560,
    "atlantico.middlewares.charset.CharsetMiddleware": 585,
    "atlantico.middlewares.compression_guard.CompressionGuardMiddleware": 595,
    "atlantico.middlewares.redirect_guard.RedirectGuardMiddleware": 610,
    # Last before the download handler: holds the per-host concurrency limit (see its module).
    "atlantico.middlewares.concurrency_guard.ConcurrencyGuardMiddleware": 1000,
    # Counts every 5xx before any retry; refuses what is still queued once the run stops.
    "atlantico.middlewares.storm.ServerErrorStormMiddleware": 1010,
}
ITEM_PIPELINES.update(
    {
        # Before validation and deduplication, which read the text and the canonical URL.
        "atlantico.pipelines.text_guard.TextGuardPipeline": 150,
        "atlantico.pipelines.canonical_guard.CanonicalGuardPipeline": 250,
    }
)
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
