"""How articles are found, apart from the spider that routes the requests.

One module per concern, pure functions where possible, each unit-tested without a crawl
(tests/test_discovery.py and the doctests); the spider passes the run's state in:

- :mod:`.state`: :class:`~.state.Discovery`, the run's discovery state, from the settings and
  the spider's ``-a`` arguments (checked by :mod:`.arguments`, one clear line each).
- :mod:`.site`: the site's own URLs and their one spelling.
- :mod:`.phases`: which phase waits for how many answers; what the listing walks have seen.
- :mod:`.sections`: where each section's listing starts; :mod:`.probes`: article pages read
  for their section link; :mod:`.rules`: ``ATLANTICO_SECTION_RULES`` read in one place.
- :mod:`.listings`: a listing page recorded; :mod:`.stop`: when a listing walk stops.
- :mod:`.sources`: which sitemaps and feeds are read, which entries become article requests.
- :mod:`.known`: the store's answer; :mod:`.legacy`: legacy URLs resolved before any article;
  :mod:`.aliases`: one article, however each section spelled its URL.
- :mod:`.articles`: an item's sections, aliases and fate; :mod:`.parts`: multi-page articles.
- :mod:`.report`: every stat and log line of discovery, one method per event.
"""
