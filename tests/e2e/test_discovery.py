"""Discovery end to end: each list shape and attachment type through ``scrapy crawl reports``.

One portal for the module (the standard web plus the bad-input agency); every crawl runs the real
spider on a small seed CSV, into its own SQLite archive. A scrapy process takes ~5 s to start, so
the agencies come in four groups of shapes and each group is crawled once (cached by seed set);
each test looks only at its own agencies in the crawl.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from storage.archive import Archive
from tests.e2e.crawl import CrawlResult, run_crawl
from tests.portal import Portal, build_web
from tests.portal.model import Agency, Page, RequestLog, Response, Web

pytestmark = pytest.mark.e2e

# Crawl groups: each test names the group holding the agencies it needs.
STATIC_AND_JS = ("rsj.laoshan.gov.cn", "rlsbj.hengyang.gov.cn", "rlsbj.cqwl.gov.cn", "hrss.jl.gov.cn")
API_LISTS = ("www.yuhang.gov.cn", "www.lg.gov.cn", "www.qingxiu.gov.cn", "jyj.lishui.gov.cn")
MOVED_AND_FILES = ("czj.hzxh.gov.cn", "www.yanta.gov.cn", "rsj.bjdch.gov.cn", "jyj.cdwh.gov.cn")
BAD_INPUT = ("www.xiaonan.gov.cn", "rsj.bjdch.gov.cn")
# Settings of the bad-input crawl: small limits so a hanging page and a huge file fail fast.
BAD_INPUT_SETTINGS = ("DOWNLOAD_TIMEOUT=4", "DOWNLOAD_MAXSIZE=1000000", "RETRY_TIMES=0")


@dataclass
class Crawled:
    hosts: tuple[str, ...]
    result: CrawlResult
    stats: dict[str, Any]
    reports: list[dict[str, Any]]
    requests: list[RequestLog]

    @property
    def archived_urls(self) -> set[str]:
        return {u for r in self.reports for u in r["urls"]}

    def agency(self, host: str) -> dict[str, Any]:
        return next(a for a in self.stats["per_agency"] if urlsplit(a["url"]).hostname == host)

    def paths(self, host: str) -> list[str]:
        return [r.path for r in self.requests if r.host == host]


@pytest.fixture(scope="module")
def dweb() -> Web:
    return build_web(bad_input=True)


@pytest.fixture(scope="module")
def dportal(dweb: Web) -> Iterator[Portal]:
    p = Portal(dweb, latency=0.0)
    p.start(host="127.0.0.1", port=0)
    p.set_state("slow_delay", 0.2)
    p.set_state("hang_delay", 12.0)
    yield p
    p.stop()


@pytest.fixture(scope="module")
def crawl(dportal: Portal, dweb: Web, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """``crawl(*hosts, settings=())`` → the cached ``Crawled`` of those agencies' seeds only."""
    done: dict[tuple[tuple[str, ...], tuple[str, ...]], Crawled] = {}

    def run(*hosts: str, settings: tuple[str, ...] = ()) -> Crawled:
        key = (tuple(sorted(hosts)), settings)
        if key in done:
            return done[key]
        tmp = tmp_path_factory.mktemp("discovery")
        lines = dweb.seeds_csv().splitlines()
        rows = [line for line in lines[1:] if any(f"//{h}/" in line for h in hosts)]
        assert len(rows) == len(hosts), f"unknown seed host in {hosts}"
        seeds = tmp / "seeds.csv"
        seeds.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
        db_url = f"sqlite:///{tmp / 'nianbao.db'}"
        dportal.reset_log()
        result = run_crawl(dportal.proxy_url, seeds, db_url, *settings, timeout=240)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        archive = Archive.from_url(db_url)
        done[key] = Crawled(
            key[0], result, archive.runs()[-1]["stats"], archive.reports(), list(dportal.requests)
        )
        return done[key]

    return run


def agency_of(web: Web, host: str) -> str:
    return next(a.name for a in web.agencies if urlsplit(a.url).hostname == host)


