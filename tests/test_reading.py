"""Article pages read in worker processes (atlantico/reading.py): the same items as in the
crawl's own process, exceptions raised where they were, a lost worker said once and its pages
read here, and the crawl's settings."""

from __future__ import annotations

import asyncio
import codecs
import io
import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from atlantico import reading
from atlantico import stats as names
from atlantico.extract.page_kind import page_kind
from atlantico.extract.rendering import CLIENT_APP
from atlantico.middlewares.content_guard import JUDGED_BY_READER
from atlantico.middlewares.render import RENDER_BY_READER
from atlantico.reading import (
    Judging,
    Page,
    PageReader,
    Worker,
    WorkerLost,
    read,
    serve,
    worker_count,
)
from tests import pagebuilder
from tests.conftest import ROOT, CrawlResult, crawl_command, run_crawl
from tests.replica import NOW, generate_site, scripted
from tests.replica.families import FAMILIES, family_url, render_family

BASE = "https://atlantico.fr"


DATE = format_datetime(NOW.astimezone(UTC), usegmt=True).encode()


def page(url: str, body: bytes, encoding: str | None = "utf-8") -> TextResponse:
    # A Date header, as every server sends: "now" is the server's, the same in both processes.
    return HtmlResponse(
        url, body=body, encoding=encoding, headers={"Date": DATE}, request=Request(url)
    )


def responses() -> Iterator[TextResponse]:
    """Article pages of many shapes: the page builder's eras, class styles, structured data,
    date forms, bodies and paywalls; every template family of the replica; a page in another
    charset and one whose date is relative to the response's Date header."""
    for shape in pagebuilder.shapes(60, seed=7):
        _truth, html, url = pagebuilder.build(shape)
        yield page(url, html.encode("utf-8"))
    site = generate_site(40, 1234)
    for number, family in enumerate(FAMILIES):
        article = site.articles[number % len(site.articles)]
        url = family_url(site, article, family)
        html = render_family(site, article, family)
        yield page(url, html.encode("utf-8"))
    latin = "<html><head><meta charset='windows-1252'><title>Été</title></head><body><h1>Été " \
        "brûlant</h1><p>Un été « brûlant » pour les opérateurs télécoms, dit-on.</p></body></html>"  # fmt: skip
    url = f"{BASE}/article/decryptage/ete"
    yield page(url, latin.encode("cp1252"), encoding=None)
    relative = "<html><body><article><h1>Hier</h1><time>il y a 3 heures</time><p>Texte du " \
        "jour, assez long pour être un corps.</p></article></body></html>"  # fmt: skip
    url = f"{BASE}/article/decryptage/hier"
    yield page(url, relative.encode())
    # Markup the parsers could treat apart: comments, a processing instruction, CDATA, unclosed
    # and misnested tags, NUL bytes, a document of whitespace only.
    odd = [
        "<!-- avant --><html><body><?php echo 1; ?><article><h1>Titre <!-- x -->bizarre</h1>"
        "<script><![CDATA[var a = '<p>non</p>';]]></script><p>Un <b>gras <i>mal</b> fermé</i>"
        " et un texte\x00 assez long pour faire un corps d’article.<p>Deuxième paragraphe"
        "</article><div class=related><a href=/article/decryptage/z>Lire aussi</a></div>",
        "<html><body><table><tr><td><h1>Dans un tableau</h1><td><p>Un corps dans une cellule, "
        "comme sur les vieux gabarits.</table><a rel=next href=?page=2>Page suivante</a>",
        "   \n\t  ",
    ]
    for number, html in enumerate(odd):
        yield page(f"{BASE}/article/decryptage/odd-{number}", html.encode())
    # Bytes that are not UTF-8 in a page that says it is (decoded with U+FFFD here), and a
    # page the parser is fed trimmed of Unicode spaces (no-break, ideographic) at its ends.
    broken = b"<html><body><article><h1>Titre \xff\xfe cass\xe9</h1><p>Un texte \xc3 assez " \
        b"long pour \xe2\x80 faire un corps, avec des octets perdus.</p></article></body></html>"  # fmt: skip
    yield page(f"{BASE}/article/decryptage/octets", broken)
    spaced = "\u00a0 <html><body><article><h1>Espacé</h1><p>Un texte assez long pour être un " \
        "corps d’article, entre deux espaces.</p></article></body></html>\u3000\n"  # fmt: skip
    yield page(f"{BASE}/article/decryptage/espaces", spaced.encode())


