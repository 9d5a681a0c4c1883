"""Fault endpoints of the replica: one misbehaviour per path, for the crawler's fault tests.

The default replica serves none of this: a :class:`Faults` object is handed to
``ReplicaServer(faults=...)`` by the tests that need it, and the server asks it first for every
request. Paths:

``/_fault/listing?links=a,b,c[&next=URL]``
    a listing page whose cards link to ``/article/fault/a`` … (point a section at it with
    ``ATLANTICO_SECTION_URLS``); ``raw=`` adds one verbatim href (``file:``, ``data:`` …),
    ``long=N`` a link to an article path of N characters.
``/_fault/redirect?to=URL``  a 302 to any URL.
``/_fault/pages?page=N``  endless pagination, new articles on every page.
``/_fault/calendar?day=YYYY-MM-DD``  a calendar: every day links the day before, same article.
``/_fault/<name>.xml``  sitemaps: ``sitemap-offsite``, ``billion-laughs``.
``/article/fault/<name>``  article-shaped faults, see :data:`ARTICLE_FAULTS` (and ``ok-*``,
    ``slow-*``, ``held-*``, ``error-500-*``, ``long-*``, ``disallowed-*``).

``robots`` chooses what ``/robots.txt`` answers: ``"normal"`` (allow all but
``/article/fault/disallowed-*``), ``"crawl-delay:S"`` (the same with ``Crawl-delay: S``),
``"404"``, ``"429"``, ``"500"``, ``"503"`` or ``"timeout"``.

Every request still lands in the server's request log first. Per-path hit counts
(:meth:`Faults.hits`) drive the endpoints that fail first and then recover, and the slow pages
record the highest number of requests the server was answering at once (``max_in_flight``).
The ``held-*`` pages answer only once the test calls :meth:`Faults.let_go` (or after
``SILENCE_SECONDS``), all at the same moment; ``held_in_flight`` says how many are waiting.
"""

from __future__ import annotations

import gzip
import html
import json
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

FRENCH = "À la une : élève, où, forêt, cœur"
"""The sentence the charset tests look for, exactly (œ exists in cp1252, not in Latin-1)."""

# How long a "silent" endpoint keeps the socket open without answering; the crawler's timeout
# in the tests is far shorter.
SILENCE_SECONDS = 8.0
SLOW_SECONDS = 0.3
BOMB_BYTES = 512 * 1024 * 1024  # decompressed size of the compression bomb
HUGE_BYTES = 3 * 1024 * 1024

ARTICLE_FAULTS = (
    "timeout", "headers-then-silence", "reset", "short-body", "bad-chunked", "truncated-gzip",
    "retry-after-seconds", "retry-after-date", "retry-after-long", "backoff", "not-found",
    "gone", "charset-utf8-none", "charset-1252-none", "charset-utf8-header-latin1",
    "charset-1252-header-utf8", "charset-utf8-meta-1252", "charset-1252-meta-utf8",
    "malformed", "empty", "soft-404", "soft-404-redirect", "pdf", "image",
    "interstitial-cookie", "interstitial-challenge", "huge", "bomb", "redirect-loop",
    "redirect-offsite", "redirect-private", "canonical-elsewhere",
)  # fmt: skip

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    b"<url><loc>%(base)s/article/fault/ok-1</loc></url>\n"
    b"<url><loc>%(base)s/article/fault/&lol9;</loc></url>\n</urlset>\n"
)


def article_html(
    name: str,
    *,
    text: str = FRENCH,
    head: str = "",
    canonical: str | None = None,
    paragraphs: int = 3,
    jsonld: bool = True,
) -> str:
    """A minimal current-template article: JSON-LD (optional), h1, time, body paragraphs.

    One paragraph holds ``text`` exactly. Without JSON-LD a short page gives a charset
    detector little to go on, which is the point of the charset faults.
    """
    headline = f"{text} ({name})"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": "2026-01-05T10:00:00+01:00",
        "author": [{"@type": "Person", "name": "Élise Fauré"}],
    }
    body = "".join(f"<p>{html.escape(text)} Paragraphe {k}.</p>" for k in range(2, paragraphs + 1))
    body = f"<p>{html.escape(text)}</p>{body}"
    script = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return (
        f'<!DOCTYPE html><html lang="fr"><head>{head}<title>{html.escape(headline)}</title>'
        f"{link}{script if jsonld else ''}"
        f"</head><body><main><article><h1>{html.escape(headline)}</h1>"
        '<time datetime="2026-01-05T10:00:00+01:00">5 janvier 2026</time>'
        f'<div class="rich-content__text">{body}</div></article></main></body></html>'
    )


