"""The charset middleware hands Scrapy the text it decoded: the same text Scrapy would decode.

:class:`~atlantico.middlewares.charset.CharsetMiddleware` decodes a non-ASCII body as UTF-8 to
tell its encoding; when the page is then read as UTF-8, that text becomes the response's
(:func:`~atlantico.middlewares.charset.keep_text`) instead of being decoded again. Over every
way a page can declare (or not) its charset, the text, the encoding, the stats and the log lines
are those of Scrapy's own decoding of the response the middleware returns.
"""

from __future__ import annotations

import codecs
import itertools
import logging

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from atlantico.middlewares import charset
from atlantico.middlewares.charset import CharsetMiddleware

FRENCH = "À la une : élève, où, forêt, cœur, l’été — 12 €"
BODIES = {
    "utf-8": FRENCH.encode("utf-8"),
    "cp1252": FRENCH.encode("cp1252"),
    "ascii": b"plain ascii text",
    "bom": codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
    "broken utf-8": FRENCH.encode("utf-8")[:-1] + b" fin",
    "replacement": "l\ufffdcole".encode(),
}
HEADERS = [None, "text/html; charset=utf-8", "text/html; charset=iso-8859-1", "text/html"]
METAS = ["", '<meta charset="utf-8">', '<meta charset="windows-1252">']


def pages() -> list[tuple[str, HtmlResponse]]:
    made = []
    for (kind, text), header, meta in itertools.product(BODIES.items(), HEADERS, METAS):
        body = f"<html><head>{meta}</head><body><p>".encode() + text + b"</p></body></html>"
        if kind == "bom":
            body = codecs.BOM_UTF8 + body.replace(codecs.BOM_UTF8, b"")
        headers = {"Content-Type": header} if header else {}
        url = f"https://atlantico.fr/article/x/{kind.replace(' ', '-')}"
        made.append((kind, HtmlResponse(url, body=body, headers=headers)))
    return made


def middleware() -> CharsetMiddleware:
    crawler = get_crawler(Spider)
    crawler.spider = Spider.from_crawler(crawler, name="test")
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return CharsetMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(("kind", "page"), pages())
def test_the_text_is_scrapys_decoding(kind: str, page: HtmlResponse) -> None:
    got = middleware().process_response(Request(page.url), page)
    assert isinstance(got, TextResponse)
    # Scrapy's own reading of the same bytes and encoding, nothing cached.
    fresh = HtmlResponse(got.url, body=got.body, headers=got.headers, encoding=got.encoding)
    assert got.text == fresh.text
    assert got.encoding == fresh.encoding


def test_a_utf8_page_is_decoded_once() -> None:
    page = HtmlResponse(
        "https://atlantico.fr/article/x/y",
        body=b"<html><body><p>" + BODIES["utf-8"] + b"</p></body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    got = middleware().process_response(Request(page.url), page)
    # The attribute Scrapy caches the text in (TextResponse.text): set by the middleware, so
    # that reading the text decodes nothing. If Scrapy renames it, this fails.
    assert got._cached_ubody is not None
    assert got.text is got._cached_ubody


def _run(caplog: pytest.LogCaptureFixture) -> tuple[dict[str, object], list[str], list[str]]:
    guard = middleware()
    caplog.clear()
    texts = []
    with caplog.at_level(logging.INFO):
        for _kind, page in pages():
            texts.append(guard.process_response(Request(page.url), page).text)  # type: ignore[union-attr]
    stats = guard.crawler.stats.get_stats()  # type: ignore[union-attr]
    kept = {k: v for k, v in stats.items() if k.startswith("atlantico/")}
    return kept, [r.getMessage() for r in caplog.records], texts


def test_stats_log_lines_and_texts_are_those_without_the_kept_text(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _run(caplog)
    monkeypatch.setattr(charset, "keep_text", lambda response, text: None)
    assert _run(caplog) == kept
    stats, lines, _texts = kept
    assert stats.get("atlantico/charset/doubt")
    assert any(k.startswith("atlantico/charset/repaired/") for k in stats)
    assert any("the bytes are utf_8" in line for line in lines)
    assert any("the bytes are cp1252" in line for line in lines)
