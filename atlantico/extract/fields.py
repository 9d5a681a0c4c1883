"""Where each field comes from: one function per field, its sources in order.

Every field is read in layers that do not depend on class names first:

1. structured data: JSON-LD (any shape, :mod:`atlantico.extract.structured`), microdata
   (``itemprop``), RDFa (``property``), meta tags;
2. semantic HTML: ``h1``, ``time[datetime]``, ``article``, ``figure``/``figcaption``,
   ``rel=author``;
3. the class fragments each layout era used (:mod:`atlantico.extract.layouts`);
4. a generic rule that needs no class name: the text-density body finder
   (:mod:`atlantico.extract.generic`), a French date in the article's header, a ``Par X`` /
   ``avec A et B`` byline, the short line above the title.

The machinery (try in order, record provenance) is :mod:`atlantico.extract.cascade`; text
hygiene is :mod:`atlantico.hygiene`. To know where the kicker comes from, read :func:`kicker`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from atlantico import urls
from atlantico.dates import PrintedDate, find_dates, parse_date
from atlantico.extract import body as bodies
from atlantico.extract import selectors as css
from atlantico.extract.furniture import is_furniture, is_paywall
from atlantico.extract.generic import main_text_candidates, main_text_element
from atlantico.extract.layouts import ERAS, fragments
from atlantico.extract.page import ancestors, element_text, prop_value, text
from atlantico.extract.structured import free_flag, image_url, people, text_list, text_value
from atlantico.hygiene import clean_text
from atlantico.processors import clean_title, is_boilerplate

if TYPE_CHECKING:
    from atlantico.extract.article import Extraction

# Longest text a kicker, a byline or a printed date can have.
SHORT_TEXT = 120


def _first_text(elements: list[Any], limit: int | None = None) -> str | None:
    for el in elements:
        value = text(el)
        if value and (limit is None or len(value) <= limit):
            return value
    return None


def _props(x: Extraction, *names: str) -> str | None:
    for el in x.page.prop(*names):
        value = clean_text(prop_value(el))
        if value:
            return value
    return None


# -- headline -------------------------------------------------------------------------------


def _ellipsis_cut(value: str) -> str | None:
    """The text before a final "…" or "...", when it ends so (a headline or summary cut)."""
    stripped = value.rstrip()
    for mark in ("…", "..."):
        if stripped.endswith(mark):
            return stripped[: -len(mark)].rstrip()
    return None


def _completes(cut: str, full: str) -> bool:
    """Whether ``full`` is the complete text that ``cut`` (ellipsis removed) starts."""
    a, b = cut.casefold(), full.casefold()
    return len(b) > len(a) and b.startswith(a[: max(10, len(a) - 3)])


def headline(x: Extraction) -> None:
    """JSON-LD, microdata/RDFa, ``h1``, ``og:title``, ``<title>``; a JSON-LD headline cut with
    an ellipsis loses to a complete ``h1`` that starts the same way."""
    h1 = x.page.h1()
    source = x.cascade.first(
        "headline",
        [
            ("json-ld", lambda: text_value(x.ld.get("headline")) or text_value(x.ld.get("name"))),
            ("microdata", lambda: _props(x, "headline")),
            ("rdfa", lambda: _props(x, "dc:title", "schema:headline")),
            ("dom", lambda: text(h1) if h1 is not None else None),
            ("meta", lambda: x.page.meta_value("og:title")),
            ("meta", lambda: x.page.meta_value("title")),
        ],
    )
    chosen = x.cascade.value("headline")
    if source != "dom" and chosen and h1 is not None:
        cut = _ellipsis_cut(chosen)
        full = clean_title(text(h1))
        if cut and full and _completes(cut, full):
            x.cascade.put("headline", full, "dom")
            x.cascade.failed("headline", source or "json-ld")


# -- kicker -----------------------------------------------------------------------------------


def _line_above_title(x: Extraction) -> str | None:
    """Generic kicker: the short, link-free line printed right above the ``h1``."""
    h1 = x.page.h1()
    if h1 is None:
        return None
    node = h1
    for _ in range(2):  # the h1, or its wrapper when it stands alone in one
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None:
            break
        node = node.getparent()
        if node is None:
            return None
    else:
        return None
    if previous is None or previous.tag in ("figure", "img", "time", "a", "picture", "nav"):
        return None
    if previous.xpath(".//a | .//img | .//time | .//figure"):
        return None
    value = text(previous)
    if not value or len(value) > 80 or find_dates(value) or is_furniture(previous):
        return None
    category = x.cascade.value("category")
    if category and value.casefold() == category.casefold():
        return None
    if value.casefold().startswith(("par ", "avec ", "publié", "©", "crédit")):
        return None
    return value


def kicker(x: Extraction) -> None:
    """The surtitle: JSON-LD ``alternativeHeadline``, microdata, the eras' class fragments
    (``surtitle``, ``kicker``…), else the short line right above the title."""
    x.cascade.first(
        "kicker",
        [
            ("json-ld", lambda: text_value(x.ld.get("alternativeHeadline"))),
            ("microdata", lambda: _props(x, "alternativeheadline")),
            ("dom", lambda: _first_text(x.page.by_fragment(fragments("kicker")), SHORT_TEXT)),
            ("generic", lambda: _line_above_title(x)),
        ],
    )


# -- description (chapo) ------------------------------------------------------------------------


def _chapo_dom(x: Extraction) -> str | None:
    for el in x.page.by_fragment(fragments("chapo")):
        if el.tag in ("meta", "body", "html") or _in_body(x, el):
            continue
        value = text(el)
        if value and len(value) >= 20:
            return value
    return None


def _chapo_generic(x: Extraction) -> str | None:
    """The paragraph right after the title (before the byline and body), when it reads like
    a standfirst: one or two sentences, no link-only line, not the body's first paragraph."""
    h1 = x.page.h1()
    if h1 is None:
        return None
    node = h1
    for _ in range(4):
        following = node.getnext()
        steps = 0
        while following is not None and steps < 4:
            steps += 1
            if isinstance(following.tag, str) and following.tag not in ("time", "figure"):
                value = text(following)
                if value and not find_dates(value) and not _looks_like_byline(value):
                    in_body = _in_body(x, following) and not _in_body(x, h1)
                    if in_body or value == x.first_paragraph:
                        return None
                    if 40 <= len(value) <= 600 and following.tag in ("p", "div", "h2", "span"):
                        return value
                    return None
            following = following.getnext()
        node = node.getparent()
        if node is None or node.tag in ("body", "article", "main"):
            return None
    return None