def listing_html(hrefs: list[str], next_href: str | None = None) -> str:
    cards = "".join(
        f'<article><a href="{html.escape(h)}">Article {k}</a></article>'
        for k, h in enumerate(hrefs)
    )
    nxt = f'<a rel="next" href="{html.escape(next_href)}">Suivant</a>' if next_href else ""
    return f"<!DOCTYPE html><html><body><main>{cards}</main>{nxt}</body></html>"


SOFT_404 = (
    "<!DOCTYPE html><html lang=fr><head><title>Page introuvable | Atlantico.fr</title></head>"
    "<body><main><h1>Page introuvable</h1><p>La page que vous cherchez n’existe pas ou a été "
    "déplacée.</p><a href='/'>Retour à l’accueil</a></main></body></html>"
)
COOKIE_WALL = (
    "<!DOCTYPE html><html lang=fr><head><title>Atlantico.fr</title></head><body>"
    "<div id='didomi-host'><h2>Nous respectons votre vie privée</h2><p>Nous et nos partenaires "
    "utilisons des cookies…</p><button>Accepter et continuer</button>"
    "<button>Refuser</button></div></body></html>"
)
CHALLENGE = (
    "<!DOCTYPE html><html lang=en><head><title>Just a moment...</title></head><body>"
    "<div id='challenge-running'>Checking if the site connection is secure</div>"
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script>"
    "</body></html>"
)
MALFORMED = (
    "<html><head><title>\x00\x00<<<</title><body><div><p>"
    "\x00\x01\x02 ]]> <![CDATA[ </div></p></table><<<"
)


