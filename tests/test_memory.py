"""What the run keeps per article stays small: issue 14's peak memory, growing < 1 KB per article.

Each structure that holds an entry per article is checked by counting objects, not bytes: the
scheduler's queues hold no Request object while requests wait (atlantico/queues.py), and give
back the same requests in the same order as Scrapy's; the run's URLs are one string each
wherever discovery keeps them; the parsed pages share their sections; the duplicate filter of
items keeps digests.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.core.scheduler import Scheduler
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from atlantico import settings as project
from atlantico import stats as names
from atlantico.discovery.aliases import Found
from atlantico.discovery.listings import take_page
from atlantico.discovery.phases import Walks
from atlantico.discovery.site import Site
from atlantico.extract.listing import ListedArticle
from atlantico.items import Article
from atlantico.pipelines.dedupe import DedupePipeline
from atlantico.queues import CompactFifoMemoryQueue, CompactLifoMemoryQueue, pack, unpack

BASE = "https://atlantico.fr"


class QueueSpider(Spider):
    name = "queue"

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield from ()

    def failed(self, failure: Any) -> None:
        pass


def _live_requests() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Request))


def _article(spider: QueueSpider, n: int, errback: bool = True, **kwargs: Any) -> Request:
    meta = {"sections": ["decryptages", "high-tech"], "discovered_via": "listing", "aliases": []}
    request = Request(
        f"{BASE}/article/decryptage/article-{n}",
        callback=spider.parse_article,
        errback=spider.failed if errback else None,
        meta=meta,
        **kwargs,
    )
    request.headers.setdefault("Referer", f"{BASE}/categorie/decryptages?page={n // 20}")
    return request


def _same(a: Request, b: Request) -> None:
    assert (a.url, a.method, a.body, a.priority, a.dont_filter) == (
        b.url,
        b.method,
        b.body,
        b.priority,
        b.dont_filter,
    )
    assert (a.meta, a.flags, a.cb_kwargs, a.cookies) == (b.meta, b.flags, b.cb_kwargs, b.cookies)
    assert a.headers.to_unicode_dict() == b.headers.to_unicode_dict()
    assert (a.callback, a.errback, a.encoding) == (b.callback, b.errback, b.encoding)


def test_a_waiting_request_is_no_request_object() -> None:
    """5,000 article requests waiting: none of them alive as a Request (each is bytes)."""
    spider = QueueSpider()
    crawler = get_crawler(QueueSpider)
    crawler.spider = spider
    queue = CompactLifoMemoryQueue.from_crawler(crawler, "")
    before = _live_requests()
    for n in range(5000):
        queue.push(_article(spider, n))
    assert len(queue) == 5000
    assert _live_requests() - before <= 1  # at most the Request used for the defaults
    assert all(isinstance(held, bytes) for held in queue.waiting)
    assert max(len(held) for held in queue.waiting) < 600


def _spiders_article(spider: QueueSpider, n: int) -> Request:
    """An article request as the spider makes it (``article_meta``, read by a worker), with
    the Referer Scrapy's middleware adds: a URL, a callback, one header and plain ``meta``."""
    sections = [["decryptages"], ["decryptages", "high-tech"], ["france"]][n % 3]
    meta = {"sections": sections, "discovered_via": "listing", "aliases": []}
    if n % 10 == 0:
        meta["aliases"] = [f"{BASE}/decryptage/{n}/article-{n}"]
    meta["atlantico_judged"] = True
    request = Request(
        f"{BASE}/article/decryptage/article-{n}", callback=spider.parse_article, meta=meta
    )
    request.headers.setdefault("Referer", f"{BASE}/sitemaps/articles-{n // 1000}.xml")
    return request


def test_a_waiting_article_request_is_a_small_tuple_and_comes_back_the_same() -> None:
    """5,000 article requests as the spider makes them: each waits as a tuple (no Request, no
    bytes) whose headers and meta parts are shared with the others; given back the same, last
    in first out."""
    spider = QueueSpider()
    crawler = get_crawler(QueueSpider)
    crawler.spider = spider
    queue = CompactLifoMemoryQueue.from_crawler(crawler, "")
    made = [_spiders_article(spider, n) for n in range(5000)]
    before = _live_requests()
    for request in made:
        queue.push(request)
    assert _live_requests() == before
    assert all(type(held) is tuple for held in queue.waiting)
    assert len({id(held[2]) for held in queue.waiting}) == 5  # one Referer per 1,000
    assert len({id(held[4][0]) for held in queue.waiting}) == 3  # the three section lists
    taken = []
    while (request := queue.pop()) is not None:
        taken.append(request)
    assert len(taken) == len(made)
    for again, original in zip(taken, reversed(made), strict=True):
        _same(again, original)
        assert type(again.meta["sections"]) is list
    assert not queue.shared  # nothing kept once empty


