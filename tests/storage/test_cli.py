"""``nianbao versions | diff | coverage | events | export`` over a real SQLite archive."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from storage import Archive
from storage.cli import main as nianbao
from tests.storage.docs import at, document, report, revise_cell, text
from tests.storage.test_archive import LAOSHAN, LAOSHAN_NAME, PAGE, ROW, crawl, seed

NEW_ROW = ROW.replace("| 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "| 3 | 0 | 0 | 0 | 0 | 0 | 3 |")
CHANGED = ["requests.rows.new_received[0]: 3 -> 4", "requests.rows.new_received[6]: 3 -> 4"]
OLD_URL = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/201905/t20190501_1.html"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Laoshan 2019 (revised once), Laoshan 2018 (published late, then removed), and an agency
    with no report at all."""
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    arc = Archive.from_url(url)
    agency = seed(arc)
    seed(arc, "青岛市崂山区教育和体育局")
    run = arc.start_run({})
    crawl(arc, run, agency, PAGE, LAOSHAN, 0)
    crawl(arc, run, agency, OLD_URL, text("hengyang_2019"), 0, year=2018)
    arc.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=OLD_URL,
                         doc=document(text("hengyang_2019"), OLD_URL),
                         report=report(LAOSHAN_NAME, 2018, published="2019-05-01"), fetched_at=at(0))
    run2 = arc.start_run({})
    crawl(arc, run2, agency, PAGE, revise_cell(LAOSHAN, ROW, NEW_ROW), 1, cells=[4, 0, 0, 0, 0, 0, 4])
    arc.mark_removed(run_id=run2, url=OLD_URL, reason="http 404", at=at(1))
    arc.engine.dispose()
    return url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = nianbao(list(argv))
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_versions_by_id_and_url(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "versions", PAGE, "--json", "--db", db)
    rows = json.loads(out)
    assert code == 0 and [v["n"] for v in rows] == [1, 2]
    assert rows[1]["changed_cells"] == CHANGED
    code, table, _ = _run(capsys, "versions", "1", "--db", db)
    assert code == 0 and "2 versions of report 1" in table and PAGE[:40] in table


def test_diff_shows_the_revised_cell_and_text(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "diff", "1", "--db", db)
    assert code == 0 and "version 1 → 2" in out
    assert all(f"cell: {c}" in out for c in CHANGED)
    assert "-" + ROW in out and "+" + NEW_ROW in out
    code, out, _ = _run(capsys, "diff", "1", "--from", "1", "--to", "2", "--json", "--db", db)
    data = json.loads(out)
    assert (data["from"], data["to"]) == (1, 2) and data["changed_cells"] == CHANGED


def test_diff_of_unknown_versions_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "diff", "1", "--from", "1", "--to", "9", "--db", db)
    assert code == 2 and out == "" and err.count("\n") == 1 and "known: 1, 2" in err
    code, _, err = _run(capsys, "versions", "http://nowhere.gov.cn/x.html", "--db", db)
    assert code == 2 and err.count("\n") == 1


