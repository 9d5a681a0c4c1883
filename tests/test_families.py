"""Template families of the replica: self-checks, metamorphic extraction tests, a crawl.

The same article truth is rendered in many markups (tests/replica/families: the eras of
docs/SITE.md, hashed and opaque class names, semantic-only markup, microdata, live blogs,
interviews; with and without JSON-LD, OpenGraph and the site's known containers; every paywall
form). The self-checks make sure each family renders what it claims; the metamorphic tests ask
the extractor for the same core fields from every family; the crawl checks that no family is
lost from the feed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from itemadapter import ItemAdapter
from parsel import Selector
from scrapy.http import HtmlResponse

from atlantico.extract import extract_article
from tests.conftest import run_crawl
from tests.replica import NOW, ReplicaServer, generate_site
from tests.replica.families import (
    FAMILIES,
    FAMILY_NAMES,
    KNOWN_CONTAINERS,
    PAYWALLS,
    Options,
    all_options,
    family_truth,
    family_url,
    options_for,
    render_family,
    render_with_page,
)
from tests.replica.families.furniture import FURNITURE_KINDS, FURNITURE_MARKERS, GATE_TEXT
from tests.replica.generator import Article, Site

SEED = 1234
N_ARTICLES = 60
ROOT = Path(__file__).resolve().parents[1]


@cache
def site(seed: int = SEED) -> Site:
    return generate_site(N_ARTICLES, seed)


def section_articles(s: Site) -> list[Article]:
    return [a for a in s.articles if a.sections]


_BLOCKS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "li",
    "ul",
    "ol",
    "section",
    "aside",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "nav",
    "main",
    "blockquote",
    "time",
    "button",
    "form",
)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no scripts, ``<br>`` as a space, NFC, zero-width
    characters and soft hyphens gone, every run of white space (no-break ones too) one space."""
    root = lxml.html.fromstring(html)
    for node in root.xpath("//script | //style | //head"):
        node.drop_tree()
    for br in root.xpath("//br"):
        br.tail = " " + (br.tail or "")
    for node in root.iter(*_BLOCKS):
        node.text = " " + (node.text or "")
        node.tail = " " + (node.tail or "")
    text = unicodedata.normalize("NFC", "".join(root.itertext()))
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", text) if s]


@dataclass(frozen=True)
class Case:
    family: str
    article: Article
    options: Options

    @property
    def id(self) -> str:
        return f"{self.family}:{self.article.id}:{self.options.label()}"


def cases(family: str, s: Site | None = None) -> list[Case]:
    """A sample of a family's pages: every premium article and every third other one, each
    with the next of the family's option sets, so that every option set is drawn."""
    s = s or site()
    arts = section_articles(s)
    sample = [a for i, a in enumerate(arts) if a.premium or i % 3 == 0 or a.variants & _RARE]
    free = list(all_options(family, premium=False))
    paid = list(all_options(family, premium=True))
    out = []
    n_free = n_paid = 0
    for art in sample:
        if art.premium:
            options = paid[n_paid % len(paid)]
            n_paid += 1
        else:
            options = free[n_free % len(free)]
            n_free += 1
        out.append(Case(family, art, options))
    # Make sure every option set is drawn at least once for the family.
    plain = [a for a in arts if not a.premium]
    for k in range(n_free, len(free)):
        out.append(Case(family, plain[k % len(plain)], free[k]))
    premium = [a for a in arts if a.premium]
    for k in range(n_paid, len(paid)):
        out.append(Case(family, premium[k % len(premium)], paid[k]))
    return out


_RARE = {
    "seed",
    "old_template",
    "legacy_author_string",
    "accented_author",
    "no_author",
    "no_image",
    "no_kicker",
    "nfd",
    "updated",
    "vu_sur",
    "interview",
    "read_also_div",
    "read_also_strong",
}


@cache
def rendered(case: Case) -> tuple[str, dict[str, Any], frozenset[str]]:
    page, html = render_with_page(site(), case.article, case.family, case.options)
    truth = family_truth(site(), case.article, case.family, case.options)
    return html, truth, frozenset(page.furniture)


@cache
def extracted(case: Case) -> dict[str, Any]:
    html, truth, _ = rendered(case)
    response = HtmlResponse(
        url=truth["url"],
        body=html.encode("utf-8"),
        encoding="utf-8",
        headers={"Date": format_datetime(NOW), "Content-Type": "text/html; charset=utf-8"},
    )
    try:
        item = extract_article(response)
    except Exception as error:  # reported per page, so one crash does not hide the others
        return {"exception": f"{type(error).__name__}: {str(error)[:80]}"}
    return dict(ItemAdapter(item).asdict())


