"""Legacy URLs resolved before any article is requested: where each leads, and whose sections
it joins.

A legacy URL (``/<type>/<id>/<slug>``, ``/<type>/<slug>-<id>.html``) is asked once with its
redirect not followed (:data:`REDIRECTS` handled by the callback). Its answer is decided by
:func:`on_redirect` (the sections move to the target, or the next hop is asked) or, for a page
served under the legacy URL, :func:`served_here`.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.http import Request, Response

from atlantico.discovery.aliases import Found, is_legacy
from atlantico.discovery.site import Site

REDIRECTS = [301, 302, 303, 307, 308]
# Redirect hops followed from one legacy URL (a legacy URL leading to another legacy URL).
MAX_HOPS = 5


def to_resolve(found: Found) -> list[str]:
    """The legacy URLs to ask, one per article id (its other spellings merged into it), except
    those whose page was read already (a probe): that page is parsed as it is.

    >>> found = Found()
    >>> found.add("https://a.fr/d/12/x", {"h"})
    >>> found.add("https://www.a.fr/d/x-12.html", {"d"})
    >>> found.add("https://a.fr/article/d/y", {"d"})
    >>> to_resolve(found), sorted(found.sections["https://a.fr/d/12/x"])
    (['https://a.fr/d/12/x'], ['d', 'h'])
    """
    wanted = []
    for first, *others in found.legacy_groups().values():
        for other in others:
            found.merge(other, first)
        if not found.taken(first):
            wanted.append(first)
    return wanted


def redirect_target(response: Response, site: Site) -> str | None:
    """Where a legacy URL's answer redirects (canonical), or None when it is the page itself.

    >>> from scrapy.http import Request, Response
    >>> moved = Response("https://a.fr/d/12/x", status=301, headers={"Location": "/article/d/x"})
    >>> redirect_target(moved, Site.of("https://a.fr"))
    'https://a.fr/article/d/x'
    >>> redirect_target(Response("https://a.fr/d/12/x"), Site.of("https://a.fr")) is None
    True
    """
    location = response.headers.get("Location")
    if response.status not in REDIRECTS or not location:
        return None
    return site.canonical(urljoin(response.url, location.decode("latin-1")))


def on_redirect(found: Found, url: str, target: str, hops: int, site: Site) -> str:
    """What a legacy URL's redirect to ``target`` (canonical) means, applied to ``found``:

    ``refused`` (not an article of the site: dropped), ``merged`` (the target is found or asked
    already: the sections join it), ``follow`` (another legacy URL: ask it too), ``moved`` (the
    target is new: it takes the legacy URL's place).

    >>> site, found = Site.of("https://a.fr"), Found()
    >>> found.add("https://a.fr/article/d/x", {"d"})
    >>> found.add("https://a.fr/d/12/x", {"h"})
    >>> on_redirect(found, "https://a.fr/d/12/x", "https://a.fr/article/d/x", 0, site)
    'merged'
    >>> sorted(found.sections["https://a.fr/article/d/x"])
    ['d', 'h']
    >>> found.add("https://a.fr/d/13/y", {"h"})
    >>> on_redirect(found, "https://a.fr/d/13/y", "https://a.fr/login", 0, site)
    'refused'
    >>> "https://a.fr/d/13/y" in found
    False
    """
    if not site.is_article(target):
        found.pop(url)
        return "refused"
    outcome = "moved"
    if target in found or found.taken(target):
        outcome = "merged"
    elif is_legacy(target) and hops < MAX_HOPS:
        outcome = "follow"
    found.merge(url, target)
    return outcome


def resolve_meta(found: Found, url: str, hops: int) -> dict[str, object]:
    """The ``meta`` of the request asking a legacy URL where it leads: its redirect is read,
    not followed (the target may be listed already), and it is an article request for the
    retry queue (:func:`atlantico.retry_queue.is_article_request`: its sections and how it was
    found), so that a legacy URL failing for good is retried by the next run.

    >>> found = Found()
    >>> found.add("https://a.fr/d/12/x", {"h", "d"})
    >>> meta = resolve_meta(found, "https://a.fr/d/12/x", 0)
    >>> meta["dont_redirect"], meta["sections"], meta["discovered_via"]
    (True, ['d', 'h'], 'listing')
    """
    return {
        "dont_redirect": True,
        "handle_httpstatus_list": REDIRECTS,
        "hops": hops,
        "sections": sorted(found.sections.get(url, ())),
        "discovered_via": found.via.get(url) or "listing",
    }


def served_here(found: Found, url: str) -> tuple[set[str], str, set[str]]:
    """A legacy URL answered with the page itself: (sections, via, aliases) to parse it with;
    the URL is asked for, not again.

    >>> found = Found()
    >>> found.add("https://a.fr/d/12/x", {"h"})
    >>> served_here(found, "https://a.fr/d/12/x"), "https://a.fr/d/12/x" in found.requested
    (({'h'}, 'listing', set()), True)
    """
    sections, via, aliases = found.pop(url)
    found.requested.add(url)
    return sections, via or "listing", aliases


def dropped(found: Found, request: Request, site: Site) -> tuple[str, str, set[str], bool]:
    """A redirected article request Scrapy's duplicate filter dropped (the page it lands on was
    asked for already): its sections wait for that page. Returns (the URL first asked, the
    target, the sections lost because the page was parsed already, whether they were merged).

    >>> found, site = Found(), Site.of("https://a.fr")
    >>> moved = Request("https://a.fr/article/d/new", meta={"sections": ["h"],
    ...                 "redirect_urls": ["https://a.fr/article/d/old"]})
    >>> dropped(found, moved, site)
    ('https://a.fr/article/d/old', 'https://a.fr/article/d/new', set(), True)
    >>> found.parsing("https://a.fr/article/d/new")
    {'h'}
    """
    target = site.canonical(request.url)
    lost = found.redirect_dropped(target, request.meta.get("sections", ()))
    return request.meta["redirect_urls"][0], target, lost, target not in found.parsed
