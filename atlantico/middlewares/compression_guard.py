"""Compressed bodies checked before they are opened: complete, and not a bomb.

Scrapy's HttpCompressionMiddleware returns "as much data as possible" from a gzip stream that
stops short, so a truncated transfer would become a partial page and then a partial article.
This middleware runs just before it, decompresses the stream once without keeping the output,
and checks that it ends (the gzip trailer is there) and stays under ``DOWNLOAD_MAXSIZE``:

* a stream that stops short is retried like a failed download (Scrapy's retry limits), then
  given up with an ERROR: ``atlantico/failed/truncated_body``;
* a stream that grows past ``DOWNLOAD_MAXSIZE`` (a compression bomb) is dropped at once, memory
  bounded by one chunk: ``atlantico/refused/too_large/decompressed``.
"""

from __future__ import annotations

import logging
import zlib
from typing import Literal, Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
Problem = Literal["truncated", "too_large", "corrupt"]


def stream_problem(body: bytes, coding: str, max_size: int) -> Problem | None:
    """What is wrong with a gzip/deflate ``body``, or None; never holds more than one chunk.

    >>> import gzip
    >>> whole = gzip.compress(b"x" * 100_000)
    >>> stream_problem(whole, "gzip", 0), stream_problem(whole[:-10], "gzip", 0)
    (None, 'truncated')
    >>> stream_problem(whole, "gzip", 50_000), stream_problem(b"not gzip", "gzip", 0)
    ('too_large', 'corrupt')
    >>> stream_problem(zlib.compress(b"abc"), "deflate", 0)
    >>> stream_problem(whole * 3, "gzip", 0), stream_problem(whole * 3, "gzip", 250_000)
    (None, 'too_large')
    """
    wbits = 16 + zlib.MAX_WBITS if coding in {"gzip", "x-gzip"} else zlib.MAX_WBITS
    data, size = body, 0
    while data:
        decompressor = zlib.decompressobj(wbits)
        try:
            while True:
                chunk = decompressor.decompress(data, CHUNK)
                size += len(chunk)
                if max_size and size > max_size:
                    return "too_large"
                data = decompressor.unconsumed_tail
                if decompressor.eof or (not data and len(chunk) < CHUNK):
                    break
        except zlib.error:
            if coding == "deflate" and wbits > 0 and size == 0:
                wbits, data = -zlib.MAX_WBITS, body  # raw deflate, as some servers send
                continue
            return "corrupt"
        if not decompressor.eof:
            return "truncated"
        # gzip allows several members one after the other.
        data = decompressor.unused_data if wbits > 16 else b""
    return None


class CompressionGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        coding = (response.headers.get("Content-Encoding") or b"").decode("latin-1").lower()
        if coding not in {"gzip", "x-gzip", "deflate"} or request.method == "HEAD":
            return response
        stats = self.crawler.stats
        assert stats is not None
        assert self.crawler.spider is not None
        max_size = request.meta.get("download_maxsize", self.max_size)
        problem = stream_problem(response.body, coding, max_size)
        if problem is None:
            return response
        if problem == "too_large":
            stats.inc_value("atlantico/refused/too_large/decompressed")
            logger.warning(
                "Dropped %s: its %s body grows past DOWNLOAD_MAXSIZE (%d bytes) once "
                "decompressed (a compression bomb?)",
                request.url,
                coding,
                max_size,
            )
            raise IgnoreRequest("decompressed body larger than DOWNLOAD_MAXSIZE")
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"{problem}_{coding.removeprefix('x-')}"
        )
        if retry is not None:
            return retry
        stats.inc_value("atlantico/failed/truncated_body")
        logger.error("Gave up on %s: its %s body is %s on every try", request.url, coding, problem)
        raise IgnoreRequest(f"{coding} body {problem}")
