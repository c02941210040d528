"""DOCX paragraphs and tables in document order via python-docx, with a gridSpan/vMerge-aware grid."""

from __future__ import annotations

import io
from typing import Any

from lxml import etree

from crawler.model import AttachmentText, Table

from .common import cell_text, failed, make_result, rectangular, table_lines, zip_guard

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_ROWS = 20000


# every w:t under the paragraph (runs, hyperlinks, smart tags, inserted text, text boxes) plus
# tabs/breaks, but not mc:Fallback: Word stores each text box twice (DrawingML + VML fallback).
_TEXT_NODES = etree.XPath(
    ".//w:t[not(ancestor::mc:Fallback)] | .//w:tab[not(ancestor::mc:Fallback)]"
    " | .//w:br[not(ancestor::mc:Fallback)] | .//w:cr[not(ancestor::mc:Fallback)]",
    namespaces={"w": _W[1:-1], "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"},
)


def _para_text(p: Any) -> str:
    parts: list[str] = []
    for node in _TEXT_NODES(p):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _val(el: Any, name: str) -> str | None:
    child = el.find(f"{_W}{name}") if el is not None else None
    if child is None:
        return None
    return child.get(f"{_W}val", "")


def _tc_text(tc: Any) -> str:
    # nested tables' text is kept, flattened into the cell
    return cell_text("\n".join(_para_text(p) for p in tc.iter(f"{_W}p")))


def _table_grid(tbl: Any) -> list[list[str]]:
    """Rows of cell text; gridSpan repeats across, vMerge="continue" repeats the cell above."""
    grid: list[list[str]] = []
    for tr in tbl.findall(f"{_W}tr")[:MAX_ROWS]:
        row: list[str] = []
        tr_pr = tr.find(f"{_W}trPr")
        before = _val(tr_pr, "gridBefore")
        row.extend([""] * (int(before) if before and before.isdigit() else 0))
        for tc in tr.findall(f"{_W}tc"):
            tc_pr = tc.find(f"{_W}tcPr")
            span_val = _val(tc_pr, "gridSpan")
            span = int(span_val) if span_val and span_val.isdigit() else 1
            vmerge = _val(tc_pr, "vMerge")
            col = len(row)
            if vmerge is not None and vmerge != "restart" and grid:
                above = grid[-1]
                text = above[col] if col < len(above) else ""
            else:
                text = _tc_text(tc)
            row.extend([text] * max(span, 1))
        grid.append(row)
    return rectangular(grid)


def _blocks(container: Any) -> list[tuple[str, Any]]:
    """Body children in order; content controls (w:sdt) are opened, not skipped."""
    out: list[tuple[str, Any]] = []
    for child in container:
        if child.tag == f"{_W}p":
            out.append(("p", child))
        elif child.tag == f"{_W}tbl":
            out.append(("tbl", child))
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(_blocks(content))
    return out


def read_docx(body: bytes) -> AttachmentText:
    reason = zip_guard(body)
    if reason:
        return failed("docx", reason if reason.startswith("zip bomb") else f"corrupt docx: {reason}")
    try:
        import docx

        document = docx.Document(io.BytesIO(body))
        root = document.element.body
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on damaged parts
        return failed("docx", f"corrupt docx: {type(exc).__name__}: {exc}")
    lines: list[str] = []
    tables: list[Table] = []
    for kind, el in _blocks(root):
        if kind == "p":
            lines.extend(_para_text(el).split("\n"))
        else:
            grid = _table_grid(el)
            if grid:
                tables.append(Table(rows=grid))
                lines.extend(table_lines(grid))
    try:
        meta = document.core_properties.title or ""
    except Exception:  # a broken core.xml must not cost the body text
        meta = ""
    return make_result("docx", lines, tables, meta, [])