def _in_body(x: Extraction, el: Any) -> bool:
    container = x.body_container
    if container is None:
        return False
    return el is container or any(a is container for a in ancestors(el))


def description(x: Extraction) -> None:
    """JSON-LD, meta description, ``og:description``, the chapo shown (class fragments, else
    the paragraph after the title). A summary cut with an ellipsis loses to the chapo shown."""
    source = x.cascade.first(
        "description",
        [
            ("json-ld", lambda: text_value(x.ld.get("description"))),
            ("microdata", lambda: _props(x, "description")),
            ("meta", lambda: x.page.meta_value("description")),
            ("meta", lambda: x.page.meta_value("og:description")),
            ("dom", lambda: _chapo_dom(x)),
            ("generic", lambda: _chapo_generic(x)),
        ],
    )
    chosen = x.cascade.value("description")
    if source in ("json-ld", "microdata", "meta") and chosen:
        shown = _chapo_dom(x) or _chapo_generic(x)
        cut = _ellipsis_cut(chosen)
        if (
            shown
            and shown != chosen
            and (
                (cut and _completes(cut, shown))
                or (len(shown) > len(chosen) and shown.casefold().startswith(chosen.casefold()))
            )
        ):
            x.cascade.put("description", shown, "dom")
            x.cascade.failed("description", source)


# -- dates ------------------------------------------------------------------------------------


def article_root(x: Extraction) -> Any:
    """The article's element: the ``h1``'s nearest ``article`` or ``main`` ancestor, else
    the header region's parent, else the page (where tags, themes and credits are looked
    for, rather than in every text node of the page)."""
    if x.article_el is not None:
        return x.article_el
    h1 = x.page.h1()
    found = None
    if h1 is not None:
        for node in ancestors(h1):
            if node.tag in ("article", "main"):
                found = node
                break
        if found is None:
            region = _header_region(x)
            found = region.getparent() if region is not None else None
            if found is not None and found.tag == "html":
                found = region
    x.article_el = found if found is not None else x.page.root
    return x.article_el


def _header_region(x: Extraction) -> Any:
    """The element holding the article's header: the lowest ancestor of the ``h1`` that also
    holds the body; without a body, the ``h1``'s grandparent; without an ``h1``, the page's
    ``article`` (or ``main``) element."""
    h1 = x.page.h1()
    if h1 is None:
        for tag in ("article", "main"):
            for el in x.page.elements(tag):
                if not x.page.outside(el):
                    return el
        return None
    container = x.body_container
    chain = list(ancestors(h1))
    if container is not None:
        body_chain = set(ancestors(container)) | {container}
        for node in chain:
            if node in body_chain:
                return node
    for node in chain[:3]:
        if node.tag in ("body", "html"):
            return node
        last = node
    return last if chain else None


