"""PDFium's fast path gives exactly what pdfplumber alone gives, and steps aside when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.docgen as docgen
from crawler.attachments import pdf as pdf_reader
from crawler.attachments import pdfview
from tests.reliability.hostile_files import pdf_from_objects

FIXTURES = Path(__file__).parent.parent / "fixtures" / "attachments"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _same(body: bytes) -> pdf_reader.AttachmentText:
    fast, slow = pdf_reader.read_pdf(body), pdf_reader.read_pdf(body, use_pdfium=False)
    assert fast.extracted == slow.extracted and fast.reason == slow.reason
    assert fast.text == slow.text
    assert [t.rows for t in fast.tables] == [t.rows for t in slow.tables]
    assert fast.warnings == slow.warnings and fast.title == slow.title
    return fast


def _sources(body: bytes) -> list[str]:
    """Which reader took each page."""
    import pdfplumber

    doc = pdfview.open_document(body)
    assert doc is not None
    with pdfplumber.open(__import__("io").BytesIO(body)) as pdf:
        return [("pdfium" if pdf_reader._view(doc, page, i) else "pdfplumber") for i, page in enumerate(pdf.pages)]


def _pdf(content: bytes, page_extra: bytes = b"") -> bytes:
    """One US-letter page drawing ``content`` with Helvetica as /F1."""
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
        stream,
        _FONT,
    ])


def _cells_text(rows: list[list[str]], x0: int, top: int, w: int, h: int) -> bytes:
    out = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            out += b"BT /F1 10 Tf %d %d Td (%s) Tj ET\n" % (x0 + c * w + 6, top - (r + 1) * h + 7, value.encode())
    return out


ROWS = [["Item", "Count", "Note"], ["Applications", "12", "new"], ["Total", "12", "-"]]


@pytest.mark.parametrize("case", ["report_2021_pdf", "long_table_pdf"])
def test_fixture_reports_read_the_same_and_every_page_fast(case: str) -> None:
    body = (FIXTURES / case / "input.pdf").read_bytes()
    got = _same(body)
    assert got.extracted and got.tables
    assert set(_sources(body)) == {"pdfium"}


def test_generated_report_with_paragraphs_tables_and_page_breaks() -> None:
    table = [["项目", "本年新收", "上年结转"], *[[f"第{i}项", str(i), str(i * 2)] for i in range(60)]]
    body = docgen.render_pdf("某局2022年政府信息公开工作年度报告", ["一、总体情况。" * 30, table, "二、其他。"])
    got = _same(body)
    assert len(got.tables) == 1 and got.tables[0].rows[-1] == ["第59项", "59", "118"]
    assert len(_sources(body)) >= 2 and set(_sources(body)) == {"pdfium"}


def test_ruling_drawn_as_thin_filled_rectangles_under_a_transform() -> None:
    """Word's way: every border a filled 0.5 pt rectangle, inside a ``cm`` that moves the grid."""
    x0, top, w, h = 60, 600, 120, 24
    rules = b"".join(b"%d %d %d 0.5 re\n" % (x0, top - r * h, 3 * w) for r in range(4))
    rules += b"".join(b"%d %d 0.5 %d re\n" % (x0 + c * w, top - 3 * h, 3 * h) for c in range(4))
    content = b"q 1 0 0 1 15 -20 cm 0 g\n" + rules + b"f\n" + _cells_text(ROWS, x0, top, w, h) + b"Q\n"
    got = _same(_pdf(content))
    assert [t.rows for t in got.tables] == [ROWS]
    assert _sources(_pdf(content)) == ["pdfium"]


def test_ruling_drawn_as_one_stroked_path_of_many_segments() -> None:
    x0, top, w, h = 72, 700, 100, 20
    path = b"".join(b"%d %d m %d %d l\n" % (x0, top - r * h, x0 + 3 * w, top - r * h) for r in range(4))
    path += b"".join(b"%d %d m %d %d l\n" % (x0 + c * w, top, x0 + c * w, top - 3 * h) for c in range(4))
    content = b"0.8 w\n" + path + b"S\n" + _cells_text(ROWS, x0, top, w, h)
    got = _same(_pdf(content))
    assert [t.rows for t in got.tables] == [ROWS]


