"""French word and sentence pools for the offline replica of atlantico.fr.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts: categories, types, surtitles, credits, author names, French typography), with
replica-chosen values where the real site is unknown (listing URLs, class names, pagination).

The pools hold *plain* text: ordinary spaces before ``: ; ? !`` and inside ``« »``. The renderer
turns those spaces into no-break spaces in the HTML; the truth keeps the plain form. Everything
here is invented filler on plausible subjects, not copied from the site.
"""

from __future__ import annotations

from typing import Final

CATEGORIES: Final[tuple[str, ...]] = (
    "High-tech",
    "Economie",
    "Politique",
    "International",
    "Culture",
    "Société",
)
"""Categories as printed above the article image (``Economie`` has no accent on the site)."""

CATEGORY_SLUGS: Final[dict[str, str]] = {
    "High-tech": "high-tech",
    "Economie": "economie",
    "Politique": "politique",
    "International": "international",
    "Culture": "culture",
    "Société": "societe",
}

# Noun phrases (with their article) that a sentence can be about, per category.
SUBJECTS: Final[dict[str, tuple[str, ...]]] = {
    "High-tech": (
        "l’intelligence artificielle générative",
        "les semi-conducteurs",
        "le cloud souverain",
        "la cybersécurité des hôpitaux",
        "les réseaux sociaux",
        "l’informatique quantique",
        "la voiture autonome",
        "les cryptomonnaies",
        "la 5G",
        "les data centers",
        "la reconnaissance faciale",
        "les modèles de langage",
        "le métavers",
        "la régulation des plateformes",
        "les câbles sous-marins",
        "les batteries électriques",
    ),
    "Economie": (
        "l’inflation",
        "la dette publique",
        "le pouvoir d’achat",
        "la réforme des retraites",
        "le marché immobilier",
        "les taux d’intérêt",
        "la réindustrialisation",
        "le commerce extérieur",
        "les finances locales",
        "le chômage des jeunes",
    ),
    "Politique": (
        "la majorité présidentielle",
        "le Parlement",
        "la réforme institutionnelle",
        "les élections municipales",
        "la décentralisation",
        "le budget de l’Etat",
        "la droite républicaine",
        "la gauche radicale",
    ),
    "International": (
        "la guerre en Ukraine",
        "la rivalité sino-américaine",
        "l’Union européenne",
        "le Proche-Orient",
        "l’OTAN",
        "le Sahel",
        "la diplomatie chinoise",
        "les élections américaines",
    ),
    "Culture": (
        "le cinéma français",
        "l’édition",
        "les musées",
        "la chanson française",
        "le patrimoine",
        "les séries télévisées",
    ),
    "Société": (
        "l’école",
        "la laïcité",
        "l’hôpital public",
        "la sécurité du quotidien",
        "la natalité",
        "le logement des étudiants",
        "les écrans chez les enfants",
    ),
}

# Actors (people, companies, institutions), per category, plus some shared ones.
ACTORS: Final[dict[str, tuple[str, ...]]] = {
    "High-tech": (
        "Elon Musk",
        "OpenAI",
        "Apple",
        "Google",
        "Meta",
        "Nvidia",
        "TikTok",
        "Microsoft",
        "Mistral AI",
        "la Commission européenne",
        "Amazon",
        "Huawei",
    ),
    "Economie": (
        "la BCE",
        "Bercy",
        "le FMI",
        "la Cour des comptes",
        "le Medef",
        "l’Insee",
        "la Banque de France",
    ),
    "Politique": (
        "Emmanuel Macron",
        "le gouvernement",
        "Matignon",
        "le Rassemblement national",
        "le parti Les Républicains",
        "le Conseil constitutionnel",
        "l’Assemblée nationale",
    ),
    "International": (
        "Washington",
        "Pékin",
        "Moscou",
        "Bruxelles",
        "Berlin",
        "Kiev",
        "l’ONU",
        "Donald Trump",
    ),
    "Culture": (
        "le ministère de la Culture",
        "le Festival de Cannes",
        "Netflix",
        "la Comédie-Française",
        "le Centre national du livre",
    ),
    "Société": (
        "l’Education nationale",
        "l’Association des maires de France",
        "la FCPE",
        "la CGT",
        "la Défenseure des droits",
    ),
}

VERB_PHRASES: Final[tuple[str, ...]] = (
    "a changé de stratégie",
    "veut imposer ses règles",
    "prépare sa riposte",
    "joue une partie à haut risque",
    "a perdu la main",
    "tente un coup de poker",
    "mise tout sur l’innovation",
    "s’inquiète en silence",
    "refuse de voir la réalité",
    "avance à marche forcée",
    "a sous-estimé le danger",
    "cherche un second souffle",
)