_NOT_DATES = tuple(f for layout in ERAS for f in layout.not_dates)


def _skip_for_dates(x: Extraction, el: Any) -> bool:
    key = f"{el.attrib.get('class', '')} {el.attrib.get('id', '')}".lower()
    if any(f in key for f in _NOT_DATES):
        return True
    return is_furniture(el) and el.tag not in ("footer",) and not is_paywall(el)


def header_texts(x: Extraction, *, after_body: bool = False) -> list[str]:
    """Short texts of the article's header, in page order, up to the body (or after it):
    never the chrome, a related box, or the header's "today"."""
    cached = x.header_cache.get(after_body)
    if cached is not None:
        return cached
    found = _header_texts(x, after_body)
    x.header_cache[after_body] = found
    return found


def in_header_zone(x: Extraction, el: Any) -> bool:
    """Whether an element stands in the article's header: in the region of the title,
    before the body, outside the chrome and furniture."""
    header_texts(x)
    return el in x.header_zone


def _header_texts(x: Extraction, after_body: bool) -> list[str]:
    region = _header_region(x)
    if region is None:
        return []
    container = x.body_container
    h1 = x.page.h1()
    if container is not None and h1 is not None and any(a is container for a in ancestors(h1)):
        # A container that holds the title too (a generic find): the body starts at its
        # first block.
        container = x.body_start
    texts: list[str] = []
    skip: set[Any] = set()
    reached_body = False
    for el in region.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if parent in skip or el.tag in ("script", "style"):
            skip.add(el)
            continue
        if container is not None and el is container:
            reached_body = True
            skip.add(el)
            if not after_body:
                break
            continue
        if reached_body != after_body:
            continue
        if x.page.outside(el) or _skip_for_dates(x, el):
            skip.add(el)
            continue
        if not after_body:
            x.header_zone.add(el)
        own = clean_text((el.text or "") + " " + " ".join(c.tail or "" for c in el))
        # The whole text of small elements only (a date split over spans); a large one
        # gives its own text, its children are read in turn.
        whole = clean_text(element_text(el)) if len(el) <= 5 else None
        if whole and len(whole) <= SHORT_TEXT:
            texts.append(whole)
        elif own and len(own) <= SHORT_TEXT:
            texts.append(own)
    return texts


# How an update date is introduced, as a page's source may spell it (a cheap test of the
# whole page before the header is read).
_MODIFIED_LABEL = re.compile(r"mis[e]?\s+[àa]\s+jour|(?:modifi|actualis)ée?\s+le", re.IGNORECASE)


def _printed_date(x: Extraction, modified: bool) -> str | None:
    """The most precise French date printed in the article's header: the era's date elements
    and any short text up to the body (after the body only with a label); never the
    header's "today"."""
    if modified:
        # No "Mis à jour" / "modifié le" in the article's text: no need to look. Its text, not
        # the page's source (scripts and styles make most of a page's bytes).
        region = article_root(x)
        if not _MODIFIED_LABEL.search(str(region.xpath("string()"))):
            return None
    candidates: list[PrintedDate] = []
    texts = [(value, False) for value in _era_date_texts(x)]
    texts += [(value, False) for value in header_texts(x)]
    texts += [(value, True) for value in header_texts(x, after_body=True)]
    for value, after in texts:
        for found in find_dates(value):
            if found.modified != modified or (after and not found.labeled):
                continue
            if found.weekday and _is_today(found.raw, x):
                continue  # the header's "today" (era A: "Mardi 23 Mai 2017")
            candidates.append(found)
    if not candidates:
        return None
    best = max(candidates, key=lambda found: found.precision)  # the first of the best
    return best.raw


def _is_today(raw: str, x: Extraction) -> bool:
    parsed = parse_date(raw, now=x.now)
    return parsed is not None and parsed.date() == x.now.date()


def _era_date_texts(x: Extraction) -> list[str]:
    out = []
    for el in x.page.by_fragment(fragments("date")):
        if not in_header_zone(x, el):
            continue
        value = text(el)
        if value and len(value) <= SHORT_TEXT * 2:
            out.append(value)
    return out


