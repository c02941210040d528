"""How a 年报 column's list reaches the browser, one function per delivery (``DELIVERIES``).

Each takes the column's items and registers the pages, scripts and endpoints that serve them,
records every list URL in ``web.list_urls`` (a list is never a report) and returns the path a
parent page links to (maybe with a ``#category`` fragment). Shapes modelled on real portals: TRS
``createPageHTML``, Hanweb jpage ``dataproxy.jsp`` datastore XML and ``pageNum`` pagers, gkmlpt's
SID-keyed JSON API, VSB ``list.jsp``, "加载更多" JSON, HTML fragments loaded by jQuery.
"""

from __future__ import annotations

import json

from tests.portal.model import Response
from tests.portal.random.kit import RandKit, relative
from tests.portal.random.publish import Item
from tests.portal.sitekit import esc
from tests.portal.sites import TRS_PAGER_JS

Crumbs = list[tuple[str, str]]


def _chunks(items: list[Item], per: int) -> list[list[Item]]:
    items = sorted(items, key=lambda it: it.when, reverse=True)
    return [items[i:i + per] for i in range(0, len(items), per)] or [[]]


def _href(kit: RandKit, page: str, target: str) -> str:
    return relative(page, target) if kit.d.relative else target


def _li(kit: RandKit, page: str | None, it: Item, style: str = "a") -> str:
    """One entry; ``page``: the page it sits on (links may be written relative to it), None in an
    API's answer (whose links are site paths: a browser would resolve them against the list page)."""
    href = esc(_href(kit, page, it.href) if page else it.href)
    title, date = esc(it.title), f"{it.when:%Y-%m-%d}"
    if style == "data":
        return (f'<li class="list-item" data-href="{href}" data-title="{title}" data-date="{date}">'
                f'<span class="title">{title}</span><span class="date">{date}</span></li>')
    if style == "onclick":
        call = kit.rng.choice([f"openArticle('{href}')", f"window.open('{href}','_blank')",
                               f"goDetail('{href}', this)"])
        return (f'<li><a href="javascript:void(0);" onclick="{call}" title="{title}">{title}</a>'
                f'<span>{date}</span></li>')
    return f'<li><a href="{href}" target="_blank" title="{title}">{title}</a><span>{date}</span></li>'


def _list_page(kit: RandKit, path: str, column: str, crumbs: Crumbs, items_html: str, pager: str = "",
               head: str = "") -> None:
    kit.list_page(path, column, crumbs, items_html, pager, head_extra=head)
    kit.web.list_urls.add(kit.url(path))


def _html_response(kit: RandKit, text: str) -> Response:
    ctype = "text/html; charset=utf-8" if kit.s.encoding == "utf-8" else "text/html"
    return Response(200, ctype, text.encode(kit.s.encoding, "xmlcharrefreplace"))


def _json(data: object, status: int = 200) -> Response:
    return Response(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode())


def _int(q: dict[str, list[str]], name: str, default: int) -> int:
    raw = (q.get(name) or [""])[0]
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def _static_pager(kit: RandKit, paths: list[str], n: int) -> str:
    here = paths[n]
    links = [f'<a href="{_href(kit, here, paths[0])}">首页</a>']
    if n > 0:
        links.append(f'<a href="{_href(kit, here, paths[n - 1])}">上一页</a>')
    if n < len(paths) - 1:
        links.append(f'<a href="{_href(kit, here, paths[n + 1])}">下一页</a>')
    links.append(f'<a href="{_href(kit, here, paths[-1])}">尾页</a>')
    return f'<div class="page">{" ".join(links)} 共{len(paths)}页</div>'


# ------------------------------------------------------------------------------------ static pages

def _paged(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item], style: str) -> str:
    chunks = _chunks(items, kit.d.per_page)
    paths = [kit.list_page_path(col, n, len(chunks)) for n in range(len(chunks))]
    for n, chunk in enumerate(chunks):
        lis = "\n".join(_li(kit, paths[n], it, style) for it in chunk)
        script = ""
        if style == "data":
            script = ("<script>document.addEventListener('click', function(e){"
                      "var li = e.target.closest('.list-item'); if (li) { window.open(li.dataset.href); }});</script>")
        elif style == "onclick":
            script = ("<script>function openArticle(u){ window.open(u); }"
                      "function goDetail(u, el){ location.href = u; }</script>")
        _list_page(kit, paths[n], column, crumbs, lis, _static_pager(kit, paths, n) + script)
    return paths[0]


