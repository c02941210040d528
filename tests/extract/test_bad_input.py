"""Bad input: a warning and an empty or partial document, never an exception."""

from __future__ import annotations

import importlib.util
import os
import time

import pytest

from crawler.extract import extract, extract_text
from crawler.model import CleanDocument

REPORT = ("<html><head><meta charset='utf-8'><title>某某局2021年政府信息公开工作年度报告</title></head><body>"
          "<div class='TRS_Editor'><p>一、总体情况</p><p>2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进各项工作。</p>"
          "<table><tr><td>规章</td><td>0</td><td>1</td></tr></table></div></body></html>")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (os.urandom(4096).replace(b"<", b"x") + b"\x00\x01\x02", "binary"),
        (b"\x00" * 1000, "binary"),
    ],
)
def test_empty_and_binary(body: bytes, needle: str) -> None:
    doc = extract(body, "http://www.x.gov.cn/a.html")
    assert isinstance(doc, CleanDocument)
    assert doc.text == ""
    assert any(needle in w for w in doc.warnings), doc.warnings


def test_not_bytes() -> None:
    doc = extract("<html>text</html>")  # type: ignore[arg-type]
    assert doc.warnings and doc.text == ""
    assert extract_text(None).warnings  # type: ignore[arg-type]
    assert extract_text("   ").warnings


def test_truncated_html_gives_a_partial_document() -> None:
    cut = REPORT.encode()[: REPORT.encode().index(b"<table>") + 20]
    doc = extract(cut)
    assert "一、总体情况" in doc.text and doc.method == "container"
    assert extract(b"<html><body><div class='TRS_Editor'><p>").text == ""


def test_30mb_page_is_cut_with_a_warning() -> None:
    para = "<p>2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开各项工作。</p>".encode()
    body = b"<html><body><div class='TRS_Editor'><p>\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93\xe6\x83\x85\xe5\x86\xb5</p>"
    body += para * (30 * 1024 * 1024 // len(para)) + b"</div></body></html>"
    assert len(body) >= 30 * 1024 * 1024 - len(para)
    start = time.perf_counter()
    doc = extract(body)
    assert time.perf_counter() - start < 30
    assert any("truncated" in w for w in doc.warnings)
    assert doc.text.startswith("一、总体情况") and len(doc.text) > 100_000


def test_wrong_declared_charset() -> None:
    gbk = REPORT.replace("charset='utf-8'", "charset='utf-8'").encode("gb18030")
    doc = extract(gbk, content_type="text/html; charset=utf-8")
    assert "政府信息公开条例" in doc.text
    assert any("charset" in w for w in doc.warnings)
    # declared gb2312, actually contains a GB18030-only character: read as gb18030, no warning needed
    rong = REPORT.replace("utf-8", "gb2312").replace("某某局", "朱镕基路街道").encode("gb18030")
    doc = extract(rong)
    assert doc.title.startswith("朱镕基路街道") and not doc.warnings


def test_garbage_markup_never_raises() -> None:
    for body in (b"<<<>>>", b"<html><body><table><tr><td rowspan='x' colspan='-3'>1</td>", b"<?xml version='1.0'?><html/>",
                 b"<div>" * 5000, "<p>\ud800</p>".encode("utf-8", "surrogatepass")):
        doc = extract(body)
        assert isinstance(doc, CleanDocument)


def test_attachment_dispatch() -> None:
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    doc = extract(pdf, "http://www.x.gov.cn/P020220120.pdf", "application/pdf", title_hint="某某局2021年政府信息公开工作年度报告")
    if importlib.util.find_spec("crawler.attachments") is None:
        assert any("attachment reader unavailable" in w for w in doc.warnings)
    else:
        assert doc.method == "pdf"
        assert doc.title == "某某局2021年政府信息公开工作年度报告"


def test_plain_text_body() -> None:
    text = "一、总体情况\n2021年，我局认真贯彻落实条例。\n扫一扫在手机打开当前页\n".encode("gb18030")
    doc = extract(text, "http://www.x.gov.cn/a.txt", "text/plain")
    assert doc.text == "一、总体情况\n2021年，我局认真贯彻落实条例。"
    assert doc.method == "text"


def test_utf8_page_declared_gb2312() -> None:
    # GB18030 decodes these bytes without errors (into mojibake); the strict UTF-8 check catches it
    doc = extract(REPORT.replace("utf-8", "gb2312").encode("utf-8"))
    assert "政府信息公开条例" in doc.text
    assert any("decoded as utf-8" in w for w in doc.warnings)


def test_html_error_page_sent_as_pdf_is_read_as_html() -> None:
    page = "<html><body><div id='zoom'><p>页面不存在或已被删除，请返回首页重新查找您需要的政府信息公开内容。</p></div></body></html>"
    doc = extract(page.encode(), "http://www.x.gov.cn/P0201.pdf", "application/pdf")
    assert doc.method == "container" and "页面不存在" in doc.text


def test_bytes_header_and_missing_url() -> None:
    gbk = REPORT.replace("charset='utf-8'", "").encode("gb18030")
    doc = extract(gbk, None, b"text/html; charset=GBK")  # type: ignore[arg-type]
    assert "政府信息公开条例" in doc.text and doc.url == "" and not doc.warnings
