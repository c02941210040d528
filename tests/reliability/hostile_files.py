"""Hostile pages and files built on the spot: bombs, deep nesting, huge tables, NULs, broken PDFs."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from tests.reliability.fuzz import fixture_files
from tests.reliability.harness import budget

BOMB = budget(128, 200) * 1024 * 1024  # what the zip and flate bombs inflate to (zip limit: 100 MB)
PARAGRAPHS = budget(32, 64) * 1024 * 1024  # document.xml of the many-paragraphs DOCX
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


@dataclass
class HostileInput:
    name: str
    what: str
    stage: str  # extract | parse_text | read_attachment
    build: Callable[[], bytes]
    url: str
    keeps_text: bool = False  # legitimate content: the pipeline must come out with its text
    known: str = ""  # a known failure of another room's code (the test is xfail(strict=True))


def _replace_member(base: bytes, member: str, write: Callable[[zipfile.ZipFile], None]) -> bytes:
    """Copy an OOXML package, with ``member`` written by ``write`` instead of copied."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info.filename))
        write(dst)
    return out.getvalue()


def _stream_member(zf: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int, tail: bytes) -> None:
    with zf.open(zipfile.ZipInfo(name), "w", force_zip64=True) as f:
        f.write(head)
        chunk = filler * (1024 * 1024 // len(filler))
        for _ in range(size // len(chunk)):
            f.write(chunk)
        f.write(tail)


def _docx() -> bytes:
    return next(p for p in fixture_files("attachments", "input.docx") if "truncated" not in str(p)).read_bytes()


def _xlsx() -> bytes:
    return fixture_files("attachments", "input.xlsx")[0].read_bytes()


def docx_zip_bomb() -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    return _replace_member(_docx(), "word/document.xml",
                           lambda zf: _stream_member(zf, "word/document.xml", head, b"     ", BOMB, tail))


def docx_many_paragraphs() -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'.encode()
    para = "<w:p><w:r><w:t>（一）主动公开政府信息情况</w:t></w:r></w:p>".encode()
    return _replace_member(_docx(), "word/document.xml",
                           lambda zf: _stream_member(zf, "word/document.xml", head, para, PARAGRAPHS,
                                                     b"</w:body></w:document>"))


def docx_with_big_image() -> bytes:
    """A valid report DOCX carrying a 4 MB (incompressible) picture, as scanned seals often are."""
    noise = random.Random(7).randbytes(4 * 1024 * 1024)
    return _replace_member(_docx(), "word/media/seal.png",
                           lambda zf: zf.writestr("word/media/seal.png", noise, zipfile.ZIP_STORED))


def docx_billion_laughs() -> bytes:
    xml = (_LAUGHS.replace("lolz", "w:document")
           + f"<w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    return _replace_member(_docx(), "word/document.xml", lambda zf: zf.writestr("word/document.xml", xml))


def xlsx_zip_bomb() -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_S}><sheetData>'.encode()
    row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>'
    return _replace_member(_xlsx(), "xl/worksheets/sheet1.xml",
                           lambda zf: _stream_member(zf, "xl/worksheets/sheet1.xml", head, row, BOMB,
                                                     b"</sheetData></worksheet>"))


def xlsx_100k_cells() -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表三")
    for r in range(1000):
        ws.append([r * 100 + c for c in range(100)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_billion_laughs() -> bytes:
    xml = (_LAUGHS.replace("lolz", "sst")
           + f'<sst {_S} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    return _replace_member(_xlsx(), "xl/sharedStrings.xml", lambda zf: zf.writestr("xl/sharedStrings.xml", xml))


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF with a correct xref table around the given object bodies (numbered from 1)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_pages_cycle() -> bytes:
    """A page tree whose Kids point back at itself."""
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])


def pdf_flate_bomb() -> bytes:
    """One page whose content stream inflates to ``BOMB`` bytes of text-showing operators."""
    comp = zlib.compressobj(9)
    op = b"BT /F1 12 Tf 72 712 Td (a) Tj ET\n"
    chunk = op * (1024 * 1024 // len(op))
    data = b"".join(comp.compress(chunk) for _ in range(BOMB // len(chunk))) + comp.flush()
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> >>",
                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
                 b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def pdf_deep_arrays() -> bytes:
    """Nesting deep enough to exhaust a recursive parser's stack."""
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
                 b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_garbage_xref() -> bytes:
    return b"%PDF-1.4\n" + b"1 0 obj << /Length 999999999 >> stream\n" + b"\x00\xff" * 5000 + b"\nxref\nzz\n%%EOF"


def html_nested_divs(depth: int = 10_000) -> bytes:
    body = "<div>" * depth + "<p>崂山区人力资源和社会保障局2021年政府信息公开工作年度报告</p>" + "</div>" * depth
    return f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body>{body}</body></html>'.encode()


def html_huge_table(rows: int = 1000, cols: int = 100) -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{r * cols + c}</td>" for c in range(cols)) + "</tr>" for r in range(rows))
    return ('<html><head><meta charset="utf-8"><title>2021年政府信息公开工作年度报告</title></head><body>'
            f"<p>三、收到和处理政府信息公开申请情况</p><table>{cells}</table></body></html>").encode()


def html_nul_bytes() -> bytes:
    page = next(p for p in fixture_files("extract", "input.html")).read_bytes()
    return b"\x00".join(page[i:i + 7] for i in range(0, len(page), 7))


def text_nul_bytes() -> bytes:
    text = next(p for p in fixture_files("parse", "input.txt")).read_bytes()
    return text.replace("，".encode(), b"\x00").replace(b"\n", b"\n\x00\x00")


def html_unclosed_tags() -> bytes:
    return ("<html><body>" + "<table><tr><td><span><b><i><font>" * 5000 + "2021年政府信息公开工作年度报告").encode()


INPUTS = [
    HostileInput("nested_divs", "10,000 nested <div>s around a report title", "extract",
                 html_nested_divs, "http://x.gov.cn/a/t1.html", keeps_text=True),
    HostileInput("unclosed_tags", "5,000 × 7 unclosed table/inline tags", "extract",
                 html_unclosed_tags, "http://x.gov.cn/a/t2.html", keeps_text=True),
    HostileInput("table_100k", "an HTML table of 1,000 × 100 = 100,000 cells", "extract",
                 html_huge_table, "http://x.gov.cn/a/t3.html", keeps_text=True),
    HostileInput("html_nul", "a real report page with a NUL byte every 7 bytes", "extract",
                 html_nul_bytes, "http://x.gov.cn/a/t4.html"),
    HostileInput("text_nul", "a real report text with NULs for commas and line starts", "parse_text",
                 text_nul_bytes, "http://x.gov.cn/a.txt"),
    HostileInput("docx_zip_bomb", f"DOCX whose document.xml inflates to {BOMB >> 20} MiB", "read_attachment",
                 docx_zip_bomb, "http://x.gov.cn/f.docx"),
    HostileInput("docx_paragraphs", f"DOCX with {PARAGRAPHS >> 20} MiB of short paragraphs (under the 100 MB zip limit)",
                 "read_attachment", docx_many_paragraphs, "http://x.gov.cn/f.docx", keeps_text=True),
    HostileInput("docx_big_image", "a valid report DOCX with a 4 MB picture (5 MB file)", "read_attachment",
                 docx_with_big_image, "http://x.gov.cn/f.docx", keeps_text=True),
    HostileInput("docx_laughs", "DOCX document.xml with a billion-laughs entity", "read_attachment",
                 docx_billion_laughs, "http://x.gov.cn/f.docx"),
    HostileInput("xlsx_zip_bomb", f"XLSX whose sheet inflates to {BOMB >> 20} MiB of rows", "read_attachment",
                 xlsx_zip_bomb, "http://x.gov.cn/f.xlsx"),
    HostileInput("xlsx_100k", "XLSX with 1,000 × 100 = 100,000 cells", "read_attachment",
                 xlsx_100k_cells, "http://x.gov.cn/f.xlsx", keeps_text=True),
    HostileInput("xlsx_laughs", "XLSX sharedStrings with a billion-laughs entity", "read_attachment",
                 xlsx_billion_laughs, "http://x.gov.cn/f.xlsx"),
    HostileInput("pdf_cycle", "PDF page tree whose Kids contain itself", "read_attachment",
                 pdf_pages_cycle, "http://x.gov.cn/f.pdf"),
    HostileInput("pdf_flate_bomb", f"PDF content stream inflating to {BOMB >> 20} MiB", "read_attachment",
                 pdf_flate_bomb, "http://x.gov.cn/f.pdf"),
    HostileInput("pdf_deep_arrays", "PDF object nested 100,000 arrays deep", "read_attachment",
                 pdf_deep_arrays, "http://x.gov.cn/f.pdf"),
    HostileInput("pdf_garbage", "PDF header, a 1 GB /Length, binary junk, broken xref", "read_attachment",
                 pdf_garbage_xref, "http://x.gov.cn/f.pdf"),
]
