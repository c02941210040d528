"""Line-level chrome filter: whole short chrome lines, fragments out of long body lines, reasons logged."""

from __future__ import annotations

from crawler.extract import extract, extract_text
from crawler.extract.chrome import Harvest, filter_lines
from crawler.model import Removed, SiteIdentity

BODY = "2021年，我局按照上级要求，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实有序推进政府信息公开工作。"


def _filter(lines: list[str]) -> tuple[list[str], list[Removed], Harvest]:
    removed: list[Removed] = []
    harvest = Harvest()
    return filter_lines(lines, removed, harvest), removed, harvest


def test_footer_lines_go_whole_with_reasons() -> None:
    lines = [
        BODY,
        "版权所有：重庆市武隆区人民政府 主办单位：重庆市武隆区人民政府办公室",
        "网站标识码：5002320015 渝ICP备11006838号-1 渝公网安备 50023202000180号",
        "扫一扫在手机打开当前页",
        "【字体：大 中 小】 【打印本页】 【关闭窗口】",
        "分享到：",
        "浏览次数：1532",
        "上一篇：关于春节期间值班安排的通知",
        "相关链接",
        "当前位置：首页 > 政务公开 > 政府信息公开年报",
        "首页 > 政务公开 > 年报",
        "发布时间：2022-01-20 09:30 来源：重庆市武隆区人力资源和社会保障局",
        "责任编辑：王京",
        "国务院部门网站",
        "网站地图 | 联系我们",
        "Produced By 大汉网络 大汉版通发布系统",
    ]
    kept, removed, harvest = _filter(lines)
    assert kept == [BODY]
    reasons = {r.reason for r in removed}
    assert {"copyright", "site-id", "scan-qr", "font-size", "share", "view-count", "prev-next", "related", "breadcrumb",
            "byline", "editor", "link-list", "sponsor"} <= reasons
    assert len(removed) == len(lines) - 1
    assert harvest.published == "2022-01-20"
    assert harvest.source == "重庆市武隆区人力资源和社会保障局"


def test_long_body_line_only_loses_the_fragment() -> None:
    line = BODY + "扫一扫在手机打开当前页"
    kept, removed, _ = _filter([line])
    assert kept == [BODY]
    assert removed == [Removed("扫一扫在手机打开当前页", "scan-qr")]
    kept, removed, _ = _filter([BODY + "（责任编辑：王京）"])
    assert kept == [BODY] and removed[0].reason == "editor"


def test_body_words_that_look_like_chrome_stay() -> None:
    lines = [
        "网站专栏页面访问量",  # an old-era 附表 label, not a view counter
        "64,764,090",
        "（四）政府信息公开平台建设情况。依托区政府门户网站开展政府信息公开工作。",
        "报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。",
        "(2020年1月20日)",
        "二〇一四年二月",
        "如对本报告有任何疑问，请与我局联系（地址：青岛市崂山区政务大厦；电话：88996310）。",
        "主办单位和承办单位应当落实网站安全责任。",  # no colon: prose, not a footer field
        "相关链接设置规范，上一篇下一篇导航完整。",
    ]
    kept, removed, _ = _filter(lines)
    assert kept == lines, removed


def test_site_identity_is_harvested_from_the_footer() -> None:
    page = """<html><head><meta name="SiteName" content="重庆市武隆区人民政府"><meta name="SiteIDCode" content="5002320015">
    </head><body><div class="TRS_Editor"><p>一、总体情况</p><p>2021年，我局按照上级要求，认真贯彻落实条例，扎实推进政府信息公开工作。</p></div>
    <div class="footer">版权所有：重庆市武隆区人民政府 网站标识码：5002320015 渝ICP备11006838号-1 渝公网安备 50023202000180号</div>
    </body></html>"""
    doc = extract(page.encode(), "http://www.cqwl.gov.cn/a/t1.html")
    assert doc.site == SiteIdentity("重庆市武隆区人民政府", "5002320015", "渝ICP备11006838号-1", "50023202000180", None)
    assert "ICP" not in doc.text and "版权所有" not in doc.text


def test_text_input_gets_the_same_filter() -> None:
    text = "• 发布时间:2018-03-19 14:31:00\n• 来源:\n  一、总体情况 \n" + BODY + "\n• 责任编辑:王京\n扫一扫在手机打开当前页"
    doc = extract_text(text)
    assert doc.text == "一、总体情况\n" + BODY
    assert doc.published == "2018-03-19"
    assert doc.method == "text"
    assert [r.reason for r in doc.removed] == ["byline", "byline", "editor", "scan-qr"]


def test_metadata_table_inside_the_container_is_harvested_not_kept() -> None:
    page = """<html><body><div id="zoom">
    <table><tr><td>索引号：</td><td>11440300MB2C92050G/2022-00031</td><td>发布机构：</td><td>深圳市龙岗区人力资源局</td></tr>
    <tr><td>成文日期：</td><td>2022-01-25</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table>
    <p>一、总体情况</p><p>2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进各项工作。</p></div></body></html>"""
    doc = extract(page.encode())
    assert doc.text == "一、总体情况\n2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进各项工作。"
    assert doc.tables == []
    assert doc.agency == "深圳市龙岗区人力资源局"
    assert doc.published == "2022-01-25"
    assert {r.reason for r in doc.removed} == {"byline"}


def test_container_choice_prefers_the_body_over_a_small_ranked_block() -> None:
    body = "2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实有序推进政府信息公开工作。" * 4
    page = (f"<html><body><div id='UCAP-CONTENT'><p>热点专题：政务公开标准化规范化建设</p></div>"
            f"<div class='TRS_Editor'><p>一、总体情况</p><p>{body}</p></div></body></html>")
    doc = extract(page.encode())
    assert doc.text == "一、总体情况\n" + body
    short = "<html><body><div id='zoom'><p>现将本局2021年政府信息公开工作年度报告予以公布，详见附件。</p></div></body></html>"
    assert extract(short.encode()).method == "container"
