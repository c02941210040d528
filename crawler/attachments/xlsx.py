"""XLSX (openpyxl) and XLS (xlrd, when installed): every sheet becomes one table."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from typing import Any

from crawler.model import AttachmentText, Table

from .common import (
    MAX_DOM_PART,
    cell_text,
    failed,
    make_result,
    member_sizes,
    rectangular,
    table_lines,
    too_large,
    zip_guard,
)

MAX_ROWS = 20000
MAX_COLS = 200
# Small workbooks are opened fully so merged ranges can be repeated into every cell they cover;
# big ones stream in read_only mode (no merge info) to bound memory. Measured on the worksheets'
# uncompressed XML: a full load holds every cell, ~12x that size (3.4 MB of sheet: 40 MB).
FULL_LOAD_LIMIT = 5 * 1024 * 1024
_SHEETS = "xl/worksheets/"


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)


def _sheet_rows(ws: Any, warnings: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for n, row in enumerate(ws.iter_rows(values_only=True)):
        if n >= MAX_ROWS:
            warnings.append(f"sheet {ws.title!r}: read the first {MAX_ROWS} rows")
            break
        rows.append([_fmt(v) for v in row[:MAX_COLS]])
    merged = getattr(ws, "merged_cells", None)
    if merged is not None:
        for rng in merged.ranges:
            r0, c0 = rng.min_row - 1, rng.min_col - 1
            if r0 >= len(rows) or c0 >= len(rows[r0]):
                continue
            value = rows[r0][c0]
            for r in range(r0, min(rng.max_row, len(rows))):
                for c in range(c0, min(rng.max_col, MAX_COLS)):
                    while len(rows[r]) <= c:
                        rows[r].append("")
                    rows[r][c] = value
    return rectangular(rows)


def _emit(
    kind: str, sheets: list[tuple[str, list[list[str]]]], meta: str, warnings: list[str]
) -> AttachmentText:
    lines: list[str] = []
    tables: list[Table] = []
    for name, rows in sheets:
        if not rows:
            continue
        lines.append(name)
        lines.extend(table_lines(rows))
        tables.append(Table(rows=rows))
    return make_result(kind, lines, tables, meta, warnings)


def read_xlsx(body: bytes) -> AttachmentText:
    reason = zip_guard(body)
    if reason:
        return failed("xlsx", reason if reason.startswith("zip bomb") else f"corrupt xlsx: {reason}")
    sizes = member_sizes(body)
    # openpyxl streams worksheets (read_only) but parses every other XML part whole, and keeps all of
    # sharedStrings.xml as one list of str (16 MiB of short strings: ~140 MB, 5 s): those must fit
    for name, size in sizes.items():
        if size > MAX_DOM_PART and name.endswith((".xml", ".rels")) and not name.startswith(_SHEETS):
            return failed("xlsx", too_large(name, size, MAX_DOM_PART))
    sheets_size = sum(size for name, size in sizes.items() if name.startswith(_SHEETS))
    warnings: list[str] = []
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(body), read_only=sheets_size > FULL_LOAD_LIMIT, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, zip errors …
        return failed("xlsx", f"corrupt xlsx: {type(exc).__name__}: {exc}")
    try:
        sheets = [(ws.title, _sheet_rows(ws, warnings)) for ws in wb.worksheets]
        meta = wb.properties.title or ""
    except Exception as exc:
        return failed("xlsx", f"corrupt xlsx: {type(exc).__name__}: {exc}", warnings)
    finally:
        wb.close()
    return _emit("xlsx", sheets, meta, warnings)


def read_xls(body: bytes) -> AttachmentText:
    if importlib.util.find_spec("xlrd") is None:
        return failed("xls", "no reader for xls (install xlrd)")
    import xlrd

    warnings: list[str] = []
    try:
        book = xlrd.open_workbook(file_contents=body, formatting_info=False, on_demand=True)
        sheets = []
        for sheet in book.sheets():
            rows = [
                [_fmt(sheet.cell_value(r, c)) for c in range(min(sheet.ncols, MAX_COLS))]
                for r in range(min(sheet.nrows, MAX_ROWS))
            ]
            if sheet.nrows > MAX_ROWS:
                warnings.append(f"sheet {sheet.name!r}: read the first {MAX_ROWS} rows")
            sheets.append((sheet.name, rectangular(rows)))
    except Exception as exc:  # xlrd.XLRDError, struct errors on damaged files
        return failed("xls", f"corrupt xls: {type(exc).__name__}: {exc}")
    return _emit("xls", sheets, "", warnings)
