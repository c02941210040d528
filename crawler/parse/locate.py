"""Find tables 二/三/四 in a document: which grid is which, or which run of text lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.model import Table
from crawler.parse.cells import squash
from crawler.parse.rows import Record, is_prose, records_from_grid, records_from_lines

_T2 = re.compile(r"第二十条|信息内容")
_T2_FOLLOW = re.compile(r"信息内容|本年新制作|本年制发|上一年项目|本年处理决定|规章|行政许可")
_T2_ROW = re.compile(r"规章|规范性文件|行政许可|行政处罚|行政事业性收费|集中采购")
_T3_HEAD = re.compile(r"申请人情况|勾稽关系为|本列数据")
_T3_ROW = re.compile(r"本年新收|上年结转")
_T3_MORE = re.compile(r"予以公开|不予公开|无法提供|不予处理|结转下年")
_T4 = re.compile(r"结果维持|尚未审结|未经复议|复议后起诉")
_T4_HEAD = re.compile(r"行政复议")
_MAX_TABLE_LINES = {"t2": 120, "t3": 400, "t4": 80}


@dataclass
class Located:
    """Records and header text of one table, and whether they came from a grid."""

    records: list[Record] = field(default_factory=list)
    header: str = ""
    grid: bool = False


def _grid_text(table: Table) -> str:
    return squash("".join("".join(row) for row in table.rows))


def _header_text(records: list[Record]) -> str:
    """Labels up to (and including) the first record that has values: the header of the table."""
    out = []
    for rec in records:
        out.append(rec.label)
        if rec.values:
            break
    return "".join(out)


def from_grids(tables: list[Table]) -> dict[str, Located]:
    found: dict[str, Located] = {}
    for table in tables:
        if not table.rows:
            continue
        text = _grid_text(table)
        if _T3_ROW.search(text) or _T3_HEAD.search(text) or ("t3" in found and _T3_MORE.search(text)):
            kind = "t3"  # a 表三 split by a page break continues in the next grid
        elif _T4.search(text) and not _T2_ROW.search(text):
            kind = "t4"
        elif _T2.search(text) or _T2_ROW.search(text):
            kind = "t2"
        else:
            continue
        located = found.setdefault(kind, Located(grid=True))
        records = records_from_grid(table.rows)
        if kind in ("t2", "t3") or not located.records:  # 表二 is often several small tables
            located.records.extend(records)
            if kind == "t2" or not located.header:
                located.header += text
    return found


def _first(lines: list[str], rx: re.Pattern[str], start: int, stop: int) -> int | None:
    for i in range(start, min(stop, len(lines))):
        if rx.search(lines[i]) and not is_prose(lines[i]) and (len(lines[i]) < 80 or "|" in lines[i]):
            return i
    return None


def from_lines(lines: list[str], headings: list[tuple[int, str, str]]) -> dict[str, Located]:
    """Regions: 表二 from "第二十条", 表三 from its header note, 表四 from "结果维持"; each ends at the
    next table or the next section heading."""
    heading_lines = [h[0] for h in headings]

    def next_heading(after: int) -> int:
        return next((h for h in heading_lines if h > after), len(lines))

    n = len(lines)
    t2 = None
    start = 0
    while start < n:  # a "第二十条" quoted in prose is not the table: its header must follow closely
        t2 = _first(lines, _T2, start, n)
        if t2 is None or _T2_FOLLOW.search("".join(lines[t2 : t2 + 8])):
            break
        start, t2 = t2 + 1, None
    t3 = _first(lines, _T3_HEAD, t2 or 0, n)
    if t3 is None:
        t3 = _first(lines, _T3_ROW, t2 or 0, n)
    t4_row = _first(lines, _T4, t3 or t2 or 0, n)
    t4 = None
    if t4_row is not None:
        t4 = t4_row
        for i in range(t4_row, max(t4_row - 6, (t3 or 0) - 1), -1):
            if _T4_HEAD.search(lines[i]):
                t4 = i
                break
    spans: dict[str, tuple[int, int]] = {}
    if t2 is not None:
        end = min(x for x in (t3, t4, next_heading(t2), t2 + _MAX_TABLE_LINES["t2"], n) if x is not None)
        spans["t2"] = (t2, end)
    if t3 is not None:
        end = min(x for x in (t4, next_heading(t3), t3 + _MAX_TABLE_LINES["t3"], n) if x is not None)
        spans["t3"] = (t3, end)
    if t4 is not None:
        spans["t4"] = (t4, min(next_heading(t4), t4 + _MAX_TABLE_LINES["t4"], n))
    found: dict[str, Located] = {}
    for kind, (start, end) in spans.items():
        chunk = ["" if is_prose(line) else line for line in lines[start:end]]
        records = records_from_lines(chunk, start)
        header = "".join(r.label for r in records) if kind == "t2" else _header_text(records)
        found[kind] = Located(records, header, grid=False)
    return found
