"""Era C, the older React server-rendered template (~2020 →).

[seen] ``<title>`` is ``TITLE<!-- --> | Atlantico.fr``; navigation → category → caption (often
twice) → credit (``©Reuters``, ``Crédits Photo: …``, a bare ``©``) → surtitle → chapo → author
cards (name twice, bio, ``Voir la bio »``) → body (seed-page.txt). Poool's paywall wrapper was
``div.dpslvp`` [seen]. Class names [unknown] beyond those.
"""

from atlantico.extract.layouts.base import Layout

LAYOUT = Layout(
    name="react",
    body=("content-body", "article_body", "articlecontent", "main-content"),
    kicker=("sur_titre", "supra"),
    chapo=("chapo", "-hat", "_hat"),
    byline=("author-name", "authorname"),
    credit=("photo-credit", "credits"),
    paywall=("=dpslvp", "poool"),
)
