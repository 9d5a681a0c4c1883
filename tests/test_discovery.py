"""atlantico.discovery and the discovery parts of the spider, without a crawl."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from scrapy.exceptions import CloseSpider, IgnoreRequest, UsageError
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from atlantico import settings as project_settings
from atlantico.discovery import arguments, legacy, probes, sources
from atlantico.discovery.aliases import Found, article_url
from atlantico.discovery.articles import settle
from atlantico.discovery.listings import Taken, read_listing
from atlantico.discovery.parts import Chain, join_parts, next_part
from atlantico.discovery.phases import Countdown
from atlantico.discovery.report import Report
from atlantico.discovery.rules import SectionRules
from atlantico.discovery.site import Site
from atlantico.discovery.state import Discovery
from atlantico.discovery.stop import PageReport, StopPolicy, decide
from atlantico.extract.listing import find_section_links, next_page
from atlantico.items import Article
from atlantico.spiders.atlantico import AtlanticoSpider

BASE = "https://atlantico.fr"
EMPTY_REPORT = PageReport(1, 0, 0, 0, 0, 0, None, False)
LABELS = {"high-tech": "High-tech", "decryptages": "Décryptages"}
RULES = {"high-tech": {"category": "High-tech"}, "decryptages": {"type": "decryptage"}}
# The project's own ATLANTICO_* settings (sections, labels, limits), with the site's base URL.
SETTINGS = {
    **{k: v for k, v in vars(project_settings).items() if k.startswith("ATLANTICO_")},
    "ATLANTICO_BASE_URL": BASE,
    "ATLANTICO_SECTION_URLS": "{}",
}


def page(url: str, body: str, head: str = "") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")


# -- sections anywhere -----------------------------------------------------------------------

MENUS = {
    "thematiques": (
        '<nav><a href="/pepites">Pépites</a></nav><div class="dropdown"><button>Thématiques'
        '</button><ul class="dropdown-menu"><li><a href="/rubrique/high-tech"><span>High</span>'
        "-<span>TECH</span></a></li></ul></div>"
    ),
    "burger": (
        '<div id="burger-menu" hidden><a href="/type/decryptages">DÉCRYPTAGES\u00a0</a>'
        '<a href="/c/high-tech">high-tech</a></div>'
    ),
    "footer": '<footer><a href="/type/decryptages"><b>Décryptages</b></a><a href="/c/high-tech">'
    "High\u00a0-\u00a0tech</a></footer>",
    "mega": '<div class="mega-menu"><ul><li><a href="/c/high-tech" title="x">High-tech</a>'
    '</li><li><a href="/type/decryptages">Décryptages</a></li></ul></div>',
}


@pytest.mark.parametrize("menu", sorted(MENUS))
def test_sections_are_found_in_any_menu(menu: str) -> None:
    found = find_section_links(page(f"{BASE}/", MENUS[menu]), LABELS, "atlantico.fr")
    assert set(found) <= set(LABELS)
    assert found
    for key, url in found.items():
        assert url.startswith(BASE)
        assert key.split("-")[0][:4] in url


def test_decoys_are_never_sections() -> None:
    body = (
        '<nav><a href="/tag/high-tech">High-tech</a><a href="/newsletter/ht">Newsletter '
        'High-tech</a><a href="/author/decryptages-12">Décryptages</a>'
        '<a href="/article/decryptage/x">Décryptages</a><a href="https://other.example/ht">'
        'High-tech</a><a href="#">Décryptages</a></nav>'
    )
    assert find_section_links(page(f"{BASE}/", body), LABELS, "atlantico.fr") == {}
    body += '<footer><a href="/categorie/high-tech">High-tech</a></footer>'
    found = find_section_links(page(f"{BASE}/", body), LABELS, "atlantico.fr")
    assert found == {"high-tech": f"{BASE}/categorie/high-tech"}


def test_an_article_pages_category_link_names_its_section() -> None:
    body = (
        '<main><article><a class="article__category" href="/categorie/high-tech">High-tech</a>'
        "<h1>Titre</h1><p>Texte.</p></article></main>"
    )
    found = find_section_links(page(f"{BASE}/article/pepite/x", body), LABELS, "atlantico.fr")
    assert found == {"high-tech": f"{BASE}/categorie/high-tech"}


# -- pagination forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body", "head", "expected"),
    [
        (
            f"{BASE}/d",
            "",
            '<link rel="next nofollow" href="/d?page=2">',
            (f"{BASE}/d?page=2", "rel-next"),
        ),
        (f"{BASE}/d", '<a rel="next" href="/d/page/2">›</a>', "", (f"{BASE}/d/page/2", "rel-next")),
        (
            f"{BASE}/d/page/2",
            '<a class="next" href="/d/page/3"><span>Suivant</span> <svg></svg></a>',
            "",
            (f"{BASE}/d/page/3", "link-text"),
        ),
        (
            f"{BASE}/d?page=2",
            '<a href="/d?page=1">1</a><a href="/d?page=3">3</a>',
            "",
            (f"{BASE}/d?page=3", "page-number"),
        ),
        (
            f"{BASE}/r/ht/2",
            '<nav class="pagination"><a href="/r/ht">1</a><span class="current">2</span>'
            '<a href="/r/ht/3">3</a></nav>',
            "",
            (f"{BASE}/r/ht/3", "pager-number"),
        ),
        (f"{BASE}/d", '<a rel="next" href="/d">Suivant</a>', "", (None, "none")),
    ],
)
def test_every_pagination_form(
    url: str, body: str, head: str, expected: tuple[str | None, str]
) -> None:
    assert next_page(page(url, body, head)) == expected


def test_a_numbered_pager_without_marks_follows_the_walks_page_count() -> None:
    body = '<div class="pager"><a href="/r/ht">1</a> 2 <a href="/r/ht/3">3</a></div>'
    assert next_page(page(f"{BASE}/r/ht/2", body), page=2) == (f"{BASE}/r/ht/3", "pager-number")


# -- stop policy -----------------------------------------------------------------------------

POLICY = StopPolicy(since=True, watermark=True, max_pages=0, page_limit=10)
REPORT = PageReport(
    page=2, links=20, older=0, fresh=20, known=0, new=20, next_url=f"{BASE}/d?page=3",
    next_seen=False,
)  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "report", "reason"),
    [
        (POLICY, REPORT, None),
        (POLICY, replace(REPORT, older=20, fresh=0), "since"),
        (
            replace(POLICY, since=False),
            replace(REPORT, older=20, fresh=0, new=0),
            "no_new_articles",
        ),
        (POLICY, replace(REPORT, known=20), "watermark"),
        (replace(POLICY, watermark=False), replace(REPORT, known=20), None),
        (replace(POLICY, max_pages=2), REPORT, "max_pages"),
        (POLICY, replace(REPORT, new=0), "no_new_articles"),
        (POLICY, replace(REPORT, page=10), "page_limit"),
        (POLICY, replace(REPORT, next_url=None), "last_page"),
        (POLICY, replace(REPORT, next_seen=True), "loop"),
    ],
)
def test_stop_policy(policy: StopPolicy, report: PageReport, reason: str | None) -> None:
    assert decide(policy, report) == reason


# -- one article, all its sections ---------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "https://atlantico.fr/article/decryptage/x",
        "http://www.atlantico.fr/article/decryptage/x/",
        "https://atlantico.fr/article/decryptage/x?utm_source=n&utm_medium=e&xtor=RSS-1",
        "https://atlantico.fr/article/decryptage/x?fbclid=abc#comments",
    ],
)
def test_every_spelling_of_an_article_url_is_one(spelling: str) -> None:
    assert article_url(spelling, "atlantico.fr", "https") == f"{BASE}/article/decryptage/x"


def test_legacy_spellings_of_one_id_are_grouped() -> None:
    found = Found()
    found.add(f"{BASE}/decryptage/66252/x", {"high-tech"})
    found.add(f"{BASE}/decryptage/x-66252.html", {"decryptages"})
    found.add(f"{BASE}/article/decryptage/y", {"decryptages"})
    assert list(found.legacy_groups()) == ["66252"]
    assert len(found.legacy_groups()["66252"]) == 2


def outputs(results: AsyncIterator[Any]) -> list[Any]:
    """What an asynchronous callback yields, called outside a crawl."""

    async def collect() -> list[Any]:
        return [output async for output in results]

    return asyncio.run(collect())


def spider(**settings: Any) -> AtlanticoSpider:
    crawler = get_crawler(AtlanticoSpider, {**SETTINGS, **settings})
    crawler.stats.open_spider()
    made = AtlanticoSpider.from_crawler(crawler)
    made.__dict__["store"] = None  # no run context outside a crawl
    return made


def test_a_legacy_redirect_to_a_listed_url_merges_its_sections() -> None:
    s = spider()
    s.run.found.add(f"{BASE}/article/decryptage/x", {"decryptages"})
    s.run.found.add(f"{BASE}/decryptage/66252/x", {"high-tech"})
    requests = list(s._resolve_aliases())
    assert [r.url for r in requests] == [f"{BASE}/decryptage/66252/x"]
    assert requests[0].meta["dont_redirect"] is True
    answer = Response(
        f"{BASE}/decryptage/66252/x",
        status=301,
        headers={"Location": "/article/decryptage/x"},
        request=requests[0],
    )
    out = list(s.parse_resolved(answer))
    assert [r.url for r in out if isinstance(r, Request)] == [f"{BASE}/article/decryptage/x"]
    (article,) = out
    assert isinstance(article, Request)
    assert article.meta["sections"] == ["decryptages", "high-tech"]
    assert article.meta["aliases"] == [f"{BASE}/decryptage/66252/x"]
    assert s.crawler.stats.get_value("atlantico/discovery/redirect_merged") == 1


def test_a_redirect_dropped_as_a_duplicate_gives_its_sections_to_the_target() -> None:
    s = spider()
    target = f"{BASE}/article/decryptage/new-slug"
    first = s.article_request(target, {"decryptages"}, "listing")
    old = s.article_request(f"{BASE}/article/decryptage/old-slug", {"high-tech"}, "listing")
    redirected = old.replace(url=target, meta={**old.meta, "redirect_urls": [old.url]})
    s.request_dropped(redirected)
    body = b"<html><head><title>T</title></head><body><h1>T</h1><p>Texte.</p></body></html>"
    response = HtmlResponse(target, body=body, encoding="utf-8", request=first)
    (item,) = outputs(s.parse_article(response))
    assert isinstance(item, Article)
    assert item.sections == ["decryptages", "high-tech"]
    # Once the page is out, a late duplicate says that its sections were lost.
    late = s.article_request(f"{BASE}/article/decryptage/older", {"autre"}, "listing")
    s.request_dropped(late.replace(url=target, meta={**late.meta, "redirect_urls": [late.url]}))
    assert s.crawler.stats.get_value("atlantico/discovery/sections_lost") == 1


# -- multi-page articles -------------------------------------------------------------------


def test_next_part_by_era_a_pager_and_in_article_words() -> None:
    first = f"{BASE}/decryptage/x-2406117.html"
    era_a = page(
        first,
        '<ul class="pager"><li class="pager-next"><a href="/decryptage/x-2406117.html/page/0/1">suivant</a></li></ul>',
    )
    assert next_part(era_a, first) == first + "/page/0/1"
    words = page(
        first + "/page/0/1", '<article><p>…</p><a href="?page=2">Page suivante</a></article>'
    )
    assert next_part(words, first, [first + "/page/0/1"]) == first + "/page/0/1?page=2"


def test_links_to_other_articles_or_in_navigation_are_not_parts() -> None:
    first = f"{BASE}/article/decryptage/x"
    body = (
        '<article><a href="/article/decryptage/y">Article suivant</a></article>'
        '<nav><a href="/article/decryptage/x?page=2">Page suivante</a></nav>'
    )
    assert next_part(page(first, body), first) is None


# Next links of every kind and place: the era A pager (nested, with other classes, in other
# case), rel=next on a link or an anchor, words in the article or in the page's chrome, words
# split by markup, escaped, hidden by invisible characters, and links that are not parts.
NEXT_LINKS = [
    '<ul class="pager"><li class="pager-next"><a href="{u}/page/0/1">suivant</a></li></ul>',
    '<li class="first\tpager-next"><a href=" {u}/page/0/1 ">x</a><a>y</a></li>',
    '<li class="pager-next"><ul><li class="pager-next"><a href="{u}/page/0/2">2</a></li></ul>'
    '<a href="{u}/page/0/3">3</a></li>',
    '<li class="Pager-next"><a href="{u}?page=8">x</a></li><li class="pager-nexts"><a href="{u}'
    '?page=9">x</a></li>',
    '<a rel="nofollow next" href="{u}?page=7">2</a><a rel="Next" href="{u}?page=6">3</a>',
    '<article><a href="{u}?page=2">Page suivante »</a></article>',
    '<p><a href="{u}/page/2"> <b>Suite de l&#8217;article</b> → </a></p>',
    '<nav><a href="{u}?page=2">Page suivante</a></nav><footer><a href="{u}?page=3">suivant</a>'
    '</footer><aside><div><a href="{u}?page=4">suivant</a></div></aside>',
    '<header><a href="{u}?page=5">suivant</a></header><article><header><a href="{u}?page=6">'
    "suivant</a></header></article>",
    '<a href="/article/decryptage/autre">Article suivant</a><a href="{u}?page=4">SUIVANTE</a>',
    '<a href="{u}?page=9">sui<i>vant</i></a><a href="{u}?page=10"><!-- c -->suivant</a>',
    '<a href="{u}?page=11">su&#173;ivant</a><a href="{u}?page=12">&amp;#115;uivant</a>'
    '<a href="{u}?page=13">&lt;b&gt;suivant</a><a href="{u}?page=14">\u017fuivant</a>',
    '<a>suivant</a><a href="">suivant</a><a href="{u}">suivant</a>',
]


def test_next_part_read_from_the_page_index_is_the_one_the_selectors_find() -> None:
    from atlantico.extract.page import Page, tree_of

    first = f"{BASE}/article/decryptage/x"
    found = set()
    for number in range(len(NEXT_LINKS)):
        for more in (0, 1, 2):  # the links alone, then with the next ones after them
            html = "".join(NEXT_LINKS[number : number + 1 + more]).replace("{u}", first)
            for seen, url in (([], first), ([first + "/page/0/1"], first + "/page/0/1")):
                for response in (
                    page(url, f"<main><p>x</p>{html}</main>"),
                    page(url, "<p>x</p>", head=html.replace("<a ", "<link ")),
                ):
                    selector = tree_of(response)
                    expected = next_part(response, first, seen)
                    index = Page(selector, response.url, response.text)
                    assert next_part(response, first, seen, selector, index) == expected, html
                    found.add(expected)
    assert len(found) >= 10, found  # not all None: the links were found


def test_a_failed_part_marks_the_item_truncated() -> None:
    s = spider()
    item = Article(articleBody="Un.", headline="H", sections=["decryptages"])
    item.metadata = {"validationMessages": []}
    (request,) = list(
        s._next_part(
            Chain(item, f"{BASE}/decryptage/x-1.html"), f"{BASE}/decryptage/x-1.html/page/0/1"
        )
    )
    assert isinstance(request, Request)
    failure = Failure(IgnoreRequest("HTTP 500"))
    failure.request = request  # type: ignore[attr-defined]
    (out,) = list(s.part_failed(failure))
    assert isinstance(out, Article)
    assert out.bodyTruncated is True
    assert "multi-page article incomplete: part 2" in out.metadata["validationMessages"][0]
    assert s.crawler.stats.get_value("atlantico/article/part_failed") == 1


def test_joined_parts_recompute_the_counts_and_the_hash() -> None:
    first = Article(articleBody="Un deux.", headline="H")
    before = join_parts(replace(first), []).contentHash
    joined = join_parts(first, [Article(articleBody="Trois quatre cinq.")])
    assert joined.articleBody == "Un deux.\n\nTrois quatre cinq."
    assert joined.wordCount == 5
    assert joined.contentHash != before


# -- rules, sources, fallback --------------------------------------------------------------


def test_rules_are_read_in_one_place_without_case_or_accents() -> None:
    rules = SectionRules(
        {"high-tech": {"category": ["High-tech", "Tech"]}, **{"decryptages": RULES["decryptages"]}},
        LABELS,
    )
    item = Article(url=f"{BASE}/article/pepite/x", category="HIGH\u2011TECH".replace("\u2011", "-"))
    assert rules.of_item(item) == {"high-tech"}
    assert rules.of_item(Article(url=f"{BASE}/decryptage/1/x", category="Tech")) == {
        "decryptages",
        "high-tech",
    }
    assert rules.of_item(Article(url=f"{BASE}/article/pepite/x", category="Culture")) == set()


def test_a_section_with_a_rule_falls_back_to_the_sitemaps() -> None:
    s = spider(ATLANTICO_SECTION_RULES=RULES)
    s.run.search.targets = {"decryptages": f"{BASE}/decryptages"}
    out = list(s._sections_known())
    assert s.run.fallback == {"high-tech"}
    assert [r.url for r in out] == [f"{BASE}/decryptages"]
    assert s.crawler.stats.get_value("atlantico/discovery/section_fallback/high-tech") == 0
    plan = sources.discovery_plan(
        mode="incremental", has_store=True, unreadable=False, fallback=True,
        paths={"sitemap": "/s.xml", "news-sitemap": "/n.xml", "rss": "/r.xml"},
    )  # fmt: skip
    assert [via for _, via in plan] == ["sitemap", "news-sitemap", "rss"]


def test_a_section_without_a_rule_or_with_fallback_off_is_an_error() -> None:
    s = spider(ATLANTICO_SECTION_RULES=RULES)
    s.run.fallback_allowed = False
    with pytest.raises(CloseSpider) as closed:
        list(s._sections_known())
    assert closed.value.reason == "section_not_found"
    assert s.crawler.stats.get_value("atlantico/error/section_not_found") == 2


# -- arguments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_pages": "-3"}, "max_pages='-3': use a whole number, 0 or more"),
        ({"max_pages": "many"}, "max_pages='many': use a whole number"),
        ({"mode": "full"}, "mode='full': use incremental or backfill"),
        ({"since": "bientôt"}, "since='bientôt': use a date"),
        ({"sections": "sport"}, "sections='sport': use one or more of decryptages, high-tech"),
        ({"fallback": "peut-être"}, "fallback='peut-être': use true/yes/1/on or false/no/0/off"),
    ],
)
def test_a_wrong_argument_is_one_clear_usage_error(kwargs: dict[str, str], message: str) -> None:
    crawler = get_crawler(AtlanticoSpider, SETTINGS)
    with pytest.raises(UsageError) as raised:
        AtlanticoSpider.from_crawler(crawler, **kwargs)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("word", ["true", "YES", "1", "On"])
def test_booleans_accept_the_usual_words(word: str) -> None:
    assert arguments.parse_bool("fallback", word, False) is True
    assert (
        arguments.parse_bool(
            "fallback", {"true": "false", "YES": "no", "1": "0", "On": "OFF"}[word], True
        )
        is False
    )


def test_a_queued_article_later_listed_is_asked_once_with_every_section() -> None:
    s = spider()
    url = f"{BASE}/article/decryptage/q"
    queued = s.article_request(url + "?utm_source=x", {"high-tech"}, "listing")
    s.run.found.add(url, {"decryptages"})
    assert list(s._article_requests()) == []
    body = b"<html><head><title>Q</title></head><body><h1>Q</h1><p>Texte.</p></body></html>"
    (item,) = outputs(
        s.parse_article(HtmlResponse(url, body=body, encoding="utf-8", request=queued))
    )
    assert isinstance(item, Article)
    assert item.sections == ["decryptages", "high-tech"]


def test_a_page_wide_menu_class_does_not_rank_every_link_as_a_menu() -> None:
    html = (
        '<html><body class="has-mega-menu"><main><a href="/c/high-tech-promo">High-tech</a>'
        '</main><nav><a href="/c/high-tech">High-tech</a></nav></body></html>'
    )
    response = HtmlResponse(f"{BASE}/", body=html.encode(), encoding="utf-8")
    found = find_section_links(response, {"high-tech": "High-tech"}, "atlantico.fr")
    assert found == {"high-tech": f"{BASE}/c/high-tech"}


# -- the spider's helpers, moved out of it: site, phases, probes, listings, sources, legacy,
# -- parts, early articles, the report -----------------------------------------------------


def test_a_site_knows_its_own_articles_whatever_the_spelling() -> None:
    site = Site.of(BASE + "/")
    assert site.domain == "atlantico.fr"
    # allowed_domains takes a host name: the replica's port is not part of it.
    replica = Site.of("http://127.0.0.1:8765")
    assert replica.domain == "127.0.0.1"
    assert replica.on_site("http://127.0.0.1:8765/x")
    assert not replica.on_site("http://127.0.0.1:9999/x")
    assert site.canonical("http://www.atlantico.fr/article/pepite/x/#c") == (
        f"{BASE}/article/pepite/x"
    )
    assert site.is_article("https://WWW.atlantico.fr/decryptage/66252/x")
    assert not site.is_article("https://atlantico.fr/tag/high-tech")
    assert not site.is_article("https://ailleurs.fr/article/pepite/x")
    with pytest.raises(UsageError):
        Site.of("ftp://atlantico.fr")


def test_a_phase_ends_on_its_last_answer_even_when_it_grows() -> None:
    sitemaps = Countdown()
    sitemaps.expect(1)  # the index
    sitemaps.expect(2)  # its children, added before the index is counted answered
    assert [sitemaps.answered() for _ in range(3)] == [False, False, True]


def test_probes_pick_unread_pages_for_each_missing_section() -> None:
    run = Discovery.of(get_crawler(AtlanticoSpider, SETTINGS).settings)
    feed = (
        "<rss><channel>"
        + "".join(
            f"<item><link>{BASE}/article/pepite/a{n}?utm_source=rss</link>"
            f"<category>{'High-tech' if n % 2 else 'Culture'}</category></item>"
            for n in range(6)
        )
        + "<item><link>https://ailleurs.fr/article/pepite/z</link></item></channel></rss>"
    ).encode()
    run.rules = SectionRules(RULES, list(LABELS))
    run.search.targets = {"decryptages": f"{BASE}/decryptages"}  # high-tech is missing
    offered = probes.feed_articles(feed, "rss", run)
    assert offered[:3] == [f"{BASE}/article/pepite/a{n}" for n in (1, 3, 5)]
    assert len(offered) == 6  # the other site's article is not offered
    run.probes.offer(offered)
    run.found.prefetch([f"{BASE}/article/pepite/a1"], "page read")
    assert run.probes.pick(missing=1, found=run.found) == [
        f"{BASE}/article/pepite/a{n}" for n in (3, 5, 0)
    ]
    assert probes.feeds_to_read(run, SETTINGS) == [
        (SETTINGS["ATLANTICO_RSS"], "rss"),
        (SETTINGS["ATLANTICO_NEWS_SITEMAP"], "news"),
    ]
    run.search.targets = {key: f"{BASE}/{key}" for key in LABELS}
    assert probes.feeds_to_read(run, SETTINGS) == []


def listing_page(links: list[tuple[str, str]], url: str = f"{BASE}/decryptages") -> HtmlResponse:
    cards = "".join(
        f'<article><a href="{href}"><h2>T</h2></a><time datetime="{when}">d</time></article>'
        for href, when in links
    )
    return page(url, f"<main>{cards}</main>", '<link rel="next" href="/decryptages?page=2">')


def test_a_listing_page_is_read_with_since_and_what_the_store_knows() -> None:
    run = Discovery.of(get_crawler(AtlanticoSpider, SETTINGS).settings, since="2026-11-01")
    response = listing_page(
        [
            ("/article/decryptage/new", "2026-11-20T10:00:00+01:00"),
            ("/article/decryptage/known", "2026-11-19T10:00:00+01:00"),
            ("/article/decryptage/old", "2026-10-01T10:00:00+01:00"),
        ]
    )
    exported = f"{BASE}/article/decryptage/known"

    def known(urls: Any) -> dict[str, Any]:
        return {url: object() for url in urls if url == exported}

    taken = read_listing(response, key="decryptages", page=1, run=run, known=known)
    assert (taken.report.links, taken.report.older, taken.report.fresh) == (3, 1, 2)
    assert (taken.report.known, taken.known, taken.report.new) == (1, 1, 2)
    assert taken.report.next_url == f"{BASE}/decryptages?page=2"
    assert list(run.found) == [f"{BASE}/article/decryptage/new"]
    assert run.walks.listed["decryptages"] == {f"{BASE}/article/decryptage/new", exported}
    empty = read_listing(page(f"{BASE}/x", "<p>rien</p>"), key="d", page=1, run=run, known=known)
    assert empty.report.links == 0


def test_sitemap_entries_become_requests_by_mode_lastmod_and_rules() -> None:
    from datetime import UTC, datetime

    from atlantico.extract.rss import RssEntry
    from atlantico.extract.sitemap import SitemapEntry
    from atlantico.store import Known

    settings = get_crawler(AtlanticoSpider, {**SETTINGS, "ATLANTICO_SECTION_RULES": RULES}).settings
    run = Discovery.of(settings, mode="backfill")
    stored = Known("k", "h", None, "2026-11-01T10:00:00+01:00", 1, 200)
    changed, same = f"{BASE}/article/pepite/changed", f"{BASE}/article/pepite/same"

    def known(urls: Any) -> dict[str, Known]:
        return {url: stored for url in urls if url in (changed, same)}

    entries = [
        SitemapEntry(f"{BASE}/article/pepite/unlisted", None),
        SitemapEntry(changed, datetime(2026, 11, 20, tzinfo=UTC)),
        SitemapEntry(same, datetime(2026, 10, 20, tzinfo=UTC)),
        SitemapEntry("https://ailleurs.fr/article/pepite/z", None),
    ]
    assert sources.take_sitemap(entries, via="sitemap", run=run, known=known) == 1
    assert sorted(run.found) == [changed, f"{BASE}/article/pepite/unlisted"]
    # Incremental, Décryptages read from the sitemaps: its rule is the URL's type, so only a
    # décryptage URL is asked for, with its section already known.
    run = Discovery.of(settings)
    run.fallback = {"decryptages"}
    entries = [
        SitemapEntry(f"{BASE}/article/pepite/p", None),
        SitemapEntry(f"{BASE}/article/decryptage/d", None),
    ]
    assert sources.take_sitemap(entries, via="news-sitemap", run=run, known=lambda u: {}) == 0
    assert run.found.sections == {f"{BASE}/article/decryptage/d": {"decryptages"}}
    run.fallback = {"high-tech"}  # a category rule: any article may be one, its page tells
    rss = [RssEntry(f"{BASE}/article/pepite/r", ("High-tech",)), RssEntry(f"{BASE}/c", ())]
    assert sources.take_rss(rss, run=run, known=lambda urls: {}) == 1
    assert run.found.via[f"{BASE}/article/pepite/r"] == "rss"
    assert [c.url for c in sources.children_to_read(entries, run, settings)] == [
        e.url for e in entries
    ]


def test_a_legacy_chain_is_followed_then_moved_and_an_offsite_redirect_refused() -> None:
    site, found = Site.of(BASE), Found()
    first, second = f"{BASE}/decryptage/1/x", f"{BASE}/decryptage/x-1.html"
    found.add(first, {"high-tech"})
    assert legacy.to_resolve(found) == [first]
    assert legacy.on_redirect(found, first, second, 0, site) == "follow"
    assert legacy.on_redirect(found, second, f"{BASE}/article/decryptage/x", 1, site) == "moved"
    assert found.sections[f"{BASE}/article/decryptage/x"] == {"high-tech"}
    found.add(f"{BASE}/decryptage/2/y", {"decryptages"})
    assert legacy.on_redirect(found, f"{BASE}/decryptage/2/y", "https://evil.example/", 0, site)
    assert f"{BASE}/decryptage/2/y" not in found
    found.add(f"{BASE}/decryptage/3/z", {"decryptages"})
    # A chain of legacy URLs is followed a few hops only.
    current = f"{BASE}/article/decryptage/x"
    assert legacy.on_redirect(found, f"{BASE}/decryptage/3/z", current, 0, site) == "merged"
    assert found.sections[current] == {"high-tech", "decryptages"}
    found.add(f"{BASE}/decryptage/4/w", {"decryptages"})
    hops = legacy.MAX_HOPS
    assert legacy.on_redirect(
        found, f"{BASE}/decryptage/4/w", f"{BASE}/d/w-4.html", hops, site
    ) == ("moved")


def test_a_multi_page_chain_stops_at_the_part_limit_and_names_the_next_part() -> None:
    chain = Chain(Article(articleBody="Un."), f"{BASE}/decryptage/x-1.html")
    assert chain.number == 2
    assert chain.step(f"{BASE}/decryptage/x-1.html/page/0/1", limit=2) == (
        f"{BASE}/decryptage/x-1.html/page/0/1",
        None,
    )
    assert chain.seen == [f"{BASE}/decryptage/x-1.html", f"{BASE}/decryptage/x-1.html/page/0/1"]
    chain.parts.append(Article(articleBody="Deux : la suite."))
    assert chain.step(f"{BASE}/decryptage/x-1.html/page/0/2", limit=2) == (
        None,
        "more than ATLANTICO_ARTICLE_MAX_PARTS=2 parts",
    )
    joined = chain.joined("more than ATLANTICO_ARTICLE_MAX_PARTS=2 parts")
    assert joined.bodyTruncated is True
    assert "Deux : la suite" in str(joined.articleBody)


def test_a_queued_article_answered_before_the_listings_waits_for_their_sections() -> None:
    s = spider()
    url = f"{BASE}/article/decryptage/q"
    queued = s.article_request(
        url, {"high-tech"}, "retry-queue", headers={"If-None-Match": "e"}, early=True
    )
    assert queued.headers[b"If-None-Match"] == b"e"
    body = b"<html><head><title>Q</title></head><body><h1>Q</h1><p>Texte.</p></body></html>"
    # Answered while the listings are still read: kept, nothing yielded yet.
    assert (
        outputs(s.parse_article(HtmlResponse(url, body=body, encoding="utf-8", request=queued)))
        == []
    )
    s.run.found.add(url, {"decryptages"})  # a listing shows it too
    (item,) = list(s._article_requests())  # no second request: the page kept is parsed
    assert isinstance(item, Article)
    assert item.sections == ["decryptages", "high-tech"]
    assert item.metadata["discoveredVia"] == "retry-queue"
    assert s.crawler.stats.get_value("atlantico/articles/requested") == 1


def test_the_report_counts_what_a_listing_page_showed() -> None:
    crawler = get_crawler(AtlanticoSpider, SETTINGS)
    crawler.stats.open_spider()
    report = Report(crawler)
    report.listing_page("d", Taken(replace(EMPTY_REPORT, links=20), 3, "cards", "rel"), BASE)
    report.listing_page("d", Taken(EMPTY_REPORT, 0, "none"), BASE)
    report.parts_joined(0, failed="part 2 failed")
    stats = crawler.stats.get_stats()
    assert stats["atlantico/listing/pages/d"] == 2
    assert stats["atlantico/listing/next_by/rel"] == 1
    assert stats["atlantico/listing/known/d"] == stats["atlantico/skipped/known"] == 3
    assert stats["atlantico/drift/listing_without_articles"] == 1
    assert stats["atlantico/article/part_failed"] == 1
    assert "atlantico/sitemap/changed" not in stats  # nothing counted that did not happen


@pytest.mark.parametrize("via", ["retry-queue", "revisit", "sitemap"])
def test_an_article_found_outside_the_listings_takes_its_sections_from_the_rules(via: str) -> None:
    rules = SectionRules(RULES, list(LABELS))

    def article(category: str) -> Article:
        return Article(
            url=f"{BASE}/article/pepite/x", articleKey="/article/pepite/x", category=category
        )

    tech = article("High-tech")
    assert (
        settle(
            tech,
            via=via,
            rules=rules,
            fallback=(),
            wanted=LABELS,
            since=None,
            asked=(),
            canonical=str,
        )
        is None
    )
    assert tech.sections == ["high-tech"]
    other = article("Culture")
    dropped = settle(
        other, via=via, rules=rules, fallback=(), wanted=LABELS, since=None, asked=(), canonical=str
    )
    assert dropped == "not_in_sections"
    listed = article("Culture")
    assert (
        settle(
            listed,
            via="listing",
            rules=rules,
            fallback=(),
            wanted=LABELS,
            since=None,
            asked=(),
            canonical=str,
        )
        is None
    )


def test_a_sections_listed_urls_are_kept_while_its_walk_goes_on_then_counted() -> None:
    s = spider()
    s.run.phases.walks.expect(2)  # two sections walked; the other one still goes on
    when = "2026-11-20T10:00:00+01:00"

    def listing(key: str, number: int, links: list[str], last: bool) -> Response:
        cards = "".join(
            f'<article><a href="{href}"><h2>T</h2></a><time datetime="{when}">d</time></article>'
            for href in links
        )
        url = f"{BASE}/{key}?page={number}"
        head = "" if last else f'<link rel="next" href="/{key}?page={number + 1}">'
        request = Request(url, meta={"section": key, "page": number})
        answer = page(url, f"<main>{cards}</main>", head)
        return answer.replace(request=request)

    first = [f"/article/decryptage/a{n}" for n in range(4)]
    out = list(s.parse_listing(listing("decryptages", 1, first, last=False)))
    assert [r.url for r in out] == [f"{BASE}/decryptages?page=2"]
    list(s.parse_listing(listing("high-tech", 1, ["/article/decryptage/a0"], last=False)))
    assert len(s.run.walks.listed["decryptages"]) == 4
    # Page 2 repeats two links of page 1 (told apart while the set is kept), and is the last.
    second = [*first[2:], "/article/decryptage/b0", "/article/decryptage/b1"]
    list(s.parse_listing(listing("decryptages", 2, second, last=True)))
    assert "decryptages" not in s.run.walks.listed  # its walk is over: dropped, counted
    assert s.run.walks.counted == {"decryptages": 6}
    assert s.run.walks.listed["high-tech"] == {f"{BASE}/article/decryptage/a0"}
    assert s.run.walks.listed_count() == 7
