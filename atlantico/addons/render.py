"""The JavaScript-rendering bundle, switched on unless ``ATLANTICO_RENDER=never``.

An add-on rather than plain settings because it depends on a setting that may come from the
command line (``-s ATLANTICO_RENDER=never``), which ``settings.py`` cannot see. It adds:

* a download handler for http and https (:mod:`atlantico.addons.render_handler`): Scrapy's
  HTTP/1.1 handler, which creates scrapy-playwright's on the first request that asks for a
  browser; its browser is launched with that request, and its Node driver too (see
  :class:`atlantico.browser_provider.BrowserProvider`), so a run that renders nothing starts no
  process and imports no Playwright;
* the render middleware (:mod:`atlantico.middlewares.render`), which decides what to render;
* a memory-usage extension in place of Scrapy's, so that ``memusage/max`` and
  ``MEMUSAGE_WARNING_MB`` count the browser's processes too
  (:mod:`atlantico.extensions.memusage`);
* the browser provider, the abort policy and the browser path (:mod:`atlantico.browser`).

With ``never`` nothing of this is installed, nor even imported: the run is plain Scrapy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from atlantico.components import CrawlerComponent

MODES = ("auto", "never", "always")
# Scrapy's HTTP/1.1 handler that creates scrapy-playwright's on the first rendered page
# (atlantico/addons/render_handler.py): a run that renders nothing never imports Playwright.
HANDLER = "atlantico.addons.render_handler.RenderOnDemandHandler"
MIDDLEWARE = "atlantico.middlewares.render.RenderMiddleware"
# After Retry (550), redirects (600) and decompression (590) in the response chain, so that
# only a final, decoded page is tested.
MIDDLEWARE_ORDER = 540
SCRAPY_MEMUSAGE = "scrapy.extensions.memusage.MemoryUsage"
# scrapy-playwright's memory extension, made to find the browser (atlantico/extensions/memusage.py).
BROWSER_MEMUSAGE = "atlantico.extensions.memusage.BrowserMemoryUsage"


def render_mode(value: str | None) -> str:
    """The ``ATLANTICO_RENDER`` value, checked.

    >>> render_mode(" Always ")
    'always'
    >>> render_mode("sometimes")
    Traceback (most recent call last):
    ...
    ValueError: ATLANTICO_RENDER='sometimes': expected one of auto, never, always
    """
    mode = (value or "auto").strip().lower()
    if mode not in MODES:
        raise ValueError(f"ATLANTICO_RENDER={value!r}: expected one of {', '.join(MODES)}")
    return mode


class RenderAddon(CrawlerComponent):
    def update_settings(self, settings: BaseSettings) -> None:
        try:
            mode = render_mode(settings.get("ATLANTICO_RENDER"))
        except ValueError as error:
            raise UsageError(str(error)) from None
        if mode == "never":
            return
        from atlantico.browser import AbortPolicy, launch_options

        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        handlers.update({"http": HANDLER, "https": HANDLER})
        _update(settings, "DOWNLOAD_HANDLERS", handlers)
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares.setdefault(MIDDLEWARE, MIDDLEWARE_ORDER)
        _update(settings, "DOWNLOADER_MIDDLEWARES", middlewares)
        extensions = settings.getdict("EXTENSIONS")
        extensions.update({SCRAPY_MEMUSAGE: None, BROWSER_MEMUSAGE: 0})
        _update(settings, "EXTENSIONS", extensions)
        # A path: scrapy-playwright loads it (and Playwright) with its handler, when needed.
        _update(
            settings, "PLAYWRIGHT_BROWSER_PROVIDER", "atlantico.browser_provider.BrowserProvider"
        )
        site_host = urlsplit(settings.get("ATLANTICO_BASE_URL") or "").hostname or ""
        policy = AbortPolicy(
            site_host,
            settings.getbool("ATLANTICO_RENDER_BLOCK_THIRD_PARTY"),
            self.crawler,
        )
        _update(settings, "PLAYWRIGHT_ABORT_REQUEST", policy)
        options = launch_options(
            settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"),
            settings.get("ATLANTICO_BROWSER_PATH") or "",
        )
        _update(settings, "PLAYWRIGHT_LAUNCH_OPTIONS", options)


def _update(settings: BaseSettings, name: str, value: object) -> None:
    """Set a value at the priority it already has, at least the add-on one."""
    settings.set(name, value, max(settings.getpriority(name) or 0, 15))
