"""robots.txt obeyed as RFC 9309 says, including when robots.txt itself cannot be read.

Replaces Scrapy's RobotsTxtMiddleware, which allows everything when robots.txt answers 5xx or
times out. RFC 9309 §2.3.1.3–4:

* 2xx: the rules apply (parsed by ``ROBOTSTXT_PARSER``, Protego by default);
* 4xx other than 429 ("unavailable"): no rules, everything is allowed;
* 5xx, 429, a timeout or any other error ("unreachable", after Scrapy's retries): complete
  disallow. Nothing else is fetched from that host in this run, the log says so (ERROR), and
  when the host is the site's own the run stops with finish reason ``robots_unavailable``.

``Crawl-delay`` (not in RFC 9309, but widely sent and read): when robots.txt asks for more seconds
between requests than ``DOWNLOAD_DELAY``, the host's requests are spaced that far apart, at
most ``ATLANTICO_CRAWL_DELAY_MAX`` seconds (a longer one is capped, with a warning). This
guard reads the delay and sends :data:`atlantico.signals.crawl_delay_read`; the spacing itself
is done right before the download (:mod:`atlantico.middlewares.crawl_delay`). Stat:
``atlantico/robots/crawl_delay`` (the seconds honoured for the site's host).

Stats: ``atlantico/robots/fetched/<status>``, ``atlantico/robots/allow_all`` (4xx),
``atlantico/robots/unavailable/<reason>``, ``atlantico/robots/forbidden`` (a request the
rules forbid), ``atlantico/robots/refused_unavailable`` (a request refused because robots.txt
could not be read).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

from atlantico import signals as atlantico_signals
from atlantico import stats as names
from atlantico import urls
from atlantico.components import CrawlerComponent

logger = logging.getLogger(__name__)

REASON = "robots_unavailable"


class Unavailable:
    """robots.txt could not be read: complete disallow (RFC 9309 §2.3.1.4)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


Verdict = RobotParser | Unavailable | None  # None: no rules (4xx), everything allowed


def crawl_delay_of(parser: RobotParser, user_agent: str) -> float | None:
    """The ``Crawl-delay`` of robots.txt for ``user_agent``, when the parser reads it.

    Scrapy's Protego and Python parsers keep the underlying parser as ``rp``; both answer
    ``crawl_delay(user_agent)``.
    """
    reader = getattr(getattr(parser, "rp", None), "crawl_delay", None)
    if reader is None:
        return None
    try:
        value = reader(user_agent)
    except (TypeError, ValueError):
        return None
    return float(value) if value else None


def verdict_for_status(status: int) -> str:
    """What a robots.txt status means: ``rules``, ``allow_all`` or ``unavailable``.

    >>> [verdict_for_status(s) for s in (200, 404, 410, 429, 500, 503)]
    ['rules', 'allow_all', 'allow_all', 'unavailable', 'unavailable', 'unavailable']
    """
    if 200 <= status < 300:
        return "rules"
    if status == 429 or status >= 500:
        return "unavailable"
    return "allow_all"


class RobotsGuardMiddleware(CrawlerComponent):
    DOWNLOAD_PRIORITY = 1000  # robots.txt before anything else of its host

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        super().__init__(crawler)
        self.user_agent: str = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.parser_class: Any = load_object(settings.get("ROBOTSTXT_PARSER"))
        self.site_host = urls.host_key(urlsplit(settings.get("ATLANTICO_BASE_URL")).netloc)
        self.verdicts: dict[str, Verdict | Deferred[Verdict]] = {}
        self.closing: Any = None
        self.download_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.crawl_delay_max = settings.getfloat("ATLANTICO_CRAWL_DELAY_MAX")

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        verdict = await self._verdict(request)
        if isinstance(verdict, Unavailable):
            self.stats.inc_value(names.ROBOTS_REFUSED_UNAVAILABLE)
            raise IgnoreRequest(f"robots.txt unreachable ({verdict.reason}): complete disallow")
        if verdict is not None and not verdict.allowed(request.url, self.user_agent):
            self.stats.inc_value(names.ROBOTS_FORBIDDEN)
            logger.info("Forbidden by robots.txt: %s", request.url)
            raise IgnoreRequest("forbidden by robots.txt")

    async def _verdict(self, request: Request) -> Verdict:
        netloc = urlparse_cached(request).netloc
        known = self.verdicts.get(netloc)
        if isinstance(known, Deferred):
            return await maybe_deferred_to_future(known)
        if netloc in self.verdicts:
            return known
        pending: Deferred[Verdict] = Deferred()
        self.verdicts[netloc] = pending
        verdict = await self._fetch(request, netloc)
        self.verdicts[netloc] = verdict
        pending.callback(verdict)
        return verdict

    async def _fetch(self, request: Request, netloc: str) -> Verdict:
        scheme = urlparse_cached(request).scheme
        robots = Request(
            f"{scheme}://{netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        assert self.crawler.engine is not None
        try:
            response: Response = await self.crawler.engine.download_async(robots)
        except Exception as error:  # every failure of robots.txt means the same: unreachable
            return self._unavailable(netloc, type(error).__name__, str(error))
        self.stats.inc_value(names.ROBOTS_FETCHED.format(status=response.status))
        verdict = verdict_for_status(response.status)
        if verdict == "unavailable":
            return self._unavailable(netloc, str(response.status), f"status {response.status}")
        if verdict == "allow_all":
            self.stats.inc_value(names.ROBOTS_ALLOW_ALL)
            logger.info("%s/robots.txt answered %d: no rules, all allowed", netloc, response.status)
            return None
        parser: RobotParser = build_from_crawler(self.parser_class, self.crawler, response.body)
        self._note_crawl_delay(netloc, crawl_delay_of(parser, self.user_agent))
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=parser, request=request
        )
        return parser

    def _note_crawl_delay(self, netloc: str, asked: float | None) -> None:
        if asked is None or asked <= self.download_delay:
            return
        delay = asked
        if self.crawl_delay_max and delay > self.crawl_delay_max:
            delay = self.crawl_delay_max
            logger.warning(
                "%s/robots.txt asks for Crawl-delay %g s; capped at ATLANTICO_CRAWL_DELAY_MAX=%g s",
                netloc,
                asked,
                delay,
            )
        else:
            logger.info(
                "%s/robots.txt asks for Crawl-delay %g s (more than DOWNLOAD_DELAY %g s): honoured",
                netloc,
                asked,
                self.download_delay,
            )
        self.crawler.signals.send_catch_log(
            signal=atlantico_signals.crawl_delay_read, netloc=netloc, seconds=delay
        )
        if urls.host_key(netloc) == self.site_host:
            self.stats.set_value(names.ROBOTS_CRAWL_DELAY, delay)

    def _unavailable(self, netloc: str, reason: str, detail: str) -> Unavailable:
        self.stats.inc_value(names.ROBOTS_UNAVAILABLE.format(reason=reason))
        logger.error(
            "robots.txt of %s could not be read (%s). RFC 9309 says to assume complete "
            "disallow: nothing else will be fetched from %s in this run.",
            netloc,
            detail,
            netloc,
        )
        if urls.host_key(netloc) == self.site_host and self.closing is None:
            assert self.crawler.engine is not None
            self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason=REASON))
        return Unavailable(reason)
