"""Era D, the "v3" host of the React front end: dates printed as plain text.

[inferred] Pages of this host print the publication date as text only (``8 juillet 2025``,
``Publié le 3 juillet 2021 à 7h05``), without ``time[datetime]`` or a JSON-LD date: the date
rule reads them from the article's header (see :mod:`atlantico.extract.fields`). Class names
are [unknown]; the fragments are the usual words.
"""

from atlantico.extract.layouts.base import Layout

LAYOUT = Layout(
    name="v3",
    body=(
        "article-body",
        "article__body",
        "articlebody",
        "article-content",
        "article__content",
        "article-text",
        "articletext",
        "story-body",
        "post-content",
        "entry-content",
        "body-text",
        "text-content",
    ),
    date=("dateline", "published", "meta-date", "info-date"),
)
