"""Pure extraction: responses (or HTML and a URL) in, items and links out. No crawling, no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atlantico.extract.article import extract_article, extract_html

__all__ = ["extract_article", "extract_html"]


def __getattr__(name: str) -> Any:
    # The article extraction (field rules, loaders, dates) is imported when first asked for:
    # a crawl whose reading workers read the articles never loads it, and no crawl loads it
    # before its first request; ``from atlantico.extract import selectors`` stays light.
    if name in __all__:
        from atlantico.extract import article

        return getattr(article, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
