"""Scrapy extensions: what happens around a run rather than to one item."""
