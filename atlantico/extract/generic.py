"""The generic body finder: the main text of a page when no known container matches.

A text-density method: every paragraph-like element (a ``<p>``, or an element holding text
directly, as era-B bodies of bare text with ``<br><br>`` do) scores its length of non-link
text to its parent, and half of it to its grandparent; links-heavy blocks (menus, related
lists) and the page's chrome score nothing, furniture by class words neither. The element with
the best score is the body's container, read by :func:`atlantico.extract.body.read_container`
like any known container.

Why this and not trafilatura (installed; measured with ``python -m tests.compare_generic``
on 300 pages of ``tests/pagebuilder.py`` and on the 789 pages of the replica's template
families, each finder given the same HTML, the generic path forced):

=====================  ==========================  ==========================
                        this method                 trafilatura 2.x
=====================  ==========================  ==========================
first+last sentence     98.7 % / 96.6 %             85.7 % / 8.5 %
no furniture kept       100 % / 100 %               4.7 % / 20.3 %
CPU per page            1.9-2.6 ms / 3.3 ms         3.6-5.2 ms / 8.0 ms
=====================  ==========================  ==========================

(builder pages / family pages; a busy 2-core machine, so times are indicative). It shares the
furniture rules of the known-container path (related boxes by class word and by text, pagers,
"Vu sur", prompts, sign-up boxes, link lists), keeps interview and live-blog prefixes that
trafilatura drops or reorders, keeps a premium teaser inside its paywall wrapper, and walks the
tree lxml already built where trafilatura parses and cleans the page again. Where it is weak:
a page whose only long text is not the article (a long bio and a one-line teaser) can fool a
density score; the known containers and the paywall wrapper are tried first for that reason.
"""

from __future__ import annotations

from typing import Any

from atlantico.extract.furniture import is_furniture, is_paywall
from atlantico.extract.page import Page

# A paragraph shorter than this says little about where the text is.
MIN_PARAGRAPH_CHARS = 25
# More than this share of a block's text in links: a menu or a list of links.
MAX_LINK_SHARE = 0.5
_CANDIDATE_TAGS = ("p", "div", "section", "article", "main", "td", "span", "blockquote", "li",
                   "font", "center")  # fmt: skip


def _direct_text(el: Any) -> tuple[int, int]:
    """Characters of text directly in ``el`` (its text and its inline children's), and of
    those in links."""
    total = len((el.text or "").strip())
    links = 0
    for child in el:
        if not isinstance(child.tag, str):
            total += len((child.tail or "").strip())
            continue
        tag = child.tag.lower()
        if tag in ("a", "strong", "em", "b", "i", "span", "u", "sup", "sub", "small", "q",
                   "cite", "abbr", "mark", "time", "font"):  # fmt: skip
            size = len("".join(child.itertext()).strip())
            total += size
            if tag == "a":
                links += size
        total += len((child.tail or "").strip())
    return total, links


def _excluded(el: Any, page: Page, cache: dict[Any, bool]) -> bool:
    """In the chrome or under furniture (the paywall wrapper is not furniture)."""
    chain = []
    node = el
    verdict = False
    while node is not None:
        if node in cache:
            verdict = cache[node]
            break
        chain.append(node)
        if node in page.chrome or (is_furniture(node) and not is_paywall(node)):
            verdict = True
            break
        node = node.getparent()
    for seen in chain:
        cache[seen] = verdict
    return verdict


def main_text_element(page: Page) -> Any:
    """The element that holds the page's main text, or ``None`` when nothing looks like it."""
    ranked = main_text_candidates(page)
    return ranked[0] if ranked else None


def main_text_candidates(page: Page, limit: int = 3) -> list[Any]:
    """The best containers of the page's main text, best first."""
    scores: dict[Any, float] = {}
    cache: dict[Any, bool] = {}
    for el in page.root.iter(*_CANDIDATE_TAGS):
        total, links = _direct_text(el)
        if total < MIN_PARAGRAPH_CHARS or links > MAX_LINK_SHARE * total:
            continue
        if _excluded(el, page, cache) or _in_header(el):
            continue
        weight = float(total)
        # A <p> scores for its parent; bare text (a <div> with <br> runs) for itself too.
        parent = el.getparent() if el.tag == "p" else el
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + weight
        grand = parent.getparent()
        if grand is not None and grand.tag not in ("body", "html"):
            scores[grand] = scores.get(grand, 0.0) + weight / 2
    ranked = sorted(
        (el for el in scores if scores[el] >= MIN_PARAGRAPH_CHARS), key=lambda el: -scores[el]
    )
    out: list[Any] = []
    for el in ranked:
        # One of several sibling blocks of the same kind (live-blog entries, text chunks
        # around an ad): the text is their parent's.
        parent = el.getparent()
        if parent is not None and _has_twin(el, parent, scores):
            el = parent
        if el not in out:
            out.append(el)
        if len(out) == limit:
            break
    return out


def _has_twin(el: Any, parent: Any, scores: dict[Any, float]) -> bool:
    names = el.get("class")
    return any(
        other is not el and other.tag == el.tag and other.get("class") == names and other in scores
        for other in parent
    )


def _in_header(el: Any) -> bool:
    """Inside a ``<header>`` (an article's header holds its title, chapo and byline)."""
    node = el
    while node is not None:
        if node.tag == "header":
            return True
        node = node.getparent()
    return False
