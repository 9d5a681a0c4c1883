"""Which of a listing's or sitemap's articles earlier runs exported (the store's answer)."""

from __future__ import annotations

from collections.abc import Iterable

from atlantico.identity import article_key
from atlantico.store import Known, Store
from atlantico.urls import legacy_id


def known_articles(store: Store | None, urls: Iterable[str]) -> dict[str, Known]:
    """The articles among ``urls`` (canonical) that the store holds; none without a store.

    A legacy URL never seen before still names its article by the id it carries.
    """
    if store is None:
        return {}
    keys = {article_key(url): url for url in urls}
    found = {keys[key]: record for key, record in store.known(keys).items()}
    by_id = {ident: url for url in keys.values() if url not in found and (ident := legacy_id(url))}
    for ident, record in store.known_ids(by_id).items():
        found[by_id[ident]] = record
    return found
