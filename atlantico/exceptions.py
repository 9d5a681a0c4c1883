"""The project's own exceptions; each docstring says where it is raised."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class RejectedItem(DropItem):
    """An invalid item: kept out of the feeds and written to the rejects feed with its errors.

    Raised by :class:`atlantico.pipelines.validate.ValidatePipeline` (a required field is
    missing) and :class:`atlantico.pipelines.schema.SchemaPipeline` (the item breaks
    ``schema/article.schema.json``); written by :class:`atlantico.extensions.rejects.RejectsFeed`.
    """

    def __init__(self, message: str, errors: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.errors = errors
        """Field name → what is wrong with it."""