def timeless(readings: list[reading.Reading]) -> list[reading.Reading]:
    """``readings`` without ``metadata.dateDownloaded``, the one clock-dependent value."""
    for one in readings:
        one.item.metadata.pop("dateDownloaded", None)
    return readings


def test_a_page_without_a_date_header_takes_the_time_it_came_in() -> None:
    url = f"{BASE}/article/decryptage/x"
    bare = HtmlResponse(url, body=b"<p>x</p>", encoding="utf-8")
    date = Page.of(bare).date
    assert date is not None
    assert parsedate_to_datetime(date.decode()).tzinfo is not None
    assert Page.of(page(url, b"<p>x</p>")).date == DATE  # the server's, when it says


def in_worker(pages: list[Page]) -> list[reading.Reading]:
    async def run() -> list[reading.Reading]:
        worker = await Worker.start()
        try:
            return list(await asyncio.gather(*(worker.read(p, BASE, "listing") for p in pages)))
        finally:
            await worker.stop()

    return asyncio.run(run())


def test_a_worker_process_reads_every_page_as_the_crawl_process_does() -> None:
    pages = list(responses())
    here = [read(response, BASE, "listing") for response in pages]
    sent = [Page.of(response) for response in pages]
    there = in_worker(sent)
    assert len(there) == len(here) > 70
    for mine, theirs, page_sent in zip(here, there, sent, strict=True):
        # When the page came in: the crawl process's clock, not the worker's.
        assert theirs.item.metadata["dateDownloaded"] == page_sent.downloaded
        theirs.item.metadata["dateDownloaded"] = mine.item.metadata["dateDownloaded"]
        assert theirs == mine, page_sent.url
    # The pages are not trivial: bodies, dates and next parts came through.
    assert sum(bool(r.item.articleBody) for r in there) >= len(there) - 1  # but the blank one
    assert sum(bool(r.item.datePublished) for r in there) > len(there) * 0.9


def test_pages_wait_their_turn_unpickled_and_reach_the_worker_in_order() -> None:
    # 30 pages of 100 KB at once to a worker that reads nothing yet (stopped): three times
    # what its pipe holds. Each is written once the transport has passed the one before to the
    # pipe, so the transport never buffers more than one page (it buffered every page the pipe
    # could not take, a pickled copy each); then each answer is its own page's, in order.
    padding = "<!-- " + "x" * 100_000 + " -->"
    pages = []
    for response in list(responses())[:30]:
        body = response.body.replace(b"</body>", padding.encode() + b"</body>", 1)
        pages.append(page(response.url, body))
    expected = [read(response, BASE, "listing") for response in pages]
    sent = [Page.of(response) for response in pages]
    largest = max(len(reading.pickle.dumps((0, p, BASE, "listing"), protocol=5)) for p in sent)

    async def run() -> tuple[list[reading.Reading], int, int]:
        worker = await Worker.start()
        os.kill(worker.process.pid, signal.SIGSTOP)
        stdin = worker.process.stdin
        assert stdin is not None
        reads = [asyncio.ensure_future(worker.read(p, BASE, "listing")) for p in sent]
        most = 0
        for _ in range(300):
            await asyncio.sleep(0.001)
            most = max(most, stdin.transport.get_write_buffer_size())
        waiting = sum(not r.done() for r in reads)
        os.kill(worker.process.pid, signal.SIGCONT)
        try:
            while not all(r.done() for r in reads):
                most = max(most, stdin.transport.get_write_buffer_size())
                await asyncio.sleep(0.001)
            return [r.result() for r in reads], most, waiting
        finally:
            await worker.stop()

    got, most, waiting = asyncio.run(run())
    assert waiting == len(pages)
    assert most <= largest + 64 * 1024  # one page over the transport's high-water mark
    assert timeless(got) == timeless(expected)


