"""JavaScript rendering (ATLANTICO_RENDER): only the pages that need it go to the browser.

The pages that need it are the replica's scripted variants (tests/replica/scripted.py): a
listing that loads its cards with a "Voir plus" button, and articles built by a script. The
tests marked ``browser`` drive a real Chromium (Debian's, installed by .ci/run).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from atlantico.addons.render import BROWSER_MEMUSAGE, HANDLER, MIDDLEWARE, RenderAddon
from atlantico.browser import system_chromium
from atlantico.extract.rendering import render_reason
from atlantico.middlewares.content_guard import JUDGED_BY_READER
from atlantico.middlewares.render import RENDER_BY_READER, RenderMiddleware, rendering_request
from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer, generate_site, scripted
from tests.test_crawl import comparable

BROWSER = os.environ.get("ATLANTICO_BROWSER_PATH") or system_chromium()
browser = pytest.mark.browser
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium: apt-get install chromium (Debian/Ubuntu) or set ATLANTICO_BROWSER_PATH",
)
SECTION = "high-tech"
# The browser may reach the replica only.
OFFLINE = {"ATLANTICO_RENDER_BLOCK_THIRD_PARTY": "1"}


def scripted_crawl(server: ReplicaServer, workdir: Path, **settings: str) -> CrawlResult:
    """A crawl of one section whose listing is the scripted "Voir plus" variant."""
    url = server.base_url + scripted.listing_path(SECTION)
    return run_crawl(
        server.base_url,
        workdir,
        f"sections={SECTION}",
        settings={"ATLANTICO_SECTION_URLS": json.dumps({SECTION: url}), **OFFLINE, **settings},
    )


def paths_seen(server: ReplicaServer) -> list[str]:
    return [record.path for record in server.requests if record.method == "GET"]


# --- the static tests (no browser) -------------------------------------------------------------


def page(site: Any, path: str) -> HtmlResponse:
    return HtmlResponse(site.url(path), body=site.get(path).body, encoding="utf-8")


def test_no_page_of_the_normal_replica_needs_rendering() -> None:
    site = generate_site(60, 1234)
    html = [
        path
        for path, answer in site.pages.items()
        if answer.status == 200 and "html" in dict(answer.headers)["Content-Type"]
    ]
    assert len(html) > 60
    assert {path: render_reason(page(site, path)) for path in html} == dict.fromkeys(html)


def test_the_scripted_pages_fail_the_static_tests() -> None:
    site = generate_site(60, 1234)
    assert render_reason(page(site, scripted.listing_path(SECTION))) == "load_more"
    apps = scripted.app_articles(site, SECTION)
    assert len(apps) == 2
    for art in apps:
        assert render_reason(page(site, scripted.app_variant(art).canonical_path)) == "client_app"


def test_a_load_more_button_beside_a_next_link_needs_no_browser() -> None:
    response = HtmlResponse(
        "https://atlantico.fr/decryptages",
        body=b'<main><article><a href="/article/decryptage/a">A</a></article>'
        b'<button>Voir plus</button><a rel="next" href="/decryptages?page=2">2</a></main>',
        encoding="utf-8",
    )
    assert render_reason(response) is None


def test_an_empty_article_with_json_ld_needs_no_browser() -> None:
    # JSON-LD present: the page is served for machines, a missing body is a drift to report,
    # not a reason to pay for a browser.
    response = HtmlResponse(
        "https://atlantico.fr/article/decryptage/a",
        body=b'<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H"}'
        b'</script><div id="__next"></div><div class="rich-content__text"></div>',
        encoding="utf-8",
    )
    assert render_reason(response) is None


def addon_settings(**values: str) -> Any:
    settings = Settings({"ATLANTICO_BASE_URL": "https://atlantico.fr", **values})
    RenderAddon(get_crawler()).update_settings(settings)
    return settings


def test_never_installs_no_browser_component() -> None:
    settings = addon_settings(ATLANTICO_RENDER="never")
    assert HANDLER not in settings.getdict("DOWNLOAD_HANDLERS").values()
    assert MIDDLEWARE not in settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert BROWSER_MEMUSAGE not in settings.getdict("EXTENSIONS")


def test_auto_installs_the_handler_middleware_and_memory_extension() -> None:
    settings = addon_settings(ATLANTICO_RENDER="auto", ATLANTICO_BROWSER_PATH="/opt/chrome")
    assert settings.getdict("DOWNLOAD_HANDLERS") == {"http": HANDLER, "https": HANDLER}
    assert MIDDLEWARE in settings.getdict("DOWNLOADER_MIDDLEWARES")
    extensions = settings.getdict("EXTENSIONS")
    assert extensions[BROWSER_MEMUSAGE] == 0
    assert extensions["scrapy.extensions.memusage.MemoryUsage"] is None
    assert settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")["executable_path"] == "/opt/chrome"


def test_an_unknown_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="ATLANTICO_RENDER='sometimes'"):
        addon_settings(ATLANTICO_RENDER="sometimes")


def test_the_normal_replica_in_auto_renders_nothing(full_crawl: CrawlResult) -> None:
    stats = full_crawl.stats
    assert stats.get("atlantico/render/rendered", 0) == 0
    assert not [key for key in stats if key.startswith("atlantico/render/escalated")]
    # Every HTML page was tested: the home page, 6 listing pages, the articles.
    assert stats["atlantico/render/static"] == 1 + 6 + len(full_crawl.items)
    # Playwright never started: no browser, and not even its Node driver.
    assert "playwright/browser_count" not in stats
    assert "Launching browser" not in full_crawl.log


def test_never_reads_only_the_static_cards(replica: ReplicaServer, tmp_path: Path) -> None:
    replica.clear_requests()
    result = scripted_crawl(replica, tmp_path, ATLANTICO_RENDER="never")
    # The feed holds what the static pages gave; the run is flagged as failed: an article
    # lost its body, which the coverage monitor reports.
    assert result.returncode == 1, result.log[-3000:]
    assert "Field coverage" in result.stats["atlantico/monitors/failures"]
    static = scripted.entries(replica.site, SECTION)[: scripted.STATIC_CARDS]
    # The script-built article among them has no body without a browser: dropped, counted.
    assert len(result.items) == scripted.STATIC_CARDS - 1
    assert result.stats["atlantico/dropped/invalid/articleBody"] == 1
    assert not [key for key in result.stats if key.startswith(("atlantico/render", "playwright"))]
    assert {item["canonicalUrl"] for item in result.items} < {
        replica.site.canonical_url(art) for art, _href in static
    }


def test_without_a_browser_one_error_a_stat_and_the_static_feed(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    replica.clear_requests()
    result = scripted_crawl(replica, tmp_path, ATLANTICO_BROWSER_PATH="/nowhere/chromium")
    # A run that needed a browser and had none is a failed run (exit 1), with its static feed.
    assert result.returncode == 1, result.log[-3000:]
    errors = [
        line for line in result.log.splitlines() if "[atlantico.middlewares.render] ERROR:" in line
    ]
    assert len(errors) == 1, errors
    assert "no browser is available" in errors[0]
    assert "/nowhere/chromium" in errors[0]
    assert "playwright install chromium" in errors[0]
    assert "apt-get install chromium" in errors[0]
    # The listing and the script-built article among its static cards needed a browser.
    assert result.stats["atlantico/render/unavailable"] == 2
    assert "atlantico/render/rendered" not in result.stats
    assert "playwright/browser_count" not in result.stats
    # The crawl went on with the static pages: the static cards, less the bodiless article.
    assert len(result.items) == scripted.STATIC_CARDS - 1
    assert result.stats["atlantico/dropped/invalid/articleBody"] == 1
    assert not [path for path in paths_seen(replica) if path.startswith("/api/")]


# --- the browser tests -----------------------------------------------------------------------


@pytest.fixture(scope="module", params=["0", "1"], ids=["read_here", "read_in_worker"])
def rendered(
    request: pytest.FixtureRequest, replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """One auto crawl of the scripted listing, with the paths the replica saw: article pages
    read in the crawl's process (tested by the render middleware) or in a worker (tested on
    the worker's tree, then asked again to be rendered)."""
    if BROWSER is None:
        pytest.skip("no Chromium: apt-get install chromium or set ATLANTICO_BROWSER_PATH")
    replica.clear_requests()
    workdir = tmp_path_factory.mktemp("rendered")
    result = scripted_crawl(replica, workdir, ATLANTICO_READ_WORKERS=request.param)
    return result, paths_seen(replica)


