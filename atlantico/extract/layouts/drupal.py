"""Era A, Drupal (2011 → ~2019), at ``/<type>/<slug>-<id>.html`` URLs.

[seen: FiveFilters site config for atlantico.fr] body ``div#content-body``; date
``div.metas time@datetime``; author ``.metas .author``; multi-page articles with
``li.pager-next a``; old paywall ``div#paywall-placeholder``. The header printed the *current
day* (``Mardi 23 Mai 2017``), which is not the publication date.
"""

from atlantico.extract.layouts.base import Layout

LAYOUT = Layout(
    name="drupal",
    body=("#content-body", "content-body"),
    byline=("metas",),
    date=("metas",),
    paywall=("paywall-placeholder",),
    tags=("=tags",),
    not_dates=("date-du-jour", "header-date", "today", "current-date"),
)