def _time_datetime(x: Extraction) -> str | None:
    """``time[datetime]`` in the article's header (before the body); without a header
    region, the first one outside the chrome and furniture."""
    region = _header_region(x)
    if region is not None:
        stop = x.body_container
        h1 = x.page.h1()
        if stop is not None and h1 is not None and _in_body(x, h1):
            stop = x.body_start
        for el in region.iter():
            if el is stop:
                break
            if (
                el.tag == "time"
                and el.get("datetime")
                and not _skip_for_dates(x, el)
                and not x.page.outside(el)
            ):
                return str(el.get("datetime"))
        return None
    for el in x.page.elements("time"):
        value = el.attrib.get("datetime")
        if (
            value
            and not x.page.outside(el)
            and not _in_body(x, el)
            and not any(is_furniture(a) and not is_paywall(a) for a in ancestors(el))
        ):
            return value
    return None


def dates(x: Extraction) -> None:
    """Publication: JSON-LD, microdata/RDFa (``dc:date dc:created``), meta, ``time[datetime]``
    in the article, the eras' date elements, a French date printed in the article's header.
    Update: JSON-LD, microdata/RDFa, meta, a "Mis à jour" date in the header."""
    published = [
        ("json-ld", lambda: text_value(x.ld.get("datePublished"))),
        ("microdata", lambda: _props(x, "datepublished")),
        ("rdfa", lambda: _props(x, "dc:date", "dc:created", "dcterms:created")),
        ("meta", lambda: x.page.meta_value("article:published_time", "datepublished")),
        ("dom", lambda: _time_datetime(x)),
        ("text", lambda: _printed_date(x, modified=False)),
    ]
    modified = [
        ("json-ld", lambda: text_value(x.ld.get("dateModified"))),
        ("microdata", lambda: _props(x, "datemodified")),
        ("rdfa", lambda: _props(x, "dc:modified", "dcterms:modified")),
        ("meta", lambda: x.page.meta_value("article:modified_time", "datemodified")),
        ("text", lambda: _printed_date(x, modified=True)),
    ]
    for field, candidates in (("datePublished", published), ("dateModified", modified)):
        raw_seen = None
        for source, thunk in candidates:
            if source in x.cascade.absent:
                continue
            raw = clean_text(thunk())
            if not raw:
                x.cascade.failed(field, source)
                continue
            raw_seen = raw_seen or raw
            x.loader.add_value(field, raw, now=x.now)
            if x.loader.get_collected_values(field):
                x.loader.add_value(f"{field}Raw", raw)
                x.cascade.sources[field] = source
                x.check_date(field)
                break
            x.cascade.failed(field, source)
        else:
            if raw_seen:
                x.loader.add_value(f"{field}Raw", raw_seen)
                x.cascade.messages.append(f"{field}: unparseable date {raw_seen!r}")
            elif field == "datePublished":
                x.cascade.messages.append("datePublished: no date on the page")


# -- authors ----------------------------------------------------------------------------------

_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w’'.-]*|de|du|des|d’|d'|le|la|van|von|der|da|di|y)$")
_BYLINE_START = re.compile(
    r"^(?:par|avec|by|propos recueillis par|entretien réalisé par|interview réalisée par)\s+",
    re.IGNORECASE,
)


def _looks_like_byline(value: str) -> bool:
    """ "Par Jean Dupont", "avec A et B": a byline, not a sentence starting with "Par".

    >>> _looks_like_byline("Par Jean Dupont"), _looks_like_byline("Par ailleurs, il a dit.")
    (True, False)
    """
    match = _BYLINE_START.match(value)
    if not match or len(value) > SHORT_TEXT:
        return False
    rest = value[match.end() :]
    words = [w for w in re.split(r"[\s,;&]+|\bet\b|\band\b", rest) if w]
    return bool(words) and all(_NAME_WORD.match(w) for w in words) and rest[:1].isupper()


def _byline_dom(x: Extraction) -> list[dict[str, Any]]:
    found = x.page.by_fragment(fragments("byline"))
    h1 = x.page.h1()
    title_in_body = h1 is not None and _in_body(x, h1)
    ordered = [el for el in found if in_header_zone(x, el)]
    if not title_in_body:
        ordered += [el for el in found if el not in ordered]
    for el in ordered:
        if (_in_body(x, el) and not in_header_zone(x, el)) or el.tag in ("body", "html", "meta"):
            continue
        if el.find(".//p") is not None or el.find(".//div") is not None:
            continue  # an author card (name and bio), not a byline line
        value = text(el)
        if not value or len(value) > SHORT_TEXT or "voir la bio" in value.casefold():
            continue
        # An era-A ".metas" block holds the author and the date: keep the author part.
        value = _without_dates(value)
        if value:
            return x.with_links([(value, None)])
    return []


_SEPARATORS = re.compile(r"\s+[·|•–—-]\s+|\s*[·|•]\s*")


