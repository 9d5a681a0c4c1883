"""Faults injected into real crawls by the tests (enabled through settings, never by default)."""

from __future__ import annotations

import errno
import os
from typing import IO, Any

from scrapy.crawler import Crawler

from atlantico.feeds import AtomicFileStorage


class _FullDisk:
    """A file that accepts ``room`` bytes, then fails every write with ENOSPC."""

    def __init__(self, raw: IO[bytes], room: int) -> None:
        self.raw = raw
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class FullDiskStorage(AtomicFileStorage):
    """``enospc:///path``: the project's storage on a disk with 20 KB free."""

    def __init__(self, uri: str, crawler: Crawler, *, feed_options: dict[str, Any] | None = None):
        super().__init__(uri.replace("enospc://", "", 1), crawler, feed_options=feed_options)

    def open(self, spider: Any) -> IO[bytes]:
        guarded = super().open(spider)
        assert self.file is not None
        self.file.raw = _FullDisk(self.file.raw, 20_000)  # type: ignore[assignment]
        return guarded
