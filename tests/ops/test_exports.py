"""``nianbao cells``: long-format cells (agency, year, table, row, column, value) as parquet and csv."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from storage.cli import main as nianbao
from storage.cli_ops import CELL_COLUMNS, REPORT_COLUMNS
from tests.ops.conftest import ScheduledRuns

REVISED = re.compile(r"^requests\.rows\.(\w+)\[(\d+)\]: (\S+) -> (\S+)$")


def _expected_cells(record: dict[str, Any]) -> int:
    n = sum(len(cols) for rows in record["proactive"].values() for cols in rows.values())
    n += sum(len(cells) for cells in (record["requests"].get("rows") or {}).values())
    n += sum(len(cols) for cols in record["review_litigation"].values())
    return n + len(record["legacy_figures"])


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_cells_long_format(scheduled: ScheduledRuns, web: Any, tmp_path: Path, fmt: str,
                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"cells.{fmt}"
    assert nianbao(["cells", "--format", fmt, "-o", str(out), "--db", scheduled.db_url]) == 0
    assert "cells written" in capsys.readouterr().err
    if fmt == "parquet":
        table = pq.read_table(out)
        assert table.column_names == CELL_COLUMNS
        assert str(table.schema.field("value").type) == "double" and str(table.schema.field("year").type) == "int64"
        rows = table.to_pylist()
    else:
        with out.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == CELL_COLUMNS
    latest = list(scheduled.archive().export_versions(latest=True))
    assert len(rows) == sum(_expected_cells(r) for r in latest)
    assert {str(r["report_id"]) for r in rows} == {str(r["report_id"]) for r in latest if _expected_cells(r)}
    # The revised cell carries its new value in the latest export.
    row_key, index, _old, new = REVISED.match(web.revised_cell).groups()  # type: ignore[union-attr]
    record = next(r for r in latest if web.revised_url in r["urls"])
    column = record["requests"]["columns"][int(index)]
    hit = [r for r in rows if str(r["report_id"]) == str(record["report_id"]) and r["table"] == "requests"
           and r["row"] == row_key and r["column"] == column]
    assert len(hit) == 1 and float(hit[0]["value"]) == float(new)
    assert all(r["agency"] and r["year"] not in (None, "") for r in rows)


def test_one_row_per_report(scheduled: ScheduledRuns, tmp_path: Path) -> None:
    out = tmp_path / "reports.parquet"
    assert nianbao(["cells", "--reports", "-o", str(out), "--db", scheduled.db_url]) == 0
    table = pq.read_table(out)
    assert table.column_names == REPORT_COLUMNS
    latest = list(scheduled.archive().export_versions(latest=True))
    assert table.num_rows == len(latest)
    by_id = {r["report_id"]: r for r in table.to_pylist()}
    for rec in latest:
        row = by_id[rec["report_id"]]
        assert (row["year"], row["state"], row["version"]) == (rec["year"], rec["state"], rec["version"])
        failed = [c["rule"] for c in rec["checks"] if not c.get("ok")]
        assert row["checks_failed"].split() == failed


def _run_cells(db_url: str, out: Path, stderr: Any) -> int:
    import subprocess
    import sys

    from tests.e2e.crawl import REPO, crawl_env

    return subprocess.run([sys.executable, "-m", "storage.cli", "cells", "-o", str(out), "--db", db_url],
                          cwd=REPO, env=crawl_env("http://127.0.0.1:9", db_url), stdout=subprocess.DEVNULL,
                          stderr=stderr, timeout=60, check=False).returncode


def test_progress_bar_only_on_a_terminal(scheduled: ScheduledRuns, tmp_path: Path) -> None:
    import os

    master, slave = os.openpty()
    try:
        assert _run_cells(scheduled.db_url, tmp_path / "a.csv", slave) == 0
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    n = len(scheduled.archive().reports())
    text = seen.decode("utf-8", "replace")
    assert "\rcells [" in text and f"{n}/{n}" in text
    log = tmp_path / "stderr.log"
    with log.open("w") as fh:
        assert _run_cells(scheduled.db_url, tmp_path / "b.csv", fh) == 0
    assert "[" not in log.read_text() and "cells written" in log.read_text()


def test_cells_to_stdout_with_region_and_level(scheduled: ScheduledRuns, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert nianbao(["cells", "-o", "-", "--db", scheduled.db_url]) == 0
    out, err = capsys.readouterr()
    assert not (tmp_path / "-").exists() and "written to stdout" in err
    rows = list(csv.DictReader(out.splitlines()))
    latest = list(scheduled.archive().export_versions(latest=True))
    assert list(rows[0]) == CELL_COLUMNS and len(rows) == sum(_expected_cells(r) for r in latest)
    seeds = {line.split(",")[0]: line.split(",") for line in scheduled.seeds.read_text(encoding="utf-8").splitlines()[1:]}
    levels = {"province": "省", "city": "市", "county": "县"}
    for row in rows:
        seed = seeds[row["seed_agency"]]
        assert (row["region"], row["level"]) == (seed[2], levels.get(seed[3], seed[3])), row
    assert nianbao(["cells", "--format", "parquet", "-o", "-", "--db", scheduled.db_url]) == 2
    assert "parquet needs a file" in capsys.readouterr().err