def static(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    return _paged(kit, col, column, crumbs, items, "a")


def data_attr(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    return _paged(kit, col, column, crumbs, items, "data")


def onclick(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    return _paged(kit, col, column, crumbs, items, "onclick")


# ------------------------------------------------------------------------------------ script pagers

def _query_pages(kit: RandKit, path: str, param: str, texts: list[str], *, past_end_last: bool = True) -> None:
    """Serve ``path?…&param=N`` (1-based) from ``texts``; past the end: the last page (Hanweb does)."""

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        n = _int(q, param, 1)
        if n > len(texts) and not past_end_last:
            return Response(404, "text/html; charset=utf-8", b"<h1>404</h1>")
        return _html_response(kit, texts[min(n, len(texts)) - 1])

    kit.web.handlers[(kit.s.host, path)] = handler
    kit.web.list_urls.add(kit.url(path))


def _render_list(kit: RandKit, path: str, column: str, crumbs: Crumbs, lis: str, pager: str, head: str = "") -> str:
    """A list page's HTML without registering it (served by a handler)."""
    main = (f'<div class="column"><div class="col-title">{esc(column)}</div>\n'
            f'<ul class="list">\n{lis}\n</ul>\n{pager}</div>')
    return kit.frame(column, crumbs, main, head_extra=head)


def script_pager(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    chunks = _chunks(items, kit.d.per_page)
    count, cms = len(chunks), kit.d.cms
    if cms in ("hanweb", "jcms"):  # index.html?uid=…&pageNum=N, the pager only in script
        path, uid = f"{col}index.html", kit.rng.randint(1000, 9999)
        texts = []
        for n, chunk in enumerate(chunks):
            lis = "\n".join(_li(kit, path, it) for it in chunk)
            pager = (f'<div id="pager"></div><script>var totalRecord = {len(items)}; var perPage = {kit.d.per_page};'
                     f'var currentPage = {n + 1}; var totalPage = Math.ceil(totalRecord / perPage);'
                     "var out = '';for (var i = 1; i <= totalPage; i++) {"
                     f"out += (i == currentPage) ? '<b>' + i + '</b> ' : '<a href=\"?uid={uid}&pageNum=' + i + '\">' + i + '</a> ';}}"
                     "document.getElementById('pager').innerHTML = out;</script>")
            texts.append(_render_list(kit, path, column, crumbs, lis, pager))
        _query_pages(kit, path, "pageNum", texts)
        return path
    if cms == "vsb":  # first page static; the rest through list.jsp?…&PAGENUM=N written by script
        first = kit.list_page_path(col, 0, count)
        tree = kit.rng.randint(1000, 9999)
        texts = []
        for n, chunk in enumerate(chunks):
            lis = "\n".join(_li(kit, first if n == 0 else "/list.jsp", it) for it in chunk)
            pager = (f'<script>var totalpage = {count}; var cur = {n + 1};'
                     "for (var i = 1; i <= totalpage; i++) { if (i == cur) { document.write('<span>' + i + '</span>'); }"
                     "else { document.write('<a href=\"/list.jsp?totalpage=' + totalpage + '&PAGENUM=' + i + "
                     f"'&urltype=tree.TreeTempUrl&wbtreeid={tree}\">' + i + '</a>'); }} }}</script>")
            texts.append(_render_list(kit, first, column, crumbs, lis, pager))
        kit.add(first, texts[0])
        kit.web.list_urls.add(kit.url(first))
        _query_pages(kit, "/list.jsp", "PAGENUM", texts)
        return first
    paths = [kit.list_page_path(col, n, count) for n in range(count)]
    ext = kit.s.ext.lstrip(".")
    for n, chunk in enumerate(chunks):
        lis = "\n".join(_li(kit, paths[n], it) for it in chunk)
        if cms == "trs":
            pager = (f'<div class="page"><script type="text/javascript">var countPage = {count};var currentPage = {n};'
                     f'createPageHTML({count}, {n}, "index", "{ext}");</script></div>')
            head = TRS_PAGER_JS
        else:
            first_no = 2 if cms == "static" else 1  # static: index_2.html is page 2; ucap/gkmlpt: index_1
            pager = (f'<div class="pagination"><script>var pageCount = {count}, cur = {n};'
                     "for (var i = 0; i < pageCount; i++) { var name = (i == 0) ? 'index' : "
                     f"'index_' + (i + {first_no - 1}); "
                     f"document.write(i == cur ? '<span>' + (i + 1) + '</span>' : '<a href=\"' + name + '.{ext}\">' + (i + 1) + '</a>'); }}"
                     "</script></div>")
            head = ""
        _list_page(kit, paths[n], column, crumbs, lis, pager, head)
    return paths[0]


# ------------------------------------------------------------------------------------ APIs

def year_folders(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """``/xxgk/gknb/`` lists year folders ``2019/``; each folder lists that year's entries (often one)."""
    index = kit.list_page_path(col, 0, 1)
    years: dict[int, list[Item]] = {}
    for it in items:
        years.setdefault(it.year or it.when.year, []).append(it)
    folders = []
    for year in sorted(years, reverse=True):
        folder = f"{col}{year}/"
        lis = "\n".join(_li(kit, folder, it) for it in _chunks(years[year], 100)[0])
        _list_page(kit, folder, f"{year}年", [*crumbs, (f"{year}年", folder)], lis)
        folders.append(f'<li><a href="{_href(kit, index, folder)}">{year}年</a></li>')
    _list_page(kit, index, column, crumbs, "\n".join(folders))
    return index