# --------------------------------------------------------------------------------------------
# 1. The replica's self-checks: each family renders what it claims


def test_default_replica_is_unchanged_by_the_families() -> None:
    plain = generate_site(N_ARTICLES, SEED)
    assert all(a.family is None for a in plain.articles)
    assert len(plain.truth) == 57
    assert not any("family" in t for t in plain.truth.values())


def test_cli_truth_with_families(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.replica.__main__ import main

    assert main(["truth", "--families", "--articles", "20", "--base-url", "http://h:1"]) == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(items) == len(generate_site(20, SEED, "http://h:1").truth)
    assert {item["family"] for item in items} <= set(FAMILY_NAMES)
    assert len({item["family"] for item in items}) >= 8
    assert all(isinstance(item["notCarried"], list) for item in items)


_DIGEST = """
import hashlib, json
from tests.replica import generate_site
from tests.replica.families import FAMILY_NAMES, family_truth, render_family
site, digest = generate_site(30, 1234), hashlib.sha256()
for art in site.articles:
    for family in FAMILY_NAMES:
        digest.update(render_family(site, art, family).encode())
        digest.update(json.dumps(family_truth(site, art, family), sort_keys=True).encode())
print(digest.hexdigest())
"""


def test_families_are_deterministic_across_hash_seeds() -> None:
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_cli_prints_one_family_page_and_its_truth(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.replica.families.__main__ import main

    art = section_articles(site())[4]
    argv = ["page", "v3", str(art.id), "--jsonld", "none", "--og", "none"]
    assert main([*argv, "--truth"]) == 0
    truth = json.loads(capsys.readouterr().out)
    assert truth["family"] == "v3"
    assert "datePublished.time" in truth["notCarried"]
    assert main(argv) == 0
    html = capsys.readouterr().out
    drawn = replace(options_for(site(), art, "v3"), jsonld="none", og="none")
    assert html == render_family(site(), art, "v3", drawn)
    assert main(["page", "v3", "1"]) == 2


def test_served_pages_are_the_family_pages() -> None:
    served = generate_site(N_ARTICLES, SEED, families=True)
    for art in served.articles[:15]:
        if not art.sections:
            continue
        assert art.family is not None
        url = served.canonical_url(art)
        page = served.get(url.removeprefix(served.base_url))
        assert page.status == 200
        assert page.body.decode("utf-8") == render_family(served, art, art.family)
        assert served.truth[url]["family"] == art.family


def test_rendering_is_pure_and_families_differ() -> None:
    art = section_articles(site())[3]
    pages = {f: render_family(site(), art, f) for f in FAMILY_NAMES}
    assert pages == {f: render_family(site(), art, f) for f in FAMILY_NAMES}
    assert len(set(pages.values())) == len(FAMILY_NAMES)


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_truth_is_printed_on_the_page(family: str) -> None:
    """A reference check: the truth's headline, chapo, kicker, author names and every body
    paragraph are in the page's visible text; the furniture markers never are in the truth."""
    for case in cases(family):
        html, truth, _ = rendered(case)
        text = visible_text(html)
        assert truth["headline"] in text, case.id
        for name in ("description", "kicker", "category"):
            if truth[name]:
                assert truth[name] in text, (case.id, name)
        for author in truth["authors"]:
            assert author["name"] in text or "Erwan Le Noan,Didier Maus" in text, case.id
        for paragraph in truth["articleBody"].split("\n\n"):
            assert paragraph in text, (case.id, paragraph[:60])
        for marker in FURNITURE_MARKERS:
            assert marker.casefold() not in truth["articleBody"].casefold(), (case.id, marker)
        if truth["mainImage"] and truth["mainImage"]["credit"]:
            assert truth["mainImage"]["credit"] in text, case.id


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_not_carried_fields_are_named_and_cleared(family: str) -> None:
    for case in cases(family):
        html, truth, _ = rendered(case)
        assert truth["family"] == family
        allowed = FAMILIES[family].omits | {"articleId", "dateModified"}
        assert set(truth["notCarried"]) <= allowed, (case.id, truth["notCarried"])
        for name in truth["notCarried"]:
            key, _, part = name.partition(".")
            if key == "datePublished":
                assert truth["datePublished"].endswith("T00:00:00" + truth["datePublished"][-6:])
                # No machine-readable trace of the time on the page.
                assert case.article.published.isoformat()[:16] not in html
                continue
            value = truth[key]
            if part == "url":
                assert all(a["url"] is None for a in value), (case.id, name)
            elif part:
                assert value[part] is None, (case.id, name)
            else:
                assert value in (None, []), (case.id, name)


def _classes(html: str) -> list[str]:
    return [c for value in Selector(text=html).xpath("//@class").getall() for c in value.split()]


def test_css_module_names_are_fresh_per_seed() -> None:
    pattern = re.compile(r"^[A-Z][A-Za-z]+_[a-z]+__[A-Za-z]{5}$")
    names = {}
    for seed in (SEED, 99):
        s = site(seed)
        art = section_articles(s)[2]
        html = render_family(s, art, "css_modules", Options("none", "none", False, "markup"))
        hashed = {c for c in _classes(html) if pattern.match(c)}
        assert len(hashed) >= 12
        names[seed] = hashed
        assert "Article_body__" in html
    assert names[SEED].isdisjoint(names[99])
    for hashed in names.values():
        assert {"Article_body", "Article_title", "Figure_credit"} <= {
            n.split("__")[0] for n in hashed
        }


def test_styled_names_are_opaque() -> None:
    for case in cases("styled"):
        html, _, _ = rendered(case)
        selector = Selector(text=html)
        for value in selector.xpath("//@class").getall():
            tokens = value.split()
            if tokens[0] in ("dpslvp", "dpslvp-gate", "markup", "twitter-tweet") or tokens[
                0
            ].startswith(("Paywall_", "RelatedArticle_")):
                continue
            assert re.fullmatch(r"sc-[A-Za-z]{6} [A-Za-z]{6}", value), (case.id, value)


def test_semantic_pages_have_no_class_outside_the_paywall_and_embeds() -> None:
    allowed = re.compile(r"^(dpslvp|dpslvp-gate|markup Paywall_\w+|Paywall_\w+|twitter-tweet)$")
    for case in cases("semantic"):
        html, _, _ = rendered(case)
        values = Selector(text=html).xpath("//@class").getall()
        assert [v for v in values if not allowed.match(v)] == [], case.id
        assert Selector(text=html).css("article h1, article time[datetime]")


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_known_containers_only_where_the_family_says(family: str) -> None:
    seen = set()
    for case in cases(family):
        html, _, _ = rendered(case)
        selector = Selector(text=html)
        matched = [css for css in KNOWN_CONTAINERS if selector.css(css)]
        seen.add(case.options.containers)
        if case.options.containers:
            assert matched, case.id
        else:
            assert matched == [], case.id
    assert seen == set(FAMILIES[family].containers)


def test_family_signatures() -> None:
    s = site()
    arts = section_articles(s)
    art = next(a for a in arts if not a.premium and a.image and a.chapo)
    none = Options("none", "none", True, "markup")
    drupal = render_family(s, art, "drupal", none)
    assert family_url(s, art, "drupal").endswith(f"-{art.id}.html")
    assert Selector(text=drupal).css("div#content-body p")
    assert Selector(text=drupal).css("div.metas time::attr(datetime)").get()
    assert "Vendredi 20 Novembre 2026" in drupal  # the header's "today", not the article's
    b = Selector(text=render_family(s, art, "transitional", none))
    assert b.css('span[property="dc:date dc:created"]::attr(content)').get()
    assert b.css("div.header-top div.theme a::text").get() == art.category
    assert b.css("div.corps-article br")
    bare = b.xpath("//div[@class='corps-article']/text()[normalize-space()]").getall()
    assert len(bare) >= 2  # paragraphs as bare text between <br><br> runs
    assert b.css("div.corps-article div.savoir-plus")
    react = render_family(s, art, "react", none)
    assert re.search(r"<title>[^<]+ ?<!-- --> \| Atlantico\.fr</title>", react)
    v3 = render_family(s, art, "v3", none)
    assert "À PROPOS DES AUTEURS" in v3 or not art.authors
    assert "Écouter cet article" in v3
    date = re.compile(r"<span>(1er|\d{1,2}) [a-zéû]+ \d{4}</span>")
    assert date.search(v3)
    assert Selector(text=render_family(s, art, "current", none)).css(".rich-content__text p")
    micro = Selector(text=render_family(s, art, "microdata", none))
    assert micro.css('[itemprop="articleBody"] p')


def test_v3_prints_the_first_of_the_month_as_1er() -> None:
    s = site()
    art = next(a for a in section_articles(s) if a.published.day == 1)
    html = render_family(s, art, "v3", Options("none", "none", True, "markup"))
    assert re.search(r"<span>1er [a-zéû]+ \d{4}</span>", html)
    assert family_truth(s, art, "v3", Options("none", "none", True, "markup"))["notCarried"].count(
        "datePublished.time"
    )


def test_a_family_without_credit_says_so() -> None:
    s = site()
    art = next(a for a in section_articles(s) if a.image and a.image.credit)
    truth = family_truth(s, art, "liveblog")
    assert "mainImage.credit" in truth["notCarried"]
    assert truth["mainImage"]["credit"] is None
    assert art.image is not None
    assert art.image.credit_printed not in render_family(s, art, "liveblog")


def test_hostile_json_ld_leaves_the_page_whole() -> None:
    bombs = 0
    for family in FAMILY_NAMES:
        for case in cases(family):
            html, truth, furniture = rendered(case)
            if "hostile-jsonld:bomb" not in furniture:
                continue
            bombs += 1
            assert "[" * 1000 in html
            assert truth["headline"] in visible_text(html)
    assert bombs >= 3


def test_live_blog_and_interview_truths_carry_their_prefixes() -> None:
    art = next(a for a in section_articles(site()) if not a.premium and len(a.body_texts) >= 4)
    live = family_truth(site(), art, "liveblog")
    paragraphs = live["articleBody"].split("\n\n")
    assert all(re.match(r"\d{1,2}h\d\d : ", p) for p in paragraphs)
    times = [p.split(" : ")[0] for p in paragraphs]
    assert times != sorted(times, key=lambda t: tuple(map(int, t.split("h"))))  # newest first
    interview = family_truth(site(), art, "interview")
    questions = [
        p
        for p in interview["articleBody"].split("\n\n")
        if re.match(r"(Atlantico|[A-Z]{2,3}) : ", p)
    ]
    assert len(questions) >= 2


def test_every_paywall_form_keeps_the_teaser_before_the_gate() -> None:
    forms: Counter[str] = Counter()
    for family in FAMILY_NAMES:
        for case in cases(family):
            if not case.article.premium:
                continue
            html, truth, furniture = rendered(case)
            form = case.options.paywall
            forms[form] += 1
            assert f"paywall:{form}" in furniture
            assert truth["bodyTruncated"] is True
            assert truth["isAccessibleForFree"] is False
            text = visible_text(html)
            first = truth["articleBody"].split("\n\n")[0]
            if form != "tonos":
                assert text.index(first) < text.index(GATE_TEXT), case.id
            selector = Selector(text=html)
            if form == "dpslvp":
                assert first[:40] in visible_text(selector.css("div.dpslvp").get() or "")
            if form == "markup":
                assert selector.css("div.markup[class*=Paywall]")
            if form == "drupal":
                assert selector.css("#paywall-placeholder")
            if form == "tonos":
                assert case.options.jsonld != "none"
                assert not selector.css(".dpslvp, [class*=Paywall], #paywall-placeholder")
    assert set(forms) == set(PAYWALLS)


def test_every_furniture_kind_and_text_trap_is_drawn() -> None:
    drawn: Counter[str] = Counter()
    traps: Counter[str] = Counter()
    for family in FAMILY_NAMES:
        for case in cases(family):
            html, _, furniture = rendered(case)
            drawn.update(furniture)
            traps["nbsp"] += "\u00a0" in html
            traps["nnbsp"] += "\u202f" in html
            traps["zero-width"] += "\u200b" in html
            traps["soft-hyphen"] += "\u00ad" in html
            traps["br-in-h1"] += bool(re.search(r"<h1[^>]*>[^<]*(<[^/h][^>]*>[^<]*)*<br", html))
            traps["empty-surtitle"] += case.article.kicker is None
            traps["jsonld-entity"] += bool(
                re.search(r'ld\+json">[^<]*&(#0?39|rsquo|quot|amp);', html)
            )
            traps["jsonld-cut-headline"] += bool(re.search(r'"headline":"[^"]*…"', html))
            traps["og-cut"] += bool(re.search(r'og:description" content="[^"]*…"', html))
            traps["graph-id"] += '"author":[{"@id"' in html or '"author":{"@id"' in html
    assert set(FURNITURE_KINDS) <= set(drawn), drawn
    assert all(traps[name] for name in traps), traps


# --------------------------------------------------------------------------------------------
# 2. Metamorphic: the same truth from every family


def _body_problems(truth: dict[str, Any], body: str | None, case: Case) -> list[str]:
    if not body:
        return ["articleBody: none"]
    problems = []
    want = " ".join(truth["articleBody"].split())
    got = " ".join(body.split())
    first, last = sentences(want)[0], sentences(want)[-1]
    if not got.startswith(first):
        problems.append(f"articleBody: starts {got[:70]!r}, want {first[:70]!r}")
    if not got.endswith(last):
        problems.append(f"articleBody: ends {got[-70:]!r}, want {last[-70:]!r}")
    folded = got.casefold()
    for marker in FURNITURE_MARKERS:
        if marker.casefold() in folded and marker.casefold() not in want.casefold():
            problems.append(f"articleBody: furniture {marker!r}")
    for other in site().articles:
        title = other.headline
        if other.id != case.article.id and len(title) > 30 and title in got and title not in want:
            problems.append("articleBody: another article's title")
            break
    return problems


def core_problems(case: Case) -> list[str]:
    _html, truth, _ = rendered(case)
    item = extracted(case)
    if "exception" in item:
        return [f"exception: {item['exception']}"]
    problems = []
    for name in (
        "headline",
        "datePublished",
        "isAccessibleForFree",
        "bodyTruncated",
        "kicker",
        "description",
        "category",
    ):
        if item.get(name) != truth[name]:
            problems.append(f"{name}: got {item.get(name)!r}, want {truth[name]!r}")
    got_authors = [a["name"] for a in item.get("authors") or []]
    want_authors = [a["name"] for a in truth["authors"]]
    if got_authors != want_authors:
        problems.append(f"authors: got {got_authors!r}, want {want_authors!r}")
    want_credit = (truth["mainImage"] or {}).get("credit")
    got_credit = (item.get("mainImage") or {}).get("credit")
    if got_credit != want_credit:
        problems.append(f"mainImage.credit: got {got_credit!r}, want {want_credit!r}")
    problems += _body_problems(truth, item.get("articleBody"), case)
    return problems


def _summary(failures: dict[str, list[str]]) -> str:
    by_field: Counter[str] = Counter()
    example: dict[str, str] = {}
    for case_id, problems in failures.items():
        for problem in problems:
            field = problem.split(":")[0]
            by_field[field] += 1
            example.setdefault(field, f"{case_id}: {problem}")
    return "\n".join(f"{field} x{n}  e.g. {example[field]}" for field, n in by_field.most_common())


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_same_truth_from_every_family(family: str) -> None:
    failures = {}
    for case in cases(family):
        problems = core_problems(case)
        if problems:
            failures[case.id] = problems
    assert failures == {}, f"{len(failures)}/{len(cases(family))} pages\n" + _summary(failures)


# --------------------------------------------------------------------------------------------
# 3. No markup or entity in any text field of any item

_MARKUP = re.compile(r"<|&amp;|&#|&nbsp;|&[a-z]+;")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key.endswith("Html") or key in ("metadata",):
                continue  # articleBodyHtml is HTML on purpose
            yield from _strings(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, path + "[]")


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_no_markup_or_entity_in_any_text_field(family: str) -> None:
    dirty: dict[str, list[str]] = defaultdict(list)
    for case in cases(family):
        for path, text in _strings(extracted(case), ""):
            if _MARKUP.search(text) or "\u200b" in text or "\u00ad" in text:
                dirty[path].append(f"{case.id}: {text[:80]!r}")
    assert dict(dirty) == {}, {k: (len(v), v[0]) for k, v in dirty.items()}


# --------------------------------------------------------------------------------------------
# 4. A crawl of the families-served replica: no family lost from the feed


def test_crawl_loses_no_family(tmp_path: Path) -> None:
    with ReplicaServer(n_articles=N_ARTICLES, seed=SEED, families=True) as server:
        truth = server.truth
        families = Counter(t["family"] for t in truth.values())
        assert set(families) == set(FAMILY_NAMES)
        assert min(families.values()) >= 4
        result = run_crawl(server.base_url, tmp_path)
    (tmp_path / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
    counts = Counter(item["canonicalUrl"] for item in result.items)
    twice = [url for url, n in counts.items() if n > 1]
    lost: Counter[str] = Counter(truth[url]["family"] for url in truth if url not in counts)
    assert twice == []
    why = {k: v for k, v in result.stats.items() if k.startswith("atlantico/") and "drop" in k}
    assert lost == Counter(), f"lost per family: {dict(lost)} of {dict(families)}; {why}"
    assert set(counts) <= set(truth)
