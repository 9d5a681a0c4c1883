"""Transport faults: retried within Scrapy's limits, then a clear error and a stat; a partial
page is never exported."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import CrawlResult
from tests.faultkit import article, crawl, fault_server, hits, item_urls, stat
from tests.replica import ReplicaServer

TRANSPORT = ["timeout", "headers-then-silence", "reset", "short-body", "bad-chunked"]
ATTEMPTS = 3  # RETRY_TIMES=2 (Scrapy's default): the first try and two retries


@pytest.fixture(scope="module")
def transport(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ReplicaServer, CrawlResult]]:
    with fault_server() as (server, _):
        links = [*TRANSPORT, "truncated-gzip", "ok-1"]
        yield server, crawl(server, tmp_path_factory.mktemp("transport"), links)


@pytest.mark.parametrize("name", TRANSPORT)
def test_each_transport_fault_is_retried_within_limits_then_dropped(
    transport: tuple[ReplicaServer, CrawlResult], name: str
) -> None:
    server, result = transport
    assert len(hits(server, article(name))) == ATTEMPTS
    assert name not in item_urls(result)
    line = f"after {ATTEMPTS} tries: {server.base_url}{article(name)} "
    assert "Failed for good" in result.log
    assert line in result.log


def test_timeouts_are_counted(transport: tuple[ReplicaServer, CrawlResult]) -> None:
    _, result = transport
    # No answer at all, and headers followed by silence.
    assert stat(result, "atlantico/failed/timeout") == 2


def test_broken_bodies_are_counted_as_partial(transport: tuple[ReplicaServer, CrawlResult]) -> None:
    _, result = transport
    # Reset mid-body, body shorter than its Content-Length, broken chunked encoding.
    assert stat(result, "atlantico/failed/partial") == 3


def test_truncated_gzip_is_never_exported_as_a_partial_article(
    transport: tuple[ReplicaServer, CrawlResult],
) -> None:
    server, result = transport
    # Scrapy alone decompresses what it can and passes the partial page on.
    assert len(hits(server, article("truncated-gzip"))) == ATTEMPTS
    assert "truncated-gzip" not in item_urls(result)
    assert stat(result, "atlantico/failed/truncated_body") == 1
    assert stat(result, "retry/reason_count/truncated_gzip") == ATTEMPTS - 1


def test_the_healthy_article_beside_them_is_exported(
    transport: tuple[ReplicaServer, CrawlResult],
) -> None:
    _, result = transport
    assert item_urls(result) == {"ok-1"}
    assert result.stats["finish_reason"] == "finished"
