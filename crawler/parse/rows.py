"""Flattened text or grids → row records (label + value cells), one shape for every input.

A *record* is what one printed table row becomes: the label text collected since the previous row's
values (so label fragments on their own lines, repeated rowspan/colspan cells and wrapped labels all
join up) and the value cells that follow it. ``positional`` says whether blank cells kept their
place (grids, " | "-joined rows); in whitespace-separated PDF text a blank simply vanishes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.parse.cells import Cell, classify, normalize, squash

_PAGE_MARK = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$")
# A line that is prose, not table: long and sentence-like.
_PROSE = re.compile(r"[。；;]|[，,].*[，,].*[，,]")


@dataclass
class Record:
    label: str  # squashed
    values: list[Cell] = field(default_factory=list)
    positional: bool = True
    line: int = 0  # index of the line (or grid row) where the values started


def _split_line(line: str) -> tuple[list[Cell], bool]:
    """Cells of one line and whether blanks are positional (" | " rows)."""
    line = normalize(line)
    if "|" in line:
        parts = [p.strip() for p in line.split("|")]
        while parts and parts[-1] == "":  # colspan padding at the end of a row
            parts.pop()
        return [classify(p) for p in parts], True
    tokens = line.split()
    # one cell on a line is a " | " row whose trailing blanks were dropped, or a run of one: nothing shifted
    return [classify(t) for t in tokens], len(tokens) == 1


def records_from_lines(lines: list[str], start: int = 0) -> list[Record]:
    """Group a run of text lines into records."""
    out: list[Record] = []
    label: list[str] = []
    current: Record | None = None
    for offset, raw in enumerate(lines):
        if not raw.strip() or _PAGE_MARK.match(raw):
            continue
        cells, positional = _split_line(raw)
        if positional:  # blanks before a row's label are unfilled rowspan cells, not values
            first_text = next((i for i, c in enumerate(cells) if c.kind == "text"), None)
            if first_text and all(c.kind == "blank" for c in cells[:first_text]):
                cells = cells[first_text:]
        line_values = False
        for cell in cells:
            if cell.kind == "text" and not (positional and line_values):
                if current is not None and current.values:
                    current = None
                label.append(cell.raw)
                continue
            if current is None:
                current = Record(squash("".join(label)), [], positional, start + offset)
                label = []
                out.append(current)
            if cell.kind == "text":  # a word inside a " | " run of values
                cell = Cell("garbage", cell.raw)
            current.values.append(cell)
            current.positional = current.positional and positional
            line_values = True
    if label:
        out.append(Record(squash("".join(label)), [], True, start + len(lines)))
    return out


def records_from_grid(rows: list[list[str]]) -> list[Record]:
    """Grid rows → records. Label = the leading text cells (repeated rowspans de-duplicated)."""
    out: list[Record] = []
    pending: list[str] = []
    for index, row in enumerate(rows):
        cells = [classify(c) for c in row]
        first_text = next((i for i, c in enumerate(cells) if c.kind == "text"), None)
        if first_text and all(c.kind == "blank" and c.raw == "" for c in cells[:first_text]):
            cells = cells[first_text:]  # unfilled rowspan cells of the label column
        split = 0
        while split < len(cells) and cells[split].kind == "text":
            split += 1
        texts: list[str] = []
        for c in cells[:split]:
            if not texts or texts[-1] != c.raw:
                texts.append(c.raw)
        values = [Cell("garbage", c.raw) if c.kind == "text" else c for c in cells[split:]]
        if not values:
            pending.extend(texts)
            continue
        out.append(Record(squash("".join(pending + texts)), values, True, index))
        pending = []
    if pending:
        out.append(Record(squash("".join(pending)), [], True, len(rows)))
    return out


def is_prose(line: str) -> bool:
    return len(line) > 60 and "|" not in line and bool(_PROSE.search(line))