@browser
@needs_browser
def test_the_script_only_listing_yields_every_article(
    rendered: Any, replica: ReplicaServer
) -> None:
    result, seen = rendered
    assert result.returncode == 0, result.log[-3000:]
    truth = scripted.truth(replica.site, SECTION)
    by_key = {item["canonicalUrl"]: item for item in result.items}
    assert sorted(by_key) == sorted(truth)
    assert len(result.items) == len(replica.site.listings[SECTION]) > scripted.STATIC_CARDS
    mismatches = {
        key: {f: (got[f], want) for f, want in expected.items() if got[f] != want}
        for key, expected in truth.items()
        if (got := comparable(by_key[key], expected)) != expected
    }
    assert mismatches == {}
    # Every "Voir plus" page was fetched by the browser, once, and the button ran out.
    total = len(replica.site.listings[SECTION])
    offsets = range(scripted.STATIC_CARDS, total, scripted.API_PAGE)
    api = [path for path in seen if path.startswith("/api/")]
    assert api == [scripted.api_path(SECTION, offset) for offset in offsets]
    stats = result.stats
    assert stats["atlantico/render/escalated/load_more"] == 1
    assert stats["atlantico/render/load_more/clicks"] == len(offsets)
    assert stats["atlantico/render/load_more/exhausted"] == 1
    assert stats["atlantico/listing/stopped/last_page"] == 1


