"""One parametrised test over tests/fixtures/attachments/<case>/ (input + expected.json).

Regenerate inputs with ``python -m tests.fixtures.attachments.make_fixtures``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler.attachments import read_attachment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").is_file())


def cell_recall(expected: list[list[str]], got: list[list[list[str]]]) -> float:
    """Share of expected cells found at the same (row, column) in the best-matching output table."""
    total = sum(len(r) for r in expected)
    best = 0
    for rows in got:
        hits = sum(
            1
            for i, row in enumerate(expected)
            for j, cell in enumerate(row)
            if i < len(rows) and j < len(rows[i]) and rows[i][j] == cell
        )
        best = max(best, hits)
    return best / total if total else 1.0


@pytest.fixture
def no_converters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty PATH: libreoffice/antiword are 'not installed' whatever this machine has."""
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.mark.parametrize("case", CASES)
def test_attachment_fixture(case: str, no_converters: None) -> None:
    expected = json.loads((FIXTURES / case / "expected.json").read_text("utf-8"))
    body = (FIXTURES / case / expected["input"]).read_bytes()
    got = read_attachment(body, url=f"https://www.example.gov.cn/attach/{expected['input']}")

    assert got.kind == expected["kind"]
    assert got.extracted is expected["extracted"], got.reason
    if not expected["extracted"]:
        assert got.reason.startswith(expected["reason"]), got.reason
        assert got.text == ""
        return
    assert got.reason == ""
    assert got.title == expected["title"]
    lines = got.text.split("\n")
    # every paragraph comes back whole, on its own line, in document order
    positions = [lines.index(p) for p in expected["paragraphs"]]
    assert positions == sorted(positions)
    for table in expected["tables"]:
        assert cell_recall(table, [t.rows for t in got.tables]) == 1.0
        assert table in [t.rows for t in got.tables]
        # inline as " | " rows, once: no double printing of table text outside the table
        for row in table:
            assert lines.count(" | ".join(row)) == 1
        prose = [ln for ln in lines if " | " not in ln]
        labels = {c for row in table for c in row if re.search(r"[\u4e00-\u9fff]", c)}
        long_labels = {c for c in labels if len(c) >= 8}
        assert not [ln for ln in prose if ln in labels or any(c in ln for c in long_labels)]
