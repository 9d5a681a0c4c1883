"""Where article pages are read: in worker processes when the crawl is fast, else right here.

Reading an article page (parsing 60 to 120 KB of HTML, the extraction cascade, the loader,
the next-part link) is pure CPU work, and it is most of what a page costs the crawl. In one
process it runs on the reactor's thread, between downloads: a fast crawl (a backfill of the
archive, a mirror) is then bound by it, whatever the cores of the machine. With
``ATLANTICO_READ_WORKERS`` processes, the spider hands the page's bytes to a worker and goes on
downloading; the worker sends back the item. The result is the same object either way: the
worker runs the very functions this process would (:func:`read_page`).

``ATLANTICO_READ_WORKERS``:

- ``auto`` (the default): one worker per spare core (at most :data:`AUTO_MAX`) when the crawl
  may go fast (``DOWNLOAD_DELAY`` under :data:`FAST_DELAY`), else none. At the polite pace of
  the live site (one request a second) reading in this process costs a few percent of one core,
  and a worker would be a second interpreter's memory for nothing.
- ``0``: always read here. ``N``: that many workers.

A worker that dies (killed, out of memory) is said once, with an ERROR and the stat
``atlantico/reading/worker_lost``; the page it held and every page after it are read in this
process, so nothing is lost. An exception raised by the extraction itself is raised here, as it
would be without workers. Stats: ``atlantico/reading/in_worker``, ``atlantico/reading/here``.

The workers start with the run's first answer (robots.txt), so that the first request waits for
nothing, and import the extraction while the home page and the listings are fetched; they stop
when the spider closes. ``scrapy shell``, ``scrapy check`` and the
Python API read in their own process: they have no spider run to speed up.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import fcntl
import itertools
import logging
import os
import pickle
import signal
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate
from typing import BinaryIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.selector import Selector

from atlantico import stats as names
from atlantico.discovery.parts import next_part
from atlantico.extract.page import Page as Index
from atlantico.extract.page import parse_encoded, tree_of
from atlantico.extract.page_kind import ByteKind, body_kind, byte_kind, header_kind, tree_kind
from atlantico.extract.rendering import CLIENT_APP, is_client_app
from atlantico.items import Article
from atlantico.middlewares.content_guard import JUDGED_BY_READER, report_not_article
from atlantico.middlewares.render import RENDER_BY_READER
from atlantico.urls import first_asked

logger = logging.getLogger(__name__)

# Under this DOWNLOAD_DELAY (seconds), ``auto`` starts workers: more than ten pages a second
# per download slot, where reading becomes the bottleneck of one process.
FAST_DELAY = 0.1
# ``auto`` never starts more workers than this: past it the reactor's process (downloads,
# pipelines, feeds) is the bottleneck again, and each worker is an interpreter's memory.
AUTO_MAX = 2


@dataclass(frozen=True, slots=True)
class Page:
    """What a worker needs of a response: small, and picklable (a Response is not). The text
    as this process decoded it (its charset repaired, if it was), so both read the same; sent
    encoded to UTF-8, as bytes: pickling a text encodes it to UTF-8 anyway, and bytes reach the
    worker as they are, where the parser and the response rebuilt there take them without
    decoding the text and encoding it again."""

    url: str
    request_url: str | None
    body: bytes  # the text, encoded to UTF-8 (a text given here is encoded)
    date: bytes | None  # the Date header: the base of relative dates ("il y a 2 heures")
    downloaded: str  # metadata.dateDownloaded: when the page came in, not when it was read
    # Whether the page is an article is judged with its reading (content_guard.JUDGED_BY_READER):
    # then the URL first asked for and what the page's own bytes said (page_kind.byte_kind).
    judge: Judging | None = None

    def __post_init__(self) -> None:
        if isinstance(self.body, str):
            object.__setattr__(self, "body", self.body.encode("utf-8"))

    @classmethod
    def of(cls, response: TextResponse) -> Page:
        body = utf8_of_text(response)
        return cls(
            url=response.url,
            request_url=response.request.url if response.request else None,
            body=body,
            # Without a Date header, the time the page came in, not the time it is read.
            date=response.headers.get("Date") or formatdate(usegmt=True).encode(),
            downloaded=datetime.now(UTC).replace(microsecond=0).isoformat(),
            judge=Judging.of(response, own_bytes=body is response.body),
        )

    def response(self) -> TextResponse:
        headers = {"Date": self.date} if self.date else {}
        request = Request(self.request_url) if self.request_url else None
        return HtmlResponse(
            self.url,
            body=self.body,
            encoding="utf-8",
            headers=headers,
            request=request,
        )


def utf8_of_text(response: TextResponse) -> bytes:
    """``response.text`` encoded to UTF-8: the body itself when it already is that (read as
    UTF-8, no byte-order mark taken off, nothing replaced in decoding: valid UTF-8 decodes one
    way only), which spares encoding a 100 KB text again on the crawl's hot path."""
    text = response.text
    body = response.body
    if (
        codecs.lookup(response.encoding).name == "utf-8"
        and not body.startswith(codecs.BOM_UTF8)
        and "\ufffd" not in text
    ):
        return body
    return text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class Judging:
    """What judging a page needs besides its text (see
    :func:`~atlantico.extract.page_kind.tree_kind`)."""

    asked_url: str  # before redirects: an article URL that lands elsewhere is a soft 404
    by_bytes: ByteKind
    # The render middleware left its client-app test to the reader (RENDER_BY_READER).
    render_test: bool = False
    # The bytes the reader gets are the page's own (not its text encoded again after a charset
    # repair): it tests them itself (page_kind.body_kind), and by_bytes holds the headers' say.
    body_test: bool = False

    @classmethod
    def of(cls, response: TextResponse, *, own_bytes: bool = False) -> Judging | None:
        """For a page the content guard left to its reader; None for any other.

        ``own_bytes``: the reader gets ``response.body`` itself, and tests it there."""
        meta = response.meta if response.request is not None else {}
        if not meta.get(JUDGED_BY_READER):
            return None
        asked = first_asked(meta, response.request.url)  # type: ignore[union-attr]
        render_test = bool(meta.get(RENDER_BY_READER))
        by_headers = header_kind(response)
        if own_bytes and by_headers is None:
            return cls(asked, None, render_test, body_test=True)
        return cls(asked, by_headers or byte_kind(response), render_test)

    def with_body(self, body: bytes) -> Judging:
        """The judging complete, given the page's own bytes (:attr:`body_test`)."""
        if not self.body_test:
            return self
        return Judging(self.asked_url, body_kind(body), self.render_test)


