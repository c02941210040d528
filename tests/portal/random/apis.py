"""Lists a browser builds with script: JSON, Hanweb jpage XML, HTML fragments, "加载更多", and the
gkmlpt-style SID-keyed API. Every script here really runs in Chromium (plain DOM and XHR, no
library): a crawler that renders the page and watches its requests finds every entry, while the
page's HTML alone holds none (or only the first few). Pagers are buttons without URLs."""

from __future__ import annotations

from collections.abc import Callable

from tests.portal.model import Response
from tests.portal.random.kit import RandKit, relative
from tests.portal.random.lists import (
    Crumbs,
    _chunks,
    _html_response,
    _int,
    _json,
    _li,
    data_attr,
    onclick,
    script_pager,
    static,
    year_folders,
)
from tests.portal.random.publish import Item
from tests.portal.sitekit import esc

# One XHR helper for every list script: GET url, hand the text to cb.
XHR = ("function nbGet(url, cb){ var x = new XMLHttpRequest(); x.open('GET', url, true);"
       " x.onload = function(){ if (x.status == 200) cb(x.responseText); }; x.send(); }\n"
       "function nbEsc(s){ return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\"/g, '&quot;'); }\n"
       "function nbRows(rows){ var out = ''; for (var i = 0; i < rows.length; i++) { var r = rows[i];"
       " out += '<li><a href=\"' + nbEsc(r[0]) + '\" target=\"_blank\" title=\"' + nbEsc(r[1]) + '\">' + nbEsc(r[1])"
       " + '</a><span>' + nbEsc(r[2]) + '</span></li>'; } return out; }\n"
       "function nbPager(el, pages, fn){ var out = ''; for (var i = 1; i <= pages; i++) {"
       " out += '<a href=\"javascript:;\" onclick=\"' + fn + '(' + i + ')\">' + i + '</a> '; }"
       " document.getElementById(el).innerHTML = out; }\n")


def _records(kit: RandKit, items: list[Item]) -> list[dict[str, str]]:
    full = kit.rng.random() < 0.3  # some APIs answer full URLs, most site paths
    return [{"title": it.title, "url": kit.url(it.href) if full else it.href, "date": f"{it.when:%Y-%m-%d}"}
            for it in sorted(items, key=lambda it: it.when, reverse=True)]


def _shell(kit: RandKit, path: str, column: str, crumbs: Crumbs, body: str, script: str, head: str = "") -> None:
    main = (f'<div class="column"><div class="col-title">{esc(column)}</div>\n{body}\n</div>\n'
            f"<script>\n{XHR}{script}\n</script>")
    kit.add(path, kit.frame(column, crumbs, main, head_extra=head))
    kit.web.list_urls.add(kit.url(path))


