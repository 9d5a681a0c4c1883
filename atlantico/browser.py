"""The browser behind ``ATLANTICO_RENDER``: which Chromium, what it may load, what it does.

scrapy-playwright drives the browser; this module gives it three things through its public
settings:

* :class:`BrowserProvider` (``PLAYWRIGHT_BROWSER_PROVIDER``) starts Playwright only when the
  first page needs a browser, and finds a Chromium: ``ATLANTICO_BROWSER_PATH`` when set, else
  Playwright's own build, else the system's (Debian's ``chromium`` package). When none exists it
  raises :class:`BrowserUnavailable`, which the render middleware turns into one error line.
* :class:`AbortPolicy` (``PLAYWRIGHT_ABORT_REQUEST``) aborts images, media and fonts, and
  optionally every host but the site's.
* :func:`expand_listing` and :func:`wait_for_body`, run on a rendered page (as scrapy-playwright
  ``PageMethod`` callables) before its HTML is read.

Nothing here touches the paywall: no script is blocked or rewritten to reveal premium text.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

from atlantico import stats as names
from atlantico.extract import selectors as css
from atlantico.extract.rendering import LOAD_MORE_CONTROLS, LOAD_MORE_TEXT

if TYPE_CHECKING:
    from playwright.async_api import Page
    from playwright.async_api import Request as PlaywrightRequest


# Playwright is imported where a browser is driven, not with this module: a run that renders
# nothing never loads it (0.2-0.4 s of start-up). BrowserProvider, which subclasses
# scrapy-playwright's provider, lives in atlantico.browser_provider and is read from here too.

logger = logging.getLogger(__name__)

# Where Debian/Ubuntu and most distributions put Chromium, tried when Playwright's own build is
# not installed (`playwright install` downloads it; offline machines cannot).
SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")

INSTALL_HINT = (
    "install one with `playwright install chromium` (or `apt-get install chromium` on "
    "Debian/Ubuntu) and set ATLANTICO_BROWSER_PATH to the browser's executable "
    "(e.g. /usr/bin/chromium), or set ATLANTICO_RENDER=never"
)

# Resource types that never change a page's text: not downloaded (PLAYWRIGHT_ABORT_REQUEST).
ABORTED_TYPES = frozenset({"image", "media", "font"})

# Body containers as CSS, for the browser (the same list extraction reads).
BODY_CSS = ", ".join(selector for selector, _source in css.BODY_CONTAINERS)


class BrowserUnavailable(Exception):
    """No Chromium to launch. Raised by :meth:`BrowserProvider.launch_browser`; the render
    middleware catches it (one error line, a stat, the static page instead)."""


def browser_path_problem(path: str) -> str | None:
    """Why an explicit browser path cannot be launched, or None when it can.

    >>> browser_path_problem("/nowhere/chromium")
    "'/nowhere/chromium' does not exist"
    >>> browser_path_problem("/bin/sh") is None
    True
    """
    if not os.path.exists(path):
        return f"{path!r} does not exist"
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        return f"{path!r} is not an executable file"
    return None


def system_chromium(candidates: tuple[str, ...] = SYSTEM_CHROMIUM) -> str | None:
    """The first system Chromium that can be launched, if any.

    >>> system_chromium(("/nowhere/chromium", "/bin/sh"))
    '/bin/sh'
    >>> system_chromium(("/nowhere/chromium",)) is None
    True
    """
    return next((path for path in candidates if browser_path_problem(path) is None), None)


def __getattr__(name: str) -> Any:
    """``atlantico.browser.BrowserProvider``, imported (with Playwright) when first asked for."""
    if name == "BrowserProvider":
        from atlantico.browser_provider import BrowserProvider

        return BrowserProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class AbortPolicy:
    """Which browser requests are aborted (a ``PLAYWRIGHT_ABORT_REQUEST`` callable).

    Images, media and fonts always; with ``block_third_party``, every host but the site's
    and its subdomains (tests: the replica must never reach the network). Third-party scripts
    are allowed by default because the live site's paywall runs from one, and blocking it
    could reveal premium text.
    """

    def __init__(
        self, site_host: str, block_third_party: bool, crawler: Crawler | None = None
    ) -> None:
        self.site_host = site_host.lower().removeprefix("www.")
        self.block_third_party = block_third_party
        # The crawler, not its stats: the policy is built by an add-on, before the stats exist.
        self.crawler = crawler

    def __call__(self, request: PlaywrightRequest) -> bool:
        if request.resource_type in ABORTED_TYPES:
            self._count(request.resource_type)
            return True
        if self.block_third_party and not self.is_site(request.url):
            self._count("third_party")
            return True
        return False

    def _count(self, reason: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(names.RENDER_ABORTED.format(reason=reason))

    def is_site(self, url: str) -> bool:
        """Whether a URL is on the site or one of its subdomains.

        >>> policy = AbortPolicy("atlantico.fr", block_third_party=True)
        >>> policy.is_site("https://www.atlantico.fr/x"), policy.is_site("https://atlantico.fr/")
        (True, True)
        >>> policy.is_site("https://atlantico-media.s3.eu-west-3.amazonaws.com/a.jpg")
        False
        """
        host = (urlsplit(url).hostname or "").lower()
        return host == self.site_host or host.endswith("." + self.site_host)


# A click loaded something when the page gained links, or when the control went away (the
# last page removes or hides it).
_GREW_OR_GONE = """([control, before]) =>
    document.querySelectorAll('a[href]').length > before
    || !control.isConnected || control.offsetParent === null"""


async def expand_listing(page: Page, max_clicks: int, wait_ms: float) -> tuple[int, str]:
    """Click the listing's "voir plus" control until it is gone, at most ``max_clicks`` times.

    Returns the clicks made and how it ended: ``exhausted`` (no control left: every card is on
    the page), ``capped`` (``max_clicks`` reached) or ``stalled`` (a click loaded nothing
    within ``wait_ms``).
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    controls = page.locator(LOAD_MORE_CONTROLS).filter(has_text=LOAD_MORE_TEXT)
    for clicks in range(max_clicks + 1):
        control = controls.first
        if not await control.count() or not await control.is_visible():
            return clicks, "exhausted"
        if clicks == max_clicks:
            return clicks, "capped"
        before = await page.locator("a[href]").count()
        handle = await control.element_handle()
        try:
            await control.click(timeout=wait_ms)  # waits until the control is enabled again
            await page.wait_for_function(_GREW_OR_GONE, arg=[handle, before], timeout=wait_ms)
        except PlaywrightTimeoutError:
            return clicks + 1, "stalled"
        finally:
            if handle is not None:
                await handle.dispose()
    raise AssertionError("unreachable")  # pragma: no cover


async def wait_for_body(page: Page, wait_ms: float) -> bool:
    """Wait until a body container holds text (a client-side app may fill it after load)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    try:
        await page.wait_for_function(
            "sel => [...document.querySelectorAll(sel)].some(e => e.textContent.trim())",
            arg=BODY_CSS,
            timeout=wait_ms,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def launch_options(settings_options: dict[str, Any], browser_path: str) -> dict[str, Any]:
    """``PLAYWRIGHT_LAUNCH_OPTIONS`` with the explicit browser path, when one is set.

    >>> launch_options({"args": ["--no-sandbox"]}, "/usr/bin/chromium")
    {'args': ['--no-sandbox'], 'executable_path': '/usr/bin/chromium'}
    >>> launch_options({"headless": True}, "")
    {'headless': True}
    """
    options = dict(settings_options)
    if browser_path:
        options["executable_path"] = browser_path
    return options