@dataclass(frozen=True, slots=True)
class Reading:
    """An article page, read: its item (sections not yet added: the run knows them) and the
    URL of its next part, if the article goes on on another page. ``item`` is None for a page
    that is not an article, and ``kind`` says what it is instead (``soft_404``…), or for a page
    to render first (``kind`` is :data:`~atlantico.extract.rendering.CLIENT_APP`)."""

    item: Article | None
    next_part: str | None
    kind: str = "article"


def read(
    response: TextResponse,
    base_url: str | None,
    via: str,
    selector: Selector | None = None,
    judge: Judging | None = None,
    html: str | bytes | None = None,
) -> Reading:
    """Read ``response`` in this process: what a worker does with its :class:`Page`.

    ``selector``: the page already parsed; by default :func:`tree_of` the response (the
    selector a downloader middleware built already, else one built here). ``judge``: first
    tell whether the page is an article at all (the content guard left it to the reader).
    ``html``: the page's source, if at hand (see :func:`extract_article`)."""
    if selector is None:
        selector = tree_of(response)
    if judge is not None and judge.render_test and is_client_app(selector):
        return Reading(None, None, CLIENT_APP)  # judged once rendered, as before any reading
    # The index of the page, built once for its judging, its extraction and its next part.
    index = Index(selector, response.url, response.text if html is None else html)
    if judge is not None:
        kind = tree_kind(response, judge.asked_url, judge.by_bytes, selector, index)
        if kind != "article":
            return Reading(None, None, kind)
    from atlantico.extract import extract_article  # not before a page needs it

    item = extract_article(
        response, base_url=base_url, discovered_via=via, selector=selector, index=index
    )
    return Reading(item, next_part(response, response.url, selector=selector, index=index))