def test_a_read_cancelled_while_waiting_its_turn_is_not_sent_and_the_others_are() -> None:
    padding = "<!-- " + "x" * 300_000 + " -->"
    pages = []
    for response in list(responses())[:8]:
        body = response.body.replace(b"</body>", padding.encode() + b"</body>", 1)
        pages.append(Page.of(page(response.url, body)))

    async def run() -> tuple[list[reading.Reading], int]:
        worker = await Worker.start()
        os.kill(worker.process.pid, signal.SIGSTOP)  # the pipe fills: the last pages wait
        try:
            reads = [asyncio.ensure_future(worker.read(p, BASE, "listing")) for p in pages]
            await asyncio.sleep(0.2)
            assert not reads[-1].done()
            reads[-1].cancel()
            await asyncio.sleep(0)
            held = len(worker.pending)
            os.kill(worker.process.pid, signal.SIGCONT)
            return list(await asyncio.gather(*reads[:-1])), held
        finally:
            await worker.stop()

    got, held = asyncio.run(run())
    assert held == len(pages) - 1
    assert [r.item.url for r in got] == [
        read(p.response(), BASE, "listing").item.url for p in pages[:-1]
    ]


def test_a_page_goes_to_a_worker_as_the_utf8_of_the_text_read_here() -> None:
    for response in responses():
        sent = Page.of(response)
        assert sent.body == response.text.encode("utf-8")
        assert sent.response().text == response.text
    assert Page("u", None, "é", None, "").body == "é".encode()  # a text is encoded


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        ("<p>Été « oui »</p>".encode(), "utf-8"),  # the body is the text's UTF-8
        (codecs.BOM_UTF8 + "<p>Été</p>".encode(), "utf-8"),  # the mark is not in the text
        (b"<p>\xc3\xa9t\xe9</p>", "utf-8"),  # invalid bytes, replaced in the text
        ("<p>\ufffd déjà</p>".encode(), "utf-8"),  # a replacement character in the page
        ("<p>Été</p>".encode("cp1252"), "cp1252"),
        ("<p>Été</p>".encode("utf-16"), "utf-16"),
    ],
)
def test_a_page_sent_is_the_utf8_of_its_text_whatever_its_body(body: bytes, encoding: str) -> None:
    response = HtmlResponse("https://x/article/a", body=body, encoding=encoding)
    assert Page.of(response).body == response.text.encode("utf-8")


@pytest.mark.parametrize(
    "text",
    ["", " \n\t", "\u00a0", "<p>x</p>", " <p>x</p>\n", "\u00a0<p>x</p>", "<p>x</p>\u3000",
     "\x85<p>x</p>\x1f", "\ufeff<p>é</p>", "<p>a\x00b</p>", "\x00", "<p>\u2028</p>\u2029"],
)  # fmt: skip
def test_the_tree_of_a_workers_bytes_is_the_tree_of_the_text(text: str) -> None:
    from lxml import etree

    from atlantico.extract.page import parse, parse_encoded

    def tostring(tree: object) -> bytes:
        return etree.tostring(tree.root)  # type: ignore[attr-defined]

    assert tostring(parse_encoded(text.encode(), "u")) == tostring(parse(text, "u"))


def test_an_exception_of_the_extraction_is_raised_in_the_crawl_process() -> None:
    broken = Page(
        url="https://x/a", request_url="not a URL", body=b"<p>x</p>", date=None, downloaded=""
    )
    with pytest.raises(ValueError, match="scheme") as raised_here:
        reading.read_page(broken, BASE, "listing")
    with pytest.raises(ValueError, match="scheme") as raised_there:
        in_worker([broken])
    assert str(raised_there.value) == str(raised_here.value)


