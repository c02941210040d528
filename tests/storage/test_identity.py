"""A report is a document, not a page (on SQLite and PostgreSQL): a wrapper page and its file end
as one report whatever order they arrive in; a list page and another agency's report are not stored."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.model import Seed
from storage import Archive
from storage.models import Report, ReportVersion, Sighting
from tests.storage.docs import at, document, report, text

LAOSHAN_NAME = "青岛市崂山区人力资源和社会保障局"
LAOSHAN = text("laoshan_2019")
BASE = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202001"
WRAPPER_URL = f"{BASE}/t20200120_1.html"
FILE_URL = f"{BASE}/P020200120.pdf"
WRAPPER = "现将青岛市崂山区人力资源和社会保障局2019年政府信息公开工作年度报告予以公布，全文详见附件。"
LIST_URL = "http://rsj.laoshan.gov.cn/xxgk/gknb/2019/"
LIST = ("首页 > 信息公开 > 政府信息公开年报 > 2019年\n"
        "青岛市崂山区人力资源和社会保障局2019年政府信息公开工作年度报告 2020-01-20\n共1条 第1页")
OTHER_URL = "http://rsj.laoshan.gov.cn/xxgk/jyj/2019.html"
OTHER_NAME = "青岛市崂山区教育和体育局"


def seed(arc: Archive, name: str = LAOSHAN_NAME) -> int:
    return arc.upsert_agency(Seed(agency=name, url="http://rsj.laoshan.gov.cn/", region="青岛市崂山区",
                                  level="county", domains=("rsj.laoshan.gov.cn",)))


def put(arc: Archive, run: int, agency: int, what: str, step: int = 0) -> Any:
    """One arrival, as the pipelines hand it to the archive."""
    url, body, publisher, via = {
        "wrapper": (WRAPPER_URL, WRAPPER, None, None),
        "file": (FILE_URL, LAOSHAN, "崂山区人社局", WRAPPER_URL),
        "list": (LIST_URL, LIST, None, None),
        "other": (OTHER_URL, LAOSHAN.replace("人力资源和社会保障局", "教育和体育局"), OTHER_NAME, None),
    }[what]
    rec = arc.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={}, body=body.encode(),
                           content_type="text/html", encoding="utf-8", fetched_at=at(step), kind="report")
    return arc.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=url,
                                doc=document(body, url), report=report(publisher, 2019), fetched_at=at(step),
                                via=via)


def snapshot(arc: Archive) -> list[tuple[Any, ...]]:
    with Session(arc.engine) as s:
        return [(r.year, r.source_url, r.canonical_url, r.stub, r.state,
                 [(v.n, v.url, v.text_sha256) for v in s.scalars(
                     select(ReportVersion).where(ReportVersion.report_id == r.id).order_by(ReportVersion.n))],
                 sorted(s.scalars(select(Sighting.url).where(Sighting.report_id == r.id))))
                for r in s.scalars(select(Report).order_by(Report.year, Report.source_url))]


@pytest.mark.parametrize("order", [("wrapper", "file"), ("file", "wrapper")])
def test_wrapper_and_file_are_one_report_in_either_order(archive: Archive, order: tuple[str, str]) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    first, second = (put(archive, run, agency, what, i) for i, what in enumerate(order))
    assert first.report_id == second.report_id
    ((year, source, canonical, stub, state, versions, urls),) = snapshot(archive)
    assert (year, source, canonical, stub, state) == (2019, FILE_URL, FILE_URL, False, "live")
    assert [(n, url) for n, url, _ in versions] == [(1, FILE_URL)]
    assert urls == sorted([FILE_URL, WRAPPER_URL])
    kinds = [e["kind"] for e in archive.events()]
    assert kinds == (["new"] if order[0] == "file" else ["stub", "new"])
    # The next run sees both again: nothing changes.
    run2 = archive.start_run({})
    again = [put(archive, run2, agency, what, 2 + i).outcome for i, what in enumerate(order)]
    assert again == ["unchanged", "unchanged"]
    assert len(snapshot(archive)) == 1 and archive.events(run_id=run2) == []


def test_a_wrapper_whose_file_never_came_is_a_stub_the_next_run_replaces(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    stub = put(archive, run, agency, "wrapper")
    assert (stub.outcome, stub.events) == ("stub", ["stub"])
    ((_, source, _, is_stub, _, versions, _),) = snapshot(archive)
    assert (source, is_stub, len(versions)) == (WRAPPER_URL, True, 1)
    assert put(archive, archive.start_run({}), agency, "wrapper", 1).outcome == "unchanged"
    got = put(archive, archive.start_run({}), agency, "file", 2)
    assert (got.outcome, got.report_id, got.version_n) == ("new", stub.report_id, 1)
    ((_, source, _, is_stub, _, versions, _),) = snapshot(archive)
    assert (source, is_stub, [v[:2] for v in versions]) == (FILE_URL, False, [(1, FILE_URL)])


def test_every_arrival_order_on_the_database(sqlite_url: str, tmp_path: Any) -> None:
    """All 24 orders of a wrapper, its file, a year folder listing it and another agency's report."""
    results = set()
    for i, order in enumerate(itertools.permutations(["wrapper", "file", "list", "other"])):
        arc = Archive.from_url(f"sqlite:///{tmp_path / f'order{i}.db'}")
        try:
            agency = seed(arc)
            run = arc.start_run({})
            outcomes = {what: put(arc, run, agency, what, step).outcome for step, what in enumerate(order)}
            assert outcomes["list"] == "list" and outcomes["other"] == "out-of-seed"
            results.add(repr([(y, src, can, st, state, [v[:2] for v in vs], urls)
                              for y, src, can, st, state, vs, urls in snapshot(arc)]))
        finally:
            arc.engine.dispose()
    assert len(results) == 1
    assert results.pop() == repr([(2019, FILE_URL, FILE_URL, False, "live", [(1, FILE_URL)],
                                   sorted([FILE_URL, WRAPPER_URL]))])


