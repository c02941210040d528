"""Six more agencies, each another real-world list shape (issue 5):

7. Guangdong gkmlpt JSON API with a SID from the page script;
8. a 年报 column that moved (the hub's link 404s, the home page links the new path);
9. Hanweb ``xxgkAnnualReport.jsp?fbtime=YYYY`` listing .docx and .pdf attachments;
10. DOCX-only reports attached to HTML pages;
11. a "加载更多" list fed by a JSON endpoint;
12. soft-404 pages (HTTP 200 "页面不存在") and a second moved column;
13. Hanweb ``?uid=&pageNum=`` paging on a separate disclosure-platform host (xxgk.*), with a
    PDF viewer iframe and an ``onclick`` download, a calendar trap and a non-gov mirror link.

``site_bad_input`` is built only on request (``build_web(bad_input=True)``): broken links, redirect
loops, redirects to another host, 500s, a hanging page, a huge file and corrupt/encrypted PDFs.
"""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.portal.attachments import lazy
from tests.portal.model import Page, Response, Web
from tests.portal.sitekit import SiteKit, SiteStyle, build_common, esc, pub_date
from tests.portal.sites import Ident, Item, add_confusable, broken_item, gen, report_page, truth

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _json(data: object, status: int = 200) -> Response:
    return Response(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode())


def _simple_list(kit: SiteKit, path: str, column: str, crumbs: list[tuple[str, str]], items: list[Item]) -> None:
    items = sorted(items, key=lambda it: it.when, reverse=True)
    kit.list_page(path, column, crumbs, "\n".join(kit.item_li(it.href, it.title, it.when) for it in items))


# ------------------------------------------------------------------------------------ 7 gkmlpt


def site_gkmlpt(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="generic",
                      id_code="4403070001", icp="粤ICP备16087654号", police="粤公网安备 44030702001234号",
                      nav_gk="政府信息公开")
    kit = SiteKit(web, style, rng)
    cat, sid = 2862, f"{rng.randrange(16**8):08x}"
    links = build_common(kit, ("政府信息公开年报", f"/gkmlpt/index#{cat}"), hub_path="/gkmlpt/index", hub=False)
    crumbs = [("政府信息公开", "/gkmlpt/index"), ("政府信息公开年报", f"/gkmlpt/index#{cat}")]
    articles: list[dict[str, str]] = []
    for year in range(2015, 2024):
        when = pub_date(rng, year)
        post = rng.randint(7_000_000, 11_999_999)
        path = f"/gkmlpt/content/{post // 1_000_000}/{post // 1000}/post_{post}.html"
        doc = gen(rng, ident, year, busy=30, blank_zeros="" if year == 2020 else None).doc()  # Shanghai-style blanks
        report_page(kit, path, doc, when, "政府信息公开年报", crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        articles.append({"title": doc.title, "url": kit.url(path), "created_at": f"{when:%Y-%m-%d %H:%M:%S}"})
    for kind, year in (("rule-of-law", 2022), ("work-points", 2023)):
        item = add_confusable(kit, kind, year, "/gkmlpt/content/0/", "政府信息公开年报", crumbs)
        articles.append({"title": item.title, "url": kit.url(item.href), "created_at": f"{item.when:%Y-%m-%d %H:%M:%S}"})
    articles.sort(key=lambda a: a["created_at"], reverse=True)
    tree = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in links)
    config = (
        "<script type=\"text/javascript\">\nwindow._CONFIG = {\n"
        f"  SID: '{sid}',\n  SITE_NAME: '{ident.agency}',\n  API_BASE: '/gkmlpt/api/',\n"
        f"  CATEGORIES: [{{id: {cat}, name: '政府信息公开年报'}}, {{id: 2860, name: '政府信息公开指南'}}]\n}};\n"
        "</script>"
    )
    main = (f'<div id="app" class="gkmlpt"><div class="tree"><h2>政府信息公开</h2><ul>{tree}</ul></div>'
            '<div class="list" id="gkmlpt-list"><p>加载中……</p></div></div>')
    kit.add("/gkmlpt/index", kit.frame("政府信息公开", crumbs[:1], main, head_extra=config))

    def api(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        if (q.get("sid") or [""])[0] != sid:
            return _json({"error": "invalid sid"}, 403)
        raw = (q.get("page") or ["1"])[0]
        page = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        chunk = articles[(page - 1) * 10:page * 10]
        return _json({"total": len(articles), "page": page, "articles": chunk})

    web.handlers[(ident.host, f"/gkmlpt/api/all/{cat}")] = api


# ------------------------------------------------------------------------------------ 8 moved column


def site_moved(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="trs", counter="js",
                      id_code="3301060007", icp="浙ICP备05003001号", police="浙公网安备 33010602000456号")
    kit = SiteKit(web, style, rng)
    old, new, colname = "/zfxxgk/zfxxgknb/index.html", "/xxgk/gknb/index.html", "政府信息公开年报"
    build_common(kit, (colname, old), home_links_extra=[("政府信息公开年报（新）", new)])
    crumbs = [("政府信息公开", kit.hub_path), (colname, new)]
    items: list[Item] = []
    for year in range(2017, 2024):
        when = pub_date(rng, year)
        path = kit.article_path("/xxgk/gknb/", when)
        doc = gen(rng, ident, year, busy=3).doc()
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(kit, "website-report", 2023, "/xxgk/gknb/", colname, crumbs))
    _simple_list(kit, new, colname, crumbs, items)


