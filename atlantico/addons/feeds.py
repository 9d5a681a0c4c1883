"""The feeds a crawl publishes, set from ``ATLANTICO_*`` settings."""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings


class DefaultFeed:
    """Sets ``FEEDS`` from ``ATLANTICO_FEED_URI`` (JSON Lines) and ``ATLANTICO_ATOM_URI`` (one
    full-text Atom feed per section) when nothing else does.

    The feed's place is a setting of its own so that it can come from the environment, from
    ``-s ATLANTICO_FEED_URI=…``, or from Scrapyd's ``schedule.json`` (``setting=…``). It is set
    at add-on priority: ``-o``/``-O`` and an explicit ``FEEDS`` replace it.
    """

    def update_settings(self, settings: Settings) -> None:
        # Only crawls publish feeds; `scrapy shell` and `scrapy parse` print what they find.
        if not settings.getbool("ATLANTICO_SCHEDULED_RUN"):
            return
        feeds: dict[str, dict[str, Any]] = {}
        uri = settings.get("ATLANTICO_FEED_URI")
        if uri:
            feeds[uri] = {"format": "jsonlines", "encoding": "utf8", "store_empty": True}
        atom = settings.get("ATLANTICO_ATOM_URI")
        if atom:
            for key, label in settings.getdict("ATLANTICO_SECTIONS").items():
                feeds[atom.replace("{section}", key)] = {
                    "format": "atom",
                    "encoding": "utf-8",
                    "overwrite": True,  # default False appends, which breaks an XML document
                    "store_empty": False,
                    "item_filter": "atlantico.exporters.filters.SectionFilter",
                    "atlantico_section": key,
                    "item_export_kwargs": {"title": f"Atlantico — {label}", "section": key},
                }
        if feeds:
            settings.set("FEEDS", feeds, priority="addon")
