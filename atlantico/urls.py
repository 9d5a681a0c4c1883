"""URL rules of atlantico.fr: canonical form, article URLs of every era, content type.

URL forms [SITE.md §2]: current ``/article/<type>/<slug>``; older, still linked everywhere:
``/<type>/<id>/<slug>``, ``/<type>/<slug>-<id>.html``, ``/pepites/<slug>-<id>.html`` and
``/rdv/<series>/<slug>-<id>.html``. Slugs are irregular, so they are never built, only read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a reader came from.
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|xtor|at_\w+|fbclid|gclid|mc_cid|mc_eid|ref|_ga)$", re.I)

# Path segments that are sections or tools, never an article type.
_NOT_ARTICLE_TYPES = frozenset(
    {"author", "tag", "tags", "categorie", "category", "thematique", "explore", "search",
     "recherche", "sitemaps", "page", "static", "_next", "api", "mon-compte", "newsletter"}
)  # fmt: skip

CURRENT = re.compile(r"^/article/(?P<type>[a-z0-9-]+)/(?P<slug>[^/]+?)/?$")
LEGACY_HTML = re.compile(
    r"^/(?P<type>[a-z0-9-]+)(?:/[a-z0-9-]+)?/(?P<slug>[^/]+)-(?P<id>\d+)\.html(?:/page/[\d/]+)?$"
)
LEGACY_ID = re.compile(r"^/(?P<type>[a-z0-9-]+)/(?P<id>\d+)/(?P<slug>[^/]+?)/?$")

# Legacy URLs use plural or old names for some types.
_TYPE_ALIASES = {"pepites": "pepite", "decryptages": "decryptage", "rendez-vous": "rdv"}


def host_key(netloc: str) -> str:
    """A host without ``www.`` and the default port, lower-cased.

    >>> host_key("WWW.Atlantico.fr:443")
    'atlantico.fr'
    """
    host = netloc.lower()
    host = host.removeprefix("www.")
    return re.sub(r":(?:80|443)$", "", host)


# Pure and called for every link of every page (author pages, images, canonical URLs), most of
# them seen on many pages: a cache spares their parsing (half a millisecond per page under
# the benchmark's profiler).
@lru_cache(maxsize=8192)
def canonicalize(url: str, base_netloc: str | None = None, scheme: str | None = None) -> str:
    """The one spelling of a URL: no tracking parameters, no fragment, no ``www.``.

    ``base_netloc``/``scheme`` (from ``ATLANTICO_BASE_URL``) replace the host of links to the
    same site so that ``http://www.atlantico.fr/x`` and ``https://atlantico.fr/x`` agree.

    >>> canonicalize("http://www.atlantico.fr/article/pepite/x?utm_source=n&xtor=RSS-1#c",
    ...              "atlantico.fr", "https")
    'https://atlantico.fr/article/pepite/x'
    >>> canonicalize("https://atlantico.fr/decryptages?page=2&utm_medium=e")
    'https://atlantico.fr/decryptages?page=2'
    """
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    out_scheme = parts.scheme
    if base_netloc and host_key(netloc) == host_key(base_netloc):
        netloc = base_netloc
        out_scheme = scheme or parts.scheme
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if not TRACKING_PARAMS.match(k)]
    path = parts.path or "/"
    return urlunsplit((out_scheme, netloc, path, urlencode(query), ""))


def is_article_path(path: str) -> bool:
    """Whether a path is an article of any era.

    >>> is_article_path("/article/decryptage/la-france-et-l-ia")
    True
    >>> is_article_path("/pepites/musk-twitter-2406117.html")
    True
    >>> is_article_path("/decryptage/66252/la-france-et-l-ia")
    True
    >>> is_article_path("/author/sbastien-le-fol-123"), is_article_path("/decryptages?page=2")
    (False, False)
    """
    for pattern in (CURRENT, LEGACY_HTML, LEGACY_ID):
        match = pattern.match(path)
        if match and match["type"] not in _NOT_ARTICLE_TYPES:
            return True
    return False


def article_type(url: str) -> str | None:
    """The content type an article URL carries (``pepites`` → ``pepite``).

    >>> article_type("https://atlantico.fr/article/atlantico-light/x")
    'atlantico-light'
    >>> article_type("https://atlantico.fr/rdv/revue-de-presse/x-123.html")
    'rdv'
    """
    path = urlsplit(url).path
    for pattern in (CURRENT, LEGACY_HTML, LEGACY_ID):
        match = pattern.match(path)
        if match and match["type"] not in _NOT_ARTICLE_TYPES:
            return _TYPE_ALIASES.get(match["type"], match["type"])
    return None


def legacy_id(url: str) -> str | None:
    """The numeric article id in a legacy URL, if any.

    >>> legacy_id("https://atlantico.fr/decryptage/la-france-2406117.html")
    '2406117'
    >>> legacy_id("https://atlantico.fr/article/decryptage/x") is None
    True
    """
    path = urlsplit(url).path
    for pattern in (LEGACY_HTML, LEGACY_ID):
        match = pattern.match(path)
        if match and match["type"] not in _NOT_ARTICLE_TYPES:
            return match["id"]
    return None


def first_asked(meta: Mapping[str, Any], url: str) -> str:
    """The URL a request was first made with, before any redirect (Scrapy keeps the chain in
    ``meta["redirect_urls"]``); ``url``, the request's own, when there was none.

    >>> first_asked({"redirect_urls": ["https://a.fr/old", "https://a.fr/mid"]}, "https://a.fr/x")
    'https://a.fr/old'
    >>> first_asked({}, "https://a.fr/x")
    'https://a.fr/x'
    """
    redirects = meta.get("redirect_urls")
    return str(redirects[0]) if redirects else url
