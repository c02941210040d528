"""The six core sites, each a different list shape (see the task: TRS static, TRS JS pagination,
Hanweb dataproxy, JavaScript-only list, GBK site, PDF-only reports).

Every builder takes an ``Ident`` so ``build_web(scale=k)`` can replicate a site on new hosts; the
real seed report is used only by the original (replica 0), replicas generate every year.
"""

from __future__ import annotations

import base64
import json
import random
import weakref
from dataclasses import dataclass
from datetime import datetime

from tests.portal.attachments import lazy
from tests.portal.model import Confusable, Page, Response, TrueReport, Web
from tests.portal.reportgen import Doc, GenReport, fmt_for, gen_t2, make_report
from tests.portal.seedreports import WULONG_FOOTER, load_seed
from tests.portal.sitekit import SiteKit, SiteStyle, build_common, doc_html, esc, pub_date
from tests.portal.tables import build_t2, build_t3, build_t4, t3_row_keys, to_html


@dataclass(frozen=True)
class Ident:
    host: str
    agency: str
    region: str
    level: str
    original: bool = True  # replica 0: real seed report and the revision target


@dataclass
class Item:
    """One entry of a list column (report, confusable or broken link)."""

    title: str
    href: str
    when: datetime


# ------------------------------------------------------------------------------------ shared bits


def report_page(kit: SiteKit, path: str, doc: Doc, when: datetime, column: str, crumbs: list[tuple[str, str]],
                *, revised: Doc | None = None, **kw: object) -> Page:
    """Register a report article; with ``revised`` the page also carries the revised text."""
    if revised is not None:
        alt = kit.article(path, doc.title, doc_html(revised), when, column, crumbs, **kw)  # type: ignore[arg-type]
        alt_text = alt.text
        del kit.web.pages[(kit.s.host, path)]  # rendered only for its text; the page proper follows
    page = kit.article(path, doc.title, doc_html(doc), when, column, crumbs, **kw)  # type: ignore[arg-type]
    if revised is not None:
        page.revised_text = alt_text
    return page


def truth(web: Web, agency: str, doc: Doc, urls: list[str], kind: str = "html", defaced: bool = False) -> None:
    web.reports.append(TrueReport(agency, doc.year, urls, doc.fmt, defaced, kind, doc.title))


def confusable_doc(kind: str, agency: str, year: int) -> tuple[str, str]:
    """(title, body html) of a page that looks like a report but is not one (report-format.md §7.6)."""
    if kind == "work-points":
        title = f"{agency}{year}年政务公开工作要点"
        body = (f"<p>为深入贯彻落实国务院办公厅《{year}年政务公开工作要点》，结合工作实际，制定本要点。</p>"
                "<p>一、围绕稳就业保民生加强信息公开 二、持续做好政策解读 三、加强政府信息公开平台建设 "
                "四、扎实做好政府信息公开工作年度报告编制发布</p>")
    elif kind == "website-report":
        title = f"{agency}{year}年政府网站工作年度报表"
        body = ("<table border='1'><tr><td>网站名称</td><td>" + esc(agency) + "门户网站</td></tr>"
                "<tr><td>首页网址</td><td>—</td></tr><tr><td>独立用户访问总量（单位：个）</td><td>152311</td></tr>"
                "<tr><td>信息发布 总数（单位：条）</td><td>1204</td></tr>"
                "<tr><td>政务服务 注册用户数（单位：个）</td><td>3021</td></tr></table>")
    elif kind == "rule-of-law":
        title = f"{agency}{year}年法治政府建设年度报告"
        body = (f"<p>{year}年，{esc(agency)}深入学习贯彻习近平法治思想，全面推进依法行政。现将法治政府建设情况报告如下：</p>"
                "<p>一、主要举措和成效 二、存在的不足和原因 三、党政主要负责人履行推进法治建设第一责任人职责情况 "
                "四、下一年度推进法治政府建设的主要安排</p>")
    elif kind == "interpretation":
        title = f"文字解读：{agency}{year}年政府信息公开工作年度报告"
        body = (f"<p>一图读懂{esc(agency)}{year}年政府信息公开工作年度报告：主动公开政府信息、依申请公开办理、"
                "行政复议和行政诉讼情况一目了然。</p><p><img src='/images/tujie.jpg' alt='图解'></p>")
    elif kind == "deployment-notice":
        title = f"关于做好{year}年政府信息公开工作年度报告编制发布工作的通知"
        body = (f"<p>各科室、直属单位：按照《条例》第四十九条规定，请于{year + 1}年1月15日前报送{year}年政府信息公开"
                "工作年度报告相关数据，报告须严格按照国办公开办函〔2021〕30号规定的格式编制。</p>")
    else:
        raise ValueError(kind)
    return title, body


