"""The scheduler's memory queues, holding each waiting request as a few hundred bytes.

The articles are requested once every listing, sitemap and legacy URL has been read (README,
*How articles are found*): the scheduler then holds one request per article found, thousands
on a first run. A :class:`~scrapy.Request` waiting there costs about 3.5 KB (the object and its
``meta``, the ``Referer`` header, the parsed URL and the fingerprint Scrapy caches for it,
its ``trackref`` entry), which made the crawl's peak memory grow by about 3 KB per article.
These queues keep the request's :meth:`~scrapy.Request.to_dict` instead, marshalled (about
450 bytes), as Scrapy's own ``MarshalLifoDiskQueue`` does on disk when ``JOBDIR`` is set, and
build the request again when the scheduler takes it: the same request (URL, callbacks,
headers, ``meta``, priority, flags), a new object.

``marshal`` writes plain data only (strings, bytes, numbers, lists, dicts…). A request it
cannot write (an object in its ``meta``: a multi-page article's chain, a browser page's
methods) or that :meth:`~scrapy.Request.to_dict` refuses (a callback that is no method of the
spider) is kept as it is, and counted in ``atlantico/scheduler/kept_whole``: nothing waits
in another form than one that gives the same request back.

Set by ``SCHEDULER_MEMORY_QUEUE`` (LIFO, Scrapy's default order) and
``SCHEDULER_START_MEMORY_QUEUE`` (FIFO, the start requests: the retry queue's come first).
"""

from __future__ import annotations

import marshal
from collections import deque
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.request import request_from_dict

from atlantico import stats as names

# What ``to_dict`` gives for a plain Request when an argument was not given: left out of the
# stored form, given back by Request's defaults.
_DEFAULTS: dict[str, Any] = {
    key: value for key, value in Request("http://a").to_dict().items() if key != "url"
}


def pack(request: Request, spider: Spider | None) -> bytes | None:
    """``request`` as bytes that :func:`unpack` turns back into the same request, or None
    when it cannot be (an object in its ``meta``, a callback the spider does not have).

    >>> request = Request("https://a.fr/article/x/y", meta={"sections": ["h"]}, priority=2)
    >>> again = unpack(pack(request, None), None)
    >>> again.url, again.meta, again.priority, again is request
    ('https://a.fr/article/x/y', {'sections': ['h']}, 2, False)
    >>> pack(Request("https://a.fr/", meta={"chain": object()}), None) is None
    True
    """
    try:
        data = request.to_dict(spider=spider)
    except ValueError:  # a callback or errback that is no method of the spider
        return None
    if "_class" not in data:  # a subclass may have other defaults: kept whole
        data = {k: v for k, v in data.items() if k not in _DEFAULTS or v != _DEFAULTS[k]}
    try:
        return marshal.dumps(data)
    except ValueError:  # something else than plain data
        return None


def unpack(packed: bytes, spider: Spider | None) -> Request:
    request: Request = request_from_dict(marshal.loads(packed), spider=spider)
    return request


class _CompactQueue:
    """A memory queue of packed requests (:func:`pack`), or whole ones that cannot be."""

    lifo = True

    def __init__(self, spider: Spider | None, stats: StatsCollector | None) -> None:
        self.spider = spider
        self.stats = stats
        self.waiting: deque[bytes | Request] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        return cls(crawler.spider, crawler.stats)

    def push(self, request: Request) -> None:
        packed = pack(request, self.spider)
        if packed is None and self.stats is not None:
            self.stats.inc_value(names.SCHEDULER_KEPT_WHOLE)
        self.waiting.append(request if packed is None else packed)

    def pop(self) -> Request | None:
        if not self.waiting:
            return None
        held = self.waiting.pop() if self.lifo else self.waiting.popleft()
        return unpack(held, self.spider) if isinstance(held, bytes) else held

    def peek(self) -> Request | None:
        if not self.waiting:
            return None
        held = self.waiting[-1] if self.lifo else self.waiting[0]
        return unpack(held, self.spider) if isinstance(held, bytes) else held

    def close(self) -> None:
        self.waiting.clear()

    def __len__(self) -> int:
        return len(self.waiting)


class CompactLifoMemoryQueue(_CompactQueue):
    """Last in, first out, as Scrapy's ``LifoMemoryQueue`` (``SCHEDULER_MEMORY_QUEUE``)."""

    lifo = True


class CompactFifoMemoryQueue(_CompactQueue):
    """First in, first out, as Scrapy's ``FifoMemoryQueue`` (``SCHEDULER_START_MEMORY_QUEUE``)."""

    lifo = False
