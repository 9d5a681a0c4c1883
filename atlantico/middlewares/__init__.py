"""Downloader middlewares, one per module: what the crawler does about faults and hostile servers.

The order they run in, and why, is in ``settings.DOWNLOADER_MIDDLEWARES``; what each fault
leads to, and which stat counts it, is in docs/RELIABILITY.md. One spider middleware,
:mod:`~atlantico.middlewares.release`, lets each page's parsed tree go once it is read.
"""
