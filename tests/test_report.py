"""The run report's summary says how sections were found and what the retry queue holds."""

from __future__ import annotations

from atlantico.monitoring.report import summary_table
from atlantico.monitoring.summary import summarize


def _table(stats: dict[str, object]) -> str:
    base = {"finish_reason": "finished", **stats}
    return summary_table(base, summarize(base), {}, passed=8)


def test_a_section_read_from_the_sitemaps_is_said_in_the_report() -> None:
    table = _table(
        {
            "atlantico/discovery/section_from/home": 1,
            "atlantico/discovery/section_fallback/high-tech": 42,
        }
    )
    assert "sections found by: home 1" in table
    assert "high-tech: no listing found; 42 article(s) read from the sitemaps" in table


def test_queued_and_given_up_articles_are_in_the_report() -> None:
    table = _table(
        {
            "atlantico/queue/queued": 2,
            "atlantico/queue/given_up": 1,
            "atlantico/queue/given_up_urls": ["https://atlantico.fr/article/decryptage/x"],
        }
    )
    assert "retry queue: 2 queued for the next run, 1 given up" in table
    assert "given up: https://atlantico.fr/article/decryptage/x" in table


def test_a_quiet_run_says_nothing_of_either() -> None:
    table = _table({})
    assert "retry queue" not in table
    assert "no listing found" not in table
