"""robots.txt: obeyed; unreachable (5xx, 429, timeout) means nothing else is fetched from the
host (RFC 9309); 404 means everything is allowed."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from atlantico import settings as project_settings
from tests.faultkit import article, crawl, fault_server, hits, item_urls, let_go_once_held, stat

CRAWL_DELAY = "atlantico.middlewares.crawl_delay.CrawlDelayMiddleware"

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


def test_a_crawl_delay_larger_than_ours_spaces_the_requests(tmp_path: Path) -> None:
    links = ["ok-1", "ok-2", "ok-3", "ok-4"]
    with fault_server("crawl-delay:0.5") as (server, _):
        # No retries: a timed-out request retried would be one more start to space.
        result = crawl(server, tmp_path, links, settings={"DOWNLOAD_TIMEOUT": "60"})
        starts = sorted(r.timestamp for r in server.requests if r.path != "/robots.txt")
    assert item_urls(result) == set(links)
    assert stat(result, "atlantico/robots/crawl_delay") == 0.5
    # The listing, the four articles (and any other page): each but the first held back, so
    # that they left the crawler at least 0.5 s apart. Seen from the server, a loaded machine
    # can only stretch the whole, never shrink it below (n - 1) delays of the crawler's own,
    # less what the first request may have lingered on the way (at most a few tenths).
    assert len(starts) >= 5
    # The four articles leave the listing's callback together, after the listing went: each
    # is held back (a page asked for later, alone, may come after its turn and go at once).
    assert stat(result, "atlantico/politeness/crawl_delay_waited") >= len(links)
    assert starts[-1] - starts[0] >= 0.5 * (len(starts) - 1) - 0.3
    assert "Crawl-delay 0.5 s" in result.log


def test_a_crawl_delay_spaces_requests_that_waited_for_a_transfer_slot(tmp_path: Path) -> None:
    # Two held pages keep both of the host's transfer slots while the other articles wait for
    # one; then the server lets them all answer at once. Spaced before that wait (in the robots
    # guard), the waiting requests went out together as the two slots came free (0.001 s apart
    # on the old arrangement): the spacing must hold right before the download.
    links = [f"held-{n}" for n in range(1, 9)]
    handoffs = tmp_path / "handoffs.jsonl"
    extensions = {**project_settings.EXTENSIONS, "tests.handoffs.HandOffTimes": 990}
    # The Crawl-delay middleware where the project puts it, recording when it let each go.
    middlewares = dict(project_settings.DOWNLOADER_MIDDLEWARES)
    middlewares["tests.handoffs.RecordingCrawlDelay"] = middlewares.pop(CRAWL_DELAY)
    with fault_server("crawl-delay:0.05") as (server, faults), let_go_once_held(faults, 2):
        # Ten Crawl-delays after both slots are held: the other six are in line by then.
        result = crawl(
            server,
            tmp_path,
            links,
            settings={
                "DOWNLOAD_TIMEOUT": "60",
                "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
                "EXTENSIONS": json.dumps(extensions),
                "DOWNLOADER_MIDDLEWARES": json.dumps(middlewares),
                "TEST_HANDOFFS_FILE": str(handoffs),
            },
        )
    assert item_urls(result) == set(links)
    rows = [json.loads(line) for line in handoffs.read_text().splitlines()]
    rows = [row for row in rows if not row["url"].endswith("/robots.txt")]
    assert len(rows) >= 1 + len(links)  # the listing and the articles, at least
    # Each request was let go a Crawl-delay after the one before, by the middleware's own clock
    # (no tolerance: each is let go once that clock has passed the one before plus the delay).
    let_go = [row["let_go"] for row in rows]
    assert None not in let_go
    gaps = [later - earlier for earlier, later in pairwise(let_go)]
    assert min(gaps) >= 0.05 - 1e-9, gaps
    # ... right before its download: let go once it held a transfer slot, not before waiting
    # for one. The six that waited behind the held pages waited half a second and more; spaced
    # before that wait, they would reach the downloader that long after being let go. A pause of
    # the interpreter between the middleware and the signal is far shorter than that.
    assert max(row["at"] - row["let_go"] for row in rows) < 0.25, rows


def test_a_crawl_delay_below_ours_or_past_the_cap_changes_nothing_or_is_capped(
    tmp_path: Path,
) -> None:
    with fault_server("crawl-delay:0.2") as (server, _):
        slower = crawl(server, tmp_path / "slower", ["ok-1"], settings={"DOWNLOAD_DELAY": "0.5"})
    assert item_urls(slower) == {"ok-1"}
    assert stat(slower, "atlantico/robots/crawl_delay") == 0
    assert stat(slower, "atlantico/politeness/crawl_delay_waited") == 0
    with fault_server("crawl-delay:3600") as (server, _):
        capped = crawl(
            server, tmp_path / "capped", ["ok-1"], settings={"ATLANTICO_CRAWL_DELAY_MAX": "0.3"}
        )
    assert item_urls(capped) == {"ok-1"}
    assert stat(capped, "atlantico/robots/crawl_delay") == 0.3
    assert "capped at ATLANTICO_CRAWL_DELAY_MAX" in capped.log
