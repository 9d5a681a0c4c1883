"""Scrapy add-ons of this project (``ADDONS``)."""

from __future__ import annotations

from scrapy.settings import Settings


class DefaultFeed:
    """Sets ``FEEDS`` from ``ATLANTICO_FEED_URI`` when nothing else does.

    The feed's place is a setting of its own so that it can come from the environment, from
    ``-s ATLANTICO_FEED_URI=…``, or from Scrapyd's ``schedule.json`` (``setting=…``). It is set
    at add-on priority: ``-o``/``-O`` and an explicit ``FEEDS`` replace it.
    """

    def update_settings(self, settings: Settings) -> None:
        uri = settings.get("ATLANTICO_FEED_URI")
        # Only crawls publish feeds; `scrapy shell` and `scrapy parse` print what they find.
        if uri and settings.getbool("ATLANTICO_SCHEDULED_RUN"):
            feed = {"format": "jsonlines", "encoding": "utf8", "store_empty": True}
            settings.set("FEEDS", {uri: feed}, priority="addon")
