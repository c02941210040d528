"""The bare baseline: fetch a fixed list of URLs and do nothing with them.

``scrapy runspider bench/bare_spider.py -a urls=FILE`` where FILE holds one URL per line (the URLs
the full crawl fetched, from the portal's request log). Run outside the project (no
SCRAPY_SETTINGS_MODULE) so no pipeline, middleware, extension or browser handler is loaded; the
concurrency settings come in with ``-s`` from bench/crawl.py, equal to settings.demo's.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # robots.txt is in the URL list when the full crawl fetched it
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,  # 404s and soft errors cost a fetch like any other page
        "REDIRECT_ENABLED": False,
        "RETRY_ENABLED": False,
    }

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_file = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.cpu_at_start = time.process_time()
        for line in Path(self.url_file).read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield scrapy.Request(line.strip(), callback=self.parse, dont_filter=True)

    def parse(self, response: Response) -> None:
        return None

    def closed(self, reason: str) -> None:
        # Its CPU from the first request to the close, as the full crawl's nianbao/crawler_cpu_s
        # (the stats are dumped after this): the bench's ceiling counts it as work any crawler does.
        self.crawler.stats.set_value("bare/cpu_s", round(time.process_time() - self.cpu_at_start, 3))
