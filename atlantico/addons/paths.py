"""Every file a run writes goes where its feed goes, unless told otherwise.

The Atom feeds (``ATLANTICO_ATOM_URI``) and the rejects file (``ATLANTICO_REJECTS_URI``) default
to ``feeds/…``, relative to the working directory. A run whose feed is sent elsewhere (Scrapyd,
which runs jobs in its own folder, given ``-d setting=ATLANTICO_FEED_URI=/var/lib/…``) would
still write them into that working directory. This add-on, which runs before the feeds add-on,
moves each of them that is still at its default into the local folder of
``ATLANTICO_FEED_URI``. A value given with ``-s`` or in the environment is left alone; so is a
feed that is not a local file (``s3://…``).
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, Settings

DEFAULT_FOLDER = "feeds"
FOLLOWERS = ("ATLANTICO_ATOM_URI", "ATLANTICO_REJECTS_URI")


def local_folder(uri: str) -> str | None:
    """The local folder of a feed URI, or None when it is not a local file.

    >>> local_folder("/var/lib/atlantico/feeds/%(name)s.jsonl"), local_folder("out.jsonl")
    ('/var/lib/atlantico/feeds', '')
    >>> local_folder("file:///srv/f/x.jsonl"), local_folder("s3://bucket/x.jsonl")
    ('/srv/f', None)
    """
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return posixpath.dirname(parts.path)
    if parts.scheme and len(parts.scheme) > 1:  # "C:" is a drive, not a scheme
        return None
    return posixpath.dirname(uri)


def followed(value: str, folder: str) -> str:
    """``value`` moved from the default folder into ``folder``.

    >>> followed("feeds/atlantico-{section}.atom", "/srv/feeds")
    '/srv/feeds/atlantico-{section}.atom'
    """
    return posixpath.join(folder, value.removeprefix(DEFAULT_FOLDER + "/"))


class FeedFolder:
    def update_settings(self, settings: Settings) -> None:
        folder = local_folder(settings.get("ATLANTICO_FEED_URI") or "")
        if folder is None or folder in ("", DEFAULT_FOLDER):
            return
        for name in FOLLOWERS:
            value = settings.get(name) or ""
            given = name in os.environ or (
                (settings.getpriority(name) or 0) >= SETTINGS_PRIORITIES["cmdline"]
            )
            if value.startswith(DEFAULT_FOLDER + "/") and not given:
                settings.set(name, followed(value, folder), priority="project")
