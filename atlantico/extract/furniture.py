"""Page furniture inside an article's text, found whatever its class spelling.

Three ways, from the cheapest: the element (scripts, iframes, figures, asides, forms…); its
class or id, lower-cased and split into words (``RelatedArticle_x7f`` → ``related article
x7f``, ``pv_atf`` → ``pv atf``), so that a word matches wherever the template puts it and
whatever its case or hash; and its text (an "À lire aussi" box, an author card's
``Voir la bio »``), for styled-components pages whose class names say nothing. The paywall
wrapper is never furniture: it holds the teaser (its prompts go by their text).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from atlantico.hygiene import clean_text

# Elements that never hold article text.
REMOVED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "track",
        "canvas",
        "svg",
        "figure",
        "aside",
        "nav",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "label",
        "dialog",
        "footer",
        "picture",
        "map",
        "menu",
    ]
)
# Whole words of a class or id that mark furniture (ads by their slot names too: above/below
# the fold, in-feed, in-read, the ad servers' names).
FURNITURE_WORDS = frozenset(
    [
        "related",
        "relatedarticle",
        "relatedarticles",
        "readalso",
        "lireaussi",
        "seealso",
        "voiraussi",
        "newsletter",
        "newsletters",
        "share",
        "sharing",
        "social",
        "socials",
        "sharebar",
        "ad",
        "ads",
        "adv",
        "advert",
        "advertisement",
        "adslot",
        "adunit",
        "pub",
        "publicite",
        "atf",
        "btf",
        "mpu",
        "infeed",
        "inread",
        "outbrain",
        "taboola",
        "teads",
        "dfp",
        "gpt",
        "sponsor",
        "sponsored",
        "promo",
        "promotion",
        "cta",
        "subscribe",
        "subscription",
        "abonnement",
        "abonnez",
        "offer",
        "offers",
        "pager",
        "pagination",
        "paginate",
        "breadcrumb",
        "breadcrumbs",
        "comments",
        "comment",
        "disqus",
        "tags",
        "tag",
        "keywords",
        "themes",
        "thematiques",
        "recirculation",
        "recirc",
        "mostread",
        "toolbar",
        "tweet",
        "twitter",
        "instagram",
        "tiktok",
        "facebook",
        "youtube",
        "dailymotion",
        "embed",
        "embedded",
        "placeholder",
        "podcast",
        "player",
        "banner",
        "billboard",
        "bio",
        "authorcard",
        "authorbox",
        "authorbio",
        "about",
    ]
)
# Fragments matched inside the lower-cased class string (compound spellings).
FURNITURE_FRAGMENTS = (
    "read-also", "read_also", "lire-aussi", "lire_aussi", "see-also", "voir-aussi",
    "author-card", "author_card", "author-box", "author-bio", "authorcard", "most-read",
    "plus-lus", "related", "newsletter", "advert", "ad-slot", "ad_slot", "adslot",
    "ad-container", "ad-wrapper", "pagination", "breadcrumb", "twitter-tweet",
    "instagram-media", "mots-cles", "placeholder",
)  # fmt: skip
# Class words of a paywall wrapper [seen: `dpslvp` (Poool), `Paywall` (Tonos), Drupal
# `#paywall-placeholder`].
PAYWALL_WORDS = frozenset({"paywall", "dpslvp", "poool", "premium-wall", "tonos"})

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def class_words(el: Any) -> frozenset[str]:
    """The words of an element's class and id.

    >>> sorted(class_words_of("RelatedArticle_x7f pv_atf"))
    ['article', 'atf', 'pv', 'related', 'relatedarticle', 'x7f', 'xf']
    """
    return class_words_of(f"{el.attrib.get('class', '')} {el.attrib.get('id', '')}")


@lru_cache(maxsize=4096)
def class_words_of(value: str) -> frozenset[str]:
    """Words split on ``-``, ``_`` and spaces, plus camel-case parts of four letters or more:
    a hashed name (``sc-kAdXyz``) must not yield a short furniture word ("ad") by chance.

    >>> sorted(class_words_of("sc-kAdXyz"))
    ['kadxyz', 'sc']
    """
    words: set[str] = set()
    for token in re.split(r"[^A-Za-z0-9]+", value):
        if not token:
            continue
        words.add(token.lower())
        parts = [part.lower() for part in _WORD.findall(token)]
        if len(parts) > 1:
            words.update(part for part in parts if len(part) >= 4)
            # "RelatedArticle" is also "relatedarticle".
            words.add("".join(p for p in parts if not p.isdigit()))
    return frozenset(words)


def is_paywall(el: Any) -> bool:
    key = f"{el.attrib.get('class', '')} {el.attrib.get('id', '')}".lower()
    return "paywall" in key or bool(PAYWALL_WORDS & class_words(el))


def is_furniture(el: Any) -> bool:
    """Whether an element is furniture by its tag or its class/id words."""
    tag = el.tag
    if not isinstance(tag, str):
        return False
    tag = tag.lower()
    if tag in REMOVED_TAGS or tag.startswith("amp-"):
        return True  # AMP components (amp-ad, amp-twitter, amp-iframe…) are embeds
    if "placeholder" in el.attrib or "fallback" in el.attrib:
        return True  # AMP's placeholder/fallback content of an embed
    names = el.attrib.get("class", "")
    ident = el.attrib.get("id", "")
    if not names and not ident:
        return False
    if is_paywall(el):
        return False
    key = f"{names} {ident}".lower()
    if any(fragment in key for fragment in FURNITURE_FRAGMENTS):
        return True
    return bool(FURNITURE_WORDS & class_words(el))


def _fold(text: str) -> str:
    text = clean_text(text) or ""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


# Labels that open a box of links to other articles, or close an author card.
BOX_LABELS = (
    "a lire aussi", "lire aussi", "a lire egalement", "lire egalement", "a voir aussi",
    "voir aussi", "sur le meme sujet", "sur le meme theme", "decouvrir aussi",
    "nos articles", "articles lies", "dans la meme rubrique", "vous aimerez aussi",
    "a decouvrir", "les plus lus", "recommande pour vous", "en savoir plus",
    "pour aller plus loin", "a voir egalement", "a propos de l'auteur", "a propos des auteurs",
)  # fmt: skip
CARD_LABELS = ("voir la bio",)
# A box is its label and links plus at most this many characters of unlinked text (a
# standfirst, an author's one-line bio).
BOX_EXTRA_CHARS = 160


def box_label(text: str) -> bool:
    """Whether a text opens a related box or is an author card's link.

    >>> box_label("À lire aussi : Le titre"), box_label("A LIRE AUSSI"), box_label("Lire la suite")
    (True, True, False)
    """
    folded = _fold(text)
    return folded.startswith(BOX_LABELS) or folded.startswith(CARD_LABELS)
