"""A failed run notifies by e-mail, Slack and webhook (atlantico/monitoring/notify.py); a passing
run sends nothing. Sinks on 127.0.0.1 only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_crawl
from tests.replica import ReplicaServer
from tests.sinks import free_port, http_sink, smtp_sink


@pytest.fixture(scope="module")
def small_site() -> Iterator[ReplicaServer]:
    with ReplicaServer(n_articles=12, seed=3) as site:
        yield site


def notify_settings(smtp_port: int, http: str) -> dict[str, str]:
    return {
        "ATLANTICO_NOTIFY_EMAIL_TO": "ops@example.org, oncall@example.org",
        "ATLANTICO_NOTIFY_EMAIL_FROM": "crawler@example.org",
        "ATLANTICO_NOTIFY_SMTP_HOST": "127.0.0.1",
        "ATLANTICO_NOTIFY_SMTP_PORT": str(smtp_port),
        "ATLANTICO_NOTIFY_SLACK_WEBHOOK": f"{http}/slack/T000/B000",
        "ATLANTICO_NOTIFY_WEBHOOK": f"{http}/hook",
        "ATLANTICO_STORE_ENABLED": "0",
    }


def test_a_failed_run_sends_its_report_on_every_channel(
    small_site: ReplicaServer, tmp_path: Path
) -> None:
    with smtp_sink() as (port, mails), http_sink() as (http, posts):
        result = run_crawl(
            small_site.base_url,
            tmp_path,
            settings={
                **notify_settings(port, http),
                "ATLANTICO_MIN_ITEMS_PER_SECTION": "1000",  # the item count monitor fails
            },
        )
    assert result.returncode == 1
    assert result.stats["atlantico/monitors/failures"] == ["Section item count"]
    for channel in ("email", "slack", "webhook"):
        assert result.stats.get(f"atlantico/notify/sent/{channel}") == 1, channel
    ((recipients, mail),) = mails
    assert recipients == ["ops@example.org", "oncall@example.org"]
    assert mail["From"] == "crawler@example.org"
    assert "FAILED" in mail["Subject"]
    assert "Section item count" in mail["Subject"]
    body = mail.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
    assert body.startswith("RUN FAILED: 1 monitor(s) failed")
    assert "Evidence:" in body
    by_path = dict(posts)
    slack = json.loads(by_path["/slack/T000/B000"])
    assert slack == {"text": body.rstrip("\n")}
    hook = json.loads(by_path["/hook"])
    assert hook["event"] == "run_failed"
    assert hook["failures"] == ["Section item count"]
    assert hook["report"] == slack["text"]
    assert hook["counts"]["exported"] == result.stats["item_scraped_count"]


def test_a_passing_run_sends_nothing_and_a_dead_relay_is_one_error(
    small_site: ReplicaServer, tmp_path: Path
) -> None:
    with http_sink() as (http, posts):
        passed = run_crawl(
            small_site.base_url, tmp_path / "passed", settings=notify_settings(free_port(), http)
        )
        assert passed.returncode == 0, passed.log[-2000:]
        assert posts == []
        assert not any(k.startswith("atlantico/notify/") for k in passed.stats)
        # Nobody listens on the SMTP port: the e-mail fails, the webhooks still go.
        failed = run_crawl(
            small_site.base_url,
            tmp_path / "failed",
            settings={
                **notify_settings(free_port(), http),
                "ATLANTICO_MIN_ITEMS_PER_SECTION": "1000",
            },
        )
    assert failed.stats.get("atlantico/notify/failed/email") == 1
    assert failed.stats.get("atlantico/notify/sent/webhook") == 1
    assert "Could not send the failure notification by email" in failed.log
    assert len(posts) == 2
