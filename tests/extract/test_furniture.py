"""Page furniture vs injection, units: gateway hosts, chrome kinds, folded lexicon, signature dates,
Markdown grids, and `nianbao parse` on a Markdown file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from crawler.cli import main
from crawler.extract import extract, extract_text
from crawler.extract.markdown import read_markdown
from crawler.extract.spam import has_spam, spam_terms
from crawler.extract.widgets import chrome_kind, foreign_links, real_host

PARSE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parse"


@pytest.mark.parametrize(("url", "host"), [
    ("http://www.acas.org.cnx7a72966f93868.ipv6best.cn/", "www.acas.org.cn"),
    ("https://i-tianqi-comx3211966f93868xx.ipv6best.cn?c=code", "i.tianqi.com"),
    ("https://credit-xm-gov-cnxd4a4966f93868xx.ipv6best.cn/", "credit.xm.gov.cn"),
    ("https://27-151-80-61xe076966f93868xx.ipv6best.cn", "27.151.80.61"),
    ("http://www.fuzhou.gov.cn/", "www.fuzhou.gov.cn"),
])
def test_ipv6_gateway_hosts_are_undone(url: str, host: str) -> None:
    assert real_host(url) == host


def test_gateway_gov_links_are_not_foreign() -> None:
    el = etree.fromstring('<div><a href="https://www-fujian-gov-cnx1a2b966f93868xx.ipv6best.cn/">福建省人民政府</a>'
                          '<a href="http://www.people.com.cnx1a2b966f93868.ipv6best.cn/">人民网</a></div>')
    assert foreign_links(el, "www.pingtan.gov.cn") == ["http://www.people.com.cnx1a2b966f93868.ipv6best.cn/"]


@pytest.mark.parametrize(("markup", "kind"), [
    ('<div class="bshare-custom"><a title="分享到QQ空间" class="bshare-qzone">QQ空间</a></div>', "share"),
    ("<a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a>", "credit"),
    ('<iframe src="http://tianqi.2345.com/plugin/widget/index.htm?s=3"></iframe>', "widget"),
    ('<iframe src="http://video.example.com/embed/1"></iframe>', "widget"),
    ('<a href="http://bszs.conac.cn/sitename?method=show"><img alt="党政机关"/></a>', "badge"),
    ('<div><img src="https://c.cnzz.com/wapstat.php?siteid=1" width="0" height="0"/></div>', "stats"),
    ('<ul><li><a href="http://a.com/">甲网</a></li><li><a href="http://b.com/">乙网</a></li>'
     '<li><a href="http://c.com/">丙网</a></li></ul>', "link-list"),
    ('<span><a href="http://a.com/">资料</a></span>', "offsite-link"),
    ("<span>你好，注销</span>", "hidden"),
])
def test_chrome_kinds(markup: str, kind: str) -> None:
    el = etree.fromstring(markup)
    text = "".join(el.itertext())
    assert chrome_kind(el, text, foreign_links(el, "www.x.gov.cn")) == kind


@pytest.mark.parametrize(("text", "term"), [
    ("ｂｅｔ３６５官网", "ｂｅｔ３６５官网"), ("百 家 乐", "百 家 乐"), ("澳门\u200b葡京", "澳门\u200b葡京"),
    ("时\u3000时\u3000彩", "时\u3000时\u3000彩"), ("ＢＥＴ３６５", "ＢＥＴ３６５"),
])
def test_spelled_variants_are_spam_and_cut_as_written(text: str, term: str) -> None:
    assert has_spam(text)
    assert spam_terms(f"我局依法公开信息。{text}") == [term]
    doc = extract_text(f"一、总体情况\n我局依法公开政府信息{text}35条。")
    assert doc.spam.detected and "我局依法公开政府信息35条。" in doc.text


def test_hidden_off_site_links_without_spam_words_are_not_defacement() -> None:
    page = ('<html><body><div class="TRS_Editor"><p>一、总体情况</p><p>我局认真贯彻落实政府信息公开条例。</p></div>'
            '<div style="display:none"><a href="http://www.people.com.cn/">人民网</a><a href="http://www.xinhuanet.com/">新华网</a>'
            '<a href="http://www.cctv.com/">央视网</a></div>'
            '<iframe src="http://tianqi.2345.com/plugin/widget/index.htm"></iframe></body></html>')
    doc = extract(page.encode(), "http://www.x.gov.cn/1.html")
    assert not doc.spam.detected
    assert {r.reason for r in doc.removed} >= {"link-list", "widget"}


def test_hidden_spam_anchor_block_is_explained() -> None:
    page = ('<html><body><div class="TRS_Editor"><p>一、总体情况</p><p>我局认真贯彻落实政府信息公开条例。</p></div>'
            '<div class="lk" style="display:none"><a href="http://x.example/">皇冠体育</a><a href="http://y.example/">百家乐</a></div>'
            '</body></html>')
    doc = extract(page.encode(), "http://www.x.gov.cn/1.html")
    (finding,) = [f for f in doc.spam.findings if f.kind == "hidden-link"]
    assert finding.text.startswith('<div class="lk">') and "皇冠体育" in finding.text and "百家乐" in finding.text
    assert "http://x.example/" in finding.text


def test_bare_date_is_a_byline_before_the_body_and_a_signature_after() -> None:
    doc = extract_text("2019-01-21\n2019年1月21日\n一、总体情况\n全年公开信息35条。\n某某县教育局\n2019年1月18日\n2019-01-22 10:30")
    assert doc.text == "一、总体情况\n全年公开信息35条。\n某某县教育局\n2019年1月18日"
    assert [r.text for r in doc.removed if r.reason == "byline"] == ["2019-01-21", "2019年1月21日", "2019-01-22 10:30"]


def test_markdown_grid_fills_merged_labels_and_keeps_blank_values() -> None:
    lines, tables = read_markdown("\n".join([
        "## 三、收到和处理政府信息公开申请情况",
        "| 申请人情况 | | | 自然人 | 法人或其他组织 | | 总计 |",
        "|---|---|---|---|---|---|---|",
        "| 一、本年新收 | | | 26 | | | 26 |",
        "| 三、本年度办理结果 | （一）予以公开 | | 20 | 1 | | 21 |",
        "| | （三）不予公开 | 1．属于国家秘密 | 0 | 0 | | 0 |",
        "| | | 2．其他 | 1 | 0 | | 1 |",
    ]))
    assert lines[0] == "三、收到和处理政府信息公开申请情况"
    (table,) = tables
    assert table.rows[1] == ["一、本年新收"] * 3 + ["26", "", "", "26"]
    assert table.rows[2] == ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "20", "1", "", "21"]
    assert table.rows[4] == ["三、本年度办理结果", "（三）不予公开", "2．其他", "1", "0", "", "1"]
    assert lines[2] == "一、本年新收 | 26 |  |  | 26"  # blanks kept in place, as the HTML path writes them
    assert lines[5] == "2．其他 | 1 | 0 |  | 1"


def test_nianbao_parse_reads_a_markdown_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = PARSE_FIXTURES / "markdown_2021_pipe_tables_zhangpu" / "input.md"
    assert main(["parse", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["agency"] == "漳浦县市场监督管理局"
    assert report["requests"]["rows"]["partially_granted"] == [3, 0, 0, 0, 0, 0, 3]
    assert report["requests"]["rows"]["results_total"] == [24, 4, 0, 1, 2, 0, 31]


def test_gfm_table_without_outer_pipes() -> None:
    lines, tables = read_markdown("\n".join(["信息内容 | 本年制发件数 | 本年废止件数", "---|---|---", "规章 | 0 | 1",
                                             "| 行政规范性文件 | 5 | 2 |", "", "后文 a|b"]))
    assert [t.rows for t in tables] == [[["信息内容", "本年制发件数", "本年废止件数"], ["规章", "0", "1"],
                                         ["行政规范性文件", "5", "2"]]]
    assert lines[-1] == "后文 a|b"


@pytest.mark.parametrize("source", [
    "# 漳浦县市场监督管理局\n\n## 2022年政府信息公开工作年度报告\n\n## 一、总体情况\n\n2022年，我局公开信息。\n",
    "<!-- converted from PDF -->\n\n**漳浦县市场监督管理局2022年政府信息公开工作年度报告**\n\n一、总体情况\n",
    "漳浦县市场监督管理局\n2022年政府信息公开工作年度报告\n一、总体情况\n2022年，我局公开信息。\n",
])
def test_title_and_agency_from_the_first_heading_without_markup(source: str) -> None:
    doc = extract(source.encode(), "", "text/plain")
    assert doc.title == "漳浦县市场监督管理局2022年政府信息公开工作年度报告"
    from crawler.parse import parse

    assert parse(doc).agency == "漳浦县市场监督管理局"


@pytest.mark.parametrize("text", ["百家樂", "澳門葡京", "北京賽車PK10", "開雲體育官網"])
def test_traditional_spellings_of_the_lexicon(text: str) -> None:
    assert has_spam(text)


def test_traditional_report_prose_is_not_spam() -> None:
    assert not has_spam("我們這個區縣統計數據，體育場館建設、網站集約化和亞洲開發銀行貸款項目信息均已公開。")
