"""The site crawled (``ATLANTICO_BASE_URL``): which URLs are its own, and their one spelling."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import UsageError

from atlantico import urls
from atlantico.discovery.aliases import article_url


@dataclass(frozen=True)
class Site:
    """The site's base URL, split once.

    >>> site = Site.of("https://atlantico.fr/")
    >>> site.canonical("http://www.atlantico.fr/article/pepite/x/?utm_source=n")
    'https://atlantico.fr/article/pepite/x'
    >>> site.is_article("https://www.atlantico.fr/article/pepite/x"), site.is_article(
    ...     "https://ailleurs.fr/article/pepite/x"), site.is_article("https://atlantico.fr/tag/x")
    (True, False, False)
    >>> site.url("rss.xml")
    'https://atlantico.fr/rss.xml'
    """

    base_url: str
    netloc: str
    scheme: str

    @classmethod
    def of(cls, base_url: str) -> Site:
        """The site at ``base_url``; a :class:`UsageError` unless it is an http(s) URL."""
        base = base_url.rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise UsageError(f"ATLANTICO_BASE_URL={base!r}: use an http(s) URL")
        return cls(base, parts.netloc, parts.scheme)

    @property
    def domain(self) -> str:
        """The host name without ``www.`` or port: the site answers on both (for Scrapy's
        ``allowed_domains``).

        >>> Site.of("http://www.example.org:8765").domain
        'example.org'
        """
        return urls.host_key(urlsplit(self.base_url).hostname or "")

    def url(self, path: str) -> str:
        """``path`` (or an absolute URL) on the site."""
        return urljoin(self.base_url + "/", path)

    def canonical(self, url: str) -> str:
        """``url``'s one spelling, interned: the run keeps each article URL in several places
        (found, requested, parsed, listed by a section), as one string.

        >>> site = Site.of("https://a.fr")
        >>> site.canonical("https://a.fr/article/x/y/") is site.canonical("https://a.fr/article/x/y")
        True
        """
        return sys.intern(article_url(url, self.netloc, self.scheme))

    def on_site(self, url: str) -> bool:
        """Whether ``url`` is on the site's host (and port), with or without ``www.``."""
        return urls.host_key(urlsplit(url).netloc) == urls.host_key(self.netloc)

    def is_article(self, url: str) -> bool:
        """Whether ``url`` is an article of this site, of any era."""
        return self.on_site(url) and urls.is_article_path(urlsplit(url).path)
