"""Text hygiene: the one place where any text, from any source, becomes clean text.

Every field of an item (headline, kicker, description, author names, captions, credits, tags,
category, body paragraphs) passes through :func:`clean_text`, whether it came from JSON-LD, a
meta tag, an RDFa attribute or the DOM. The rules, in order:

1. **Entities decoded**, double-escaped ones too (``n&amp;#039;était`` → ``n'était``): JSON-LD
   writers often escape text that was already escaped. Only complete entities (with their
   ``;``) are decoded, so ``AT&T`` stays as it is.
2. **Tags stripped**: markup that arrived as text (JSON-LD holding ``<span>Jean</span>``, a
   description with ``<p>``) is removed. Inline tags vanish (``<em>a</em>b`` → ``ab``); a
   ``<br>`` or a block tag (``p``, ``div``, ``li``…) becomes a space, so that two lines never
   glue (``MacDonald’s ?<br>Comment`` → ``MacDonald’s ? Comment``). HTML comments go too (React
   prints ``<!-- -->`` between text nodes).
3. **NFC**: a decomposed ``e`` + combining accent becomes ``é``.
4. **Invisible characters removed**: zero-width space, joiners, word joiner, BOM, soft hyphen
   (U+00AD), and C0 control characters other than whitespace.
5. **The space rule**: every non-breaking space (U+00A0), narrow no-break space (U+202F), figure,
   thin and other Unicode spaces, tab and newline become ONE plain space; runs of spaces fold
   into one; the text is trimmed. French typography puts a (narrow) no-break space before
   ``: ; ? !`` and inside ``« »``: it is kept as a plain space, never removed, so ``Atlantico :``
   stays ``Atlantico :``. Typographic characters (’ « » …) are kept as they are.

Empty text becomes ``None``. :func:`clean_lines` applies the same rules but keeps paragraph
breaks (for bodies given as one string).
"""

from __future__ import annotations

import html
import re
import unicodedata

# A complete character reference: named, decimal or hexadecimal, with its semicolon.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A tag or comment that arrived as text. `<` must be followed by a letter, `/` or `!`: "a < b"
# and "<3" are text.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>")
# Tags whose boundary separates words: a line break or a block.
_SPACING_TAGS = frozenset(
    [
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "td",
        "th",
        "table",
        "dd",
        "dt",
        "dl",
        "figure",
        "figcaption",
        "hr",
        "pre",
        "main",
        "aside",
        "nav",
    ]
)
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, C0/C1 controls.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(text: str) -> str:
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _untag(text: str) -> str:
    text = _COMMENT.sub("", text)
    return _TAG.sub(lambda m: " " if m.group(1).lower() in _SPACING_TAGS else "", text)


def strip_markup(text: str) -> str:
    """Entities decoded and tags removed, repeatedly: escaped markup is markup too.

    >>> strip_markup("n&amp;#039;était &lt;b&gt;là&lt;/b&gt;")
    "n'était là"
    >>> strip_markup("<span>Jean</span> Dupont<br>Paris")
    'Jean Dupont Paris'
    >>> strip_markup("AT&T, 3 < 4")
    'AT&T, 3 < 4'
    """
    for _ in range(4):  # &amp;amp;lt;b&amp;amp;gt; needs three rounds; more is a bomb
        if "&" not in text and "<" not in text:
            return text
        new = _untag(_decode(text)) if "<" in text or "&" in text else text
        if new == text:
            return text
        text = new
    return text


def clean_text(value: str | None) -> str | None:
    """Clean one piece of text by the rules of this module; empty text becomes ``None``.

    >>> clean_text("  Atlantico\u00a0: «\u202fbonjour\u202f»\u200b ")
    'Atlantico : « bonjour »'
    >>> clean_text("MacDonald’s ?<br>Comment")
    'MacDonald’s ? Comment'
    >>> clean_text('<p class="x"></p>') is None
    True
    >>> clean_text("hyphen\u00adation")
    'hyphenation'
    """
    if value is None:
        return None
    text = str(value)
    if "&" in text or "<" in text:
        text = strip_markup(text)
    if not text.isascii():  # ASCII is NFC already
        text = unicodedata.normalize("NFC", text)
    # A printable text holds no invisible character and no space but U+0020 (str.isprintable):
    # most texts, which then need no regex.
    if text.isprintable():
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text or None
    else:
        text = _INVISIBLE.sub("", text)
    # The space rule: str.split() splits on the characters of _SPACES (str.isspace).
    return " ".join(text.split()) or None


def clean_fragment(value: str) -> str:
    """The same rules on a piece of a longer text, without trimming it (the spaces at its
    ends separate it from its neighbours): for the text segments of ``articleBodyHtml``.

    >>> clean_fragment(" l’été : ")
    ' l’été : '
    """
    text = value
    if "&" in text or "<" in text:
        text = strip_markup(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # as in clean_text
        return text if "  " not in text else _SPACES.sub(" ", text)
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|<br\s*/?>\s*(?:<br\s*/?>\s*)+|</p>\s*", re.IGNORECASE)


def clean_lines(value: str | None) -> list[str]:
    """A text holding several paragraphs (blank lines, ``<br><br>`` runs, ``</p>``) → the
    clean paragraphs.

    >>> clean_lines("Un.<br><br>Deux\u00a0!\\n\\nTrois")
    ['Un.', 'Deux !', 'Trois']
    """
    if not value:
        return []
    parts = _PARAGRAPH_BREAK.split(value)
    if len(parts) == 1 and "\n" in value:
        parts = value.split("\n")
    return [text for part in parts if (text := clean_text(part))]


def has_markup(text: str) -> bool:
    """Whether a text still holds a tag or an entity (what no field may carry).

    >>> has_markup("a &amp; b"), has_markup("<p>x</p>"), has_markup("AT&T < 4")
    (True, True, False)
    """
    return bool(_ENTITY.search(text) or _TAG.search(text) or "<!--" in text)
