"""Listing pages asked ahead of the walk (atlantico/discovery/ahead.py).

The walk must read and stop exactly as it would page by page, whatever order the pages come
back in and however the site numbers them: checked on generated pagination chains (numbered in
the query or the path, switching form halfway, numbers elsewhere in the URL, pages whose
number the URL does not carry) answered in random orders, then end to end on the replica.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from atlantico.discovery.ahead import Ahead, Pager, depth_of
from tests.conftest import CrawlResult, run_crawl
from tests.replica import ReplicaServer

# -- the walk's bookkeeping, on generated chains ----------------------------------------------


def _form(rng: random.Random) -> str:
    """One way of spelling page ``{n}``'s URL."""
    return rng.choice(
        [
            "https://a.fr/l?page={n}",
            "https://a.fr/l/page/{n}",
            "https://a.fr/2026/l?p={n}",  # another number in the URL
            "https://a.fr/l?page={n}&per=20",
            "https://a.fr/l/{w}",  # no number: a word per page
            "https://a.fr/l?page={n}&n={n}",  # the number twice: no pager can be told
        ]
    )


def _chain(rng: random.Random) -> list[str]:
    """A section's pagination, page 1 first: one or two URL forms, then an end."""
    length = rng.randint(1, 30)
    switch = rng.randint(2, length + 1)
    first, second = _form(rng), _form(rng)
    urls = ["https://a.fr/l"]
    words = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"]
    for n in range(2, length + 1):
        form = first if n < switch else second
        urls.append(form.format(n=n, w=f"{words[n % 10]}-{n}"))
    return urls


def _walk(chain: list[str], depth: int, rng: random.Random, eager: bool = True) -> dict[str, int]:
    """The walk over ``chain``, answers coming back in a random order: what it took, asked."""
    ahead: Ahead[int | str] = Ahead(depth)
    where = {url: index for index, url in enumerate(chain)}
    out = [(1, chain[0])]
    taken: list[str] = []
    asked = Counter[str]()
    unread_arrivals = 0
    while out:
        page, url = out.pop(rng.randrange(len(out)))
        asked[url] += 1
        what: int | str = where.get(url, "404")
        if not ahead.arrive(page, url, what):
            unread_arrivals += 1
            continue
        while (due := ahead.due()) is not None:
            number, due_url, got = due
            assert got != "404", f"page {number} ({due_url}) was taken though the chain lacks it"
            assert isinstance(got, int)
            assert got == number - 1, "a page was taken out of its place"
            taken.append(due_url)
            if got + 1 == len(chain):
                abandoned = ahead.end()
                break
            following = chain[got + 1]
            out += [(n, u) for n, u, _ahead in ahead.go_on(number, following, eager=eager, limit=0)]
        else:
            continue
        break
    else:
        abandoned = ahead.end()
    assert taken == chain, "the walk did not read the chain in order, once each"
    in_flight = len(out)
    return {
        "asked": sum(asked.values()) + in_flight,
        "abandoned": abandoned,
        "unread": unread_arrivals + in_flight,
        "twice": sum(1 for count in asked.values() if count > 1),
    }


@pytest.mark.parametrize("seed", range(300))
def test_generated_chains_are_read_in_order_once_whatever_the_order_of_answers(seed: int) -> None:
    rng = random.Random(seed)
    chain = _chain(rng)
    depth = rng.choice([0, 1, 3, 4, 8])
    counts = _walk(chain, depth, rng)
    assert counts["twice"] == 0, "a URL was asked twice"
    # Every request beyond the chain's pages is a page asked ahead that the walk left unread,
    # and each such page is counted once by the walk.
    assert counts["asked"] - len(chain) == counts["abandoned"]
    assert counts["unread"] <= counts["abandoned"]  # the rest came in and waited, unread
    if depth == 0:
        assert counts["asked"] == len(chain)


def test_a_walk_past_its_last_page_asks_at_most_depth_pages_more() -> None:
    chain = [f"https://a.fr/l?page={n}" for n in range(1, 21)]
    for seed in range(50):
        counts = _walk(chain, 4, random.Random(seed))
        assert counts["asked"] - len(chain) <= 4


def test_pages_not_all_new_are_walked_one_by_one() -> None:
    chain = [f"https://a.fr/l?page={n}" for n in range(1, 21)]
    counts = _walk(chain, 4, random.Random(7), eager=False)
    assert counts["asked"] == len(chain)