def format_notice() -> tuple[str, str]:
    """A repost of the 2021 format notice: every table label, no numbers — it fools label matchers."""
    title = "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知"
    t2 = gen_t2(random.Random(0), "2021")
    for block in t2:
        block.rows = [[r[0]] + [""] * (len(r) - 1) for r in block.rows]
    blank3 = [[""] * 7 for _ in t3_row_keys("2021")]
    body = (
        "<p>国办公开办函〔2021〕30号</p><p>各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：</p>"
        "<p>政府信息公开工作年度报告是政府信息公开工作的法定制度安排……现将修订后的《中华人民共和国政府信息公开工作年度报告格式》"
        "印发给你们，请遵照执行。</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p>" + to_html(build_t2(t2))
        + "<p>三、收到和处理政府信息公开申请情况</p>" + to_html(build_t3("2021", blank3))
        + "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + to_html(build_t4([""] * 15))
        + "<p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p>"
        "<p>国务院办公厅政府信息与政务公开办公室</p><p>2021年9月26日</p>"
    )
    return title, body


def add_confusable(kit: SiteKit, kind: str, year: int, column_dir: str, column: str,
                   crumbs: list[tuple[str, str]], *, when: datetime | None = None, slow: bool = False) -> Item:
    if kind == "format-notice":
        title, body = format_notice()
        when = when or datetime(2021, 9, 29, 15, 0)
    else:
        title, body = confusable_doc(kind, kit.s.agency, year)
        when = when or (datetime(year + 1, 1, 20, 9, 0) if kind in ("website-report", "interpretation")
                        else datetime(year, 4, 12, 10, 0) if kind == "work-points" else datetime(year + 1, 2, 26, 9, 0))
    path = kit.article_path(column_dir, when)
    kit.article(path, title, body, when, column, crumbs, delay_state="slow_delay" if slow else None)
    kit.web.confusables.append(Confusable(kit.url(path), title, kind))
    return Item(title, path, when)


def broken_item(kit: SiteKit, column_dir: str, title: str, when: datetime) -> Item:
    """A list entry whose page is gone (404)."""
    return Item(title, kit.article_path(column_dir, when), when)


# Per-site chain of generated reports (keyed by the site's own RNG): consecutive modern years carry
# 四、结转下年度 into next year's 二、上年结转; a seed report or a format change breaks the chain.
_CHAINS: weakref.WeakKeyDictionary[random.Random, tuple[int, list[int]]] = weakref.WeakKeyDictionary()


def gen(rng: random.Random, ident: Ident, year: int, **kw: object) -> GenReport:
    last = _CHAINS.get(rng)
    carry = last[1] if last and last[0] == year - 1 and fmt_for(year - 1) != "legacy" else None
    rep = make_report(rng, ident.agency, year, carry=carry, **kw)  # type: ignore[arg-type]
    if rep.fmt != "legacy":
        _CHAINS[rng] = (year, rep.t3[-1][:6])
    return rep


