"""Status codes and politeness: Retry-After, backoff, deferral, the 5xx storm, 404/410, and the
per-host concurrency, each checked against what the server saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faultkit import article, crawl, fault_server, hits, item_urls, let_go_once_held, stat

ONE_AT_A_TIME = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
# How many items Scrapy processes at once per response changes the order in which requests
# reach the downloader: with 1, requests of the host are already waiting for its slot when
# the Retry-After comes back (a request once slipped past a day-long pause so).
ORDERINGS = pytest.mark.parametrize("items", ["1", "16"])


@ORDERINGS
def test_retry_after_seconds_delays_the_next_request_to_the_host(
    tmp_path: Path, items: str
) -> None:
    # Scrapy alone retried a 429 "Retry-After: 30" at once.
    with fault_server() as (server, _):
        links = ["retry-after-seconds", "ok-1", "ok-2"]
        settings = {**ONE_AT_A_TIME, "CONCURRENT_ITEMS": items}
        result = crawl(server, tmp_path, links, settings=settings)
        first, second = hits(server, article("retry-after-seconds"))
        later = [r for r in server.requests if r.timestamp > first.timestamp]
    assert second.timestamp - first.timestamp >= 2.0  # the header said 2 s
    # Every request to the host after the 429 waited, not only the retry.
    assert all(r.timestamp - first.timestamp >= 2.0 for r in later)
    assert item_urls(result) == {"retry-after-seconds", "ok-1", "ok-2"}
    assert stat(result, "atlantico/politeness/retry_after") == 1


def test_retry_after_http_date_delays_the_retry(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(server, tmp_path, ["retry-after-date"], settings=ONE_AT_A_TIME)
        first, second = hits(server, article("retry-after-date"))
    # The date named is 3 s after the first request, rounded down to the second.
    assert second.timestamp - first.timestamp >= 2.0
    assert item_urls(result) == {"retry-after-date"}
    assert stat(result, "atlantico/politeness/retry_after") == 1


@ORDERINGS
def test_retry_after_beyond_the_cap_defers_to_the_next_run(tmp_path: Path, items: str) -> None:
    links = ["retry-after-long", "ok-1", "ok-2", "ok-3"]
    with fault_server() as (server, _):
        result = crawl(
            server,
            tmp_path,
            links,
            settings={
                **ONE_AT_A_TIME,
                "ATLANTICO_RETRY_AFTER_MAX": "10",
                "CONCURRENT_ITEMS": items,
            },
        )
        (asked,) = hits(server, article("retry-after-long"))  # never retried
        after = [r for r in server.requests if r.timestamp > asked.timestamp]
        fetched = {name for name in links if hits(server, article(name))}
    assert after == []  # "Retry-After: 3600": nothing more is asked of the host in this run
    deferred = result.stats["atlantico/deferred"]
    assert {url.rsplit("/", 1)[1] for url in deferred} == set(links) - fetched | {
        "retry-after-long"
    }
    assert stat(result, "atlantico/deferred/retry_after") == len(deferred)
    assert "deferred to the next run" in result.log


def test_backoff_without_retry_after_grows_exponentially(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(
            server,
            tmp_path,
            ["backoff"],
            settings={"ATLANTICO_BACKOFF_BASE": "0.5", "ATLANTICO_BACKOFF_MAX": "5"},
        )
        first, second, third = hits(server, article("backoff"))
    assert second.timestamp - first.timestamp >= 0.5
    assert third.timestamp - second.timestamp >= 1.0
    assert item_urls(result) == {"backoff"}
    assert stat(result, "atlantico/politeness/backoff") == 2


def test_a_storm_of_server_errors_stops_the_run(tmp_path: Path) -> None:
    links = [f"error-500-{k}" for k in range(12)]
    with fault_server() as (server, _):
        result = crawl(
            server,
            tmp_path,
            links,
            settings={**ONE_AT_A_TIME, "ATLANTICO_SERVER_ERROR_LIMIT": "5"},
        )
        asked = [r for r in server.requests if r.path.startswith("/article/fault/error-500-")]
    assert result.stats["finish_reason"] == "server_errors"
    assert len(asked) == 5  # not 12 articles × 3 tries
    assert result.stats["atlantico/storm/consecutive"] == 5
    assert "SERVER ERROR STORM" in result.log
    assert result.items == []


def test_404_and_410_are_not_retried_and_410_is_recorded(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(server, tmp_path, ["not-found", "gone", "ok-1"])
        assert len(hits(server, article("not-found"))) == 1
        assert len(hits(server, article("gone"))) == 1
    assert stat(result, "atlantico/http/not_found") == 1
    assert stat(result, "atlantico/http/gone") == 1
    assert [url.rsplit("/", 1)[1] for url in result.stats["atlantico/gone"]] == ["gone"]
    assert item_urls(result) == {"ok-1"}


def test_concurrency_per_host_never_exceeds_the_setting(tmp_path: Path) -> None:
    # Held pages: the server answers none until two wait, then half a second more, so a third
    # request let through would be seen waiting too, and two are always seen at once (slow
    # pages answering on their own could finish before the next came, on a loaded machine).
    with fault_server() as (server, faults), let_go_once_held(faults, 2):
        result = crawl(
            server,
            tmp_path,
            [f"held-{k}" for k in range(8)],
            settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "2", "DOWNLOAD_TIMEOUT": "60"},
        )
    assert len(result.items) == 8
    # Measured by the server: the most requests it was answering at one time.
    assert faults.max_in_flight == 2


def test_a_gone_article_is_never_requested_again(tmp_path: Path) -> None:
    # Two runs sharing one store: the 410 of the first is remembered; the 404 is tried again.
    state = {"ATLANTICO_STATE_DIR": str(tmp_path / "state")}
    with fault_server() as (server, _):
        crawl(server, tmp_path / "first", ["not-found", "gone", "ok-1"], settings=state)
        server.clear_requests()
        second = crawl(server, tmp_path / "second", ["not-found", "gone", "ok-1"], settings=state)
        assert hits(server, article("gone")) == []
        assert len(hits(server, article("not-found"))) == 1
    assert second.items == []
