"""An item's fields as a dict, without the deep copy of ``ItemAdapter.asdict()``.

``asdict()`` copies every nested dict and list (about 0.25 ms for a long article); the schema
check and the feed writers only read the values, so they share them instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from itemadapter import ItemAdapter

from atlantico.items import Article

_ARTICLE_FIELDS = tuple(field.name for field in dataclasses.fields(Article))


def item_fields(item: Any) -> dict[str, Any]:
    """The item's fields in order, as ``ItemAdapter(item).asdict()`` gives them, not copied.

    An :class:`~atlantico.items.Article` holds only plain dicts, lists and scalars (its nested
    values are TypedDicts), so its top-level fields are the whole answer; any other item goes
    through ItemAdapter.

    >>> fields = item_fields(Article(headline="Titre", tags=["IA"]))
    >>> fields["headline"], fields["tags"], list(fields)[:2]
    ('Titre', ['IA'], ['articleKey', 'url'])
    """
    if type(item) is Article:
        return {name: getattr(item, name) for name in _ARTICLE_FIELDS}
    return ItemAdapter(item).asdict()
