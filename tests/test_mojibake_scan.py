"""``is_suspect`` with its substring pre-check answers exactly what the regex alone answered."""

from __future__ import annotations

import random

import pytest

from atlantico.mojibake import MOJIBAKE, REPLACEMENT, is_suspect, repair

FRENCH = "À la une : élève, où, forêt, cœur, château, « guillemets » — l’été… 20 €, Œuvre, naïf"


def regex_only(text: str) -> bool:
    """The definition before the pre-check."""
    return REPLACEMENT in text or bool(MOJIBAKE.search(text))


def as_mojibake(text: str) -> str:
    """``text`` as a page shows it when its UTF-8 is read as Windows-1252."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


TABLE = [
    ("", False),
    ("plain ascii", False),
    (FRENCH, False),
    ("château â côté", False),
    ("Å alone, Ã alone, Â alone", False),
    ("Ãx", False),
    ("Ã©lÃ¨ve", True),
    ("l’â€™é", True),
    ("cÅ“ur", True),
    ("Â\u00a0", True),
    ("\u00c3\u0080", True),
    ("caf\ufffd", True),
    (as_mojibake(FRENCH), True),
    ("<p>" + "texte propre " * 5000 + "Ã©</p>", True),
    ("<p>" + "texte propre " * 5000 + "</p>", False),
]


@pytest.mark.parametrize(("text", "suspect"), TABLE)
def test_table(text: str, suspect: bool) -> None:
    assert is_suspect(text) == regex_only(text) == suspect


def test_random_texts_answer_as_the_regex_alone() -> None:
    rng = random.Random(14)
    # The starts of every mojibake form, what may follow them, and ordinary French.
    alphabet = list("ÃÂâÅ€™“”œŸ\u0080\u009f\u00a0\u00a9\u00bf\ufffd") + list(FRENCH) + [" "] * 5
    suspects = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert is_suspect(text) == regex_only(text), repr(text)
        suspects += is_suspect(text)
    assert 1000 < suspects < 19000  # both answers are exercised


def test_mojibake_of_every_latin_letter_is_found_and_repaired() -> None:
    repaired = 0
    for code in range(0xC0, 0x180):
        letter = chr(code)
        if not letter.isalpha():
            continue
        broken = as_mojibake(f"un mot {letter} ici")
        if broken == f"un mot {letter} ici":
            continue
        assert is_suspect(broken) == regex_only(broken)
        if is_suspect(broken) and REPLACEMENT not in broken:
            assert repair(broken) == f"un mot {letter} ici"
            repaired += 1
    assert repaired > 50  # the letters of Latin-1 and Latin Extended-A whose mojibake shows