def release_tree(response: Response) -> None:
    """Drop the parsed tree Scrapy keeps on ``response``, once the page has been read.

    Scrapy caches a response's selector on it, and the selector refers back to the response:
    the pair is a reference cycle, which only Python's cyclic collector frees, and it frees old
    objects rarely. In a fast crawl, pages then outlive their reading by seconds, each with its
    whole tree: hundreds of them, over a hundred megabytes measured with a reading worker.
    Scrapy has no public way to drop the cache; the attribute has been the same since Scrapy
    1.0, and tests/test_reading.py says if it changes.
    """
    if isinstance(response, TextResponse) and response._cached_selector is not None:
        response._cached_selector = None


def release_text(response: TextResponse) -> None:
    """Drop the decoded text Scrapy keeps on ``response``, once a worker has the page.

    Pickling a page's text for the worker also leaves a UTF-8 copy of it cached on the string
    (CPython keeps the UTF-8 form of a non-ASCII ``str`` it has been asked for). The response
    waits for its reading with the text, that copy and its body: three times the body, where
    Scrapy's scraper counts the body only (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``). With dozens of
    pages waiting, that was the largest part of the crawl's process. Without the cache,
    ``response.text`` decodes the body again, to the same text, if anything asks for it.
    """
    if getattr(response, "_cached_ubody", None) is not None:
        response._cached_ubody = None


def read_page(page: Page, base_url: str | None, via: str) -> Reading:
    """A worker's task: nothing has parsed the page yet, so the cheaper tree of
    :func:`~atlantico.extract.page.parse` is built for it (from the bytes as they came)."""
    tree = parse_encoded(page.body, page.url)
    judge = page.judge.with_body(page.body) if page.judge is not None else None
    reading = read(page.response(), base_url, via, tree, judge, html=page.body)
    if reading.item is not None:
        reading.item.metadata["dateDownloaded"] = page.downloaded
    return reading


def worker_count(value: object, download_delay: float, cores: int | None) -> int:
    """The number of workers ``ATLANTICO_READ_WORKERS`` asks for.

    >>> worker_count("auto", 0.0, 2), worker_count("auto", 0.0, 8), worker_count("auto", 1.0, 8)
    (1, 2, 0)
    >>> worker_count("auto", 0.0, 1), worker_count("3", 1.0, 1), worker_count(0, 0.0, 8)
    (0, 3, 0)
    """
    text = str(value).strip().lower()
    if text == "auto":
        if download_delay >= FAST_DELAY:
            return 0
        return max(0, min((cores or 1) - 1, AUTO_MAX))
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise UsageError(
            f"ATLANTICO_READ_WORKERS={value!r}: give auto, 0 (read in the crawl's process) "
            "or a number of worker processes"
        )
    return count


# -- the worker processes ----------------------------------------------------------------------
#
# A worker (:func:`worker_main`) it reads frames from its stdin and writes frames to
# its stdout, each a 4-byte big-endian length and a pickle. In: (number, Page, base_url, via).
# Out: (number, True, Reading) or (number, False, the exception). The crawl's side of the pipes
# lives on the reactor's event loop: no thread, and as many pages queued to a worker as the
# crawl has in flight, so a worker never waits for the next one (the pipe holds those written
# ahead, the others wait their turn unpickled: :class:`Worker`).

_LENGTH = 4


def _frame_parts(payload: object) -> tuple[bytes, bytes]:
    """A frame as its two parts, the length header and the pickle (written apart, no copy)."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_LENGTH, "big"), data


def _frame(payload: object) -> bytes:
    header, data = _frame_parts(payload)
    return header + data


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """A worker's loop: read each page that comes in, until the crawl closes the pipe."""
    while header := source.read(_LENGTH):
        number, page, base_url, via = pickle.loads(source.read(int.from_bytes(header, "big")))
        try:
            answer: tuple[int, bool, object] = (number, True, read_page(page, base_url, via))
        except Exception as error:  # raised in the crawl's process, as without workers
            answer = (number, False, error)
        try:
            frame = _frame(answer)
        except Exception as error:  # an exception that does not pickle: said in words
            frame = _frame((number, False, RuntimeError(f"{answer[2]!r} ({error})")))
        sink.write(frame)
        sink.flush()