@browser
@needs_browser
def test_only_the_pages_that_need_it_are_rendered(rendered: Any, replica: ReplicaServer) -> None:
    result, seen = rendered
    stats = result.stats
    apps = [
        scripted.app_variant(a).canonical_path for a in scripted.app_articles(replica.site, SECTION)
    ]
    # The listing and the two script-built articles, each fetched statically then rendered.
    assert stats["atlantico/render/rendered"] == 3
    assert stats["atlantico/render/escalated/client_app"] == 2
    assert stats["atlantico/render/static"] == len(result.items) - 2
    assert seen.count(scripted.listing_path(SECTION)) == 2
    for path in apps:
        assert seen.count(path) == 2
    # scrapy-playwright closed every page it opened.
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"] == 3
    assert stats["playwright/browser_count"] == 1
    assert "Launching browser" in result.log
    # Bounded: no image, no third-party host, as the replica's requests confirm.
    assert stats["atlantico/render/aborted/third_party"] == 2
    assert stats["atlantico/render/aborted/image"] >= 2
    assert not [path for path in seen if path.endswith((".jpg", ".png", ".js"))]


@browser
@needs_browser
def test_the_script_built_article_yields_its_full_body(
    rendered: Any, replica: ReplicaServer
) -> None:
    result, _seen = rendered
    by_key = {item["canonicalUrl"]: item for item in result.items}
    for art in scripted.app_articles(replica.site, SECTION):
        variant = scripted.app_variant(art)
        item = by_key[replica.site.canonical_url(variant)]
        assert item["articleBody"] == "\n\n".join(art.body_texts)
        assert item["articleBody"]
        assert item["metadata"]["sources"]["articleBody"] == "dom"
    assert "atlantico/render/body_timeout" not in result.stats


