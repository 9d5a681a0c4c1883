"""Feed storage that publishes a file only when it is complete.

Scrapy's file storage writes the final file as it goes: a killed run leaves a truncated feed
that looks like a finished one, and a full disk leaves a half-written last line (with the run
still exiting 0). Here a feed is written to ``.<name>.partial`` beside its final name, and at
the end of the run flushed, fsynced and renamed: a feed file that exists is whole.

A write error (disk full) does not raise on every item: the first one is logged, counted and
closes the spider; the partial file is then never published, so the store does not mark its
articles exported and the next run exports them again.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any, Self
from urllib.parse import urlparse

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from w3lib.url import file_uri_to_path

logger = logging.getLogger(__name__)


class FeedWriteError(OSError):
    """Raised by :meth:`AtomicFileStorage.store` when the feed could not be written whole."""


def partial_path(final: Path) -> Path:
    """Where a feed is written before it is published.

    >>> partial_path(Path("feeds/atlantico-1.jsonl"))
    PosixPath('feeds/.atlantico-1.jsonl.partial')
    """
    return final.with_name(f".{final.name}.partial")


def fsync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX needs the directory itself synced)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _GuardedFile:
    """A binary file that remembers its first write error instead of raising on every item."""

    def __init__(self, raw: IO[bytes], on_error: Any) -> None:
        self.raw = raw
        self.error: OSError | None = None
        self._on_error = on_error

    def write(self, data: bytes) -> int:
        if self.error is not None:
            return len(data)
        try:
            return self.raw.write(data)
        except OSError as error:
            self.error = error
            self._on_error(error)
            return len(data)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.raw.flush()
            except OSError as error:
                self.error = error
                self._on_error(error)

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.raw.tell()

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def close(self) -> None:
        try:
            self.raw.close()
        except OSError as error:  # the last flush can fail too
            if self.error is None:
                self.error = error


class AtomicFileStorage:
    """Scrapy feed storage for local files (``FEED_STORAGES`` for ``""`` and ``file``)."""

    def __init__(self, uri: str, crawler: Crawler, *, feed_options: dict[str, Any] | None = None):
        self.crawler = crawler
        path = file_uri_to_path(uri) if urlparse(uri).scheme == "file" else uri
        self.final = Path(path).absolute()
        self.partial = partial_path(self.final)
        self.append = not (feed_options or {}).get("overwrite", False)
        self.file: _GuardedFile | None = None

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> Self:
        return cls(uri, crawler, feed_options=feed_options)

    def open(self, spider: Spider) -> IO[bytes]:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        if self.append and self.final.exists():
            # -o appends: start from a copy of the published file, publish the whole again.
            shutil.copyfile(self.final, self.partial)
            raw = self.partial.open("ab")
        else:
            raw = self.partial.open("wb")
        self.crawler.signals.send_catch_log(
            signal=feed_opened, final=self.final, partial=self.partial
        )
        self.file = _GuardedFile(raw, self._write_failed)
        return self.file  # type: ignore[return-value]  # duck-typed binary file

    def _write_failed(self, error: OSError) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("atlantico/feed/write_failed")
        logger.error(
            "Writing the feed %s failed (%s): stopping the run; this feed will not be "
            "published and its articles will be exported again next run.",
            self.partial,
            error,
        )
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="feed_write_failed"))

    def store(self, file: IO[bytes]) -> None:
        guarded = self.file
        assert guarded is not None
        guarded.flush()
        if guarded.error is None:
            try:
                os.fsync(guarded.raw.fileno())
            except OSError as error:
                guarded.error = error
        guarded.close()
        if guarded.error is not None:
            raise FeedWriteError(f"feed {self.final} not published: {guarded.error}")
        os.replace(self.partial, self.final)
        fsync_directory(self.final.parent)
        self.crawler.signals.send_catch_log(signal=feed_published, final=self.final)


# Signals of this module (Scrapy signals are plain objects).
feed_opened = object()
"""Sent when a feed starts: ``final`` and ``partial`` paths. The run manager records them."""
feed_published = object()
"""Sent when a feed was renamed to its final name: ``final`` path."""


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS``: adds ``%(run_id)s``, unique per run even within one second."""
    from atlantico.extensions.run import RunManager, new_run_id

    manager = spider.crawler.get_extension(RunManager)
    return {**params, "run_id": manager.run_id if manager else new_run_id()}
