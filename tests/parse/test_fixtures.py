"""Every fixture in tests/fixtures/parse: every expected cell, field, failing check and warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.eval.parse import cases, compare, evaluate, run_case


@pytest.mark.parametrize("folder", cases(), ids=lambda p: p.name)
def test_fixture(folder: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    result = compare(expected, run_case(folder))
    assert not result["wrong_cells"], result["wrong_cells"][:10]
    assert not result["wrong_fields"], result["wrong_fields"]
    assert result["checks_ok"], result["failing_checks"]
    assert not result["missing_warnings"], result["missing_warnings"]


def test_fixture_set_covers_the_brief() -> None:
    names = [p.name for p in cases()]
    assert len(names) >= 20
    assert sum(n.startswith("seed_") for n in names) == 5


def test_eval_level_holds() -> None:
    total = evaluate(bench_seconds=0)["total"]
    assert total["cells"] > 3000
    assert total["cells_right"] == total["cells"]
    assert total["fields_right"] == total["fields"]
    assert total["checks_right"] == total["cases"]


def test_compare_notices_a_wrong_cell_and_a_missing_failure() -> None:
    folder = next(p for p in cases() if p.name.startswith("seed_003"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    expected["requests"]["rows"]["granted"][6] = 4
    expected["failing_checks"] = ["T3-2"]
    result = compare(expected, run_case(folder))
    assert [c[0] for c in result["wrong_cells"]] == ["requests.rows.granted[6]"]
    assert not result["checks_ok"]
