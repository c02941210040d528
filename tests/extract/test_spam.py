"""Spam detection and removal, with false-positive guards for words real reports use."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import extract, extract_text
from crawler.extract.spam import has_spam

SEED_001 = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "seed_001" / "input.txt"


def _page(body: str, title: str = "某某局2021年政府信息公开工作年度报告", head: str = "", before: str = "") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{before}"
            f"<div class='TRS_Editor'><p>一、总体情况</p><p>{body}</p></div></body></html>").encode()


def test_seed_001_brand_over_agency_name_is_gone_and_flagged() -> None:
    doc = extract(SEED_001.read_bytes())
    assert "bet0365" not in doc.text and "bet0365" not in doc.title
    assert doc.spam.detected
    assert any(f.kind == "gambling-brand" and f.text == "bet0365" for f in doc.spam.findings)
    assert "现发布2017年政府信息公开工作年度报告" in doc.text


@pytest.mark.parametrize(
    "prose",
    [
        "全年主动公开成人教育招生、成人高考报名等信息35条。",
        "配合金沙县、银河路街道开展基层政务公开标准化规范化建设，金沙江流域治理信息及时公开。",
        "坚持久久为功，持续抓好政务公开工作。",
        "组织政务公开知识竞猜活动1次，参与群众200余人。",
        "公开亚洲开发银行贷款项目进展情况4条，欧美同学会登记信息按规定公开。",
        "皇冠社区便民服务站、快三年未更新的办事指南已全部清理。",
        "务必发挥政务公开平台作用，永利村、太阳城社区信息公开栏全部更新。",
        "依法查处体育彩票投注站违规经营行为2起。",
        "严厉打击网络博彩、六合彩等违法犯罪活动，查处老虎机赌博案件3起，开展扫黄打非净网专项行动。",
        "组织开展线上知识竞猜活动，网上竞猜参与人数达1.2万人次。",
        "金沙体育馆改造项目、世界杯足球赛直播保障工作信息按时公开。",
        "推进成人在线教育平台建设，采购买球类器材一批。",
    ],
)
def test_false_positive_guards(prose: str) -> None:
    assert not has_spam(prose), prose
    doc = extract(_page(prose))
    assert not doc.spam.detected, doc.spam.findings
    assert prose in doc.text


@pytest.mark.parametrize(
    "spam",
    ["澳门金沙官网入口", "银河娱乐app下载", "皇冠体育", "大发快三计划", "亚洲国产成人精品", "欧洲杯买球平台", "365bet(中国)官方网站",
     "北京赛车PK10", "时时彩", "久久精品视频"],
)
def test_lexicon_hits(spam: str) -> None:
    assert has_spam(spam)


def test_keyword_replacing_a_common_word() -> None:
    body = "认真贯彻《国务院办公厅比分直播,篮球比分直播进一步做好政务公开工作的意见》，大发彩票办公室牵头抓好落实。"
    doc = extract(_page(body))
    assert "认真贯彻《国务院办公厅进一步做好政务公开工作的意见》，办公室牵头抓好落实。" in doc.text
    assert doc.spam.detected
    assert {f.kind for f in doc.spam.findings} >= {"gambling-keyword", "gambling-brand"}


def test_title_prefix_injection() -> None:
    title = "欧洲杯决赛竞猜_2024欧洲杯买球平台-线上app官网_某某局2021年政府信息公开工作年度报告"
    doc = extract(_page("我局认真贯彻落实政府信息公开条例，扎实推进各项工作。", title=title))
    assert doc.title == "某某局2021年政府信息公开工作年度报告"
    assert any(f.kind == "title-prefix" for f in doc.spam.findings)


def test_hidden_links_are_removed_and_recorded() -> None:
    hidden = ('<div style="display:none"><a href="http://www.hg8868.com/">皇冠体育</a></div>'
              '<span style="visibility:hidden">百家乐</span>')
    page = _page("我局认真贯彻落实政府信息公开条例，扎实推进各项工作。" + hidden)
    doc = extract(page, "http://www.example.gov.cn/a.html")
    assert "皇冠" not in doc.text and "百家乐" not in doc.text
    kinds = [f.kind for f in doc.spam.findings]
    assert kinds.count("hidden-link") == 2
    assert any("hg8868" in f.text for f in doc.spam.findings)


def test_hidden_text_without_spam_is_removed_but_not_flagged() -> None:
    page = _page('我局认真贯彻落实政府信息公开条例，扎实推进各项工作。<span style="display: none">内部备注</span>')
    doc = extract(page)
    assert "内部备注" not in doc.text and not doc.spam.detected
    assert any(r.reason == "hidden" for r in doc.removed)


def test_spam_banner_block_goes_whole_with_its_targets() -> None:
    banner = ('<div style="position:fixed;top:0"><a href="https://www.v88ty.com/">威尼斯人娱乐</a>'
              '<span>注册就送88元 每日返水</span></div>')
    doc = extract(_page("我局认真贯彻落实政府信息公开条例，扎实推进各项工作。", before=banner), "http://www.x.gov.cn/1.html")
    assert "注册就送" not in doc.text and "威尼斯人" not in doc.text
    banner_findings = [f for f in doc.spam.findings if f.kind == "spam-banner"]
    assert banner_findings and "v88ty.com" in banner_findings[0].text


def test_gov_iframe_and_gov_links_are_not_banners() -> None:
    before = '<iframe src="http://www.gov.cn/pdfviewer?file=1.pdf"></iframe><a href="http://www.gov.cn/">中国政府网</a>'
    doc = extract(_page("我局认真贯彻落实政府信息公开条例，扎实推进各项工作。", before=before), "http://www.x.gov.cn/1.html")
    assert not doc.spam.detected


def test_pinyin_and_traditional_spinning() -> None:
    text = ("根據《中華人民共和國政府信息公開條例》要求，現發(fā)佈本區政務(wù)公開工作年度報告。"
            "本區進一步完善政府信息公開工作機(jī)制，加強組織領導，明確責任分工，各項工作有序開展。" * 3)
    doc = extract_text(text)
    assert "(fā)" not in doc.text and "(wù)" not in doc.text
    kinds = {f.kind for f in doc.spam.findings}
    assert {"pinyin-spinning", "traditional-script"} <= kinds


def test_simplified_report_is_not_traditional() -> None:
    doc = extract_text(Path(SEED_001.parent.parent / "seed_000" / "input.txt").read_text(encoding="utf-8"))
    assert not doc.spam.detected


def test_gov_page_on_a_foreign_host_is_a_mirror() -> None:
    head = '<meta name="SiteIDCode" content="3212000001"><meta name="SiteDomain" content="www.taizhou.gov.cn">'
    doc = extract(_page("我局认真贯彻落实政府信息公开条例，扎实推进各项工作。", head=head), "http://www.zwinkt.com/zwgk/t1.html")
    kinds = {f.kind for f in doc.spam.findings}
    assert {"non-gov-host", "site-domain-mismatch"} <= kinds
    same = extract(_page("我局认真贯彻落实政府信息公开条例，扎实推进各项工作。", head=head), "http://xxgk.taizhou.gov.cn/t1.html")
    assert not same.spam.detected


def test_hidden_body_container_revealed_by_script_is_kept() -> None:
    para = "2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实有序推进政府信息公开工作，主动公开政府信息311条。"
    page = (f"<html><body><div class='TRS_Editor' style='display:none'><p>一、总体情况</p>{('<p>' + para + '</p>') * 5}</div>"
            "<script>document.querySelector('.TRS_Editor').style.display='block'</script></body></html>")
    doc = extract(page.encode())
    assert doc.method == "container" and doc.text.count(para) == 5


def test_file_type_brackets_are_not_pinyin() -> None:
    doc = extract_text("报告全文(pdf)、图解(jpg)、解读(doc)、统计表(xls)均可在本网站下载。")
    assert not doc.spam.detected and "(pdf)" in doc.text
