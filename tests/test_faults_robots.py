"""robots.txt: obeyed; unreachable (5xx, 429, timeout) means nothing else is fetched from the
host (RFC 9309); 404 means everything is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faultkit import article, crawl, fault_server, hits, item_urls, stat

LINKS = ["ok-1", "disallowed-1"]


def test_robots_rules_are_obeyed(tmp_path: Path) -> None:
    with fault_server("normal") as (server, _):
        result = crawl(server, tmp_path, LINKS)
        assert hits(server, article("disallowed-1")) == []
    assert item_urls(result) == {"ok-1"}
    assert stat(result, "atlantico/robots/forbidden") == 1


@pytest.mark.parametrize("mode", ["503", "500", "429", "timeout"])
def test_unreachable_robots_txt_means_nothing_is_fetched(tmp_path: Path, mode: str) -> None:
    # Scrapy alone read a 503 robots.txt as "no rules" and fetched a disallowed page.
    with fault_server(mode) as (server, _):
        result = crawl(server, tmp_path, LINKS)
        paths = {record.path for record in server.requests}
    assert paths == {"/robots.txt"}  # retried, then nothing else: not even the listing
    assert result.items == []
    assert result.stats["finish_reason"] == "robots_unavailable"
    reason = "DownloadTimeoutError" if mode == "timeout" else mode
    assert stat(result, f"atlantico/robots/unavailable/{reason}") == 1
    assert "RFC 9309 says to assume complete disallow" in result.log


def test_robots_txt_404_allows_everything(tmp_path: Path) -> None:
    with fault_server("404") as (server, _):
        result = crawl(server, tmp_path, LINKS)
        assert len(hits(server, article("disallowed-1"))) == 1
    assert item_urls(result) == {"ok-1", "disallowed-1"}
    assert stat(result, "atlantico/robots/allow_all") == 1
