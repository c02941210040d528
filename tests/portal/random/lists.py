"""How a 年报 column's list reaches the browser, one function per delivery (``DELIVERIES``).

Each takes the column's items and registers the pages, scripts and endpoints that serve them,
records every list URL in ``web.list_urls`` (a list is never a report) and returns the path a
parent page links to (maybe with a ``#category`` fragment). Shapes modelled on real portals: TRS
``createPageHTML``, Hanweb jpage ``dataproxy.jsp`` datastore XML and ``pageNum`` pagers, gkmlpt's
SID-keyed JSON API, VSB ``list.jsp``, "加载更多" JSON, HTML fragments loaded by jQuery.
"""

from __future__ import annotations

import json
from collections.abc import Callable

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


def _li(kit: RandKit, page: str, it: Item, style: str = "a") -> str:
    href = esc(_href(kit, page, it.href))
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
            script = ("<script>$(document).on('click', '.list-item', function(){"
                      "window.open($(this).data('href'));});</script>")
        elif style == "onclick":
            script = ("<script>function openArticle(u){window.open(u);}"
                      "function goDetail(u, el){location.href=u;}</script>")
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

def _records(kit: RandKit, items: list[Item]) -> list[dict[str, str]]:
    full = kit.rng.random() < 0.3  # some APIs answer full URLs, most site paths
    return [{"title": it.title, "url": kit.url(it.href) if full else it.href, "date": f"{it.when:%Y-%m-%d}"}
            for it in sorted(items, key=lambda it: it.when, reverse=True)]


def _shell(kit: RandKit, path: str, column: str, crumbs: Crumbs, body: str, script: str, head: str = "") -> None:
    main = f'<div class="column"><div class="col-title">{esc(column)}</div>\n{body}\n</div>\n{script}'
    kit.add(path, kit.frame(column, crumbs, main, head_extra=head))
    kit.web.list_urls.add(kit.url(path))


def json_api(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    recs, per, colid = _records(kit, items), kit.d.per_page, kit.colid(col)
    path = kit.list_page_path(col, 0, 1)
    cms = kit.d.cms
    if cms == "trs":
        api, page_key = "/was5/web/search", "page"
        shape = lambda chunk, n, pages: {"total": len(recs), "pages": pages,  # noqa: E731
                                         "docs": [{"title": r["title"], "url": r["url"], "time": r["date"]} for r in chunk]}
        call = f"$.getJSON('/was5/web/search', {{channelid: {colid}, page: p}}, render);"
    elif cms in ("hanweb", "jcms"):
        api, page_key = "/module/api/infolist.jsp", "pageNum"
        shape = lambda chunk, n, pages: {"totalPage": pages,  # noqa: E731
                                         "list": [{"title": r["title"], "link": r["url"], "date": r["date"]} for r in chunk]}
        call = f"$.getJSON('/module/api/infolist.jsp?columnid={colid}&pageNum=' + p, render);"
    else:
        api, page_key = "/api/content/list", "pageNo"
        shape = lambda chunk, n, pages: {"code": 0, "data": {"total": len(recs), "rows": [  # noqa: E731
            {"title": r["title"], "url": r["url"], "publishDate": r["date"]} for r in chunk]}}
        call = (f"fetch('/api/content/list?columnId={colid}&pageNo=' + p + '&pageSize={per}')"
                ".then(function(r){return r.json();}).then(render);")

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        n = _int(q, page_key, 1)
        pages = max(1, -(-len(recs) // per))
        return _json(shape(recs[(n - 1) * per:n * per], n, pages))

    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    script = ("<script>var p = 1; function render(data){ /* rows into #doclist, pager into #pages */ }"
              f"function go(n){{ p = n; {call} }} go(1);</script>")
    _shell(kit, path, column, crumbs, '<ul id="doclist"></ul><div id="pages"></div>', script)
    return path


def xml_api(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """Hanweb jpage: the first records inline in a ``<datastore>``, the rest from dataproxy.jsp."""
    path, per, colid = kit.list_page_path(col, 0, 1), kit.d.per_page, kit.colid(col)
    root = kit.jcms_root if kit.d.cms == "jcms" else ""
    proxy = f"{root}/module/web/jpage/dataproxy.jsp"
    records = [_li(kit, path, it) for it in sorted(items, key=lambda it: it.when, reverse=True)]
    params = f"col=1&appid=1&webid={kit.rng.randint(1, 99)}&path=%2F&columnid={colid}&sourceContentType=1&unitid={kit.rng.randint(10000, 99999)}&permissiontype=0"
    inline = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:per])
    datastore = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{proxy}?page=1&{esc(params)}">'
                 f"</a>]]></nextgroup><recordset>{inline}</recordset></datastore></script>")
    script = ("<script>var dataStore = document.currentScript; $('#jpage').jpage({dataStore: dataStore, "
              f"containerSelector: '#{colid}', proxyUrl: '{proxy}', perPage: {per}, totalRecord: {len(records)}, "
              f"ajaxParam: '{params}'}});</script>")

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        start = _int(q, "startrecord", 1)
        end = _int(q, "endrecord", start + per - 1)
        chosen = records[start - 1:end]
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(records)}</totalrecord>'
               f"<totalpage>{max(1, -(-len(records) // per))}</totalpage><recordset>"
               + "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen) + "</recordset></datastore>")
        return Response(200, "text/xml; charset=utf-8", xml.encode())

    kit.web.handlers[(kit.s.host, proxy)] = handler
    kit.web.list_urls.add(kit.url(proxy))
    _shell(kit, path, column, crumbs, f'<div id="{colid}">{datastore}</div><div id="jpage"></div>', script)
    return path


