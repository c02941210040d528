"""Archive scenarios on SQLite and PostgreSQL: captures, versions, sightings, defacement, removal."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.model import Seed
from storage import Archive
from storage.models import Blob, Event, Fetch, Report, ReportVersion, Sighting
from tests.storage.docs import at, document, report, revise_cell, text, with_chrome

LAOSHAN_NAME = "青岛市崂山区人力资源和社会保障局"
LAOSHAN = text("laoshan_2019")
ROW = "一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"
PAGE = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202001/t20200120_1.html"
PDF = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202001/P020200120.pdf"


def count(arc: Archive, model: type) -> int:
    with Session(arc.engine) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def seed(arc: Archive, name: str = LAOSHAN_NAME) -> int:
    return arc.upsert_agency(Seed(agency=name, url="http://rsj.laoshan.gov.cn/", region="青岛市崂山区",
                                  level="county", domains=("rsj.laoshan.gov.cn",)))


def crawl(arc: Archive, run: int, agency: int, url: str, body: str, step: int, *, cells=None,
          year: int | None = 2019, agency_name: str | None = LAOSHAN_NAME, spam: str | None = None,
          status: int = 200):  # type: ignore[no-untyped-def]
    """What the pipelines do for one page: capture, then archive its document."""
    payload = body.encode("utf-8")
    rec = arc.record_fetch(run_id=run, url=url, final_url=url, status=status,
                           headers={"Content-Type": "text/html; charset=utf-8", "ETag": f'"{len(payload)}"'},
                           body=payload, content_type="text/html", encoding="utf-8", fetched_at=at(step))
    result = arc.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=url,
                                  doc=document(body, url, spam_brand=spam),
                                  report=report(agency_name, year, cells), fetched_at=at(step))
    return rec, result


def test_identical_payload_is_stored_once(archive: Archive) -> None:
    run = archive.start_run({"seeds": "x.csv"})
    body = LAOSHAN.encode("utf-8")
    kw = dict(run_id=run, url=PAGE, final_url=PAGE, status=200, headers={"ETag": '"v1"'}, body=body,
              content_type="text/html", encoding="utf-8")
    first = archive.record_fetch(**kw, fetched_at=at(0))
    second = archive.record_fetch(**kw, fetched_at=at(1))
    assert first.new_blob and not second.new_blob
    assert first.blob_sha256 == second.blob_sha256
    assert count(archive, Blob) == 1 and count(archive, Fetch) == 2
    assert archive.blob(first.blob_sha256) == body
    with Session(archive.engine) as s:
        blob = s.get(Blob, first.blob_sha256)
        assert blob.size == len(body) and blob.stored_size < len(body) / 2  # zstd


def test_304_adds_a_fetch_row_only_and_validators_follow(archive: Archive) -> None:
    run = archive.start_run({})
    assert archive.validators(PAGE) == (None, None)
    first = archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=200,
                                 headers={"ETag": '"abc"', "Last-Modified": "Mon, 20 Jan 2020 02:00:00 GMT"},
                                 body=b"<html>1</html>", content_type="text/html", encoding="utf-8",
                                 fetched_at=at(0))
    # Fetched but not yet through the pipelines: no validators, or a crash here would hide it.
    assert archive.validators(PAGE) == (None, None)
    archive.note_outcome(first.fetch_id, "not-report")
    rec = archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=304, headers={}, body=None,
                               content_type=None, encoding=None, fetched_at=at(1))
    assert rec.blob_sha256 is None and not rec.new_blob
    assert count(archive, Blob) == 1 and count(archive, Fetch) == 2
    assert archive.validators(PAGE) == ('"abc"', "Mon, 20 Jan 2020 02:00:00 GMT")
    archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=304, headers={"etag": '"def"'},
                         body=None, content_type=None, encoding=None, fetched_at=at(2))
    assert archive.validators(PAGE)[0] == '"def"'
    archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=500, headers={}, body=b"oops",
                         content_type=None, encoding=None, fetched_at=at(3), error="http 500")
    assert archive.validators(PAGE)[0] == '"def"'
    summary = archive.run_summary(run)
    assert summary["fetches"] == 4 and summary["by_status"] == {"200": 1, "304": 2, "500": 1}
    assert summary["errors"] == 1 and summary["new_blobs"] == 2


def test_unchanged_text_makes_no_version_over_three_recrawls(archive: Archive) -> None:
    agency = seed(archive)
    runs = [archive.start_run({"n": i}) for i in range(4)]
    _, first = crawl(archive, runs[0], agency, PAGE, with_chrome(LAOSHAN, views=10), 0)
    assert (first.outcome, first.version_n, first.events) == ("new", 1, ["new"])
    for step in (1, 2, 3):
        _, again = crawl(archive, runs[step], agency, PAGE,
                         with_chrome(LAOSHAN, views=10 + step * 37, published=f"2020-01-2{step} 08:00"), step)
        assert (again.outcome, again.version_n, again.events) == ("unchanged", None, [])
        assert archive.run_summary(runs[step])["outcomes"] == {"unchanged": 1}
        assert archive.run_summary(runs[step])["events"] == {}
    assert count(archive, ReportVersion) == 1 and count(archive, Report) == 1
    assert [e["kind"] for e in archive.events()] == ["new"]
    (row,) = archive.reports()
    assert row["last_seen"] == "2026-12-11T03:00:00Z" and row["first_seen"] == "2026-11-20T03:00:00Z"


def test_changed_cell_makes_one_version_with_its_cell_diff(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0, cells=[2, 0, 0, 0, 0, 0, 2])
    revised = revise_cell(LAOSHAN, ROW, ROW.replace("| 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "| 3 | 0 | 0 | 0 | 0 | 0 | 3 |"))
    run2 = archive.start_run({})
    _, res = crawl(archive, run2, agency, PAGE, revised, 1, cells=[3, 0, 0, 0, 0, 0, 3])
    assert res.outcome == "revised" and res.version_n == 2 and res.events == ["revised"]
    assert res.changed_cells == ["requests.rows.new_received[0]: 2 -> 3", "requests.rows.new_received[6]: 2 -> 3"]
    _, again = crawl(archive, run2, agency, PAGE, revised, 2, cells=[3, 0, 0, 0, 0, 0, 3])
    assert again.outcome == "unchanged"
    assert count(archive, ReportVersion) == 2
    records = list(archive.export_versions())
    assert [r["version"] for r in records] == [1, 2]
    assert records[1]["changed_cells"] == res.changed_cells
    assert records[1]["requests"]["rows"]["new_received"][6] == 3
    (event,) = [e for e in archive.events() if e["kind"] == "revised"]
    assert event["version"] == 2 and event["detail"]["changed_cells"] == res.changed_cells
    with Session(archive.engine) as s:
        v2 = s.scalars(select(ReportVersion).where(ReportVersion.n == 2)).one()
        assert "-一、本年新收政府信息公开申请数量 | 2 |" in v2.diff and "+一、本年新收政府信息公开申请数量 | 3 |" in v2.diff
        assert v2.blob_sha256 is not None and v2.fetch_id is not None
    diff = archive.diff(res.report_id)
    assert diff["from"] == 1 and diff["to"] == 2 and diff["changed_cells"] == res.changed_cells
    assert [v["n"] for v in archive.versions(res.report_id)] == [1, 2]


def test_page_and_pdf_are_one_report_without_churn(archive: Archive) -> None:
    agency = seed(archive)
    pdf_text = LAOSHAN.replace(" | ", "\n").replace("。", "。\n")  # the PDF's layout differs
    pdf_text += "\n第 1 页 共 6 页"
    outcomes = []
    for step in range(3):
        run = archive.start_run({"round": step})
        _, page = crawl(archive, run, agency, PAGE, with_chrome(LAOSHAN, views=step), step * 2)
        _, pdf = crawl(archive, run, agency, PDF, pdf_text, step * 2 + 1, agency_name=None)
        outcomes.append((page.outcome, pdf.outcome))
        assert page.report_id == pdf.report_id
    assert outcomes == [("new", "sighting"), ("unchanged", "unchanged"), ("unchanged", "unchanged")]
    assert count(archive, Report) == 1 and count(archive, ReportVersion) == 1
    (row,) = archive.reports()
    assert row["urls"] == [PAGE, PDF] and row["versions"] == 1
    # Both met in the run that stored the report: the PDF carries the versions (a file before its page,
    # crawler.identity.source_rank), whichever arrived first (issue 19; it was the first to arrive).
    (version,) = archive.versions(row["id"])
    assert version["url"] == PDF
    # A page-only revision is reported but versions keep following the PDF.
    run = archive.start_run({})
    _, page = crawl(archive, run, agency, PAGE, LAOSHAN.replace("崂山政务网", "崂山区政府网"), 9)
    assert page.outcome == "sighting" and page.events == ["variant-changed"]
    assert count(archive, ReportVersion) == 1


def test_same_text_at_another_url_is_a_sighting(archive: Archive) -> None:
    agency = seed(archive)
    city = seed(archive, "青岛市人民政府")
    run = archive.start_run({})
    _, a = crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    _, b = crawl(archive, run, city, "http://www.qingdao.gov.cn/repost/1.html", with_chrome(LAOSHAN, 5), 1,
                 agency_name="青岛市人民政府")
    assert (b.outcome, b.report_id) == ("sighting", a.report_id)
    assert count(archive, Report) == 1 and count(archive, Sighting) == 2


def test_defaced_page_is_flagged_and_never_the_current_text(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    _, clean = crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    defaced_text = LAOSHAN.replace("我局", "bet0365")
    _, bad = crawl(archive, run, agency, PAGE, defaced_text, 1, spam="bet0365")
    assert (bad.outcome, bad.version_n, bad.events) == ("defaced", 2, ["defaced"])
    _, bad_again = crawl(archive, run, agency, PAGE, defaced_text, 2, spam="bet0365")
    assert bad_again.outcome == "unchanged"
    (latest,) = list(archive.export_versions(latest=True))
    assert latest["state"] == "defaced" and latest["version"] == 1 and latest["text"] == LAOSHAN
    assert not latest["flagged"]
    everything = list(archive.export_versions())
    assert [(r["version"], r["flagged"]) for r in everything] == [(1, False), (2, True)]
    assert everything[1]["spam"]["findings"] == [{"text": "bet0365", "kind": "gambling-brand"}]
    # The webmaster repairs the page: back to live, no new version.
    _, fixed = crawl(archive, run, agency, PAGE, with_chrome(LAOSHAN, 99), 3)
    assert (fixed.outcome, fixed.events) == ("unchanged", ["restored"])
    assert archive.reports()[0]["state"] == "live" and count(archive, ReportVersion) == 2
    assert [e["kind"] for e in archive.events()] == ["new", "defaced", "restored"]
    assert clean.report_id == bad.report_id == fixed.report_id


def test_report_first_seen_defaced(archive: Archive) -> None:
    agency = seed(archive, "吉林省人力资源和社会保障厅")
    run = archive.start_run({})
    _, res = crawl(archive, run, agency, "http://hrss.jl.gov.cn/zwgk/ndbg/201803/t20180319.html",
                   text("jilin_2017_defaced"), 0, year=2017, agency_name="bet0365", spam="bet0365")
    assert (res.outcome, res.events) == ("defaced", ["new", "defaced"])
    (row,) = archive.reports()
    assert row["state"] == "defaced"
    (latest,) = list(archive.export_versions(latest=True))
    assert latest["flagged"] and latest["state"] == "defaced" and latest["agency"] == "bet0365"
    repaired = text("jilin_2017_defaced").replace("bet0365", "吉林省人力资源和社会保障厅")
    _, fixed = crawl(archive, run, agency, "http://hrss.jl.gov.cn/zwgk/ndbg/201803/t20180319.html", repaired, 1,
                     year=2017, agency_name="吉林省人力资源和社会保障厅")
    assert (fixed.outcome, fixed.version_n, fixed.events) == ("revised", 2, ["restored"])
    (latest,) = list(archive.export_versions(latest=True))
    assert (latest["version"], latest["flagged"], latest["state"]) == (2, False, "live")
    assert latest["agency"] == "吉林省人力资源和社会保障厅"


def test_removed_report_keeps_versions_and_can_return(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    _, res = crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    crawl(archive, run, agency, PDF, LAOSHAN.replace(" | ", "\n"), 0, agency_name=None)
    assert archive.mark_removed(run_id=run, url="http://rsj.laoshan.gov.cn/never-seen.html", reason="404") is None
    assert archive.mark_removed(run_id=run, url=PAGE, reason="404") == res.report_id
    assert archive.reports()[0]["state"] == "live"  # the PDF is still there
    assert archive.mark_removed(run_id=run, url=PDF, reason="410") == res.report_id
    assert archive.mark_removed(run_id=run, url=PDF, reason="410") == res.report_id  # idempotent
    assert archive.sightings(agency_id=agency) == []
    gone = archive.sightings(live_only=False)
    assert {g["url"]: g["removed_reason"] for g in gone} == {PAGE: "404", PDF: "410"}
    (row,) = archive.reports()
    assert row["state"] == "removed" and row["versions"] == 1
    removed = [e for e in archive.events() if e["kind"] == "removed"]
    assert len(removed) == 1 and removed[0]["detail"] == {"reason": "410"} and removed[0]["url"] == PDF
    assert list(archive.export_versions(latest=True))[0]["state"] == "removed"
    _, back = crawl(archive, run, agency, PAGE, LAOSHAN, 5)
    # The PDF (the source: the better rendering of the first run) is still gone: the page takes over.
    assert (back.outcome, back.events) == ("unchanged", ["restored", "source-moved"])
    assert archive.reports()[0]["state"] == "live"


def test_near_duplicates_same_agency_merge_other_agency_is_boilerplate(archive: Archive) -> None:
    agency = seed(archive, "崂山区人社局")  # the seed list's short name; the report names itself in full
    other = seed(archive, "青岛市市南区人力资源和社会保障局")
    run = archive.start_run({})
    _, a = crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    # Same agency and year, edited by a sentence, publisher not named by the parser: one report.
    near = LAOSHAN.replace("崂山政务网发布", "崂山区政府门户网站发布")
    _, b = crawl(archive, run, agency, "http://rsj.laoshan.gov.cn/xxgk/nb2019.html", near, 1, agency_name=None)
    assert (b.outcome, b.report_id) == ("near-duplicate", a.report_id)
    # Another agency copying the text: its own report plus a 内容雷同 relation, never merged.
    copied = LAOSHAN.replace("崂山", "市南")
    _, c = crawl(archive, run, other, "http://rsj.shinan.gov.cn/nb/2019.html", copied, 2,
                 agency_name="青岛市市南区人力资源和社会保障局")
    assert c.outcome == "new" and c.report_id != a.report_id and c.events == ["new", "boilerplate-copy"]
    (rel,) = archive.relations()
    assert (rel["report_id"], rel["other_report_id"]) == (c.report_id, a.report_id) and rel["similarity"] >= 0.9
    # An unrelated report is just new.
    _, d = crawl(archive, run, other, "http://rsj.shinan.gov.cn/nb/2021.html", text("wulong_2021"), 3, year=2021,
                 agency_name="青岛市市南区人力资源和社会保障局")
    assert d.events == ["new"]
    assert count(archive, Report) == 3 and len(archive.relations()) == 1


def test_near_duplicate_index_sees_other_writers(archive: Archive) -> None:
    agency = seed(archive, "崂山区人社局")
    run = archive.start_run({})
    crawl(archive, run, agency, "http://rsj.laoshan.gov.cn/x.html", text("wulong_2021"), 0, year=2021)
    second = Archive(archive.engine)  # another worker: loads its index lazily from the database
    _, a = crawl(second, run, agency, PAGE, LAOSHAN, 1)
    near = LAOSHAN.replace("崂山政务网发布", "崂山区政府门户网站发布")
    _, b = crawl(archive, run, agency, "http://rsj.laoshan.gov.cn/xxgk/nb2019.html", near, 2, agency_name=None)
    assert (b.outcome, b.report_id) == ("near-duplicate", a.report_id)


def test_year_less_reports_are_keyed_by_url(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    _, a = crawl(archive, run, agency, PAGE, text("hengyang_2019"), 0, year=None)
    _, b = crawl(archive, run, agency, PDF, text("wulong_2021"), 1, year=None)
    assert a.outcome == b.outcome == "new" and a.report_id != b.report_id
    assert {r["year"] for r in archive.reports()} == {None}


def test_export_shape_follows_schema_md(archive: Archive) -> None:
    schema_keys = {"report_id", "agency", "year", "title", "url", "urls", "version", "state", "fetched_at",
                   "first_seen", "published", "text_sha256", "text", "format", "proactive", "requests",
                   "review_litigation", "legacy_figures", "checks", "spam", "changed_cells"}
    agency = seed(archive)
    run = archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    (rec,) = list(archive.export_versions())
    assert schema_keys <= set(rec)
    assert rec["agency"] == LAOSHAN_NAME and rec["year"] == 2019 and rec["version"] == 1
    assert rec["urls"] == [PAGE] and rec["url"] == PAGE and rec["state"] == "live"
    assert rec["fetched_at"] == "2026-11-20T03:00:00Z" and rec["published"] == "2020-01-20"
    assert rec["format"] == "2019" and len(rec["text_sha256"]) == 64 and rec["text"] == LAOSHAN
    assert rec["requests"]["columns"][6] == "total" and rec["spam"] == {"detected": False, "findings": []}


def test_run_summary_and_events_since(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({"seeds": "seeds/demo.csv"})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    crawl(archive, run, agency, PDF, LAOSHAN.replace(" | ", "\n"), 0, agency_name=None)
    archive.finish_run(run, {"agencies_ok": 1, "agencies_failed": 0, "finish_time": at(9)}, 0)
    summary = archive.run_summary(run)
    assert summary["exit_status"] == 0 and summary["stats"]["agencies_ok"] == 1
    assert summary["outcomes"] == {"new": 1, "sighting": 1} and summary["events"] == {"new": 1}
    assert summary["new_blobs"] == 2 and summary["info"] == {"seeds": "seeds/demo.csv"}
    assert summary["finished_at"] is not None and summary["stats"]["finish_time"] == "2027-01-22 03:00:00"
    run2 = archive.start_run({})
    archive.mark_removed(run_id=run2, url=PAGE, reason="soft-404", at=at(3))
    archive.mark_removed(run_id=run2, url=PDF, reason="soft-404", at=at(3))
    assert [e["kind"] for e in archive.events(since=at(1))] == ["removed"]
    assert len(archive.events()) == 2
    assert archive.run_summary(9999) == {"run_id": 9999, "found": False}
    runs = archive.runs()
    assert [r["id"] for r in runs] == [run, run2] and runs[0]["stats"]["agencies_ok"] == 1
    assert runs[0]["exit_status"] == 0 and runs[0]["finished"].endswith("Z") and runs[1]["finished"] is None


def test_bad_input_is_a_warning_not_an_exception(archive: Archive, caplog) -> None:  # type: ignore[no-untyped-def]
    agency = seed(archive)
    run = archive.start_run({})
    res = archive.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=PAGE,
                                   doc=document("浏览次数：5\n\n", PAGE), report=report(None, 2019), fetched_at=at(0))
    assert res.outcome == "skipped" and res.report_id is None
    res = archive.archive_document(run_id=run, agency_id=424242, fetch_id=None, url=PAGE,
                                   doc=document(LAOSHAN, PAGE), report=report(None, 2019), fetched_at=at(0))
    assert res.outcome == "skipped"
    assert "no text" in caplog.text and "unknown agency" in caplog.text
    assert count(archive, Report) == 0 and count(archive, Event) == 0
    # Its fetch is done with (not left looking unfinished, which would make it due on every run).
    rec = archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=200, headers={}, body=b"x",
                               content_type="text/html", encoding=None, fetched_at=at(0), kind="report")
    archive.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=PAGE,
                             doc=document("浏览次数：5\n\n", PAGE), report=report(None, 2019), fetched_at=at(0))
    assert archive.next_visit(PAGE) == at(0) + timedelta(days=7)


def test_reused_url_with_another_year_is_another_report(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    latest = "http://rsj.laoshan.gov.cn/zfxxgk/nb/latest.html"
    _, a = crawl(archive, run, agency, latest, LAOSHAN, 0, year=2019)
    _, b = crawl(archive, run, agency, latest, text("wulong_2021"), 1, year=2021)
    assert (a.outcome, b.outcome) == ("new", "new") and a.report_id != b.report_id
    assert count(archive, ReportVersion) == 2
    _, c = crawl(archive, run, agency, latest, text("wulong_2021"), 2, year=2021)
    assert (c.outcome, c.report_id) == ("unchanged", b.report_id)


def test_pdf_with_differently_named_publisher_is_a_near_duplicate(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    _, page = crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    pdf_text = LAOSHAN.replace(" | ", "\n") + "\n- 1 -"
    for step in (1, 2):
        _, pdf = crawl(archive, run, agency, PDF, pdf_text, step, agency_name="崂山区人社局")
        assert pdf.report_id == page.report_id
        assert pdf.outcome == ("near-duplicate" if step == 1 else "unchanged")
    assert count(archive, Report) == 1 and count(archive, ReportVersion) == 1


def test_defacement_that_returns_or_hits_the_pdf(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    defaced = LAOSHAN.replace("我局", "365bet")
    outcomes = [crawl(archive, run, agency, PAGE, body, step, spam=spam)[1].outcome
                for step, (body, spam) in enumerate([(defaced, "365bet"), (LAOSHAN, None),
                                                     (defaced, "365bet")], start=1)]
    assert outcomes == ["defaced", "unchanged", "defaced"]
    assert archive.reports()[0]["state"] == "defaced" and count(archive, ReportVersion) == 2
    crawl(archive, run, agency, PAGE, LAOSHAN, 4)
    # Now the PDF attachment gets defaced, then repaired.
    pdf_text = LAOSHAN.replace(" | ", "\n")
    crawl(archive, run, agency, PDF, pdf_text, 5, agency_name=None)
    _, bad = crawl(archive, run, agency, PDF, pdf_text.replace("我局", "365bet"), 6, agency_name=None, spam="365bet")
    assert bad.outcome == "defaced" and archive.reports()[0]["state"] == "defaced"
    _, fixed = crawl(archive, run, agency, PDF, pdf_text, 7, agency_name=None)
    assert fixed.events == ["restored"] and archive.reports()[0]["state"] == "live"
    kinds = [e["kind"] for e in archive.events()]
    assert kinds == ["new", "defaced", "restored", "defaced", "restored", "defaced", "restored"]


def test_nul_characters_from_pdf_text_are_dropped(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    body = LAOSHAN.replace("一、总体情况", "一、总体\x00情况")
    _, res = crawl(archive, run, agency, PDF + "\x00", body, 0, agency_name="崂山\x00区人社局")
    assert res.outcome == "new"
    (rec,) = list(archive.export_versions())
    assert "\x00" not in rec["text"] and "一、总体情况" in rec["text"] and rec["url"] == PDF


def test_same_text_under_two_year_labels_recrawls_cleanly(archive: Archive) -> None:
    agency = seed(archive)
    for step in range(3):
        run = archive.start_run({})
        _, a = crawl(archive, run, agency, PAGE, LAOSHAN, step, year=2019)
        _, b = crawl(archive, run, agency, PDF, LAOSHAN, step, year=2020)  # the parser misread the year
        assert b.report_id == a.report_id
        assert (a.outcome, b.outcome) == (("new", "sighting") if step == 0 else ("unchanged", "unchanged"))
    assert count(archive, Report) == 1 and count(archive, Sighting) == 2


def test_counter_only_refetch_keeps_the_blob(archive: Archive) -> None:
    run = archive.start_run({})
    html = '<html><body><span>浏览次数：<b>{}</b></span><div id="zoom">{}</div></body></html>'
    recs = [archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=200, headers={},
                                 body=html.format(views, LAOSHAN).encode("utf-8"), content_type="text/html",
                                 encoding="utf-8", fetched_at=at(i)) for i, views in enumerate((5, 6, 1234))]
    assert [(r.new_blob, r.equivalent) for r in recs] == [(True, False), (False, True), (False, True)]
    assert len({r.blob_sha256 for r in recs}) == 1 and count(archive, Blob) == 1
    revised = archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=200, headers={},
                                   body=html.format(7, LAOSHAN + "修订").encode("utf-8"), content_type="text/html",
                                   encoding="utf-8", fetched_at=at(5))
    assert revised.new_blob and count(archive, Blob) == 2
    other_url = archive.record_fetch(run_id=run, url=PDF, final_url=PDF, status=200, headers={},
                                     body=html.format(8, LAOSHAN).encode("utf-8"), content_type="text/html",
                                     encoding="utf-8", fetched_at=at(6))
    assert other_url.new_blob  # equivalence is per URL


def test_not_modified_confirms_the_report_is_still_there(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=304, headers={}, body=None,
                         content_type=None, encoding=None, fetched_at=at(2))
    (row,) = archive.reports()
    assert row["last_seen"] == "2026-12-04T03:00:00Z" and row["versions"] == 1
    assert count(archive, Blob) == 1


def test_versions_move_to_the_pdf_when_the_page_is_gone(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    pdf_text = LAOSHAN.replace(" | ", "\n")
    crawl(archive, run, agency, PAGE, LAOSHAN, 0, cells=[2, 0, 0, 0, 0, 0, 2])
    # The PDF first met a run later: the page stays the source.
    crawl(archive, archive.start_run({}), agency, PDF, pdf_text, 0, agency_name=None, cells=[2, 0, 0, 0, 0, 0, 2])
    archive.mark_removed(run_id=run, url=PAGE, reason="404")
    _, moved = crawl(archive, run, agency, PDF, pdf_text, 1, agency_name=None, cells=[2, 0, 0, 0, 0, 0, 2])
    assert (moved.outcome, moved.events) == ("unchanged", ["source-moved"])
    revised = pdf_text.replace("一、本年新收政府信息公开申请数量\n2\n", "一、本年新收政府信息公开申请数量\n3\n")
    assert revised != pdf_text
    _, rev = crawl(archive, run, agency, PDF, revised, 2, agency_name=None, cells=[3, 0, 0, 0, 0, 0, 2])
    assert (rev.outcome, rev.version_n, rev.changed_cells) == ("revised", 2, ["requests.rows.new_received[0]: 2 -> 3"])
