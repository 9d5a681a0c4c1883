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

import inspect
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


class _Members:
    """Attributes listed by ``dir`` as given, and nothing else."""

    def __init__(self, members: list[tuple[str, Any]]) -> None:
        self.__dict__.update(members)

    def __dir__(self) -> list[str]:
        return list(self.__dict__)


class SpiderMethods:
    """A spider's methods, and nothing else: where :meth:`~scrapy.Request.to_dict` looks up
    the name of a request's callback, for the same answer at a fraction of the cost.

    Scrapy's lookup lists every attribute of the spider (``inspect.getmembers``, properties
    read and all: about 40 µs per request, more than the rest of :func:`pack`) and takes the
    first name, in sorted order, whose method has the callback's function. :meth:`members`
    holds the spider's methods under their names and lists only them: the same sorted names,
    the same first match. They are read again when a method was set on the spider itself since
    (its class's methods are taken as fixed), and :func:`pack` checks the name found against
    the spider.
    """

    def __init__(self, spider: Spider) -> None:
        self.spider = spider
        self._own: list[tuple[str, Any]] | None = None
        self._members = _Members([])

    def members(self) -> Any:
        own = [(k, v) for k, v in vars(self.spider).items() if inspect.ismethod(v)]
        if own != self._own:
            self._own = own
            self._members = _Members(inspect.getmembers(self.spider, inspect.ismethod))
        return self._members


def _names_match(data: dict[str, Any], request: Request, spider: Spider) -> bool:
    """Whether the callback and errback names in ``data`` are the spider's methods of the
    request (Scrapy's own test: the same function)."""
    for key in ("callback", "errback"):
        given, name = getattr(request, key), data.get(key)
        if callable(given):
            found = getattr(spider, name, None) if isinstance(name, str) else None
            if getattr(found, "__func__", None) is not getattr(given, "__func__", given):
                return False
    return True


def pack(
    request: Request, spider: Spider | None, methods: SpiderMethods | None = None
) -> bytes | None:
    """``request`` as bytes that :func:`unpack` turns back into the same request, or None
    when it cannot be (an object in its ``meta``, a callback the spider does not have).
    ``methods``: the spider's, read once (:class:`SpiderMethods`), for a cheaper lookup.

    >>> request = Request("https://a.fr/article/x/y", meta={"sections": ["h"]}, priority=2)
    >>> again = unpack(pack(request, None), None)
    >>> again.url, again.meta, again.priority, again is request
    ('https://a.fr/article/x/y', {'sections': ['h']}, 2, False)
    >>> pack(Request("https://a.fr/", meta={"chain": object()}), None) is None
    True
    """
    data = None
    if methods is not None and spider is not None and spider is methods.spider:
        try:
            data = request.to_dict(spider=methods.members())
        except ValueError:  # not among the methods read at first: the spider decides
            data = None
        if data is not None and not _names_match(data, request, spider):
            data = None
    if data is None:
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
        self.methods: SpiderMethods | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        return cls(crawler.spider, crawler.stats)

    def push(self, request: Request) -> None:
        if self.methods is None and self.spider is not None:
            self.methods = SpiderMethods(self.spider)
        packed = pack(request, self.spider, self.methods)
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
