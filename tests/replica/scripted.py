"""Scripted variants of the replica: pages whose content exists only after JavaScript runs.

How the live site paginates its listings and whether it builds pages in the browser are
[unknown] (SITE.md §1, §2, §6); these variants let the tests check that the crawler renders
such pages, and only those. They live at extra paths that no normal page links, so the normal
replica and its truth are unchanged; a test reaches them by giving the crawler the listing's
URL (``ATLANTICO_SECTION_URLS``).

``/scripted/<section>``
    The section's articles, newest first: :data:`STATIC_CARDS` cards in the HTML, then a
    "Voir plus" ``<button>`` (no next link) whose script fetches
    ``/api/scripted/<section>?offset=K`` (JSON: ``{"items": [...], "next": path | null}``)
    and appends :data:`API_PAGE` cards per click, removing the button after the last ones.
``/article/<type>/<slug>-app``
    Two articles of each section (one among the static cards, one loaded by the button) are
    linked at this path instead: the current template without JSON-LD, its
    ``div.rich-content__text`` empty, and the body in a ``__NEXT_DATA__`` JSON that a script
    inserts shortly after the page has loaded; it also loads a third-party script.

:func:`truth` gives the items a crawl of one scripted listing must produce.
"""

from __future__ import annotations

import dataclasses
import json
import random
from html import escape
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from . import render
from .generator import SECTION_KEYS, SECTION_LABELS, Article, Response, Site, truth_item
from .textutil import attr, clean_text, french_date, iso

STATIC_CARDS: Final[int] = 6
"""Cards in the static HTML of a scripted listing."""
API_PAGE: Final[int] = 8
"""Cards each "Voir plus" click appends."""
APP_SUFFIX: Final[str] = "-app"
"""Slug suffix of the script-built article variants."""
JSON_TYPE: Final[str] = "application/json; charset=utf-8"

_BODY_OPEN: Final[str] = '<div class="rich-content__text">\n'
_BODY_CLOSE: Final[str] = "\n</div></div>"


def listing_path(section: str) -> str:
    return f"/scripted/{section}"


def api_path(section: str, offset: int) -> str:
    return f"/api/scripted/{section}?offset={offset}"


def _eligible(art: Article) -> bool:
    """Articles whose truth does not depend on their JSON-LD (which the variant drops)."""
    return (
        art.template == "current"
        and not art.premium
        and art.modified is None
        and art.jsonld.present
        and bool(art.body_texts)
    )


def app_articles(site: Site, section: str) -> list[Article]:
    """The section articles served as script-built variants (originals, not the copies)."""
    listed = site.listings[section]
    static = next((a for a in listed[:STATIC_CARDS] if _eligible(a)), None)
    loaded = next((a for a in listed[STATIC_CARDS:] if _eligible(a)), None)
    return [a for a in (static, loaded) if a is not None]


def app_variant(art: Article) -> Article:
    """The script-built copy of an article: its own URL, no JSON-LD."""
    return dataclasses.replace(
        art,
        slug=art.slug + APP_SUFFIX,
        jsonld=dataclasses.replace(art.jsonld, present=False),
    )


def entries(site: Site, section: str) -> list[tuple[Article, str]]:
    """(article as served, href) for every card of the scripted listing, in order."""
    apps = {a.id for a in app_articles(site, section)}
    out = []
    for art in site.listings[section]:
        if art.id in apps:
            variant = app_variant(art)
            out.append((variant, variant.canonical_path))
        else:
            out.append((art, site.listing_href(art, section)))
    return out


def truth(site: Site, section: str) -> dict[str, dict[str, Any]]:
    """canonical URL -> expected item, for a crawl of the scripted listing of ``section``."""
    out = {}
    for art, _href in entries(site, section):
        item = truth_item(site, art)
        item["sections"] = [section]
        out[item["canonicalUrl"]] = item
    return out


# --------------------------------------------------------------------------------------------
# Serving


def get(site: Site, target: str) -> Response | None:
    """The answer for a scripted path, or None when the path is not one."""
    split = urlsplit(target)
    path = split.path
    for section in SECTION_KEYS:
        if path == listing_path(section):
            return render.html_response(listing_page(site, section))
        if path == f"/api/scripted/{section}":
            try:
                offset = int(parse_qs(split.query).get("offset", ["0"])[0])
            except ValueError:
                return None
            return render.text_response(api_page(site, section, offset), JSON_TYPE)
    for section in SECTION_KEYS:
        for art in app_articles(site, section):
            variant = app_variant(art)
            if path == variant.canonical_path:
                return render.html_response(app_article_page(site, variant))
    return None


