"""``nianbao audit`` and ``nianbao seeds suggest`` over a real SQLite archive holding, on purpose,
the wrong things an older build stored (a year folder, a wrapper, an agency-year twice)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from crawler.seeds import parse_seeds
from storage import Archive
from storage.cli import main as nianbao
from storage.models import Report, ReportVersion
from tests.storage.docs import at, document, report, text
from tests.storage.test_archive import LAOSHAN, LAOSHAN_NAME, PAGE, crawl, seed
from tests.storage.test_identity import LIST, OTHER_NAME, WRAPPER

BASE = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb"
YEAR_FOLDER = "http://rsj.laoshan.gov.cn/xxgk/gknb/2018/"
WRAPPED = f"{BASE}/202101/t20210120_3.html"
TWICE = f"{BASE}/202001/t20200120_9.html"


def _store_as_report(arc: Archive, agency: int, url: str, body: str, year: int, tables: list) -> int:
    """What an older build did: the page stored as a report, whatever it was (rows written directly:
    this build refuses to)."""
    now = at(0)
    with Session(arc.engine) as s, s.begin():
        row = Report(agency_id=agency, year=year, publisher=LAOSHAN_NAME, publisher_key=url, identity=url,
                     canonical_url=url, source_url=url, state="live", first_seen=now, last_seen=now)
        s.add(row)
        s.flush()
        s.add(ReportVersion(report_id=row.id, n=1, url=url, text_sha256=url[-8:], text=body, tables=tables,
                            fetched_at=now, created_at=now))
        return row.id


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    arc = Archive.from_url(url)
    agency = seed(arc)
    run = arc.start_run({})
    crawl(arc, run, agency, PAGE, LAOSHAN, 0)  # a sound 2019 report
    # Another 2019 report of the same agency: the parser named the publisher otherwise, the text is
    # another report's (what a mislabelled year or a mixed-up attachment gives).
    crawl(arc, run, agency, TWICE, text("hengyang_2019"), 1, agency_name="崂山区人力资源和社会保障局")
    # A stub (its file never came).
    arc.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=WRAPPED, doc=document(WRAPPER, WRAPPED),
                         report=report(LAOSHAN_NAME, 2020), fetched_at=at(2))
    arc.engine.dispose()
    return url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = nianbao(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_names_each_wrong_thing_with_url_and_reason(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "audit", "--json", "--db", db)
    assert code == 0
    found = {(f["reason"], f["url"]) for f in json.loads(out)}
    assert ("stub", WRAPPED) in found and ("short", WRAPPED) in found and ("no-tables", WRAPPED) not in found
    assert ("agency-year-twice", PAGE) in found and ("agency-year-twice", TWICE) in found
    assert not {r for r, u in found if u == PAGE} - {"agency-year-twice"}  # the sound report: nothing else
    code, table, _ = _run(capsys, "audit", "--db", db)
    assert code == 0 and "4 findings: short 1, stub 1, agency-year-twice 2" in table
    assert _run(capsys, "audit", "--fail-on-finding", "--db", db)[0] == 1


def test_audit_sees_lists_wrappers_and_missing_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    arc = Archive.from_url(url)
    agency = seed(arc)
    grid = [{"rows": [["信息内容", "本年新制作数量"], ["规章", "0"]]}]
    folder = _store_as_report(arc, agency, YEAR_FOLDER, LIST.replace("2019", "2018"), 2018, [])
    wrapped = _store_as_report(arc, agency, WRAPPED, WRAPPER, 2020, grid)
    bare = _store_as_report(arc, agency, PAGE, LAOSHAN, 2019, [])
    arc.engine.dispose()
    code, out, _ = _run(capsys, "audit", "--json", "--db", url)
    found = {(f["reason"], f["report_id"]) for f in json.loads(out)}
    assert ("wrapper-like", wrapped) in found and ("short", wrapped) in found
    assert ("no-tables", bare) in found and ("no-tables", folder) not in found  # 2018: no tables required
    assert ("list-like", folder) in found and ("wrapper-like", folder) not in found
    assert not {r for r, rid in found if rid == bare} - {"no-tables"}


def test_seeds_suggest_prints_valid_seed_rows(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    arc = Archive.from_url(db)
    agency = seed(arc)  # the seed's row, as the crawl upserts it
    run = arc.start_run({})
    for i, (name, url) in enumerate([(OTHER_NAME, "http://www.laoshan.gov.cn/jyj/nb/2019.html"),
                                     ("青岛市崂山区卫生健康局", "http://www.laoshan.gov.cn/wjj/nb/2019.html"),
                                     (OTHER_NAME, "http://www.laoshan.gov.cn/jyj/nb/2020.html")]):
        body = LAOSHAN.replace("人力资源和社会保障局", name[len("青岛市崂山区"):])
        res = arc.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=url, doc=document(body, url),
                                   report=report(name, 2019 + (i == 2)), fetched_at=at(3 + i))
        assert res.outcome == "out-of-seed"
    arc.engine.dispose()
    code, out, _ = _run(capsys, "seeds", "suggest", "--db", db)
    assert code == 0
    seeds, errors = parse_seeds(out, "suggested.csv")
    assert errors == []
    assert [(s.agency, s.url, s.region, s.level, s.domains) for s in seeds] == [
        (OTHER_NAME, "http://www.laoshan.gov.cn/", "青岛市崂山区", "县", ("www.laoshan.gov.cn",)),
        ("青岛市崂山区卫生健康局", "http://www.laoshan.gov.cn/wjj/", "青岛市崂山区", "县", ("www.laoshan.gov.cn",)),
    ]


def test_run_summary_counts_what_was_not_stored_and_the_audit() -> None:
    from crawler.roster import Roster
    from pipelines.summary import build_summary, format_summary

    stats = {"nianbao/reports/new": 3, "nianbao/reports/list": 2, "nianbao/reports/out-of-seed": 1,
             "nianbao/reports/stub": 1}
    summary = build_summary(stats, Roster(lines=[{"agency": LAOSHAN_NAME, "ok": True}]), "finished")
    assert summary["identity"] == {"list": 2, "out_of_seed": 1, "stub": 1}
    summary["audit"] = {"short": 1, "no-tables": 0, "list-like": 0, "wrapper-like": 0, "stub": 1,
                        "agency-year-twice": 2}
    text = format_summary(summary)
    assert "not stored as reports: 2 list pages, 1 reports of agencies outside the seed list, 1 wrapper stubs" in text
    assert "audit: short 1, stub 1, agency-year-twice 2 (nianbao audit)" in text
