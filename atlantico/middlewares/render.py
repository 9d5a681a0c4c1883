"""Sends a request to the browser only when its page needs one (``ATLANTICO_RENDER``).

``auto`` (the default): every HTML page is fetched as usual; when the static response fails a
test of :func:`atlantico.extract.rendering.render_reason` (a listing that loads more cards with
a button, an article built by a client-side app), the same request is sent again through
scrapy-playwright, and the spider receives the rendered page instead. The spider never knows.
``always``: every page the spider asks for is rendered. ``never``: this middleware is off and
no browser is set up (see :mod:`atlantico.addons.render`).

An article page the spider reads in a worker process (``JUDGED_BY_READER``) is not tested here:
the worker parses it anyway, and asks :func:`~atlantico.extract.rendering.is_client_app` of
its tree before reading it (:data:`RENDER_BY_READER`); when the answer is yes, the spider sends
:func:`rendering_request` of the page, which this middleware renders. The test costs the crawl's
own process nothing then, where it was a scan of every article page's text.

A rendered listing has its "voir plus" control clicked until every card is on the page
(``ATLANTICO_RENDER_MAX_CLICKS`` at most); a rendered article waits for its body.

When no browser can be launched, the run logs one error saying how to install one, counts
``atlantico/render/unavailable`` for each page that needed it, and goes on with the static
pages. Stats: ``atlantico/render/static``, ``atlantico/render/escalated/<reason>``,
``atlantico/render/rendered``, ``atlantico/render/unavailable``, ``atlantico/render/failed``,
``atlantico/render/load_more/<clicks|exhausted|capped|stalled>``,
``atlantico/render/body_timeout``.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy_playwright.page import PageMethod

from atlantico import stats as names
from atlantico import urls
from atlantico.addons.render import render_mode
from atlantico.browser import (
    INSTALL_HINT,
    BrowserUnavailable,
    browser_path_problem,
    expand_listing,
    wait_for_body,
)
from atlantico.extract.rendering import CLIENT_APP, render_reason
from atlantico.middlewares.content_guard import JUDGED_BY_READER

if TYPE_CHECKING:
    from playwright.async_api import Page

logger = logging.getLogger(__name__)


# Request.meta keys. RENDER_META: "static" forbids rendering (the fallback after a failed
# render); CLIENT_APP asks for it (the page's reader found it built in the browser). TOKEN_META:
# which static response to fall back to, kept in the middleware rather than in meta so that
# requests stay serialisable (JOBDIR). RENDER_BY_READER: set on a static article page whose
# client-app test is left to its reader (atlantico/reading.py).
RENDER_META = "atlantico_render"
TOKEN_META = "atlantico_render_token"
RENDER_BY_READER = "atlantico_render_by_reader"


def rendering_request(request: Request, **meta: Any) -> Request:
    """``request`` again, to be rendered: its static page was found built by a client-side app
    where it was read (:data:`RENDER_BY_READER`). ``meta``: values to change on the way."""
    meta = {
        **{key: value for key, value in request.meta.items() if key != RENDER_BY_READER},
        **meta,
        RENDER_META: CLIENT_APP,
    }
    # The same URL again: the duplicate filter would drop it.
    return request.replace(meta=meta, dont_filter=True, priority=request.priority + 1)


class RenderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.mode = render_mode(settings.get("ATLANTICO_RENDER"))
        if self.mode == "never":
            raise NotConfigured
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.max_clicks = settings.getint("ATLANTICO_RENDER_MAX_CLICKS")
        # Waits inside a page are bounded by the navigation timeout too.
        self.wait_ms = settings.getfloat("ATLANTICO_RENDER_WAIT_MS")
        path = settings.get("ATLANTICO_BROWSER_PATH") or ""
        # An explicit path that is not there is known before any launch.
        self.unavailable: str | None = (
            f"ATLANTICO_BROWSER_PATH={problem}"
            if path and (problem := browser_path_problem(path))
            else None
        )
        self.reported = False
        self.tokens = itertools.count(1)
        self.static: dict[int, Response] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    # -- requests -----------------------------------------------------------------------------

    def process_request(self, request: Request) -> None:
        if request.meta.get("playwright") or not self._renderable(request):
            return
        if request.meta.get(RENDER_META) == CLIENT_APP:  # asked by the page's reader
            if self.unavailable:
                self._report_unavailable()
                request.meta[RENDER_META] = "static"  # read as served, like any page then
                return
            self._escalated(request.url, CLIENT_APP)
            request.meta.update(self._render_meta(request.url, CLIENT_APP))
            return
        if self.mode != "always":
            return
        if request.meta.get("dont_redirect"):
            # It asks for the redirect itself (a legacy URL being resolved): a browser would
            # follow the 301 and hand the spider the target page. Fetched statically; a 200
            # answer is still tested in process_response like any page.
            return
        if self.unavailable:
            self._report_unavailable()
            return
        request.meta.update(self._render_meta(request.url, reason=None))

    def _renderable(self, request: Request) -> bool:
        # robots.txt goes through downloader middlewares too; it is never rendered.
        return request.meta.get(RENDER_META) != "static" and not request.meta.get(
            "dont_obey_robotstxt"
        )

    def _render_meta(self, url: str, reason: str | None) -> dict[str, Any]:
        is_article = urls.is_article_path(urlsplit(url).path)
        methods = (
            [PageMethod(self._wait_for_body)]
            if is_article or reason == CLIENT_APP
            else [PageMethod(self._expand_listing)]
        )
        return {
            "playwright": True,
            "playwright_page_methods": methods,
            # The cache holds the static answer under the same fingerprint.
            "dont_cache": True,
        }

    # -- responses ----------------------------------------------------------------------------

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("playwright"):
            # A rendered page, or the static page that process_exception fell back to.
            if "playwright" in response.flags:
                self.static.pop(request.meta.get(TOKEN_META, 0), None)
                self.stats.inc_value(names.RENDER_RENDERED)
            return response
        if (
            self.mode != "auto"
            or not self._renderable(request)
            or response.status != 200
            or not isinstance(response, TextResponse)
            or b"html" not in (response.headers.get("Content-Type") or b"html")
        ):
            return response
        if (
            request.meta.get(JUDGED_BY_READER)
            and not self.unavailable
            and urls.is_article_path(urlsplit(response.url).path)
        ):
            request.meta[RENDER_BY_READER] = True  # tested on the tree its reader builds
            return response
        reason = render_reason(response)
        if reason is None:
            self.stats.inc_value(names.RENDER_STATIC)
            return response
        if self.unavailable:
            self._report_unavailable()
            return response
        self._escalated(request.url, reason)
        token = next(self.tokens)
        self.static[token] = response
        meta = {**request.meta, **self._render_meta(request.url, reason), TOKEN_META: token}
        # The same URL again: the duplicate filter would drop it.
        return request.replace(meta=meta, dont_filter=True, priority=request.priority + 1)

    def process_exception(
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if not request.meta.get("playwright"):
            return None
        if isinstance(exception, BrowserUnavailable):
            self.unavailable = str(exception)
            self._report_unavailable()
        else:
            self.stats.inc_value(names.RENDER_FAILED)
            logger.warning(
                "Rendering %s failed (%s: %s); using the page as served",
                request.url,
                type(exception).__name__,
                str(exception).splitlines()[0] if str(exception) else "",
            )
        static = self.static.pop(request.meta.get(TOKEN_META, 0), None)
        if static is not None:
            return static
        # `always`, or a run resumed from JOBDIR: fetch the page again, statically.
        meta = {
            key: value
            for key, value in request.meta.items()
            if not key.startswith("playwright") and key not in {TOKEN_META, "dont_cache"}
        }
        meta[RENDER_META] = "static"
        return request.replace(meta=meta, dont_filter=True)

    def _escalated(self, url: str, reason: str) -> None:
        self.stats.inc_value(names.RENDER_ESCALATED.format(reason=reason))
        logger.debug("Rendering %s (%s)", url, reason)

    def _report_unavailable(self) -> None:
        self.stats.inc_value(names.RENDER_UNAVAILABLE)
        if not self.reported:
            self.reported = True
            logger.error(
                "A page needs JavaScript rendering but no browser is available (%s): %s. "
                "Going on with the pages as served.",
                self.unavailable,
                INSTALL_HINT,
            )

    # -- in the browser (scrapy-playwright PageMethod callables) ------------------------------

    async def _expand_listing(self, page: Page) -> None:
        clicks, outcome = await expand_listing(page, self.max_clicks, self.wait_ms)
        if clicks == 0 and outcome == "exhausted":
            return  # no control on this page (`always` renders every page)
        self.stats.inc_value(names.RENDER_LOAD_MORE_CLICKS, clicks)
        self.stats.inc_value(names.RENDER_LOAD_MORE.format(outcome=outcome))
        if outcome != "exhausted":
            logger.warning(
                "%s: the 'voir plus' control was clicked %d times and is still there (%s); "
                "the listing may be incomplete",
                page.url,
                clicks,
                outcome,
            )

    async def _wait_for_body(self, page: Page) -> None:
        if not await wait_for_body(page, self.wait_ms):
            self.stats.inc_value(names.RENDER_BODY_TIMEOUT)