def test_list_and_other_agency_are_not_stored(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    assert put(archive, run, agency, "list").outcome == "list"
    other = put(archive, run, agency, "other")
    assert (other.outcome, other.report_id) == ("out-of-seed", None)
    assert snapshot(archive) == []
    (event,) = archive.events()
    assert event["kind"] == "out-of-seed" and event["url"] == OTHER_URL
    assert event["detail"]["agency"] == OTHER_NAME and event["detail"]["seed_agency"] == LAOSHAN_NAME
    # Once the seed list holds that agency, its report goes under it.
    theirs = seed(archive, OTHER_NAME)
    again = put(archive, archive.start_run({}), agency, "other", 1)
    assert again.outcome == "new"
    with Session(archive.engine) as s:
        assert s.get(Report, again.report_id).agency_id == theirs


def test_renderings_in_every_order_settle_on_the_best(sqlite_url: str, tmp_path: Any) -> None:
    """A page, its PDF and its DOCX, met in one run in any of the 6 orders: the DOCX carries the one
    version (a file before its page, DOCX before PDF), the others are sightings."""
    page = f"{BASE}/t20200120_2.html"
    pdf, docx = f"{BASE}/P020200120_2.pdf", f"{BASE}/P020200120_2.docx"
    bodies = {page: (LAOSHAN, LAOSHAN_NAME, None), pdf: (LAOSHAN.replace(" | ", "\n"), None, page),
              docx: (LAOSHAN.replace(" | ", "\t") + "\n- 1 -", "崂山区人社局", page)}
    results = set()
    for i, order in enumerate(itertools.permutations(bodies)):
        arc = Archive.from_url(f"sqlite:///{tmp_path / f'renderings{i}.db'}")
        try:
            agency = seed(arc)
            run = arc.start_run({})
            for step, url in enumerate(order):
                body, publisher, via = bodies[url]
                arc.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=url, doc=document(body, url),
                                     report=report(publisher, 2019), fetched_at=at(step), via=via)
            results.add(repr([(y, src, can, st, state, [v[:2] for v in vs], urls)
                              for y, src, can, st, state, vs, urls in snapshot(arc)]))
        finally:
            arc.engine.dispose()
    assert results == {repr([(2019, docx, docx, False, "live", [(1, docx)], sorted([page, pdf, docx]))])}


def test_upsert_agencies_in_one_go(archive: Archive) -> None:
    seeds = [Seed(agency=LAOSHAN_NAME, url="http://rsj.laoshan.gov.cn/", domains=("rsj.laoshan.gov.cn",)),
             Seed(agency=OTHER_NAME, url="http://www.laoshan.gov.cn/jyj/", region="青岛市崂山区")]
    ids = archive.upsert_agencies(seeds)
    assert set(ids) == {LAOSHAN_NAME, OTHER_NAME} and len(set(ids.values())) == 2
    assert archive.upsert_agencies(seeds) == ids and archive.upsert_agency(seeds[1]) == ids[OTHER_NAME]
    assert archive.upsert_agencies([]) == {}
