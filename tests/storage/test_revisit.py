"""Adaptive revisit: sooner after a change, longer while stable, lists more often than reports."""

from __future__ import annotations

from datetime import timedelta

from storage import Archive
from storage.revisit import POLICIES, UNREAD, interval, unfinished
from tests.storage.docs import T0, document, report, text
from tests.storage.test_archive import seed

DAY = timedelta(days=1)
LIST = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/index.html"
PAGE = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202001/t20200120_1.html"


def test_interval_policy() -> None:
    assert interval([True], "list") == DAY
    assert interval([True, False, False], "list") == 4 * DAY
    assert interval([True] + [False] * 10, "list") == POLICIES["list"].ceiling
    assert interval([True, False, False, True], "report") == 7 * DAY
    assert interval([True, False], "report") == 14 * DAY
    assert interval([True], "unknown-kind") == POLICIES["report"].first


def test_due_dates_from_the_fetch_log(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    assert archive.is_due(LIST, "list")
    archive.record_fetch(run_id=run, url=LIST, final_url=LIST, status=200, headers={}, body=b"<ul>1</ul>",
                         content_type="text/html", encoding="utf-8", fetched_at=T0, kind="list")
    assert archive.next_visit(LIST) == T0 + DAY
    assert not archive.is_due(LIST, now=T0 + DAY / 2) and archive.is_due(LIST, now=T0 + DAY)
    archive.record_fetch(run_id=run, url=LIST, final_url=LIST, status=304, headers={}, body=None,
                         content_type=None, encoding=None, fetched_at=T0 + DAY, kind="list")
    assert archive.next_visit(LIST) == T0 + 3 * DAY  # unchanged: wait doubles
    archive.record_fetch(run_id=run, url=LIST, final_url=LIST, status=200, headers={}, body=b"<ul>2</ul>",
                         content_type="text/html", encoding="utf-8", fetched_at=T0 + 3 * DAY, kind="list")
    assert archive.next_visit(LIST) == T0 + 4 * DAY  # a new report on the list: back to one day

    # A report page whose bytes change (view counter) but whose text does not stays "unchanged".
    body = text("laoshan_2019")
    for step in range(3):
        when = T0 + step * 7 * DAY
        rec = archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=200, headers={},
                                   body=f"{body}<span>{step}</span>".encode(), content_type="text/html",
                                   encoding="utf-8", fetched_at=when, kind="report")
        archive.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=PAGE,
                                 doc=document(body, PAGE), report=report("崂山区人社局", 2019), fetched_at=when)
    assert archive.next_visit(PAGE) == T0 + 14 * DAY + 28 * DAY


def test_a_fetch_never_archived_is_due_at_once(archive: Archive) -> None:
    """The capture stage logs a report before it is read and archived; a crawl stopped in between
    (kill -9, a lost machine, a distributed worker's recovered request) must find it due again, not
    in a week. A fetch that went through (archived, or skipped as a soft-404) waits as usual."""
    agency = seed(archive)
    run = archive.start_run({})
    body = text("laoshan_2019")
    logged = dict(run_id=run, final_url=PAGE, status=200, headers={}, body=body.encode(),
                  content_type="text/html", encoding="utf-8", fetched_at=T0, kind="report")
    rec = archive.record_fetch(url=PAGE, **logged)  # as CapturePipeline leaves it: no outcome yet
    assert archive.next_visit(PAGE) == T0 and archive.is_due(PAGE, "report", now=T0 + DAY / 24)
    archive.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=PAGE,
                             doc=document(body, PAGE), report=report("崂山区人社局", 2019), fetched_at=T0)
    assert archive.next_visit(PAGE) == T0 + 7 * DAY  # archived: the usual week

    gone = PAGE.replace("t20200120_1", "t20200120_2")
    archive.record_fetch(url=gone, outcome="gone", **{**logged, "final_url": gone})  # a soft-404
    assert not archive.is_due(gone, "report", now=T0 + DAY)
    archive.record_fetch(url=LIST, **{**logged, "final_url": LIST, "kind": "list"})  # lists get no outcome
    assert not archive.is_due(LIST, "list", now=T0 + DAY / 2)


def test_what_must_be_fetched_whole_is_one_rule(archive: Archive) -> None:
    """A fetch that sends no validators on the next request is the one the schedule makes due at
    once (storage.revisit.unfinished), for every kind and outcome the fetch log holds."""
    run = archive.start_run({})
    for kind in ("report", "attachment", "list", None):
        for outcome in (None, UNREAD, "new", "unchanged", "not-report", "skipped", "gone"):
            url = f"{PAGE}?k={kind}&o={outcome}"
            archive.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={"ETag": '"e"'},
                                 body=b"<p>x</p>", content_type="text/html", encoding="utf-8", fetched_at=T0,
                                 kind=kind, outcome=outcome)
            whole = archive.validators(url) == (None, None)
            assert whole == (archive.next_visit(url) == T0) == unfinished(200, kind, outcome), (kind, outcome)
            assert whole == (outcome == UNREAD or (outcome is None and kind != "list")), (kind, outcome)
