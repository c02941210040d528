"""Six more agencies, each another real-world list shape (issue 5):

7. Guangdong gkmlpt JSON API with a SID from the page script;
8. a 年报 column that moved (the hub's link 404s, the home page links the new path);
9. Hanweb ``xxgkAnnualReport.jsp?fbtime=YYYY`` listing .docx and .pdf attachments;
10. DOCX-only reports attached to HTML pages;
11. a "加载更多" list fed by a JSON endpoint;
12. soft-404 pages (HTTP 200 "页面不存在") and a second moved column.
"""

from __future__ import annotations

import json
import random
from datetime import datetime

from tests.portal.attachments import lazy
from tests.portal.model import Response, Web
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


EXTRA_SITES = [
    (site_gkmlpt, Ident("www.lg.gov.cn", "深圳市龙岗区人民政府", "广东省深圳市龙岗区", "county"), "龙岗区"),
    (site_moved, Ident("czj.hzxh.gov.cn", "杭州市西湖区财政局", "浙江省杭州市西湖区", "county"), "西湖区"),
    (site_xxgk, Ident("jyj.lishui.gov.cn", "丽水市教育局", "浙江省丽水市", "city"), "丽水市"),
    (site_docx, Ident("jyj.cdwh.gov.cn", "成都市武侯区教育局", "四川省成都市武侯区", "county"), "武侯区"),
    (site_loadmore, Ident("www.qingxiu.gov.cn", "南宁市青秀区人民政府", "广西壮族自治区南宁市青秀区", "county"), "青秀区"),
    (site_soft404, Ident("www.yanta.gov.cn", "西安市雁塔区人民政府", "陕西省西安市雁塔区", "county"), "雁塔区"),
]