def test_nothing_is_asked_ahead_before_the_pager_is_confirmed_by_a_second_page() -> None:
    ahead: Ahead[str] = Ahead(3)
    assert ahead.go_on(1, "https://a.fr/l?page=2", eager=True, limit=0) == [
        (2, "https://a.fr/l?page=2", False)
    ]
    assert ahead.arrive(2, "https://a.fr/l?page=2", "two")
    assert ahead.due() == (2, "https://a.fr/l?page=2", "two")
    asked = ahead.go_on(2, "https://a.fr/l?page=3", eager=True, limit=4)
    # Confirmed: page 3, then ahead up to the limit (page 4), not the depth (page 6).
    assert asked == [(3, "https://a.fr/l?page=3", False), (4, "https://a.fr/l?page=4", True)]


def test_an_answer_to_a_wrong_guess_is_never_taken_for_the_page_of_that_number() -> None:
    ahead: Ahead[str] = Ahead(2)
    ahead.go_on(1, "https://a.fr/l?page=2", eager=True, limit=0)
    ahead.arrive(2, "https://a.fr/l?page=2", "two")
    ahead.due()
    ahead.go_on(2, "https://a.fr/l?page=3", eager=True, limit=0)  # asks 4 and 5 ahead
    ahead.arrive(3, "https://a.fr/l?page=3", "three")
    ahead.due()
    # Page 3 links page 4 under another form: the guesses are dropped, the link is followed.
    assert ahead.go_on(3, "https://a.fr/l/4", eager=False, limit=0) == [
        (4, "https://a.fr/l/4", False)
    ]
    assert not ahead.arrive(4, "https://a.fr/l?page=4", "guessed four")
    assert ahead.due() is None
    assert ahead.arrive(4, "https://a.fr/l/4", "four")
    assert ahead.due() == (4, "https://a.fr/l/4", "four")
    assert ahead.end() == 2  # pages 4 and 5 of the wrong guess


def test_the_pager_is_the_one_number_equal_to_the_page() -> None:
    assert Pager.of("https://a.fr/2026/11/l?page=3", 3) == Pager("https://a.fr/2026/11/l?page=", "")
    assert Pager.of("https://a.fr/l/3/x?page=3", 3) is None
    assert Pager.of("https://a.fr/l/trois", 3) is None


def test_auto_asks_ahead_only_in_a_fast_crawl() -> None:
    assert depth_of("auto", 0.0, 0.1) > 0
    assert depth_of("auto", 1.0, 0.1) == 0  # the live site's polite pace
    assert depth_of(" 6 ", 1.0, 0.1) == 6


# -- end to end on the replica ----------------------------------------------------------------


def _crawl(tmp_path: Path, name: str, depth: int) -> tuple[CrawlResult, list[str]]:
    with ReplicaServer(n_articles=150, seed=99) as server:
        result = run_crawl(
            server.base_url, tmp_path / name, settings={"ATLANTICO_LISTING_AHEAD": str(depth)}
        )
        paths = [record.path for record in server.requests]
    return result, paths


def _listing_requests(paths: list[str]) -> list[str]:
    return [p for p in paths if urlsplit(p).path.startswith(("/decryptages", "/categorie/"))]


def test_a_crawl_asking_ahead_delivers_what_a_page_by_page_crawl_does(tmp_path: Path) -> None:
    one_by_one, paths_one = _crawl(tmp_path, "one", 0)
    ahead, paths_ahead = _crawl(tmp_path, "ahead", 3)
    assert one_by_one.returncode == 0, one_by_one.log[-2000:]
    assert ahead.returncode == 0, ahead.log[-2000:]

    def delivered(result: CrawlResult) -> dict[str, list[str]]:
        return {item["articleKey"]: sorted(item["sections"]) for item in result.items}

    assert delivered(ahead) == delivered(one_by_one)
    assert len(ahead.items) == len(one_by_one.items) > 100
    stats = ahead.stats
    asked = sum(v for k, v in stats.items() if k.startswith("atlantico/listing/ahead/asked/"))
    assert asked > 0
    assert not any(k.startswith("atlantico/listing/ahead/") for k in one_by_one.stats)
    # The same listing pages read, each once; the extra requests are pages past the last one,
    # at most the depth per section, all counted.
    for section in ("decryptages", "high-tech"):
        key = f"atlantico/listing/pages/{section}"
        assert stats[key] == one_by_one.stats[key]
    listing_one, listing_ahead = _listing_requests(paths_one), _listing_requests(paths_ahead)
    assert len(set(listing_ahead)) == len(listing_ahead), "a listing page was asked twice"
    assert set(listing_one) <= set(listing_ahead)
    extra = len(listing_ahead) - len(listing_one)
    unread = sum(v for k, v in stats.items() if k.startswith("atlantico/listing/ahead/unread/"))
    assert extra == unread <= 2 * 3
    assert stats.get("atlantico/listing/ahead/not_found", 0) == extra
    assert "atlantico/http/not_found" not in stats  # past the last page is no broken link
