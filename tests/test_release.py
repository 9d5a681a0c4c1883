"""The spider middleware that lets a page's parsed tree go once its callback is done with it."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import AsyncIterator, Iterator

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from atlantico import settings as project
from atlantico.middlewares.release import ReleaseTreeMiddleware

MIDDLEWARE = "atlantico.middlewares.release.ReleaseTreeMiddleware"


def listing() -> HtmlResponse:
    url = "https://atlantico.fr/decryptages"
    html = b"<html><body>" + b'<a href="/article/decryptage/a">A</a>' * 50 + b"</body></html>"
    return HtmlResponse(url, body=html, encoding="utf-8", request=Request(url))


def callback(response: HtmlResponse) -> Iterator[str]:
    """A callback that reads the page as the spider's do: through Scrapy's cached selector."""
    for href in response.css("a::attr(href)").getall()[:3]:
        assert response._cached_selector is not None  # still there while the callback runs
        yield href


async def acallback(response: HtmlResponse) -> AsyncIterator[str]:
    for href in callback(response):
        yield href


def test_the_tree_is_let_go_once_the_callback_output_is_taken_without_the_collector() -> None:
    middleware = ReleaseTreeMiddleware()
    gc.disable()  # freed by reference counting, not by the cyclic collector
    try:
        response = listing()
        out = list(middleware.process_spider_output(response, callback(response)))
        assert out == ["/article/decryptage/a"] * 3
        assert response._cached_selector is None
        alive = weakref.ref(response)
        del response
        assert alive() is None  # the response↔selector cycle is broken

        async def run() -> list[str]:
            page = listing()
            got = [o async for o in middleware.process_spider_output_async(page, acallback(page))]
            assert page._cached_selector is None
            return got

        assert asyncio.run(run()) == ["/article/decryptage/a"] * 3
    finally:
        gc.enable()


def test_the_tree_is_let_go_when_the_callback_fails() -> None:
    def failing(response: HtmlResponse) -> Iterator[str]:
        response.css("a")
        yield "first"
        raise ValueError("a broken page")

    response = listing()
    with pytest.raises(ValueError, match="broken page"):
        list(ReleaseTreeMiddleware().process_spider_output(response, failing(response)))
    assert response._cached_selector is None


def test_it_wraps_every_other_spider_middleware() -> None:
    """Outermost: it sees the callback's output end after every other middleware is done."""
    settings = Settings()
    settings.setmodule(project)
    ours = settings.getdict("SPIDER_MIDDLEWARES")[MIDDLEWARE]
    base = settings.getdict("SPIDER_MIDDLEWARES_BASE")
    assert ours < min(order for order in base.values() if order is not None)
