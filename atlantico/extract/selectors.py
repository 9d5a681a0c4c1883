"""Every selector the extractors use, named, each with the site quirk it handles.

Structured data comes first (JSON-LD, meta tags); these DOM selectors are the fallbacks. Class
names of the current template are mostly [unknown] (SITE.md §6), so DOM selectors match on
class *fragments* (``[class*=surtitle]``) and semantic elements rather than on one exact class.
Selectors marked [seen] are quoted from SITE.md's sources.
"""

from __future__ import annotations

# --- Article page ----------------------------------------------------------------------------

# The JSON-LD blocks; the Article node is found by its @type (SITE.md §1, ~99% of pages).
JSONLD = 'script[type="application/ld+json"]::text'

CANONICAL = 'link[rel="canonical"]::attr(href)'
OG_URL = 'meta[property="og:url"]::attr(content)'
OG_TITLE = 'meta[property="og:title"]::attr(content)'
OG_IMAGE = 'meta[property="og:image"]::attr(content)'
OG_DESCRIPTION = 'meta[property="og:description"]::attr(content)'
META_DESCRIPTION = 'meta[name="description"]::attr(content)'
META_PUBLISHED = (
    'meta[property="article:published_time"]::attr(content), '
    'meta[itemprop="datePublished"]::attr(content)'
)
META_MODIFIED = (
    'meta[property="article:modified_time"]::attr(content), '
    'meta[itemprop="dateModified"]::attr(content)'
)
META_SECTION = 'meta[property="article:section"]::attr(content)'
META_AUTHOR = 'meta[name="author"]::attr(content)'
META_KEYWORDS = (
    'meta[property="article:tag"]::attr(content), meta[name="news_keywords"]::attr(content)'
)
HTML_LANG = "html::attr(lang)"
# <title> holds `TITLE<!-- --> | Atlantico.fr` (React text separator) [seen].
TITLE = "title::text"

# Elements outside the article proper: navigation, "most read" sidebars, footers. A date or an
# author link inside them belongs to another article.
OUTSIDE_ARTICLE = (
    "ancestor::aside or ancestor::nav or ancestor::footer"
    " or ancestor::header[not(ancestor::article)]"
)
H1 = f"//h1[not({OUTSIDE_ARTICLE})]"
# Era A: `div.metas time@datetime` [seen]; current template: a `time[datetime]` near the title.
# Era A's header also printed the *current day* (`Mardi 23 Mai 2017`) outside any <time>: never
# read header text for a date.
TIME_DATETIME = f"//time[@datetime][not({OUTSIDE_ARTICLE})]/@datetime"
# A visible "Publié le …" or "Mis à jour le …" label, when no machine-readable date exists.
# Text nodes are tested first, with one plain `contains` that every casing the labels are
# printed in passes (Publié/PUBLIÉ, jour/JOUR), then on where they stand (their element neither
# script nor style, nor outside the article). Testing every element's ancestors, then every
# text node with translate(), cost 2.4 ms per 90 KB page and was reached on most pages (no
# dateModified in the JSON-LD); this costs 0.8 ms.
_IN_ARTICLE_TEXT = f"[parent::*[not(self::script or self::style)][not({OUTSIDE_ARTICLE})]]"
PUBLISHED_TEXT = (
    "//text()[contains(., 'ubli') or contains(., 'UBLI')]"
    "[starts-with(normalize-space(translate(., 'PUBLIÉ', 'publié')), 'publié le')]"
    + _IN_ARTICLE_TEXT
)
MODIFIED_TEXT = (
    "//text()[contains(., 'our') or contains(., 'OUR')]"
    "[starts-with(normalize-space(translate(., 'MISÀJOUR', 'misàjour')), 'mis à jour')]"
    + _IN_ARTICLE_TEXT
)
# The current template prints the category glued to a relative time: `High-tech` +
# `il y a 5 heures` (two elements) [seen].
RELATIVE_TIME_TEXT = (
    f"//*[not(self::script or self::style)][not({OUTSIDE_ARTICLE})]"
    "/text()[starts-with(normalize-space(.), 'il y a ')]"
)

# Surtitle (kicker): class name [unknown]; free text, sometimes upper-case [seen].
# As XPath over the class attributes, the elements of the CSS list `[class*=surtitle],
# [class*=surtitre]…` in one pass instead of six scans of the page (a fifth of the extraction
# time on 90 KB pages, by the benchmark's profile).
KICKER = (
    "//@class[contains(., 'surtitle') or contains(., 'surtitre') or contains(., 'kicker')"
    " or contains(., 'overtitle') or contains(., 'overline') or contains(., 'supertitle')]/.."
)
# Chapo (standfirst): class name [unknown].
CHAPO = "[class*=chapo], [class*=chapeau], [class*=standfirst]"
# Category above the image: class [unknown]; categories link to a category page.
CATEGORY = (
    f"//*[contains(@class, 'category') or contains(@class, 'categorie')][not({OUTSIDE_ARTICLE})]"
)

# Byline: the current template writes `avec A et B` [seen]; era A `.metas .author`.
BYLINE = (
    "[class*=byline], [class*=signature], [class*=author-line], .metas .author, "
    "[rel=author], [itemprop=author]"
)
# Author pages are `/author/<slug>-<id>` [seen]; a card repeats the name and adds `Voir la bio »`.
# From the href attributes up to their <a>: the same links as `//a[contains(@href, …)]`, at
# half the cost on long pages.
AUTHOR_LINKS = f"//@href[contains(., '/author/')]/parent::a[not({OUTSIDE_ARTICLE})]"

