"""Tables 二, 三 and 四 from row records (crawler.parse.rows) into the schema.md key sets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from crawler.parse.cells import Cell, count, money, normalize
from crawler.parse.labels import (
    CATEGORY_ROWS,
    MONEY_COLUMNS,
    REQUEST_COLUMNS,
    RESULTS_HEADER,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    ROWS_HEAD,
    ROWS_OTHER_2021,
    ROWS_TAIL,
    SUBTOTAL,
    T2_COLUMNS,
    T2_ROWS,
    match_category,
    match_request_row,
    match_t2_row,
    request_layout,
    request_rows,
)
from crawler.parse.rows import Record


@dataclass
class Parsed:
    """What one table parse produced, before it is put into the Report."""

    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    located: bool = False  # the table's anchor was found (its key set is then complete, None = unknown)
    cells: int = 0  # number cells read
    blanks: int = 0
    era_hint: str | None = None


def _align(rec: Record, width: int, grid: bool, what: str, warnings: list[str]) -> list[Cell | None]:
    """Exactly ``width`` cells for a record; None where the position is unknown."""
    values: list[Cell | None] = list(rec.values)
    if len(values) > width:
        extra = values[:-width] if grid else values[width:]
        if any(c is not None and c.kind == "num" for c in extra):
            warnings.append(f"{what}: {len(values)} cells where {width} expected; extra cells ignored")
        values = values[-width:] if grid else values[:width]
    elif len(values) < width:
        if rec.positional:
            values += [None] * (width - len(values))
        else:
            warnings.append(
                f"{what}: {len(values)} of {width} cells and their columns cannot be told apart; left blank"
            )
            values = [None] * width
    return values


def _number(cell: Cell | None, what: str, warnings: list[str]) -> int | float | None:
    if cell is None:
        return None
    if cell.kind == "garbage" or cell.kind == "text":
        warnings.append(f"{what}: unreadable cell {cell.raw[:20]!r}")
        return None
    return count(cell)


def _blank(cell: Cell | None) -> bool:
    return cell is not None and cell.kind == "blank"


# ---- 表二 --------------------------------------------------------------------------------------

def _amount_unit(header: str, keyword: str, default: str | None) -> str | None:
    m = re.search(keyword + r"[^|]{0,12}?(万元|元)", header)
    return m.group(1) if m else default


def parse_proactive(records: list[Record], header: str, era: str, grid: bool) -> Parsed:
    out = Parsed(located=True)
    if era not in T2_COLUMNS:
        return out
    header = normalize(re.sub(r"\s+", "", header))
    units = {
        "art20_8": _amount_unit(header, "收费金额", "万元"),
        "art20_9": _amount_unit(header, "采购总金额", None),
    }
    data: dict[str, Any] = {
        block: {row: dict.fromkeys(T2_COLUMNS[era][block]) for row in rows}
        for block, rows in T2_ROWS[era].items()
    }
    seen: set[tuple[str, str]] = set()
    for rec in records:
        hit = match_t2_row(rec.label)
        if hit is None or not rec.values:
            continue
        block, row = hit
        if block not in data or row not in data[block]:
            out.warnings.append(f"表二: row {row} does not belong to the {era} format")
            continue
        if hit in seen:
            out.warnings.append(f"表二: {block}.{row} appears twice; first kept")
            continue
        seen.add(hit)
        columns = T2_COLUMNS[era][block]
        what = f"表二 {block}.{row}"
        for col, cell in zip(columns, _align(rec, len(columns), False, what, [] if grid else out.warnings), strict=True):
            out.blanks += _blank(cell)
            if cell is not None and cell.kind == "num":
                out.cells += 1
            if col in MONEY_COLUMNS:
                data[block][row][col] = money(cell, units.get(block)) if cell is not None else None
                if cell is not None and cell.kind in ("garbage", "text"):
                    out.warnings.append(f"{what}: unreadable amount {cell.raw[:20]!r}")
            else:
                data[block][row][col] = _number(cell, what, out.warnings)
    missing = [f"{block}.{row}" for block, rows in data.items() for row in rows if (block, row) not in seen]
    if seen and missing:
        out.warnings.append(f"表二: {len(missing)} rows missing ({', '.join(missing[:4])})")
    out.data = data
    return out


# ---- 表三 --------------------------------------------------------------------------------------

def parse_requests(records: list[Record], header: str, era: str, grid: bool) -> Parsed:
    """Table 三. ``era`` picks the （六） key set; the table's own shape gives ``era_hint``."""
    out = Parsed(located=True)
    layout = _requests_layout(records, header, out)
    found, category_rows = _request_rows_found(records, layout, grid, out)
    out.data = _requests_data(found, category_rows, layout, era, out)
    return out


