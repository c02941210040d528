"""Readers beyond the fixture folders: merged cells, zip bombs, limits, sniffing, never raising."""

from __future__ import annotations

import importlib.util
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.docgen as docgen
from crawler.attachments import pdf as pdf_reader
from crawler.attachments import read_attachment, sniff_kind
from tests.attachments import samples


@pytest.fixture
def no_converters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))


# ------------------------------------------------------------------------------------ merged cells

MERGED_EXPECTED = [
    ["项目", "申请人情况", "申请人情况", "申请人情况"],
    ["项目", "自然人", "法人或其他组织", "总计"],
    ["一、本年新收", "3", "1", "4"],
    ["三、本年度办理结果", "2", "0", "2"],
    ["三、本年度办理结果", "1", "1", "2"],
]


def test_docx_merged_cells_are_repeated() -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = doc.add_table(rows=5, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "项目"  # vMerge
    t.cell(0, 1).merge(t.cell(0, 3)).text = "申请人情况"  # gridSpan
    t.cell(3, 0).merge(t.cell(4, 0)).text = "三、本年度办理结果"
    for r, row in enumerate(MERGED_EXPECTED):
        for c, value in enumerate(row):
            if (r, c) not in {(0, 0), (1, 0), (0, 1), (0, 2), (0, 3), (3, 0), (4, 0)}:
                t.cell(r, c).text = value
    buf = io.BytesIO()
    doc.save(buf)
    got = read_attachment(buf.getvalue(), "a.docx")
    assert got.extracted, got.reason
    assert [t.rows for t in got.tables] == [MERGED_EXPECTED]
    assert got.text.split("\n")[0] == "三、收到和处理政府信息公开申请情况"


def test_xlsx_merged_cells_are_repeated() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(MERGED_EXPECTED, start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, int(value) if value.isdigit() else value)
    for rng in ("A1:A2", "B1:D1", "A4:A5"):
        ws.merge_cells(rng)  # openpyxl blanks the covered cells, as Excel does
    buf = io.BytesIO()
    wb.save(buf)
    got = read_attachment(buf.getvalue(), "t.xlsx")
    assert got.extracted, got.reason
    assert [t.rows for t in got.tables] == [MERGED_EXPECTED]


def test_pdf_merged_cells_are_repeated() -> None:
    from fpdf import FPDF
    from fpdf.enums import TableBordersLayout

    text = "".join("".join(r) for r in MERGED_EXPECTED)
    with tempfile.TemporaryDirectory() as tmp:
        font = Path(tmp) / "f.ttf"
        font.write_bytes(docgen._font_for(text))
        pdf = FPDF()
        pdf.set_creation_date(docgen.FIXED_DATE)
        pdf.add_font("cjk", "", str(font))
        pdf.add_page()
        pdf.set_font("cjk", size=10)
        with pdf.table(borders_layout=TableBordersLayout.ALL, first_row_as_headings=False) as table:
            row = table.row()
            row.cell("项目", rowspan=2)
            row.cell("申请人情况", colspan=3)
            row = table.row()
            for v in MERGED_EXPECTED[1][1:]:
                row.cell(v)
            row = table.row()
            for v in MERGED_EXPECTED[2]:
                row.cell(v)
            row = table.row()
            row.cell("三、本年度办理结果", rowspan=2)
            for v in MERGED_EXPECTED[3][1:]:
                row.cell(v)
            row = table.row()
            for v in MERGED_EXPECTED[4][1:]:
                row.cell(v)
        body = bytes(pdf.output())
    got = read_attachment(body, "t.pdf")
    assert got.extracted, got.reason
    assert [t.rows for t in got.tables] == [MERGED_EXPECTED]


# ------------------------------------------------------------------------------- order and limits


def test_pdf_reading_order_paragraphs_and_tables_interleaved() -> None:
    t1 = [["信息内容", "本年制发件数"], ["规章", "2"]]
    t2 = [["行政复议", "结果维持"], ["合计", "0"]]
    body = docgen.render_pdf(
        "某局2020年政府信息公开工作年度报告", ["甲段落。", t1, "乙段落。", t2, "丙段落。"]
    )
    got = read_attachment(body, "x.pdf")
    assert got.text.split("\n") == [
        "某局2020年政府信息公开工作年度报告",
        "甲段落。",
        "信息内容 | 本年制发件数",
        "规章 | 2",
        "乙段落。",
        "行政复议 | 结果维持",
        "合计 | 0",
        "丙段落。",
    ]
    assert [t.rows for t in got.tables] == [t1, t2]
    assert got.title == "某局2020年政府信息公开工作年度报告"


def test_pdf_page_cap_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    body = docgen.render_pdf("长文档", ["第一页内容。" * 10, *(["填充段落文字。" * 30] * 40)])
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    got = read_attachment(body, "long.pdf")
    assert got.extracted
    assert any("read the first 2" in w for w in got.warnings)
    assert "第一页内容" in got.text


def test_pdf_without_text_layer() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(docgen.FIXED_DATE)
    pdf.add_page()
    pdf.rect(20, 20, 50, 30, style="F")  # an 'image' of a table: no characters at all
    got = read_attachment(bytes(pdf.output()), "scan.pdf")
    assert not got.extracted
    assert got.reason.startswith("no text layer")


def _bomb(member_bytes: int) -> bytes:
    body = io.BytesIO(docgen.render_docx("标题", ["正文"]))
    out = io.BytesIO()
    with zipfile.ZipFile(body) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        chunk = b"\0" * (1 << 20)
        with dst.open("word/media/bomb.bin", "w") as fh:
            for _ in range(member_bytes >> 20):
                fh.write(chunk)
    return out.getvalue()


def test_zip_bomb_docx_over_size_limit_refused() -> None:
    body = _bomb(101 << 20)
    assert len(body) < 1 << 20  # 101 MB of zeros deflate to ~100 kB
    got = read_attachment(body, "bomb.docx")
    assert (got.kind, got.extracted) == ("docx", False)
    assert got.reason.startswith("zip bomb:") and "uncompressed" in got.reason


def test_zip_bomb_docx_over_ratio_limit_refused() -> None:
    got = read_attachment(_bomb(20 << 20), "bomb.docx")
    assert not got.extracted
    assert got.reason.startswith("zip bomb: compression ratio")


def test_small_docx_is_not_a_bomb() -> None:
    got = read_attachment(docgen.render_docx("标题", ["正文" * 5000]), "ok.docx")
    assert got.extracted, got.reason


@pytest.mark.parametrize(
    ("kind", "head", "reason"),
    [
        (
            "doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "no converter for doc (install libreoffice or antiword)",
        ),
        (
            "wps",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "no converter for wps (install libreoffice or antiword)",
        ),
        ("rtf", b"{\\rtf1\\ansi ", "no converter for rtf (install libreoffice)"),
    ],
)
def test_legacy_formats_without_converter(kind: str, head: bytes, reason: str, no_converters: None) -> None:
    body = head + "WordDocument".encode("utf-16-le") + b"\0" * 100
    got = read_attachment(body, f"https://x.gov.cn/a/report.{kind}")
    assert (got.kind, got.extracted, got.reason) == (kind, False, reason)


@pytest.mark.skipif(
    importlib.util.find_spec("xlrd") is not None, reason="xlrd installed: path does not apply"
)
def test_xls_without_xlrd() -> None:
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 100
    got = read_attachment(body, "t.xls")
    assert (got.kind, got.extracted, got.reason) == ("xls", False, "no reader for xls (install xlrd)")


def test_text_and_html_and_empty() -> None:
    text = "某局2019年政府信息公开年报\n一、总体情况".encode("gb18030")
    got = read_attachment(text, "a.txt")
    assert (got.kind, got.extracted, got.title) == ("text", True, "某局2019年政府信息公开年报")
    html = read_attachment(b"<!DOCTYPE html><html><body>404</body></html>", "a.pdf", "application/pdf")
    assert (html.kind, html.extracted) == ("html", False)
    assert read_attachment(b"", "a.pdf").reason == "empty file"


# ------------------------------------------------------------------------------------------ sniff


@pytest.mark.parametrize(
    ("body", "url", "ctype", "kind"),
    [
        (b"%PDF-1.4 ...", "https://a.gov.cn/download?id=3", "application/octet-stream", "pdf"),
        (b"\r\n%PDF-1.7", "", None, "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "a.doc", None, "doc"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "a.wps", None, "wps"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "a.doc", None, "xls"),
        (b"{\\rtf1\\ansi", "", None, "rtf"),
        (b"<html><head><title>t</title></head></html>", "a.pdf", "application/pdf", "html"),
        ("纯文本内容".encode(), "", None, "text"),
        (b"\x00\x01\x02\x03", "", None, "unknown"),
        (b"\x00\x01\x02\x03", "/pdfjs/web/viewer.html?file=/u/2021nb.pdf", None, "pdf"),
    ],
)
def test_sniff_kind(body: bytes, url: str, ctype: str | None, kind: str) -> None:
    assert sniff_kind(body, url, ctype) == kind


def test_sniff_zip_members_beat_the_extension() -> None:
    assert sniff_kind(docgen.render_docx("t", ["x"]), "report.doc") == "docx"
    assert sniff_kind(docgen.render_xlsx("t", [[["a"]]]), "report.xls") == "xlsx"


# ------------------------------------------------------------------------------------ never raises


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(
        [b"%PDF-1.5\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b""]
    ),
    tail=st.binary(max_size=2000),
)
def test_read_attachment_never_raises(prefix: bytes, tail: bytes) -> None:
    got = read_attachment(prefix + tail, "f.bin")
    assert got.extracted or got.reason


def test_damaged_real_pdf_never_raises() -> None:
    body = bytearray(docgen.render_pdf(samples.TITLE, samples.report_blocks()))
    for i in range(200, len(body), 997):  # flip bytes through the streams and xref
        body[i] ^= 0x5A
    got = read_attachment(bytes(body), "x.pdf")
    assert got.kind == "pdf"
    assert got.extracted or got.reason.startswith(("corrupt pdf", "no text layer"))


# ----------------------------------------------------------------------------------------- docgen


def test_docgen_is_deterministic_and_small() -> None:
    blocks = samples.report_blocks()
    for render in (docgen.render_pdf, docgen.render_docx, docgen.render_xlsx):
        assert render(samples.TITLE, blocks) == render(samples.TITLE, blocks)
    assert len(docgen.render_pdf(samples.TITLE, blocks)) < 150_000  # subset font, not the 19 MB collection


def test_docgen_without_cjk_font_fails_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(docgen, "_KNOWN_FONTS", ())
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list either
    monkeypatch.delenv("NIANBAO_CJK_FONT", raising=False)
    docgen.find_cjk_font.cache_clear()
    try:
        with pytest.raises(docgen.NoCJKFontError, match="fonts-noto-cjk"):
            docgen.render_pdf("标题", ["正文"])
    finally:
        docgen.find_cjk_font.cache_clear()


# -------------------------------------------------------------------------- real-world PDF/DOCX quirks


def test_pdf_running_headers_page_numbers_and_spaced_cjk() -> None:
    from fpdf import FPDF

    header = "某局2021年政府信息公开工作年度报告"
    body_text = "总 体 情 况" + "本机关认真贯彻落实条例，扎实推进政府信息公开工作。" * 60
    with tempfile.TemporaryDirectory() as tmp:
        font = Path(tmp) / "f.ttf"
        font.write_bytes(docgen._font_for(header + body_text + "-0123456789 "))

        class WithChrome(FPDF):
            def header(self) -> None:
                self.set_font("cjk", size=8)
                self.cell(0, 5, header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

            def footer(self) -> None:
                self.set_y(-12)
                self.set_font("cjk", size=8)
                self.cell(0, 5, f"- {self.page_no()} -", align="C")

        pdf = WithChrome()
        pdf.set_creation_date(docgen.FIXED_DATE)
        pdf.add_font("cjk", "", str(font))
        pdf.set_font("cjk", size=11)
        pdf.add_page()
        for _ in range(8):
            pdf.multi_cell(0, 7, body_text, new_x="LMARGIN", new_y="NEXT")
        assert pdf.page_no() >= 3
        body = bytes(pdf.output())
    got = read_attachment(body, "x.pdf")
    assert got.extracted, got.reason
    assert header not in got.text  # repeated on every page: chrome
    assert "- 2 -" not in got.text
    assert got.text.startswith("总体情况本机关")  # justified-spacing gaps between CJK squeezed out


def test_docx_text_box_read_once() -> None:
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    para = doc.add_paragraph("正文段落")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        "<w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    para._p.append(parse_xml(box))
    buf = io.BytesIO()
    doc.save(buf)
    got = read_attachment(buf.getvalue(), "x.docx")
    assert got.extracted, got.reason
    assert got.text.count("框内文字") == 1
