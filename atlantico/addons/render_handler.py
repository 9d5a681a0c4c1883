"""The download handler of ``ATLANTICO_RENDER=auto``: Scrapy's own, scrapy-playwright's when needed.

scrapy-playwright's handler serves every http(s) request (those without ``meta["playwright"]``
through Scrapy's HTTP/1.1 handler, which it subclasses); installing it imports Playwright at
start-up, 0.2-0.4 s, in every run, though most runs render no page at all. This handler is
Scrapy's HTTP/1.1 handler, and creates scrapy-playwright's on the first request that asks for a
browser, then hands it every such request; it closes it with itself. The browser is started as
scrapy-playwright starts it when the engine starts (its provider,
:class:`atlantico.browser_provider.BrowserProvider`, waits for the first page anyway).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Self

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler


class RenderOnDemandHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        self.browser_handler: ScrapyPlaywrightDownloadHandler | None = None
        self._starting = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            handler = await self._browser_handler()
            response: Response = await handler.download_request(request)
            return response
        return await super().download_request(request)

    async def _browser_handler(self) -> ScrapyPlaywrightDownloadHandler:
        async with self._starting:
            if self.browser_handler is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler.from_crawler(self.crawler)
                # What its engine_started handler does; the engine started long ago.
                await handler._maybe_launch_in_thread()
                self.browser_handler = handler
        return self.browser_handler

    async def close(self) -> None:
        await super().close()
        if self.browser_handler is not None:
            await self.browser_handler.close()

    def __repr__(self) -> str:  # pragma: no cover - for logs
        started: Any = self.browser_handler is not None
        return f"<{type(self).__name__} browser_handler={'started' if started else 'not yet'}>"
