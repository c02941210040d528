"""The archive's Datasette metadata through Datasette's own test client, on a database file that is
not called ``nianbao``: labels, the hidden ``blob`` table, and the two cell queries, checked against
``nianbao cells`` (the Python flattening of the same parsed JSON)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from html import unescape
from typing import Any

import pytest
import yaml
from datasette.app import Datasette

from storage.cli_ops import cell_rows
from tests.e2e.crawl import REPO
from tests.ops.conftest import ScheduledRuns

METADATA = yaml.safe_load((REPO / "datasette" / "metadata.yml").read_text(encoding="utf-8"))
PLUGINS = REPO / "datasette" / "plugins"
NAME = "laoshan-2026"


@pytest.fixture(scope="module")
def served(scheduled: ScheduledRuns, tmp_path_factory: pytest.TempPathFactory) -> Datasette:
    db = tmp_path_factory.mktemp("datasette") / f"{NAME}.db"
    scheduled.archive().engine.dispose()
    with sqlite3.connect(scheduled.db_url.removeprefix("sqlite:///")) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    return Datasette([str(db)], metadata=METADATA, plugins_dir=str(PLUGINS))


def _get(ds: Datasette, path: str, **params: str) -> Any:
    async def go() -> Any:
        response = await ds.client.get(path, params={"_shape": "array", **params})
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.json()

    return asyncio.run(go())


def _html(ds: Datasette, path: str) -> str:
    async def go() -> str:
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        return response.text

    return asyncio.run(go())


def test_metadata_applies_to_any_file_name(served: Datasette) -> None:
    page = unescape(_html(served, f"/{NAME}"))
    for query in METADATA["databases"]["nianbao"]["queries"].values():
        assert query["title"] in page
    tables = {t["name"]: t for t in _get(served, f"/{NAME}.json", _shape="objects")["tables"]}
    assert tables["blob"]["hidden"] and tables["alembic_version"]["hidden"] and not tables["report"]["hidden"]
    assert "One row per agency-year report" in _html(served, f"/{NAME}/report")
    rows = _get(served, f"/{NAME}/report.json", _labels="on", _size="1")
    assert isinstance(rows[0]["agency_id"], dict) and rows[0]["agency_id"]["label"]


def _python_cells(scheduled: ScheduledRuns) -> list[dict[str, Any]]:
    return [c for r in scheduled.archive().export_versions(latest=True) for c in cell_rows(r)]


def test_one_agencys_series_of_a_cell(served: Datasette, scheduled: ScheduledRuns) -> None:
    cells = _python_cells(scheduled)
    # The address with the longest series of one agency in the archive.
    counts = Counter((c["seed_agency"], c["table"], c["row"], c["column"]) for c in cells)
    (agency, table, row, column), years = counts.most_common(1)[0]
    assert years >= 3
    got = _get(served, f"/{NAME}/cell_series.json", agency=agency[2:6], tbl=table, row=row, col=column)
    want = sorted((c["year"], c["value"]) for c in cells
                  if (c["seed_agency"], c["table"], c["row"], c["column"]) == (agency, table, row, column))
    assert sorted((r["year"], None if r["value"] is None else float(r["value"])) for r in got) == want
    assert {r["agency"] for r in got} == {agency}
    assert all(r["region"] for r in got) and all(r["level"] for r in got)


def test_a_cell_across_agencies_for_one_year(served: Datasette, scheduled: ScheduledRuns) -> None:
    cells = _python_cells(scheduled)
    counts = Counter((c["year"], c["table"], c["row"], c["column"]) for c in cells if c["table"] == "requests")
    (year, table, row, column), _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    got = _get(served, f"/{NAME}/cell_by_agency.json", year=str(year), tbl=table, row=row, col=column)
    want = sorted((c["seed_agency"], c["value"]) for c in cells
                  if (c["year"], c["table"], c["row"], c["column"]) == (year, table, row, column))
    assert len(want) >= 2
    assert sorted((r["agency"], None if r["value"] is None else float(r["value"])) for r in got) == want
    # Money cells keep their unit (proactive/art20_8 fees, 万元) wherever the archive has one.
    money = [c for c in cells if c["unit"]]
    for c in money[:3]:
        hit = _get(served, f"/{NAME}/cell_by_agency.json", year=str(c["year"]), tbl=c["table"], row=c["row"],
                   col=c["column"])
        assert any(r["unit"] == c["unit"] and float(r["value"]) == c["value"] for r in hit), c