def assert_all_reports_and_no_confusable(c: Crawled, web: Web, host: str) -> None:
    name = agency_of(web, host)
    truth = [t for t in web.reports if t.agency == name]
    assert truth
    missing = [(t.year, t.urls) for t in truth if not any(u in c.archived_urls for u in t.urls)]
    assert not missing, f"{host}: reports not found: {missing}"
    mine = [r for r in c.reports if r["agency"] == name]
    # page + attachment = one report
    assert len(mine) == len(truth), (host, [(r["year"], r["agency"], r["urls"]) for r in c.reports])
    true_urls = {u for t in truth for u in t.urls}
    wrong = [u for r in mine for u in r["urls"] if u not in true_urls]
    assert not wrong, f"{host}: non-reports archived: {wrong}"
    confusables = {x.url for x in web.confusables}
    assert not confusables & c.archived_urls


def query(path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(path).query)


# ------------------------------------------------------------------------------------ list shapes


def test_trs_static_pagination(crawl: Any, dweb: Web) -> None:
    c = crawl(*STATIC_AND_JS)
    assert_all_reports_and_no_confusable(c, dweb, "rsj.laoshan.gov.cn")
    paths = c.paths("rsj.laoshan.gov.cn")
    assert {f"/zfxxgk/zfxxgknb/index_{n}.html" for n in (1, 2)} <= set(paths)
    assert "/zfxxgk/zfxxgknb/index_3.html" not in paths  # createPageHTML(3, …): three pages, no more
    assert c.agency("rsj.laoshan.gov.cn")["errors"].get("http_404") == 1  # the list's dead 2013 entry


def test_trs_pagination_only_by_create_page_html(crawl: Any, dweb: Web) -> None:
    c = crawl(*STATIC_AND_JS)
    assert_all_reports_and_no_confusable(c, dweb, "rlsbj.hengyang.gov.cn")
    index = dweb.pages[("rlsbj.hengyang.gov.cn", "/zwgk/xxgknb/index.shtml")].text or ""
    assert 'href="index_1.shtml"' not in index  # only the script knows the other pages
    count = int(re.search(r"countPage = (\d+)", index).group(1))  # type: ignore[union-attr]
    listed = {
        p for p in c.paths("rlsbj.hengyang.gov.cn") if re.fullmatch(r"/zwgk/xxgknb/index(_\d+)?\.shtml", p)
    }
    assert listed == {"/zwgk/xxgknb/index.shtml"} | {f"/zwgk/xxgknb/index_{n}.shtml" for n in range(1, count)}


def test_hanweb_dataproxy_asks_one_large_page(crawl: Any, dweb: Web) -> None:
    c = crawl(*STATIC_AND_JS)
    assert_all_reports_and_no_confusable(c, dweb, "rlsbj.cqwl.gov.cn")
    calls = [p for p in c.paths("rlsbj.cqwl.gov.cn") if p.startswith("/module/web/jpage/dataproxy.jsp")]
    assert len(calls) == 1, calls
    assert int(query(calls[0])["endrecord"][0]) >= 11 and query(calls[0])["columnid"] == ["123"]
    assert c.agency("rlsbj.cqwl.gov.cn")["browser_pages"] == 0  # scripts, but a list API: no browser


