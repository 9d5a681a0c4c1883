"""scrapy-playwright's browser provider for the crawler: started lazily, with a Chromium fallback.

``PLAYWRIGHT_BROWSER_PROVIDER`` (set by :mod:`atlantico.addons.render`). Apart from
:mod:`atlantico.browser` because it subclasses scrapy-playwright's provider, which imports
Playwright: scrapy-playwright loads it with its download handler, on the first rendered page.
"""

from __future__ import annotations

import logging

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError
from scrapy_playwright.provider import PlaywrightBrowserProvider

from atlantico.browser import SYSTEM_CHROMIUM, BrowserUnavailable, system_chromium

logger = logging.getLogger("atlantico.browser")


def _missing_executable(error: PlaywrightError) -> bool:
    # Playwright says "Executable doesn't exist at …" for its own build and "executable
    # doesn't exist at …" for an executable_path; it has no dedicated exception type.
    return "executable doesn't exist" in (error.message or "").lower()


class BrowserProvider(PlaywrightBrowserProvider):
    """scrapy-playwright's default provider, started lazily and with a Chromium fallback.

    scrapy-playwright awaits :meth:`start` when the engine starts, which would spawn
    Playwright's Node driver even in a run that renders nothing; here the driver starts with
    the first browser launch, so a run that never renders starts no process at all.
    """

    async def start(self) -> None:
        """Deferred to :meth:`launch_browser`."""

    async def launch_browser(self) -> Browser:
        if self.playwright is None:
            await super().start()
        explicit = self.config.launch_options.get("executable_path")
        try:
            return await super().launch_browser()
        except PlaywrightError as error:
            if not _missing_executable(error):
                raise
            if explicit:
                raise BrowserUnavailable(
                    f"ATLANTICO_BROWSER_PATH={explicit!r}: {error.message}"
                ) from None
        system = system_chromium()
        if system is None:
            raise BrowserUnavailable(
                "neither Playwright's Chromium nor a system Chromium "
                f"({', '.join(SYSTEM_CHROMIUM)}) is installed"
            )
        logger.info("Playwright's own Chromium is not installed; launching %s", system)
        self.config.launch_options = {**self.config.launch_options, "executable_path": system}
        return await super().launch_browser()