def _trs_pager(count: int, current: int, prefix: str, ext: str, static_links: bool) -> str:
    script = (f'<script type="text/javascript">var countPage = {count};var currentPage = {current};'
              f'createPageHTML({count}, {current}, "{prefix}", "{ext}");</script>')
    if not static_links:
        return f'<div class="page">{script}</div>'

    def name(n: int) -> str:
        return f"{prefix}.{ext}" if n == 0 else f"{prefix}_{n}.{ext}"

    links = [f'<a href="{name(0)}">首页</a>']
    if current > 0:
        links.append(f'<a href="{name(current - 1)}">上一页</a>')
    if current < count - 1:
        links.append(f'<a href="{name(current + 1)}">下一页</a>')
    links.append(f'<a href="{name(count - 1)}">尾页</a>')
    return f'<div class="page">{script}{" ".join(links)} 共{count}页</div>'


TRS_PAGER_JS = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var out = "";
  for (var i = 0; i < _nPageCount; i++) {
    var name = (i == 0) ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
    out += (i == _nCurrIndex) ? "<span>" + (i + 1) + "</span> " : "<a href='" + name + "'>" + (i + 1) + "</a> ";
  }
  document.write(out);
}
</script>
"""


def paged_list(kit: SiteKit, column_dir: str, column: str, crumbs: list[tuple[str, str]], items: list[Item],
               per_page: int, *, static_links: bool, ext: str = "html") -> None:
    """TRS list pages index.EXT, index_1.EXT … with createPageHTML (and optionally static links)."""
    items = sorted(items, key=lambda it: it.when, reverse=True)
    count = max(1, -(-len(items) // per_page))
    for n in range(count):
        chunk = items[n * per_page:(n + 1) * per_page]
        lis = "\n".join(kit.item_li(it.href, it.title, it.when) for it in chunk)
        name = "index" if n == 0 else f"index_{n}"
        pager = _trs_pager(count, n, "index", ext, static_links)
        kit.list_page(f"{column_dir}{name}.{ext}", column, crumbs, lis, pager, head_extra=TRS_PAGER_JS,
                      when=max((it.when for it in chunk), default=None))


# ------------------------------------------------------------------------------------ 1 Laoshan


def site_laoshan(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="trs", counter="js",
                      id_code="3702120011", icp="鲁ICP备05016574号-1", police="鲁公网安备 37021202000123号",
                      copyright="青岛市崂山区人民政府办公室", sponsor="青岛市崂山区人民政府办公室")
    kit = SiteKit(web, style, rng)
    col, colname = "/zfxxgk/zfxxgknb/", "政府信息公开年报"
    build_common(kit, (colname, f"{col}index.html"))
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    items: list[Item] = []
    for year in range(2014, 2024):
        when = pub_date(rng, year)
        path = kit.article_path(col, when)
        revised = None
        if year == 2019 and ident.original:
            doc = load_seed("000")
        else:
            rep = gen(rng, ident, year, min_total=2 if year == 2021 else 0)
            doc = rep.doc()
            if year == 2021 and ident.original:
                revised = rep.doc(revised=True)
                old = rep.t3[0][6]
                web.revised_url, web.revised_cell = kit.url(path), f"requests.rows.new_received[6]: {old} -> {old + 1}"
        report_page(kit, path, doc, when, colname, crumbs, revised=revised)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    for year in (2020, 2021, 2022, 2023):
        items.append(add_confusable(kit, "work-points", year, col, colname, crumbs))
        items.append(add_confusable(kit, "website-report", year, col, colname, crumbs, slow=year == 2022))
    items.append(add_confusable(kit, "interpretation", 2022, col, colname, crumbs))
    items.append(add_confusable(kit, "deployment-notice", 2021, col, colname, crumbs))
    items.append(broken_item(kit, col, f"{ident.agency}2013年政府信息公开工作年度报告", datetime(2014, 3, 20, 9, 0)))
    paged_list(kit, col, colname, crumbs, items, 10, static_links=True)


# ------------------------------------------------------------------------------------ 2 Hengyang


def site_hengyang(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="trs", ext=".shtml", counter="js",
                      id_code="4304000029", icp="湘ICP备13002876号", police="湘公网安备 43040502000187号",
                      copyright=ident.agency, sponsor=ident.agency, nav_gk="政府信息公开")
    kit = SiteKit(web, style, rng)
    col, colname = "/zwgk/xxgknb/", "政府信息公开工作年度报告"
    build_common(kit, (colname, f"{col}index.shtml"), hub_path="/zwgk/index.shtml")
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.shtml")]
    items: list[Item] = []
    for year in range(2015, 2024):
        when = pub_date(rng, year)
        path = kit.article_path(col, when)
        doc = load_seed("003") if year == 2019 and ident.original else gen(rng, ident, year, busy=60).doc()
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    for year in (2020, 2021, 2022, 2023):
        items.append(add_confusable(kit, "rule-of-law", year, col, colname, crumbs))
    items.append(add_confusable(kit, "format-notice", 2021, col, colname, crumbs))
    for year in (2022, 2023):
        items.append(add_confusable(kit, "work-points", year, col, colname, crumbs))
    paged_list(kit, col, colname, crumbs, items, 6, static_links=False, ext="shtml")


# ------------------------------------------------------------------------------------ 3 Wulong (Hanweb)

JPAGE_PARAMS = ("appid=1&webid=1&path=/&columnid=123&unitid=4567&webname=%E6%AD%A6%E9%9A%86&permissiontype=0")


def site_wulong(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="hanweb",
                      id_code=WULONG_FOOTER["id_code"], icp=WULONG_FOOTER["icp"], police=WULONG_FOOTER["police"],
                      copyright=WULONG_FOOTER["copyright"], sponsor=WULONG_FOOTER["sponsor"],
                      footer_links=list(WULONG_FOOTER["links"]))
    kit = SiteKit(web, style, rng)
    col_url, colname = "/col/col123/index.html", "政府信息公开年报"
    build_common(kit, (colname, col_url), hub_path="/col/col100/index.html")
    crumbs = [("政府信息公开", kit.hub_path), (colname, col_url)]
    items: list[Item] = []
    for year in range(2016, 2024):
        when = pub_date(rng, year)
        path = kit.article_path("", when)
        doc = load_seed("002") if year == 2021 and ident.original else gen(rng, ident, year, busy=4).doc()
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    for year in (2021, 2022):
        items.append(add_confusable(kit, "website-report", year, "", colname, crumbs))
    items.append(add_confusable(kit, "work-points", 2023, "", colname, crumbs))
    items.sort(key=lambda it: it.when, reverse=True)
    records = [f'<li><a href="{it.href}" title="{esc(it.title)}" target="_blank">{esc(it.title)}</a>'
               f"<span>{it.when:%Y-%m-%d}</span></li>" for it in items]
    total = len(records)
    inline = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:5])
    datastore = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
                 f'page=1&{JPAGE_PARAMS}"></a>]]></nextgroup><recordset>{inline}</recordset></datastore></script>')
    config = ("<script type=\"text/javascript\">$(document).ready(function(){$('#4567').jpage({"
              "dataStore:dataStore, containerSelector:'#4567', proxyUrl:'/module/web/jpage/dataproxy.jsp', "
              f"perPage:5, totalRecord:{total}, showMode:'full', isGoPage:true, groupSize:3, "
              "ajaxParam:{col:1,appid:1,webid:1,path:'/',columnid:123,sourceContentType:1,unitid:4567,"
              "webname:'武隆',permissiontype:0}});});</script>")
    main = (f'<div class="column"><div class="col-title">{colname}</div><div id="4567">{datastore}</div>'
            f"{config}</div>")
    kit.add(col_url, kit.frame(colname, crumbs, main, head_extra='<script src="/module/web/jpage/jpage.js"></script>'))

    def dataproxy(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        def num(name: str, default: int) -> int:
            raw = (q.get(name) or [str(default)])[0]
            return int(raw) if raw.isdigit() else default

        per = max(1, num("perpage", 5))
        start = max(1, num("startrecord", 1))
        end = num("endrecord", start + per - 1)
        if (q.get("columnid") or ["123"])[0] != "123":
            chosen: list[str] = []
        else:
            chosen = records[start - 1:end]
        pages = -(-total // per)
        xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>{total}</totalrecord>"
               f"<totalpage>{pages}</totalpage><recordset>"
               + "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen) + "</recordset></datastore>")
        return Response(200, "text/xml; charset=utf-8", xml.encode())

    web.handlers[(ident.host, "/module/web/jpage/dataproxy.jsp")] = dataproxy


# ------------------------------------------------------------------------------------ 4 Jilin (JS only)


def site_jilin(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="generic",
                      id_code="2200000013", icp="吉ICP备05002069号", police="吉公网安备 22010202000456号",
                      nav_gk="政府信息公开")
    kit = SiteKit(web, style, rng)
    col, colname = "/zwgk/zfxxgknb/", "政府信息公开年报"
    build_common(kit, (colname, f"{col}index.html"), hub_path="/zwgk/index.html")
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    data = []
    for year in range(2015, 2024):
        when = pub_date(rng, year)
        doc_id = rng.randint(1000, 9999)
        path = f"{col}{when:%Y%m}/t{when:%Y%m%d}_{doc_id}.html"
        defaced = year == 2017 and ident.original
        if defaced:
            when = datetime(2018, 3, 19, 14, 31)
            path = f"{col}{when:%Y%m}/t{when:%Y%m%d}_{doc_id}.html"
            doc = load_seed("001")
            kit.article(path, doc.title, doc_html(doc), when, colname, crumbs, source="",
                        extra_body="<p class=\"editor\">责任编辑:王京</p>")
        else:
            doc = gen(rng, ident, year).doc()
            report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)], defaced=defaced)
        data.append([f"{when:%Y%m}", f"{when:%Y%m%d}", doc_id, doc.title, f"{when:%Y-%m-%d}"])
    data.sort(key=lambda d: d[1], reverse=True)
    blob = base64.b64encode(json.dumps(data, ensure_ascii=False).encode()).decode()
    script = (
        "<script type=\"text/javascript\">\n(function(){\n"
        f"  var raw = \"{blob}\";\n"
        "  var rows = JSON.parse(decodeURIComponent(escape(window.atob(raw))));\n"
        "  var base = ['', 'zwgk', 'zfxxgknb', ''].join('/');\n"
        "  var ul = document.getElementById('doclist');\n"
        "  rows.forEach(function(r){\n"
        "    var li = document.createElement('li');\n"
        "    var a = document.createElement('a');\n"
        "    a.href = base + r[0] + '/t' + r[1] + '_' + r[2] + '.ht' + 'ml';\n"
        "    a.textContent = r[3]; a.title = r[3];\n"
        "    var s = document.createElement('span'); s.textContent = r[4];\n"
        "    li.appendChild(a); li.appendChild(s); ul.appendChild(li);\n"
        "  });\n})();\n</script>"
    )
    main = (f'<div class="column"><div class="col-title">{colname}</div>'
            f'<ul id="doclist"></ul>\n{script}</div>')
    kit.add(f"{col}index.html", kit.frame(colname, crumbs, main))


# ------------------------------------------------------------------------------------ 5 Guangzhou (GBK)


def site_guangzhou(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="generic", encoding="gbk",
                      id_code="4401000084", icp="粤ICP备12034567号", police="粤公网安备 44010402000321号",
                      extra_tools=" 听全文 分享到",
                      extra_after='<div class="related"><p>责任编辑：李珺 审核：陈堃 终审：朱镕</p>'
                                  "<p>相关附件</p><p>相关新闻</p><p>关注 · 广州政府网</p></div>\n")
    kit = SiteKit(web, style, rng)
    col, colname = "/xxgk/ndbg/", "年度报告"
    build_common(kit, (colname, f"{col}index.html"), hub_path="/xxgk/index.html")
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    items: list[Item] = []
    for year in range(2010, 2023):
        if year == 2013 and ident.original:
            when = datetime(2014, 3, 11, 10, 0)
            doc = load_seed("004")
        else:
            when = pub_date(rng, year)
            # one page writes zeros in 表三 as "—" (report-format.md §6 blanks vs zeros)
            doc = gen(rng, ident, year, busy=40, blank_zeros="—" if year == 2021 else None).doc()
        path = kit.article_path(col, when)
        report_page(kit, path, doc, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path)])
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(kit, "rule-of-law", 2021, col, colname, crumbs))
    items.append(broken_item(kit, col, f"{ident.agency}2009年政府信息公开年度报告", datetime(2010, 3, 30, 9, 0)))
    items.sort(key=lambda it: it.when, reverse=True)
    for n in range(2):
        chunk = items[n * 10:(n + 1) * 10]
        lis = "\n".join(kit.item_li(it.href, it.title, it.when) for it in chunk)
        pager = ('<div class="page"><a href="index_1.html">下一页</a> 共2页</div>' if n == 0
                 else '<div class="page"><a href="index.html">上一页</a> 共2页</div>')
        kit.list_page(f"{col}{'index' if n == 0 else 'index_1'}.html", colname, crumbs, lis, pager)


# ------------------------------------------------------------------------------------ 6 Dongcheng (PDF)


def site_dongcheng(web: Web, ident: Ident, rng: random.Random) -> None:
    style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="ucap",
                      id_code="1101010009", icp="京ICP备05070218号", police="京公网安备 11010102001402号")
    kit = SiteKit(web, style, rng)
    col, colname = "/zwgk/zfxxgknb/", "政府信息公开年报"
    build_common(kit, (colname, f"{col}index.html"), hub_path="/zwgk/index.html")
    crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
    items: list[Item] = []
    for year in range(2019, 2024):
        when = pub_date(rng, year)
        doc = gen(rng, ident, year, busy=20).doc()
        pdf = f"{col}{when:%Y%m}/P0{when:%Y%m%d}{rng.randint(1000000, 9999999)}.pdf"
        kit.add_bytes(pdf, "application/pdf", lazy=lazy("pdf", doc), when=when)
        if year == 2019:  # linked straight from the list: no HTML page at all
            truth(web, ident.agency, doc, [kit.url(pdf)], kind="pdf")
            items.append(Item(doc.title, pdf, when))
            continue
        path = kit.article_path(col, when)
        body = (f'<p style="text-indent:2em">现将{esc(doc.title)}予以公布，详见附件。</p>'
                f'<p>附件：<a href="{pdf}">{esc(doc.title)}.pdf</a></p>')
        kit.article(path, doc.title, body, when, colname, crumbs)
        truth(web, ident.agency, doc, [kit.url(path), kit.url(pdf)], kind="pdf")
        items.append(Item(doc.title, path, when))
    items.append(add_confusable(kit, "work-points", 2023, col, colname, crumbs))
    items.sort(key=lambda it: it.when, reverse=True)
    lis = "\n".join(kit.item_li(it.href, it.title, it.when) for it in items)
    kit.list_page(f"{col}index.html", colname, crumbs, lis)


CORE_SITES = [
    (site_laoshan, Ident("rsj.laoshan.gov.cn", "青岛市崂山区人力资源和社会保障局", "山东省青岛市崂山区", "county"), "崂山区"),
    (site_jilin, Ident("hrss.jl.gov.cn", "吉林省人力资源和社会保障厅", "吉林省", "province"), "吉林省"),
    (site_wulong, Ident("rlsbj.cqwl.gov.cn", "重庆市武隆区人力资源和社会保障局", "重庆市武隆区", "county"), "武隆区"),
    (site_hengyang, Ident("rlsbj.hengyang.gov.cn", "衡阳市人力资源和社会保障局", "湖南省衡阳市", "city"), "衡阳市"),
    (site_guangzhou, Ident("rsj.gz.gov.cn", "广州市人力资源和社会保障局", "广东省广州市", "city"), "广州市"),
    (site_dongcheng, Ident("rsj.bjdch.gov.cn", "北京市东城区人力资源和社会保障局", "北京市东城区", "county"), "东城区"),
]