def _without_dates(value: str) -> str:
    """A byline line without the dates printed beside it ("Par X · 8 juillet 2025")."""
    for found in find_dates(value):
        value = value.replace(found.raw, " ")
    value = re.sub(r"(?i)\b(?:publi[ée]e?|mis à jour)\s*(?:le)?\s*:?", " ", value)
    parts = [p for p in _SEPARATORS.split(value) if p.strip(" .,;:-–—·|•")]
    return (clean_text(" ".join(parts)) or "").strip(" .,;:-–—·|•")


def _byline_generic(x: Extraction) -> list[dict[str, Any]]:
    for value in header_texts(x):
        for part in (value, *_SEPARATORS.split(value)):
            part = _without_dates(part) if find_dates(part) else part.strip()
            if _looks_like_byline(part):
                return x.with_links([(part, None)])
    return []


def _byline_props(x: Extraction, attr: str) -> list[dict[str, Any]]:
    """Authors marked by ``itemprop``, by RDFa ``property``/``rel`` (``attr="property"``) or
    by HTML's ``rel=author`` (``attr="rel"``)."""
    out = []
    for el in x.page.prop("author", "dc:creator", "sioc:has_creator", "creator"):
        rel = el.attrib.get("rel") or ""
        if attr == "rel":
            if "author" not in rel.split() or el.tag == "link":
                continue
        elif not el.attrib.get(attr) and not (attr == "property" and ":" in rel):
            continue
        names = [n for n in el.iter() if "name" in (n.attrib.get("itemprop") or "").split()
                 or "foaf:name" in (n.attrib.get("property") or "").split()]  # fmt: skip
        value = text(names[0]) if names else clean_text(prop_value(el))
        href = el.attrib.get("href")
        if value and len(value) <= SHORT_TEXT:
            out.append((value, href))
    return x.with_links(out) if out else []


def authors(x: Extraction) -> None:
    """JSON-LD ``author`` (string, Person, Organization, list, ``@id``), microdata/RDFa,
    ``rel=author``, the eras' byline elements (``.metas .author``, ``byline``…), the author
    pages the article links, a ``Par X`` / ``avec A et B`` line in the header, meta author."""
    x.cascade.first(
        "authors",
        [
            ("json-ld", lambda: x.with_links(people(x.ld.get("author"), x.ld))),
            ("microdata", lambda: _byline_props(x, "itemprop")),
            ("rdfa", lambda: _byline_props(x, "property")),
            ("dom", lambda: _byline_props(x, "rel")),
            ("dom", lambda: _byline_dom(x)),
            ("generic", lambda: _byline_generic(x)),
            ("dom", lambda: x.author_cards()),
            (
                "meta",
                lambda: x.with_links([(n, None) for n in x.page.meta_values("author")]),
            ),
        ],
    )
    for author in x.loader.get_collected_values("authors"):
        if not author["url"]:
            author["url"] = x.author_links().get(author["name"].casefold())


# -- body -------------------------------------------------------------------------------------


def _known_container(x: Extraction) -> tuple[str, Any] | None:
    for el in x.page.prop("articlebody", "content:encoded", "schema:articlebody"):
        return ("microdata" if el.attrib.get("itemprop") else "rdfa", el)
    for layout in ERAS:
        for el in x.page.by_fragment(layout.body):
            if text(el):
                return ("dom", el)
            if el.tag not in ("body", "html", "main", "article"):
                # A known container left empty: the body is filled by a script (rendering.py
                # escalates such pages); another block of the page is not the body.
                x.body_left_empty = True
    return None


def _article_element(x: Extraction) -> Any:
    for el in x.page.elements("article"):
        if not x.page.outside(el) and el.xpath(".//p"):
            return el
    return None


def find_body_container(x: Extraction) -> None:
    """Decide the body's container first: the header rules need to know where it starts."""
    found = _known_container(x)
    if found:
        x.body_source, x.body_container = found
        return
    if x.has_paywall:
        for wrapper in x.paywall_elements:
            if text(wrapper) and wrapper.tag not in ("body", "html"):
                x.body_source, x.body_container = "dom", wrapper
                return
    generic = None if x.body_left_empty else main_text_element(x.page)
    x.body_source, x.body_container = ("generic", generic) if generic is not None else (None, None)


