"""The body of an article: from a container element to clean paragraphs and clean HTML.

The container (found by :mod:`atlantico.extract.fields`) is copied, its furniture removed
(:mod:`atlantico.extract.furniture`: by tag, by class words, by the text of "À lire aussi"
boxes and author cards), then walked into blocks: paragraphs, sub-headings, list items,
quotations. Text directly in a container, with ``<br><br>`` runs between paragraphs (era B),
becomes paragraphs; a single ``<br>`` is a space. A paragraph that is furniture by its text
(:func:`atlantico.processors.is_boilerplate`: pagers, "Vu sur :", subscription prompts) is
dropped; inside a paywall wrapper, the teaser is kept and everything from its prompt on goes.

Each block keeps an inline HTML form: ``<a href>`` (absolute), ``<strong>``, ``<em>`` and text,
nothing else, so that :func:`blocks_html` gives ``articleBodyHtml`` without a class, an id, a
style or a script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urljoin

from atlantico.extract.furniture import (
    BOX_EXTRA_CHARS,
    box_label,
    is_furniture,
    is_paywall,
)
from atlantico.extract.page import BLOCK_TAGS, element_text
from atlantico.hygiene import clean_fragment, clean_text
from atlantico.processors import is_boilerplate, seen_on

_KIND = {"p": "p", "h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4",
         "li": "li", "blockquote": "blockquote", "pre": "p", "dd": "p", "dt": "p",
         "td": "p", "th": "p"}  # fmt: skip
_INLINE_KEEP = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}
# A live blog's time stamp printed alone before its entry: "0h11", "14:05".
_TIME_ONLY = re.compile(r"^\d{1,2}\s*[h:]\s*\d{2}$")
_SPACE_RUN = re.compile(r"\s+")


@dataclass
class Block:
    kind: str  # p, h2, h3, h4, li, blockquote
    text: str
    html: str
    element: Any  # the element it came from (in the copy)
    list_tag: str | None = None
    list_key: int = 0
    paywall_key: int = 0


class _Buffer:
    """Inline content collected between two blocks."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.html: list[str] = []
        self.breaks = 0

    def add(self, text: str, html: str, out: _Walker, kind: str, el: Any) -> None:
        if not text:
            return
        if text.strip():
            if self.breaks >= 2:
                out.flush(self, kind, el)
            self.breaks = 0
        self.text.append(text)
        self.html.append(html)

    def br(self) -> None:
        self.breaks += 1
        self.text.append(" ")
        self.html.append(" ")


class _Walker:
    def __init__(self, base_url: str, skip: set[Any]) -> None:
        self.base_url = base_url
        self.skip = skip
        self.blocks: list[Block] = []
        self.list_stack: list[tuple[str, int]] = []
        self.paywall_stack: list[int] = []

    def flush(self, buffer: _Buffer, kind: str, el: Any) -> None:
        text = clean_text("".join(buffer.text))
        html = _tidy_html("".join(buffer.html))
        buffer.text.clear()
        buffer.html.clear()
        buffer.breaks = 0
        if not text:
            return
        list_tag, list_key = self.list_stack[-1] if self.list_stack and kind == "li" else (None, 0)
        paywall_key = self.paywall_stack[-1] if self.paywall_stack else 0
        self.blocks.append(Block(kind, text, html, el, list_tag, list_key, paywall_key))

    def walk(self, el: Any, kind: str) -> None:
        buffer = _Buffer()
        if el.text:
            buffer.add(el.text, _esc(el.text), self, kind, el)
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag is None or child in self.skip or is_furniture(child):
                pass
            elif tag == "br":
                buffer.br()
            elif tag in ("ul", "ol"):
                self.flush(buffer, kind, el)
                self.list_stack.append((tag, id(child)))
                self.walk(child, "li")
                self.list_stack.pop()
            elif (tag in BLOCK_TAGS or _has_block(child)) and (
                _is_link_list(child) or _is_form_box(child)
            ):
                pass  # links to other pages ("En savoir plus"), a sign-up or search box
            elif tag in BLOCK_TAGS or _has_block(child):
                self.flush(buffer, kind, el)
                child_kind = kind if kind in ("blockquote", "li") else _KIND.get(tag, "p")
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    child_kind = _KIND[tag]
                paywall = is_paywall(child)
                if paywall:
                    self.paywall_stack.append(id(child))
                self.walk(child, child_kind)
                if paywall:
                    self.paywall_stack.pop()
            else:
                buffer.add(element_text(child), self.inline_html(child), self, kind, el)
            if child.tail:
                buffer.add(child.tail, _esc(child.tail), self, kind, el)
        self.flush(buffer, kind, el)

    def inline_html(self, el: Any) -> str:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or el in self.skip or is_furniture(el):
            return ""
        if tag == "br":
            return " "
        inner = [_esc(el.text)] if el.text else []
        for child in el:
            inner.append(self.inline_html(child))
            if child.tail:
                inner.append(_esc(child.tail))
        content = "".join(inner)
        if not content.strip():
            return content
        if tag == "a":
            href = (el.attrib.get("href") or "").strip()
            if href and not href.lower().startswith(("javascript:", "data:", "#")):
                return f'<a href="{escape(urljoin(self.base_url, href))}">{content}</a>'
            return content
        keep = _INLINE_KEEP.get(tag)
        return f"<{keep}>{content}</{keep}>" if keep else content


def _esc(text: str | None) -> str:
    return escape(clean_fragment(text or ""), quote=False)


