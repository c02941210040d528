"""A PDF page's characters and ruling lines as read by PDFium, in pdfplumber's dict shapes.

pdfminer interprets content streams in Python; PDFium (C, through pypdfium2, which pdfplumber
already installs) reads the same page an order of magnitude faster (figures: docs/performance.md,
"Figures moved from code comments"). pdfplumber's
table finder and text clustering are kept and fed these dicts exactly as they are fed their own,
so cells and lines are found by the same rules. A page PDFium would not describe the same way
(rotated, offset or disputed page boxes, form XObjects, turned text) returns None and is read by
pdfplumber instead. Same answers are the aim, not a proof: tests/attachments/test_pdfview.py holds
them on the fixtures, hand-made rulings and random generated reports, but a font PDFium decodes
differently from pdfminer (one without a ToUnicode map, say) can still read differently.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]
_FLAT = 0.01  # points: a segment this close to axis-parallel is a ruling line
_ANGLE = 1e-3  # radians: text turned more than this is left to pdfplumber


@dataclass
class PageView:
    """What ``_read_page`` needs of a page: pdfplumber-shaped chars and edges, and the page box."""

    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    bbox: Box
    width: float
    height: float
    source: str = "pdfium"


def open_document(body: bytes) -> pdfium.PdfDocument | None:
    """PDFium's view of ``body``, or None when it will not open it (pdfplumber decides why)."""
    try:
        return pdfium.PdfDocument(body)
    except Exception:  # PdfiumError for damaged or protected files: pdfplumber reports the reason
        return None


_MOVETO, _LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO


def _edge(x0: float, y0: float, x1: float, y1: float, height: float) -> dict[str, Any]:
    if abs(x0 - x1) < _FLAT:
        x1 = x0
    if abs(y0 - y1) < _FLAT:
        y1 = y0
    left, right = min(x0, x1), max(x0, x1)
    top, bottom = height - max(y0, y1), height - min(y0, y1)
    orientation = "v" if left == right else ("h" if top == bottom else None)
    return {"object_type": "line", "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
            "width": right - left, "height": bottom - top, "orientation": orientation}


def _path_edges(obj: Any, height: float, out: list[dict[str, Any]]) -> None:
    """Straight segments of a painted path, in page space (pdfminer makes lines, rects and curves
    of the same segments and pdfplumber turns each into these edges)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return
    if not fill.value and not stroke.value:
        return
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    segment, point_of = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint
    kind_of, closes = pdfium_c.FPDFPathSegment_GetType, pdfium_c.FPDFPathSegment_GetClose
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = segment(obj, k)
        if not seg or not point_of(seg, x_ref, y_ref):
            continue
        px, py = x.value, y.value
        point = (a * px + c * py + e, b * px + d * py + f)
        kind = kind_of(seg)
        if kind == _MOVETO or prev is None:
            start = point
        elif kind == _LINETO:
            out.append(_edge(*prev, *point, height))
        # a Bézier segment draws no ruling line; its end point is where the next one starts
        prev = point
        if closes(seg) and start is not None and start != point:
            out.append(_edge(*point, *start, height))
            prev = start


def _chars(textpage: Any, height: float) -> list[dict[str, Any]] | None:
    # PDFium's functions and the rect's reference bound once: this loop makes five calls a char.
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    is_generated, unicode_of = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetUnicode
    angle_of, box_of = pdfium_c.FPDFText_GetCharAngle, pdfium_c.FPDFText_GetLooseCharBox
    chars: list[dict[str, Any]] = []
    count = pdfium_c.FPDFText_CountChars(raw)
    i = 0
    while i < count:
        index = i
        i += 1
        if is_generated(raw, index) == 1:
            continue  # PDFium's own spaces and line breaks; pdfplumber spaces words by position
        code = unicode_of(raw, index)
        if 0xD800 <= code < 0xDC00 and i < count:  # a character beyond the BMP comes as a surrogate pair
            low = unicode_of(raw, i)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 1
        if code == 0x02:
            code = 0x2D  # PDFium's mark for a hyphen it takes for a line-end break: the file has "-"
        if code in (0, 0x0D, 0x0A) or 0xD800 <= code < 0xE000:
            continue
        angle = angle_of(raw, index)
        if angle < 0 or min(angle, 2 * math.pi - angle) > _ANGLE:
            return None  # rotated or vertical text: pdfplumber groups it by its own rules
        if not box_of(raw, index, rect_ref):
            continue
        left, right = rect.left, rect.right
        top, bottom = height - rect.top, height - rect.bottom
        chars.append({"object_type": "char", "text": chr(code), "x0": left, "x1": right, "top": top,
                      "bottom": bottom, "doctop": top, "width": right - left, "height": bottom - top,
                      "upright": True})
    return chars


def page_view(doc: pdfium.PdfDocument, index: int, width: float, height: float) -> PageView | None:
    """Chars and ruling edges of page ``index``, or None when pdfplumber should read this page.

    ``width`` and ``height`` are the page box as pdfminer resolved it (inherited from the page
    tree, rotation 0, no crop offset: the caller checks); PDFium must agree on them.
    """
    page = doc[index]
    textpage = None
    try:
        if page.get_rotation() % 360:
            return None
        got_w, got_h = page.get_size()
        if abs(got_w - width) > 0.01 or abs(got_h - height) > 0.01:
            return None
        edges: list[dict[str, Any]] = []
        for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                return None  # nested coordinate spaces: pdfplumber resolves them
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                _path_edges(obj, height, edges)
        textpage = page.get_textpage()
        chars = _chars(textpage, height)
        if chars is None:
            return None
        return PageView(chars, edges, (0.0, 0.0, width, height), width, height)
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def plumber_view(page: Any) -> PageView:
    """The same view of a pdfplumber page (the fallback)."""
    return PageView(page.chars, page.edges, tuple(page.bbox), page.width, page.height, source="pdfplumber")
