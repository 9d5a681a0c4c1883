"""Era E, the current template (2024/2025 →), same React front end re-skinned.

[seen] the body is the ``<p>`` elements under ``div.rich-content__text`` (a public crawl of the
whole archive, SITE.md §1); the paywall wrapper is ``div.markup`` with a class containing
``Paywall`` (Tonos/Gjirafa), or nothing but JSON-LD ``isAccessibleForFree: false`` on
Tonos-only pages. The page shows category + relative time (``Internationalil y a 5 heures``),
image, caption + credit, surtitle, title, chapo, byline ``avec A et B``, author cards, body,
``Mots-Clés``, ``Thématiques``. Class names of those parts are [unknown]: the fragments below
are the usual words for each part, never a guessed exact class.
"""

from atlantico.extract.layouts.base import Layout

LAYOUT = Layout(
    name="current",
    body=("rich-content__text", "rich-content"),
    kicker=(
        "surtitle",
        "surtitre",
        "sur-titre",
        "kicker",
        "overtitle",
        "overline",
        "supertitle",
        "uptitle",
        "eyebrow",
        "pretitle",
    ),
    chapo=(
        "chapo",
        "chapeau",
        "standfirst",
        "longhat",
        "long-hat",
        "long_hat",
        "shorthat",
        "short_hat",
        "article-hat",
        "article__hat",
        "articlehat",
        "lede",
        "summary",
        "intro",
        "subtitle",
        "subheadline",
        "excerpt",
        "description",
    ),
    byline=(
        "byline",
        "by-line",
        "signature",
        "author-line",
        "authorline",
        "authors",
        "author",
        "auteur",
        "writer",
        "signed",
    ),
    date=("publish", "publication", "timestamp", "article__date", "article-date", "date", "time"),
    category=("category", "categorie", "rubrique", "article__section", "section-name"),
    caption=("caption", "legende", "légende", "figcaption"),
    credit=("credit", "copyright", "crédit"),
    paywall=("paywall", "=markup-paywall"),
    tags=("tags", "__tags", "keywords", "mots-cles"),
)