def test_the_worker_loop_answers_each_frame_in_order_until_its_input_ends() -> None:
    pages = [Page.of(response) for response in list(responses())[:3]]
    source = io.BytesIO(
        b"".join(reading._frame((n, p, BASE, "sitemap")) for n, p in enumerate(pages))
    )
    sink = io.BytesIO()
    serve(source, sink)
    sink.seek(0)
    answers = []
    while header := sink.read(4):
        answers.append(reading.pickle.loads(sink.read(int.from_bytes(header, "big"))))
    assert [(number, ok) for number, ok, _ in answers] == [(0, True), (1, True), (2, True)]
    assert [value.item.url for _, _, value in answers] == [p.url for p in pages]
    assert {value.item.metadata["discoveredVia"] for _, _, value in answers} == {"sitemap"}


def reader(workers: int) -> PageReader:
    crawler = get_crawler(settings_dict={"ATLANTICO_READ_WORKERS": str(workers)})
    assert crawler.stats is not None
    crawler.stats.open_spider()
    made = PageReader.from_crawler(crawler)
    assert made.workers == workers
    return made


async def held_by_a_stopped_worker(
    pool: reading.PageReader, pages: list[TextResponse]
) -> tuple[reading.Worker, list[asyncio.Future[reading.Reading]]]:
    """``pool``'s one worker, stopped (SIGSTOP), once it holds every page of ``pages`` sent
    to it, and the reads waiting for it."""
    pool.start()
    assert pool.starting is not None
    (worker,) = await pool.starting
    os.kill(worker.process.pid, signal.SIGSTOP)
    reads = [asyncio.ensure_future(pool.read(r, BASE, "listing")) for r in pages]
    while len(worker.pending) < len(pages):
        await asyncio.sleep(0)
    return worker, reads


def test_a_worker_lost_while_holding_pages_is_said_once_and_the_pages_are_read_here(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pages = list(responses())[:5]
    expected = [read(response, BASE, "listing") for response in pages]
    pool = reader(1)

    async def run() -> list[reading.Reading]:
        # Stopped, the worker cannot answer: every page sent is held when it dies.
        worker, reads = await held_by_a_stopped_worker(pool, pages)
        os.kill(worker.process.pid, signal.SIGKILL)
        done = list(await asyncio.gather(*reads))
        later = await pool.read(pages[0], BASE, "listing")  # no worker any more: read here
        await pool.stop()
        return [*done, later]

    with caplog.at_level(logging.ERROR, logger="atlantico.reading"):
        got = asyncio.run(run())
    assert timeless(got) == timeless([*expected, read(pages[0], BASE, "listing")])
    stats = pool.crawler.stats
    assert stats is not None
    assert stats.get_value(names.READING_WORKER_LOST) == 1
    assert stats.get_value(names.READING_HERE) == len(pages) + 1
    assert stats.get_value(names.READING_IN_WORKER) is None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "worker process was lost" in errors[0].getMessage()


def test_a_worker_gone_before_the_page_is_sent_is_said_and_the_page_read_here() -> None:
    page = next(responses())
    pool = reader(1)

    async def run() -> reading.Reading:
        pool.start()
        assert pool.starting is not None
        (worker,) = await pool.starting
        worker.process.kill()
        await worker.process.wait()
        await worker.answers  # the pipe closed: the worker is known to be gone
        with pytest.raises(WorkerLost):
            await worker.read(Page.of(page), BASE, "listing")
        result = await pool.read(page, BASE, "listing")
        await pool.stop()
        return result

    assert timeless([asyncio.run(run())]) == timeless([read(page, BASE, "listing")])
    assert pool.crawler.stats is not None
    assert pool.crawler.stats.get_value(names.READING_WORKER_LOST) == 1


def test_without_workers_pages_are_read_in_the_crawl_process() -> None:
    page = next(responses())
    pool = reader(0)
    pool.start  # noqa: B018 - never connected: nothing starts
    got = asyncio.run(pool.read(page, BASE, "listing"))
    assert timeless([got]) == timeless([read(page, BASE, "listing")])
    assert pool.crawler.stats is not None
    assert pool.crawler.stats.get_value(names.READING_HERE) == 1


@pytest.mark.parametrize("value", ["lots", "-1", "1.5", ""])
def test_a_wrong_number_of_workers_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError, match="ATLANTICO_READ_WORKERS"):
        worker_count(value, 0.0, 4)


