"""Bounds on what a reader decodes or holds: PDF page content, DOM-sized DOCX/XLSX members."""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib

import pytest

import tests.docgen as docgen
from crawler.attachments import docx as docx_reader
from crawler.attachments import pdf as pdf_reader
from crawler.attachments import read_attachment
from crawler.attachments import xlsx as xlsx_reader
from tests.reliability.hostile_files import pdf_from_objects

# ------------------------------------------------------------------------------------ PDF content

_OP = b"BT /F1 12 Tf 72 712 Td (a) Tj ET\n"
_FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
_OVER = pdf_reader.MAX_PAGE_CONTENT + 1024


def _stream(data: bytes, attrs: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), attrs) + packed + b"\nendstream"
    )


def _pdf(pages: list[tuple[bytes, bytes]], forms: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    """Pages of (content, XObject dict entries); objects 1 catalog, 2 pages, 3 font, then forms
    (4, 5, …), then each page and its content stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *forms,
    ]
    kids = []
    for content, xobjects in pages:
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << %s >> >> >>" % (len(objects) + 2, xobjects)
        )
        objects.append(_stream(content))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_from_objects(objects)


def _text(s: bytes, y: int = 700) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (" % y + s + b") Tj ET\n"


def test_pdf_page_over_the_content_limit_is_skipped_others_kept() -> None:
    body = _pdf([(_text(b"First page"), b""), (_OP * (_OVER // len(_OP)), b""), (_text(b"Third page"), b"")])
    got = read_attachment(body, "x.pdf")
    assert got.extracted, got.reason
    assert got.text.split("\n") == ["First page", "Third page"]
    assert got.warnings == ["page 2 skipped: content stream over 4 MiB decoded (limit 4 MiB)"]


def test_pdf_document_content_budget_stops_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many pages each under the page limit: the document's budget stops them, what came first stays."""
    pages = [(_text(b"Page %d" % i) + _OP * 2000, b"") for i in range(1, 6)]
    one = len(pages[0][0])
    monkeypatch.setattr(pdf_reader, "MAX_DOCUMENT_CONTENT", 2 * one + one // 2)
    got = read_attachment(_pdf(pages), "x.pdf")
    assert got.extracted, got.reason
    assert [ln for ln in got.text.split("\n") if ln.startswith("Page")] == ["Page 1", "Page 2"]
    assert any(w.startswith("pages 3-5 not read: the document's decoded content passed") for w in got.warnings)


def test_pdf_every_page_over_the_limit_fails_with_the_reason() -> None:
    got = read_attachment(_pdf([(_OP * (_OVER // len(_OP)), b"")]), "x.pdf")
    assert not got.extracted
    assert (
        got.reason == "no text read: its only page skipped, content stream over 4 MiB decoded (limit 4 MiB)"
    )


def test_pdf_form_xobjects_count_once_per_draw() -> None:
    hidden = _stream(_OP * (_OVER // len(_OP)), _FORM)  # the bomb inside a form the page draws
    small = _stream(_OP * (100 * 1024 // len(_OP)), _FORM)  # 100 KB, drawn 50 times: 5 MB to interpret
    body = _pdf(
        [
            (_text(b"Kept") + b"/Fx Do\n", b"/Fx 4 0 R"),
            (b"/F#78 Do\n", b"/Fx 4 0 R"),
            (b"/Fy Do\n" * 50, b"/Fy 5 0 R"),
            (b"/Fy Do\n" * 2, b"/Fy 5 0 R /Fx 4 0 R"),
        ],
        [hidden, small],
    )
    got = read_attachment(body, "x.pdf")
    assert [w.split(":")[0] for w in got.warnings] == ["page 1 skipped", "page 2 skipped", "page 3 skipped"]
    assert got.extracted and got.text.startswith("aaa")  # page 4 draws the small form twice: read


def test_pdf_form_text_is_read_and_a_form_drawing_itself_ends() -> None:
    form = _stream(
        _text(b"Inside form", 600) + b"/Fx Do /Fx Do\n",
        _FORM.replace(b">> >>", b">> /XObject << /Fx 4 0 R >> >>"),
    )
    got = read_attachment(_pdf([(_text(b"Page text") + b"/Fx Do\n", b"/Fx 4 0 R")], [form]), "x.pdf")
    assert got.extracted, got.reason
    assert got.text.split("\n") == ["Page text", "Inside form"]
    assert not got.warnings


def test_inflate_is_bounded_and_reads_damaged_streams_like_pdfminer() -> None:
    packed = zlib.compress(b"a" * (64 << 20))
    assert len(pdf_reader._inflate(packed, 1000)) == 1000
    from pdfminer.pdftypes import decompress_corrupted

    damaged = zlib.compress(b"0123456789" * 10_000)[:-4] + b"\0\0\0\0"  # a bad checksum, as is common

    assert pdf_reader._inflate(damaged, 1 << 20) == decompress_corrupted(damaged)
    packed = bytearray(zlib.compress(bytes(range(256)) * 4096))  # the damage in a later 64 KiB chunk
    packed[len(packed) // 2 :] = b"\xff" * (len(packed) - len(packed) // 2)
    d, bytewise = zlib.decompressobj(), b""
    with contextlib.suppress(zlib.error):
        for i in range(len(packed)):
            bytewise += d.decompress(bytes(packed[i : i + 1]))
    assert 0 < len(bytewise) < 1 << 20
    assert pdf_reader._inflate(bytes(packed), 1 << 21) == bytewise


def test_pdf_page_check_agrees_with_pdfminer_on_a_real_report() -> None:
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    body = docgen.render_pdf(
        "某局2021年政府信息公开工作年度报告", ["正文段落。" * 200, [["项目", "数量"], ["规章", "2"]]]
    )
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            size = pdf_reader._page_content_size(page.page_obj, pdf_reader.MAX_PAGE_CONTENT)
            assert size == sum(len(resolve1(c).get_data()) for c in page.page_obj.contents)


# ------------------------------------------------------------------------------ DOCX and XLSX parts


def _docx_variants() -> list[bytes]:
    from docx import Document

    doc = Document()
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "项目"  # vMerge
    t.cell(0, 1).merge(t.cell(0, 2)).text = "申请人情况"  # gridSpan
    t.cell(2, 0).text = "一、本年新收"
    t.cell(2, 1).add_table(rows=1, cols=2).cell(0, 0).text = "内表"  # nested table: read with its cell
    doc.add_paragraph("四、结转下年度继续办理")
    doc.core_properties.title = "某局2021年政府信息公开工作年度报告"
    buf = io.BytesIO()
    doc.save(buf)
    return [
        buf.getvalue(),
        docgen.render_docx("某局2021年年度报告", ["甲段落。", [["信息内容", "件数"], ["规章", "2"]]]),
    ]


@pytest.mark.parametrize("body", _docx_variants())
def test_streamed_docx_reads_as_the_parsed_one_does(body: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_attachment(body, "x.docx")
    main = zipfile.ZipFile(io.BytesIO(body)).getinfo("word/document.xml").file_size
    monkeypatch.setattr(docx_reader, "MAX_DOM_PART", main - 1)  # the main part is over that: streamed
    streamed = read_attachment(body, "x.docx")
    assert whole.extracted and streamed.extracted
    assert (streamed.text, [t.rows for t in streamed.tables], streamed.title) == (
        whole.text,
        [t.rows for t in whole.tables],
        whole.title,
    )


def test_docx_with_a_big_document_is_streamed_not_loaded_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    body = docgen.render_docx("标题", ["正文段落。"] * 2000)
    monkeypatch.setattr(docx_reader, "MAX_DOM_PART", 64 * 1024)

    def no_dom(*_: object) -> None:
        raise AssertionError("the main part was parsed whole")

    monkeypatch.setattr(docx_reader, "_dom_body", no_dom)
    got = read_attachment(body, "x.docx")
    assert got.extracted, got.reason
    assert got.text.count("正文段落。") == 2000


def test_streamed_docx_refuses_one_giant_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    runs = "<w:r><w:t>报告</w:t></w:r>" * 200
    xml = f'<?xml version="1.0"?><w:document {w}><w:body><w:p>{runs}</w:p></w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", xml)
    monkeypatch.setattr(docx_reader, "MAX_DOM_PART", 0)
    monkeypatch.setattr(docx_reader, "MAX_BLOCK_ELEMENTS", 100)
    got = read_attachment(out.getvalue(), "x.docx")
    assert not got.extracted
    assert (
        got.reason
        == "word/document.xml: one paragraph or table row holds over 100 XML elements: too large to read"
    )


def test_xlsx_parts_read_whole_are_bounded_sheets_are_not(monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for i in range(5000):
        wb.active.append([f"第{i}项", i])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        sizes = {i.filename: i.file_size for i in zf.infolist()}
    limit = max(size for name, size in sizes.items() if not name.startswith("xl/worksheets/"))
    assert sizes["xl/worksheets/sheet1.xml"] > limit
    monkeypatch.setattr(xlsx_reader, "MAX_DOM_PART", limit)
    assert read_attachment(buf.getvalue(), "x.xlsx").extracted  # a sheet is streamed: no limit
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "<si><t>表</t></si>" * limit
    )
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", strings + "</sst>")  # openpyxl keeps all of it, as a list
        size = zf.getinfo("xl/sharedStrings.xml").file_size
    got = read_attachment(buf.getvalue(), "x.xlsx")
    assert (got.extracted, got.reason) == (
        False,
        f"xl/sharedStrings.xml is {size / 2**20:.1f} MiB uncompressed (limit 0 MiB): too large to read",
    )