def fragment_api(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """The list page holds nothing; jQuery ``.load()`` brings ``<li>`` fragments page by page."""
    path, per, colid = kit.list_page_path(col, 0, 1), kit.d.per_page, kit.colid(col)
    api = "/ajax/column/list.jsp"
    chunks = _chunks(items, per)

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        n = min(_int(q, "page", 1), len(chunks))
        lis = "".join(_li(kit, api, it) for it in chunks[n - 1])
        return _html_response(kit, f'{lis}<div class="pager" data-total="{len(chunks)}" data-page="{n}"></div>')

    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    script = (f"<script>var page = 1; function show(n){{ $('#list').load('{api}?colId={colid}&page=' + n); }}"
              "$('#next').on('click', function(){ show(++page); }); show(1);</script>")
    _shell(kit, path, column, crumbs, '<ul id="list"></ul><a id="next" href="javascript:;">下一页</a>', script)
    return path


def load_more(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    path, per, colid = kit.list_page_path(col, 0, 1), kit.d.per_page, kit.colid(col)
    recs = _records(kit, items)
    api = "/api/list/more"
    first = "\n".join(_li(kit, path, it) for it in _chunks(items, per)[0])

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        n = _int(q, "page", 2)
        chunk = recs[(n - 1) * per:n * per]
        return _json({"hasMore": n * per < len(recs), "page": n,
                      "items": [{"title": r["title"], "href": r["url"], "date": r["date"]} for r in chunk]})

    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    more = (f'<a id="loadMore" class="load-more" href="javascript:;" data-col="{colid}" data-page="2">加载更多</a>'
            if len(recs) > per else "")
    script = (f"<script>$('#loadMore').on('click', function(){{ var b = $(this); $.getJSON('{api}', "
              "{colid: b.data('col'), page: b.data('page')}, function(r){ /* append r.items */ "
              "b.data('page', r.page + 1); if (!r.hasMore) b.remove(); }); });</script>")
    _shell(kit, path, column, crumbs, f'<ul id="list">{first}</ul>{more}', script)
    return path


def split_key(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """gkmlpt-style: a JSON API keyed by a SID and a category id. The SID sits in a script of the
    key page (or a script file it loads); the category ids are fragment links ``href="#2656"`` on
    the key page, or only in the parent's link to it (``../gkmlpt/index#2656``)."""
    sid, cat = f"{kit.rng.getrandbits(32):08x}", kit.rng.randint(2000, 3999)
    gk = kit.d.cms == "gkmlpt"
    key_page = "/gkmlpt/index" if gk else kit.list_page_path(col, 0, 1)
    api = f"/gkmlpt/api/all/{cat}" if gk else f"/api/openinfo/{cat}/list"
    recs, per = _records(kit, items), 10 if gk else kit.d.per_page

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        if (q.get("sid") or q.get("key") or [""])[0] != sid:
            return _json({"error": "invalid sid"}, 403)
        n = _int(q, "page", 1)
        chunk = recs[(n - 1) * per:n * per]
        if gk:
            return _json({"total": len(recs), "page": n, "articles": [
                {"title": r["title"], "url": r["url"], "created_at": r["date"] + " 09:00:00"} for r in chunk]})
        return _json({"count": len(recs), "items": [{"name": r["title"], "link": r["url"], "date": r["date"]}
                                                     for r in chunk]})

    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    config = (f"window._CONFIG = {{SID: '{sid}', API_BASE: '{'/gkmlpt/api/all/' if gk else '/api/openinfo/'}', "
              f"SITE_NAME: '{kit.s.agency}'}};")
    if kit.d.split == "key_in_script_file":
        js = key_page.rsplit("/", 1)[0] + "/js/config.js"
        kit.add_bytes(js, "application/javascript; charset=utf-8", config.encode())
        head = f'<script src="{relative(key_page, js)}"></script>'
    else:
        head = f"<script>{config}</script>"
    others = [(kit.rng.randint(4000, 4999), "政府信息公开指南"), (kit.rng.randint(5000, 5999), "政策文件")]
    tree_cats = [] if kit.d.split == "cats_on_other_page" else [(cat, column), *others]
    if kit.d.split == "cats_on_other_page":
        tree_cats = others
    tree = "".join(f'<li><a href="#{c}">{esc(name)}</a></li>' for c, name in tree_cats)
    param = "sid" if gk else "key"
    script = ("<script>function load(cat, page){ $.getJSON(_CONFIG.API_BASE + cat + "
              f"'{'' if gk else '/list'}?page=' + page + '&{param}=' + _CONFIG.SID, render); }}"
              "window.onhashchange = function(){ load(location.hash.slice(1), 1); };"
              "if (location.hash) load(location.hash.slice(1), 1);</script>")
    _shell(kit, key_page, column, crumbs[:-1],
           f'<div class="tree"><ul>{tree}</ul></div><div class="list" id="gkmlpt-list">加载中……</div>',
           script, head)
    return f"{key_page}#{cat}" if kit.d.split == "cats_on_other_page" else key_page


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


DELIVERIES: dict[str, Callable[[RandKit, str, str, Crumbs, list[Item]], str]] = {
    "static": static, "script_pager": script_pager, "json_api": json_api, "xml_api": xml_api,
    "fragment_api": fragment_api, "split_key": split_key, "data_attr": data_attr, "onclick": onclick,
    "load_more": load_more, "year_folders": year_folders,
}
