"""Cleaning rules, one table of cases per rule."""

from __future__ import annotations

import pytest

from atlantico.loaders import authors_from_source, unique_authors
from atlantico.processors import (
    clean_credit,
    clean_text,
    clean_title,
    is_boilerplate,
    join_paragraphs,
    parse_bool,
    split_authors,
    word_count,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Atlantico\u00a0: oui", "Atlantico : oui"),
        ("«\u202fguillemets\u202f»", "« guillemets »"),
        ("zéro\u200blargeur", "zérolargeur"),
        ("e\u0301le\u0300ve", "élève"),  # NFD → NFC
        ("  espaces \n\t multiples  ", "espaces multiples"),
        ("l’apostrophe … reste", "l’apostrophe … reste"),
        ("\u00a0\u202f\u200b", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_text(raw: str | None, expected: str | None) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Titre<!-- --> | Atlantico.fr", "Titre"),
        ("Titre <!-- --> | Atlantico.fr", "Titre"),
        ("Titre | Atlantico", "Titre"),
        ("Titre - Atlantico.fr", "Titre"),
        ('Musk\u00a0: "assez douloureux"', 'Musk : "assez douloureux"'),
        ("Un titre | avec une barre", "Un titre | avec une barre"),
        ("Titre\u200b", "Titre"),
    ],
)
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("©Reuters", "Reuters"),
        ("© SAUL LOEB / AFP", "SAUL LOEB / AFP"),
        ("Crédits Photo: OLIVIER DOULIERY / AFP", "OLIVIER DOULIERY / AFP"),
        ("Crédit photo : DR", "DR"),
        ("©DR", "DR"),
        ("©Capture d'écran", "Capture d'écran"),
        ("©JEAN-FRANCOIS MONIER LOIC VENANCE / AFP", "JEAN-FRANCOIS MONIER LOIC VENANCE / AFP"),
        ("©", None),
        (" © ", None),
        (None, None),
    ],
)
def test_clean_credit(raw: str | None, expected: str | None) -> None:
    assert clean_credit(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("avec Guillaume Lagane et Emmanuel Lincot", ["Guillaume Lagane", "Emmanuel Lincot"]),
        (
            "Erwan Le Noan,Didier Maus et David Valence",
            ["Erwan Le Noan", "Didier Maus", "David Valence"],
        ),
        ("A, B et C", ["A", "B", "C"]),
        ("Par Franck DeCloquement", ["Franck DeCloquement"]),
        ("Propos recueillis par Jean Dupont", ["Jean Dupont"]),
        ("Jean Dupont (AFP)", ["Jean Dupont"]),
        ("Sébastien Le Fol et sébastien le fol", ["Sébastien Le Fol"]),
        ("avec\u00a0Étienne Gernelle", ["Étienne Gernelle"]),
        ("Voir la bio »", []),
        ("", []),
    ],
)
def test_split_authors(raw: str, expected: list[str]) -> None:
    assert split_authors(raw) == expected


def test_authors_keep_raw_and_url_only_for_one_person() -> None:
    one = authors_from_source({"nameRaw": "Par Jean Dupont", "url": "https://x/author/jd-1"})
    assert one == [
        {"name": "Jean Dupont", "nameRaw": "Par Jean Dupont", "url": "https://x/author/jd-1"}
    ]
    many = authors_from_source({"nameRaw": "A et B", "url": "https://x/author/a-1"})
    assert [a["url"] for a in many] == [None, None]


def test_unique_authors_merges_case_and_keeps_a_url() -> None:
    merged = unique_authors(
        [
            {"name": "Franck DeCloquement", "nameRaw": "x", "url": None},
            {"name": "franck decloquement", "nameRaw": "y", "url": "u"},
        ]
    )
    assert merged == [{"name": "Franck DeCloquement", "nameRaw": "x", "url": "u"}]


@pytest.mark.parametrize(
    "paragraph",
    [
        "En raison de débordements, nous avons fait le choix de suspendre les commentaires des articles d'Atlantico.fr.",
        "Mais n'hésitez pas à partager cet article avec vos proches par mail, messagerie, SMS ou sur les réseaux sociaux afin de continuer le débat !",
        "Le sujet vous intéresse ?",
        "Voir la bio »",
        "À lire aussi",
        "A lire aussi : Un autre article",
        "Cet article est réservé aux abonnés.",
        # Issue 10: "Vu sur :" names where a pépite was seen; it is not article text (this
        # list held it as text before).
        "Vu sur: Le Figaro",
        "Vu sur : Le Monde",
        "1 2 Page suivante ›",
        "Pour lire la suite, abonnez-vous",
        "Il vous reste 75 % de cet article à lire.",
    ],
)
def test_boilerplate_is_recognised(paragraph: str) -> None:
    assert is_boilerplate(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Atlantico : Le sujet vous intéresse ?",
        "Il a confié que l'entreprise voyait les annonceurs revenir.",
        "Vu sur ces images, le drone survole la ville.",
        "Il vous reste deux options.",
        "2017",
    ],
)
def test_article_text_is_not_boilerplate(paragraph: str) -> None:
    assert not is_boilerplate(paragraph)


def test_join_paragraphs() -> None:
    assert (
        join_paragraphs(["Un\u00a0:", None, "  ", "Deux", "Le sujet vous intéresse ?"])
        == "Un :\n\nDeux"
    )
    assert join_paragraphs(["Le sujet vous intéresse ?"]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("False", False),
        ("true", True),
        (" TRUE ", True),
        ("peut-être", None),
        (None, None),
        (0, None),
    ],
)
def test_parse_bool(raw: object, expected: bool | None) -> None:
    assert parse_bool(raw) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Un deux trois.", 3), ("L’homme : « oui » !", 2), ("", None), (None, None)],
)
def test_word_count(text: str | None, expected: int | None) -> None:
    assert word_count(text) == expected
