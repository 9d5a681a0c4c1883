"""The texts a run prints at its end: the failure report and the summary table (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from atlantico import stats as names
from atlantico.monitoring.summary import Summary, by_prefix

STORE_COUNTERS = {
    "new": names.STORE_NEW,
    "updated": names.STORE_UPDATED,
    "unchanged": names.STORE_UNCHANGED,
}


def failure_report(failures: Sequence[tuple[str, str]], evidence: Sequence[str]) -> str:
    """What failed (monitor, message with its figures) and where the evidence is."""
    lines = [f"RUN FAILED: {len(failures)} monitor(s) failed"]
    for name, message in failures:
        lines.append(f"- {name}")
        lines.extend(f"    {line}" for line in message.strip().splitlines())
    lines.append("Evidence:")
    lines.extend(f"  {line}" for line in evidence)
    return "\n".join(lines)


def _main_source(shares: Mapping[str, float]) -> str:
    if not shares:
        return "-"
    name, share = max(shares.items(), key=lambda pair: pair[1])
    return f"{name} {share:.0f} %"


def summary_table(
    stats: Mapping[str, Any],
    summary: Summary,
    minimums: Mapping[str, float],
    passed: int,
) -> str:
    """One screen: items by section, store counts, drops by reason, coverage per field."""
    read = summary.get("sections", {})
    exported = by_prefix(stats, names.EXPORTED_SECTION.format(section=""))
    lines = [
        f"Run passed all {passed} monitors: {summary.get('finish_reason')}, "
        f"{summary.get('articles', 0)} articles read, {summary.get('exported', 0)} exported",
        f"  {'section':<16}{'read':>8}{'exported':>10}",
    ]
    for key in sorted(set(read) | set(exported)):
        lines.append(f"  {key:<16}{read.get(key, 0):>8}{exported.get(key, 0):>10}")
    store = {name: stats.get(key) for name, key in STORE_COUNTERS.items()}
    if any(value is not None for value in store.values()):
        lines.append(
            "  store: " + ", ".join(f"{name} {value or 0}" for name, value in store.items())
        )
    found_by = by_prefix(stats, names.DISCOVERY_SECTION_FROM.format(source=""))
    if found_by:
        lines.append(
            "  sections found by: " + ", ".join(f"{how} {n}" for how, n in found_by.items())
        )
    for key, count in by_prefix(stats, names.DISCOVERY_SECTION_FALLBACK.format(section="")).items():
        lines.append(f"  {key}: no listing found; {count} article(s) read from the sitemaps")
    queued = stats.get(names.QUEUE_QUEUED, 0)
    given_up = stats.get(names.QUEUE_GIVEN_UP, 0)
    if queued or given_up:
        lines.append(f"  retry queue: {queued} queued for the next run, {given_up} given up")
        lines.extend(f"    given up: {url}" for url in stats.get(names.QUEUE_GIVEN_UP_URLS, []))
    drops = {
        **by_prefix(stats, names.DROPPED),
        **{f"rejected/{k}": v for k, v in by_prefix(stats, names.REJECTED).items()},
        **{f"skipped/{k}": v for k, v in by_prefix(stats, names.SKIPPED).items()},
    }
    drops = {name: count for name, count in drops.items() if not name.endswith("written")}
    lines.append(
        "  drops: " + (", ".join(f"{name} {count}" for name, count in drops.items()) or "none")
    )
    lines.append(f"  {'field':<16}{'filled':>8}{'of':>6}{'coverage':>10}{'minimum':>9}  source")
    for field, cov in summary.get("coverage", {}).items():
        shown = "-" if cov["percent"] is None else f"{cov['percent']:.1f} %"
        minimum = f"{minimums[field]:g} %" if field in minimums else ""
        source = _main_source(summary.get("sources", {}).get(field, {}))
        lines.append(
            f"  {field:<16}{cov['filled']:>8}{cov['of']:>6}{shown:>10}{minimum:>9}  {source}"
        )
    return "\n".join(lines)