# A pipe's buffer, widened from Linux's 64 KB: a page (100 KB and more) then goes into the pipe
# in one write, and the worker reads it whole while this process is busy elsewhere, instead of
# waiting for the event loop to come round and write the rest. 1 MB is Linux's default limit
# for an unprivileged process (/proc/sys/fs/pipe-max-size).
PIPE_SIZE = 1 << 20


def widen(fd: int) -> None:
    """Widen the pipe ``fd`` to :data:`PIPE_SIZE` where the system allows it (Linux)."""
    option = getattr(fcntl, "F_SETPIPE_SZ", None)
    if option is not None:
        # A lower limit: the default size still works, a little more slowly.
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, option, PIPE_SIZE)


class WorkerLost(Exception):
    """A worker process ended while it held pages."""


class Worker:
    """One worker process and the pages it holds."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pending: dict[int, asyncio.Future[Reading]] = {}
        self.numbers = itertools.count()
        # Pages are written one at a time, in the order they came (the lock is first come,
        # first served), each once the transport has passed the one before to the pipe: a page
        # waiting for its turn is its response's body, where a written frame is a pickled copy
        # in the transport's buffer. The pipe (PIPE_SIZE) still holds pages ahead for the
        # worker. Writing every frame at once kept dozens of copies in one growing buffer.
        self.turn = asyncio.Lock()
        self.answers = asyncio.ensure_future(self._answers())

    @classmethod
    async def start(cls) -> Worker:
        # A fresh interpreter, never a fork of a process running a reactor and its threads; it
        # sees the modules this one sees (a Scrapyd egg too).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            f"from {__name__} import worker_main; worker_main()",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
            # Its own session: Ctrl-C stops the crawl, which closes the pipe; the worker then
            # ends with the page it holds answered, instead of a traceback.
            start_new_session=True,
        )
        return cls(process)

    async def read(self, page: Page, base_url: str | None, via: str) -> Reading:
        if self.answers.done():
            raise WorkerLost(self._why())
        number = next(self.numbers)
        answer: asyncio.Future[Reading] = asyncio.get_running_loop().create_future()
        self.pending[number] = answer
        stdin = self.process.stdin
        assert stdin is not None
        try:
            async with self.turn:
                # The pages before this one are in the pipe (the transport's buffer is low):
                # this one is pickled now, and waited till now as its response's body.
                await stdin.drain()
                header, data = _frame_parts((number, page, base_url, via))
                del page  # in the pickle now: not kept here while the worker reads
                stdin.write(header)
                stdin.write(data)  # what the pipe did not take is in the transport's buffer
                del data
        except (ConnectionError, RuntimeError) as error:
            self.pending.pop(number, None)
            raise WorkerLost(f"{self._why()}: {error}") from error
        except BaseException:  # cancelled while waiting its turn: never sent, nothing to await
            self.pending.pop(number, None)
            raise
        return await answer

    async def _answers(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                header = await stdout.readexactly(_LENGTH)
                data = await stdout.readexactly(int.from_bytes(header, "big"))
                number, ok, value = pickle.loads(data)
                answer = self.pending.pop(number)
                if not answer.done():
                    if ok:
                        answer.set_result(value)
                    else:
                        answer.set_exception(value)
        except asyncio.IncompleteReadError:
            pass  # the worker ended
        finally:
            for answer in self.pending.values():
                if not answer.done():
                    answer.set_exception(WorkerLost(self._why()))
            self.pending.clear()

    def _why(self) -> str:
        code = self.process.returncode
        return "it ended" if code is None else f"it ended with exit code {code}"

    def cpu_seconds(self) -> float | None:
        """The CPU time the worker has used so far (Linux ``/proc``), or None."""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    async def stop(self) -> None:
        stdin = self.process.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()  # the worker answers what it holds, then ends
        await self.process.wait()
        await self.answers


class PageReader:
    """Reads article pages for the spider, in workers or here (see the module)."""

    def __init__(self, crawler: Crawler, workers: int) -> None:
        self.crawler = crawler
        self.workers = workers
        self.starting: asyncio.Future[list[Worker]] | None = None
        if workers:
            # Started once the first answer is in (robots.txt): never between the start of the
            # run and its first request.
            crawler.signals.connect(self._first_answer, signal=signals.response_received)
            crawler.signals.connect(self.stop, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageReader:
        settings = crawler.settings
        workers = worker_count(
            settings.get("ATLANTICO_READ_WORKERS", "auto"),
            settings.getfloat("DOWNLOAD_DELAY"),
            os.cpu_count(),
        )
        return cls(crawler, workers)

    def _first_answer(self) -> None:
        self.crawler.signals.disconnect(self._first_answer, signal=signals.response_received)
        self.start()

    def start(self) -> None:
        """Start the workers: they import the extraction while the first pages download."""

        async def started() -> list[Worker]:
            return list(await asyncio.gather(*(Worker.start() for _ in range(self.workers))))

        self.starting = asyncio.ensure_future(started())
        logger.info("Reading article pages in %d worker process(es)", self.workers)

    async def stop(self) -> None:
        starting, self.starting = self.starting, None
        if starting is not None:
            pool = await starting
            used = [worker.cpu_seconds() for worker in pool]
            await asyncio.gather(*(worker.stop() for worker in pool))
            stats = self.crawler.stats
            read = stats.get_value(names.READING_IN_WORKER, 0) if stats else 0
            if read and None not in used:
                total = sum(u for u in used if u is not None)
                logger.info(
                    "%d page(s) read in %d worker process(es), %.1f s of CPU there "
                    "(%.2f ms per page, start-up included)",
                    read, len(pool), total, 1000 * total / read,
                )  # fmt: skip

    async def read(self, response: TextResponse, base_url: str | None, via: str) -> Reading:
        """The page read, by a worker if there is one; in this process otherwise."""
        if self.starting is not None:
            try:
                pool = await self.starting
                # The worker with the fewest pages waiting.
                worker = min(pool, key=lambda worker: len(worker.pending))
                # The page, held by the call only until it is written to the worker.
                sent = worker.read(Page.of(response), base_url, via)
                release_tree(response)  # a middleware's, not needed here any more
                release_text(response)
                reading = await sent
            except (WorkerLost, OSError) as lost:
                self._lost(lost)
            else:
                self._count(names.READING_IN_WORKER)
                return self._judged(response, reading)
        return self.read_here(response, base_url, via)

    def read_here(self, response: TextResponse, base_url: str | None, via: str) -> Reading:
        """The page read in this process (one the spider reads where it handles its answer: a
        page kept for later, a legacy URL's own page)."""
        self._count(names.READING_HERE)
        reading = read(response, base_url, via, judge=Judging.of(response))
        release_tree(response)
        return self._judged(response, reading)

    def _judged(self, response: TextResponse, reading: Reading) -> Reading:
        stats = self.crawler.stats
        assert stats is not None
        if reading.kind == CLIENT_APP:
            return reading  # the spider asks for the page rendered
        if response.meta.get(RENDER_BY_READER):
            stats.inc_value(names.RENDER_STATIC)  # the render middleware's, answered here
        if reading.item is None:  # not an article: said as the content guard says it
            interstitial = reading.kind.startswith("interstitial") and response.request
            url = response.request.url if interstitial else response.url  # type: ignore[union-attr]
            report_not_article(stats, url, response.status, reading.kind)
        return reading

    def _count(self, name: str) -> None:
        assert self.crawler.stats is not None  # set once the crawl starts, before any page
        self.crawler.stats.inc_value(name)

    def _lost(self, error: BaseException) -> None:
        if self.starting is None:
            return  # said already, by the first page that found a worker gone
        self._count(names.READING_WORKER_LOST)
        logger.error(
            "An extraction worker process was lost (%s): every page from now on is read in "
            "the crawl's own process, more slowly; no page is lost.",
            error,
        )
        starting, self.starting = self.starting, None
        if starting.done() and not starting.cancelled() and starting.exception() is None:
            for worker in starting.result():
                if worker.process.returncode is None:
                    worker.process.kill()


def worker_main() -> None:
    """A worker process: ``python -c "from atlantico.reading import worker_main; worker_main()"``.

    The frames go through a private copy of stdout; anything printed goes to stderr.
    """
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    for fd in (0, sink.fileno()):  # either end of a pipe sets its size
        widen(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.stdin.buffer, sink)
