"""Scrapy's memory-usage extension, counting the browser's processes too.

Scrapy's ``MemoryUsage`` measures the Scrapy process only. This one adds the RSS of Playwright's
Node driver and of its descendants (the browser), as scrapy-playwright's
``ScrapyPlaywrightMemoryUsageExtension`` means to, with two differences: scrapy-playwright 0.0.48
finds the driver through a private attribute that Playwright 1.65 no longer has
(``PlaywrightContextManager._connection``) and then counts no browser at all, silently; here
the driver is found as what it is, this process's only child. And it does not import
scrapy-playwright (nor Playwright) to do so: a run that renders nothing never loads them.
``memusage/max``, ``MEMUSAGE_WARNING_MB`` and ``MEMUSAGE_LIMIT_MB`` then count the browser.
Installed by :mod:`atlantico.addons.render` in place of Scrapy's ``MemoryUsage``.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from importlib import import_module
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.extensions.memusage import MemoryUsage

logger = logging.getLogger(__name__)


class BrowserMemoryUsage(MemoryUsage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.psutil = import_module("psutil")
        except ImportError as exc:  # pragma: no cover - a pinned requirement
            raise NotConfigured("The psutil module is not available") from exc

    def _get_main_process_ids(self) -> list[int]:
        return [child.pid for child in self.psutil.Process().children()]

    def _get_descendant_processes(self, process: Any) -> list[Any]:
        # Chromium starts and ends helper processes all the time: one that exits between
        # being listed and being asked for its children is simply gone (scrapy-playwright
        # 0.0.48 lets psutil.NoSuchProcess escape and the memory check logs an ERROR).
        try:
            children = process.children()
        except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
            return []
        result = list(children)
        for child in children:
            result.extend(self._get_descendant_processes(child))
        return result

    def _get_total_playwright_process_memory(self) -> int:
        processes = []
        for pid in self._get_main_process_ids():
            with suppress(Exception):
                processes.append(self.psutil.Process(pid))
        for process in list(processes):
            processes.extend(self._get_descendant_processes(process))
        total = 0
        for process in processes:
            with suppress(Exception):  # it may have exited in the meantime
                total += process.memory_info().rss
        logger.debug("Browser processes' memory: %d bytes", total)
        return total

    def get_virtual_size(self) -> int:
        size: int = super().get_virtual_size() + self._get_total_playwright_process_memory()
        return size
