"""Downloader middleware of the ``reports`` spider: stop wandering once the 年报 list is found.

Navigation links are queued with their score (anchor text and URL tokens, ``crawler.links``); the
年报 column and its items are fetched first. Once an agency's list has given reports, the weaker
navigation still queued (法定主动公开内容, 网站地图, pages named by URL tokens only: score below
``NIANBAO_FOCUS_NAV_SCORE``) can only lead to another list by luck, and is dropped before it is
fetched. Pages named 政府信息公开 or 信息公开目录 (where a second list may hide) still go. 0 disables.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

UNFOCUSED = "nianbao_unfocused"  # meta flag: a request dropped here (not a failure)


class FocusMiddleware:
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Any) -> FocusMiddleware:
        return cls(crawler.settings.getfloat("NIANBAO_FOCUS_NAV_SCORE", 28.0))

    def process_request(self, request: Request, spider: Any = None) -> None:
        meta = request.meta
        if not self.threshold or meta.get("kind") != "nav" or meta.get("home") or meta.get("playwright"):
            return
        site = getattr(spider, "sites", {}).get(meta.get("site", ""))
        if site is None or not getattr(site, "lists_found", 0) or meta.get("score", 100.0) >= self.threshold:
            return
        site.pages -= 1  # the budget counts pages fetched
        spider.crawler.stats.inc_value("nianbao/refused/focus")
        meta[UNFOCUSED] = True
        raise IgnoreRequest(f"navigation after the list was found: {request.url}")
