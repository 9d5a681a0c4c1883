"""Threaded HTTP server for the offline replica of atlantico.fr.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts), with replica-chosen values where the real site is unknown (listing URLs,
class names, pagination, the 301 code of legacy redirects).

:class:`ReplicaServer` binds first (port 0 picks a free port), then generates the site for the
real base URL, so canonical links, JSON-LD, sitemaps and redirects carry absolute URLs that
resolve. It serves GET and HEAD from a background thread, logs every request in memory (never to
stderr) and can regenerate its site in place::

    with ReplicaServer(n_articles=60, seed=1234) as srv:
        srv.base_url          # "http://127.0.0.1:43567"
        srv.truth             # canonical URL -> expected item
        srv.requests          # [RequestRecord(method, path, headers, timestamp), ...]
        srv.publish(2)        # two new articles on top of the listings -> their URLs
        srv.update(url)       # advance an article's dateModified and append a paragraph

``ReplicaServer(faults=Faults(...))`` (tests/replica/faults.py) answers the fault endpoints
before the site does; without it the replica serves the site only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple

from .generator import Site, generate_site


class RequestRecord(NamedTuple):
    """One request as the replica saw it. ``path`` is the raw request target (with query)."""

    method: str
    path: str
    headers: dict[str, str]
    timestamp: float


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    site: Site
    log_lock: threading.Lock
    request_log: list[RequestRecord]
    # Asked first for every request; True when it answered (tests/replica/faults.py).
    fault_hook: Callable[[BaseHTTPRequestHandler, bool], bool] | None


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive: every answer carries Content-Length

    def version_string(self) -> str:
        return "ReplicaAtlantico/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        record = RequestRecord(self.command, self.path, dict(self.headers.items()), time.time())
        with self.server.log_lock:
            self.server.request_log.append(record)
        hook = self.server.fault_hook
        if hook is not None and hook(self, send_body):
            return
        site = self.server.site
        with site.lock:  # publish()/update() swap the site's lists while no page renders
            response = site.get(self.path)
        self.send_response(response.status)  # also sends Server and Date
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log line on stderr."""


class ReplicaServer:
    """The replica site served on ``host:port`` (port 0: a free port) from a daemon thread."""

    def __init__(
        self,
        n_articles: int = 60,
        seed: int = 1234,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        page_padding: bool = False,
        faults: Callable[[BaseHTTPRequestHandler, bool], bool] | None = None,
        families: bool = False,
        shape: str | None = None,
    ) -> None:
        self.families = families
        self.shape = shape  # tests/replica/shapes.py; None: the default replica
        self.n_articles = n_articles
        self.seed = seed
        self.host = host
        self.requested_port = port
        self.page_padding = page_padding
        self.faults = faults
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --
    def start(self) -> ReplicaServer:
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.requested_port), _Handler)
        httpd.log_lock = threading.Lock()
        httpd.request_log = []
        httpd.fault_hook = self.faults
        self._httpd = httpd
        httpd.site = self._generate()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"replica-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        release = getattr(self.faults, "release", None)
        if release is not None:
            release()  # silent fault endpoints hold their sockets until released
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- state --
    @property
    def _server(self) -> _HTTPServer:
        if self._httpd is None:
            raise RuntimeError("the replica server is not running (use start() or `with`)")
        return self._httpd

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash), known once bound."""
        return f"http://{self.host}:{self.port}"

    @property
    def site(self) -> Site:
        return self._server.site

    @property
    def truth(self) -> dict[str, dict[str, Any]]:
        """canonical URL -> expected item (see :func:`tests.replica.generator.truth_item`)."""
        site = self.site
        with site.lock:
            return site.truth

    def publish(self, k: int = 1) -> list[str]:
        """Add ``k`` articles to the live site (see :meth:`Site.publish`); their canonical URLs."""
        return self.site.publish(k)

    def update(self, canonical_url: str) -> None:
        """Modify an article of the live site (see :meth:`Site.update`)."""
        self.site.update(canonical_url)

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        server = self._server
        with server.log_lock:
            return list(server.request_log)

    def clear_requests(self) -> None:
        server = self._server
        with server.log_lock:
            server.request_log.clear()

    def regenerate(
        self,
        n_articles: int | None = None,
        seed: int | None = None,
        *,
        page_padding: bool | None = None,
    ) -> Site:
        """Swap in a freshly generated site (same base URL); requests in flight finish on the
        old one."""
        if n_articles is not None:
            self.n_articles = n_articles
        if seed is not None:
            self.seed = seed
        if page_padding is not None:
            self.page_padding = page_padding
        site = self._generate()
        self._server.site = site
        return site

    def _generate(self) -> Site:
        return generate_site(
            self.n_articles,
            self.seed,
            self.base_url,
            page_padding=self.page_padding,
            families=self.families,
            shape=self.shape,
        )