def test_hanweb_pagenum_paging_on_the_disclosure_platform(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    assert_all_reports_and_no_confusable(c, dweb, "www.yuhang.gov.cn")
    first = next(p for p in c.paths("xxgk.yuhang.gov.cn") if p != "/robots.txt")
    assert first == "/"  # the platform's root, a meta refresh to the column
    pages = {query(p)["pageNum"][0] for p in c.paths("xxgk.yuhang.gov.cn") if "pageNum=" in p}
    assert pages == {"1", "2", "3"}  # totalRecord 11 / perPage 4, from the pager script
    agency = c.agency("www.yuhang.gov.cn")
    assert "xxgk.yuhang.gov.cn" in agency["domains"]  # joined as the linked 政府信息公开平台


def test_gkmlpt_json_api(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    assert_all_reports_and_no_confusable(c, dweb, "www.lg.gov.cn")
    api = [p for p in c.paths("www.lg.gov.cn") if p.startswith("/gkmlpt/api/")]
    assert sorted(query(p)["page"][0] for p in api) == ["1", "2"]  # 11 articles, 10 a page
    assert all(p.startswith("/gkmlpt/api/all/2862?") and query(p)["sid"][0] for p in api)


def test_load_more_endpoint(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    assert_all_reports_and_no_confusable(c, dweb, "www.qingxiu.gov.cn")
    more = sorted(
        int(query(p)["page"][0]) for p in c.paths("www.qingxiu.gov.cn") if p.startswith("/api/list/more")
    )
    assert more == [2, 3]  # 9 items, 4 inline, 4 a batch: page 3 says hasMore false


def test_xxgk_annual_report_jsp(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    assert_all_reports_and_no_confusable(c, dweb, "jyj.lishui.gov.cn")
    years = {query(p)["fbtime"][0] for p in c.paths("jyj.lishui.gov.cn") if "xxgkAnnualReport.jsp" in p}
    assert years == {str(y) for y in range(2018, 2024)}


def test_moved_columns(crawl: Any, dweb: Web) -> None:
    c = crawl(*MOVED_AND_FILES)
    for host in ("czj.hzxh.gov.cn", "www.yanta.gov.cn"):
        assert_all_reports_and_no_confusable(c, dweb, host)
    assert c.agency("czj.hzxh.gov.cn")["errors"].get("http_404", 0) >= 1  # the hub's old link
    yanta = c.agency("www.yanta.gov.cn")["errors"]
    assert yanta.get("soft_404", 0) >= 1  # old path and the 下一页 past the end answer 200 页面不存在
    listed = [
        p for p in c.paths("www.yanta.gov.cn") if p.startswith("/zfxxgk/nb_2022n/") and p.count("/") == 3
    ]
    assert len(listed) <= 4  # three list pages and the one soft-404 page that ends the chain


def test_javascript_only_list_through_the_browser_only_there(crawl: Any, dweb: Web) -> None:
    c = crawl(*STATIC_AND_JS)
    assert_all_reports_and_no_confusable(c, dweb, "hrss.jl.gov.cn")
    assert 1 <= c.agency("hrss.jl.gov.cn")["browser_pages"] <= 2
    assert c.agency("rlsbj.cqwl.gov.cn")["browser_pages"] == 0
    assert c.stats["browser_pages"] == c.agency("hrss.jl.gov.cn")["browser_pages"]
    stats = c.result.stderr
    opened = int(re.search(r"'playwright/page_count': (\d+)", stats).group(1))  # type: ignore[union-attr]
    closed = int(re.search(r"'playwright/page_count/closed': (\d+)", stats).group(1))  # type: ignore[union-attr]
    assert opened == closed >= 1  # every browser page was closed after use
    # the browser went through the proxy: the portal saw it ask for the list page
    assert "/zwgk/zfxxgknb/index.html" in c.paths("hrss.jl.gov.cn")


# ------------------------------------------------------------------------------------ attachments


def _attachment_report(c: Crawled, web: Web, host: str, ext: str) -> list[str]:
    urls = [
        u
        for t in web.reports
        if any(urlsplit(x).hostname == host for x in t.urls)
        for u in t.urls
        if u.endswith(ext)
    ]
    fetched = {f"http://{r.host}{r.path}" for r in c.requests if r.status == 200}
    assert urls and set(urls) <= fetched, set(urls) - fetched
    return urls


def test_pdf_attachments(crawl: Any, dweb: Web) -> None:
    c = crawl(*MOVED_AND_FILES)
    assert_all_reports_and_no_confusable(c, dweb, "rsj.bjdch.gov.cn")
    pdfs = _attachment_report(c, dweb, "rsj.bjdch.gov.cn", ".pdf")
    texts = {u: r for r in c.reports for u in r["urls"]}
    assert all(u in texts for u in pdfs)  # the PDF carries the report, its page is a sighting


def test_docx_attachments(crawl: Any, dweb: Web) -> None:
    c = crawl(*MOVED_AND_FILES)
    assert_all_reports_and_no_confusable(c, dweb, "jyj.cdwh.gov.cn")
    docx = _attachment_report(c, dweb, "jyj.cdwh.gov.cn", ".docx")
    archived = c.archived_urls
    assert all(u in archived for u in docx)


def test_pdf_in_viewer_iframe(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    (pdf,) = _attachment_report(c, dweb, "xxgk.yuhang.gov.cn", ".pdf")
    report = next(r for r in c.reports if pdf in r["urls"])
    assert report["year"] == 2022 and len(report["urls"]) == 2  # the viewer page and its file: one report
    assert "/pdfjs/web/viewer.html" not in {p.split("?")[0] for p in c.paths("xxgk.yuhang.gov.cn")}


def test_docx_behind_onclick(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    (docx,) = _attachment_report(c, dweb, "xxgk.yuhang.gov.cn", ".docx")
    report = next(r for r in c.reports if docx in r["urls"])
    assert report["year"] == 2023 and len(report["urls"]) == 2


# ------------------------------------------------------------------------------------ focus and scope


def test_traps_and_mirrors_are_refused(crawl: Any, dweb: Web) -> None:
    c = crawl(*API_LISTS)
    hosts = {r.host for r in c.requests}
    assert not any(h.endswith("-gov.com") for h in hosts)  # the commercial mirror is never asked
    assert c.stats["refused"].get("non_gov_host", 0) >= 1
    paths = [r.path for r in c.requests]
    assert not [p for p in paths if p.startswith(("/search", "/zwgk/rili/"))]


@pytest.mark.parametrize(
    "hosts", [STATIC_AND_JS, API_LISTS, MOVED_AND_FILES], ids=["static-js", "api", "moved-files"]
)
def test_fetched_pages_at_most_three_times_the_pages_that_lead_to_reports(
    crawl: Any, dweb: Web, hosts: tuple[str, ...]
) -> None:
    c = crawl(*hosts)
    for host in hosts:
        a = c.agency(host)
        truth = [t for t in dweb.reports if t.agency == a["agency"]]
        assert a["needed_pages"] >= len(truth) + 1  # every report (or its file) and at least its list
        assert a["fetch_ratio"] is not None and a["fetch_ratio"] <= 3.0, a
        # the spider's own count agrees with what the server saw (robots.txt aside)
        seen = [r for r in c.requests if r.host in a["domains"] and r.path != "/robots.txt"]
        assert a["pages"] - a["browser_pages"] <= len(seen) <= a["pages"] + 5 * a["browser_pages"], (
            a,
            len(seen),
        )
        assert len(seen) <= 3 * a["needed_pages"] + 5 * a["browser_pages"]
        assert re.search(
            rf"{re.escape(a['agency'])}: fetched \d+ pages, \d+ lead to reports \(ratio", c.result.stderr
        )


# ------------------------------------------------------------------------------------ bad input


def test_bad_input_is_counted_by_reason_and_the_crawl_goes_on(crawl: Any, dweb: Web) -> None:
    c = crawl(*BAD_INPUT, settings=BAD_INPUT_SETTINGS)
    assert_all_reports_and_no_confusable(c, dweb, "www.xiaonan.gov.cn")  # the two good ones
    assert_all_reports_and_no_confusable(c, dweb, "rsj.bjdch.gov.cn")  # and the next agency
    expected = {
        "http_404": 1,  # broken link
        "redirect_loop": 1,
        "redirect_other_host": 1,
        "http_500": 1,
        "timeout": 1,
        "download_maxsize": 1,
        "attachment_corrupt_pdf": 1,
        "attachment_encrypted_pdf": 1,
    }
    assert c.agency("www.xiaonan.gov.cn")["errors"] == expected
    for reason, n in expected.items():
        assert c.stats["failures"].get(reason, 0) >= n, (reason, c.stats["failures"])
    assert c.stats["exit_status"] == 0
    assert not [r for r in c.requests if r.host.endswith("mirror.com")]  # refused before connecting
    loops = [r for r in c.requests if r.path == "/zfxxgk/zfxxgknb/202103/t20210301_2.html"]
    assert len(loops) == 1  # the loop is seen at once, not followed REDIRECT_MAX_TIMES times
    assert "run summary" in c.result.stderr and "redirect_loop 1" in c.result.stderr


def test_page_budget_stops_a_site(crawl: Any) -> None:
    c = crawl("rsj.gz.gov.cn", settings=("NIANBAO_SITE_PAGE_BUDGET=6",))
    a = c.agency("rsj.gz.gov.cn")
    assert a["pages"] == 6 and a["budget_exhausted"] and a["ok"]
    assert c.stats["refused"].get("budget", 0) >= 1 and c.stats["exit_status"] == 0
    assert len([r for r in c.requests if r.host == "rsj.gz.gov.cn" and r.path != "/robots.txt"]) == 6


# ------------------------------------------------------------------ lists no plug-in knows (generic)
# A small web of hand-written sites whose 年报 lists none of the list plug-ins was written for:
# a list drawn by XMLHttpRequest from JSON with a pager that has no URL; a gkmlpt-style catalogue
# whose SID and category id stand on two pages, the id as a relative fragment; and a site whose
# lists break (malformed JSON, a pager that loops, a catalogue API that answers 500).

def _html(title: str, body: str, head: str = "") -> Page:
    return Page(text=f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
                     f"<body>{body}</body></html>")


def _report(agency: str, year: int) -> Page:
    return _html(f"{agency}{year}年政府信息公开工作年度报告",
                 f"<h1>{agency}{year}年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度……</p>")


def _json(data: object, status: int = 200) -> Response:
    return Response(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode())


def _generic_web() -> Web:
    web = Web()
    # 1. XHR list with a URL-less "下一页" (page 2 only after a click), its endpoint computed.
    a, agency_a = "www.xhra.gov.cn", "甲市统计局"
    web.pages[(a, "/")] = _html(agency_a, '<a href="/xxgk/">政府信息公开</a> <a href="/xwdt/">新闻动态</a>')
    web.pages[(a, "/xxgk/")] = _html("政府信息公开", '<a href="/xxgk/gznb/">政府信息公开工作年报</a>')
    script = """<script>
var p = 1;
var api = ['', 'data', 'col77.json'].join('/');  // built at run time: only a browser knows it
function load() {
  var x = new XMLHttpRequest();
  x.open('GET', api + '?p=' + p);
  x.onload = function () {
    var d = JSON.parse(x.responseText);
    document.getElementById('list').innerHTML = d.rows.map(function (r) {
      return '<li><a href="' + r.docUrl + '">' + r.docName + '</a></li>'; }).join('');
    if (!d.more) { document.getElementById('next').style.display = 'none'; }
  };
  x.send();
}
document.getElementById('next').onclick = function () { p += 1; load(); };
load();
</script>"""
    web.pages[(a, "/xxgk/gznb/")] = _html(
        "政府信息公开工作年报", '<ul id="list"></ul><span id="next" style="cursor:pointer">下一页</span>' + script)
    years_a = {1: (2023, 2022), 2: (2021, 2020)}

    def col77(q: dict[str, list[str]], body: bytes, state: dict) -> Response:
        p = int((q.get("p") or ["1"])[0])
        rows = [{"docName": f"{agency_a}{y}年政府信息公开工作年度报告", "docUrl": f"/xxgk/gznb/{y}/t{y}0120_{y}.html"}
                for y in years_a.get(p, ())]
        return _json({"rows": rows, "more": p < 2})

    web.handlers[(a, "/data/col77.json")] = col77
    for years in years_a.values():
        for y in years:
            web.pages[(a, f"/xxgk/gznb/{y}/t{y}0120_{y}.html")] = _report(agency_a, y)
    # 2. gkmlpt-style: the SID on the catalogue page, the 年报 category on another page as "#3101".
    b, agency_b = "www.gkmb.gov.cn", "乙区人民政府"
    web.pages[(b, "/")] = _html(agency_b, '<a href="/gkmlpt/index">政府信息公开</a> <a href="/xxgk/ml.html">信息公开目录</a>')
    web.pages[(b, "/gkmlpt/index")] = _html(
        "政府信息公开", '<div id="app"><p>加载中……</p></div>',
        "<script>window._CONFIG = {SID: 'gd_gkmb', API_BASE: '/gkmlpt/api/'};</script>")
    web.pages[(b, "/xxgk/ml.html")] = _html(
        "信息公开目录", '<ul><li><a href="#3100">机构职能</a></li><li><a href="#3101">政府信息公开年报</a></li></ul>'
                       '<script>route(location.hash)</script>')
    years_b = (2023, 2022, 2021)

    def gk_api(q: dict[str, list[str]], body: bytes, state: dict) -> Response:
        if (q.get("sid") or [""])[0] != "gd_gkmb":
            return _json({"error": "bad sid"}, 403)
        p = int((q.get("page") or ["1"])[0])
        chunk = years_b[(p - 1) * 2 : p * 2]
        return _json({"total": len(years_b), "articles": [
            {"title": f"{agency_b}{y}年政府信息公开工作年度报告", "url": f"/gkmlpt/content/{y}/post_{y}.html"} for y in chunk]})

    web.handlers[(b, "/gkmlpt/api/all/3101")] = gk_api
    for y in years_b:
        web.pages[(b, f"/gkmlpt/content/{y}/post_{y}.html")] = _report(agency_b, y)
    # 3. Broken lists: malformed JSON behind a looping "加载更多", a catalogue API answering 500;
    #    its one static list still gives its report.
    c, agency_c = "www.brk.gov.cn", "丙县人民政府"
    web.pages[(c, "/")] = _html(agency_c, '<a href="/xxgk/nb/">政府信息公开年报</a> <a href="/gkmlpt/index">信息公开目录</a>'
                                          ' <a href="/xxgk/old/">年度报告</a>')
    web.pages[(c, "/xxgk/nb/")] = _html("政府信息公开年报", """<ul id="list"></ul><button id="more">加载更多</button>
<script>
function load() { fetch('/api/nb.json').then(function (r) { return r.text(); }).then(function (t) {
  var d = JSON.parse(t); document.getElementById('list').innerHTML = d.map(function (r) { return r.title; }).join(''); }); }
document.getElementById('more').onclick = load; load();
</script>""")
    web.pages[(c, "/api/nb.json")] = Page(content_type="application/json", text='{"list": [{"url": "/a.html", "title": "20')
    web.pages[(c, "/gkmlpt/index")] = _html(
        "信息公开目录", '<a href="#2990">政府信息公开年报</a>', "<script>window._CONFIG = {SID: 'gd_brk'};</script>")
    web.handlers[(c, "/gkmlpt/api/all/2990")] = lambda q, body, state: Response(500, "text/plain", b"error")
    web.pages[(c, "/xxgk/old/")] = _html("年度报告", f'<a href="/xxgk/old/t20230110_1.html">{agency_c}2022年政府信息公开工作年度报告</a>')
    web.pages[(c, "/xxgk/old/t20230110_1.html")] = _report(agency_c, 2022)
    # 4. A year folder linked under a report's name, holding that one report.
    d, agency_d = "www.yrf.gov.cn", "丁县财政局"
    web.pages[(d, "/")] = _html(agency_d, f'<a href="/xxgk/gknb/2019/">{agency_d}2019年政府信息公开工作年度报告</a>')
    web.pages[(d, "/xxgk/gknb/2019/")] = _html(
        "2019年", f'<ul><li><a href="./t20200115_77.html">{agency_d}2019年政府信息公开工作年度报告</a></li></ul>')
    web.pages[(d, "/xxgk/gknb/2019/t20200115_77.html")] = _report(agency_d, 2019)
    # 5. The same kind of list with a pager of numbers only (javascript: links 1 2 3).
    e, agency_e = "www.numb.gov.cn", "戊县教育局"
    web.pages[(e, "/")] = _html(agency_e, '<a href="/gk/nb/">年度报告</a>')
    web.pages[(e, "/gk/nb/")] = _html("年度报告", """<ul id="list"></ul><div id="pages"></div><script>
var api = ['', 'gk', 'rows.json'].join('/');
function go(n) {
  var x = new XMLHttpRequest(); x.open('GET', api + '?n=' + n);
  x.onload = function () {
    var d = JSON.parse(x.responseText);
    document.getElementById('list').innerHTML = d.rows.map(function (r) {
      return '<li><a href="' + r.u + '">' + r.t + '</a></li>'; }).join('');
    var out = ''; for (var i = 1; i <= d.pages; i++) { out += '<a href="javascript:;" onclick="go(' + i + ')">' + i + '</a> '; }
    document.getElementById('pages').innerHTML = out;
  };
  x.send();
}
go(1);
</script>""")
    years_e = {1: (2024,), 2: (2023,), 3: (2022,)}

    def rows_e(q: dict[str, list[str]], body: bytes, state: dict) -> Response:
        n = int((q.get("n") or ["1"])[0])
        return _json({"pages": 3, "rows": [{"t": f"{agency_e}{y}年政府信息公开工作年度报告", "u": f"/gk/nb/{y}/t{y}0301_{y}.html"}
                                           for y in years_e.get(n, ())]})

    web.handlers[(e, "/gk/rows.json")] = rows_e
    for years in years_e.values():
        for y in years:
            web.pages[(e, f"/gk/nb/{y}/t{y}0301_{y}.html")] = _report(agency_e, y)
    for host, name in ((a, agency_a), (b, agency_b), (c, agency_c), (d, agency_d), (e, agency_e)):
        web.pages[(host, "/robots.txt")] = Page(content_type="text/plain", text="User-agent: *\nAllow: /\n")
        web.agencies.append(Agency(name, f"http://{host}/", "某省", "county", [host]))
    return web


@pytest.fixture(scope="module")
def generic_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    web = _generic_web()
    portal = Portal(web, latency=0.0)
    portal.start(host="127.0.0.1", port=0)
    try:
        tmp = tmp_path_factory.mktemp("generic")
        seeds = tmp / "seeds.csv"
        seeds.write_text(web.seeds_csv(), encoding="utf-8")
        db_url = f"sqlite:///{tmp / 'nianbao.db'}"
        result = run_crawl(portal.proxy_url, seeds, db_url, timeout=240)
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        archive = Archive.from_url(db_url)
        yield Crawled(tuple(sorted(web.hosts)), result, archive.runs()[-1]["stats"], archive.reports(),
                      list(portal.requests))
    finally:
        portal.stop()


def test_a_list_drawn_by_xhr_with_a_urlless_pager_gives_every_report(generic_crawl: Crawled) -> None:
    c = generic_crawl
    fetched = set(c.paths("www.xhra.gov.cn"))
    assert {f"/xxgk/gznb/{y}/t{y}0120_{y}.html" for y in (2023, 2022, 2021, 2020)} <= fetched
    assert "/data/col77.json?p=2" in fetched  # the browser clicked 下一页
    assert 1 <= c.agency("www.xhra.gov.cn")["browser_pages"] <= 2


def test_a_pager_of_numbers_only_is_clicked_page_by_page(generic_crawl: Crawled) -> None:
    c = generic_crawl
    fetched = set(c.paths("www.numb.gov.cn"))
    assert {f"/gk/nb/{y}/t{y}0301_{y}.html" for y in (2024, 2023, 2022)} <= fetched
    assert {"/gk/rows.json?n=2", "/gk/rows.json?n=3"} <= fetched


def test_gkmlpt_key_and_fragment_category_on_two_pages(generic_crawl: Crawled) -> None:
    c = generic_crawl
    paths = c.paths("www.gkmb.gov.cn")
    assert {f"/gkmlpt/content/{y}/post_{y}.html" for y in (2023, 2022, 2021)} <= set(paths)
    api = [p for p in paths if p.startswith("/gkmlpt/api/")]
    assert sorted(query(p)["page"][0] for p in api) == ["1", "2"] and all(query(p)["sid"] == ["gd_gkmb"] for p in api)
    assert c.agency("www.gkmb.gov.cn")["browser_pages"] == 0  # the plug-in knew it: no browser


def test_a_year_folder_is_crawled_as_a_list_never_stored_as_a_report(generic_crawl: Crawled) -> None:
    c = generic_crawl
    assert "/xxgk/gknb/2019/t20200115_77.html" in c.paths("www.yrf.gov.cn")
    assert "http://www.yrf.gov.cn/xxgk/gknb/2019/" not in c.archived_urls
    assert "'nianbao/skipped/list': 1" in c.result.stderr  # captured, not read as a report


def test_broken_lists_cost_that_list_only(generic_crawl: Crawled) -> None:
    c = generic_crawl
    assert "/xxgk/old/t20230110_1.html" in c.paths("www.brk.gov.cn")  # the crawl went on
    assert "/gkmlpt/api/all/2990?page=1&sid=gd_brk" in c.paths("www.brk.gov.cn")
    assert c.agency("www.brk.gov.cn")["errors"].get("http_500") == 1
    assert c.agency("www.brk.gov.cn")["browser_pages"] <= 2  # the looping pager stopped
    assert c.result.returncode in (0, 1)
