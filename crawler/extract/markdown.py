"""Markdown made by other tools (PDF→Markdown converters, archives): headings and pipe tables.

A converter writes a merged cell once and leaves the cells it covered empty::

    | 三、本年度办理结果 | （一）予以公开 |  | 9 | 2 | 0 | 0 | 1 | 0 | 12 |
    |  | （二）部分公开（区分处理的，只计这一情形，不计其他情形） |  | 3 | 0 | … |

Read as they stand, the empty label cells shift every value one column to the right (部分公开 and
the 总计 row came back wrong). An HTML grid repeats a merged cell over the slots it covers; this
module rebuilds that grid: an empty cell of the *label* columns (left of the first number in most
value rows) takes the cell above when it leads its row (a row span) and the cell to its left
otherwise (a column span); header rows do the same, taking the cell above only under a header
leaf. Empty cells among the values stay empty: a blank is not a zero (docs/report-format.md §6).
"""

from __future__ import annotations

import re
from collections import Counter

from crawler.model import Table

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_CELL_BREAK = re.compile(r"<br\s*/?>", re.I)
_NUMBER = re.compile(r"^[+\-−]?\s*\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件次|件|条|个|项|次|宗|份)?$")
_SPLIT = re.compile(r"(?<!\\)\|")
_COMMENT = re.compile(r"^<!--.*-->$")
_MARKUP = re.compile(r"[|#*_]|<!--")
_MARKED = re.compile(r"[#*_]")


def read_markdown(text: str) -> tuple[list[str], list[Table]]:
    """Lines of ``text`` with heading and emphasis marks gone and each pipe table as one " | " line
    per row, plus the tables as grids (merged cells repeated, as the HTML path gives them)."""
    lines = text.splitlines()
    if not _MARKUP.search(text):
        return lines, []  # plain text (most attachments): one C-level scan decides
    out: list[str] = []
    tables: list[Table] = []
    block: list[str] = []

    def close() -> None:
        if len(block) >= 2:
            grid, origin = _grid([_cells(row) for row in block if not _SEPARATOR.match(row.strip())])
            if grid:
                tables.append(Table(rows=grid))
                out.extend(_row_lines(grid, origin))
        else:
            out.extend(_plain(row) for row in block)
        block.clear()

    loose = False  # a GFM table without outer pipes ("a | b" over "---|---"): rows are lines with a "|"
    for i, line in enumerate(lines):
        if "|" in line:
            stripped = line.strip()
            if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
                block.append(stripped)
                continue
            if loose:
                block.append(_piped(stripped))
                continue
            close()
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if "|" in nxt and _SEPARATOR.match(nxt.strip()):
                loose = True
                block.append(_piped(stripped))
                continue
        else:
            if block:
                close()
            loose = False
            if "<!--" in line and _COMMENT.match(line.strip()):
                continue  # a converter's note ("<!-- image -->", "<!-- page 2 -->")
        out.append(_plain(line) if _MARKED.search(line) else line)
    close()
    return out, tables


def _piped(row: str) -> str:
    """A row with exactly one outer pipe each side."""
    return "|" + row.removeprefix("|").removesuffix("|") + "|"


def _plain(line: str) -> str:
    m = _HEADING.match(line)
    if m:
        line = m.group(1)
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)


def _cells(row: str) -> list[str]:
    inner = row.strip()[1:-1]
    cells = [_CELL_BREAK.sub("", c).replace("\\|", "|").strip() for c in _SPLIT.split(inner)]
    return [_plain(c) for c in cells]


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.replace("\u3000", " ")))


def _grid(rows: list[list[str]]) -> tuple[list[list[str]], list[list[bool]]]:
    """Rows with merged label and header cells filled in, and which cells were written in the source."""
    if not rows:
        return [], []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    first_number = [next((j for j, c in enumerate(r) if _is_number(c)), None) for r in rows]
    starts = Counter(f for f in first_number if f is not None)
    # the label width of most value rows: one row whose first value is blank must not widen it
    label_width = min(starts, key=lambda k: (-starts[k], k)) if starts else width
    grid: list[list[str]] = []
    origin: list[list[bool]] = []
    for i, row in enumerate(rows):
        filled = list(row)
        written = [bool(c) for c in row]
        numeric = first_number[i] is not None
        above = grid[i - 1] if i else None
        above_header = i > 0 and first_number[i - 1] is None
        seen_text = False
        for j, cell in enumerate(row):
            if cell:
                seen_text = True
                continue
            if numeric and j >= label_width:
                continue  # a blank value
            if not seen_text:
                if above is not None and (numeric or above_header):
                    filled[j] = above[j]
            elif numeric or not above_header or above is None or j == 0 or above[j] == above[j - 1]:
                filled[j] = filled[j - 1]
            else:
                filled[j] = above[j]  # under a header leaf of its own (总计 over the sub-header row)
        grid.append(filled)
        origin.append(written)
    return grid, origin


def _row_lines(grid: list[list[str]], origin: list[list[bool]]) -> list[str]:
    """One line per row, each written cell once; blank value cells keep their place."""
    lines = []
    for row, written in zip(grid, origin, strict=True):
        first = next((j for j, w in enumerate(written) if w), None)
        if first is None:
            continue
        cells = [c for j, c in enumerate(row) if j >= first and (written[j] or not c)]
        while cells and not cells[-1]:
            cells.pop()
        lines.append(" | ".join(cells))
    return lines