def test_auto_reads_in_workers_only_when_the_crawl_is_fast() -> None:
    assert worker_count("auto", 0.0, 2) == 1
    assert worker_count("AUTO", 0.05, 16) == reading.AUTO_MAX
    assert worker_count("auto", reading.FAST_DELAY, 16) == 0  # the live site's pace: none
    assert worker_count("auto", 0.0, 1) == 0  # no spare core
    assert worker_count("2", 5.0, 1) == 2  # a number is obeyed


def test_the_shared_crawl_read_every_article_in_a_worker(full_crawl: CrawlResult) -> None:
    """The session's full crawl (tests/conftest.py) reads through a worker process: every
    crawl-versus-truth test then checks the worker's items."""
    assert full_crawl.returncode == 0
    in_worker = full_crawl.stats.get(names.READING_IN_WORKER, 0)
    # A legacy URL that answers with the page itself is read where its answer is handled.
    here = full_crawl.stats.get(names.READING_HERE, 0)
    assert in_worker + here == len(full_crawl.items) > 40
    assert in_worker > 10 * here
    assert "Reading article pages in 1 worker process(es)" in full_crawl.log


def test_a_crawl_with_a_wrong_number_of_workers_exits_2_in_one_line(
    replica: object, tmp_path: Path
) -> None:
    base_url = replica.base_url
    done = run_crawl(base_url, tmp_path, settings={"ATLANTICO_READ_WORKERS": "many"})
    assert done.returncode == 2
    assert "ATLANTICO_READ_WORKERS='many'" in done.log