@browser
@needs_browser
def test_the_clicks_are_capped(replica: ReplicaServer, tmp_path: Path) -> None:
    replica.clear_requests()
    result = scripted_crawl(replica, tmp_path, ATLANTICO_RENDER_MAX_CLICKS="2")
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["atlantico/render/load_more/capped"] == 1
    assert result.stats["atlantico/render/load_more/clicks"] == 2
    assert len(result.items) == scripted.STATIC_CARDS + 2 * scripted.API_PAGE
    assert [path for path in paths_seen(replica) if path.startswith("/api/")] == [
        scripted.api_path(SECTION, scripted.STATIC_CARDS + k * scripted.API_PAGE) for k in (0, 1)
    ]
    assert "the listing may be incomplete" in result.log


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                # The command name, in parentheses, may hold spaces: split after it.
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _field(path: str, name: str) -> int:
    """A ``Name:  N kB`` line of a /proc file, in bytes."""
    with open(path, encoding="utf-8") as lines:
        line = next(line for line in lines if line.startswith(name))
    return int(line.split()[1]) * 1024


def browser_memory() -> tuple[int, int, int]:
    """(RSS, PSS, processes) of the Chromium processes below this test process.

    RSS counts the pages Chromium's processes share once per process; PSS splits them, so
    their sum is what the browser really holds.
    """
    tree, rss, pss, count = _children(), 0, 0, 0
    stack = list(tree.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
                if "chrom" not in comm.read():
                    continue
            one_rss = _field(f"/proc/{pid}/status", "VmRSS:")
            one_pss = _field(f"/proc/{pid}/smaps_rollup", "Pss:")
        except (OSError, StopIteration):
            continue  # the process ended meanwhile
        rss, pss, count = rss + one_rss, pss + one_pss, count + 1
    return rss, pss, count


class Sampler(threading.Thread):
    """Samples the browser's memory every half second while a crawl runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_rss = self.peak_pss = self.processes = self.samples = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            rss, pss, count = browser_memory()
            self.samples += 1
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.processes = max(self.processes, count)


MEMORY_BOUND = 1536 * 1024 * 1024


@browser
@needs_browser
@pytest.mark.timeout(400)
def test_200_rendered_pages_keep_the_browser_memory_bounded(tmp_path: Path) -> None:
    with ReplicaServer(n_articles=200, seed=77) as server:
        sampler = Sampler()
        sampler.start()
        try:
            result = run_crawl(
                server.base_url,
                tmp_path,
                settings={
                    "ATLANTICO_RENDER": "always",
                    "MEMUSAGE_CHECK_INTERVAL_SECONDS": "1",
                    # A shared, loaded machine: slow pages are not what this test measures.
                    "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": "60000",
                    **OFFLINE,
                },
                timeout=360,
            )
        finally:
            sampler.done.set()
            sampler.join()
        truth = server.truth
    assert result.returncode == 0, result.log[-3000:]
    stats = result.stats
    assert stats["atlantico/render/rendered"] >= 200
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"]
    assert stats["playwright/page_count/max_concurrent"] <= 2
    assert stats["playwright/browser_count"] == 1
    # Rendering changes nothing in what is extracted.
    by_key = {item["canonicalUrl"]: item for item in result.items}
    assert sorted(by_key) == sorted(truth)
    assert [k for k, want in truth.items() if comparable(by_key[k], want) != want] == []
    print(
        f"\n{stats['atlantico/render/rendered']} rendered pages: Chromium peak RSS "
        f"{sampler.peak_rss / 2**20:.0f} MiB, peak PSS {sampler.peak_pss / 2**20:.0f} MiB, "
        f"up to {sampler.processes} processes ({sampler.samples} samples); "
        f"memusage/max {stats['memusage/max'] / 2**20:.0f} MiB"
    )
    assert sampler.processes > 0, "no Chromium process was seen below the test"
    assert sampler.peak_rss < MEMORY_BOUND
    # scrapy-playwright's memory extension counted the browser too.
    assert stats["memusage/max"] > stats["memusage/startup"] + 50 * 2**20
    assert "memusage/warning_reached" not in stats


def test_memory_check_survives_a_browser_process_that_exits() -> None:
    # Chromium's helper processes come and go; one gone between two psutil calls is no error.
    import subprocess as sp

    import psutil

    from atlantico.extensions.memusage import BrowserMemoryUsage

    extension = BrowserMemoryUsage.__new__(BrowserMemoryUsage)
    extension.psutil = psutil
    child = sp.Popen(["true"])
    process = psutil.Process(child.pid)
    child.wait()
    assert extension._get_descendant_processes(process) == []


def test_always_leaves_a_redirect_probe_to_the_static_download() -> None:
    """A browser follows redirects: a request that asks for the 301 itself (a legacy URL being
    resolved) is downloaded statically even with ATLANTICO_RENDER=always."""
    crawler = get_crawler(settings_dict={"ATLANTICO_RENDER": "always"})
    middleware = RenderMiddleware.from_crawler(crawler)
    probe = Request("https://atlantico.fr/decryptage/123/un-titre", meta={"dont_redirect": True})
    page = Request("https://atlantico.fr/article/decryptage/un-titre")
    middleware.process_request(probe)
    middleware.process_request(page)
    assert not probe.meta.get("playwright")
    assert page.meta.get("playwright") is True


def test_an_article_read_in_a_worker_is_left_to_its_reader_and_asked_again_to_render() -> None:
    """With reading workers (JUDGED_BY_READER) the middleware does not test an article page: it
    flags it for its reader, which tests the tree it builds anyway. A page the reader finds
    built in the browser comes back as rendering_request: rendered, with no second test."""
    crawler = get_crawler(settings_dict={"ATLANTICO_RENDER": "auto"})
    assert crawler.stats is not None
    crawler.stats.open_spider()
    middleware = RenderMiddleware.from_crawler(crawler)
    site = generate_site(40, 1234)
    art = scripted.app_articles(site, SECTION)[0]
    variant = scripted.app_variant(art)
    url = site.url(variant.canonical_path)
    html = scripted.app_article_page(site, variant).encode()
    asked = Request(url, meta={JUDGED_BY_READER: True, "sections": [SECTION]}, priority=3)
    static = HtmlResponse(url, body=html, encoding="utf-8", request=asked)
    assert middleware.process_response(asked, static) is static
    assert asked.meta[RENDER_BY_READER] is True
    assert static._cached_selector is None  # not parsed here
    assert crawler.stats.get_value("atlantico/render/static") is None  # counted by the reader
    assert not [k for k in crawler.stats.get_stats() if k.startswith("atlantico/render/esc")]
    # A listing page is still tested here, reader or not.
    listing = site.url(scripted.listing_path(SECTION))
    page_request = Request(listing, meta={JUDGED_BY_READER: True})
    answer = HtmlResponse(
        listing, body=scripted.listing_page(site, SECTION).encode(), request=page_request
    )
    again = middleware.process_response(page_request, answer)
    assert isinstance(again, Request)
    assert again.meta.get("playwright") is True

    again = rendering_request(asked, sections=[SECTION, "decryptages"])
    assert again.dont_filter
    assert again.priority == 4
    assert again.url == url
    assert RENDER_BY_READER not in again.meta
    assert again.meta["sections"] == [SECTION, "decryptages"]
    middleware.process_request(again)
    assert again.meta["playwright"] is True
    assert again.meta["dont_cache"] is True
    assert crawler.stats.get_value("atlantico/render/escalated/client_app") == 1
    # Without a browser: fetched as served, never flagged for its reader again.
    middleware.unavailable = "ATLANTICO_BROWSER_PATH=/nowhere"
    static_again = rendering_request(asked)
    middleware.process_request(static_again)
    assert not static_again.meta.get("playwright")
    assert crawler.stats.get_value("atlantico/render/unavailable") == 1
    served = HtmlResponse(url, body=html, encoding="utf-8", request=static_again)
    assert middleware.process_response(static_again, served) is served
    assert RENDER_BY_READER not in static_again.meta