def _make_bomb() -> bytes:
    """``BOMB_BYTES`` of zeros as gzip, about 500 KB on the wire, built in milliseconds.

    gzip allows members one after another; one member of 1 MB of zeros, repeated.
    """
    member = gzip.compress(bytes(1024 * 1024), compresslevel=9)
    return member * (BOMB_BYTES // (1024 * 1024))


class Faults:
    """The fault hook of one :class:`~tests.replica.server.ReplicaServer`."""

    def __init__(self, robots: str = "normal") -> None:
        self.robots = robots
        self._lock = threading.Lock()
        self._hits: Counter[str] = Counter()
        self._in_flight = 0
        self.max_in_flight = 0
        self._release = threading.Event()
        self._let_go = threading.Event()
        self.held_in_flight = 0
        self._bomb_bytes: bytes | None = None
        self._routes: dict[str, Callable[[BaseHTTPRequestHandler, str], None]] = {
            name: getattr(self, "_" + name.replace("-", "_")) for name in ARTICLE_FAULTS
        }

    def hits(self, path: str) -> int:
        with self._lock:
            return self._hits[path]

    def release(self) -> None:
        """Let the silent endpoints close their sockets (called when the server stops)."""
        self._release.set()

    def let_go(self) -> None:
        """Let every ``held-*`` page answer, those waiting and those to come."""
        self._let_go.set()

    # -- entry point -------------------------------------------------------------------------

    def __call__(self, handler: BaseHTTPRequestHandler, send_body: bool) -> bool:
        """Answer ``handler``'s request if it is a fault path; False lets the site answer."""
        split = urlsplit(handler.path)
        path, query = split.path, parse_qs(split.query)
        with self._lock:
            self._hits[path] += 1
            hit = self._hits[path]
        if path == "/robots.txt":
            return self._robots_txt(handler)
        if path.startswith("/_fault/"):
            self._page(handler, path.removeprefix("/_fault/"), query)
            return True
        if not path.startswith("/article/fault/"):
            return False
        name = path.removeprefix("/article/fault/")
        route = self._routes.get(name)
        try:
            if route is not None:
                route(handler, f"{name}#{hit}")
            elif name.startswith("slow-"):
                self._slow(handler, name)
            elif name.startswith("held-"):
                self._held(handler, name)
            elif name.startswith("error-500-"):
                self._send(handler, 500, b"<html><body>Internal error</body></html>")
            else:  # ok-*, long-*, disallowed-*, page-*: a good article
                self._html(handler, article_html(name))
        except ConnectionError:
            # The crawler hung up (a body past its size limit): expected, not a server error.
            handler.close_connection = True
        return True

    # -- plumbing ----------------------------------------------------------------------------

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    def _html(self, handler: BaseHTTPRequestHandler, page: str, status: int = 200) -> None:
        self._send(handler, status, page.encode("utf-8"))

    def _silence(self, handler: BaseHTTPRequestHandler) -> None:
        self._release.wait(SILENCE_SECONDS)
        handler.close_connection = True

    def _robots_txt(self, handler: BaseHTTPRequestHandler) -> bool:
        mode = self.robots
        if mode == "timeout":
            self._silence(handler)
        elif mode == "normal" or mode.startswith("crawl-delay:"):
            text = "User-agent: *\nDisallow: /article/fault/disallowed-\nDisallow: /recherche\n"
            if mode.startswith("crawl-delay:"):
                text += f"Crawl-delay: {mode.removeprefix('crawl-delay:')}\n"
            self._send(handler, 200, text.encode(), "text/plain; charset=utf-8")
        else:
            self._send(handler, int(mode), b"robots unavailable", "text/plain")
        return True

    def _page(
        self, handler: BaseHTTPRequestHandler, name: str, query: dict[str, list[str]]
    ) -> None:
        host = handler.headers.get("Host", "")
        base = f"http://{host}"
        if name == "listing":
            names = [n for n in query.get("links", [""])[0].split(",") if n]
            hrefs = [f"/article/fault/{n}" for n in names] + query.get("raw", [])
            if "long" in query:  # an article link of that many characters, made here
                hrefs.append("/article/fault/long-" + "x" * int(query["long"][0]))
            self._html(handler, listing_html(hrefs, query.get("next", [None])[0]))
        elif name == "redirect":
            self._send(handler, 302, b"", headers=(("Location", query["to"][0]),))
        elif name == "pages":
            page = int(query.get("page", ["1"])[0])
            hrefs = [f"/article/fault/page-{page}-{k}" for k in range(3)]
            self._html(handler, listing_html(hrefs, f"/_fault/pages?page={page + 1}"))
        elif name == "calendar":
            day = date.fromisoformat(query.get("day", ["2026-01-05"])[0])
            before = (day - timedelta(days=1)).isoformat()
            self._html(handler, listing_html(["/article/fault/ok-1"], f"?day={before}"))
        elif name == "sitemap-offsite.xml":
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"<url><loc>{base}/article/fault/ok-1</loc></url>\n"
                "<url><loc>https://evil.example/article/fault/ok-2</loc></url>\n"
                "<url><loc>http://169.254.169.254/latest/meta-data/</loc></url>\n"
                "<url><loc>file:///etc/passwd</loc></url>\n"
                "</urlset>\n"
            )
            self._send(handler, 200, body.encode(), "application/xml")
        elif name == "billion-laughs.xml":
            self._send(handler, 200, BILLION_LAUGHS % {b"base": base.encode()}, "application/xml")
        else:
            self._html(handler, SOFT_404, status=404)

    # -- transport ---------------------------------------------------------------------------

    def _timeout(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._silence(handler)

    def _headers_then_silence(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.flush()
        self._silence(handler)

    def _reset(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        body = article_html(hit).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        Faults._rst(handler)

    @staticmethod
    def _rst(handler: BaseHTTPRequestHandler) -> None:
        """Close with a TCP RST instead of a FIN (SO_LINGER 0)."""
        handler.wfile.flush()
        linger = struct.pack("ii", 1, 0)
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        handler.connection.close()
        handler.close_connection = True

    def _short_body(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        body = article_html(hit).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body) + 4000))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True

    def _bad_chunked(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        body = article_html(hit).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        half = body[: len(body) // 2]
        # A chunk announcing more bytes than it carries, then a size line that is not hex.
        handler.wfile.write(b"%x\r\n%s\r\nZZZ\r\n" % (len(half) + 100, half))
        handler.wfile.flush()
        handler.close_connection = True

    def _truncated_gzip(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        whole = gzip.compress(article_html(hit, paragraphs=400).encode())
        self._send(
            handler,
            200,
            whole[: len(whole) * 2 // 3],
            headers=(("Content-Encoding", "gzip"),),
        )

    # -- status and politeness ---------------------------------------------------------------

    def _first_fails(
        self, handler: BaseHTTPRequestHandler, hit: str, failures: int, status: int, after: str
    ) -> None:
        number = int(hit.rsplit("#", 1)[1])
        if number > failures:
            self._html(handler, article_html(hit.split("#")[0]))
            return
        headers = (("Retry-After", after),) if after else ()
        self._send(handler, status, b"<html><body>Slow down</body></html>", headers=headers)

    def _retry_after_seconds(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._first_fails(handler, hit, 1, 429, "2")

    def _retry_after_date(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._first_fails(handler, hit, 1, 503, formatdate(time.time() + 3, usegmt=True))

    def _retry_after_long(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._first_fails(handler, hit, 1000, 503, "3600")

    def _backoff(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._first_fails(handler, hit, 2, 503, "")

    def _not_found(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._html(handler, SOFT_404, status=404)

    def _gone(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._html(handler, SOFT_404, status=410)

    def _slow(self, handler: BaseHTTPRequestHandler, name: str) -> None:
        self._answer_after(handler, name, self._release, SLOW_SECONDS)

    def _held(self, handler: BaseHTTPRequestHandler, name: str) -> None:
        self._answer_after(handler, name, self._let_go, SILENCE_SECONDS)

    def _answer_after(
        self, handler: BaseHTTPRequestHandler, name: str, event: threading.Event, most: float
    ) -> None:
        """The article once ``event`` is set or ``most`` seconds passed; counted meanwhile
        (``max_in_flight`` for every waiting page, ``held_in_flight`` for the held ones)."""
        held = name.startswith("held-")
        with self._lock:
            self._in_flight += 1
            self.held_in_flight += held
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            event.wait(most)
            self._html(handler, article_html(name))
        finally:
            with self._lock:
                self._in_flight -= 1
                self.held_in_flight -= held

    # -- content -----------------------------------------------------------------------------

    def _charset(
        self, handler: BaseHTTPRequestHandler, name: str, body_enc: str, header: str, meta: str
    ) -> None:
        head = f'<meta charset="{meta}">' if meta else ""
        content_type = "text/html" + (f"; charset={header}" if header else "")
        body = article_html(name, head=head, paragraphs=1, jsonld=False).encode(body_enc)
        self._send(handler, 200, body, content_type)

    def _charset_utf8_none(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._charset(handler, "charset-utf8-none", "utf-8", "", "")

    def _charset_1252_none(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._charset(handler, "charset-1252-none", "cp1252", "", "")

    def _charset_utf8_header_latin1(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._charset(handler, "charset-utf8-header-latin1", "utf-8", "iso-8859-1", "")

    def _charset_1252_header_utf8(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._charset(handler, "charset-1252-header-utf8", "cp1252", "utf-8", "")

    def _charset_utf8_meta_1252(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._charset(handler, "charset-utf8-meta-1252", "utf-8", "", "windows-1252")

    def _charset_1252_meta_utf8(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._charset(handler, "charset-1252-meta-utf8", "cp1252", "", "utf-8")

    def _malformed(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._html(handler, MALFORMED)

    def _empty(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._send(handler, 200, b"")

    def _soft_404(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._html(handler, SOFT_404)

    def _soft_404_redirect(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._send(handler, 302, b"", headers=(("Location", "/"),))

    def _pdf(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._send(handler, 200, PDF_BYTES, "application/pdf")

    def _image(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._send(handler, 200, PNG_BYTES, "image/png")

    def _interstitial_cookie(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._html(handler, COOKIE_WALL)

    def _interstitial_challenge(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        self._html(handler, CHALLENGE, status=403)

    def _huge(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        page = article_html(hit, paragraphs=HUGE_BYTES // 60)
        self._html(handler, page)

    def _bomb(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        with self._lock:
            if self._bomb_bytes is None:
                self._bomb_bytes = _make_bomb()
        body = self._bomb_bytes
        self._send(handler, 200, body, headers=(("Content-Encoding", "gzip"),))

    # -- redirects and links -----------------------------------------------------------------

    def _redirect_loop(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        # Every hop is a new URL, so no duplicate filter can break the loop: only a hop limit.
        step = int(parse_qs(urlsplit(handler.path).query).get("n", ["0"])[0]) + 1
        location = f"/article/fault/redirect-loop?n={step}"
        self._send(handler, 302, b"", headers=(("Location", location),))

    def _redirect_offsite(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        # The same server under another name: if the crawler follows, the log shows the Host.
        port = handler.server.server_address[1]
        location = f"http://localhost:{port}/article/fault/ok-offsite"
        self._send(handler, 302, b"", headers=(("Location", location),))

    def _redirect_private(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        location = "http://169.254.169.254/latest/meta-data/"
        self._send(handler, 302, b"", headers=(("Location", location),))

    def _canonical_elsewhere(self, handler: BaseHTTPRequestHandler, hit: str) -> None:
        page = article_html("canonical-elsewhere", canonical="https://evil.example/article/x/y")
        self._html(handler, page)
