"""Scrapy's duplicate filter with its fingerprints in one table: the same verdicts, less memory.

Scrapy's ``RFPDupeFilter`` keeps the fingerprint of every request it let through, for the whole
run, in a ``set`` of 20-byte ``bytes``: 53 bytes an object, and a set's table of 16-byte slots,
four times the entries when it grows (2 MB of table for 20,000 requests), which made the
crawl's memory grow with each article requested. :class:`Digests` holds the 20-byte digests
side by side in one ``bytearray`` (open addressing, at most 70 % full): about 30 bytes a
fingerprint. :class:`CompactDupeFilter` is Scrapy's filter with that table in place of its set:
the same fingerprints (``REQUEST_FINGERPRINTER_CLASS``), the same answers, the same
``requests.seen`` file under ``JOBDIR`` (read at start, appended to), the same log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scrapy.dupefilters import RFPDupeFilter

# Scrapy's fingerprints are SHA-1 digests.
WIDTH = 20
# The table's slots, at first and at most this share of them taken.
_FIRST_SLOTS = 1 << 10
_MAX_LOAD = 0.7


class Digests:
    """A set of byte strings: those of :data:`WIDTH` bytes in one table, any other (a custom
    fingerprinter's) in a plain set.

    >>> digests = Digests()
    >>> digests.add(bytes(range(20)))
    >>> digests.add(bytes(20))  # all zeros: the mark of an empty slot, held apart
    >>> digests.add(b"short")
    >>> bytes(range(20)) in digests, bytes(20) in digests, b"short" in digests, b"x" in digests
    (True, True, True, False)
    >>> len(digests), sorted(digests) == sorted([bytes(range(20)), bytes(20), b"short"])
    (3, True)
    """

    def __init__(self, digests: Iterable[bytes] = ()) -> None:
        self._slots = _FIRST_SLOTS
        self._table = bytearray(self._slots * WIDTH)
        self._view = memoryview(self._table)
        self._used = 0
        self._zero = False
        self._other: set[bytes] = set()
        self.update(digests)

    def _slot(self, digest: bytes) -> tuple[bool, int]:
        """Whether ``digest`` is in the table, and its slot (or the free slot it would take)."""
        mask = self._slots - 1
        view = self._view
        index = hash(digest) & mask
        while True:
            start = index * WIDTH
            held = view[start : start + WIDTH]
            if held == digest:
                return True, index
            if held == _EMPTY:
                return False, index
            index = (index + 1) & mask

    def __contains__(self, digest: object) -> bool:
        if not isinstance(digest, bytes):
            return False
        if len(digest) != WIDTH:
            return digest in self._other
        if digest == _EMPTY:
            return self._zero
        return self._slot(digest)[0]

    def add(self, digest: bytes) -> None:
        if len(digest) != WIDTH:
            self._other.add(bytes(digest))
            return
        if digest == _EMPTY:
            self._zero = True
            return
        found, index = self._slot(digest)
        if found:
            return
        start = index * WIDTH
        self._view[start : start + WIDTH] = digest
        self._used += 1
        if self._used > self._slots * _MAX_LOAD:
            self._grow()

    def update(self, digests: Iterable[bytes]) -> None:
        for digest in digests:
            self.add(digest)

    def _grow(self) -> None:
        held = list(self._packed())
        self._slots *= 2
        self._table = bytearray(self._slots * WIDTH)
        self._view = memoryview(self._table)
        self._used = 0
        for digest in held:
            self.add(digest)

    def _packed(self) -> Iterator[bytes]:
        table = self._table
        for start in range(0, len(table), WIDTH):
            digest = bytes(table[start : start + WIDTH])
            if digest != _EMPTY:
                yield digest

    def __iter__(self) -> Iterator[bytes]:
        if self._zero:
            yield _EMPTY
        yield from self._packed()
        yield from self._other

    def __len__(self) -> int:
        return self._used + self._zero + len(self._other)


_EMPTY = bytes(WIDTH)


class CompactDupeFilter(RFPDupeFilter):
    """Scrapy's ``RFPDupeFilter`` (``DUPEFILTER_CLASS``), its fingerprints in :class:`Digests`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # reads requests.seen under JOBDIR into a set
        self._fingerprints = Digests(self._fingerprints)  # type: ignore[assignment]
