"""French text decoded exactly, whatever the page says about its charset.

Scrapy trusts the HTTP header, then the ``<meta>`` charset, then guesses (charset-normalizer).
Each can be wrong: a UTF-8 page labelled ISO-8859-1 shows ``Ã©`` for ``é``; a Windows-1252 page
labelled UTF-8 shows U+FFFD; and on a short French page with no label the guess can be
Windows-1250 (``élčve`` for ``élève``). The body decides instead:

1. bytes that decode as strict UTF-8 (and are not plain ASCII) are UTF-8: text in a legacy
   8-bit encoding almost never forms valid UTF-8 sequences;
2. otherwise a declared legacy encoding is kept, Latin-1 and ASCII labels read as Windows-1252
   (as browsers do, WHATWG Encoding §4.2);
3. otherwise (no label, or a UTF-8 label the bytes contradict) Windows-1252, the legacy
   encoding of French pages.

Stats: ``atlantico/charset/repaired/<declared>-><used>`` when the choice differs from Scrapy's,
``atlantico/charset/doubt`` when the text still holds U+FFFD or mojibake after decoding.
"""

from __future__ import annotations

import codecs
import logging

from scrapy.http import HtmlResponse, Request, Response
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from atlantico import stats as names
from atlantico.components import CrawlerComponent
from atlantico.mojibake import is_suspect

logger = logging.getLogger(__name__)

LATIN1_LABELS = frozenset({"iso8859_1", "ascii"})


def _name(encoding: str | None) -> str | None:
    """Python's canonical codec name, or None if unknown.

    >>> _name("ISO-8859-1"), _name("windows-1252"), _name("UTF8"), _name("klingon")
    ('iso8859_1', 'cp1252', 'utf_8', None)
    """
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return None


def choose_encoding(body: bytes, declared: str | None) -> str:
    """The encoding that decodes ``body`` right, given the one declared (header or meta).

    >>> text = "À la une : élève, où, forêt, cœur"
    >>> choose_encoding(text.encode("utf-8"), "iso-8859-1")
    'utf_8'
    >>> legacy = text.encode("cp1252")
    >>> choose_encoding(legacy, "utf-8"), choose_encoding(legacy, None)
    ('cp1252', 'cp1252')
    >>> choose_encoding(text.encode("iso-8859-15", "replace"), "iso-8859-15")
    'iso8859_15'
    >>> choose_encoding(b"plain ascii", "koi8-r")
    'koi8_r'
    """
    return _choose(body, declared)[0]


def _choose(body: bytes, declared: str | None) -> tuple[str, str | None]:
    """:func:`choose_encoding`, and the text when telling took decoding the body as UTF-8."""
    if not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "utf_8", text
    return _legacy(body, _name(declared)), None


def _legacy(body: bytes, declared_name: str | None) -> str:
    if declared_name in LATIN1_LABELS:
        return "cp1252"
    if declared_name and declared_name != "utf_8":
        return declared_name
    return "cp1252" if not body.isascii() else declared_name or "utf_8"


def declared_encoding(response: HtmlResponse) -> str | None:
    """What the page says its encoding is: the HTTP header, else the ``<meta>`` tag."""
    content_type = response.headers.get("Content-Type")
    header = http_content_type_encoding(content_type.decode("latin-1")) if content_type else None
    return header or html_body_declared_encoding(response.body)


def keep_text(response: HtmlResponse, text: str) -> None:
    """Give ``response`` the text of its body decoded as UTF-8 here, so that Scrapy does not
    decode the body a second time (about 0.05 ms on a 100 KB page) when ``response.text`` is
    first read.

    Only for a response read as UTF-8 whose body is valid UTF-8 with no byte-order mark
    (:meth:`CharsetMiddleware.process_response` has passed those by): Scrapy would decode the
    same bytes with the same codec, and valid bytes decode to the same text whatever the error
    handler. Scrapy has no public way to set the text; the attribute is the one its
    ``TextResponse.text`` caches the text in, and tests/test_charset_text.py says if that
    changes.
    """
    if _name(response.encoding) == "utf_8" and getattr(response, "_cached_ubody", "") is None:
        response._cached_ubody = text


class CharsetMiddleware(CrawlerComponent):
    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or response.body[:3] == codecs.BOM_UTF8:
            return response  # a byte-order mark settles it; Scrapy reads it first
        stats = self.crawler.stats
        assert stats is not None
        declared = declared_encoding(response)
        chosen, text = _choose(response.body, declared)
        scrapy_choice = _name(response.encoding)
        if chosen != scrapy_choice:
            response = response.replace(encoding=chosen)
            stats.inc_value(names.CHARSET_REPAIRED.format(declared=_name(declared), used=chosen))
            logger.info(
                "Charset of %s: declared %s, Scrapy read %s, the bytes are %s",
                request.url,
                declared,
                scrapy_choice,
                chosen,
            )
        if text is not None:
            keep_text(response, text)
        if is_suspect(response.text):
            stats.inc_value(names.CHARSET_DOUBT)
            logger.warning("Charset doubt on %s: the text holds U+FFFD or mojibake", request.url)
        return response
