"""Start-up loads only what the run uses before its first request: Scrapy's remote control is
left out (it would import aiohttp); the extractors' optional heavy libraries, Spidermon (and
jsonschema with it) and the article extraction wait until they are needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scrapy.settings import Settings, default_settings

from atlantico import settings as project

ROOT = Path(__file__).resolve().parent.parent
REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"

# Builds the crawler of `scrapy crawl atlantico` with its extensions, middlewares and pipelines,
# as the command does before the first request, in a fresh interpreter, and lists what got
# imported.
PROBE = """
import json, sys
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.crawler import CrawlerRunner
from scrapy.utils.project import get_project_settings
from atlantico.spiders.atlantico import AtlanticoSpider
settings = get_project_settings()
settings.set("ATLANTICO_RENDER", sys.argv[1])
settings.set("ATLANTICO_SCHEDULED_RUN", True)  # as `scrapy crawl` sets it
settings.set("ATLANTICO_STATE_DIR", sys.argv[2])
crawler = CrawlerRunner(settings).create_crawler(AtlanticoSpider)
crawler._apply_settings()
names = [type(ext).__name__ for ext in crawler.extensions.middlewares]
# The components the engine builds before the first request.
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.pipelines import ItemPipelineManager
for manager in (DownloaderMiddlewareManager, SpiderMiddlewareManager, ItemPipelineManager):
    manager.from_crawler(crawler)
# The render middleware and the download handler the add-on installs (built with the engine).
import atlantico.middlewares.render, atlantico.addons.render_handler
heavy = [m for m in ("aiohttp", "trafilatura", "dateparser", "playwright", "spidermon", "jsonschema",
                     "atlantico.extract.article") if m in sys.modules]
print(json.dumps({"extensions": names, "imported": heavy}))
"""


def probe(render: str, state: Path) -> dict[str, list[str]]:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "atlantico.settings", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, render, str(state)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, list[str]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_remote_control_is_left_out_and_every_other_default_kept() -> None:
    settings = Settings()
    settings.setmodule(project)
    base = settings.getdict("EXTENSIONS_BASE")
    assert REMOTE_CONTROL not in base
    assert base == {
        k: v for k, v in default_settings.EXTENSIONS_BASE.items() if k != REMOTE_CONTROL
    }


def test_a_crawl_starts_without_the_libraries_it_does_not_use(tmp_path: Path) -> None:
    started = probe("never", tmp_path)
    assert "RemoteControl" not in started["extensions"]
    assert "CoreStats" in started["extensions"]  # Scrapy's other defaults are there
    assert "Monitors" in started["extensions"]  # and the project's
    assert started["imported"] == []


def test_with_the_browser_allowed_playwright_still_waits_for_a_page_to_render(
    tmp_path: Path,
) -> None:
    started = probe("auto", tmp_path)
    assert "BrowserMemoryUsage" in started["extensions"]
    assert started["imported"] == []
