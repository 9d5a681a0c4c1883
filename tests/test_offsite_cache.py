"""The offsite guard tells a host's verdict once and gives it again: the same refusals, stats
and log lines on every request, beyond the hosts it keeps too."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from atlantico.middlewares import offsite_guard
from atlantico.middlewares.offsite_guard import OffsiteGuardMiddleware, is_site_host

HOSTS = ["atlantico.fr", "www.atlantico.fr", "ATLANTICO.FR", "cdn.atlantico.fr",
         "atlantico.fr.evil.example", "evil.example", "notatlantico.fr", ""]  # fmt: skip


def verdicts(guard: OffsiteGuardMiddleware, caplog: pytest.LogCaptureFixture) -> list[object]:
    said = []
    for _ in range(3):
        for host in HOSTS:
            caplog.clear()
            try:
                guard.request_scheduled(Request(f"https://{host}/article/x/y"), Spider("s"))
                said.append(True)
            except IgnoreRequest:
                said.append([r.getMessage() for r in caplog.records])
    return said


def test_the_same_verdicts_whether_kept_or_not(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING)
    runs = []
    for kept in (offsite_guard.HOSTS_KEPT, 2, 0):
        monkeypatch.setattr(offsite_guard, "HOSTS_KEPT", kept)
        crawler = get_crawler(Spider, {"ATLANTICO_BASE_URL": "https://atlantico.fr"})
        assert crawler.stats is not None
        crawler.stats.open_spider()
        guard = OffsiteGuardMiddleware.from_crawler(crawler)
        runs.append((verdicts(guard, caplog), crawler.stats.get_stats()))
        # Seven host names: ATLANTICO.FR is atlantico.fr.
        assert len(guard._on_site) == min(kept, 7)
    assert runs[0] == runs[1] == runs[2]
    said, stats = runs[0]
    expected = [is_site_host(host, "atlantico.fr") for host in HOSTS] * 3
    assert [verdict is True for verdict in said] == expected
    assert stats["atlantico/refused/offsite"] == expected.count(False)