def test_an_unpainted_path_draws_no_table() -> None:
    x0, top, w, h = 72, 700, 100, 20
    grid = b"".join(b"%d %d m %d %d l\n" % (x0, top - r * h, x0 + 3 * w, top - r * h) for r in range(4))
    grid += b"".join(b"%d %d m %d %d l\n" % (x0 + c * w, top, x0 + c * w, top - 3 * h) for c in range(4))
    content = b"q " + grid + b"W n\n" + _cells_text(ROWS, x0, top, w, h) + b"Q\n"  # a clip, never painted
    got = _same(_pdf(content))
    assert got.extracted and not got.tables


@pytest.mark.parametrize("extra", [b"/Rotate 90 ", b"/CropBox [20 20 590 770] "])
def test_rotated_or_cropped_pages_are_left_to_pdfplumber(extra: bytes) -> None:
    body = _pdf(b"BT /F1 12 Tf 100 700 Td (Rotated page text) Tj ET\n", extra)
    assert _sources(body) == ["pdfplumber"]
    assert _same(body).text.split() == ["Rotated", "page", "text"]


def test_turned_text_is_left_to_pdfplumber() -> None:
    body = _pdf(b"BT /F1 12 Tf 0 1 -1 0 300 300 Tm (Sideways) Tj ET\n")
    doc = pdfview.open_document(body)
    assert doc is not None and pdfview.page_view(doc, 0, 612, 792) is None
    assert sorted(_same(body).text) == sorted("Sideways")  # pdfplumber's order for turned text, kept


def test_pages_with_forms_are_not_plain() -> None:
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length 40 >>\nstream\n" \
        b"BT /F1 12 Tf 72 600 Td (In a form) Tj ET\nendstream"
    body = pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fx 6 0 R >> >> >>",
        b"<< /Length 8 >>\nstream\n/Fx Do\n\nendstream",
        _FONT,
        form,
    ])
    assert _sources(body) == ["pdfplumber"]
    assert _same(body).text == "In a form"


def test_pdfium_refusing_the_file_falls_back_whole() -> None:
    body = (FIXTURES / "report_2021_pdf" / "input.pdf").read_bytes()
    assert pdfview.open_document(b"%PDF-1.7 not really") is None
    got = pdf_reader.read_pdf(body)
    assert got.extracted


# ------------------------------------------------------------------ random reports, both readers

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.reliability.harness import LONG, budget  # noqa: E402

_CELL = st.text(alphabet="政府信息公开申请数量办理结果合计本年新收 0123456789abcXYZ-（）%./、“”《》：", max_size=60)
_TABLE = st.integers(1, 5).flatmap(lambda cols: st.lists(st.lists(_CELL, min_size=cols, max_size=cols),
                                                         min_size=1, max_size=9))
_PARA = st.text(alphabet="一二三四五六七八九十年度报告工作情况。，；0123456789 -%（）第页共", min_size=1, max_size=400)


# the same examples in every `make test` run; `make fuzz` (NIANBAO_FUZZ_LONG) draws new ones
@settings(max_examples=budget(12, 80), deadline=None, derandomize=not LONG,
          suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(st.one_of(_PARA, _TABLE), min_size=1, max_size=5))
def test_random_reports_read_the_same_by_both_readers(blocks: list[docgen.Block]) -> None:
    """Wrapped cells, empty cells, tables across page breaks, paragraphs between them: whatever
    pdfplumber alone reads from a generated report, the PDFium path reads identically."""
    body = docgen.render_pdf("某局政府信息公开工作年度报告", blocks)
    _same(body)
    assert set(_sources(body)) == {"pdfium"}
