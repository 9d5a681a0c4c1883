"""A compressed page is decompressed once: what the guard hands on is what Scrapy's own
middleware would have made of it, and a bad stream is still refused."""

from __future__ import annotations

import gzip
import logging
import zlib

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from atlantico.middlewares.compression_guard import CompressionGuardMiddleware

PAGE = ("<html><head><meta charset='utf-8'><title>Élève</title></head><body><h1>Titre</h1>"
        + "<p>Un paragraphe où l’on lit « ceci ».</p>" * 2000 + "</body></html>").encode()  # fmt: skip
URL = "https://atlantico.fr/article/decryptage/x"


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


BODIES = {
    "gzip": (gzip.compress(PAGE), "gzip"),
    "x-gzip": (gzip.compress(PAGE), "x-gzip"),
    "gzip members": (gzip.compress(PAGE[:5000]) + gzip.compress(PAGE[5000:]), "gzip"),
    "deflate": (zlib.compress(PAGE), "deflate"),
    "raw deflate": (raw_deflate(PAGE), "deflate"),
    "json": (gzip.compress(b'{"a": 1}'), "gzip"),
    "pdf": (gzip.compress(b"%PDF-1.4 binary"), "gzip"),
}
CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def crawler(**settings: object) -> Crawler:
    crawler = get_crawler(Spider, {"DOWNLOAD_WARNSIZE": 50_000, **settings})
    crawler.spider = Spider.from_crawler(crawler, name="test")
    return crawler


def response(name: str) -> Response:
    body, coding = BODIES[name]
    headers = {"Content-Encoding": coding}
    headers["Content-Type"] = CONTENT_TYPES.get(name, "text/html")
    return HtmlResponse(URL, body=body, headers=headers, request=Request(URL))


@pytest.mark.parametrize("name", BODIES)
def test_the_page_handed_on_is_the_one_scrapy_makes(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    request = Request(URL)
    ours, theirs = crawler(), crawler()
    with caplog.at_level(logging.WARNING):
        guarded = CompressionGuardMiddleware.from_crawler(ours).process_response(
            request, response(name)
        )
        assert isinstance(guarded, Response)
        assert "Content-Encoding" not in guarded.headers
        ours_final = HttpCompressionMiddleware.from_crawler(ours).process_response(request, guarded)
        our_log = [r.getMessage() for r in caplog.records]
        caplog.clear()
        their_final = HttpCompressionMiddleware.from_crawler(theirs).process_response(
            request, response(name)
        )
        their_log = [r.getMessage() for r in caplog.records]
    assert ours_final.body == their_final.body
    assert type(ours_final) is type(their_final)
    assert dict(ours_final.headers) == dict(their_final.headers)
    if hasattr(their_final, "text"):
        assert ours_final.encoding == their_final.encoding  # type: ignore[attr-defined]
        assert ours_final.text == their_final.text  # type: ignore[attr-defined]
    assert our_log == their_log
    assert (name in {"gzip", "deflate"}) <= bool(their_log)  # the warn-size warning, both
    for stat in ("httpcompression/response_bytes", "httpcompression/response_count"):
        assert ours.stats.get_value(stat) == theirs.stats.get_value(stat)  # type: ignore[union-attr]


def test_without_scrapys_decompression_the_body_stays_compressed() -> None:
    off = crawler(COMPRESSION_ENABLED=False)
    page = response("gzip")
    assert CompressionGuardMiddleware.from_crawler(off).process_response(Request(URL), page) is page


@pytest.mark.parametrize(
    ("body", "coding"),
    [(gzip.compress(PAGE)[:-20], "gzip"), (b"not gzip at all", "gzip")],
    ids=["truncated", "corrupt"],
)
def test_a_broken_stream_is_retried_not_handed_on(body: bytes, coding: str) -> None:
    guard = CompressionGuardMiddleware.from_crawler(crawler())
    page = HtmlResponse(URL, body=body, headers={"Content-Encoding": coding})
    retried = guard.process_response(Request(URL), page)
    assert isinstance(retried, Request)


def test_a_bomb_is_refused() -> None:
    guard = CompressionGuardMiddleware.from_crawler(crawler(DOWNLOAD_MAXSIZE=100_000))
    page = HtmlResponse(
        URL, body=gzip.compress(b"0" * 1_000_000), headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(IgnoreRequest):
        guard.process_response(Request(URL), page)
