"""The public API: attachments through crawler.attachments, text input, the JSON contract."""

from __future__ import annotations

import io
import json

from docx import Document

from crawler.extract import extract, extract_text
from crawler.model import CleanDocument


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("一、总体情况")
    doc.add_paragraph("2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进各项工作。")
    doc.add_paragraph("二、主动公开政府信息情况")
    table = doc.add_table(rows=3, cols=4)
    for r, row in enumerate([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"],
                             ["行政规范性文件", "2", "1", "15"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("扫一扫在手机打开当前页")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_goes_through_the_attachment_reader_and_the_text_path() -> None:
    doc = extract(_docx(), "http://www.x.gov.cn/P020220120.docx", title_hint="某某局2021年政府信息公开工作年度报告")
    assert doc.method == "docx"
    assert doc.title == "某某局2021年政府信息公开工作年度报告"
    assert "扫一扫" not in doc.text and any(r.reason == "scan-qr" for r in doc.removed)
    assert "行政规范性文件 | 2 | 1 | 15" in doc.text
    assert doc.tables and doc.tables[0].rows[2] == ["行政规范性文件", "2", "1", "15"]


def test_extract_text_metadata_and_contract() -> None:
    text = ("2013年广州市人力资源和社会保障局政府信息公开年度报告\n• 2014-03-11\n• 来源:广州市人力资源和社会保障局\n"
            "一、概述\n2013年，我局高度重视信息公开工作。")
    doc = extract_text(text, "file:a.txt")
    assert doc.title == "2013年广州市人力资源和社会保障局政府信息公开年度报告"
    assert doc.published == "2014-03-11"
    assert doc.agency == "广州市人力资源和社会保障局"
    assert doc.text.splitlines()[1:] == ["一、概述", "2013年，我局高度重视信息公开工作。"]
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert set(data) >= {"url", "title", "published", "agency", "site", "text", "tables", "removed", "spam", "method",
                         "warnings"}
    assert set(data["site"]) >= {"name", "id_code", "icp"}
    assert CleanDocument.from_dict(data) == doc


def test_agency_is_never_a_spam_token_or_a_non_organ() -> None:
    for source in ("本网", "bet0365", "澳门葡京娱乐", ""):
        doc = extract_text(f"来源:{source}\n一、总体情况\n我局认真贯彻落实条例。")
        assert doc.agency is None, source


def test_html_title_falls_back_to_title_tag_minus_site_name() -> None:
    page = ("<html><head><meta charset='utf-8'><meta name='SiteName' content='昆明市财政局'>"
            "<title>昆明市财政局2022年政府信息公开工作年度报告_昆明市财政局</title></head><body>"
            "<div id='zoom'><p>一、总体情况</p><p>2022年，我局认真贯彻落实条例，扎实推进政府信息公开工作。</p></div></body></html>")
    doc = extract(page.encode())
    assert doc.title == "昆明市财政局2022年政府信息公开工作年度报告"
    assert doc.method == "container"
