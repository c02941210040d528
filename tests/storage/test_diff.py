"""crawler.diff: cell paths in schema.md terms, metadata and unified text diffs."""

from __future__ import annotations

import copy
import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.diff import cell_diff, meta_diff, text_diff
from tests.storage.docs import report

OLD = report("青岛市崂山区人力资源和社会保障局", 2019, [2, 0, 0, 0, 0, 0, 2]).to_dict()


def test_request_cell() -> None:
    new = copy.deepcopy(OLD)
    new["requests"]["rows"]["new_received"][6] = 3
    assert cell_diff(OLD, new) == ["requests.rows.new_received[6]: 2 -> 3"]


def test_proactive_cell_and_null() -> None:
    new = copy.deepcopy(OLD)
    new["proactive"]["art20_1"]["regulations"]["new_made"] = 1
    new["review_litigation"]["review"]["pending"] = None
    assert cell_diff(OLD, new) == [
        "proactive.art20_1.regulations.new_made: 0 -> 1",
        "review_litigation.review.pending: 0 -> null",
    ]


def test_money_cell_is_one_value() -> None:
    old = {"proactive": {"art20_8": {"fees": {"amount": {"value": 68.64, "unit": "万元", "raw": "68.64万元"}}}}}
    new = copy.deepcopy(old)
    new["proactive"]["art20_8"]["fees"]["amount"] = {"value": 70.0, "unit": "万元", "raw": "70万元"}
    assert cell_diff(old, new) == ["proactive.art20_8.fees.amount: 68.64万元 -> 70万元"]


def test_added_row_and_unchanged() -> None:
    new = copy.deepcopy(OLD)
    new["requests"]["rows"]["other"] = [0, None, 0, 0, 0, 0, 0]
    diff = cell_diff(OLD, new)
    assert diff[0] == "requests.rows.other[0]: absent -> 0"
    assert len(diff) == 7
    assert cell_diff(OLD, copy.deepcopy(OLD)) == []


def test_meta_diff() -> None:
    old = {"title": "A", "published": "2020-01-20", "agency": "X局", "year": 2019}
    new = dict(old, published="2020-01-25", year=2020)
    assert meta_diff(old, new) == ["published: 2020-01-20 -> 2020-01-25", "year: 2019 -> 2020"]


def test_text_diff() -> None:
    d = text_diff("一、总体情况\n全年收到申请2件\n无。", "一、总体情况\n全年收到申请3件\n无。")
    assert "-全年收到申请2件" in d and "+全年收到申请3件" in d and d.startswith("--- previous")
    assert text_diff("同", "同") == ""


def test_bad_input_warns(caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING):
        assert cell_diff(None, OLD) == []  # type: ignore[arg-type]
        assert meta_diff(OLD, "x") == []  # type: ignore[arg-type]
    assert caplog.text.count("WARNING") == 2


ROWS = list(OLD["requests"]["rows"])
CELL = st.one_of(st.none(), st.integers(min_value=0, max_value=999))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(ROWS), st.integers(min_value=0, max_value=6)), CELL, max_size=10))
def test_cell_diff_lists_exactly_the_changed_cells(changes: dict[tuple[str, int], int | None]) -> None:
    new = copy.deepcopy(OLD)
    for (row, col), value in changes.items():
        new["requests"]["rows"][row][col] = value
    expected = sorted(
        f"requests.rows.{row}[{col}]: {_show(OLD['requests']['rows'][row][col])} -> {_show(value)}"
        for (row, col), value in changes.items() if OLD["requests"]["rows"][row][col] != value
    )
    assert sorted(cell_diff(OLD, new)) == expected


def _show(value: int | None) -> str:
    return "null" if value is None else str(value)
