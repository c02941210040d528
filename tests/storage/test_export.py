"""Flat exports (csv, parquet) carry the same records as jsonl."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq

from storage import Archive
from storage.export import COLUMNS, write_csv, write_jsonl, write_parquet
from tests.storage.docs import at, document, report, text
from tests.storage.test_archive import PAGE, seed


def _fill(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    for step, cells in enumerate(([2, 0, 0, 0, 0, 0, 2], [3, 0, 0, 0, 0, 0, 3])):
        body = text("laoshan_2019") + ("\n修订" if step else "")
        archive.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=PAGE, doc=document(body, PAGE),
                                 report=report("崂山区人社局", 2019, cells), fetched_at=at(step))


def test_jsonl_csv_parquet_agree(archive: Archive, tmp_path: Path) -> None:
    _fill(archive)
    buf = io.StringIO()
    assert write_jsonl(archive.export_versions(), buf) == 2
    records = [json.loads(line) for line in buf.getvalue().splitlines()]

    out = io.StringIO(newline="")
    assert write_csv(archive.export_versions(), out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[: len(COLUMNS)] == COLUMNS
    assert [int(r["version"]) for r in rows] == [1, 2]
    assert json.loads(rows[1]["changed_cells"]) == records[1]["changed_cells"]
    assert json.loads(rows[1]["requests"]) == records[1]["requests"]
    assert rows[0]["text"] == records[0]["text"]

    path = tmp_path / "versions.parquet"
    assert write_parquet(archive.export_versions(latest=True), path) == 1
    table = pq.read_table(path).to_pylist()
    assert len(table) == 1 and table[0]["version"] == 2 and table[0]["year"] == 2019
    assert json.loads(table[0]["changed_cells"]) == ["requests.rows.new_received[0]: 2 -> 3",
                                                     "requests.rows.new_received[6]: 2 -> 3"]


def test_empty_archive_exports(archive: Archive, tmp_path: Path) -> None:
    out = io.StringIO()
    assert write_csv(archive.export_versions(), out) == 0
    assert out.getvalue().strip().split(",") == COLUMNS
    assert write_parquet(archive.export_versions(), tmp_path / "e.parquet") == 0
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0
