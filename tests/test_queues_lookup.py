"""The scheduler's queues name a request's callback as Scrapy's ``Request.to_dict`` does.

:func:`atlantico.queues.pack` looks the callback up among the spider's methods read once
(:class:`atlantico.queues.SpiderMethods`) instead of every attribute of the spider: the same
names come out, aliases and methods set on the spider later included, and what Scrapy refuses
is refused (kept whole).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from atlantico.queues import CompactLifoMemoryQueue, SpiderMethods, pack, unpack

BASE = "https://atlantico.fr"


class LookupSpider(Spider):
    name = "lookup"

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield from ()

    # An alias: Scrapy names the first in sorted order ("another_name" < "parse_listing").
    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield from ()

    another_name = parse_listing

    def failed(self, failure: Any) -> None:
        pass

    @property
    def costly(self) -> int:  # read by Scrapy's lookup, not by the spider's methods
        return 1


def _fields(packed: bytes | None) -> tuple[Any, Any] | None:
    if packed is None:
        return None
    data = marshal.loads(packed)
    return data.get("callback"), data.get("errback")


def test_the_names_are_scrapys() -> None:
    spider = LookupSpider()
    methods = SpiderMethods(spider)
    requests = [
        Request(f"{BASE}/a", callback=spider.parse_article, errback=spider.failed),
        Request(f"{BASE}/b", callback=spider.parse_listing),
        Request(f"{BASE}/c", callback=spider.another_name),
        Request(f"{BASE}/d"),
        Request(f"{BASE}/e", callback=lambda response: None),  # no method: kept whole
        Request(f"{BASE}/f", callback=LookupSpider().parse_article),  # another spider's
    ]
    for request in requests:
        assert _fields(pack(request, spider, methods)) == _fields(pack(request, spider))
    assert _fields(pack(requests[2], spider, methods)) == ("another_name", None)
    assert pack(requests[4], spider, methods) is None


def test_a_method_set_on_the_spider_later_is_found_and_a_replaced_one_is_not_misnamed() -> None:
    spider = LookupSpider()
    methods = SpiderMethods(spider)
    later = LookupSpider()
    spider.extra = later.failed  # type: ignore[attr-defined]
    request = Request(f"{BASE}/a", callback=spider.extra)  # type: ignore[attr-defined]
    assert _fields(pack(request, spider, methods)) == ("extra", None)
    old = spider.parse_article
    spider.parse_article = later.failed  # type: ignore[method-assign]
    request = Request(f"{BASE}/b", callback=old)
    assert _fields(pack(request, spider, methods)) == _fields(pack(request, spider))


def test_the_queue_gives_back_the_same_callbacks() -> None:
    spider = LookupSpider()
    crawler = get_crawler(LookupSpider)
    crawler.spider = spider
    queue = CompactLifoMemoryQueue.from_crawler(crawler, "")
    queue.push(Request(f"{BASE}/a", callback=spider.another_name, errback=spider.failed))
    again = queue.pop()
    assert again is not None
    assert (again.callback, again.errback) == (spider.another_name, spider.failed)
    packed = pack(Request(f"{BASE}/b", callback=spider.parse_article), spider)
    assert packed is not None
    assert unpack(packed, spider).callback == spider.parse_article
