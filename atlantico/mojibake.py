"""Mojibake and replacement characters: find them, and undo the one common, reversible kind.

UTF-8 bytes read as Windows-1252 turn ``é`` into ``Ã©`` and ``’`` into ``â€™``; that can be
undone. Bytes that were not valid in the encoding used turn into U+FFFD; that cannot.
"""

from __future__ import annotations

import re

# "Ã©", "Ã¨", "Ã " (à), "Â " (nbsp), "â€™", "â€œ", "Å“" (œ); and U+FFFD.
MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf\u00a0-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€|Å[“’]")
REPLACEMENT = "\ufffd"


# Every match of MOJIBAKE holds one of these characters: a test for each (a fast C scan) rules
# out the regex on clean text, which it would otherwise try at every position (1.5 to 2.4 ms on
# a 90 KB page, against a few microseconds for the scans). "€" is looked for alone: French text
# is full of "â" ("château"), which makes a search for "â€" slow, and "€" itself is rare.
MOJIBAKE_CHARS = ("Ã", "Â", "Å", "€")


def is_suspect(text: str) -> bool:
    """Whether ``text`` holds mojibake or U+FFFD.

    >>> is_suspect("élève"), is_suspect("Ã©lÃ¨ve"), is_suspect("l\u2019\ufffdcole")
    (False, True, True)
    """
    if text.isascii():  # every character looked for is outside ASCII (most short fields)
        return False
    if REPLACEMENT in text:
        return True
    # MOJIBAKE_CHARS one by one: no generator to set up for each of an item's forty strings.
    return ("Ã" in text or "Â" in text or "Å" in text or "€" in text) and bool(
        MOJIBAKE.search(text)
    )


def repair(text: str) -> str | None:
    """``text`` with UTF-8-read-as-Windows-1252 undone; None when that does not apply.

    >>> repair("Ã€ la une : Ã©lÃ¨ve, oÃ¹, forÃªt, cÅ“ur")
    'À la une : élève, où, forêt, cœur'
    >>> repair("À la une") is None, repair("caf\ufffd") is None
    (True, True)
    """
    if REPLACEMENT in text or not MOJIBAKE.search(text):
        return None
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return None if is_suspect(fixed) else fixed