def body(x: Extraction) -> None:
    """The body's container: ``itemprop=articleBody`` / RDFa ``content:encoded``, the eras'
    containers (``rich-content__text``, ``#content-body``…), then the generic text-density
    finder; the JSON-LD ``articleBody`` of a free article last. On a premium page the
    paywall wrapper is read too: it holds the teaser."""
    tried: list[tuple[str, Any]] = []
    if x.body_container is not None and x.body_source:
        tried.append((x.body_source, x.body_container))
    for source, container in tried:
        result = _read_parts(x, container) if source != "generic" else None
        result = result or bodies.read_container(container, x.page.url)
        if source == "generic":
            result.blocks = _without_header(x, result.blocks)
        if _usable(result.blocks):
            x.set_body(result, source, container)
            return
        x.cascade.failed("articleBody", source)
    if x.has_paywall:
        for wrapper in x.paywall_elements:
            result = bodies.read_container(wrapper, x.page.url)
            if _usable(result.blocks):
                x.set_body(result, "dom", wrapper)
                return
    first = x.body_container if x.body_source == "generic" else None
    candidates = [] if x.body_left_empty else main_text_candidates(x.page)
    for generic in candidates:
        if generic is first:
            continue  # read above
        x.body_container, x.body_source = generic, "generic"
        result = bodies.read_container(generic, x.page.url)
        result.blocks = _without_header(x, result.blocks)
        if _usable(result.blocks):
            x.set_body(result, "generic", generic)
            return
    x.cascade.failed("articleBody", "generic")
    ld_text = text_value(x.ld.get("articleBody"))
    if ld_text and not x.premium:
        blocks = bodies.filter_blocks(bodies.paragraphs_from_text(ld_text)).blocks
        if _usable(blocks):
            x.set_body(bodies.Body(blocks), "json-ld", None)
            return
    x.cascade.failed("articleBody", "json-ld")


def _read_parts(x: Extraction, container: Any) -> bodies.Body | None:
    """A body split in several containers of the same class around an ad or a box (React
    templates render the text in chunks): every chunk, in order."""
    parent = container.getparent()
    names = container.get("class")
    if parent is None or not names:
        return None
    parts = [el for el in parent if el.tag == container.tag and el.get("class") == names]
    if len(parts) < 2:
        return None
    blocks: list[bodies.Block] = []
    seen = None
    for part in parts:
        result = bodies.read_container(part, x.page.url)
        blocks += result.blocks
        seen = seen or result.seen_on
    return bodies.Body(blocks, seen)


def _usable(blocks: list[bodies.Block]) -> bool:
    return any(len(b.text) >= 20 or b.kind == "p" for b in blocks)


def _header_values(x: Extraction) -> list[str]:
    values = [
        x.cascade.value("headline"),
        x.cascade.value("kicker"),
        x.cascade.value("category"),
        clean_text(text_value(x.ld.get("description"))),
        clean_text(x.page.meta_value("description")),
        clean_text(x.page.meta_value("og:description")),
        _chapo_dom(x),
    ]
    return [v.casefold() for v in values if v]


def _is_header_line(value: str, known: list[str]) -> bool:
    folded = value.casefold()
    # Equal to a known header value only: a summary cut with "…" may start like the first
    # paragraph of the body (the same opening sentence), so a prefix proves nothing.
    if folded in known:
        return True
    return bool(
        (find_dates(value) and len(value) <= SHORT_TEXT)
        or _looks_like_byline(value)
        or folded.startswith(("©", "crédit"))
        or is_boilerplate(value)
    )


def _after_lead_figure(x: Extraction, blocks: list[bodies.Block]) -> list[bodies.Block]:
    """Blocks printed between the title and the lead image are header (chapo, byline)."""
    h1 = x.page.h1()
    container = x.body_container
    if h1 is None or container is None or not blocks:
        return blocks
    order = {el: i for i, el in enumerate(container.iter())}
    title_at = order.get(h1)
    figure_at = next(
        (
            order[el]
            for el in container.iter("figure", "img")
            if order.get(el, -1) > (title_at or -1)
        ),
        None,
    )
    if title_at is None or figure_at is None:
        return blocks
    before = [b for b in blocks if title_at < order.get(b.element, -1) < figure_at]
    if 0 < len(before) <= 3 and len(before) < len(blocks):
        return [b for b in blocks if b not in before]
    return blocks


def _without_header(x: Extraction, blocks: list[bodies.Block]) -> list[bodies.Block]:
    """A generic container may hold the article's header: drop the blocks up to the title,
    the header lines after it (kicker, chapo, byline, dates, credit), and what stands between
    the title and a byline or date printed within the next few blocks (an unknown chapo)."""
    h1 = x.page.h1()
    title = text(h1) if h1 is not None else None
    start = 0
    for i, block in enumerate(blocks):
        if title and block.text == title:
            start = i + 1
            break
    rest = blocks[start:]
    known = _header_values(x)
    rest = _after_lead_figure(x, rest)
    cut = 0
    for i, block in enumerate(rest[:5]):
        if _looks_like_byline(block.text) or (
            find_dates(block.text) and len(block.text) <= SHORT_TEXT
        ):
            cut = i + 1
    while cut < len(rest) and _is_header_line(rest[cut].text, known):
        cut += 1
    return rest[cut:]


