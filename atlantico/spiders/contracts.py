"""Contracts for ``scrapy check atlantico`` (registered in ``SPIDER_CONTRACTS``).

``@site_url PATH`` requests ``ATLANTICO_CHECK_BASE_URL`` + PATH (default: ``ATLANTICO_BASE_URL``),
so the same docstrings check the live site, a mirror, or the offline replica::

    python -m tests.replica serve --port 8765 &
    scrapy check atlantico -s ATLANTICO_CHECK_BASE_URL=http://127.0.0.1:8765 \\
        -s ATLANTICO_BASE_URL=http://127.0.0.1:8765 -s ATLANTICO_ALLOW_PRIVATE_HOSTS=True

``@finds_sections`` fails unless the page linked every wanted section; ``@lists_articles N``
fails unless the listing callback found at least N article links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class _SpiderContract(Contract):
    def __init__(self, method: Callable[..., Any], *args: Any) -> None:
        super().__init__(method, *args)
        self.method = method

    @property
    def spider(self) -> Any:
        return self.method.__self__  # type: ignore[attr-defined]


class SiteUrlContract(_SpiderContract):
    """``@site_url /path``: the sample URL, relative to the base URL checks run against;
    ``@site_url SETTING_NAME``: the path is that setting's value."""

    name = "site_url"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        settings = self.spider.crawler.settings
        base = settings.get("ATLANTICO_CHECK_BASE_URL") or settings.get("ATLANTICO_BASE_URL")
        path = self.args[0]
        if path.isupper():  # a setting's name: the path is configurable (an article's URL)
            path = settings.get(path)
        args["url"] = base.rstrip("/") + "/" + path.lstrip("/")
        return args


class FindsSectionsContract(_SpiderContract):
    """``@finds_sections``: every wanted section's link was found on the page."""

    name = "finds_sections"

    def post_process(self, output: list[Any]) -> None:
        spider = self.spider
        missing = list(spider.run.search.missing())
        if missing:
            raise ContractFail(f"no link found for section(s) {missing}")


class ListsArticlesContract(_SpiderContract):
    """``@lists_articles N``: the listing page gave at least N article links."""

    name = "lists_articles"

    def post_process(self, output: list[Any]) -> None:
        wanted = int(self.args[0]) if self.args else 1
        got = self.spider.run.walks.listed_count()
        if got < wanted:
            raise ContractFail(f"{got} article links listed, expected at least {wanted}")
