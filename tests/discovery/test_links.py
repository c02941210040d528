"""crawler.links: link kinds, scope, traps and every list shape, on the simulated web's real pages."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler import links as L
from crawler.lists import Limits, Page, generic, gkmlpt, hanweb_jpage, hanweb_pagenum, load_more, page_of, trs
from tests.portal import build_web
from tests.portal.model import Web


@pytest.fixture(scope="module")
def web() -> Web:
    return build_web()


def page(web: Web, host: str, path: str, query: str = "") -> str:
    """A page of the simulated web as the server would send it (static page or endpoint)."""
    handler = web.handlers.get((host, path))
    if handler is not None:
        return handler(parse_qs(query), b"", {}).body.decode("utf-8")
    text = web.pages[(host, path)].text
    assert text is not None
    return text


# ------------------------------------------------------------------------------------ link kinds


@pytest.mark.parametrize(
    ("url", "text", "context", "kind"),
    [
        # report titles name a year and the report; a column name does not
        ("http://a.gov.cn/zfxxgk/t20220120_1.html", "某局2021年政府信息公开工作年度报告", {}, L.REPORT),
        ("http://a.gov.cn/art/2023/1/5/art_1_2.html", "2022年度信息公开年报", {}, L.REPORT),
        ("http://a.gov.cn/zfxxgk/zfxxgknb/index.html", "政府信息公开年报", {}, L.LIST),
        ("http://a.gov.cn/xxgk/", "政府信息公开", {}, L.NAV),
        ("http://a.gov.cn/gkml/zfxxgknb/index.html", "更多", {}, L.LIST),  # URL tokens alone
        # confusables filed in the 年报 column inherit its URL tokens but not a report title
        ("http://a.gov.cn/zfxxgknb/t20230412_9.html", "2023年政务公开工作要点", {}, L.IGNORE),
        ("http://a.gov.cn/zfxxgknb/t20230120_8.html", "2022年政府网站工作年度报表", {}, L.IGNORE),
        # attachments: on report pages always, in lists when the text has a year
        ("http://a.gov.cn/u/P0202301.pdf", "附件", {"on_report_page": True}, L.ATTACHMENT),
        ("http://a.gov.cn/u/P0202301.pdf", "2022年.pdf", {"on_list_page": True}, L.ATTACHMENT),
        ("http://a.gov.cn/u/form.docx", "申请表下载", {}, L.IGNORE),
        # pagination only counts on list pages
        ("http://a.gov.cn/col/index_2.html", "下一页", {"on_list_page": True}, L.PAGER),
        ("http://a.gov.cn/col/index.html?uid=4&pageNum=3", "3", {"on_list_page": True}, L.PAGER),
        ("http://a.gov.cn/col/index_2.html", "下一页", {}, L.IGNORE),
        ("http://a.gov.cn/xxgk/gknb/2023/", "2023年", {"on_list_page": True}, L.LIST),  # a year folder
        ("http://a.gov.cn/xxgk/gknb/2023/", "2023年", {}, L.NAV),  # off a list: URL tokens only
        # on a 年报 list an item needs no disclosure words; off it, it does
        ("http://a.gov.cn/xxgk/gknb/2022/0412240.html", "2021年度报告", {"on_list_page": True}, L.REPORT),
        ("http://a.gov.cn/xxgk/gknb/2022/", "2021年度报告", {"on_list_page": True}, L.LIST),  # a folder
        ("http://a.gov.cn/xxgk/gknb/202102/t20210226_1.html", "某局2020年法治政府建设年度报告", {"on_list_page": True}, L.IGNORE),
        # a sentence is a document, not a column, even under a disclosure URL
        ("http://a.gov.cn/zfxxgk/fdzdgknr/2024/0410967.html", "关于印发某县人民政府权责清单的通知", {}, L.IGNORE),
        # noise: news, search, calendars
        ("http://a.gov.cn/xwdt/index.html", "新闻动态", {}, L.IGNORE),
        ("http://a.gov.cn/search/?q=年报", "年报检索", {}, L.IGNORE),
        ("http://a.gov.cn/zwgk/rili/index.html", "政务公开日历", {}, L.IGNORE),
    ],
)
def test_classify_link(url: str, text: str, context: dict[str, bool], kind: str) -> None:
    info = L.classify_link(url, text, **context)
    assert info.kind == kind, info
    assert (info.score > 0) == (kind != L.IGNORE)


def test_scores_order_reports_before_lists_before_navigation() -> None:
    report = L.classify_link("http://a.gov.cn/t20220120_1.html", "2021年政府信息公开工作年度报告")
    listing = L.classify_link("http://a.gov.cn/zfxxgknb/", "政府信息公开年报")
    nav = L.classify_link("http://a.gov.cn/xxgk/", "信息公开")
    assert report.score > listing.score > nav.score > 0


def test_scope_and_gov_hosts() -> None:
    domains = ["a.gov.cn"]
    assert L.in_scope("http://a.gov.cn/x", domains) and L.in_scope("https://xxgk.a.gov.cn/x", domains)
    assert not L.in_scope("http://aa.gov.cn/x", domains)  # a suffix is not a subdomain
    assert not L.in_scope("ftp://a.gov.cn/x", domains) and not L.in_scope("javascript:void(0)", domains)
    assert L.is_gov_host("xxgk.yuhang.gov.cn") and L.is_gov_host("www.gov.cn")
    assert not L.is_gov_host("www.yuhang-gov.com") and not L.is_gov_host("gov.cn.example.com")
    assert L.default_domains("http://WWW.A.gov.cn:80/x") == ("www.a.gov.cn",)


@pytest.mark.parametrize(
    ("url", "trap"),
    [
        ("http://a.gov.cn/search/?q=年报&page=9", True),
        ("http://a.gov.cn/calendar/2024-06.html", True),
        ("http://a.gov.cn/col/list.html?date=2024-06-01", True),
        ("http://a.gov.cn/col/list.html?page=2&t=1718000000", True),  # cache-busting, never the same twice
        ("http://a.gov.cn/a/b/a/b/a/b/index.html", True),  # relative links that loop on themselves
        ("http://a.gov.cn/" + "x" * 600, True),
        ("http://a.gov.cn/col/col1229/index.html?uid=4000&pageNum=2", False),
        ("http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=1000&perpage=1000", False),
        ("http://a.gov.cn/gkmlpt/api/all/2862?page=2&sid=ab12", False),
    ],
)
def test_trap_urls(url: str, trap: bool) -> None:
    assert L.is_trap_url(url) is trap


def test_soft_404_and_report_titles() -> None:
    assert L.is_soft_404(200, "页面不存在", "")
    assert L.is_soft_404(200, "西安市雁塔区人民政府", "对不起，您访问的页面不存在或已被删除。")
    assert not L.is_soft_404(404, "页面不存在", "")  # a real 404 is not "soft"
    assert not L.is_soft_404(200, "2022年政府信息公开工作年度报告", "一、总体情况")
    assert L.looks_like_report_title("二〇二二年政府信息公开工作年度报告")
    assert not L.looks_like_report_title("政府信息公开工作年度报告")  # no year: a column


# ------------------------------------------------------------------------------------ list shapes


def test_trs_create_page_html(web: Web) -> None:
    html = page(web, "rlsbj.hengyang.gov.cn", "/zwgk/xxgknb/index.shtml")
    urls = trs.page_urls(html, "http://rlsbj.hengyang.gov.cn/zwgk/xxgknb/index.shtml")
    assert urls[0] == "http://rlsbj.hengyang.gov.cn/zwgk/xxgknb/index.shtml"
    assert all(("rlsbj.hengyang.gov.cn", urlsplit(u).path) in web.pages for u in urls)  # every one exists
    assert ("rlsbj.hengyang.gov.cn", f"/zwgk/xxgknb/index_{len(urls)}.shtml") not in web.pages  # and no more
    assert trs.page_urls(html, "http://x/", max_pages=1) == ["http://x/index.shtml"]
    assert trs.page_urls("<p>no pager</p>", "http://x/") == []


def test_hanweb_dataproxy_and_records(web: Web) -> None:
    host = "rlsbj.cqwl.gov.cn"
    url = hanweb_jpage.endpoint(
        page(web, host, "/col/col123/index.html"), f"http://{host}/col/col123/index.html", 500
    )
    assert url is not None
    q = parse_qs(urlsplit(url).query)
    assert (
        q["columnid"] == ["123"]
        and q["endrecord"] == ["500"]
        and q["startrecord"] == ["1"]
        and "page" not in q
    )
    xml = page(web, host, urlsplit(url).path, urlsplit(url).query)
    records, total = hanweb_jpage.datastore(xml, f"http://{host}/")
    assert total == len(records) == 11
    assert all(urlsplit(u).hostname == host and t for u, t in records)
    assert hanweb_jpage.datastore("<not xml", "http://x/") == ([], None)
    assert hanweb_jpage.endpoint("<p>plain page</p>", "http://x/") is None


def test_hanweb_pagenum(web: Web) -> None:
    base = "http://xxgk.yuhang.gov.cn/col/col1229/index.html"
    html = page(web, "xxgk.yuhang.gov.cn", "/col/col1229/index.html", "uid=4000&pageNum=1")
    urls, stated = hanweb_pagenum.page_urls(html, f"{base}?uid=4000&pageNum=1")
    assert urls == [f"{base}?uid=4000&pageNum={n}" for n in (1, 2, 3)] and stated  # 11 records, 4 a page
    # no stated size: only the next page, so the spider can stop when a page brings nothing new
    assert hanweb_pagenum.page_urls("<a>pageNum</a>", f"{base}?uid=7&pageNum=3") == ([f"{base}?uid=7&pageNum=4"], False)
    assert hanweb_pagenum.page_urls("var uid = 9; var pageNum = 1;", base) == ([f"{base}?uid=9&pageNum=2"], False)
    assert hanweb_pagenum.page_urls("<p>no pager</p>", base) == ([], False)
    assert len(hanweb_pagenum.page_urls("totalPage = 900; pageNum", f"{base}?uid=1", max_pages=5)[0]) == 5


def test_gkmlpt_api(web: Web) -> None:
    url = "http://www.lg.gov.cn/gkmlpt/index"
    listing = page_of(url, page(web, "www.lg.gov.cn", "/gkmlpt/index"))
    assert gkmlpt.detect(listing)
    steps = gkmlpt.next_page(listing, Limits())
    assert [s.url.split("&sid=")[0] for s in steps] == ["http://www.lg.gov.cn/gkmlpt/api/all/2862?page=1"]
    split = urlsplit(steps[0].url)
    batch = gkmlpt.records(Page(steps[0].url, page(web, "www.lg.gov.cn", split.path, split.query), number=1))
    assert batch.total == 11 and len(batch.links) == 10 and batch.has_more is None
    second = gkmlpt.next_page(Page(steps[0].url, page(web, "www.lg.gov.cn", split.path, split.query), number=1), Limits())
    assert [s.number for s in second] == [2] and "page=2&" in second[0].url
    assert gkmlpt.category("http://www.lg.gov.cn/gkmlpt/index#2862") == "2862"
    assert gkmlpt.category("http://www.lg.gov.cn/gkmlpt/index") is None
    assert not gkmlpt.detect(page_of("http://x/", "<p>no config</p>"))


def test_gkmlpt_key_and_categories_on_different_pages() -> None:
    """The SID on one page, the category as a relative fragment on another: either order works."""
    with_sid = page_of("http://a.gov.cn/gkmlpt/index", "<script>window._CONFIG = {SID: 'gd_a'};</script>")
    with_cat = page_of("http://a.gov.cn/xxgk/", '<a href="#2656">政府信息公开年报</a><a href="#2657">机构职能</a>')
    for first, second in ((with_sid, with_cat), (with_cat, with_sid)):
        state = gkmlpt.keys(first)
        assert not gkmlpt.next_page(first, Limits())  # one half alone asks for nothing
        later = Page(second.url, second.text, second.anchors, state)
        assert gkmlpt.detect(later)
        assert [s.url for s in gkmlpt.next_page(later, Limits())] == ["http://a.gov.cn/gkmlpt/api/all/2656?page=1&sid=gd_a"]


def test_load_more(web: Web) -> None:
    html = page(web, "www.qingxiu.gov.cn", "/xxgk/gknb/index.html")
    url = load_more.endpoint(html, "http://www.qingxiu.gov.cn/xxgk/gknb/index.html", 2)
    assert url == "http://www.qingxiu.gov.cn/api/list/more?colid=gknb&page=2"
    body = page(web, "www.qingxiu.gov.cn", "/api/list/more", "colid=gknb&page=3")
    batch = load_more.records(Page("http://www.qingxiu.gov.cn/api/list/more?colid=gknb&page=3", body, number=3))
    assert batch.has_more is False and len(batch.links) == 1
    assert load_more.with_page(url, 7).endswith("page=7")
    assert load_more.endpoint("<p>加载更多</p>", "http://x/") is None  # no endpoint in the script


def test_generic_records_find_items_anywhere() -> None:
    data = {
        "data": {"rows": [{"linkurl": "/a.html", "doctitle": "甲"}, {"href": "b.html", "name": "乙"}]},
        "hasNext": True,
        "totalCount": 30,
    }
    batch = generic.records(Page("http://x.gov.cn/col/", json.dumps(data)))
    assert batch.links == [("http://x.gov.cn/a.html", "甲"), ("http://x.gov.cn/col/b.html", "乙")]
    assert batch.has_more is True and batch.total == 30
    assert generic.records(Page("http://x/", "cb(" + json.dumps(data) + ");")).links == [
        ("http://x/a.html", "甲"), ("http://x/b.html", "乙")]  # JSONP
    assert generic.records(Page("http://x/", "not json")).links == []
    assert generic.records(Page("http://x/", '{"list": [{"url": "/a.html"')).links == []  # cut short
    xml = "<?xml version='1.0'?><rows><row><link>/r/1.html</link><title>2023年年报</title></row></rows>"
    assert generic.records(Page("http://x/", xml)).links == [("http://x/r/1.html", "2023年年报")]
    frag = '<li><a href="./t1.html" title="2022年度报告">2022…</a></li><li><a href="#top">顶部</a></li>'
    assert generic.records(Page("http://x/c/", frag)).links == [("http://x/c/t1.html", "2022年度报告")]


def test_a_more_link_takes_its_block_for_a_name() -> None:
    tab = "通知公告 政府信息公开年报 关于开展安全检查的通知 更多>>"
    assert L.is_more_text("更多>>") and L.is_more_text("more") and not L.is_more_text("新闻动态")
    assert L.more_link("http://a.gov.cn/gknb/index.html", tab).kind == L.LIST  # type: ignore[union-attr]
    items = "某局2023年政府信息公开工作年度报告 某局2022年政府信息公开工作年度报告 更多>>"
    assert L.more_link("http://a.gov.cn/col/col9/index.html", items).kind == L.LIST  # type: ignore[union-attr]
    assert L.more_link("http://a.gov.cn/xwdt/index.html", "新闻动态 区长调研春耕 更多>>") is None
    assert L.more_link("http://a.gov.cn/t20240101_1.html", tab) is None  # a document is no column


def test_folder_urls_are_lists_not_documents() -> None:
    for url in ("http://a.gov.cn/xxgk/gknb/2019/", "http://a.gov.cn/xxgk/gknb/index_2.shtml", "http://a.gov.cn/"):
        assert L.is_folder_url(url), url
    for url in ("http://a.gov.cn/xxgk/gknb/2019/t20200110_1.html", "http://a.gov.cn/art/2020/1/1/art_1_2.html",
                "http://a.gov.cn/xxgk/nb.htm", "http://a.gov.cn/u/2019.pdf", "http://a.gov.cn/view.jsp?id=9"):
        assert not L.is_folder_url(url), url


def test_route_fragments() -> None:
    for href in ("#2656", "#/xxgk/nb", "#!/list/12"):
        assert generic.is_route_fragment(href), href
    for href in ("#", "#top", "#content", "#main"):
        assert not generic.is_route_fragment(href), href


def test_script_links_viewer_and_onclick(web: Web) -> None:
    base = "http://xxgk.yuhang.gov.cn/art/2023/1/1/art_1_1.html"
    pdf = next(u for t in web.reports for u in t.urls if "xxgk.yuhang" in u and u.endswith(".pdf"))
    docx = next(u for t in web.reports for u in t.urls if "xxgk.yuhang" in u and u.endswith(".docx"))
    values = [
        f"/pdfjs/web/viewer.html?file={urlsplit(pdf).path}",
        f"window.open('{urlsplit(docx).path}')",
        'downLoadFile("/files/a%20b.docx")',
        "/pdfjs/web/viewer.html?file=%2Fu%2Fx.pdf",
        "/pdfjs/web/viewer.html?file=/u/readme.txt",  # not a document
        "javascript:window.print()",
    ]
    assert L.script_links(values, base) == [
        pdf,
        docx,
        "http://xxgk.yuhang.gov.cn/files/a%20b.docx",
        "http://xxgk.yuhang.gov.cn/u/x.pdf",
    ]
    assert L.is_attachment_url("http://a/x.PDF") and L.is_attachment_url("http://a/x.docx?v=2")
    assert not L.is_attachment_url("http://a/x.pdf.html")


def test_only_public_ip_addresses_count_as_gov_hosts() -> None:
    # Some real portals live on a bare public IP:port; the crawler's own network never does.
    assert L.is_gov_host("122.137.242.24:8080")
    for host in ("127.0.0.1", "169.254.169.254", "10.1.2.3", "192.168.0.1", "[::1]", "0.0.0.0"):
        assert not L.is_gov_host(host), host


def test_renderings_groups_one_document_in_several_formats_best_first() -> None:
    links = [
        ("http://jyj.lishui.gov.cn/upload/202401/a1b2.pdf", "2023年度报告.pdf"),
        ("http://jyj.lishui.gov.cn/col/1/index.html", "政府信息公开年报"),
        ("http://jyj.lishui.gov.cn/upload/202401/a1b2.docx", "2023年度报告.docx"),  # same file name
        ("http://jyj.lishui.gov.cn/upload/x.pdf", "下载"),
        ("http://jyj.lishui.gov.cn/upload/p9.doc", "2022年度报告 .doc"),  # same anchor text, other names
        ("http://jyj.lishui.gov.cn/upload/q7.pdf", "2022年度报告.pdf"),
        ("http://jyj.lishui.gov.cn/upload/r5.pdf", "2022年度报告.pdf"),  # a second PDF: not a rendering
        ("http://jyj.lishui.gov.cn/upload/s3.xlsx", "下载"),  # a generic text names no file
    ]
    assert L.renderings(links) == [[2, 0], [1], [3], [5, 4], [6], [7]]
    assert L.rendering_format("http://a.gov.cn/f/Report.PDF?v=2") == "pdf"
    assert L.rendering_format("http://a.gov.cn/art/2023/1/1/art_1_2.html") is None
    # every link exactly once, whatever the input
    assert sorted(i for g in L.renderings(links) for i in g) == list(range(len(links)))
    assert L.renderings([]) == []


def test_rendering_chains_follow_the_best_format_now_and_the_others_after_it() -> None:
    found = [L.classify_link("http://a.gov.cn/u/r1.pdf", "2023年度报告.pdf", on_list_page=True),
             L.classify_link("http://a.gov.cn/col/2/index.html", "政务公开", on_list_page=True),
             L.classify_link("http://a.gov.cn/u/r1.docx", "2023年度报告.docx", on_list_page=True)]
    assert found[0].kind in (L.REPORT, L.ATTACHMENT) and found[2].kind in (L.REPORT, L.ATTACHMENT)
    chains = L.rendering_chains(found)
    assert chains == {1: [], 2: [found[0]]}  # the .docx now, the .pdf after it; the column as ever


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # a list linking the pdf.js viewer (a VSB-style download path, URL-encoded)
        ("http://www.baihe.gov.cn/pdfjs/web/viewer.html?file=%2Fsystem%2F_content%2Fdownload.jsp%2F1500426.pdf",
         "http://www.baihe.gov.cn/system/_content/download.jsp/1500426.pdf"),
        # relative to the viewer, as pdf.js resolves it
        ("http://a.gov.cn/generic2/web/viewer.html?file=../../upload/2024nb.pdf#page=2",
         "http://a.gov.cn/upload/2024nb.pdf"),
        ("http://a.gov.cn/viewer.html?url=http%3A%2F%2Fa.gov.cn%2Ff%2Fnb.docx&zoom=1", "http://a.gov.cn/f/nb.docx"),
        # not a viewer of a file: left as it is
        ("http://a.gov.cn/pdfjs/web/viewer.html?file={{qzbFile}}", None),
        ("http://a.gov.cn/search?url=/index.html", None),
        ("http://a.gov.cn/upload/2024nb.pdf", None),
    ],
)
def test_a_viewer_link_is_a_link_to_its_file(url: str, shown: str | None) -> None:
    assert L.viewer_file(url) == shown


def test_a_viewer_link_is_classified_as_its_file() -> None:
    """Wherever the link comes from (an anchor, a JSON record, a rendered page), it is the file."""
    viewer = "http://a.gov.cn/pdfjs/web/viewer.html?file=%2Fupload%2F2023nb.pdf"
    info = L.classify_link(viewer, "2023年政府信息公开工作年度报告", on_list_page=True)
    assert (info.url, info.kind) == ("http://a.gov.cn/upload/2023nb.pdf", L.ATTACHMENT)
