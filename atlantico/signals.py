"""Signals of the Atlantico crawler, for components that keep state across runs (the store).

Connect with ``crawler.signals.connect(handler, signal=atlantico.signals.request_deferred)``.
Each is also counted in the stats, so a run without a store still says what happened.
"""

from __future__ import annotations

request_deferred = object()
"""A request was not made in this run and should be made in the next one.

Sent by :class:`atlantico.middlewares.retry_after.RetryAfterMiddleware` when the host asked for
a pause (``Retry-After``) longer than ``ATLANTICO_RETRY_AFTER_MAX``. Arguments: ``request``,
``reason`` (``"retry_after"``), ``not_before`` (epoch seconds the host named), ``attempted``
(True for the request whose response asked for the pause, False for those held back).
"""

article_failed = object()
"""A request failed for good in this run (after Scrapy's retries), or its redirect was refused.

Sent by :class:`atlantico.middlewares.failures.FailureReportMiddleware`. Arguments:
``request``, ``why`` (``timeout``, ``dns``, ``connection``, ``partial``, ``http_503``,
``refused_redirect``…). The retry queue (:mod:`atlantico.retry_queue`) records the articles.
"""

article_gone = object()
"""The server answered 410 Gone: the article was removed and must not be requested again.

Sent by :class:`atlantico.middlewares.gone.GoneMiddleware`. Arguments: ``request``,
``response``.
"""

crawl_delay_read = object()
"""A host's robots.txt asks for a ``Crawl-delay`` longer than ``DOWNLOAD_DELAY``: the run spaces
that host's requests by it.

Sent by :class:`atlantico.middlewares.robots_guard.RobotsGuardMiddleware` once the delay is
capped by ``ATLANTICO_CRAWL_DELAY_MAX``, before any request to the host passes the guard.
Arguments: ``netloc``, ``seconds``. :class:`atlantico.middlewares.crawl_delay.CrawlDelayMiddleware`
spaces the requests.
"""
