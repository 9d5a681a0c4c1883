"""A static server for the benchmark: every page of the replica rendered once, served from memory.

The test replica (``tests.replica.ReplicaServer``) renders each page on request in a thread per
connection: about 1.5 ms of Python per 90 KB page, as much as the crawler spends on it, so it
would measure itself. Here every page is rendered once before the first request, as complete
HTTP answers (status line, headers and body in one ``bytes``), and a single asyncio protocol
answers each request with one dictionary lookup and one ``write``: no thread, no parsing beyond
the request line. Its throughput is measured by :mod:`benchmarks.load` and reported beside the
crawls, so a reader can see that it is not the bottleneck.

Why not nginx: it would need Debian's package on every machine that runs the benchmark (and in
CI for the smoke run), a config file and a directory of files, while the replica must also
*change* between runs (``Site.publish``) with the server keeping its request counts. This server
is 200 lines of standard library and measures faster than the crawler by a wide margin.

``python -m benchmarks.server --articles N [--seed S] [--no-padding]`` binds 127.0.0.1 on a free
port, renders the site, prints one JSON line (``base_url``, ``pages``, ``bytes``,
``render_seconds``) and serves until stdin closes or SIGTERM. Control endpoints, not counted:

``/__bench/counts``         requests since the last reset: total, by page kind, first/last time
``/__bench/reset``          zero the counts
``/__bench/targets?kind=K`` the pre-rendered targets of one kind (``article``, ``listing``…)
``/__bench/publish?k=N``    publish N new articles (``Site.publish``), re-render what changed
``/__bench/update?url=U``   update one article (``Site.update``), re-render what changed
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import time
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.replica import Site, generate_site

CONTROL = "/__bench/"


class Pages:
    """Request target → pre-built HTTP answer, and the kind of page it is (for the counts)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.date = formatdate(usegmt=True)
        self.answers: dict[str, tuple[bytes, bytes, str]] = {}  # target → (head, body, kind)
        self.render(self.site.pages)

    def kind(self, target: str) -> str:
        path = urlsplit(target).path or "/"
        route = self.site.routes.get(path) or self.site.routes.get(unquote(path))
        if route is None:
            return "missing"
        if route.kind in {"listing", "listing_query"}:
            return "listing"
        if route.kind.startswith("sitemap") or route.kind == "news_sitemap":
            return "sitemap"
        return route.kind

    def build(self, target: str) -> tuple[bytes, bytes, str]:
        response = self.site.get(target)
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'OK')}"]
        lines += [f"{name}: {value}" for name, value in response.headers]
        lines += [
            f"Content-Length: {len(response.body)}",
            f"Date: {self.date}",
            "Server: atlantico-bench",
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head, response.body, self.kind(target)

    def render(self, targets: Any) -> None:
        for target in targets:
            self.answers[target] = self.build(target)

    def after_change(self) -> None:
        """Re-render every page a publish/update can change; article pages only when new.

        ``Site.publish`` keeps existing article pages byte-identical (SITE docstring); listings,
        home, feeds and sitemaps change. An updated article is re-rendered by its caller.
        """
        stale = [t for t, (_h, _b, kind) in self.answers.items() if kind not in {"article"}]
        for target in stale:
            del self.answers[target]
        self.render(t for t in self.site.pages if t not in self.answers)

    def answer(self, target: str) -> tuple[bytes, bytes, str]:
        found = self.answers.get(target)
        if found is None:
            # Not pre-rendered (a query string, a 404): rendered now, counted apart.
            head, body, kind = self.build(target)
            return head, body, "unrendered" if kind != "missing" else kind
        return found


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 410: "Gone"}


class Counts:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.total = 0
        self.by_kind: dict[str, int] = {}
        self.first: float | None = None
        self.last: float | None = None

    def add(self, kind: str) -> None:
        now = time.time()
        if self.first is None:
            self.first = now
        self.last = now
        self.total += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_kind": dict(sorted(self.by_kind.items())),
            "first": self.first,
            "last": self.last,
        }


class HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; GET and HEAD without request bodies (all a crawler sends)."""

    def __init__(self, pages: Pages, counts: Counts) -> None:
        self.pages = pages
        self.counts = counts
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.respond(head)

    def respond(self, head: bytes) -> None:
        assert self.transport is not None
        request_line, _, headers = head.partition(b"\r\n")
        try:
            method, raw_target, _version = request_line.decode("latin-1").split(" ", 2)
        except ValueError:
            self.transport.close()
            return
        # Scrapy asks with the path; a proxy-style absolute URL is reduced to it.
        target = raw_target if raw_target.startswith("/") else _path_of(raw_target)
        if target.startswith(CONTROL):
            status, body = control(target, self.pages, self.counts)
            answer = (
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            self.transport.write(answer)
        else:
            page_head, page_body, kind = self.pages.answer(target)
            self.counts.add(kind)
            self.transport.write(page_head if method == "HEAD" else page_head + page_body)
        if b"connection: close" in headers.lower():
            self.transport.close()


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def control(target: str, pages: Pages, counts: Counts) -> tuple[int, bytes]:
    parts = urlsplit(target)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    action = parts.path.removeprefix(CONTROL)
    result: Any
    if action == "counts":
        result = counts.as_dict()
    elif action == "targets":
        wanted = query.get("kind", "article")
        result = {"targets": [t for t, (_h, _b, kind) in pages.answers.items() if kind == wanted]}
    elif action == "reset":
        counts.reset()
        result = {"ok": True}
    elif action == "publish":
        result = {"published": pages.site.publish(int(query.get("k", "1")))}
        pages.after_change()
    elif action == "update":
        url = query["url"]
        pages.site.update(url)
        pages.answers.pop(urlsplit(url).path, None)
        pages.after_change()
        result = {"updated": url}
    else:
        return 404, b"{}"
    return 200, json.dumps(result).encode()


async def serve(sock: socket.socket, pages: Pages) -> None:
    loop = asyncio.get_running_loop()
    counts = Counts()
    server = await loop.create_server(lambda: HttpProtocol(pages, counts), sock=sock, backlog=1024)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    # The parent closes our stdin when it is done (or dies): stop then too.
    fd = sys.stdin.fileno()
    loop.add_reader(fd, lambda: None if os.read(fd, 1) else stop.set())
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server", description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--no-padding", action="store_true", help="small pages (no 60-120 KB)")
    args = parser.parse_args(argv)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    started = time.perf_counter()
    site = generate_site(args.articles, args.seed, base_url, page_padding=not args.no_padding)
    pages = Pages(site)
    info = {
        "base_url": base_url,
        "pages": len(pages.answers),
        "bytes": sum(len(body) for _head, body, _kind in pages.answers.values()),
        "article_pages": sum(1 for *_rest, kind in pages.answers.values() if kind == "article"),
        "render_seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(info), flush=True)
    asyncio.run(serve(sock, pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