def _tidy_html(html: str) -> str:
    return _SPACE_RUN.sub(" ", html).strip()


# A block of at least this many links whose text is at least this share of links is a list
# of links to elsewhere, not text.
LINK_LIST_MIN_LINKS = 2
LINK_LIST_SHARE = 0.7


def _is_link_list(el: Any) -> bool:
    links = el.findall(".//a")
    if len(links) < LINK_LIST_MIN_LINKS:
        return False
    total = len("".join(element_text(el).split()))
    linked = sum(len("".join(element_text(a).split())) for a in links)
    return total > 0 and linked >= LINK_LIST_SHARE * total


# A box around a form (newsletter sign-up, search) says this much at most.
FORM_BOX_CHARS = 240


def _is_form_box(el: Any) -> bool:
    if el.find(".//form") is None and el.find(".//input") is None:
        return False
    if len(clean_text(element_text(el)) or "") > FORM_BOX_CHARS:
        return False
    # A sentence of text beside the form: the form sits in the text, the box is not it.
    return not any(len(element_text(p).strip()) >= 80 for p in el.iter("p", "li"))


def _has_block(el: Any) -> bool:
    for _ in el.iterdescendants(*BLOCK_TAGS):
        return True
    return False


def marked_boxes(container: Any) -> set[Any]:
    """ "À lire aussi" boxes and author cards found by their text, not their class."""
    doomed = []
    for el in container.iter():
        if el is container or not isinstance(el.tag, str):
            continue
        head = (el.text or "").strip()
        if not head or len(head) > 80 or not box_label(head):
            continue
        box = el
        label_len = len(head)
        for parent in _ancestors_below(el, container):
            # A box is its label, links and a line at most: stop at an ancestor that holds
            # text of its own (the article around the box).
            if _unlinked_chars(parent) > label_len + BOX_EXTRA_CHARS:
                break
            box = parent
        if box.tag in ("strong", "b", "span", "em") and box.getparent() is not None:
            box = box.getparent()  # "<p><strong>A lire aussi :</strong> <a>…</a></p>"
            if box is container:
                continue
        doomed.append(box)
    return set(doomed)


def _unlinked_chars(el: Any) -> int:
    total = len(clean_text(element_text(el)) or "")
    linked = sum(len(clean_text(element_text(a)) or "") for a in el.iter("a"))
    return total - linked


def _ancestors_below(el: Any, container: Any) -> list[Any]:
    out = []
    node = el.getparent()
    while node is not None and node is not container:
        out.append(node)
        node = node.getparent()
    return out


@dataclass
class Body:
    blocks: list[Block]
    seen_on: str | None = None


def read_container(container: Any, base_url: str) -> Body:
    """The blocks of a container, furniture skipped (the page itself is not changed)."""
    walker = _Walker(base_url, marked_boxes(container))
    tag = container.tag.lower() if isinstance(container.tag, str) else ""
    walker.walk(container, _KIND.get(tag, "p"))
    return filter_blocks(walker.blocks)


def filter_blocks(blocks: list[Block]) -> Body:
    """Drop furniture paragraphs; a paywall's prompt ends its teaser; join a live blog's time
    stamp printed alone to its entry."""
    kept: list[Block] = []
    source = None
    closed_paywalls: set[int] = set()
    for block in blocks:
        if block.paywall_key and block.paywall_key in closed_paywalls:
            continue
        found = seen_on(block.text)
        if found:
            source = source or found
            continue
        if is_boilerplate(block.text):
            if block.paywall_key:
                closed_paywalls.add(block.paywall_key)
            continue
        kept.append(block)
    merged: list[Block] = []
    for block in kept:
        if merged and _TIME_ONLY.match(merged[-1].text) and block.kind in ("p", "li"):
            stamp = merged.pop()
            block.text = f"{stamp.text} : {block.text}"
            block.html = f"{_esc(stamp.text)} : {block.html}"
        merged.append(block)
    return Body(merged, source)


def blocks_text(blocks: list[Block]) -> str | None:
    """``articleBody``: the blocks' text, one blank line between them."""
    return "\n\n".join(block.text for block in blocks) or None


def blocks_html(blocks: list[Block]) -> str | None:
    """``articleBodyHtml``: p, h2-h4, ul/ol/li, blockquote; inline a, strong, em only."""
    out: list[str] = []
    open_list: tuple[str, int] | None = None
    for block in blocks:
        if block.kind == "li" and block.list_tag:
            key = (block.list_tag, block.list_key)
            if open_list != key:
                if open_list:
                    out.append(f"</{open_list[0]}>")
                out.append(f"<{block.list_tag}>")
                open_list = key
            out.append(f"<li>{block.html}</li>")
            continue
        if open_list:
            out.append(f"</{open_list[0]}>")
            open_list = None
        if block.kind == "blockquote":
            out.append(f"<blockquote><p>{block.html}</p></blockquote>")
        elif block.kind in ("h2", "h3", "h4"):
            out.append(f"<{block.kind}>{block.html}</{block.kind}>")
        else:
            out.append(f"<p>{block.html}</p>")
    if open_list:
        out.append(f"</{open_list[0]}>")
    return "".join(out) or None


def paragraphs_from_text(value: str) -> list[Block]:
    """Blocks from a body given as text (JSON-LD ``articleBody``)."""
    from atlantico.hygiene import clean_lines

    return [Block("p", line, _esc(line), None) for line in clean_lines(value)]


def squash(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip()
