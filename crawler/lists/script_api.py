"""Lists a page script fetches from an endpoint it names: the common shapes of hand-written list code.

Most 年报 lists that are not static pages are a few lines of jQuery or ``fetch`` around one endpoint::

    $.getJSON('/was5/web/search', {channelid: 1813, page: p}, render);                     (TRS 海云)
    $.getJSON('/module/api/infolist.jsp?columnid=33&pageNum=' + p, render);                (Hanweb, Jcms)
    fetch('/api/content/list?columnId=7&pageNo=' + p + '&pageSize=10').then(...)           (Vue/axios sites)
    $('#list').load('/ajax/column/list.jsp?colId=9&page=' + n);                            (VSB, HTML fragments)
    $.getJSON('/api/list/more', {colid: b.data('col'), page: b.data('page')}, ...)         ("加载更多")

The endpoint is read off the script: string pieces joined, the page variable marked, values of an
object literal (numbers, strings, ``x.data('col')`` read from the page's ``data-col`` attribute)
made into the query. Its answers are read by ``crawler.lists.generic`` (JSON, XML or HTML), batch
after batch until the source says it is the last one or a batch brings nothing new.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.lists import Batch, Limits, Page, Step, generic

NAME = "script_api"
ANYWHERE = False
FALLBACK = True  # asked only when no family written for the page's CMS asked for anything

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
# A call whose first argument starts with a URL-like string (``$.getJSON('/api/…``, ``fetch('/…``,
# a site's own helper ``nbGet('/ajax/…``, ``x.open('GET', '/…``), or an ``url: '/…'`` option.
_CALL = re.compile(
    r"""(?:\b[A-Za-z_$][\w$.]*\s*\(\s*(?:['"](?:GET|POST)['"]\s*,\s*)?|\burl\s*:\s*)(?=['"](?:https?:|\.{0,2}/))"""
)
_STRING = re.compile(r"""(['"])((?:\\.|(?!\1).)*)\1""")
_PLUS = re.compile(r"\s*\+\s*")
_IDENT = re.compile(r"[A-Za-z_$][\w$.]*(?:\(\s*['\"][\w-]+['\"]\s*\))?")
_PAGE_VARS = {"p", "page", "n", "pn", "pageno", "pagenum", "pageindex", "curpage", "currpage", "cur", "i"}
_PAGE_PARAM = re.compile(r"(?i)(?:^|[?&])(page|pageno|pagenum|pageindex|currpage|curpage|p|pn)=(\d+)")
# What a list endpoint looks like, when no page variable shows it: a query, a server script, an API path.
_ENDPOINT = re.compile(r"\?|\.(?:jsp|do|action|php|aspx?|json|xml)\b|/api/|/was5?/|search|list", re.I)
_ASSETS = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?)(?:$|\?)", re.I)
_VAR_INIT = r"(?:var|let|const)?\s*\b{name}\s*=\s*['\"]?(\d+)"
_DATA_CALL = re.compile(r"""\.(?:data|attr)\(\s*['"](?:data-)?([\w-]+)['"]\s*\)|\.dataset\.(\w+)""")
_MARK = "\x00PAGE\x00"


def _data_attr(text: str, name: str) -> str | None:
    m = re.search(rf"""\bdata-{re.escape(name)}\s*=\s*['"]([^'"]*)['"]""", text)
    return m.group(1) if m else None


def _value(expr: str, page_text: str, script: str) -> str | None:
    """A piece of the URL: a page variable (marked), a number variable's value, a data attribute."""
    expr = expr.strip()
    if expr.startswith("(") and expr.endswith(")"):
        expr = expr[1:-1].strip()
    if m := _DATA_CALL.search(expr):
        name = m.group(1) or re.sub(r"[A-Z]", lambda c: "-" + c.group(0).lower(), m.group(2))
        if name.lower() in ("page", "pageno", "page-no", "pagenum", "page-num", "p"):
            return _MARK + (_data_attr(page_text, name) or "1")
        return _data_attr(page_text, name)
    name = expr.split("+")[0].strip()
    if name.lower() in _PAGE_VARS:
        return _MARK
    if m := re.search(_VAR_INIT.format(name=re.escape(name)), script):
        return m.group(1)
    return None


def _object(args: str, page_text: str, script: str) -> dict[str, str] | None:
    """The literal ``{k: v, …}`` of a call's data argument, values resolved; None if any cannot be."""
    m = re.match(r"\s*,\s*\{([^{}]*)\}", args)
    if not m:
        return {}
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in m.group(1).split(","))):
        key, _, raw = part.partition(":")
        key, raw = key.strip().strip("'\""), raw.strip()
        if not key or not raw:
            return None
        if s := _STRING.fullmatch(raw):
            out[key] = s.group(2)
        elif raw.isdigit():
            out[key] = raw
        elif (v := _value(raw, page_text, script)) is not None:
            out[key] = v
        else:
            return None
    return out


def endpoints(text: str, url: str) -> list[tuple[str, int | None]]:
    """(endpoint URL, page number or None) for every list endpoint the page's scripts fetch."""
    found: list[tuple[str, int | None]] = []
    for sm in _SCRIPT.finditer(text):
        script = sm.group(1)
        for call in _CALL.finditer(script):
            joined = _concatenation(script, call.end(), text)
            if joined is None:
                continue
            pieces, at = joined
            if not pieces or not pieces[0] or _ASSETS.search(pieces[0]):
                continue
            extra = _object(script[at : at + 400], text, script)
            if extra is None:
                continue
            raw = "".join(pieces)
            if extra:
                raw += ("&" if "?" in raw else "?") + "&".join(f"{k}={v}" for k, v in extra.items())
            if _MARK not in raw and not _ENDPOINT.search(raw):
                continue  # a template or a page fragment, not a list
            number: int | None = None
            if _MARK in raw:
                m = re.search(re.escape(_MARK) + r"(\d*)", raw)
                number = int(m.group(1)) if m and m.group(1) else _start(script)
                raw = re.sub(re.escape(_MARK) + r"\d*", str(number), raw)
            target = urljoin(url, raw)
            if urlsplit(target).scheme in ("http", "https") and (target, number) not in found:
                found.append((target, number))
    return found


def _concatenation(script: str, at: int, text: str) -> tuple[list[str], int] | None:
    """The pieces of a string concatenation (``"a" + x + "b"``) starting at ``at``, variables read
    off the page, and where it ends; None when a variable's value cannot be found."""
    pieces: list[str] = []
    while True:
        s = _STRING.match(script, at)
        if s:
            pieces.append(s.group(2))
            at = s.end()
        else:
            ident = _IDENT.match(script, at)
            value = _value(ident.group(0), text, script) if ident else None
            if ident is None or value is None:
                return None
            pieces.append(value)
            at = ident.end()
        plus = _PLUS.match(script, at)
        if not plus or plus.end() == at:
            return pieces, at
        at = plus.end()


def _start(script: str) -> int:
    m = re.search(r"\b(?:var|let)\s+(?:p|page|pageNo|pageNum|pageIndex|n|cur|curPage|currPage)\s*=\s*(\d+)", script)
    return int(m.group(1)) if m else 1


def detect(page: Page) -> bool:
    return page.number is not None or bool(endpoints(page.text, page.url))


def with_page(url: str, number: int) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    done = False
    out = []
    for k, v in query:
        if not done and _PAGE_PARAM.match(f"{k}={v}"):
            v, done = str(number), True
        out.append((k, v))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(out), ""))


def next_page(page: Page, limits: Limits) -> list[Step]:
    if page.number is None:
        if page.base:
            return []  # a records response asked for once
        return [Step(u, NAME, True, n) for u, n in endpoints(page.text, page.url)]
    batch = records(page)
    if not batch.links or batch.has_more is False or page.number >= limits.max_pages:
        return []
    if batch.pages is not None and page.number >= batch.pages:
        return []
    per = page.per or len(batch.links)
    if batch.total is not None and page.number * per >= batch.total:
        return []
    # Nothing says this was the last batch: ask for the next; the walk stops at one with nothing new.
    return [Step(with_page(page.url, page.number + 1), NAME, True, page.number + 1, page.per)]


def records(page: Page) -> Batch:
    return generic.records(page)
