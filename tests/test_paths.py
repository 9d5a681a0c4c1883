"""The Atom feeds and the rejects file follow the feed's folder (atlantico/addons/paths.py)."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from atlantico import settings as project_settings
from atlantico.addons.paths import FeedFolder


def resolved(**cmdline: str) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("ATLANTICO_SCHEDULED_RUN", True, priority="cmdline")
    for name, value in cmdline.items():
        settings.set(name, value, priority="cmdline")
    FeedFolder().update_settings(settings)
    return settings


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ATLANTICO_ATOM_URI", "ATLANTICO_REJECTS_URI", "ATLANTICO_FEED_URI"):
        monkeypatch.delenv(name, raising=False)


def test_atom_and_rejects_follow_a_feed_sent_elsewhere() -> None:
    settings = resolved(ATLANTICO_FEED_URI="/srv/atlantico/out/%(name)s-%(run_id)s.jsonl")
    assert settings.get("ATLANTICO_ATOM_URI") == "/srv/atlantico/out/atlantico-{section}.atom"
    assert settings.get("ATLANTICO_REJECTS_URI") == (
        "/srv/atlantico/out/%(name)s-rejects-%(time)s.jsonl"
    )


def test_a_path_given_on_the_command_line_or_in_the_environment_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = resolved(
        ATLANTICO_FEED_URI="/srv/out/x.jsonl", ATLANTICO_ATOM_URI="/var/www/{section}.atom"
    )
    assert settings.get("ATLANTICO_ATOM_URI") == "/var/www/{section}.atom"
    monkeypatch.setenv("ATLANTICO_REJECTS_URI", "feeds/rejects.jsonl")
    settings = resolved(ATLANTICO_FEED_URI="/srv/out/x.jsonl")
    assert settings.get("ATLANTICO_REJECTS_URI").startswith("feeds/")


@pytest.mark.parametrize("feed", ["feeds/%(name)s-%(run_id)s.jsonl", "s3://bucket/x.jsonl"])
def test_defaults_stay_when_the_feed_is_in_feeds_or_not_local(feed: str) -> None:
    settings = resolved(ATLANTICO_FEED_URI=feed)
    assert settings.get("ATLANTICO_ATOM_URI") == "feeds/atlantico-{section}.atom"
    assert settings.get("ATLANTICO_REJECTS_URI").startswith("feeds/")
