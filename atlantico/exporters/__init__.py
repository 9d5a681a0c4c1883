"""Feed formats and item filters for Scrapy's feed exports (``FEED_EXPORTERS``, ``FEEDS``)."""
