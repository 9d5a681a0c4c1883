"""scrapy-playwright's memory-usage extension, counting the browser whatever Playwright's version.

Scrapy's ``MemoryUsage`` measures the Scrapy process only; scrapy-playwright's replacement adds
the RSS of Playwright's Node driver and of its descendants (the browser). scrapy-playwright
0.0.48 finds the driver through a private attribute that Playwright 1.65 no longer has
(``PlaywrightContextManager._connection``): it then counts no browser at all, silently. The
driver is this process's only child, so it is found here as a child; the rest (descendants,
``memusage/max``, ``MEMUSAGE_WARNING_MB``, ``MEMUSAGE_LIMIT_MB``) is scrapy-playwright's.
Installed by :mod:`atlantico.addons.render` in place of Scrapy's ``MemoryUsage``.
"""

from __future__ import annotations

from typing import Any

from scrapy_playwright.memusage import ScrapyPlaywrightMemoryUsageExtension


class BrowserMemoryUsage(ScrapyPlaywrightMemoryUsageExtension):
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