_LOAD_MORE_SCRIPT: Final[str] = """<script>
(function () {
  var button = document.querySelector('.listing__more');
  var cards = document.querySelector('.listing__cards');
  function card(item) {
    var article = document.createElement('article');
    article.className = 'card';
    var link = document.createElement('a');
    link.className = 'card__link';
    link.href = item.url;
    var title = document.createElement('h2');
    title.className = 'card__title';
    title.textContent = item.title;
    link.appendChild(title);
    article.appendChild(link);
    if (item.category) {
      var category = document.createElement('span');
      category.className = 'card__category';
      category.textContent = item.category;
      article.appendChild(category);
    }
    var time = document.createElement('time');
    time.className = 'card__date';
    time.setAttribute('datetime', item.date);
    time.textContent = item.dateText;
    article.appendChild(time);
    return article;
  }
  button.addEventListener('click', function () {
    button.disabled = true;
    fetch(button.getAttribute('data-next'))
      .then(function (answer) { return answer.json(); })
      .then(function (data) {
        data.items.forEach(function (item) { cards.appendChild(card(item)); });
        if (data.next) {
          button.setAttribute('data-next', data.next);
          button.disabled = false;
        } else {
          button.remove();
        }
      });
  });
})();
</script>"""


def listing_page(site: Site, section: str) -> str:
    rng = random.Random(f"{site.seed}:scripted:{section}")
    label = SECTION_LABELS[section]
    listed = entries(site, section)
    cards = "\n".join(render._card(site, art, href, rng) for art, href in listed[:STATIC_CARDS])
    button = ""
    if len(listed) > STATIC_CARDS:
        button = (
            f'<button type="button" class="listing__more" '
            f'data-next="{attr(api_path(section, STATIC_CARDS))}">Voir plus</button>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(label)} | Atlantico.fr</title>"
        f'<link rel="canonical" href="{attr(site.url(listing_path(section)))}"></head>\n'
        f"<body>\n{render._header()}\n"
        f'<main><section class="listing"><h1>{escape(label)}</h1>\n'
        f'<div class="listing__cards">\n{cards}\n</div>\n{button}\n</section>\n'
        f"{render._most_read(site, f'scripted:{section}', section)}</main>\n"
        f"{render._footer()}\n{_LOAD_MORE_SCRIPT}\n</body></html>\n"
    )


def api_page(site: Site, section: str, offset: int) -> str:
    listed = entries(site, section)
    offset = max(offset, 0)
    items = [
        {
            "url": href,
            "title": clean_text(art.headline),
            "category": art.category,
            "date": iso(art.published),
            "dateText": french_date(art.published),
        }
        for art, href in listed[offset : offset + API_PAGE]
    ]
    end = offset + API_PAGE
    next_path = api_path(section, end) if end < len(listed) else None
    return json.dumps({"items": items, "next": next_path}, ensure_ascii=False)


# A third-party tag, as news sites carry: a browser set up for the tests must abort it (the
# reserved .invalid domain never resolves, should it not be).
THIRD_PARTY_SCRIPT: Final[str] = "https://tags.example.invalid/analytics.js"
_FILL_SCRIPT: Final[str] = f"""<script async src="{THIRD_PARTY_SCRIPT}"></script>
<script>
window.addEventListener('load', function () {{
  // Like a client-side app hydrating: the body arrives after the page has loaded.
  setTimeout(function () {{
    var data = JSON.parse(document.getElementById('__NEXT_DATA__').textContent);
    document.querySelector('.rich-content__text').innerHTML =
      data.props.pageProps.article.body;
  }}, 50);
}});
</script>"""


def app_article_page(site: Site, variant: Article) -> str:
    """The current-template page of ``variant`` with its body moved into ``__NEXT_DATA__``."""
    html = render.article_page(site, variant)
    start = html.index(_BODY_OPEN) + len(_BODY_OPEN)
    end = html.index(_BODY_CLOSE, start)
    body = html[start:end]
    html = html[: start - 1] + html[end + 1 :]  # `<div class="rich-content__text"></div>`
    data = {"props": {"pageProps": {"article": {"id": variant.id, "body": body}}}}
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    scripts = (
        f'<script id="__NEXT_DATA__" type="application/json">{payload}</script>\n{_FILL_SCRIPT}\n'
    )
    return html.replace("</body>", scripts + "</body>")
