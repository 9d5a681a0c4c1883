"""Seed article data for the offline replica of atlantico.fr.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts and one real article page), with replica-chosen values where the real site is
unknown (listing URLs, class names, pagination).

``SEED_PAGE_LINES`` is a verbatim copy of ``seed-page.txt``: the text of one real article page
(Elon Musk / Twitter, High-tech) as a reader sees it, one line per item. The replica never reads
the shared folder at run time; everything it needs from the seed is here. Non-breaking spaces are
written as ``\\xa0`` escapes so that they stay visible in the source.
"""

from __future__ import annotations

# Verbatim lines of seed-page.txt (split on "\n"; the file has no final newline).
SEED_PAGE_LINES: tuple[str, ...] = (
    (
        'Elon Musk confie qu’être propriétaire de Twitter est "assez douloureux"<!-- --> | '
        "Atlantico.fr"
    ),
    "Atlantico, c'est qui, c'est quoi ?",
    "Newsletter",
    "Décryptages",
    "Pépites",
    "Dossiers",
    "Rendez-vous",
    "Atlantico-Light",
    "Vidéos",
    "Podcasts",
    "High-tech",
    "Crédits Photo: OLIVIER DOULIERY / AFP",
    (
        "Elon Musk a confié dans une interview à la BBC que la gestion de Twitter avait été "
        'comparable à des "montagnes russes".'
    ),
    "",
    "Mea culpa",
    "",
    'Elon Musk confie qu’être propriétaire de Twitter est "assez douloureux"',
    "",
    (
        "Dans une interview accordée à la BBC, Elon Musk a déclaré que la gestion de Twitter "
        'était comparable à des "montagnes russes".'
    ),
    "",
    (
        "Elon Musk a assuré mercredi dans une interview à la BBC que la gestion de Twitter "
        'avait été comparable à des "montagnes russes". Le patron du réseau social a reconnu '
        '"de nombreuses erreurs", six mois après avoir racheté l\'entreprise pour 44 milliards '
        "de dollars."
    ),
    "",
    "Dans le cadre de cet entretien, le patron de Twitter fait également son mea culpa :\xa0",
    "",
    (
        '"Y a-t-il de nombreuses erreurs commises en cours de route? Bien sûr. Mais tout est '
        "bien qui finit bien. J'ai l'impression que nous nous dirigeons dans la bonne "
        'direction".\xa0'
    ),
    "",
    (
        "Elon Musk s’est aussi confié sur la réalité économique de Twitter. Il a confié que "
        "l'entreprise voyait les annonceurs revenir et était \"à peu près au seuil de "
        'rentabilité".'
    ),
    "",
    (
        "Le patron de Tesla, SpaceX et Twitter s'est exprimé dans une interview surprise "
        "accordée à la BBC pendant la nuit. La chaîne a indiqué avoir reçu une invitation "
        'd’Elon Musk "dans un délai très court".'
    ),
    "",
    "Des extraits ont été publiés sur le site de la BBC.",
    "",
    (
        "Elon Musk a signé le mois dernier un appel à faire une pause dans la recherche sur "
        "les IA de dernière génération. Il a appelé mercredi à la création d'un régulateur "
        '"pour s\'assurer que (cette technologie) ne présente pas de danger pour le public".'
    ),
    "",
    "BBC",
    "",
    (
        "En raison de débordements, nous avons fait le choix de suspendre les commentaires des "
        "articles d'Atlantico.fr."
    ),
    "",
    (
        "Mais n'hésitez pas à partager cet article avec vos proches par mail, messagerie, SMS "
        "ou sur les réseaux sociaux afin de continuer le débat !"
    ),
)

SEED_PAGE_TEXT: str = "\n".join(SEED_PAGE_LINES)

# What each line of the seed is (indexes into SEED_PAGE_LINES).
NAV_LABELS: tuple[str, ...] = SEED_PAGE_LINES[1:10]
"""The 9 labels of the site's main navigation, in order."""

SEED_TITLE_TAG: str = SEED_PAGE_LINES[0]
"""The page's <title> text, with React's ``<!-- -->`` text separator."""
SEED_CATEGORY: str = SEED_PAGE_LINES[10]
SEED_CREDIT_PRINTED: str = SEED_PAGE_LINES[11]
SEED_CAPTION: str = SEED_PAGE_LINES[12]
SEED_KICKER: str = SEED_PAGE_LINES[14]
SEED_HEADLINE: str = SEED_PAGE_LINES[16]
SEED_CHAPO: str = SEED_PAGE_LINES[18]
SEED_BODY_PARAGRAPHS: tuple[str, ...] = SEED_PAGE_LINES[20:33:2]
"""The 7 body paragraphs as printed (two of them end with a no-break space)."""
SEED_TAGS: tuple[str, ...] = (SEED_PAGE_LINES[34],)
SEED_COMMENTS_NOTICE: tuple[str, ...] = (SEED_PAGE_LINES[36], SEED_PAGE_LINES[38])
"""The end-of-page boilerplate about suspended comments (not article text)."""

# Replica choices for the seed article (the seed page does not show them).
SEED_SLUG: str = "elon-musk-confie-quetre-proprietaire-de-twitter-est-assez-douloureux"
SEED_TYPE: str = "pepite"
SEED_DATE_LOCAL: tuple[int, int, int, int, int] = (2023, 4, 12, 9, 15)
"""2023-04-12 09:15 Europe/Paris: a replica choice, the seed does not show its date."""
