"""The simulated gov.cn web: served through a real proxy socket, checked against its ground truth."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lhtml

from tests.portal import Portal, build_web
from tests.portal.model import Web

ROOT = Path(__file__).resolve().parents[2]
CORE_HOSTS = {"rsj.laoshan.gov.cn", "rlsbj.hengyang.gov.cn", "rlsbj.cqwl.gov.cn", "hrss.jl.gov.cn",
              "rsj.gz.gov.cn", "rsj.bjdch.gov.cn"}


@pytest.fixture(scope="module")
def web() -> Web:
    return build_web()


@pytest.fixture(scope="module")
def portal(web: Web) -> Iterator[Portal]:
    p = Portal(web)
    p.start(warm=False)  # attachments render on demand: keeps the other tests' timings honest
    yield p
    p.stop()


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "portal" in request.fixturenames:
        p: Portal = request.getfixturevalue("portal")
        p.set_revision(False)
        p.set_state("slow_delay", 3.0)


class Fetched:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("gbk" if "charset=gb2312" in self.body[:400].decode("ascii", "ignore") else "utf-8")


def fetch(portal: Portal, url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> Fetched:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": portal.proxy_url}))
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with opener.open(req, timeout=10) as resp:
            return Fetched(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as err:
        return Fetched(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def grid(table) -> list[list[str]]:  # noqa: ANN001 - lxml element
    """An HTML table as a rectangular grid, spans repeated (parsed independently of the builder)."""
    cells: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.xpath(".//tr")):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in cells:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            text = re.sub(r"\s+", "", td.text_content())
            for dr in range(rs):
                for dc in range(cs):
                    cells[(r + dr, c + dc)] = text
            c += cs
    nr = max(r for r, _ in cells) + 1
    nc = max(c for _, c in cells) + 1
    return [[cells.get((r, c), "") for c in range(nc)] for r in range(nr)]


# ------------------------------------------------------------------------------------ server basics


def test_start_stop_and_proxy_forms(web: Web) -> None:
    p = Portal(web)
    p.start()
    try:
        assert p.proxy_url == f"http://127.0.0.1:{p.port}" and p.port > 0
        home = fetch(p, "http://rsj.laoshan.gov.cn/")  # absolute-form through the ProxyHandler
        assert home.status == 200 and "政务公开" in home.text and "新闻动态" in home.text
        # origin-form with a Host header, as a plain client would send it
        with socket.create_connection(("127.0.0.1", p.port), timeout=5) as s:
            s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: rsj.laoshan.gov.cn\r\nConnection: close\r\n\r\n")
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        assert raw.startswith(b"HTTP/1.1 200") and b"Disallow: /search/" in raw
        assert [r.path for r in p.requests] == ["/", "/robots.txt"]
    finally:
        p.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", p.port), timeout=1).close()


def test_unknown_host_and_connect_are_refused(portal: Portal) -> None:
    assert fetch(portal, "http://www.example.com/").status == 502
    with socket.create_connection(("127.0.0.1", portal.port), timeout=5) as s:
        s.sendall(b"CONNECT rsj.laoshan.gov.cn:443 HTTP/1.1\r\nHost: rsj.laoshan.gov.cn:443\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 405")


def test_host_routing_same_path_differs(portal: Portal) -> None:
    jl = fetch(portal, "http://hrss.jl.gov.cn/zwgk/zfxxgknb/index.html")
    dc = fetch(portal, "http://rsj.bjdch.gov.cn/zwgk/zfxxgknb/index.html")
    assert jl.status == dc.status == 200
    assert 'id="doclist"' in jl.text and 'id="doclist"' not in dc.text
    assert fetch(portal, "http://rsj.laoshan.gov.cn/no/such/page.html").status == 404


def test_every_page_has_gov_chrome(portal: Portal, web: Web) -> None:
    for report in web.reports:
        url = report.urls[0]
        if report.kind != "html" and url.endswith((".pdf", ".docx")):
            continue
        text = fetch(portal, url).text
        assert "当前位置：" in text and "版权所有" in text and "网站标识码" in text, url
        assert re.search(r"ICP备\d{6,10}号", text) and re.search(r"公网安备 ?\d{14}号", text), url
        assert '<meta name="PubDate" content="' in text and "浏览次数" in text and "扫一扫在手机打开当前页" in text


# ------------------------------------------------------------------------------------ site shapes


def test_gbk_site_is_not_gb2312(portal: Portal, web: Web) -> None:
    url = next(r.urls[0] for r in web.reports if urlsplit(r.urls[0]).hostname == "rsj.gz.gov.cn")
    page = fetch(portal, url)
    assert page.headers["content-type"] == "text/html"  # no charset in the header
    assert b'charset=gb2312' in page.body[:300]
    text = page.body.decode("gbk")
    assert "镕" in text and "珺" in text and "堃" in text
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("gb2312")


def test_dataproxy_ranges(portal: Portal, web: Web) -> None:
    base = "http://rlsbj.cqwl.gov.cn/module/web/jpage/dataproxy.jsp"
    params = "columnid=123&unitid=4567&webid=1"

    def records(xml: str) -> list[str]:
        return re.findall(r'<record><!\[CDATA\[<li><a href="([^"]+)"', xml)

    column = fetch(portal, "http://rlsbj.cqwl.gov.cn/col/col123/index.html").text
    total = int(re.search(r"totalRecord:(\d+)", column).group(1))
    assert "proxyUrl:'/module/web/jpage/dataproxy.jsp'" in column and "perPage:5" in column
    assert len(records(column)) == 5 and total > 5
    first = fetch(portal, f"{base}?startrecord=1&endrecord=5&perpage=5&{params}").text
    second = fetch(portal, f"{base}?startrecord=6&endrecord=8&perpage=5", data=params.encode()).text  # POST form
    everything = fetch(portal, f"{base}?startrecord=1&endrecord=1000&perpage=1000&{params}").text
    assert f"<totalrecord>{total}</totalrecord>" in everything
    assert records(first) == records(column) and len(records(second)) == 3
    assert records(everything)[:8] == records(first) + records(second) and len(records(everything)) == total
    wulong = {u for r in web.reports if r.agency.startswith("重庆市武隆区") for u in r.urls}
    assert wulong <= {f"http://rlsbj.cqwl.gov.cn{h}" for h in records(everything)}
    other = fetch(portal, f"{base}?startrecord=1&endrecord=50&columnid=999").text
    assert records(other) == []


def test_js_only_list_has_no_literal_report_urls(portal: Portal, web: Web) -> None:
    page = fetch(portal, "http://hrss.jl.gov.cn/zwgk/zfxxgknb/index.html").text
    truth = [u for r in web.reports if r.agency == "吉林省人力资源和社会保障厅" for u in r.urls]
    assert len(truth) == 9
    for url in truth:
        path = urlsplit(url).path
        assert path not in page and path.rsplit("/", 1)[-1] not in page
    assert "zfxxgknb/20" not in page and '<ul id="doclist"></ul>' in page
    # what the script does in a browser: decode the data and assemble the paths
    rows = json.loads(base64.b64decode(re.search(r'var raw = "([^"]+)"', page).group(1)))
    built = {f"http://hrss.jl.gov.cn/zwgk/zfxxgknb/{r[0]}/t{r[1]}_{r[2]}.html" for r in rows}
    assert built == set(truth)
    # the only way to those pages is the script: no other page of the site links them
    for (host, _path), pg in web.pages.items():
        if host == "hrss.jl.gov.cn" and pg.text:
            assert not any(urlsplit(u).path in pg.text for u in truth if urlsplit(u).path != _path)


def test_defaced_report(portal: Portal, web: Web) -> None:
    (rep,) = [r for r in web.reports if r.defaced]
    assert rep.agency == "吉林省人力资源和社会保障厅" and rep.year == 2017
    doc = lhtml.fromstring(fetch(portal, rep.urls[0]).body)
    assert doc.findtext(".//title").startswith("bet0365") and doc.findtext(".//h1").startswith("bet0365")
    assert "现发布bet03652017年" in doc.xpath("string(//div[@class='article-content'])")


def test_trs_pagination_shapes(portal: Portal) -> None:
    first = fetch(portal, "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/index.html").text
    assert 'createPageHTML(3, 0, "index", "html");' in first and "var countPage = 3" in first
    assert '<a href="index_1.html">下一页</a>' in first
    assert fetch(portal, "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/index_2.html").status == 200
    hy = fetch(portal, "http://rlsbj.hengyang.gov.cn/zwgk/xxgknb/index.shtml").text
    assert 'createPageHTML(countPage, currentPage, "index", "shtml")' not in hy  # literal call with numbers
    assert 'var countPage = 3;var currentPage = 0;createPageHTML(3, 0, "index", "shtml");' in hy
    assert "index_1.shtml" not in hy.split("<div class=\"page\">")[1].split("</script>")[1]
    assert fetch(portal, "http://rlsbj.hengyang.gov.cn/zwgk/xxgknb/index_2.shtml").status == 200
    assert fetch(portal, "http://rlsbj.hengyang.gov.cn/zwgk/xxgknb/index_3.shtml").status == 404


def test_pdf_and_docx_attachments(portal: Portal, web: Web) -> None:
    import io

    import docx
    import pdfplumber

    pdf_rep = next(r for r in web.reports if r.kind == "pdf" and len(r.urls) == 1)  # linked straight as .pdf
    list_page = fetch(portal, "http://rsj.bjdch.gov.cn/zwgk/zfxxgknb/index.html").text
    assert urlsplit(pdf_rep.urls[0]).path in list_page
    pdf = fetch(portal, pdf_rep.urls[0])
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf.body)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
        cells = {re.sub(r"\s", "", c or "") for p in doc.pages for t in p.extract_tables() for row in t for c in row}
    assert "一、总体情况" in text and "一、本年新收政府信息公开申请数量" in cells
    docx_rep = next(r for r in web.reports if r.kind == "docx")
    body = fetch(portal, next(u for u in docx_rep.urls if u.endswith(".docx"))).body
    document = docx.Document(io.BytesIO(body))
    assert any("一、总体情况" in p.text for p in document.paragraphs) and len(document.tables) == 3


def test_gkmlpt_api(portal: Portal, web: Web) -> None:
    page = fetch(portal, "http://www.lg.gov.cn/gkmlpt/index").text
    sid = re.search(r"SID: '([0-9a-f]+)'", page).group(1)
    assert fetch(portal, "http://www.lg.gov.cn/gkmlpt/api/all/2862?page=1&sid=wrong").status == 403
    urls, page_no = [], 1
    while True:
        data = json.loads(fetch(portal, f"http://www.lg.gov.cn/gkmlpt/api/all/2862?page={page_no}&sid={sid}").body)
        if not data["articles"]:
            break
        urls += [a["url"] for a in data["articles"]]
        page_no += 1
    assert len(urls) == data["total"] and page_no == 3
    assert {u for r in web.reports if r.agency == "深圳市龙岗区人民政府" for u in r.urls} <= set(urls)


def test_moved_columns_and_soft_404(portal: Portal) -> None:
    hub = fetch(portal, "http://czj.hzxh.gov.cn/zfxxgk/index.html").text
    assert 'href="/zfxxgk/zfxxgknb/index.html"' in hub
    assert fetch(portal, "http://czj.hzxh.gov.cn/zfxxgk/zfxxgknb/index.html").status == 404
    assert 'href="/xxgk/gknb/index.html"' in fetch(portal, "http://czj.hzxh.gov.cn/").text
    gone = fetch(portal, "http://www.yanta.gov.cn/zwgk/ndbg/index.html")
    assert gone.status == 200 and "页面不存在" in gone.text
    n = 1
    while "页面不存在" not in (page := fetch(portal, f"http://www.yanta.gov.cn/zfxxgk/nb_2022n/{n}.html")).text:
        assert f'href="{n + 1}.html">下一页' in page.text
        n += 1
    assert n == 4 and page.status == 200


def test_loadmore_and_annual_report_jsp(portal: Portal, web: Web) -> None:
    got, n = [], 1
    while True:
        data = json.loads(fetch(portal, f"http://www.qingxiu.gov.cn/api/list/more?colid=gknb&page={n}").body)
        got += [x["url"] for x in data["list"]]
        if not data["hasMore"]:
            break
        n += 1
    truth = {urlsplit(u).path for r in web.reports if r.agency == "南宁市青秀区人民政府" for u in r.urls}
    assert truth <= set(got) and n == 3
    page = fetch(portal, "http://jyj.lishui.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2022").text
    assert re.search(r'href="[^"]+\.docx"', page) and re.search(r'href="[^"]+\.pdf"', page)
    assert "fbtime=2018" in page


# ------------------------------------------------------------------------------------ behaviour


def test_counters_change_and_validators(portal: Portal, web: Web) -> None:
    wl = next(r.urls[0] for r in web.reports if "cqwl" in r.urls[0])
    a, b = fetch(portal, wl), fetch(portal, wl)
    assert a.body != b.body and "etag" not in a.headers
    assert re.sub(r"浏览次数：<span>\d+</span>", "", a.text) == re.sub(r"浏览次数：<span>\d+</span>", "", b.text)
    js1 = fetch(portal, "http://rsj.laoshan.gov.cn/interface/count.jsp?docid=1").body
    js2 = fetch(portal, "http://rsj.laoshan.gov.cn/interface/count.jsp?docid=1").body
    assert js1 != js2 and b"visitcount" in js1
    trs = next(r.urls[0] for r in web.reports if "laoshan" in r.urls[0])
    first = fetch(portal, trs)
    assert first.body == fetch(portal, trs).body and "etag" in first.headers
    assert fetch(portal, trs, {"If-None-Match": first.headers["etag"]}).status == 304
    assert fetch(portal, trs, {"If-Modified-Since": first.headers["last-modified"]}).status == 304
    assert fetch(portal, trs, {"If-None-Match": '"stale"'}).status == 200
    assert fetch(portal, trs, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200


def test_revision_changes_exactly_one_cell(portal: Portal, web: Web) -> None:
    url = web.revised_url
    key, old, new = re.fullmatch(r"(requests\.rows\.new_received\[6\]): (\d+) -> (\d+)", web.revised_cell).groups()
    before = fetch(portal, url)
    fetch(portal, "http://portal.local/__portal__/revision?on=1")  # the HTTP switch a separate process uses
    assert portal.state["revision"] is True
    after = fetch(portal, url)
    assert fetch(portal, url, {"If-None-Match": before.headers["etag"]}).status == 200
    portal.set_revision(False)
    assert fetch(portal, url).body == before.body
    t_before = [grid(t) for t in lhtml.fromstring(before.body).xpath("//table")]
    t_after = [grid(t) for t in lhtml.fromstring(after.body).xpath("//table")]
    diffs = [(ti, r, c, x, y) for ti, (ga, gb) in enumerate(zip(t_before, t_after, strict=True))
             for r, (ra, rb) in enumerate(zip(ga, gb, strict=True))
             for c, (x, y) in enumerate(zip(ra, rb, strict=True)) if x != y]
    assert len(diffs) == 1
    ti, r, c, x, y = diffs[0]
    g = t_before[ti]
    assert g[r][0].startswith("一、本年新收") and g[2][c] == "总计" and (x, y) == (old, new)
    strip = lambda b: re.sub(r"<table.*?</table>", "", b.decode(), flags=re.S)  # noqa: E731
    assert strip(before.body) == strip(after.body)  # nothing outside the tables moved


def test_slow_page_and_search_trap(portal: Portal, web: Web) -> None:
    (host, path), _ = next((k, p) for k, p in web.pages.items() if p.delay_state)
    assert any(c.url == f"http://{host}{path}" for c in web.confusables)
    portal.set_state("slow_delay", 0.3)
    start = time.monotonic()
    assert fetch(portal, f"http://{host}{path}").status == 200
    assert 0.3 <= time.monotonic() - start < 2.5  # the delay as set, not the default 3 s
    robots = fetch(portal, "http://rsj.gz.gov.cn/robots.txt").text
    assert "Disallow: /search/" in robots
    page = fetch(portal, "http://rsj.gz.gov.cn/search/?q=%E5%B9%B4%E6%8A%A5").text
    nxt = re.findall(r'href="(/search/\?[^"]+)"', page)
    assert len(nxt) >= 4 and any("page=2" in u for u in nxt)


def test_request_log_and_http_control(portal: Portal) -> None:
    portal.reset_log()
    fetch(portal, "http://rsj.laoshan.gov.cn/index.html")
    fetch(portal, "http://rsj.laoshan.gov.cn/missing.html")
    log = json.loads(fetch(portal, "http://portal.local/__portal__/log").body)
    assert [(e["host"], e["path"], e["status"]) for e in log] == [
        ("rsj.laoshan.gov.cn", "/index.html", 200), ("rsj.laoshan.gov.cn", "/missing.html", 404)]
    assert log[0]["bytes"] > 1000 and portal.requests[0].method == "GET"


def test_serving_cpu_counts_the_work_not_the_wait(portal: Portal, web: Web) -> None:
    """`make bench` counts the portal's CPU as work any crawler costs the machine: time a page spends
    asleep (latency, the slow page) is not CPU; reset_log starts the count again."""
    (host, path), _ = next((k, p) for k, p in web.pages.items() if p.delay_state)
    portal.set_state("slow_delay", 0.3)
    portal.reset_log()
    assert portal.serving_cpu_s == 0.0
    started = time.monotonic()
    assert fetch(portal, f"http://{host}{path}").status == 200
    assert fetch(portal, "http://rsj.laoshan.gov.cn/index.html").status == 200
    while portal.serving_cpu_s == 0.0:  # added as the handler returns, a moment after the answer left
        assert time.monotonic() - started < 10
        time.sleep(0.01)
    assert portal.serving_cpu_s < 0.2  # two pages' serving; the 0.3 s asleep is not in it
    portal.reset_log()
    assert portal.serving_cpu_s == 0.0


# ------------------------------------------------------------------------------------ ground truth


def test_truth_counts_and_urls(portal: Portal, web: Web) -> None:
    portal.set_state("slow_delay", 0)
    core = [r for r in web.reports if urlsplit(r.urls[0]).hostname in CORE_HOSTS]
    assert len(core) >= 40 and len(web.reports) >= 60 and len(web.agencies) >= 12
    assert {r.format for r in web.reports} == {"2019", "2021", "legacy"}
    assert {r.kind for r in web.reports} == {"html", "pdf", "docx"}
    report_urls = {u for r in web.reports for u in r.urls}
    for r in web.reports:
        assert r.agency in {a.name for a in web.agencies} and str(r.year) in r.title.replace("bet0365", "")
        for u in r.urls:
            split = urlsplit(u)
            assert (split.hostname, split.path) in web.pages, u
            if not u.endswith((".pdf", ".docx")):
                page = fetch(portal, u)
                assert page.status == 200 and f"<title>{r.title}</title>" in page.text, u
    kinds = {c.kind for c in web.confusables}
    assert {"work-points", "website-report", "final-accounts", "rule-of-law", "format-notice",
            "interpretation"} <= kinds
    for c in web.confusables:
        assert c.url not in report_urls and fetch(portal, c.url).status == 200


def test_generated_tables_add_up(portal: Portal, web: Web) -> None:
    seeds = ("青岛市崂山区人力资源和社会保障局2019", "重庆市武隆区人力资源和社会保障局2021", "衡阳市人力资源和社会保障局2019")
    checked = 0
    by_year: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for r in web.reports:
        if r.format == "legacy" or r.kind != "html" or r.title.startswith(seeds):
            continue  # the seeds keep their own (sometimes wrong) sums
        tables = [grid(t) for t in lhtml.fromstring(fetch(portal, r.urls[0]).text).xpath("//table")]
        t3 = next(g for g in tables if "申请人情况" in g[0])
        assert len(t3) == 3 + (25 if r.format == "2021" else 23)
        rows = [[int(x) if x.isdigit() else 0 for x in g[3:]] for g in t3[3:]]  # blanks and "—" mean 0 here
        new, carried, *outcomes, total, forward = rows  # 一, 二, the outcome rows, （七）, 四
        for c in range(7):
            assert new[c] + carried[c] == total[c] + forward[c], (r.title, "T3-1")
            assert total[c] == sum(v[c] for v in outcomes), (r.title, "T3-2")
        for v in rows:
            assert v[6] == sum(v[:6]), (r.title, "T3-3")
        t4 = next(g for g in tables if g[0][0] == "行政复议")
        nums = [int(x) for x in t4[3]]
        for i in (0, 5, 10):
            assert nums[i + 4] == sum(nums[i:i + 4]), (r.title, "T4")
        checked += 1
        by_year[(r.agency, r.year)] = (carried, forward)
    assert checked >= 25
    pairs = [(k, (k[0], k[1] - 1)) for k in by_year if (k[0], k[1] - 1) in by_year]
    assert len(pairs) >= 15
    for this, last in pairs:  # this year's 上年结转 is last year's 结转下年度
        assert by_year[this][0] == by_year[last][1], this


def test_seed_csv_in_sync_and_deterministic(web: Web) -> None:
    assert (ROOT / "seeds" / "demo.csv").read_text(encoding="utf-8") == web.seeds_csv()
    assert web.seeds_csv().splitlines()[0] == "agency,url,region,level,domains,render"
    again = build_web()
    assert again.seeds_csv() == web.seeds_csv() and again.revised_cell == web.revised_cell
    assert {k: p.text for k, p in again.pages.items()} == {k: p.text for k, p in web.pages.items()}


def test_scale_and_build_speed() -> None:
    start = time.thread_time()  # CPU of this thread: other threads (portal renders) do not count
    one = build_web()
    assert time.thread_time() - start < 1.0
    big = build_web(scale=3)
    assert len(big.agencies) == 3 * len(one.agencies) == len({a.name for a in big.agencies})
    assert len(big.reports) == 3 * len(one.reports)
    assert len({a.url for a in big.agencies}) == len(big.agencies)


def test_cli_prints_address_and_writes_seeds(tmp_path: Path) -> None:
    out = tmp_path / "seeds.csv"
    proc = subprocess.Popen([sys.executable, "-m", "tests.portal", "--port", "0", "--seeds-out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        m = re.fullmatch(r"portal listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert m, line
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": m.group(1)}))
        with opener.open("http://rsj.laoshan.gov.cn/robots.txt", timeout=10) as resp:
            assert b"Disallow" in resp.read()
        assert out.read_text(encoding="utf-8") == (ROOT / "seeds" / "demo.csv").read_text(encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(10)


def test_pagenum_platform_calendar_and_mirror(portal: Portal, web: Web) -> None:
    home = fetch(portal, "http://www.yuhang.gov.cn/zwgk/index.html").text
    assert 'href="http://xxgk.yuhang.gov.cn/"' in home and "政府信息公开平台" in home
    root = fetch(portal, "http://xxgk.yuhang.gov.cn/").text
    assert 'http-equiv="refresh"' in root and "pageNum=1" in root
    col = "http://xxgk.yuhang.gov.cn/col/col1229/index.html?uid=4000&pageNum="
    first, last, beyond = (fetch(portal, f"{col}{n}").text for n in (1, 3, 9))
    assert "pageNum=2" not in first.split("<script", 1)[0] and "totalRecord = 11" in first
    assert beyond == last and first != last  # past the end: the last page again
    viewer = [u for r in web.reports if "xxgk.yuhang" in r.urls[0] and len(r.urls) == 2 for u in r.urls]
    assert len(viewer) == 4 and all(fetch(portal, u).status == 200 for u in viewer)
    cal = fetch(portal, "http://www.yuhang.gov.cn/zwgk/rili/index.html?month=1999-01").text
    assert "month=1998-12" in cal and "month=1999-02" in cal  # no end either way
    assert "www.yuhang-gov.com" in fetch(portal, "http://www.yuhang.gov.cn/").text
    assert fetch(portal, "http://www.yuhang-gov.com/").status == 502


def test_bad_input_site_only_on_request() -> None:
    assert "www.xiaonan.gov.cn" not in build_web().hosts
    bad = build_web(bad_input=True)
    p = Portal(bad)
    p.start(warm=False)
    p.set_state("hang_delay", 0.2)
    try:
        col = "http://www.xiaonan.gov.cn/zfxxgk/zfxxgknb/"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": p.proxy_url}))
        links = re.findall(r'href="(/zfxxgk/zfxxgknb/[^"]+)"', fetch(p, f"{col}index.html").text)
        statuses = {}
        for link in links:
            try:
                with opener.open(urllib.request.Request(f"http://www.xiaonan.gov.cn{link}"), timeout=5) as resp:
                    statuses[link] = (resp.status, len(resp.read()))
            except urllib.error.HTTPError as err:
                statuses[link] = (err.code, 0)
        codes = sorted(s for s, _ in statuses.values())
        assert codes.count(404) == 1 and codes.count(500) == 1 and codes.count(302) == 1  # 302: loop, urllib gives up
        assert any(n > 3_000_000 for _, n in statuses.values())
        away = fetch(p, f"{col}202003/t20200301_3.html")
        assert away.status == 502  # followed to the non-gov host the portal refuses to serve
    finally:
        p.stop()


def test_warm_renders_attachments_in_worker_processes_as_a_render_here_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.portal import attachments

    monkeypatch.setenv("NIANBAO_PORTAL_CACHE", str(tmp_path))
    pages = [p for p in build_web().pages.values() if isinstance(p.lazy, attachments.Lazy)]
    chosen = [next(p for p in pages if p.lazy.kind == k) for k in ("pdf", "docx")]
    chosen += [p for p in pages if p not in chosen][:2]
    assert attachments.warm(chosen, processes=2) == 4
    assert all(p.body for p in chosen)
    assert len([f for f in tmp_path.iterdir() if f.suffix in (".pdf", ".docx")]) == 4
    again = [dataclasses.replace(p, body=None) for p in chosen]
    assert attachments.warm(again, processes=2) == 0  # all on disk now
    from tests import docgen
    from tests.portal.sitekit import doc_blocks

    for page in chosen:  # bytes made in a worker process are the bytes rendered here
        job = page.lazy
        render = docgen.render_pdf if job.kind == "pdf" else docgen.render_docx
        assert page.body == render(job.doc.title, doc_blocks(job.doc))


def test_cli_serves_a_random_web(tmp_path: Path) -> None:
    from tests.portal.random import build_random_web

    out = tmp_path / "seeds.csv"
    proc = subprocess.Popen([sys.executable, "-m", "tests.portal", "--port", "0", "--random", "1003", "--sites", "2",
                             "--seeds-out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    web = build_random_web(1003, n_sites=2)
    try:
        dims = [proc.stdout.readline() for _ in web.dims]  # type: ignore[union-attr]
        assert sorted(line.split(":", 1)[0] for line in dims) == sorted(web.dims)
        line = proc.stdout.readline()  # type: ignore[union-attr]
        m = re.fullmatch(r"portal listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert m, line
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": m.group(1)}))
        with opener.open(web.agencies[0].url, timeout=10) as resp:
            assert resp.status == 200
        assert out.read_text(encoding="utf-8") == web.seeds_csv()
    finally:
        proc.terminate()
        proc.wait(10)
