"""Under the families: records from any body a list page fetched, and pages that look like lists.

A list no plug-in knows still arrives somehow: as JSON objects carrying a URL and a title (under
``articles``, ``list``, ``data.rows`` … the names differ from CMS to CMS), as an XML datastore, or
as an HTML fragment of ``<li><a>`` items. ``records`` reads all three; the spider runs it over the
rendered DOM and over every XHR/fetch response a rendered page received.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from lxml import etree, html

from crawler.lists import Batch, Page
from crawler.lists.hanweb_jpage import datastore

NAME = "generic"

# Lower-cased keys (a TRS search API answers DOCPUBURL/DOCTITLE, a Vue list docPubUrl/title).
_URL_KEYS = ("url", "post_url", "href", "link", "linkurl", "docpuburl", "docurl", "puburl", "chnldocurl",
             "statichtmlurl", "articleurl", "detailurl", "path")
_TITLE_KEYS = ("title", "name", "doctitle", "gk_doctitle", "articletitle", "docname", "showtitle", "text")
_MORE_KEYS = ("hasMore", "has_more", "more", "hasNext", "hasNextPage")
_TOTAL_KEYS = ("total", "totalCount", "total_count", "count", "recordCount", "totalRecord", "totalElements")
_PAGES_KEYS = ("totalPage", "totalPages", "pageCount", "pages", "totalpage")
_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(?P<body>[\[{].*[\]}])\s*\)\s*;?\s*$", re.S)
_TAGS = re.compile(r"<[^>]+>")


def json_records(text: str, base_url: str) -> Batch | None:
    """Every object with a URL and a title, wherever it sits; None when ``text`` is not JSON.

    A JSONP wrapper (``cb({...})``) is taken off first. Titles may carry highlight markup
    (``<em>年报</em>``) from a search API: it is dropped."""
    m = _JSONP.match(text)
    try:
        data = json.loads(m.group("body") if m else text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        return None
    links: list[tuple[str, str]] = []
    has_more: bool | None = None
    total: int | None = None
    pages: int | None = None
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            lower = {str(k).lower(): v for k, v in node.items()}
            url = next((lower[k] for k in _URL_KEYS if isinstance(lower.get(k), str) and lower[k].strip()), None)
            title = next((lower[k] for k in _TITLE_KEYS if isinstance(lower.get(k), str)), "")
            if url and not url.strip().lower().startswith(("javascript:", "mailto:")):
                links.append((urljoin(base_url, url.strip()), _TAGS.sub("", title).strip()))
            for key in _MORE_KEYS:
                if isinstance(node.get(key), bool):
                    has_more = node[key]
            for key in _TOTAL_KEYS:
                value = node.get(key)
                if total is None and isinstance(value, int | str) and str(value).isdigit() and not isinstance(value, bool):
                    total = int(value)
            for key in _PAGES_KEYS:
                value = node.get(key)
                if pages is None and isinstance(value, int | str) and str(value).isdigit() and not isinstance(value, bool):
                    pages = int(value)
            stack.extend(reversed([v for v in node.values() if isinstance(v, list | dict)]))
    return Batch(links, has_more, total, pages)


def xml_records(text: str, base_url: str) -> Batch | None:
    """A Hanweb-style ``<datastore>`` (HTML fragments in ``<record>``), or any XML whose elements
    hold a url/link child and a title child; None when ``text`` is not XML."""
    head = text.lstrip()[:200].lower()
    if not head.startswith("<?xml") and "<datastore" not in head and "<record" not in head:
        return None
    if "<record" in text:
        links, total = datastore(text, base_url)
        return Batch(links, None, total)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(recover=True, resolve_entities=False))
    except (etree.XMLSyntaxError, ValueError):
        return Batch([])
    found: list[tuple[str, str]] = []
    for el in root.iter() if root is not None else ():
        kids = {str(c.tag).lower(): (c.text or "").strip() for c in el if isinstance(c.tag, str)}
        url = next((kids[k] for k in _URL_KEYS if kids.get(k)), "")
        if url:
            found.append((urljoin(base_url, url), next((kids[k] for k in _TITLE_KEYS if kids.get(k)), "")))
    return Batch(found)


def html_records(text: str, base_url: str) -> Batch:
    """The anchors of an HTML page or fragment, ``javascript:`` and bare fragments left out."""
    try:
        root = html.fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        return Batch([])
    links: list[tuple[str, str]] = []
    for a in root.iter("a") if root is not None else ():
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        links.append((urljoin(base_url, href), (a.get("title") or " ".join(a.itertext())).strip()))
    return Batch(links)


def records(page: Page) -> Batch:
    """Records of any list body: JSON (or JSONP), XML, else HTML."""
    text, base = page.text, page.link_base
    head = text.lstrip()[:1]
    if head in ("{", "[") or _JSONP.match(text[:4000] + text[-50:] if len(text) > 4100 else text):
        found = json_records(text, base)
        if found is not None:
            return found
    found = xml_records(text, base)
    if found is not None:
        return found
    return html_records(text, base)


def next_number(batch: Batch, number: int, per: int | None) -> int | None:
    """The next batch number of a numbered records endpoint, or None once this batch is the last:
    it says so (``hasMore: false``), it is short, or the declared total is reached."""
    if not batch.links:
        return None
    per = per or len(batch.links)
    if batch.has_more is False:
        return None
    if batch.pages is not None:
        return number + 1 if number < batch.pages else None
    if batch.has_more is None and (not batch.total or number * per >= batch.total or len(batch.links) < per):
        return None
    return number + 1


# --- pages that look like lists no plug-in knows -------------------------------------------------

# Scripts that fetch a list: XHR and fetch calls, the list modules of TRS 海云 (``list2.trsapi``),
# Vue/axios clients, JSONP. A page whose scripts do none of these draws nothing after load.
_FETCHING = re.compile(
    r"XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|axios|\.trsapi|listArgs|jsonp|"
    r"\burl\s*:\s*['\"][^'\"]+(?:\.do|\.jsp|\.json|\.action|/api/)",
    re.IGNORECASE,
)
_PAGER_SCRIPT = re.compile(
    r"\b(?:totalPage|pageCount|countPage|recordCount|totalRecord|pageSize|pageNo|currPage|curPage)\b|分页|加载更多|下一页"
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)


def list_signals(page: Page) -> list[str]:
    """Why this page may be a list drawn by script: ``fetching`` (an inline script asks a server
    for data), ``pager`` (a page count or pager words in script). Empty when neither."""
    scripts = " ".join(m.group(1) for m in _SCRIPT.finditer(page.text) if m.group(1).strip())
    signals = []
    if _FETCHING.search(scripts):
        signals.append("fetching")
    if _PAGER_SCRIPT.search(scripts):
        signals.append("pager")
    return signals


# Words of a pager control; a rendered page's controls with one of these texts and no URL are clicked.
PAGER_WORDS = ("下一页", "下页", "后页", "加载更多", "点击加载更多", "查看更多", "更多", ">", "›", "»", "next", "Next")
_ROUTE = re.compile(r"^#!?/?[\w\-/.=&%]*\w$")
_NOT_ROUTES = {"#top", "#", "#main", "#content", "#header", "#footer", "#nav"}


def is_route_fragment(href: str) -> bool:
    """A relative fragment naming a category or route of a script-driven list (``#2656``,
    ``#/xxgk/nb``, ``#!/list/12``), not an in-page jump (``#top``, ``#content``)."""
    href = href.strip()
    if href.lower() in _NOT_ROUTES or not _ROUTE.match(href):
        return False
    body = href.lstrip("#!/")
    return any(c.isdigit() for c in body) or "/" in body


def detect(page: Page) -> bool:
    """A page whose scripts fetch a list or draw a pager: a candidate for the browser."""
    return bool(list_signals(page))


def next_page(page: Page, limits: object) -> list[object]:
    """Nothing to ask for without a browser: the spider renders such a page instead."""
    return []