# -- image, taxonomy, access ---------------------------------------------------------------


def image(x: Extraction) -> None:
    figure = next(
        (
            el
            for el in x.page.elements("figure")
            if (el.find(".//img") is not None or el.find(".//amp-img") is not None)
            and not x.page.outside(el)
        ),
        None,
    )
    caption = credit = None
    if figure is not None:
        credit = _first_text(
            [el for el in figure.iter() if _matches(el, fragments("credit"))], SHORT_TEXT
        )
        caption = _first_text(
            [
                el
                for el in figure.iter()
                if _matches(el, fragments("caption"))
                and not _matches(el, fragments("credit"))
                and el.tag != "figcaption"
            ]
        )
        if not caption:
            captions = list(figure.iter("figcaption"))
            caption = _first_text(captions)
            if caption and credit:
                caption = clean_text(caption.replace(credit, "")) or None
            if caption and not credit:
                # "Légende. © CREDIT" printed in one figcaption.
                match = re.search(r"\s*(?:©|Crédits?\s+[Pp]hoto\s*:)\s*(.+)$", caption)
                if match:
                    credit = match.group(0)
                    caption = clean_text(caption[: match.start()]) or None
        caption = caption or clean_text(figure.xpath("string((.//img | .//amp-img)/@alt)"))
    if figure is None:
        # An image without <figure>: the caption and credit elements by their class words.
        caption = _first_text(
            [el for el in x.page.by_fragment(fragments("caption")) if not _in_body(x, el)], 300
        )
        credit = _first_text(
            [el for el in x.page.by_fragment(fragments("credit")) if not _in_body(x, el)],
            SHORT_TEXT,
        )
    if not credit:
        found = article_root(x).xpath("." + css.CREDIT_TEXT)
        credit = clean_text(str(found[0])) if found else None
    if caption and credit and caption == clean_text(credit):
        caption = None

    def image_item(url: str | None) -> dict[str, Any] | None:
        return {"url": x.absolute(url), "caption": caption, "credit": credit} if url else None

    x.cascade.first(
        "mainImage",
        [
            ("json-ld", lambda: image_item(image_url(x.ld.get("image")))),
            ("meta", lambda: image_item(x.page.meta_value("og:image"))),
            (
                "dom",
                lambda: image_item(
                    figure.xpath("string((.//img | .//amp-img)/@src)")
                    if figure is not None
                    else None
                ),
            ),
        ],
    )


def _matches(el: Any, frags: tuple[str, ...]) -> bool:
    if not isinstance(el.tag, str):
        return False
    key = f"{el.attrib.get('class', '')} {el.attrib.get('id', '')}".lower()
    return any(f in key for f in frags if not f.startswith("="))


def _category_dom(x: Extraction) -> str | None:
    for el in x.page.by_fragment(fragments("category")):
        if not in_header_zone(x, el) or el.tag in ("body", "html", "article", "main", "meta"):
            continue
        value = text(el)
        if value and len(value) <= 40:
            return value
    return None


_HOME_WORDS = frozenset({"accueil", "home", "atlantico", "une", "à la une"})


def _category_breadcrumb(x: Extraction) -> str | None:
    """The last step of a breadcrumb before the article (``Accueil › High-tech``): the
    JSON-LD ``BreadcrumbList``, else a breadcrumb trail on the page (by its ARIA label or
    its class)."""
    for node in x.ld.nodes:
        if node.get("@type") == "BreadcrumbList":
            items = node.get("itemListElement")
            names = []
            for entry in items if isinstance(items, list) else []:
                if isinstance(entry, dict):
                    name = text_value(entry.get("name") or entry.get("item"))
                    if name:
                        names.append(clean_text(name) or "")
            names = [n for n in names if n and n.casefold() not in _HOME_WORDS]
            headline = (x.cascade.value("headline") or "").casefold()
            names = [n for n in names if n.casefold() != headline]
            if names:
                return names[-1]
    trails = [
        el
        for el in x.page.root.iter("nav", "ol", "ul", "div")
        if re.search(r"ariane|breadcrumb", el.get("aria-label") or "", re.IGNORECASE)
    ] + x.page.by_fragment(("breadcrumb", "ariane"), inside=False)
    for trail in trails:
        steps = [text(a) for a in trail.iter("a")]
        steps = [s for s in steps if s and s.casefold() not in _HOME_WORDS and len(s) <= 40]
        if steps:
            return steps[-1]
    return None


