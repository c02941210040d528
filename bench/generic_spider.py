"""The generic peer: a Scrapy ``CrawlSpider`` that follows every in-scope link and keeps what says 年报.

``scrapy runspider bench/generic_spider.py -a seeds=CSV -a budget=N -a out=FILE`` with the seed list
of the web under test (agency,url,…,domains). What a user would write without nianbao: one Rule,
every link inside the seeds' domains followed (robots.txt obeyed, Scrapy's default order), at most
``budget`` distinct URLs asked of each host; a page is kept when its ``<title>`` or the text of the
link that led to it matches ``KEEP`` (the attachments of a list carry no title of their own), and
trafilatura extracts every kept HTML page. One JSON line per kept page goes to ``out``.
Run outside the project (no SCRAPY_SETTINGS_MODULE); concurrency comes in with ``-s``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

# What a generic crawler can ask of a title: the word itself or the long form of its name.
KEEP = re.compile(r"年报|年度报告")


class GenericSpider(CrawlSpider):
    name = "generic"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_ENABLED": False,
    }

    def __init__(self, seeds: str = "", budget: str = "100", out: str = "", **kwargs: Any) -> None:
        rows = list(csv.DictReader(Path(seeds).read_text(encoding="utf-8").splitlines()))
        self.start_urls = [r["url"] for r in rows]
        self.allowed_domains = sorted({d for r in rows for d in (r.get("domains") or "").split() if d}
                                      | {urlsplit(r["url"]).hostname or "" for r in rows} - {""})
        # Every file type too: a report is as often a PDF or DOCX as a page.
        self.rules = (Rule(LinkExtractor(allow_domains=self.allowed_domains, deny_extensions=[]),
                           callback="parse_item", follow=True, process_request="within_budget"),)
        self.budget = int(budget)
        self.asked: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.out = open(out, "w", encoding="utf-8") if out else None  # noqa: SIM115 - closed in closed()
        super().__init__(**kwargs)

    def within_budget(self, request: Request, response: Response) -> Request | None:
        """At most ``budget`` distinct URLs of one host (a repeat costs nothing: the dupe filter drops it)."""
        if request.url in self.seen:
            return request
        host = urlsplit(request.url).hostname or ""
        if self.asked[host] >= self.budget:
            return None
        self.asked[host] += 1
        self.seen.add(request.url)
        return request

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            self.asked[urlsplit(url).hostname or ""] += 1
            self.seen.add(url)
            yield Request(url, callback=self._parse, dont_filter=True)

    def parse_item(self, response: Response) -> None:
        title = ""
        if isinstance(response, TextResponse):
            title = (response.xpath("//title/text()").get() or "").strip()
        link_text = str(response.meta.get("link_text") or "").strip()
        if not (KEEP.search(title) or KEEP.search(link_text)):
            return
        text = None
        if isinstance(response, TextResponse):
            text = trafilatura.extract(response.text, url=response.url, include_tables=True)
        if self.out:
            self.out.write(json.dumps({"url": response.url, "title": title or link_text,
                                       "chars": len(text or "")}, ensure_ascii=False) + "\n")

    def closed(self, reason: str) -> None:
        if self.out:
            self.out.close()
