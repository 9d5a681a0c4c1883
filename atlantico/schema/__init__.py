"""The JSON Schema of one feed line (``article.schema.json``), loaded as package data.

Read through :mod:`pkgutil` so that it also loads from the zipped egg Scrapyd runs.
"""

from __future__ import annotations

import json
import pkgutil
from typing import Any

_DATA = pkgutil.get_data(__name__, "article.schema.json")
assert _DATA is not None
ARTICLE_SCHEMA: dict[str, Any] = json.loads(_DATA)