INFINITIVES: Final[tuple[str, ...]] = (
    "reprendre la main",
    "convaincre les marchés",
    "rassurer les Français",
    "rattraper son retard",
    "éviter le piège",
    "tenir ses promesses",
    "sortir de l’impasse",
    "protéger les données des citoyens",
    "attirer les talents",
    "résister à la pression",
    "sauver les apparences",
)

CLAIMS: Final[tuple[str, ...]] = (
    "l’Europe a déjà perdu une bataille décisive",
    "rien ne sera plus comme avant",
    "le pire est peut-être devant nous",
    "la facture sera lourde pour les contribuables",
    "les promesses ne résistent pas aux chiffres",
    "le rapport de force a changé de camp",
    "la France dispose encore d’atouts réels",
    "personne n’avait anticipé une telle accélération",
    "le débat public passe à côté de l’essentiel",
    "les régulateurs ont toujours un temps de retard",
    "la souveraineté ne se décrète pas",
    "l’opinion est plus lucide qu’on ne le croit",
)

OUTCOMES: Final[tuple[str, ...]] = (
    "le grand malentendu",
    "la fin d’une illusion",
    "un tournant historique",
    "le piège se referme",
    "une victoire en trompe-l’œil",
    "les dessous d’un bras de fer",
    "ce qui va vraiment changer",
    "un aveu d’impuissance",
)

EPITHETS: Final[tuple[str, ...]] = (
    "une révolution en trompe-l’œil",
    "une menace sous-estimée",
    "un pari perdu d’avance",
    "le nouveau champ de bataille",
    "une chance pour la France",
    "un mirage coûteux",
)

QUOTES: Final[tuple[str, ...]] = (
    "Nous ne pouvons pas laisser faire",
    "Le temps presse",
    "C’est une question de souveraineté",
    "Personne ne maîtrise vraiment la situation",
    "Il faut sortir de la naïveté",
    "Nous avons déjà trop attendu",
    "Ce n’est que le début",
    "Les chiffres sont têtus",
)

SOURCES: Final[tuple[str, ...]] = (
    "plusieurs experts interrogés",
    "une note confidentielle",
    "le dernier rapport du Sénat",
    "une étude publiée cette semaine",
    "des sources proches du dossier",
    "les économistes les plus prudents",
    "un haut fonctionnaire européen",
)

POPULATIONS: Final[tuple[str, ...]] = (
    "Français",
    "chefs d’entreprise",
    "jeunes actifs",
    "utilisateurs",
    "électeurs",
    "enseignants",
)

ADJECTIVES: Final[tuple[str, ...]] = (
    "inquiets",
    "sceptiques",
    "favorables à une régulation",
    "prêts à changer leurs habitudes",
    "mal informés",
)

CONNECTORS: Final[tuple[str, ...]] = (
    "Pourtant,",
    "Dans les faits,",
    "Autrement dit,",
    "En réalité,",
    "Surtout,",
    "A Bruxelles comme à Washington,",
    "Pour l’heure,",
    "Depuis plusieurs mois,",
)

SUBHEADINGS: Final[tuple[str, ...]] = (
    "Une bataille d’influence",
    "Le pari risqué de Bruxelles",
    "Des effets déjà visibles",
    "Et maintenant ?",
    "Un modèle à bout de souffle",
    "Ce que disent vraiment les chiffres",
    "La tentation du repli",
    "Un angle mort du débat",
)

KICKERS: Final[tuple[str, ...]] = (
    "Mea culpa",
    "Revue de presse des hebdos",
    "Un livre, un débat",
    "En direct",
    "PAS DE BLANC-SEING",
    "Révolution numérique",
    "Guerre des puces",
    "Souveraineté",
    "ATTENTION DANGER",
    "Bonnes feuilles",
    "Géopolitique de la tech",
    "Vu d’ailleurs",
    "Coup de tonnerre",
    "Bras de fer",
    "LIGNE ROUGE",
    "Tendance",
)

TAGS: Final[dict[str, tuple[str, ...]]] = {
    "High-tech": (
        "Intelligence artificielle",
        "Elon Musk",
        "Twitter",
        "ChatGPT",
        "Apple",
        "Cybersécurité",
        "TikTok",
        "GAFAM",
        "Données personnelles",
        "Semi-conducteurs",
    ),
    "Economie": ("Inflation", "BCE", "Dette", "Retraites", "Croissance", "Impôts"),
    "Politique": ("Emmanuel Macron", "Assemblée nationale", "Gouvernement", "Elections"),
    "International": ("Chine", "Etats-Unis", "Russie", "Ukraine", "Union européenne", "OTAN"),
    "Culture": ("Cinéma", "Littérature", "Musées", "Patrimoine"),
    "Société": ("Ecole", "Laïcité", "Santé", "Sécurité", "Famille"),
}

THEMES: Final[tuple[str, ...]] = (
    "Europe",
    "Numérique",
    "Géopolitique",
    "Innovation",
    "Economie mondiale",
    "Sécurité",
    "Energie",
    "Institutions",
)

