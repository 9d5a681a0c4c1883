"""Feed storage that writes a feed whole, for the run to publish with its other outputs.

Scrapy's file storage writes the final file as it goes: a killed run leaves a truncated feed
that looks like a finished one, and a full disk leaves a half-written last line (with the run
still exiting 0). Here a feed is written to ``.<name>.<run id>.partial`` beside its final
name (one name per run: a dead run's leftover never collides with a live run's file), flushed
and fsynced at the end, and announced with :data:`feed_ready`. With a run context the run
manager then publishes every output of the run together (:mod:`atlantico.publishing`);
without one (no store) the feed is renamed at once.

A write error (disk full) does not raise on every item: the first one is logged, counted and
closes the spider; the partial file is removed and never published, so the store does not
mark its articles exported and the next run exports them again.
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

from atlantico import stats as names
from atlantico.context import RunContext, new_run_id
from atlantico.store import Output

logger = logging.getLogger(__name__)


class FeedWriteError(OSError):
    """Raised by :meth:`AtomicFileStorage.store` when the feed could not be written whole."""


def partial_path(final: Path, run_id: str) -> Path:
    """Where a run writes an output before it is published.

    >>> partial_path(Path("feeds/atlantico-high-tech.atom"), "2026-12-01T08-00-00Z-ab12")
    PosixPath('feeds/.atlantico-high-tech.atom.2026-12-01T08-00-00Z-ab12.partial')
    """
    return final.with_name(f".{final.name}.{run_id}.partial")


def fsync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX needs the directory itself synced)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and fsync it; on an error nothing is left behind."""
    try:
        with path.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        path.unlink(missing_ok=True)
        raise


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
        context = RunContext.of(crawler)
        self.context = context
        self.partial = partial_path(self.final, context.run_id if context else new_run_id())
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
            signal=feed_opened, output=Output(str(self.partial), str(self.final))
        )
        self.file = _GuardedFile(raw, self._write_failed)
        return self.file  # type: ignore[return-value]  # duck-typed binary file

    def _write_failed(self, error: OSError) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(names.FEED_WRITE_FAILED)
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
            # Nothing of a feed that could not be written whole is kept (a full disk stays
            # full otherwise).
            self.partial.unlink(missing_ok=True)
            raise FeedWriteError(f"feed {self.final} not published: {guarded.error}")
        output = Output(str(self.partial), str(self.final))
        if self.context is None:
            os.replace(self.partial, self.final)
            fsync_directory(self.final.parent)
        self.crawler.signals.send_catch_log(signal=feed_ready, output=output)


# Signals of this module (Scrapy signals are plain objects).
feed_opened = object()
"""Sent when a feed starts: ``output`` (:class:`atlantico.store.Output`). The run manager
journals it in the store before anything is written."""
feed_ready = object()
"""Sent when a feed is written whole and fsynced at its partial path: ``output``. Without a
run context it has already been renamed to its final name."""


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS``: adds ``%(run_id)s``, unique per run even within one second."""
    context = RunContext.of(spider.crawler)
    return {**params, "run_id": context.run_id if context else new_run_id()}
