"""Item filters for ``FEEDS`` entries (Scrapy's ``item_filter`` feed option)."""

from __future__ import annotations

from typing import Any

from scrapy.extensions.feedexport import ItemFilter


class SectionFilter(ItemFilter):
    """Accepts the articles listed by one section, named by the ``atlantico_section`` option.

    >>> from atlantico.items import Article
    >>> only = SectionFilter({"atlantico_section": "high-tech"})
    >>> only.accepts(Article(sections=["decryptages", "high-tech"])), only.accepts(Article())
    (True, False)
    """

    def __init__(self, feed_options: dict[str, Any] | None) -> None:
        super().__init__(feed_options)
        self.section = (feed_options or {}).get("atlantico_section")

    def accepts(self, item: Any) -> bool:
        return self.section in (getattr(item, "sections", None) or [])
