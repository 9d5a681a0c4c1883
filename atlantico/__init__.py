"""Atlantico crawler: High-tech and Décryptages articles of atlantico.fr as clean JSON Lines."""

__version__ = "0.1.0"

# The Python API (atlantico/api.py), imported on first use: `import atlantico` stays light.
__all__ = ["CrawlResult", "crawl", "extract_html"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from atlantico import api

        return getattr(api, name)
    raise AttributeError(f"module 'atlantico' has no attribute {name!r}")