def _worker_of(parent: int) -> int | None:
    """The pid of ``parent``'s reading worker, if it has one yet."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == parent and b"worker_main" in cmdline:
            return int(entry.name)
    return None


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # ended, waiting to be reaped by init


def test_a_crawl_killed_with_sigkill_leaves_no_worker_behind(
    replica: object, tmp_path: Path
) -> None:
    """Its worker reads the end of its input and ends: no orphan keeps a core or memory."""
    base_url = replica.base_url
    # A slow pace, so that the crawl is still running when it is killed.
    slow = {"ATLANTICO_READ_WORKERS": "1", "DOWNLOAD_DELAY": "1", "AUTOTHROTTLE_ENABLED": "False"}
    command, env = crawl_command(base_url, tmp_path, settings=slow, feed=tmp_path / "out.jsonl")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while (worker := _worker_of(process.pid)) is None:
            assert process.poll() is None, "the crawl ended before its worker was seen"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.kill()
        process.wait()
        while not _gone(worker):
            assert time.monotonic() < deadline, f"worker {worker} still running"
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("workers", [0, 1])
def test_a_page_read_is_freed_at_once_not_left_to_the_cyclic_collector(workers: int) -> None:
    """A response's cached selector refers back to it: unless the reader drops the tree, the
    page and its tree wait for the cyclic collector (hundreds of pages in a fast crawl)."""
    import gc
    import weakref

    pool = reader(workers)
    response = next(responses())
    response.selector  # noqa: B018 - parsed in this process, as a downloader middleware does
    alive = weakref.ref(response)

    async def run(page: TextResponse) -> None:
        if workers:
            pool.start()
        await pool.read(page, BASE, "listing")
        await pool.stop()

    gc.disable()
    try:
        asyncio.run(run(response))
        del response
        assert alive() is None  # freed by its reference count alone
    finally:
        gc.enable()


def judged(url: str, body: bytes, headers: dict[str, str] | None = None,
           asked: str | None = None) -> TextResponse:  # fmt: skip
    meta: dict[str, object] = {JUDGED_BY_READER: True}
    if asked:
        meta["redirect_urls"] = [asked]
    request = Request(url, meta=meta)
    return TextResponse(url, body=body, headers=headers or {"Content-Type": "text/html"},
                        request=request)  # fmt: skip


def not_articles() -> Iterator[TextResponse]:
    """Pages an article URL may answer with, each a kind of :func:`page_kind`, and edge cases of
    its order (a challenge cut short is a challenge; UTF-16 bytes are binary noise)."""
    url = f"{BASE}/article/decryptage/x"
    done = "</body></html>"
    yield judged(url, f"<html><title>Page introuvable</title><body><h1>Oups</h1>{done}".encode())
    yield judged(url, f"<html><body><h1>Erreur 404</h1><p>Rien ici.</p>{done}".encode())
    yield judged(url, f"<html><body><div id=didomi>Accepter et continuer</div>{done}".encode())
    yield judged(url, f"<html><title>Just a moment...</title><body><p>x</p>{done}".encode())
    yield judged(url, b"<html><title>Un instant</title><body><p>coupe")  # challenge, cut short
    yield judged(url, f"<html><body><script src='/cdn-cgi/challenge-platform/x.js'></script>"
                 f"<h1>Titre</h1><p>Texte.</p>{done}".encode())  # fmt: skip
    yield judged(url, b"")
    yield judged(url, b"   \n ")
    yield judged(url, f"<html><body>   {done}".encode())
    yield judged(url, b"<html><body><h1>Titre</h1><p>Le texte s'arr\xc3\xaate")  # cut short
    yield judged(url, f"<html><body><h1>T</h1><p>\x00\x01</p>{done}".encode())
    utf16 = f"<html><body><h1>Titre</h1><p>Texte en UTF-16.</p>{done}".encode("utf-16")
    yield judged(url, utf16, {"Content-Type": "text/html; charset=utf-16"})
    yield judged(url, b'{"json": true}', {"Content-Type": "application/json"})
    yield judged(f"{BASE}/", f"<html><body><h1>Accueil</h1>{done}".encode(), asked=url)
    yield judged(
        url, f"<html><body><h1>Un article sur les captchas</h1><p>Texte.</p>{done}".encode()
    )
    # A vendor's mark in each place it is looked for, and titles and headings in odd markup.
    article = "<h1>Titre</h1><p>Texte.</p>"
    for mark in ("<iframe src='https://hcaptcha.com/1'></iframe>", "<div id='CF-CHL-x'></div>",
                 "<form action='/captcha-delivery/x'></form>", "<script id='datadome'></script>",
                 "<iframe id='x' src=''></iframe><form></form><p id=''>x</p>"):  # fmt: skip
        yield judged(url, f"<html><body>{mark}{article}{done}".encode())
    yield judged(url, f"<html><title>Page <b>introuvable</b></title><body>{article}{done}".encode())
    yield judged(url, f"<html><body><h1> </h1><h1>Erreur <i>404</i></h1><p>x</p>{done}".encode())
    yield judged(url, f"<html><body><h1><!-- -->  </h1><p>Texte seul.</p>{done}".encode())


def test_a_worker_judges_a_page_as_the_content_guard_would() -> None:
    pages = [*not_articles(), *(judged(r.url, r.body, {"Content-Type": "text/html; charset="
             + r.encoding}) for r in list(responses())[:10])]  # fmt: skip
    expected = [page_kind(r, (r.meta.get("redirect_urls") or [r.url])[0]) for r in pages]
    assert len(set(expected)) >= 7  # every kind of the guard, and articles
    sent = [Page.of(r) for r in pages]
    assert all(p.judge is not None for p in sent)
    # The bytes tested where they go as they came (valid UTF-8), here where they do not (the
    # worker gets the text encoded again: UTF-16, invalid UTF-8) or the headers already tell.
    tested_there = [p.judge.body_test for p in sent if p.judge is not None]
    assert 10 <= sum(tested_there) < len(pages)
    for response, page_sent in zip(pages, sent, strict=True):
        assert page_sent.judge is not None
        own = page_sent.body is response.body
        html = b"json" not in (response.headers.get("Content-Type") or b"")
        assert page_sent.judge.body_test == (own and html)
    there = in_worker(sent)
    assert [r.kind for r in there] == expected
    assert [r.item is None for r in there] == [kind != "article" for kind in expected]
    here = [read(r, BASE, "listing", judge=Judging.of(r)) for r in pages]
    assert [r.kind for r in here] == expected


def test_a_page_judged_by_a_worker_is_said_as_the_guard_says_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = reader(1)
    odd = list(not_articles())
    soft, challenge = odd[0], odd[3]

    async def run() -> list[reading.Reading]:
        pool.start()
        got = [await pool.read(r, BASE, "listing") for r in (soft, challenge)]
        await pool.stop()
        return got

    with caplog.at_level(logging.WARNING):
        got = asyncio.run(run())
    assert [r.kind for r in got] == ["soft_404", "interstitial_challenge"]
    stats = pool.crawler.stats
    assert stats is not None
    assert stats.get_value("atlantico/page/soft_404") == 1
    assert stats.get_value("atlantico/page/interstitial_challenge") == 1
    lines = [r.getMessage() for r in caplog.records]
    assert f"Not an article (soft_404), skipped: {soft.url}" in lines
    assert any(line.startswith("INTERSTITIAL (challenge)") for line in lines)


def test_while_a_worker_reads_a_page_this_process_keeps_neither_its_text_nor_the_page() -> None:
    """A page waiting for its worker holds its body only: not the decoded text Scrapy caches
    (with the UTF-8 copy pickling leaves on it), not the :class:`Page` sent. Counted while the
    worker, stopped, holds every page; the items and ``response.text`` stay the same."""
    import gc

    pages = list(responses())[:6]
    texts = [response.text for response in pages]  # decoded, as the charset guard does
    expected = [read(response, BASE, "listing") for response in pages]
    for response in pages:
        reading.release_tree(response)
    pool = reader(1)

    async def run() -> list[reading.Reading]:
        worker, reads = await held_by_a_stopped_worker(pool, pages)
        try:
            assert [r._cached_ubody for r in pages] == [None] * len(pages)
            gc.collect()
            assert sum(isinstance(held, Page) for held in gc.get_objects()) == 0
        finally:
            os.kill(worker.process.pid, signal.SIGCONT)
        done = list(await asyncio.gather(*reads))
        await pool.stop()
        return done

    assert timeless(asyncio.run(run())) == timeless(expected)
    assert [response.text for response in pages] == texts


def test_a_worker_tests_a_flagged_page_for_rendering_before_judging_it() -> None:
    """A page the render middleware left to its reader (RENDER_BY_READER) is tested on the
    worker's tree: a page built by a client-side app comes back to be rendered (not judged, not
    counted as anything), the others are read and counted as static pages."""
    site = generate_site(40, 1234)
    apps = [scripted.app_variant(a) for a in scripted.app_articles(site, "high-tech")]
    assert apps
    flagged = {JUDGED_BY_READER: True, RENDER_BY_READER: True}

    def asked(url: str, html: str, meta: dict[str, object]) -> TextResponse:
        return HtmlResponse(url, body=html.encode(), encoding="utf-8",
                            request=Request(url, meta=dict(meta)))  # fmt: skip

    app_pages = [
        asked(site.url(v.canonical_path), scripted.app_article_page(site, v), flagged) for v in apps
    ]
    others = [asked(r.url, r.text, flagged) for r in list(responses())[:6]]
    unflagged = asked(app_pages[0].url, app_pages[0].text, {JUDGED_BY_READER: True})
    pool = reader(1)

    async def run() -> list[reading.Reading]:
        pool.start()
        got = [await pool.read(r, BASE, "listing") for r in [*app_pages, *others, unflagged]]
        await pool.stop()
        return got

    got = asyncio.run(run())
    kinds = [r.kind for r in got]
    assert kinds[: len(apps)] == [CLIENT_APP] * len(apps)
    assert all(r.item is None and r.next_part is None for r in got[: len(apps)])
    assert kinds[len(apps) : -1] == ["article"] * len(others)
    assert kinds[-1] != CLIENT_APP  # not flagged: read as served
    here = [read(r, BASE, "listing", judge=Judging.of(r)).kind for r in app_pages]
    assert here == [CLIENT_APP] * len(apps)
    stats = pool.crawler.stats
    assert stats is not None
    assert stats.get_value(names.RENDER_STATIC) == len(others)
    assert not [k for k in stats.get_stats() if k.startswith("atlantico/page/")]
