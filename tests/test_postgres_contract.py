"""The store's contract tests (``tests/test_store.py``, those that use only the :class:`Store`
interface through its ``store`` fixture) run again here on PostgreSQL, by overriding that
fixture with a store in a fresh database of the test cluster."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest

from atlantico.backends.postgres import PostgresStore
from atlantico.store import Store
from tests import test_store as contract

# The PostgreSQL fixtures: pg_cluster, pg_url.
pytest_plugins = ["tests.pgserver"]

CONTRACT = {
    name: test
    for name, test in vars(contract).items()
    if name.startswith("test_") and "store" in inspect.signature(test).parameters
}
globals().update(CONTRACT)


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    opened = PostgresStore.open(pg_url)
    yield opened
    opened.close()


def test_the_contract_is_not_empty() -> None:
    assert len(CONTRACT) >= 4, sorted(CONTRACT)