# ------------------------------------------------------------------------------------ 9 Hanweb xxgk


def site_xxgk(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="hanweb",
                      id_code="3311000001", icp="浙ICP备05010123号", police="浙公网安备 33110202000111号")
    kit = SiteKit(web, style, rng)
    years = list(range(2018, 2024))
    entry = f"/module/xxgk/xxgkAnnualReport.jsp?fbtime={years[-1]}"
    build_common(kit, ("政府信息公开年报", entry), hub_path="/col/col1229/index.html")
    by_year: dict[int, list[tuple[str, str]]] = {}
    for year in years:
        when = pub_date(rng, year)
        doc = gen(rng, ident, year, busy=8).doc()
        base = f"/module/xxgk/upload/{when:%Y%m}/{rng.randrange(16**12):012x}"
        files = [(f"{base}.pdf", "pdf")] if year < 2021 else [(f"{base}.docx", "docx"), (f"{base}.pdf", "pdf")]
        for href, kind in files:
            if kind == "pdf":
                kit.add_bytes(href, "application/pdf", lazy=lazy("pdf", doc), when=when)
            else:
                kit.add_bytes(href, DOCX, lazy=lazy("docx", doc), when=when)
        truth(web, ident.agency, doc, [kit.url(h) for h, _ in files], kind=files[0][1])
        by_year[year] = [(f"{doc.title}.{kind}", href) for href, kind in files]
    host = ident.host

    def annual(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        raw = (q.get("fbtime") or [""])[0]
        year = int(raw) if raw.isdigit() else years[-1]
        tabs = " ".join(f'<a href="/module/xxgk/xxgkAnnualReport.jsp?fbtime={y}">{y}年</a>' for y in years)
        rows = "".join(f'<tr><td><a href="{h}" target="_blank">{esc(t)}</a></td><td>{year + 1}-01-20</td></tr>'
                       for t, h in by_year.get(year, []))
        body = rows or '<tr><td colspan="2">暂无数据</td></tr>'
        main = (f'<div class="annual"><h2>政府信息公开年报</h2><div class="tabs">{tabs}</div>'
                f'<table class="list"><tr><th>名称</th><th>发布日期</th></tr>{body}</table></div>')
        text = kit.frame("政府信息公开年报", [("政府信息公开", "/col/col1229/index.html")], main)
        return Response(200, "text/html; charset=utf-8", text.encode())

    web.handlers[(host, "/module/xxgk/xxgkAnnualReport.jsp")] = annual


# ------------------------------------------------------------------------------------ 10 DOCX only


def site_docx(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="ucap",
                      id_code="5101070012", icp="蜀ICP备08100123号", police="川公网安备 51010702000789号")
    kit = SiteKit(web, style, rng)
    col, colname = "/gkml/ndbg/", "政府信息公开年度报告"
    build_common(kit, (colname, f"{col}index.html"), hub_path="/gkml/index.html")
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    items: list[Item] = []
    for year in range(2019, 2024):
        when = pub_date(rng, year)
        doc = gen(rng, ident, year, busy=6).doc()
        docx = f"{col}{when:%Y%m}/W0{when:%Y%m%d}{rng.randint(100000, 999999)}.docx"
        kit.add_bytes(docx, DOCX, lazy=lazy("docx", doc), when=when)
        path = kit.article_path(col, when)
        body = (f'<p style="text-indent:2em">{esc(doc.title)}全文见附件。</p>'
                f'<div class="fujian">附件：<a href="{docx}" target="_blank">{esc(doc.title)}.docx</a></div>')
        kit.article(path, doc.title, body, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path), kit.url(docx)], kind="docx")
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(kit, "interpretation", 2023, col, colname, crumbs))
    _simple_list(kit, f"{col}index.html", colname, crumbs, items)


