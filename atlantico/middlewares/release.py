"""A spider middleware: a page's parsed tree is let go once its callback is done with it.

Scrapy keeps the selector it builds for a response on the response, and the selector refers
back to the response: the pair is a reference cycle, which only Python's cyclic collector frees.
The collector looks at old objects less often as the heap grows (a full collection waits until
the long-lived objects have grown by a quarter), so in a long crawl the trees of listing pages,
sitemaps and the home page (lxml's own memory, which the collector does not count) pile up
between collections, and the process's peak memory grows with the length of the crawl
(benchmarks/NOTES.md, sixth round).

The tree is dropped when the callback's output has been taken in full, or when it fails: nothing
of the spider reads a response after that. Article pages read by a worker are released earlier,
as soon as the worker has them (:func:`atlantico.reading.release_tree`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy.http import Response

from atlantico.reading import release_tree


class ReleaseTreeMiddleware:
    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        try:
            yield from result
        finally:
            release_tree(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        try:
            async for output in result:
                yield output
        finally:
            release_tree(response)
