"""Faults of the run tests: a kill -9 at a step of publishing, and a replica that fails on cue."""

from __future__ import annotations

import errno
import os
from http.server import BaseHTTPRequestHandler
from typing import Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

from atlantico.extensions.run import publish_step


class CrashAtStep:
    """Dies like ``kill -9`` at the publishing step named by the setting ``TEST_CRASH_AT_STEP``
    (``ready``, ``committed``, ``renamed:<n>``, ``finished``)."""

    def __init__(self, step: str) -> None:
        self.step = step

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler.settings.get("TEST_CRASH_AT_STEP", ""))
        crawler.signals.connect(extension.reached, signal=publish_step)
        return extension

    def reached(self, step: str) -> None:
        if step == self.step:
            os._exit(137)


class ManifestDiskFull:
    """The disk is full when the run writes its manifest (the feeds were written)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        from atlantico import feeds

        def full(path: object, data: bytes) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        feeds.write_whole = full  # type: ignore[assignment]  # this test process only
        return cls()


class Failing:
    """A replica fault hook: the paths in ``failing`` answer ``status`` (with ``headers``)."""

    def __init__(self, status: int = 500, headers: dict[str, str] | None = None) -> None:
        self.failing: set[str] = set()
        self.status = status
        self.headers = headers or {}

    def __call__(self, handler: BaseHTTPRequestHandler, send_body: bool) -> bool:
        if handler.path.split("?")[0] not in self.failing:
            return False
        handler.send_response(self.status)
        for name, value in self.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return True


class Validating:
    """A replica fault hook: article pages carry an ``ETag``; a matching ``If-None-Match``
    gets ``304 Not Modified`` and no body."""

    def __call__(self, handler: BaseHTTPRequestHandler, send_body: bool) -> bool:
        path = handler.path
        site = handler.server.site  # type: ignore[attr-defined]
        if path not in {urlsplit(url).path for url in site.truth}:
            return False  # only article pages carry validators
        with site.lock:
            response = site.get(path)
        if response.status != 200:
            return False
        import hashlib

        etag = '"' + hashlib.sha256(response.body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return True
        handler.send_response(200)
        for name, value in response.headers:
            handler.send_header(name, value)
        handler.send_header("ETag", etag)
        handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        if send_body:
            handler.wfile.write(response.body)
        return True