def _category_link(x: Extraction) -> str | None:
    """Generic: a link to a category page in the article's header."""
    region = _header_region(x)
    if region is None:
        return None
    h1 = x.page.h1()
    title_in_body = h1 is not None and _in_body(x, h1)
    for link in region.iter("a"):
        if link is x.body_start or (_in_body(x, link) and not title_in_body):
            break
        href = (link.attrib.get("href") or "").lower()
        if re.search(r"/(?:categor(?:y|ie)s?|rubriques?|sections?)/", href):
            value = text(link)
            if value and len(value) <= 40 and not x.page.outside(link):
                return value
    return None


THEME_FRAGMENTS = ("themes", "thematiques")


def _block_links(
    x: Extraction, needle: str, labels: tuple[str, ...], frags: tuple[str, ...]
) -> list[str]:
    """The links of a block introduced by its label (``Mots-Clés``, ``Thématiques``), found
    from the label's text up, or of an element whose class names the block. Never links by
    their target alone: the body links tag pages inline."""
    blocks: list[Any] = []
    labelled = x.page.mentions(needle)  # one substring search of the page before any scan
    for node in article_root(x).xpath(f".//text()[contains(., '{needle}')]/..") if labelled else ():
        for el in (node, *ancestors(node)):
            label = (clean_text(element_text(el)) or "").casefold()
            if label in labels:
                continue
            if el is not node and not x.page.outside(el):
                blocks.append(el)
            break
    blocks += [el for el in x.page.by_fragment(frags) if el.tag not in ("body", "html")]
    out: list[str] = []
    for block in blocks:
        for link in block.iter("a"):
            value = clean_text(element_text(link))
            if value and not x.is_label(value) and value not in out:
                out.append(value)
    return out


def taxonomy(x: Extraction) -> None:
    x.cascade.first(
        "category",
        [
            ("json-ld", lambda: text_value(x.ld.get("articleSection"))),
            ("microdata", lambda: _props(x, "articlesection")),
            ("meta", lambda: x.page.meta_value("article:section")),
            ("dom", lambda: _category_dom(x)),
            ("dom", lambda: _category_breadcrumb(x)),
            ("generic", lambda: _category_link(x)),
        ],
    )
    x.cascade.first(
        "tags",
        [
            ("json-ld", lambda: text_list(x.ld.get("keywords"))),
            ("dom", lambda: _block_links(x, "Mots-", css.TAG_BLOCK_LABELS, fragments("tags"))),
            ("meta", lambda: x.page.meta_values("article:tag", "news_keywords")),
        ],
    )
    x.cascade.first(
        "themes",
        [
            (
                "dom",
                lambda: _block_links(x, "Thématiques", css.THEME_BLOCK_LABELS, THEME_FRAGMENTS),
            )
        ],
    )
    x.cascade.first(
        "inLanguage",
        [
            ("json-ld", lambda: text_value(x.ld.get("inLanguage"))),
            ("dom", lambda: x.page.root.get("lang")),
        ],
    )


def access(x: Extraction) -> None:
    """Premium: JSON-LD ``isAccessibleForFree`` (``false``, ``"False"``, or on a ``hasPart``),
    microdata, else a paywall wrapper on the page. A premium page shows its teaser only:
    ``bodyTruncated``; nothing is bypassed."""
    source = x.cascade.first(
        "isAccessibleForFree",
        [
            ("json-ld", lambda: free_flag(x.ld)),
            ("microdata", lambda: _props(x, "isaccessibleforfree")),
        ],
    )
    if source is None:
        x.loader.add_value("isAccessibleForFree", not x.has_paywall)
        x.cascade.sources["isAccessibleForFree"] = "dom"
    free = x.loader.get_output_value("isAccessibleForFree")
    # A paywall slot left empty on a page whose structured data says "free" is a script's
    # placeholder, not a wall; a wall that shows something (a prompt, a teaser) is one.
    walls_shown = any(text(el) for el in x.paywall_elements)
    x.premium = free is False or (x.has_paywall and (free is None or walls_shown))


def article_id(x: Extraction) -> None:
    request_url = x.request_url
    x.cascade.first(
        "articleId",
        [
            ("json-ld", lambda: text_value(x.ld.get("identifier"))),
            ("url", lambda: urls.legacy_id(x.page.url)),
            ("url", lambda: urls.legacy_id(request_url) if request_url else None),
        ],
    )
