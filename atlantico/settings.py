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
# Unless ATLANTICO_RENDER is `never`, this add-on installs scrapy-playwright's download handler,
# the render middleware, the browser provider and abort policy, and scrapy-playwright's memory
# extension (see atlantico/addons/render.py). An add-on, because `-s ATLANTICO_RENDER=never`
# on the command line must also leave the browser out.
ADDONS = {"atlantico.addons.render.RenderAddon": 0}
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
