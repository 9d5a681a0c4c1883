"""Traps: redirect loops, endless pagination, calendar-style listings, over-long URLs; each
bounded and counted."""

from __future__ import annotations

from pathlib import Path

from tests.faultkit import article, crawl, fault_server, hits, stat


def test_a_redirect_loop_is_bounded(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(server, tmp_path, ["redirect-loop", "ok-1"])
        asked = hits(server, article("redirect-loop"))
    assert len(asked) == 1 + 5  # the article and REDIRECT_MAX_TIMES hops
    assert stat(result, "atlantico/refused/redirect_loop") == 1
    assert [item["url"].rsplit("/", 1)[1] for item in result.items] == ["ok-1"]


def test_endless_pagination_stops_at_the_page_limit(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(
            server,
            tmp_path,
            section_url=f"{server.base_url}/_fault/pages?page=1",
            settings={"ATLANTICO_LISTING_PAGE_LIMIT": "4"},
        )
        listings = hits(server, "/_fault/pages")
    assert len(listings) == 4
    assert stat(result, "atlantico/listing/stopped/page_limit") == 1
    assert len(result.items) == 4 * 3


def test_a_calendar_trap_stops_when_a_page_lists_nothing_new(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(server, tmp_path, section_url=f"{server.base_url}/_fault/calendar")
        days = hits(server, "/_fault/calendar")
    # Day 1 lists the article; the day before lists the same one again: the walk stops there.
    assert len(days) == 2
    assert stat(result, "atlantico/listing/stopped/no_new_articles") == 1
    assert len(result.items) == 1


def test_an_over_long_url_is_never_requested(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        url = f"{server.base_url}/_fault/listing?links=ok-1&long=2100"  # past URLLENGTH_LIMIT
        result = crawl(server, tmp_path, section_url=url)
        assert [r for r in server.requests if r.path.startswith("/article/fault/long-")] == []
    assert stat(result, "urllength/request_ignored_count") == 1
    assert len(result.items) == 1
