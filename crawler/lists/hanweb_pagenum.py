"""Hanweb static paging: ``index.html?uid=U&pageNum=N``, the pager itself drawn by script.

The page states its size as ``totalPage`` (or ``totalRecord`` / ``perPage``) in the pager script;
without it only the next page is asked for, and the walk stops at the first page that brings
nothing new (past the end such columns answer with their last page again).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.lists import Batch, Limits, Page, Step

NAME = "hanweb_pagenum"
ANYWHERE = False

_UID = re.compile(r"""\buid\s*[=:]\s*['"]?(\d+)""")
_PAGES = re.compile(r"""\b(?:totalPage|pageCount|countPage)\s*[=:]\s*['"]?(\d+)""")
_RECORDS = re.compile(r"""\btotalRecord\s*[=:]\s*['"]?(\d+)""")
_PER = re.compile(r"""\bperPage\s*[=:]\s*['"]?(\d+)""")


def detect(page: Page) -> bool:
    return "pageNum" in page.text or "pageNum=" in urlsplit(page.url).query


def page_urls(text: str, url: str, max_pages: int = 200) -> tuple[list[str], bool]:
    """The column's pages, and whether the count was stated (False: only the next page)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "pageNum" not in text and "pageNum" not in query:
        return [], False
    uid = query.get("uid") or next((m.group(1) for m in _UID.finditer(text)), None)
    if not uid:
        return [], False
    current = int(query["pageNum"]) if query.get("pageNum", "").isdigit() else 1
    pages: int | None = None
    if m := _PAGES.search(text):
        pages = int(m.group(1))
    elif (rm := _RECORDS.search(text)) and (pm := _PER.search(text)):
        pages = -(-int(rm.group(1)) // max(1, int(pm.group(1))))
    wanted = range(1, min(pages, max_pages) + 1) if pages is not None else range(current + 1, current + 2)

    def at(n: int) -> str:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({**query, "uid": uid, "pageNum": n}), ""))

    return [at(n) for n in wanted if n <= max_pages], pages is not None


def next_page(page: Page, limits: Limits) -> list[Step]:
    urls, stated = page_urls(page.text, page.url, limits.max_pages)
    return [Step(u, NAME, until_empty=not stated) for u in urls]


def records(page: Page) -> Batch:
    return Batch([])