@pytest.mark.parametrize(
    ("meta", "folded"),
    [
        ({"sections": ["h"], "early": True, "n": 3, "x": 1.5, "none": None}, True),
        ({"ids": [1, "a", None, False]}, True),
        ({"nested": [["a"]]}, False),  # a list of lists: marshalled
        ({"pair": ("a", "b")}, False),  # a tuple stays a tuple: marshalled
        ({"map": {"a": 1}}, False),
    ],
)
def test_a_plain_request_is_folded_only_when_it_comes_back_the_same(
    meta: dict[str, Any], folded: bool
) -> None:
    spider = QueueSpider()
    request = Request(f"{BASE}/article/x/y", callback=spider.parse_article, meta=meta, priority=2)
    request.headers["Referer"] = f"{BASE}/"
    packed = pack(request, spider, shared={})
    assert (type(packed) is tuple) is folded
    assert packed is not None
    again = unpack(packed, spider)
    _same(again, request)
    assert [type(v) for v in again.meta.values()] == [type(v) for v in meta.values()]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"priority": 3, "dont_filter": True, "flags": ["x"], "cb_kwargs": {"page": 2}},
        {"method": "POST", "body": b"a=1", "cookies": {"c": "1"}, "encoding": "latin-1"},
        {"headers": {"If-None-Match": '"abc"', "If-Modified-Since": "Tue, 01 Dec 2026"}},
    ],
)
def test_a_request_comes_back_the_same(kwargs: dict[str, Any]) -> None:
    spider = QueueSpider()
    request = _article(spider, 7, **kwargs)
    packed = pack(request, spider)
    assert packed is not None
    _same(unpack(packed, spider), request)


def test_a_request_that_is_not_plain_data_is_kept_whole_and_counted() -> None:
    spider = QueueSpider()
    crawler = get_crawler(QueueSpider)
    crawler.spider = spider
    assert crawler.stats is not None
    crawler.stats.open_spider()
    queue = CompactFifoMemoryQueue.from_crawler(crawler, "")
    chain = object()  # a multi-page article's chain, a browser's page methods
    held = Request(f"{BASE}/article/x/part-2", callback=spider.parse_article, meta={"c": chain})
    foreign = Request(f"{BASE}/robots.txt", callback=lambda response: None)
    plain = _article(spider, 1)
    for request in (held, foreign, plain):
        queue.push(request)
    assert crawler.stats.get_value(names.SCHEDULER_KEPT_WHOLE) == 2
    first, second, third = queue.pop(), queue.pop(), queue.pop()
    assert first is held
    assert first.meta["c"] is chain
    assert second is foreign
    assert third is not None
    assert third is not plain
    _same(third, plain)
    assert queue.pop() is None


def _order(settings: dict[str, Any]) -> list[tuple[str, int]]:
    """The order in which a scheduler with ``settings`` gives back a mix of requests (one
    host: the downloader-aware queue, which needs a running engine, orders them so too)."""
    settings = {"SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue", **settings}
    crawler = get_crawler(QueueSpider, settings)
    spider = QueueSpider.from_crawler(crawler)
    crawler.spider = spider
    scheduler = Scheduler.from_crawler(crawler)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    scheduler.open(spider)
    out: list[tuple[str, int]] = []
    for n in range(60):
        # Marshalled (an errback) or folded (none) as they come.
        request = _article(spider, n, errback=n % 2 == 0, priority=n % 3, dont_filter=n % 7 == 0)
        scheduler.enqueue_request(request)
        if n % 5 == 4:  # taken while others are added, as the engine does
            taken = scheduler.next_request()
            assert taken is not None
            out.append((taken.url, taken.priority))
    # Duplicates are still filtered (the fingerprint of the request given back is the same).
    assert not scheduler.enqueue_request(_article(spider, 1, priority=1))
    while (taken := scheduler.next_request()) is not None:
        out.append((taken.url, taken.priority))
    return out


def test_the_scheduler_gives_the_requests_in_scrapys_order() -> None:
    ours = {
        "SCHEDULER_MEMORY_QUEUE": project.SCHEDULER_MEMORY_QUEUE,
        "SCHEDULER_START_MEMORY_QUEUE": project.SCHEDULER_START_MEMORY_QUEUE,
    }
    scrapys = _order({})
    assert _order(ours) == scrapys
    assert len(scrapys) == 60


def test_the_project_uses_the_compact_queues() -> None:
    settings = Settings(vars(project))
    assert settings.get("SCHEDULER_MEMORY_QUEUE").endswith("CompactLifoMemoryQueue")
    assert settings.get("SCHEDULER_START_MEMORY_QUEUE").endswith("CompactFifoMemoryQueue")