# ------------------------------------------------------------------------------------ 11 加载更多


def site_loadmore(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="generic",
                      id_code="4501030003", icp="桂ICP备10003456号", police="桂公网安备 45010302000345号")
    kit = SiteKit(web, style, rng)
    col, colname = "/xxgk/gknb/", "政府信息公开年报"
    build_common(kit, (colname, f"{col}index.html"), hub_path="/xxgk/index.html")
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    items: list[Item] = []
    for year in range(2016, 2024):
        when = pub_date(rng, year)
        path = kit.article_path(col, when)
        doc = gen(rng, ident, year, busy=12).doc()
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(kit, "rule-of-law", 2023, col, colname, crumbs))
    items.sort(key=lambda it: it.when, reverse=True)
    per = 4
    first = "\n".join(kit.item_li(it.href, it.title, it.when) for it in items[:per])
    script = ("<script type=\"text/javascript\">var page = 1;\nfunction loadMore(){ page += 1;\n"
              "  fetch('/api/list/more?colid=gknb&page=' + page).then(function(r){ return r.json(); })\n"
              "  .then(function(d){ var ul = document.querySelector('ul.list');\n"
              "    d.list.forEach(function(x){ var li = document.createElement('li');\n"
              "      li.innerHTML = '<a href=\"' + x.url + '\">' + x.title + '</a><span>' + x.date + '</span>';\n"
              "      ul.appendChild(li); });\n"
              "    if (!d.hasMore) { document.getElementById('more').style.display = 'none'; } }); }\n</script>")
    pager = f'<div class="more"><a id="more" href="javascript:void(0)" onclick="loadMore()">加载更多</a></div>{script}'
    kit.list_page(f"{col}index.html", colname, crumbs, first, pager)

    def more(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        raw = (q.get("page") or ["1"])[0]
        page = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        if (q.get("colid") or [""])[0] != "gknb":
            return _json({"page": page, "hasMore": False, "list": []})
        chunk = items[(page - 1) * per:page * per]
        return _json({"page": page, "hasMore": page * per < len(items),
                      "list": [{"title": it.title, "url": it.href, "date": f"{it.when:%Y-%m-%d}"} for it in chunk]})

    web.handlers[(ident.host, "/api/list/more")] = more


# ------------------------------------------------------------------------------------ 12 soft 404


def site_soft404(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="generic",
                      id_code="6101130004", icp="陕ICP备20005710号", police="陕公网安备 61011302000567号")
    kit = SiteKit(web, style, rng)
    web.soft404_hosts.add(ident.host)
    old, col, colname = "/zwgk/ndbg/index.html", "/zfxxgk/nb_2022n/", "政府信息公开工作年度报告"
    build_common(kit, (colname, old), home_links_extra=[(colname, f"{col}1.html")])
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}1.html")]
    items: list[Item] = []
    for year in range(2018, 2024):
        when = pub_date(rng, year)
        path = kit.article_path(col, when)
        doc = gen(rng, ident, year, busy=5).doc()
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(kit, "work-points", 2022, col, colname, crumbs))
    items.append(broken_item(kit, col, f"{ident.agency}2017年政府信息公开工作年度报告", datetime(2018, 3, 1, 9, 0)))
    items.sort(key=lambda it: it.when, reverse=True)
    per = 3
    pages = -(-len(items) // per)
    for n in range(pages):
        lis = "\n".join(kit.item_li(it.href, it.title, it.when) for it in items[n * per:(n + 1) * per])
        # like the real site, "下一页" is always there; past the end the server answers 200 页面不存在
        prev = f'<a href="{n}.html">上一页</a> ' if n else ""
        pager = f'<div class="page">{prev}<a href="{n + 2}.html">下一页</a></div>'
        kit.list_page(f"{col}{n + 1}.html", colname, crumbs, lis, pager)



# ------------------------------------------------------------------------------------ 13 Hanweb pageNum


def _calendar(kit: SiteKit, path: str) -> None:
    """An endless 政务公开日历: every month links the months around it and each of its days."""
    def cal(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        raw = (q.get("month") or ["2024-06"])[0]
        try:
            month = datetime.strptime(raw[:7], "%Y-%m")
        except ValueError:
            month = datetime(2024, 6, 1)
        prev = (month - timedelta(days=1)).strftime("%Y-%m")
        nxt = (month + timedelta(days=32)).strftime("%Y-%m")
        days = "".join(f'<a href="{path}?month={month:%Y-%m}&amp;day={d}">{d}</a> ' for d in range(1, 29))
        main = (f'<div class="calendar"><h2>{month:%Y年%m月}政务公开日历</h2>'
                f'<a href="{path}?month={prev}">上一月</a> <a href="{path}?month={nxt}">下一月</a><p>{days}</p></div>')
        text = kit.frame("政务公开日历", [("政务公开日历", path)], main)
        return Response(200, "text/html; charset=utf-8", text.encode())

    kit.web.handlers[(kit.s.host, path)] = cal


def site_pagenum(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="hanweb",
                      id_code="3301100002", icp="浙ICP备05020111号", police="浙公网安备 33011002000222号")
    kit = SiteKit(web, style, rng)
    labels = ident.host.split(".")
    platform = ".".join(["xxgk", *labels[1:]])  # the county's disclosure platform, another gov.cn host
    mirror = ".".join(labels[1:-2]) + "-gov.com"  # a copy of the column on a commercial host
    uid, col, colname, per = 4000, "/col/col1229/index.html", "政府信息公开年报", 4
    col_url = f"http://{platform}{col}?uid={uid}&pageNum=1"
    build_common(kit, ("政府信息公开平台", f"http://{platform}/"), hub_path="/zwgk/index.html",
                 hub_links_extra=[("政务公开日历", "/zwgk/rili/index.html")],
                 home_links_extra=[("政府信息公开年报（镜像）", f"http://www.{mirror}{col}")])
    _calendar(kit, "/zwgk/rili/index.html")
    pstyle = SiteStyle(platform, ident.agency, ident.region, ident.level, cms="hanweb", site_name=f"{ident.agency}信息公开平台",
                       id_code=style.id_code, icp=style.icp, police=style.police, nav_gk="政府信息公开")
    pk = SiteKit(web, pstyle, rng)
    pk.hub_path, pk.news_path = col, col
    crumbs = [("政府信息公开", col), (colname, col)]
    items: list[Item] = []
    for year in range(2015, 2024):
        when = pub_date(rng, year)
        path = pk.article_path("", when)
        doc = gen(rng, ident, year, busy=7).doc()
        if year == 2022:  # the report is a PDF shown in a pdf.js viewer iframe
            pdf = f"/picture/0/{when:%y%m%d}{rng.randint(100000, 999999)}.pdf"
            pk.add_bytes(pdf, "application/pdf", lazy=lazy("pdf", doc), when=when)
            body = (f'<p style="text-indent:2em">{esc(doc.title)}如下：</p>'
                    f'<iframe src="/pdfjs/web/viewer.html?file={pdf}" width="100%" height="800"></iframe>')
            pk.article(path, doc.title, body, when, colname, crumbs)
            truth(web, ident.agency, doc, [pk.url(path), pk.url(pdf)], kind="pdf")
        elif year == 2023:  # a DOCX behind an onclick download handler
            docx = f"/module/download/downfile_{when:%Y%m%d}_{rng.randint(1000, 9999)}.docx"
            pk.add_bytes(docx, DOCX, lazy=lazy("docx", doc), when=when)
            body = (f'<p style="text-indent:2em">{esc(doc.title)}全文请下载附件查看。</p>'
                    f'<p><span class="down" onclick="window.open(\'{docx}\')">点击下载</span></p>')
            pk.article(path, doc.title, body, when, colname, crumbs)
            truth(web, ident.agency, doc, [pk.url(path), pk.url(docx)], kind="docx")
        else:
            report_page(pk, path, doc, when, colname, crumbs)
            truth(web, ident.agency, doc, [pk.url(path)])
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(pk, "work-points", 2023, "", colname, crumbs))
    items.append(add_confusable(pk, "website-report", 2022, "", colname, crumbs))
    items.sort(key=lambda it: it.when, reverse=True)
    pages = -(-len(items) // per)
    pk.add_bytes("/pdfjs/web/viewer.html", "text/html; charset=utf-8",
                 body=b"<!DOCTYPE html><html><head><title>PDF.js viewer</title></head><body>"
                      b"<div id=\"viewerContainer\"></div><script src=\"viewer.js\"></script></body></html>")

    def column(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        raw = (q.get("pageNum") or ["1"])[0]
        n = min(max(int(raw), 1), pages) if raw.isdigit() else 1  # past the end: the last page again
        lis = "\n".join(pk.item_li(it.href, it.title, it.when) for it in items[(n - 1) * per:n * per])
        # Hanweb static paging: the pager exists only as script (no literal pageNum links)
        pager = ('<div class="pager" id="pager"></div><script type="text/javascript">'
                 f"var uid = '{uid}', pageNum = {n}, totalRecord = {len(items)}, perPage = {per};"
                 "var totalPage = Math.ceil(totalRecord / perPage), out = '';"
                 "for (var i = 1; i <= totalPage; i++) { out += (i == pageNum) ? '<span>' + i + '</span>' : "
                 "'<a href=\"index.html?uid=' + uid + '&pageNum=' + i + '\">' + i + '</a>'; }"
                 "document.getElementById('pager').innerHTML = out;</script>")
        main = (f'<div class="column"><div class="col-title">{colname}</div><div id="{uid}">\n'
                f'<ul class="list">\n{lis}\n</ul></div>\n{pager}</div>')
        text = pk.frame(colname, crumbs, main)
        return Response(200, "text/html; charset=utf-8", text.encode())

    web.handlers[(platform, col)] = column
    web.pages[(platform, "/robots.txt")] = Page(content_type="text/plain", body=b"User-agent: *\nDisallow:\n")
    # the platform's root forwards to the 年报 column by <meta http-equiv="refresh">
    forward = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{ident.agency}信息公开平台</title>'
               f'<meta http-equiv="refresh" content="0;url={col_url}"></head><body></body></html>')
    web.pages[(platform, "/")] = Page(text=forward)


# ------------------------------------------------------------------------------------ bad input (on request)

_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"


def site_bad_input(web: Web, ident: Ident, rng: random.Random) -> None:
    """A TRS column whose entries fail in every way a real portal does; two reports are fine."""
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="trs",
                      id_code="4209020001", icp="鄂ICP备05009999号", police="鄂公网安备 42090202000999号")
    kit = SiteKit(web, style, rng)
    col, colname = "/zfxxgk/zfxxgknb/", "政府信息公开年报"
    build_common(kit, (colname, f"{col}index.html"))
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    items: list[Item] = []
    for year in (2022, 2023):
        when = pub_date(rng, year)
        path = kit.article_path(col, when)
        doc = gen(rng, ident, year, busy=5).doc()
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    host = ident.host

    def title(year: int) -> str:
        return f"{ident.agency}{year}年政府信息公开工作年度报告"

    def bad(year: int, path: str) -> None:
        items.append(Item(title(year), path, datetime(year + 1, 3, 1, 9, 0)))

    def handler(path: str, fn) -> None:  # noqa: ANN001 - portal handler
        web.handlers[(host, path)] = fn

    bad(2021, f"{col}202203/t20220301_1.html")  # broken link: 404
    loop = f"{col}202103/t20210301_2.html"
    bad(2020, loop)
    handler(loop, lambda q, b, s: Response(302, "text/html", b"", {"Location": loop}))
    away = f"{col}202003/t20200301_3.html"
    bad(2019, away)
    handler(away, lambda q, b, s: Response(302, "text/html", b"", {"Location": "http://www.nianbao-mirror.com/nb2019.html"}))
    broken = f"{col}201803/t20180301_5.html"
    bad(2017, broken)
    handler(broken, lambda q, b, s: Response(500, "text/html", b"<h1>500 Internal Server Error</h1>"))
    hang = f"{col}201703/t20170301_6.html"
    bad(2016, hang)

    def hanging(q: dict[str, list[str]], _body: bytes, state: dict) -> Response:
        time.sleep(float(state.get("hang_delay", 3.0)))
        return Response(200, "text/html; charset=utf-8", b"<html><title>late</title></html>")

    handler(hang, hanging)
    huge = f"{col}201603/P020160301_7.pdf"
    bad(2015, huge)
    filler = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)  # 3 MB: over the DOWNLOAD_MAXSIZE tests set
    web.pages[(host, huge)] = Page(content_type="application/pdf", body=filler)
    for year, name, case in ((2014, "P020150301_8.pdf", "corrupt_pdf"), (2013, "P020140301_9.pdf", "encrypted_pdf")):
        path = f"{col}{year + 1}03/{name}"
        bad(year, path)
        web.pages[(host, path)] = Page(content_type="application/pdf", body=(_FIXTURES / case / "input.pdf").read_bytes())
    items.sort(key=lambda it: it.when, reverse=True)
    _simple_list(kit, f"{col}index.html", colname, crumbs, items)


