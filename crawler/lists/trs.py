"""TRS WCM / 海云 static columns: ``index.html``, ``index_1.html`` … written by a pager script.

Two script shapes are common. The pager function (``createPageHTML(countPage, currentPage, "index",
"html")``) and the inline pager that writes its links itself from ``var countPage = 2`` with the
page name cut into pieces (``"index"+"_" + i + "."+"html"``: Ordos 恩格贝's 信息公开年报 column).
Either way the column has pages ``index`` and ``index_1`` … ``index_{countPage-1}`` beside it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawler.lists import Batch, Limits, Page, Step

NAME = "trs"
ANYWHERE = False

_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(?P<count>\w+)\s*,\s*(?P<cur>\w+)\s*,\s*['\"](?P<prefix>[\w\-]+)['\"]\s*,\s*['\"](?P<ext>\w+)['\"]"
)
# The page name as the inline pager writes it: "index"+"_" + i + "."+"html", or "index_"+i+".html".
_SPLIT_NAME = re.compile(r"""['"](?P<prefix>[\w\-]+?)_?['"]\s*\+\s*(?:['"]_['"]\s*\+\s*)?\(?\s*\w+""")
_SPLIT_EXT = re.compile(r"""\+\s*['"]\.['"]?\s*\+?\s*['"]?(?P<ext>s?html?)['"]""")


def detect(page: Page) -> bool:
    return "createPageHTML" in page.text or bool(_COUNT_PAGE.search(page.text))


def _pager(text: str, url: str) -> tuple[int, str, str] | None:
    """(page count, file prefix, extension) the pager script states, or None."""
    m = _CREATE_PAGE.search(text)
    if m:
        raw = m.group("count")
        if raw.isdigit():
            return int(raw), m.group("prefix"), m.group("ext")
        cm = re.search(rf"\b{re.escape(raw)}\s*=\s*(\d+)", text) or _COUNT_PAGE.search(text)
        return (int(cm.group(1)), m.group("prefix"), m.group("ext")) if cm else None
    cm = _COUNT_PAGE.search(text)
    if not cm:
        return None
    script = text[cm.start() : cm.start() + 6000]
    name = next((n for n in _SPLIT_NAME.finditer(script) if "_" in script[n.start() : n.end() + 8]), None)
    if name is None:
        return None
    em = _SPLIT_EXT.search(script)
    path_ext = urlsplit(url).path.rsplit(".", 1)[-1] if "." in urlsplit(url).path.rsplit("/", 1)[-1] else ""
    ext = em.group("ext") if em else (path_ext or "html")
    return int(cm.group(1)), name.group("prefix"), ext


def page_urls(text: str, url: str, max_pages: int = 200) -> list[str]:
    """Every page of the column: ``index.ext``, ``index_1.ext`` … as many as the script says."""
    pager = _pager(text, url)
    if pager is None:
        return []
    count, prefix, ext = pager
    count = min(count, max_pages)
    base = urljoin(url, "./")
    return [urljoin(base, f"{prefix}.{ext}")] + [urljoin(base, f"{prefix}_{i}.{ext}") for i in range(1, count)]


def next_page(page: Page, limits: Limits) -> list[Step]:
    return [Step(u, NAME) for u in page_urls(page.text, page.url, limits.max_pages)]


def records(page: Page) -> Batch:
    """The pages are HTML lists: the spider reads their links like any page's."""
    return Batch([])
