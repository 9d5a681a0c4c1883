"""The scheduler's memory queues, holding each waiting request as a few hundred bytes.

The articles are requested once every listing, sitemap and legacy URL has been read (README,
*How articles are found*): the scheduler then holds one request per article found, thousands
on a first run. A :class:`~scrapy.Request` waiting there costs about 3.5 KB (the object and its
``meta``, the ``Referer`` header, the parsed URL and the fingerprint Scrapy caches for it,
its ``trackref`` entry), which made the crawl's peak memory grow by about 3 KB per article.
These queues keep the request's :meth:`~scrapy.Request.to_dict` instead, marshalled (about
450 bytes), as Scrapy's own ``MarshalLifoDiskQueue`` does on disk when ``JOBDIR`` is set, and
build the request again when the scheduler takes it: the same request (URL, callbacks,
headers, ``meta``, priority, flags), a new object. A request of a URL, a callback, headers and
plain ``meta`` only, as every article request is, is a tuple instead (:func:`fold`): its URL
interned (the string discovery keeps for the article), its headers and the parts of its
``meta`` shared with the other requests waiting (88 bytes, against about 300 to 400 marshalled).

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
import sys
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
    request: Request,
    spider: Spider | None,
    methods: SpiderMethods | None = None,
    shared: dict[Any, Any] | None = None,
) -> bytes | tuple[Any, ...] | None:
    """``request`` as bytes that :func:`unpack` turns back into the same request, or None
    when it cannot be (an object in its ``meta``, a callback the spider does not have).
    ``methods``: the spider's, read once (:class:`SpiderMethods`), for a cheaper lookup.
    ``shared``: given, a request of a URL, a callback and plain ``meta`` (an article's) is a
    tuple instead (:func:`fold`), sharing its parts with the others: about 80 bytes.

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
        if shared is not None and (folded := fold(data, shared)) is not None:
            return folded
    try:
        return marshal.dumps(data)
    except ValueError:  # something else than plain data
        return None


def unpack(packed: bytes | tuple[Any, ...], spider: Spider | None) -> Request:
    if isinstance(packed, tuple):
        return _unfold(packed, spider)
    request: Request = request_from_dict(marshal.loads(packed), spider=spider)
    return request


# What :func:`fold` takes: a request whose stored form (:func:`pack`'s dict, defaults left out)
# is its URL, its callback's name, a priority, headers and a ``meta`` of these values, or of
# lists of them (an article request: its sections, how it was found, its aliases; its Referer).
_FOLDED_KEYS = frozenset({"url", "callback", "headers", "meta", "priority"})
_SCALARS = (str, int, float, bool, type(None))
# The tuples a queue shares between the requests it holds, up to this many distinct ones (a
# fixed cost: the parts common to many requests are met first), forgotten once it is empty.
_SHARED_MAX = 1024


def _scalar(value: object) -> bool:
    return type(value) in _SCALARS


def fold(data: dict[str, Any], shared: dict[Any, Any]) -> tuple[Any, ...] | None:
    """``data`` (:func:`pack`'s dict of a request) as a tuple ``(url, callback, headers, meta
    keys, meta values, priority)``, lists as tuples, or None when it holds anything else.
    ``shared``: equal tuples (headers, meta keys, sections, the values of similar requests)
    given as one object.

    >>> shared = {}
    >>> data = {"url": "https://a.fr/article/x/y", "callback": "parse_article",
    ...         "meta": {"sections": ["h"], "discovered_via": "listing", "aliases": []}}
    >>> url, callback, headers, keys, values, priority = fold(data, shared)
    >>> callback, headers, keys, values, priority
    ('parse_article', (), ('sections', 'discovered_via', 'aliases'), (('h',), 'listing', ()), 0)
    >>> fold({**data, "headers": {b"Referer": [b"https://a.fr/"]}}, shared)[2]
    ((b'Referer', (b'https://a.fr/',)),)
    >>> fold({**data, "meta": {"chain": [["a"]]}}, shared) is None
    True
    """
    if not data.keys() <= _FOLDED_KEYS:
        return None
    url, callback, meta, priority = (
        data.get("url"), data.get("callback"), data.get("meta", {}), data.get("priority", 0)
    )  # fmt: skip
    if type(url) is not str or not (callback is None or type(callback) is str):
        return None
    if type(meta) is not dict or type(priority) is not int:
        return None
    headers: list[tuple[bytes, tuple[bytes, ...]]] = []
    given = data.get("headers", {})
    if type(given) is not dict:
        return None
    for name, lines in given.items():
        if type(name) is not bytes or type(lines) is not list:
            return None
        if not all(type(line) is bytes for line in lines):
            return None
        headers.append((name, tuple(lines)))
    values: list[object] = []
    for key, value in meta.items():
        if type(key) is not str:
            return None
        if type(value) is list:
            if not all(_scalar(one) for one in value):
                return None
            value = _share(tuple(value), shared)
        elif not _scalar(value):
            return None
        values.append(value)
    keys = _share(tuple(meta), shared)
    return (
        sys.intern(url),
        callback,
        _share(tuple(headers), shared),
        keys,
        _share(tuple(values), shared),
        priority,
    )


def _share(value: tuple[Any, ...], shared: dict[Any, Any]) -> tuple[Any, ...]:
    if len(shared) < _SHARED_MAX:
        return shared.setdefault(value, value)
    return shared.get(value, value)


def _unfold(folded: tuple[Any, ...], spider: Spider | None) -> Request:
    """The request of :func:`fold`'s tuple, as :func:`request_from_dict` builds it from the
    dict: lists given back as new lists, the callback looked up on the spider."""
    url, callback, headers, keys, values, priority = folded
    meta = {k: list(v) if type(v) is tuple else v for k, v in zip(keys, values, strict=True)}
    if callback and spider:
        found = getattr(spider, callback, None)
        if found is None:
            raise ValueError(f"Method {callback!r} not found in: {spider}")
        callback = found
    given = {name: list(lines) for name, lines in headers} if headers else None
    return Request(url, callback=callback, headers=given, meta=meta, priority=priority)


class _CompactQueue:
    """A memory queue of packed requests (:func:`pack`), or whole ones that cannot be."""

    lifo = True

    def __init__(self, spider: Spider | None, stats: StatsCollector | None) -> None:
        self.spider = spider
        self.stats = stats
        self.waiting: deque[bytes | tuple[Any, ...] | Request] = deque()
        self.methods: SpiderMethods | None = None
        self.shared: dict[Any, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        return cls(crawler.spider, crawler.stats)

    def push(self, request: Request) -> None:
        if self.methods is None and self.spider is not None:
            self.methods = SpiderMethods(self.spider)
        packed = pack(request, self.spider, self.methods, self.shared)
        if packed is None and self.stats is not None:
            self.stats.inc_value(names.SCHEDULER_KEPT_WHOLE)
        self.waiting.append(request if packed is None else packed)

    def pop(self) -> Request | None:
        if not self.waiting:
            return None
        held = self.waiting.pop() if self.lifo else self.waiting.popleft()
        if not self.waiting:
            self.shared.clear()
        return held if isinstance(held, Request) else unpack(held, self.spider)

    def peek(self) -> Request | None:
        if not self.waiting:
            return None
        held = self.waiting[-1] if self.lifo else self.waiting[0]
        return held if isinstance(held, Request) else unpack(held, self.spider)

    def close(self) -> None:
        self.waiting.clear()
        self.shared.clear()

    def __len__(self) -> int:
        return len(self.waiting)


class CompactLifoMemoryQueue(_CompactQueue):
    """Last in, first out, as Scrapy's ``LifoMemoryQueue`` (``SCHEDULER_MEMORY_QUEUE``)."""

    lifo = True


class CompactFifoMemoryQueue(_CompactQueue):
    """First in, first out, as Scrapy's ``FifoMemoryQueue`` (``SCHEDULER_START_MEMORY_QUEUE``)."""

    lifo = False