CITIES: Final[tuple[str, ...]] = (
    "Paris",
    "Bruxelles",
    "Washington",
    "San Francisco",
    "Pékin",
    "Las Vegas",
    "Berlin",
    "Davos",
)

CREDITS: Final[tuple[str, ...]] = (
    "© SAUL LOEB / AFP",
    "©Reuters",
    "©DR",
    "©Capture d'écran",
    "©JEAN-FRANCOIS MONIER LOIC VENANCE / AFP",
    "Crédits Photo: OLIVIER DOULIERY / AFP",
    "© MANDEL NGAN / AFP",
    "©",
)
"""Credits as printed. A bare ``©`` names nobody (truth: no credit)."""

VU_SUR_SOURCES: Final[tuple[str, ...]] = (
    "Le Figaro",
    "Les Echos",
    "BFM TV",
    "Le Parisien",
    "The Guardian",
    "Le Monde",
)

RDV_SERIES: Final[tuple[str, ...]] = (
    "revue-de-presse-des-hebdos",
    "un-livre-un-debat",
    "editos",
    "la-semaine-de-la-tech",
)

# (name, id) of the replica's authors. Ids are numeric or 10-character alphanumerics, as seen.
AUTHORS: Final[tuple[tuple[str, str], ...]] = (
    ("Guillaume Lagane", "50361"),
    ("Emmanuel Lincot", "aK3mZ9qP2x"),
    ("Franck DeCloquement", "41207"),
    ("Sébastien Le Fol", "Qw7eR4tY1u"),
    ("Anne-Sophie Leclère", "62118"),
    ("Thibault Ménard", "pL0oK9iJ8u"),
    ("Chloé Béranger", "57004"),
    ("Pierre-Yves Roussel", "38815"),
    ("Nathalie Gaël", "Zx5cV6bN7m"),
    ("Marc Dufresne", "44902"),
    ("Inès Benhamou", "Hg2fD3sA4q"),
    ("Loïc Péron", "61337"),
    ("François Villeneuve", "29876"),
    ("Agnès Ollivier", "Tr8yU7iO6p"),
)

BIO_TEMPLATES: Final[tuple[str, ...]] = (
    "{name} est spécialiste des questions de {field}, auteur de plusieurs ouvrages de référence.",
    "{name} est chercheur associé à l’Institut de {field} et enseigne à Sciences Po.",
    "{name} est journaliste et couvre depuis dix ans l’actualité de {field}.",
    "{name} est consultant, auteur d’un essai remarqué sur {field}.",
    "{name} est professeur des universités, spécialiste de {field}.",
)

BIO_FIELDS: Final[tuple[str, ...]] = (
    "défense",
    "géopolitique de l’Asie",
    "stratégie numérique",
    "finances publiques",
    "droit constitutionnel",
    "intelligence économique",
    "politique européenne",
)

INTERVIEWER_INITIALS: Final[tuple[str, ...]] = ("BL", "JSF", "AL")

LEGACY_AUTHOR_STRING: Final[str] = "Erwan Le Noan,Didier Maus et David Valence"
LEGACY_AUTHOR_NAMES: Final[tuple[str, ...]] = ("Erwan Le Noan", "Didier Maus", "David Valence")

ACCENTED_AUTHORS: Final[tuple[str, ...]] = ("Franck DeCloquement", "Sébastien Le Fol")

PREMIUM_NOTICE: Final[str] = "Cet article est réservé aux abonnés."
CTA_TEXT: Final[str] = "Le sujet vous intéresse ?"

MONTHS_FR: Final[tuple[str, ...]] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
DAYS_FR: Final[tuple[str, ...]] = (
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
)

STATES: Final[tuple[tuple[str, str], ...]] = (
    ("s’impose comme un enjeu majeur", "s’imposent comme un enjeu majeur"),
    ("concentre toutes les inquiétudes", "concentrent toutes les inquiétudes"),
    ("change la donne", "changent la donne"),
    ("divise les experts", "divisent les experts"),
    ("échappe largement au contrôle des Etats", "échappent largement au contrôle des Etats"),
    ("attire des investissements records", "attirent des investissements records"),
    ("inquiète jusqu’au sommet de l’Etat", "inquiètent jusqu’au sommet de l’Etat"),
)
"""Predicates for a subject: (singular form, plural form)."""

EXPERTS: Final[tuple[str, ...]] = (
    "un ancien ministre",
    "un dirigeant du secteur",
    "une chercheuse du CNRS",
    "un diplomate européen",
    "un haut fonctionnaire de Bercy",
    "une avocate spécialisée",
)

EXTERNAL_LINKS: Final[tuple[str, ...]] = (
    "https://www.insee.fr/fr/statistiques",
    "https://www.senat.fr/rap/",
    "https://digital-strategy.ec.europa.eu/fr",
    "https://www.cnil.fr/fr",
)
