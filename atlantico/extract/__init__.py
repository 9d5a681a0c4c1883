"""Pure extraction: responses (or HTML and a URL) in, items and links out. No crawling, no I/O."""

from atlantico.extract.article import extract_article, extract_html

__all__ = ["extract_article", "extract_html"]
