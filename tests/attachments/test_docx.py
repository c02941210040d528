"""DOCX reading without python-docx's package loader reads what python-docx's tree gives.

``crawler.attachments.docx`` parses only the main document part and the core properties (lxml, with
python-docx's parser settings). The oracle is python-docx itself: ``docx.Document`` loads the
package, and its ``element.body`` is walked by the same block, paragraph and table code.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import tests.docgen as docgen
from crawler.attachments import docx as docx_reader
from crawler.attachments import read_attachment
from tests.attachments.oracle import python_docx_reading
from tests.attachments.samples import TITLE, long_table_rows, report_blocks, table3_rows

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _made_with_python_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading("某局2021年政府信息公开工作年度报告", level=1)
    doc.add_paragraph("一、总体情况\t（略）")
    para = doc.add_paragraph("本机关")
    para.add_run(" 主动公开 ").bold = True
    para.add_run("政府信息。").add_break()
    t = doc.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "项目"  # vMerge
    t.cell(0, 1).merge(t.cell(0, 3)).text = "申请人情况"  # gridSpan
    for col, name in enumerate(("自然人", "法人", "总计"), start=1):
        t.cell(1, col).text = name
    t.cell(2, 0).text = "一、本年新收"
    t.cell(2, 1).add_table(rows=1, cols=2).cell(0, 0).text = "内表"  # nested: read with its cell
    t.cell(3, 0).text = "二、上年结转"
    t.cell(3, 3).text = "12"
    doc.add_paragraph("   ")  # blank paragraph between blocks
    doc.add_paragraph("四、结转下年度继续办理")
    doc.core_properties.title = "某局2021年政府信息公开工作年度报告"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _with_body(body: bytes, xml: str) -> bytes:
    """``body`` with the main part's w:body replaced by ``xml`` (content controls, text boxes…)."""
    src = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<w:document xmlns:w="{_W}" xmlns:mc="{_MC}"><w:body>{xml}</w:body></w:document>').encode()
            zf.writestr(info, data)
    return out.getvalue()


def _main_part_moved(body: bytes, to: str = "word/main.xml") -> bytes:
    """The main part under another name: found through _rels/.rels and [Content_Types].xml, as Word does."""
    src = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"/word/document.xml", b"/" + to.encode()).replace(b"word/document.xml", to.encode())
            elif info.filename == "word/_rels/document.xml.rels":
                info = zipfile.ZipInfo(to.replace("word/", "word/_rels/") + ".rels", info.date_time)
            name = to if info.filename == "word/document.xml" else info.filename
            zf.writestr(zipfile.ZipInfo(name, info.date_time) if name != info.filename else info, data)
    return out.getvalue()


def _corpus() -> list[tuple[str, bytes]]:
    made = _made_with_python_docx()
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    controls = _with_body(made, (
        f'<w:p>{run.format("总体情况")}</w:p>'
        f'<w:sdt><w:sdtContent><w:p>{run.format("控件里的段落")}</w:p>'
        f'<w:tbl><w:tr><w:tc><w:p>{run.format("甲")}</w:p></w:tc><w:tc><w:p>{run.format(" 1 ")}</w:p></w:tc></w:tr>'
        f'</w:tbl></w:sdtContent></w:sdt>'
        f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{run.format("文本框")}</mc:Choice>'
        f'<mc:Fallback>{run.format("文本框")}</mc:Fallback></mc:AlternateContent></w:r>'
        f'<w:r><w:tab/><w:t>  </w:t><w:br/><w:t>下一行</w:t></w:r></w:p>'
        f'<w:p/>\n  <w:p>{run.format("  ")}</w:p>'))
    out = [("python-docx made", made), ("content controls, text boxes, blanks", controls),
           ("main part elsewhere", _main_part_moved(made)),
           ("docgen report", docgen.render_docx(TITLE, report_blocks())),
           ("docgen long table", docgen.render_docx("长表", ["前言。", long_table_rows(150), "结语。"])),
           ("docgen table 3", docgen.render_docx("表三", [table3_rows()]))]
    for path in sorted(FIXTURES.rglob("*.docx")):
        body = path.read_bytes()
        if read_attachment(body, path.name).extracted:
            out.append((str(path.relative_to(FIXTURES)), body))
    return out


CORPUS = _corpus()


@pytest.mark.parametrize("body", [b for _, b in CORPUS], ids=[name for name, _ in CORPUS])
def test_docx_reads_as_python_docx_loads_it(body: bytes) -> None:
    ours, oracle = docx_reader.read_docx(body), python_docx_reading(body)
    assert ours.extracted, ours.reason
    assert (ours.text, [t.rows for t in ours.tables], ours.title) == (
        oracle.text, [t.rows for t in oracle.tables], oracle.title)


def test_the_corpus_has_what_the_readers_could_disagree_on() -> None:
    texts = {name: docx_reader.read_docx(body) for name, body in CORPUS}
    assert texts["content controls, text boxes, blanks"].text.count("文本框") == 1  # not its VML twin
    assert "控件里的段落" in texts["content controls, text boxes, blanks"].text
    made = texts["python-docx made"]
    assert made.title and made.tables and "内表" in made.text
    assert any(name.startswith("attachments/") for name in texts)  # the fixtures are in it
    assert "word/document.xml" not in zipfile.ZipFile(io.BytesIO(dict(CORPUS)["main part elsewhere"])).namelist()
    assert texts["main part elsewhere"].text == made.text


def test_a_damaged_main_part_is_one_clear_reason_not_a_traceback() -> None:
    made = _made_with_python_docx()
    broken = _with_body(made, "<w:p><w:r><w:t>未闭合")
    got = docx_reader.read_docx(broken)
    assert not got.extracted and got.reason.startswith("corrupt docx: XMLSyntaxError")
    src = zipfile.ZipFile(io.BytesIO(made))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                zf.writestr(info, src.read(info.filename))
    got = docx_reader.read_docx(out.getvalue())
    assert not got.extracted and got.reason.startswith("corrupt docx: KeyError")


def test_a_broken_style_part_no_longer_costs_the_text() -> None:
    """python-docx loads every part and refused such a package; only the body and title are needed."""
    made = _made_with_python_docx()
    src = zipfile.ZipFile(io.BytesIO(made))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info, b"<w:styles" if info.filename == "word/styles.xml" else src.read(info.filename))
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever python-docx raises for it
        python_docx_reading(out.getvalue())
    got = docx_reader.read_docx(out.getvalue())
    assert got.extracted and got.text == docx_reader.read_docx(made).text
