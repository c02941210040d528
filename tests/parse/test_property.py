"""Random valid tables (both formats) rendered as HTML and as each text flattening parse back to the
same numbers."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from crawler.extract.tables import html_table_to_grid
from crawler.model import CleanDocument, Table
from crawler.parse import parse, parse_text
from tests.parse import render

count = st.integers(min_value=0, max_value=9999)
maybe_blank = st.one_of(count, count, count, st.none())


@st.composite
def money(draw: st.DrawFn, unit_in_cell: bool) -> dict[str, Any]:
    cents = draw(st.integers(min_value=0, max_value=10_000_000))
    value: float | int = cents / 100 if draw(st.booleans()) else cents
    unit = draw(st.sampled_from(["万元", "元"])) if unit_in_cell else None
    raw = f"{value}{unit or ''}"
    return {"value": value, "unit": unit, "raw": raw}


@st.composite
def tables(draw: st.DrawFn, blanks: bool) -> dict[str, Any]:
    era = draw(st.sampled_from(["2019", "2021"]))
    cell = maybe_blank if blanks else count
    proactive: dict[str, Any] = {}
    for block, _, _, rows in render.T2_BLOCKS[era]:
        proactive[block] = {}
        for _, key in rows:
            values: dict[str, Any] = {}
            for col in render.T2_KEYS[era][block]:
                if col == "amount":
                    values[col] = draw(money(unit_in_cell=era == "2019"))
                    if era == "2021":
                        values[col]["unit"] = "万元"  # from the column header
                elif col == "change":
                    values[col] = draw(st.integers(min_value=-500, max_value=500))
                else:
                    values[col] = draw(cell)
            proactive[block][key] = values
    requests = {key: [draw(cell) for _ in range(7)] for _, _, key in render.t3_rows(era)}
    review = {g: {c: draw(cell) for c in render.REVIEW_COLS} for g in render.REVIEW}
    return {"era": era, "proactive": proactive, "requests": requests, "review": review}


def _same(report: Any, t: dict[str, Any]) -> None:
    assert report.format == t["era"], report.warnings
    assert report.requests["rows"] == t["requests"]
    assert report.review_litigation == t["review"]
    assert report.proactive == t["proactive"]


# NIANBAO_HYPOTHESIS_EXAMPLES=500 for a deeper run; the default keeps the suite fast.
FAST = settings(max_examples=int(os.environ.get("NIANBAO_HYPOTHESIS_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(tables(blanks=True))
def test_html_grids_round_trip(t: dict[str, Any]) -> None:
    doc = lxml_html.fromstring(f"<div>{render.html(t)}</div>")
    grids = [Table(rows=html_table_to_grid(el)) for el in doc.iter("table")]
    text = render.report_text(render.pipes(t), 2022 if t["era"] == "2021" else 2019)
    _same(parse(CleanDocument(text=text, tables=grids)), t)


@FAST
@given(tables(blanks=True))
def test_pipe_rows_round_trip(t: dict[str, Any]) -> None:
    year = 2022 if t["era"] == "2021" else 2019
    _same(parse_text(render.report_text(render.pipes(t), year)), t)


@FAST
@given(tables(blanks=False))
def test_one_cell_per_line_round_trip(t: dict[str, Any]) -> None:
    year = 2022 if t["era"] == "2021" else 2019
    _same(parse_text(render.report_text(render.cell_per_line(t), year)), t)


@FAST
@given(tables(blanks=False), st.booleans())
def test_runs_of_numbers_round_trip(t: dict[str, Any], pdf: bool) -> None:
    year = 2022 if t["era"] == "2021" else 2019
    _same(parse_text(render.report_text(render.runs(t, pdf=pdf), year)), t)
