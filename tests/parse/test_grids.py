"""Grid shapes the fixtures do not cover: a 表三 split by a page break, unfilled rowspans."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.model import CleanDocument, Table
from crawler.parse import parse

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "parse" / "grid_2021_rowspan_html"


def _load() -> tuple[CleanDocument, dict]:
    doc = CleanDocument.from_dict(json.loads((CASE / "input.json").read_text(encoding="utf-8")))
    expected = json.loads((CASE / "expected.json").read_text(encoding="utf-8"))
    doc.text = ""  # the grids alone must carry the tables
    return doc, expected


def test_table_three_split_across_two_grids() -> None:
    doc, expected = _load()
    t3 = doc.tables[1].rows
    doc.tables[1:2] = [Table(rows=t3[:15]), Table(rows=t3[15:])]
    report = parse(doc)
    assert report.requests["rows"] == expected["requests"]["rows"]
    assert report.review_litigation == expected["review_litigation"]


def test_unfilled_rowspan_cells_are_not_values() -> None:
    doc, expected = _load()
    rows = doc.tables[1].rows
    for row in rows[5:]:  # an extractor that leaves covered slots empty instead of repeating
        if row[0] == "三、本年度办理结果":
            row[0] = ""
    report = parse(doc)
    assert report.requests["rows"] == expected["requests"]["rows"]


def test_single_other_row_in_a_2021_table_is_reported() -> None:
    doc, _ = _load()
    rows = doc.tables[1].rows
    keep = [r for r in rows if not r[-8].startswith(("2.申请人", "3.其他"))]
    for r in keep:
        if r[-8].startswith("1.申请人"):
            r[-8] = r[-9] = "（六）其他处理"
    doc.tables[1] = Table(rows=keep)
    report = parse(doc)
    assert report.requests["rows"]["other_misc"] == [None] * 7
    assert any("single （六）" in w for w in report.warnings), report.warnings
