"""The project's duplicate filter answers as Scrapy's, and reads and writes its JOBDIR file."""

from __future__ import annotations

import random
from pathlib import Path

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from atlantico import settings as project
from atlantico.dupefilter import WIDTH, CompactDupeFilter, Digests

BASE = "https://atlantico.fr"


def _stream(seed: int, count: int) -> list[Request]:
    """Requests with many repeats: the same URL again, another spelling of it (the same
    fingerprint), another method or body (another one)."""
    rng = random.Random(seed)
    made: list[Request] = []
    for n in range(count):
        pick = rng.random()
        if made and pick < 0.3:
            made.append(made[rng.randrange(len(made))].replace())
        elif pick < 0.35:
            made.append(Request(f"{BASE}/article/x/a-{n % 50}?b=2&a=1"))  # query reordered
        elif pick < 0.4:
            made.append(Request(f"{BASE}/article/x/a-{n % 50}?a=1&b=2", method="POST", body=b"x"))
        else:
            made.append(Request(f"{BASE}/article/decryptage/article-{rng.randrange(count)}"))
    return made


def _verdicts(dupefilter: RFPDupeFilter, requests: list[Request]) -> list[bool]:
    return [dupefilter.request_seen(request) for request in requests]


def test_the_same_verdicts_as_scrapys_filter() -> None:
    requests = _stream(3, 30_000)
    crawler = get_crawler()
    scrapys = RFPDupeFilter.from_crawler(crawler)
    ours = CompactDupeFilter.from_crawler(crawler)
    expected = _verdicts(scrapys, requests)
    assert _verdicts(ours, requests) == expected
    assert 5_000 < sum(expected) < 25_000  # duplicates and first sightings both
    assert len(ours._fingerprints) == len(scrapys._fingerprints)
    assert set(ours._fingerprints) == set(scrapys._fingerprints)


def test_the_jobdir_file_is_scrapys_both_ways(tmp_path: Path) -> None:
    requests = _stream(5, 4_000)
    first, rest = requests[:2_000], requests[2_000:]
    for writer, reader in ((CompactDupeFilter, RFPDupeFilter), (RFPDupeFilter, CompactDupeFilter)):
        jobdir = tmp_path / writer.__name__
        jobdir.mkdir()
        before = writer(str(jobdir))
        _verdicts(before, first)
        before.close("finished")
        # A run resumed from JOBDIR: what the first run saw is seen, by either filter.
        resumed, scrapys = reader(str(jobdir)), RFPDupeFilter()
        _verdicts(scrapys, first)
        assert _verdicts(resumed, rest) == _verdicts(scrapys, rest)
        resumed.close("finished")
    assert (tmp_path / "CompactDupeFilter" / "requests.seen").read_bytes()


def test_digests_of_any_width_and_the_empty_mark() -> None:
    rng = random.Random(9)
    wide = [rng.randbytes(WIDTH) for _ in range(5_000)]
    odd = [rng.randbytes(8), rng.randbytes(32), b""]
    digests = Digests()
    for digest in [*wide, bytes(WIDTH), *odd, *wide[:100]]:
        digests.add(digest)
    assert len(digests) == len(wide) + 1 + len(odd)
    assert all(d in digests for d in [*wide, bytes(WIDTH), *odd])
    assert not any(rng.randbytes(WIDTH) in digests for _ in range(1_000))
    assert "not bytes" not in digests
    assert set(digests) == {*wide, bytes(WIDTH), *odd}


def test_the_project_uses_the_compact_filter() -> None:
    assert (
        Settings(vars(project)).get("DUPEFILTER_CLASS") == "atlantico.dupefilter.CompactDupeFilter"
    )