def _requests_layout(records: list[Record], header: str, out: Parsed) -> list[str]:
    """Table 三's columns from its header, or the merged-organisations shape its rows show."""
    flat_header = re.sub(r"\s+", "", normalize(header))
    layout = request_layout(flat_header)
    widths = [len(r.values) for r in records if r.values]
    if "法人或其他组织" in flat_header and widths and sum(w == 3 for w in widths) * 2 > len(widths):
        # non-standard shape: one merged 法人或其他组织 column, i.e. the organisations' subtotal
        layout = ["natural_person", "org_subtotal", "total"]
        out.warnings.append("表三: one merged 法人或其他组织 column; organisation cells unknown")
    return layout


def _next_category(key: str | None, cat: str | None, category: str | None) -> str | None:
    """The result category (（三）…（七）) rows below this one belong to."""
    if key in ROWS_HEAD or key in ROWS_TAIL:
        return None
    if cat:
        return cat
    for name, members in CATEGORY_ROWS.items():
        if key in members:
            category = name
    return category


def _request_rows_found(
    records: list[Record], layout: list[str], grid: bool, out: Parsed
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The recognised rows by key, and the category subtotal rows by category."""
    width = len(layout)
    found: dict[str, dict[str, Any]] = {}
    category_rows: dict[str, dict[str, Any]] = {}
    category: str | None = None
    for rec in records:
        cat, _ = match_category(rec.label)
        key = None if SUBTOTAL.search(rec.label) else match_request_row(rec.label, category)
        category = _next_category(key, cat, category)
        if not rec.values:
            continue
        what = f"表三 {key or rec.label[-12:] or 'unlabelled row'}"
        cells = _align(rec, width, grid, what, out.warnings)
        row = {col: _number(cell, what, out.warnings) for col, cell in zip(layout, cells, strict=True)}
        out.blanks += sum(_blank(c) for c in cells)
        out.cells += sum(1 for c in cells if c is not None and c.kind == "num")
        if key is None:
            if category and (cat or SUBTOTAL.search(rec.label)):
                category_rows.setdefault(category, row)
            elif not RESULTS_HEADER.search(rec.label):
                out.warnings.append(f"表三: row {rec.label[:30]!r} not recognised; ignored")
            continue
        if key in found:
            out.warnings.append(f"表三: row {key} appears twice; first kept")
            continue
        found[key] = row
    if not found and not category_rows:
        out.warnings.append("表三: no row recognised")
    return found, category_rows


def _requests_data(
    found: dict[str, dict[str, Any]], category_rows: dict[str, dict[str, Any]], layout: list[str], era: str,
    out: Parsed,
) -> dict[str, Any]:
    """The rows of ``era``'s key set in column order (and the subtotals), with what did not fit."""
    has_2021_rows = any(k in found for k in ROWS_OTHER_2021)
    out.era_hint = "2021" if has_2021_rows else ("2019" if "other" in category_rows else None)
    rows: dict[str, list[Any]] = {}
    for key in request_rows(era):
        if key == "other" and "other" in category_rows:
            found["other"] = category_rows.pop("other")
        found_row = found.get(key)
        rows[key] = [found_row.get(col) if found_row else None for col in REQUEST_COLUMNS]
    if era == "2021" and not has_2021_rows and "other" in category_rows:
        out.warnings.append("表三: a single （六）其他处理 row in a 2021-format table; its cells are not placed")
    if era == "2019" and has_2021_rows:
        out.warnings.append("表三: （六） has 2021-style sub-rows in a 2019-format report; sub-rows dropped")
    missing = [k for k in rows if k not in found]
    if missing:
        out.warnings.append(f"表三: {len(missing)} of {len(rows)} rows missing ({', '.join(missing[:4])}…)")
    data: dict[str, Any] = {"columns": list(REQUEST_COLUMNS), "rows": rows}
    if category_rows:
        data["subtotal_rows"] = {
            cat: [r.get(col) for col in REQUEST_COLUMNS] for cat, r in category_rows.items()
        }
    if "org_subtotal" in layout:
        data["subtotal_column"] = {k: v.get("org_subtotal") for k, v in found.items() if k in rows}
    return data


# ---- 表四 --------------------------------------------------------------------------------------

def parse_review(records: list[Record], grid: bool) -> Parsed:
    out = Parsed(located=True)
    cells: list[Cell] = []
    positional = True
    for rec in records:
        if rec.values:
            cells.extend(rec.values)
            positional = positional and rec.positional
        if len(cells) >= 15:
            break
    merged = Record("", cells, positional)
    aligned = _align(merged, 15, grid and len(cells) > 15, "表四", out.warnings)
    out.blanks = sum(_blank(c) for c in aligned)
    out.cells = sum(1 for c in aligned if c is not None and c.kind == "num")
    values = [_number(c, "表四", out.warnings) for c in aligned]
    out.data = {
        group: dict(zip(REVIEW_COLUMNS, values[i * 5 : i * 5 + 5], strict=True))
        for i, group in enumerate(REVIEW_GROUPS)
    }
    return out