def test_coverage_matrix(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "coverage", "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[1:] == ["2018", "2019"]
    laoshan = next(line for line in lines if line.startswith(LAOSHAN_NAME))
    assert laoshan.split()[1:] == ["×", "R"]  # 2018 removed (and late: kept in --json), 2019 revised
    education = next(line for line in lines if line.startswith("青岛市崂山区教育和体育局"))
    assert education.split()[1:] == ["—"]  # no report at all: only the newest year counts as missing
    assert "3 agency-years: 2 found (1 revised, 1 removed), 1 missing" in out
    code, out, _ = _run(capsys, "coverage", "--json", "--db", db)
    late = next(r for r in json.loads(out) if r["year"] == 2018)
    assert late["timeliness"] == "late" and late["kind"] == "removed"  # published 2019-05-01, after 31 March
    code, out, _ = _run(capsys, "coverage", "--year", "2019", "--json", "--db", db)
    rows = json.loads(out)
    assert {(r["agency"], r["status"]) for r in rows} == {(LAOSHAN_NAME, "found"), ("青岛市崂山区教育和体育局", "missing")}


def test_coverage_html_page(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "coverage.html"
    code, stdout, _ = _run(capsys, "coverage", "--db", db, "--html", str(out))
    assert code == 0 and str(out) in stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    code, _, err = _run(capsys, "coverage", "--db", db, "--html", str(tmp_path / "missing" / "x.html"))
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err


def test_events_since(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "events", "--json", "--db", db)
    assert code == 0 and [e["kind"] for e in json.loads(out)] == ["new", "new", "revised", "removed"]
    code, out, _ = _run(capsys, "events", "--since", at(1).isoformat() + "Z", "--json", "--db", db)
    assert [e["kind"] for e in json.loads(out)] == ["revised", "removed"]
    code, out, _ = _run(capsys, "events", "--since", at(1).isoformat(), "--db", db)
    assert code == 0 and "2 events" in out and "http 404" in out
    code, out, err = _run(capsys, "events", "--since", "last tuesday", "--db", db)
    assert code == 2 and out == "" and err.count("\n") == 1 and "ISO 8601" in err


def test_export_formats(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "export", "--db", db)
    assert code == 0 and [json.loads(x)["version"] for x in out.splitlines()] == [1, 2, 1]
    code, out, _ = _run(capsys, "export", "--latest", "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and sorted((r["year"], r["version"], r["state"]) for r in rows) == [
        ("2018", "1", "removed"), ("2019", "2", "live")]
    target = tmp_path / "v.parquet"
    assert _run(capsys, "export", "--format", "parquet", "-o", str(target), "--db", db)[0] == 0
    import pyarrow.parquet as pq

    assert pq.read_table(target).num_rows == 3


def test_export_warc_reads_back(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "crawl.warc.gz"
    code, _, err = _run(capsys, "export", "--format", "warc", "-o", str(target), "--db", db)
    assert code == 0 and "3 response, 0 revisit and 3 request records" in err
    with target.open("rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(fh)]
    responses = [r for r in records if r[0] == "response"]
    assert [r[1] for r in responses] == [PAGE, OLD_URL, PAGE]
    assert responses[0][2] == LAOSHAN.encode("utf-8")


@pytest.mark.parametrize("argv", [
    ["export", "--format", "warc"],  # warc needs -o
    ["export", "--format", "parquet"],
    ["export", "--format", "xml"],
    ["versions"],
    ["diff", "1", "--from", "one"],
])
def test_bad_usage_is_one_line(db: str, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        code = nianbao([*argv, "--db", db])
        raise SystemExit(code)
    _, err = capsys.readouterr()
    assert stop.value.code == 2 and err.count("\n") == 1, err


def test_unreadable_archive_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.db"
    code, out, err = _run(capsys, "versions", "1", "--db", str(missing))
    assert code == 2 and out == "" and err.count("\n") == 1 and "no archive" in err
    assert not missing.exists()  # a read command never creates an empty archive
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    for command in (["events"], ["coverage"], ["export"], ["diff", "1"]):
        code, out, err = _run(capsys, *command, "--db", f"sqlite:///{junk}")
        assert code == 2 and out == "" and err.count("\n") == 1, (command, err)


def test_runs_say_which_never_finished(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A run killed before its summary leaves its row open: `nianbao runs` says so, with what it
    fetched, instead of a finish time of None."""
    arc = Archive.from_url(db)
    arc.finish_run(2, {}, 0)
    arc.engine.dispose()
    assert nianbao(["runs", "--db", db]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("run ")]
    assert len(lines) == 2
    first_fetch = at(0).strftime("%Y-%m-%dT%H:%M")
    assert lines[0].startswith("run 1: ") and " → not finished: 2 fetches, the last at " in lines[0]
    assert first_fetch in lines[0] and lines[0].endswith("(still running, or stopped before its summary: killed or crashed)")
    assert lines[1].startswith("run 2: ") and "not finished" not in lines[1] and "None" not in lines[1]