def test_an_article_url_is_one_string_wherever_discovery_keeps_it() -> None:
    """Listed by two sections, found, requested, parsed: one string object per URL."""
    site, walks, found = Site.of(BASE), Walks(), Found()
    cards = [
        ListedArticle(f"{BASE}/article/decryptage/a-{n}?utm_source=x", None) for n in range(50)
    ]
    again = [
        ListedArticle(f"http://www.atlantico.fr/article/decryptage/a-{n}/", None) for n in range(50)
    ]
    for key, page in (("decryptages", cards), ("high-tech", again)):
        take_page(page, key=key, page=1, next_url=None, since=None, walks=walks, found=found,
                  known=lambda urls: {}, site=site)  # fmt: skip
    for url in list(found):
        asked = site.canonical(url)  # the article request's URL
        found.requested.add(asked)
        found.parsed_as(site.canonical(asked + "/"), found.sections[url])  # the answer's
    strings = {
        id(url)
        for group in (*walks.listed.values(), found.sections, found.requested, found.parsed)
        for url in group
    }
    assert len(found) == 50
    assert len(strings) == 50


def test_parsed_pages_share_their_sections() -> None:
    found = Found()
    combos = [["decryptages"], ["high-tech"], ["high-tech", "decryptages"]]
    for n in range(3000):
        found.parsed_as(f"{BASE}/article/x/{n}", list(combos[n % 3]))
    assert len({id(sections) for sections in found.parsed.values()}) == 3
    assert found.parsed[f"{BASE}/article/x/2"] == {"decryptages", "high-tech"}


def test_the_item_duplicate_filter_keeps_digests() -> None:
    crawler = get_crawler(QueueSpider)
    assert crawler.stats is not None
    pipeline = DedupePipeline.from_crawler(crawler)
    long_key = "/article/decryptage/" + "un-titre-tres-long-" * 10
    for n in range(200):
        pipeline.process_item(Article(url=f"{BASE}{long_key}{n}", articleKey=f"{long_key}{n}"))
    assert len(pipeline.keys) == 200
    assert {len(key) for key in pipeline.keys} == {16}
    assert max(sys.getsizeof(key) for key in pipeline.keys) < 64


def test_the_validators_kept_for_the_store_are_one_shared_tuple_when_a_page_has_none() -> None:
    from types import SimpleNamespace

    from atlantico.retry_queue import ConditionalMiddleware

    context = SimpleNamespace(validators={})
    middleware = ConditionalMiddleware(get_crawler(QueueSpider), context)  # type: ignore[arg-type]
    spider = QueueSpider()
    for n, headers in enumerate([{}, {}, {"ETag": '"e1"'}, {"Last-Modified": "Tue, 01 Dec 2026"}]):
        request = _spiders_article(spider, n)
        response = Response(request.url, status=200, headers=headers, request=request)
        assert middleware.process_response(request, response) is response
    kept = context.validators
    assert kept["/article/decryptage/article-0"] is kept["/article/decryptage/article-1"]
    assert kept["/article/decryptage/article-0"] == (None, None)
    assert kept["/article/decryptage/article-2"] == ('"e1"', None)
    assert kept["/article/decryptage/article-3"] == (None, "Tue, 01 Dec 2026")


def test_the_store_pipeline_takes_out_the_validators_it_stages() -> None:
    from types import SimpleNamespace

    from atlantico.pipelines.store import StorePipeline
    from atlantico.store import Pending

    staged: list[Pending] = []
    store = SimpleNamespace(
        known=lambda keys: {}, stage=lambda run, pending: staged.append(pending)
    )
    context = SimpleNamespace(store=store, run_id="r", validators={})
    pipeline = StorePipeline(context, get_crawler(QueueSpider).stats)  # type: ignore[arg-type]
    key = "/article/decryptage/a-1"
    # The page answered at an alias (its first URL) and at its canonical URL: both kept.
    context.validators["/decryptage/a-1.html"] = ('"alias"', None)
    context.validators[key] = ('"canonical"', "Tue, 01 Dec 2026")
    context.validators["/article/decryptage/other"] = ('"other"', None)
    item = Article(url=BASE + key, articleKey=key, metadata={"aliases": ["/decryptage/a-1.html"]})
    pipeline.process_item(item)
    # The first asked (the canonical key) wins, as before; both of the article's are gone.
    assert (staged[0].etag, staged[0].last_modified) == ('"canonical"', "Tue, 01 Dec 2026")
    assert context.validators == {"/article/decryptage/other": ('"other"', None)}
    # An article whose page carried none is staged without, as before.
    pipeline.process_item(
        Article(url=BASE + "/article/decryptage/b", articleKey="/article/decryptage/b")
    )
    assert (staged[1].etag, staged[1].last_modified) == (None, None)


def test_the_tables_of_the_articles_found_are_let_go_once_every_one_is_requested() -> None:
    found = Found()
    for n in range(5000):
        found.add(f"{BASE}/article/decryptage/a-{n}", {"decryptages"}, via="sitemap")
    empty = sys.getsizeof({})
    assert sys.getsizeof(found.sections) > 100 * empty
    taken = list(found.to_read())
    assert len(taken) == 5000
    assert taken[0][:3] == (f"{BASE}/article/decryptage/a-0", {"decryptages"}, "sitemap")
    for table in (found.sections, found.via, found.aliases):
        assert table == {}
        assert sys.getsizeof(table) == empty