def _pages(n: int, per: int) -> int:
    return max(1, -(-n // per))


def json_api(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    recs, per, colid = _records(kit, items), kit.d.per_page, kit.colid(col)
    path, cms = kit.list_page_path(col, 0, 1), kit.d.cms
    pages = _pages(len(recs), per)
    if cms == "trs":  # TRS WAS search
        api, key = "/was5/web/search", "page"
        shape: Callable[[list[dict[str, str]]], object] = lambda chunk: {  # noqa: E731
            "total": len(recs), "pages": pages,
            "docs": [{"title": r["title"], "url": r["url"], "time": r["date"]} for r in chunk]}
        url = f"'{api}?channelid={colid}&page=' + p"
        rows, count = "d.docs.map(function(r){ return [r.url, r.title, r.time]; })", "d.pages"
    elif cms in ("hanweb", "jcms"):
        api, key = "/module/api/infolist.jsp", "pageNum"
        shape = lambda chunk: {"totalPage": pages,  # noqa: E731
                               "list": [{"title": r["title"], "link": r["url"], "date": r["date"]} for r in chunk]}
        url = f"'{api}?columnid={colid}&pageNum=' + p"
        rows, count = "d.list.map(function(r){ return [r.link, r.title, r.date]; })", "d.totalPage"
    else:
        api, key = "/api/content/list", "pageNo"
        shape = lambda chunk: {"code": 0, "data": {"total": len(recs), "rows": [  # noqa: E731
            {"title": r["title"], "url": r["url"], "publishDate": r["date"]} for r in chunk]}}
        url = f"'{api}?columnId={colid}&pageSize={per}&pageNo=' + p"
        rows = "d.data.rows.map(function(r){ return [r.url, r.title, r.publishDate]; })"
        count = f"Math.ceil(d.data.total / {per})"

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        n = _int(q, key, 1)
        return _json(shape(recs[(n - 1) * per:n * per]))

    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    script = (f"function go(p){{ nbGet({url}, function(t){{ var d = JSON.parse(t);"
              f" document.getElementById('doclist').innerHTML = nbRows({rows});"
              f" nbPager('pages', {count}, 'go'); }}); }}\ngo(1);")
    _shell(kit, path, column, crumbs, '<ul id="doclist" class="list"></ul><div id="pages" class="page"></div>', script)
    return path


def xml_api(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """Hanweb jpage: the first records inline in a ``<datastore>``, the rest from dataproxy.jsp."""
    path, per, colid = kit.list_page_path(col, 0, 1), kit.d.per_page, kit.colid(col)
    root = kit.jcms_root if kit.d.cms == "jcms" else ""
    proxy = f"{root}/module/web/jpage/dataproxy.jsp"
    records = [_li(kit, None, it) for it in sorted(items, key=lambda it: it.when, reverse=True)]
    params = (f"col=1&appid=1&webid={kit.rng.randint(1, 99)}&path=%2F&columnid={colid}&sourceContentType=1"
              f"&unitid={kit.rng.randint(10000, 99999)}&permissiontype=0")
    inline = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:per])
    datastore = (f'<script type="text/xml" id="ds{colid}"><datastore><nextgroup><![CDATA[<a href="{proxy}?page=1&'
                 f'{esc(params)}"></a>]]></nextgroup><recordset>{inline}</recordset></datastore></script>')

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        start = _int(q, "startrecord", 1)
        end = _int(q, "endrecord", start + per - 1)
        chosen = records[start - 1:end]
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(records)}</totalrecord>'
               f"<totalpage>{_pages(len(records), per)}</totalpage><recordset>"
               + "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen) + "</recordset></datastore>")
        return Response(200, "text/xml; charset=utf-8", xml.encode())

    kit.web.handlers[(kit.s.host, proxy)] = handler
    kit.web.list_urls.add(kit.url(proxy))
    script = (
        "function jpRecords(xml){ var out = '', re = /<record><!\\[CDATA\\[([\\s\\S]*?)\\]\\]><\\/record>/g, m;"
        " while ((m = re.exec(xml))) { out += m[1]; } return out; }\n"
        f"var jpTotal = {len(records)}, jpPer = {per};\n"
        f"function jpPage(n){{ var s = (n - 1) * jpPer + 1, e = n * jpPer;"
        f" nbGet('{proxy}?startrecord=' + s + '&endrecord=' + e + '&perpage=' + jpPer + '&{params}',"
        f" function(t){{ document.getElementById('{colid}').innerHTML = jpRecords(t); }}); }}\n"
        f"document.getElementById('{colid}').innerHTML = jpRecords(document.getElementById('ds{colid}').textContent);\n"
        "nbPager('jpage', Math.ceil(jpTotal / jpPer), 'jpPage');")
    _shell(kit, path, column, crumbs, f'{datastore}<div id="{colid}" class="list"></div><div id="jpage"></div>',
           script)
    return path


def fragment_api(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """The list page holds nothing; each page of ``<li>`` arrives as an HTML fragment."""
    path, per, colid = kit.list_page_path(col, 0, 1), kit.d.per_page, kit.colid(col)
    api = "/ajax/column/list.jsp"
    chunks = _chunks(items, per)

    def handler(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        n = min(_int(q, "page", 1), len(chunks))
        lis = "".join(_li(kit, None, it) for it in chunks[n - 1])
        return _html_response(kit, f'{lis}<div class="pager" data-total="{len(chunks)}" data-page="{n}"></div>')

    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    script = (f"var page = 1, pages = {len(chunks)};\n"
              f"function show(n){{ if (n < 1 || n > pages) return; page = n;"
              f" nbGet('{api}?colId={colid}&page=' + n, function(t){{ document.getElementById('list').innerHTML = t; }}); }}\n"
              "show(1);")
    body = ('<ul id="list" class="list"></ul><div class="page"><a href="javascript:;" onclick="show(page - 1)">上一页</a> '
            '<a href="javascript:;" onclick="show(page + 1)">下一页</a></div>')
    _shell(kit, path, column, crumbs, body, script)
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
    script = ("var btn = document.getElementById('loadMore');\n"
              "if (btn) btn.onclick = function(){"
              f" nbGet('{api}?colid=' + btn.dataset.col + '&page=' + btn.dataset.page, function(t){{"
              " var d = JSON.parse(t); document.getElementById('list').insertAdjacentHTML('beforeend',"
              " nbRows(d.items.map(function(r){ return [r.href, r.title, r.date]; })));"
              " btn.dataset.page = d.page + 1; if (!d.hasMore) btn.parentNode.removeChild(btn); }); };")
    _shell(kit, path, column, crumbs, f'<ul id="list" class="list">{first}</ul>{more}', script)
    return path


def split_key(kit: RandKit, col: str, column: str, crumbs: Crumbs, items: list[Item]) -> str:
    """gkmlpt-style: a JSON API keyed by a SID and a category id. The SID sits in a script of the
    key page (or in a script file it loads); the category ids are fragment links ``href="#2656"``
    on the key page, or only in the parent page's link to it (``../gkmlpt/index#2656``)."""
    sid, cat = f"{kit.rng.getrandbits(32):08x}", kit.rng.randint(2000, 3999)
    gk = kit.d.cms == "gkmlpt"
    key_page = "/gkmlpt/index" if gk else kit.list_page_path(col, 0, 1)
    api_base = "/gkmlpt/api/all/" if gk else "/api/openinfo/"
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

    api = f"{api_base}{cat}" if gk else f"{api_base}{cat}/list"
    kit.web.handlers[(kit.s.host, api)] = handler
    kit.web.list_urls.add(kit.url(api))
    config = f"window._CONFIG = {{SID: '{sid}', API_BASE: '{api_base}', SITE_NAME: '{kit.s.agency}'}};"
    if kit.d.split == "key_in_script_file":
        js = key_page.rsplit("/", 1)[0] + "/js/config.js"
        kit.add_bytes(js, "application/javascript; charset=utf-8", config.encode())
        head = f'<script src="{relative(key_page, js)}"></script>'
    else:
        head = f"<script>{config}</script>"
    others = [(kit.rng.randint(4000, 4999), "政府信息公开指南"), (kit.rng.randint(5000, 5999), "政策文件")]
    tree_cats = others if kit.d.split == "cats_on_other_page" else [(cat, column), *others]
    tree = "".join(f'<li><a href="#{c}">{esc(name)}</a></li>' for c, name in tree_cats)
    if gk:
        url = "_CONFIG.API_BASE + cat + '?page=' + p + '&sid=' + _CONFIG.SID"
        rows = "d.articles.map(function(r){ return [r.url, r.title, r.created_at]; })"
        count = "Math.ceil(d.total / 10)"
    else:
        url = "_CONFIG.API_BASE + cat + '/list?page=' + p + '&key=' + _CONFIG.SID"
        rows = "d.items.map(function(r){ return [r.link, r.name, r.date]; })"
        count = f"Math.ceil(d.count / {per})"
    script = ("var cat = '';\n"
              f"function load(p){{ nbGet({url}, function(t){{ var d = JSON.parse(t);"
              f" document.getElementById('gkmlpt-list').innerHTML = '<ul>' + nbRows({rows}) + '</ul>';"
              f" nbPager('gkmlpt-pages', {count}, 'load'); }}); }}\n"
              "function route(){ cat = location.hash.slice(1); if (cat) load(1); }\n"
              "window.onhashchange = route; route();")
    _shell(kit, key_page, column, crumbs[:-1],
           f'<div class="tree"><ul>{tree}</ul></div><div class="list" id="gkmlpt-list">请选择栏目</div>'
           '<div id="gkmlpt-pages" class="page"></div>', script, head)
    return f"{key_page}#{cat}" if kit.d.split == "cats_on_other_page" else key_page


DELIVERIES: dict[str, Callable[[RandKit, str, str, Crumbs, list[Item]], str]] = {
    "static": static, "script_pager": script_pager, "json_api": json_api, "xml_api": xml_api,
    "fragment_api": fragment_api, "split_key": split_key, "data_attr": data_attr, "onclick": onclick,
    "load_more": load_more, "year_folders": year_folders,
}
