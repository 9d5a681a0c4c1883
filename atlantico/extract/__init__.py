"""Pure extraction: responses in, items and links out. No crawling, no I/O."""

from atlantico.extract.article import extract_article

__all__ = ["extract_article"]
