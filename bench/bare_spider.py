"""The bare baseline: fetch a fixed list of URLs and do nothing with them.

``scrapy runspider bench/bare_spider.py -a urls=FILE`` where FILE holds one URL per line (the URLs
the full crawl fetched, from the portal's request log). Run outside the project (no
SCRAPY_SETTINGS_MODULE) so no pipeline, middleware, extension or browser handler is loaded; the
concurrency settings come in with ``-s`` from bench/crawl.py, equal to settings.demo's.
"""

from __future__ import annotations

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
        for line in Path(self.url_file).read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield scrapy.Request(line.strip(), callback=self.parse, dont_filter=True)

    def parse(self, response: Response) -> None:
        return None
