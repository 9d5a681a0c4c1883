"""Fetches only the site's own hosts, over http(s), and never a private address.

Every request passes here, the ones a redirect creates included, so a redirect that leaves the
site is refused like a link that does. Refused:

* a scheme other than http/https (``file:``, ``data:``, ``ftp:``, ``s3:``…; their download
  handlers are also switched off in the settings);
* a host that is not the site's (``ATLANTICO_BASE_URL``'s host, ``www.`` and subdomains);
* a host that is, or resolves to, a loopback, private, link-local, reserved or multicast
  address, even when the site's own name resolves there (DNS pointing inside the network):
  the crawler must not become a way to reach the machines around it. The offline replica on
  127.0.0.1 is reached only with ``ATLANTICO_ALLOW_PRIVATE_HOSTS=True``.

Stats: ``atlantico/refused/scheme``, ``atlantico/refused/offsite``,
``atlantico/refused/private_address``; a refused redirect also counts
``atlantico/refused/redirect``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Self
from urllib.parse import urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from atlantico import stats as names
from atlantico import urls

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"http", "https"})


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet.

    >>> [is_public_address(a) for a in ("8.8.8.8", "127.0.0.1", "10.1.2.3", "169.254.169.254")]
    [True, False, False, False]
    >>> is_public_address("::1"), is_public_address("::ffff:192.168.0.1")
    (False, False)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_site_host(host: str, site_host: str) -> bool:
    """Whether ``host`` is the site's host, its ``www.`` form or a subdomain of it.

    >>> [is_site_host(h, "atlantico.fr") for h in ("www.atlantico.fr", "rss.atlantico.fr")]
    [True, True]
    >>> [is_site_host(h, "atlantico.fr") for h in ("atlantico.fr.evil.example", "localhost")]
    [False, False]
    """
    host, site = urls.host_key(host), urls.host_key(site_host)
    return host == site or host.endswith("." + site)


# Hosts whose verdict is kept: the site's few, and room for the foreign hosts of a run's links.
HOSTS_KEPT = 1024


class OffsiteGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.site_host = urlsplit(settings.get("ATLANTICO_BASE_URL")).hostname or ""
        self.allow_private = settings.getbool("ATLANTICO_ALLOW_PRIVATE_HOSTS")
        self.interactive = settings.getbool("ATLANTICO_INTERACTIVE")
        # host -> whether every address it resolves to is public (one lookup per host and run).
        self._public: dict[str, bool] = {}
        # host -> is_site_host(host, site_host), told once per host rather than twice per request
        # (about 3 µs each time): at most HOSTS_KEPT of them.
        self._on_site: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        guard = cls(crawler)
        # Scrapy's OffsiteMiddleware drops foreign requests when they are scheduled (except
        # dont_filter ones, such as listings and their redirects); check there first too, so
        # every refusal is counted here.
        crawler.signals.connect(guard.request_scheduled, signal=signals.request_scheduled)
        return guard

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        # A request dropped at scheduling never reaches its errback, so whoever waits for it
        # (scrapy shell's fetch) would wait forever: in the shell, refusals happen in
        # process_request, where they reach the caller.
        if not self.interactive:
            self._check_url(request)

    async def process_request(self, request: Request) -> None:
        self._check_url(request)
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if not self.allow_private and not await self._resolves_public(host, parts.port):
            self._refuse(
                request,
                "private_address",
                f"{host!r} is or resolves to a private, loopback or link-local address "
                "(set ATLANTICO_ALLOW_PRIVATE_HOSTS=True only for a local replica)",
            )

    def _check_url(self, request: Request) -> None:
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if parts.scheme not in ALLOWED_SCHEMES:
            self._refuse(request, "scheme", f"scheme {parts.scheme!r} is not http(s)")
        on_site = self._on_site.get(host)
        if on_site is None:
            on_site = is_site_host(host, self.site_host)
            if len(self._on_site) < HOSTS_KEPT:
                self._on_site[host] = on_site
        if not on_site:
            self._refuse(request, "offsite", f"{host!r} is not the site ({self.site_host})")

    async def _resolves_public(self, host: str, port: int | None) -> bool:
        if host not in self._public:
            try:
                self._public[host] = is_public_address(host)
            except ValueError:  # a name, not an address literal: look it up
                loop = asyncio.get_running_loop()
                try:
                    infos = await loop.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
                except OSError:
                    # Unresolvable: the download fails on its own with a DNS error.
                    return True
                self._public[host] = all(is_public_address(str(i[4][0])) for i in infos)
        return self._public[host]

    def _refuse(self, request: Request, kind: str, why: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(names.REFUSED_KIND.format(kind=kind))
        origin = request.meta.get("redirect_urls")
        if origin:
            stats.inc_value(names.REFUSED_REDIRECT)
            logger.warning("Refused a redirect from %s to %s: %s", origin[0], request.url, why)
        else:
            logger.warning("Refused %s: %s", request.url, why)
        raise IgnoreRequest(f"refused: {why}")
