"""``pdf.grid_cells`` finds the cells pdfplumber's own search finds, in the same order."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from pdfplumber.table import TableFinder, TableSettings, intersections_to_cells
from pdfplumber.utils.exceptions import PdfminerException

import tests.docgen as docgen
from crawler.attachments import pdf as pdf_reader
from tests.portal.build import build_web

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _corpus() -> list[bytes]:
    bodies = [p.read_bytes() for p in sorted(FIXTURES.glob("**/*.pdf"))]
    bodies += [_grid(r, c, m) for r, c, m in ((2, 2, False), (5, 3, True), (12, 7, False))]
    web = build_web(scale=1)  # the simulated portals' report PDFs: the standard tables, ruled
    bodies += [page.body or page.lazy() for (_, path), page in sorted(web.pages.items()) if path.endswith(".pdf")][:8]
    return bodies


def _grid(rows: int, cols: int, blank: bool) -> bytes:
    cells = [[f"{r}-{c}" for c in range(cols)] for r in range(rows)]
    if blank:  # a blank cell (a blank is not a zero in these reports)
        cells[1][1] = ""
    return docgen.render_pdf("表格", ["政府信息公开工作年度报告", cells])


def test_grid_cells_are_pdfplumbers_on_every_ruled_page() -> None:
    bodies = _corpus()
    settings = TableSettings.resolve(None)
    pages = crossings = 0
    for body in bodies:
        try:
            pdf = pdfplumber.open(io.BytesIO(body))
        except PdfminerException:
            continue  # the damaged-file fixtures
        with pdf:
            for page in pdf.pages:
                found = TableFinder(page, settings)
                assert pdf_reader.grid_cells(found.intersections) == intersections_to_cells(found.intersections)
                ours = pdf_reader._TableFinder(page, settings)
                assert [t.bbox for t in ours.tables] == [t.bbox for t in found.tables]
                pages += 1
                crossings += len(found.intersections)
    assert pages >= 20 and crossings > 1000  # the corpus does exercise tables


def test_grid_cells_on_made_crossings() -> None:
    """Hand-made crossings: a missing corner, a broken ruling line, a lone point."""
    def edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, float]:
        return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}

    h0, h1, v0, v1 = edge(0, 0, 20, 0), edge(0, 10, 20, 10), edge(0, 0, 0, 10), edge(20, 0, 20, 10)
    full = {(0, 0): {"v": [v0], "h": [h0]}, (20, 0): {"v": [v1], "h": [h0]},
            (0, 10): {"v": [v0], "h": [h1]}, (20, 10): {"v": [v1], "h": [h1]}}
    broken = {**full, (20, 10): {"v": [v1], "h": [edge(10, 10, 20, 10)]}}
    lone = {(5, 5): {"v": [], "h": []}}
    for crossings in (full, broken, lone, {k: full[k] for k in list(full)[:3]}):
        assert pdf_reader.grid_cells(crossings) == intersections_to_cells(crossings)
    assert pdf_reader.grid_cells(full) == [(0, 0, 20, 10)]
    assert pdf_reader.grid_cells(broken) == []


def _char(text: str, x0: float, top: float = 100.0, width: float = 6.0, **extra: object) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10, "doctop": top,
            "upright": True, "width": width, "height": 10.0, "object_type": "char", **extra}


def test_chars_text_is_extract_text_on_every_cell() -> None:
    """The one-run shortcut gives what pdfplumber's clustering gives: on every table cell of the
    corpus, and on made runs that must take the long way (gaps, a second line, a space, a ligature,
    a char out of order, turned text)."""
    from pdfplumber.utils import extract_text

    cells = shortcut = 0
    original = pdf_reader.chars_text

    def checked(chars: list[dict[str, object]]) -> str:
        nonlocal cells, shortcut
        got = original(chars)
        assert got == extract_text(chars), [c["text"] for c in chars]
        cells += 1
        shortcut += bool(chars) and "\n" not in got and " " not in got
        return got

    pdf_reader.chars_text = checked
    try:
        for body in _corpus():
            pdf_reader.read_pdf(body)
    finally:
        pdf_reader.chars_text = original
    assert cells > 1000 and shortcut > cells // 2
    made = [
        [_char("1", 10), _char("2", 16)],  # touching: one word
        [_char("1", 10), _char("2", 16.9)],  # a hair apart: still one
        [_char("1", 10), _char("2", 20)],  # 4 points apart: two words
        [_char("1", 10), _char("2", 10 + 6 + 2.5)],  # within pdfplumber's tolerance, outside ours
        [_char("上", 10), _char("下", 10, top=130)],  # two lines
        [_char("a", 10), _char(" ", 16), _char("b", 22)],
        [_char("ﬁ", 10)], [_char(" ", 10)], [_char("2", 16), _char("1", 10)],
        [_char("竖", 10, upright=False), _char("排", 10, top=111, upright=False)],
    ]
    for chars in made:
        assert pdf_reader.chars_text(chars) == extract_text(chars), [c["text"] for c in chars]
