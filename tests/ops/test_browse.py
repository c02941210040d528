"""``make browse``: Datasette on a crawled archive with datasette/metadata.yml; every canned query runs
over HTTP on a real server and returns what the archive holds."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.e2e.crawl import REPO
from tests.ops.conftest import SITES, ScheduledRuns

METADATA = REPO / "datasette" / "metadata.yml"
PLUGINS = REPO / "datasette" / "plugins"
NAME = "archive-copy"  # not "nianbao": the metadata must apply whatever the file is called


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def datasette(scheduled: ScheduledRuns, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Serve a copy: Datasette opens the file read-only, but the test must not depend on that.
    folder = tmp_path_factory.mktemp("browse")
    db = folder / f"{NAME}.db"
    source = scheduled.db_url.removeprefix("sqlite:///")
    scheduled.archive().engine.dispose()
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {proc.stderr.read() if proc.stderr else ''}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _get(base: str, path: str, **params: str) -> tuple[int, Any]:
    query = urllib.parse.urlencode({"_shape": "array", **params})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base}{path}?{query}", timeout=20) as resp:
        return resp.status, json.loads(resp.read().decode("utf-8"))


def _queries() -> dict[str, Any]:
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    return meta["databases"]["nianbao"]["queries"]


def test_metadata_names_the_required_queries() -> None:
    assert {"latest_reports", "revisions", "failed_checks", "defaced_pages", "missing_years"} <= set(_queries())
    for name, q in _queries().items():
        assert q.get("title") and q.get("description"), name


def test_every_canned_query_answers_with_the_archive_rows(datasette: str, scheduled: ScheduledRuns,
                                                          web: Any) -> None:
    archive = scheduled.archive()
    latest = list(archive.export_versions(latest=True))
    every = list(archive.export_versions())
    coverage = archive.coverage()  # each agency from its first report, as nianbao coverage counts
    expected = {
        "latest_reports": len(latest),
        "revisions": sum(1 for e in archive.events() if e["kind"] == "revised"),
        "failed_checks": sum(1 for r in every for c in r["checks"] if not c.get("ok")),
        "defaced_pages": sum(1 for r in every if r["flagged"]),
        "missing_years": sum(1 for c in coverage if c["status"] == "missing"),
        "crawl_runs": len(archive.runs()),
        "cell_series": 0, "cell_by_agency": 0,  # no cell address given (test_datasette_cells.py gives them)
    }
    assert expected["revisions"] == 1 and expected["defaced_pages"] == 1 and expected["missing_years"] > 0
    assert expected["failed_checks"] > 0  # the revised 2021 table breaks its 勾稽 sums
    for name in _queries():
        status, rows = _get(datasette, f"/{NAME}/{name}.json")
        assert status == 200, name
        assert len(rows) == expected[name], (name, len(rows), expected[name])
    _, revisions = _get(datasette, f"/{NAME}/revisions.json")
    assert revisions[0]["url"] == web.revised_url
    assert json.loads(revisions[0]["changed_cells"]) == [web.revised_cell]
    _, defaced = _get(datasette, f"/{NAME}/defaced_pages.json")
    assert defaced[0]["year"] == next(t.year for t in web.reports if t.defaced)


def test_latest_reports_filters_by_agency_and_year(datasette: str, web: Any) -> None:
    agency = next(t.agency for t in web.reports if f"//{SITES[0]}/" in t.urls[0])
    status, rows = _get(datasette, f"/{NAME}/latest_reports.json", agency=agency[:6], year="2021")
    assert status == 200 and len(rows) == 1
    assert rows[0]["agency"] == agency and rows[0]["year"] == 2021
    assert rows[0]["versions"] == 2 and rows[0]["version"] == 2  # the revised report shows its new text


def test_tables_carry_labels_and_descriptions(datasette: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{datasette}/{NAME}/report", timeout=20) as resp:
        page = resp.read().decode("utf-8")
    assert "One row per agency-year report" in page
    status, rows = _get(datasette, f"/{NAME}/report.json", _labels="on", _size="1")
    assert status == 200 and isinstance(rows[0]["agency_id"], dict) and rows[0]["agency_id"]["label"]
