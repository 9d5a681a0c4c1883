"""Offline replica of atlantico.fr for the crawler's tests and benchmarks.

This package is an offline stand-in for atlantico.fr, built from what is known of the real site
(the SITE.md facts and one real article page, copied into :mod:`tests.replica.seed`), with
replica-chosen values where the real site is unknown (listing URLs, class names, pagination).

Public API::

    from tests.replica import ReplicaServer, generate_site

    with ReplicaServer(n_articles=60, seed=1234) as srv:
        srv.base_url   # "http://127.0.0.1:PORT", bound before the site is generated
        srv.truth      # {canonical URL: expected item}, only articles listed in a section
        srv.requests   # request log: [RequestRecord(method, path, headers, timestamp)]

    site = generate_site(n_articles=60, seed=1234, base_url="http://127.0.0.1:8000")
    site.get("/decryptages?page=2")   # Response(status, headers, body)
    site.pages                        # lazy Mapping path -> Response
    site.truth, site.articles, site.variant_index()

    # Incremental changes for scheduled-crawl tests (also on ReplicaServer, thread-safe):
    site.publish(2)        # 2 new articles newer than all others -> their canonical URLs
    site.update(url)       # dateModified = next clock step, one paragraph appended

    # Template families (opt-in): every article page in one of twelve markups, same truth.
    site = generate_site(60, 1234, families=True)   # or ReplicaServer(..., families=True)
    from tests.replica.families import render_family, family_truth   # see its docstring

Command line: ``python -m tests.replica serve [--port P] [--articles N] [--seed S]
[--families]`` and ``python -m tests.replica truth --articles N --base-url URL [--families]``.
"""

from __future__ import annotations

from .generator import (
    DEFAULT_BASE_URL,
    NOW,
    PAGE_SIZE,
    REQUIRED_VARIANTS,
    SECTION_KEYS,
    Article,
    Response,
    Site,
    generate_site,
    truth_item,
)
from .server import ReplicaServer, RequestRecord
from .textutil import clean_text

__all__ = [
    "DEFAULT_BASE_URL",
    "NOW",
    "PAGE_SIZE",
    "REQUIRED_VARIANTS",
    "SECTION_KEYS",
    "Article",
    "ReplicaServer",
    "RequestRecord",
    "Response",
    "Site",
    "clean_text",
    "generate_site",
    "truth_item",
]
