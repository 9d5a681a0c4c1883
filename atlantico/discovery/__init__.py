"""How articles are found, apart from the spider that routes the requests.

One module per concern, pure functions where possible, each unit-tested without a crawl:

- :mod:`.arguments`: the spider's ``-a`` arguments, validated with one clear line each.
- :mod:`.rules`: ``ATLANTICO_SECTION_RULES`` read in one place (type, category, JSON-LD section).
- :mod:`.stop`: when a listing walk stops (since, watermark, max_pages, loops, page limit).
- :mod:`.sources`: which sitemap and feed entries become article requests, for which sections.
- :mod:`.aliases`: one article, however each section spelled its URL (legacy forms, redirects).
- :mod:`.parts`: the parts of a multi-page article, and the one item they are joined into.
"""