BAD_INPUT_SITE = (site_bad_input, Ident("www.xiaonan.gov.cn", "孝感市孝南区人民政府", "湖北省孝感市孝南区", "county"),
                  "孝南区")

EXTRA_SITES = [
    (site_gkmlpt, Ident("www.lg.gov.cn", "深圳市龙岗区人民政府", "广东省深圳市龙岗区", "county"), "龙岗区"),
    (site_moved, Ident("czj.hzxh.gov.cn", "杭州市西湖区财政局", "浙江省杭州市西湖区", "county"), "西湖区"),
    (site_xxgk, Ident("jyj.lishui.gov.cn", "丽水市教育局", "浙江省丽水市", "city"), "丽水市"),
    (site_docx, Ident("jyj.cdwh.gov.cn", "成都市武侯区教育局", "四川省成都市武侯区", "county"), "武侯区"),
    (site_loadmore, Ident("www.qingxiu.gov.cn", "南宁市青秀区人民政府", "广西壮族自治区南宁市青秀区", "county"), "青秀区"),
    (site_soft404, Ident("www.yanta.gov.cn", "西安市雁塔区人民政府", "陕西省西安市雁塔区", "county"), "雁塔区"),
    (site_pagenum, Ident("www.yuhang.gov.cn", "杭州市余杭区人民政府", "浙江省杭州市余杭区", "county"), "余杭区"),
]