# Body: the current recipe reads the <p> elements under div.rich-content__text [seen]; era A
# used div#content-body [seen]; then generic semantic containers.
BODY_CONTAINERS: tuple[tuple[str, str], ...] = (
    ("div.rich-content__text", "dom"),
    ("div#content-body", "dom"),
    ("[itemprop=articleBody]", "dom"),
    (
        "article [class*=article-body], article [class*=article__body], article [class*=content-body]",
        "dom",
    ),
)
# Blocks inside the body that are not article text: inserted "à lire aussi" links, embedded
# related cards, media, scripts, paywall call-to-action.
BODY_EXCLUDED_ANCESTORS = (
    "ancestor-or-self::*[contains(@class, 'read-also') or contains(@class, 'lire-aussi')"
    " or contains(@class, 'related') or contains(@class, 'aywall') or contains(@class, 'newsletter')"
    " or contains(@class, 'author-card')]"
    " or ancestor-or-self::aside or ancestor-or-self::figure or ancestor-or-self::script"
    " or ancestor-or-self::style or ancestor-or-self::nav"
)
# Text blocks of a body, without double counting a <p> inside a <blockquote>.
BODY_BLOCKS = (
    ".//*[self::p or self::h2 or self::h3 or self::h4 or self::li"
    " or self::blockquote[not(.//p)]]"
    f"[not({BODY_EXCLUDED_ANCESTORS})]"
)

# Paywall wrappers over time [seen]: Poool `div.dpslvp`, then `div.markup` with a class
# containing `Paywall`; era A `div#paywall-placeholder`. Any class with "paywall" is taken too.
# Tested on the class and id attributes, then up to their element: one pass over attributes
# instead of three scans of every element (6x faster on 90 KB pages).
PAYWALL = (
    "//@class[contains(., 'Paywall') or contains(., 'paywall')"
    " or (contains(., 'dpslvp') and parent::div"
    " and contains(concat(' ', normalize-space(.), ' '), ' dpslvp '))]/.."
    " | //@id[. = 'paywall-placeholder']/.."
)

# Lead image: first figure in the article.
FIGURE = f"//figure[not({OUTSIDE_ARTICLE})][.//img]"
CREDIT_IN_FIGURE = ".//*[contains(@class, 'credit') or contains(@class, 'copyright')]//text()"
CAPTION_IN_FIGURE = ".//*[contains(@class, 'caption') or contains(@class, 'legende')]//text()"
# Older template: `Crédits Photo: OLIVIER DOULIERY / AFP` printed as text above the caption [seen].
CREDIT_TEXT = (
    f"//*[not(self::script or self::style)][not({OUTSIDE_ARTICLE})]"
    "/text()[starts-with(normalize-space(.), 'Crédits Photo') or starts-with(normalize-space(.), '©')]"
)

# Tags are printed under `Mots-Clés`, themes under `Thématiques` [seen]; the blocks are found by
# that label or by their class. Never by link target alone: the body links tag pages inline.
TAG_BLOCK_LABELS = ("mots-clés", "mots clés", "tags")
# The label is looked for from its text up: a text node holding it, then the ancestor whose
# whole text is the label, then that ancestor's parent (the block). Comparing the text of every
# element's children instead was the costliest selector of the extraction on 90 KB pages. A
# label split over several text nodes (`Mots-<b>Clés</b>`) is not found this way; the class
# alternative still is.
THEME_BLOCK_LABELS = ("thématiques", "thematiques")
TAG_LINKS = (
    "//text()[contains(., 'Mots-')]/ancestor::*[normalize-space(.)='Mots-Clés' or normalize-space(.)='Mots-clés']"
    f"/parent::*[not({OUTSIDE_ARTICLE})]//a/text()"
    f" | //*[contains(concat(' ', normalize-space(@class), ' '), ' tags ') or contains(@class, '__tags')][not({OUTSIDE_ARTICLE})]//a/text()"
)
THEME_LINKS = (
    "//text()[contains(., 'Thématiques')]/ancestor::*[normalize-space(.)='Thématiques']"
    f"/parent::*[not({OUTSIDE_ARTICLE})]//a/text()"
    f" | //*[contains(@class, 'themes') or contains(@class, 'thematiques')][not({OUTSIDE_ARTICLE})]//a/text()"
)

# --- Listing and home pages ------------------------------------------------------------------

# Links that carry navigation labels (the crawler finds sections by label, SITE.md §2).
NAV_LINKS = "//nav//a | //header//a"
ALL_LINKS = "//a[@href]"
# Article cards: listing URLs and markup are [unknown]; cards are taken from <article>
# elements first, then from the main content, never from sidebars ("Les plus lus").
CARD_LINKS = f"//main//article//a[@href][not({OUTSIDE_ARTICLE})] | //article//a[@href][not({OUTSIDE_ARTICLE})]"
MAIN_LINKS = f"//main//a[@href][not({OUTSIDE_ARTICLE})]"
BODY_LINKS = f"//a[@href][not({OUTSIDE_ARTICLE})]"
# Pagination [unknown]: rel=next first, then a link whose text reads "next", then a page number.
REL_NEXT = 'link[rel="next"]::attr(href), a[rel~="next"]::attr(href)'
NEXT_LINK_WORDS = ("suivant", "page suivante", "voir plus", "plus d'articles", "plus d’articles",
                   "charger plus", "articles suivants", "next", "›", "»")  # fmt: skip
