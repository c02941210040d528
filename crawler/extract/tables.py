"""HTML table → rectangular grid, honouring rowspan/colspan.

The deep parser reads these grids cell by cell, so every merged cell is repeated into each slot it
covers (docs/schema.md).  For ``text`` each source cell is written once, at its top-left slot, so the
body text holds every cell exactly once and a report table never comes out one cell per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# A rowspan larger than this is a broken page, not a table; cap it so a typo cannot build a huge grid.
_MAX_SPAN = 500
_SPAN_RE = re.compile(r"\s*(\d+)")
_BLOCK_TAGS = frozenset(
    ["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "table"]
)


@dataclass
class Slot:
    text: str
    origin: bool  # True at the top-left slot of its source cell


_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


@lru_cache(maxsize=8192)  # cell texts repeat ("0", "件", "—")
def clean_ws(text: str) -> str:
    """Collapse whitespace; drop it between two CJK characters, where Chinese never has any."""
    return _CJK_GAP.sub("", _WS.sub(" ", text).strip())


def join_pieces(pieces: list[str]) -> str:
    """Join text pieces of one cell: no space between two CJK characters, one space otherwise."""
    out = ""
    for piece in pieces:
        piece = clean_ws(piece)
        if not piece:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(piece[0])):
            out += " "
        out += piece
    return out


def cell_text(cell: etree._Element) -> str:
    """Visible text of a cell; <br> and block children (Word's <p class=MsoNormal>) split pieces."""
    if not len(cell):  # most cells are bare text
        return clean_ws(cell.text or "")
    pieces: list[str] = []
    buf: list[str] = []
    if cell.text:
        buf.append(cell.text)
    _children_text(cell, pieces, buf)
    pieces.append("".join(buf))
    return join_pieces(pieces)


def _children_text(el: etree._Element, pieces: list[str], buf: list[str]) -> None:
    """Text of ``el``'s children and their tails into ``buf`` (comments and PIs give only their tail)."""
    for child in el:
        if isinstance(child.tag, str):
            _element_text(child, pieces, buf)
        if child.tail:
            buf.append(child.tail)


def _element_text(el: etree._Element, pieces: list[str], buf: list[str]) -> None:
    """``el``'s text into ``buf``; a block element (or <br>) closes the piece before and after it."""
    block = el.tag in _BLOCK_TAGS
    if block:
        pieces.append("".join(buf))
        buf.clear()
    if el.text:
        buf.append(el.text)
    _children_text(el, pieces, buf)
    if block:
        pieces.append("".join(buf))
        buf.clear()


def _span(cell: etree._Element, name: str) -> int:
    raw = cell.get(name)
    if raw is None:
        return 1
    match = _SPAN_RE.match(raw)
    if not match:
        return 1
    value = int(match.group(1))
    return min(max(value, 1), _MAX_SPAN)


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (thead/tbody/tfoot included), never rows of a nested table."""
    return [
        el
        for el in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        if isinstance(el.tag, str)
    ]


def table_slots(table: etree._Element) -> list[list[Slot]]:
    """The grid with origin flags; rows that are entirely empty are dropped."""
    grid: dict[tuple[int, int], Slot] = {}
    n_rows = 0
    for r, row in enumerate(table_rows(table)):
        n_rows = max(n_rows, r + 1)
        c = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = cell_text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), Slot(text, dr == 0 and dc == 0))
            c += colspan
    if not grid:
        return []
    # rowspans reaching past the last <tr> do not create rows of their own
    width = max(c for (_, c) in grid) + 1
    rows: list[list[Slot]] = []
    for r in range(n_rows):
        row = [grid.get((r, c), Slot("", False)) for c in range(width)]
        if any(slot.text for slot in row):
            rows.append(row)
    return rows


def html_table_to_grid(table_element: etree._Element) -> list[list[str]]:
    """A rectangular grid of cell texts; merged cells are repeated into every slot they cover.

    Never raises: anything that is not a table gives ``[]``.
    """
    try:
        return [[slot.text for slot in row] for row in table_slots(table_element)]
    except Exception:  # noqa: BLE001 - a public helper must not raise on odd markup
        return []


def slots_to_lines(rows: list[list[Slot]]) -> list[str]:
    """One text line per row: each source cell once, cells joined by " | "."""
    lines = []
    for row in rows:
        # blank cells stay (a blank is not a zero: docs/report-format.md §6); trailing ones go
        cells = [slot.text for slot in row if slot.origin]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append(" | ".join(cells))
    return lines
