""""加载更多" lists: the first items inline, the rest from a JSON endpoint asked batch by batch.

The button's script builds the endpoint by concatenation (``'/api/list/more?colid=gknb&page=' +
page``); batches follow until one says ``hasMore: false``, comes short, or brings nothing new.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.lists import Batch, Limits, Page, Step
from crawler.lists.generic import json_records, next_number

NAME = "load_more"
ANYWHERE = False
_PAGE_PARAM = r"(?:page|pageNo|pageNum|pageIndex|currPage|p)"
# A whole endpoint in one string up to its page parameter: '/api/list/more?colid=gknb&page=' + page
# (a piece like '&page=' after other pieces is script_api's to read).
_ENDPOINT = re.compile(rf"""['"](?P<base>(?:https?:|\.{{0,2}}/)[^'"\s?]*\?(?:[^'"\s]*&)?{_PAGE_PARAM}=)['"]\s*\+""")


def detect(page: Page) -> bool:
    return page.number is not None or (
        ("加载更多" in page.text or "loadMore" in page.text) and bool(_ENDPOINT.search(page.text))
    )


def endpoint(text: str, url: str, number: int = 2) -> str | None:
    """The endpoint of the ``number``-th batch, as the button's script builds it."""
    if "加载更多" not in text and "loadMore" not in text:
        return None
    m = _ENDPOINT.search(text)
    return urljoin(url, m.group("base") + str(number)) if m else None


def with_page(url: str, number: int) -> str:
    """The same endpoint asking for another batch."""
    return re.sub(rf"([?&]{_PAGE_PARAM}=)\d+", rf"\g<1>{number}", url, count=1)


def next_page(page: Page, limits: Limits) -> list[Step]:
    if page.number is not None:
        number = next_number(records(page), page.number, page.per)
        return [] if number is None else [Step(with_page(page.url, number), NAME, True, number, page.per)]
    url = endpoint(page.text, page.url, 2)  # the page itself shows the first batch
    return [Step(url, NAME, True, 2)] if url else []


def records(page: Page) -> Batch:
    return json_records(page.text, page.link_base) or Batch([])
