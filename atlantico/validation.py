"""Spidermon's item validation, with the compiled check of :mod:`atlantico.pipelines.schema`
first and no deep copy of the item. Loaded by :class:`~atlantico.pipelines.schema.SchemaPipeline`
with the first item: importing Spidermon's validation imports jsonschema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from itemadapter import ItemAdapter
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline
from spidermon.contrib.scrapy.stats import ValidationStatsManager

from atlantico import stats as names
from atlantico.exceptions import RejectedItem
from atlantico.fields import item_fields
from atlantico.items import Article
from atlantico.pipelines.schema import compiled_check

# Stat names kept (Spidermon's: a few, and one per kind of error and field).
NAMES_KEPT = 4096


class NamedOnce(ValidationStatsManager):
    """Spidermon's validation stats, each name made once: Spidermon slugifies every part of
    it on every call (17 µs a name at load 7, two names per item; 0.6 µs once made)."""

    def __init__(self, stats: Any, prefix: str | None = None, slugify: bool = True) -> None:
        super().__init__(stats, prefix, slugify)
        self.names: dict[tuple[str, ...], str] = {}

    def _get_stats_name(self, *parts: str) -> str:
        name = self.names.get(parts)
        if name is None:
            name = super()._get_stats_name(*parts)
            if len(self.names) < NAMES_KEPT:
                self.names[parts] = name
        return name


class Validation(ItemValidationPipeline):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spidermon: ValidationStatsManager = vars(self)["stats"]
        self.stats = NamedOnce(spidermon.stats, spidermon.prefix, spidermon.slugify)
        # One compiled check per Spidermon validator, by the validator's identity.
        self.compiled: dict[int, Callable[[dict[str, Any]], bool] | None] = {
            id(validator): compiled_check(validator._schema)
            for validators in self.validators.values()
            for validator in validators
        }

    def process_item(self, item: Article) -> Article:
        """Spidermon's ``process_item``, with the compiled check first and no deep copy."""
        validators = self.find_validators(item)
        if not validators:
            return item
        data = item_fields(item)
        self.stats.add_item()
        self.stats.add_fields(len(data))
        for validator in validators:
            compiled = self.compiled.get(id(validator))
            if compiled is not None and compiled(data):
                continue
            ok, errors = validator.validate(data)
            if ok:
                self.stats.stats.inc_value(names.SCHEMA_FAST_CHECK_OVERRULED)
                continue
            self._add_error_stats(errors)
            if self.add_errors_to_items:
                self._add_errors_to_item(ItemAdapter(item), errors)
            if self.drop_items_with_errors:
                self._drop_item(item, errors)
        return item

    def _drop_item(self, item: Any, errors: dict[str, list[str]]) -> None:
        """Spidermon's hook for an invalid item: reject it with its errors."""
        self.stats.add_dropped_item()
        stats = self.stats.stats
        stats.inc_value(names.REJECTED_SCHEMA)
        for field in errors:
            stats.inc_value(names.REJECTED_FIELD.format(field=field))
        summary = "; ".join(f"{field}: {', '.join(messages)}" for field, messages in errors.items())
        raise RejectedItem(f"schema: {summary} in {getattr(item, 'url', None)}", errors)
