"""Adaptive revisit: sooner after a change, longer while stable, lists more often than reports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import Archive
from storage.revisit import (
    POLICIES,
    STUB,
    UNREAD,
    Known,
    head_verdict,
    in_slot,
    interval,
    plan_check,
    unfinished,
)
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
        for outcome in (None, UNREAD, STUB, "new", "unchanged", "not-report", "skipped", "gone"):
            url = f"{PAGE}?k={kind}&o={outcome}"
            archive.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={"ETag": '"e"'},
                                 body=b"<p>x</p>", content_type="text/html", encoding="utf-8", fetched_at=T0,
                                 kind=kind, outcome=outcome)
            whole = archive.validators(url) == (None, None)
            assert whole == (archive.next_visit(url) == T0) == unfinished(200, kind, outcome), (kind, outcome)
            assert whole == (outcome in (UNREAD, STUB) or (outcome is None and kind != "list")), (kind, outcome)


# --- issue 22: every known report checked on every run ---------------------------------------------

def _known(**kw: object) -> Known:
    base: dict[str, object] = dict(unfinished=False, validators=False, size=20_000, length="20000", runs_since_full=1)
    return Known(**{**base, **kw})  # type: ignore[arg-type]


def _plan(known: Known | None, *, in_slot: bool = False, budget_left: int = 1_000_000,
          list_changed: bool = False) -> tuple[str, str]:
    return plan_check(known, max_runs=4, in_slot=in_slot, budget_left=budget_left, list_changed=list_changed)


def test_plan_check_prefers_what_the_server_makes_cheap() -> None:
    assert _plan(None) == ("full", "unread")  # never read whole
    assert _plan(_known(unfinished=True, validators=True)) == ("full", "unread")
    assert _plan(_known(validators=True, runs_since_full=9)) == ("conditional", "validators")
    assert _plan(_known(validators=True, removed=True)) == ("full", "removed")  # back? a 304 would hide it
    assert _plan(_known()) == ("head", "signal")
    assert _plan(_known(), list_changed=True) == ("full", "list-changed")
    assert _plan(_known(), in_slot=True) == ("full", "rotation")
    assert _plan(_known(runs_since_full=0), in_slot=True) == ("head", "signal")  # read whole last run
    assert _plan(_known(), in_slot=True, budget_left=19_999) == ("head", "budget")
    assert _plan(_known(length=None)) == ("full", "no-signal")
    assert _plan(_known(length=None), budget_left=100) == ("defer", "budget")


def test_plan_check_forces_a_full_read_every_max_runs_whatever_the_budget() -> None:
    """Without validators and without any signal of change, a report is read whole on the run
    that makes its last full read max_runs - 1 runs old: never more than max_runs runs apart."""
    assert [_plan(_known(length=None, runs_since_full=k), budget_left=0)[0] for k in range(5)] == [
        "defer", "defer", "defer", "full", "full"]
    assert _plan(_known(runs_since_full=3), budget_left=0) == ("full", "forced")
    # A same-length change, never in its slot, no list change: at most 4 runs between full reads.
    since, gaps = 0, []
    for run_id in range(1, 40):
        how, _ = plan_check(_known(runs_since_full=since), max_runs=4, in_slot=in_slot("u", run_id, 4),
                            budget_left=0, list_changed=False)
        since = 0 if how == "full" else since + 1
        gaps.append(since)
    assert max(gaps) <= 3


def test_rotation_slots_spread_a_sites_reports_over_the_runs() -> None:
    urls = [f"http://rlsbj.cqwl.gov.cn/art/2020/1/{d}/art_123_{d}.html" for d in range(1, 41)]
    for run_id in range(1, 9):
        share = sum(in_slot(u, run_id, 4) for u in urls)
        assert 4 <= share <= 18, (run_id, share)  # about a quarter each run, never all
    assert all(sum(in_slot(u, r, 4) for r in range(1, 5)) == 1 for u in urls)  # each once in 4 runs


def test_known_state_counts_runs_since_the_last_full_read(archive: Archive) -> None:
    agency = seed(archive)
    body = text("laoshan_2019")
    first = archive.start_run({})
    assert archive.check_state(PAGE, first) is None  # never fetched
    rec = archive.record_fetch(run_id=first, url=PAGE, final_url=PAGE, status=200,
                               headers={"Content-Length": str(len(body.encode()))}, body=body.encode(),
                               content_type="text/html", encoding="utf-8", fetched_at=T0, kind="report")
    assert archive.check_state(PAGE, first + 1).unfinished  # logged, never archived
    archive.archive_document(run_id=first, agency_id=agency, fetch_id=rec.fetch_id, url=PAGE,
                             doc=document(body, PAGE), report=report("崂山区人社局", 2019), fetched_at=T0)
    later = [archive.start_run({}) for _ in range(3)]
    state = archive.check_state(PAGE, later[-1])
    assert state == Known(unfinished=False, validators=False, size=len(body.encode()),
                          length=str(len(body.encode())), runs_since_full=2)
    # A 304 is no full read; validators make it conditional.
    archive.record_fetch(run_id=later[0], url=PAGE, final_url=PAGE, status=304, headers={"ETag": '"v1"'},
                         body=None, content_type=None, encoding=None, fetched_at=T0 + DAY, kind="report")
    state = archive.check_state(PAGE, later[-1])
    assert state is not None and state.validators and state.runs_since_full == 2


def test_known_reports_are_the_live_sightings_by_agency(archive: Archive) -> None:
    agency = seed(archive)
    run = archive.start_run({})
    body = text("laoshan_2019")
    for url in (PAGE, PAGE.replace("_1.html", "_2.html")):
        rec = archive.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={}, body=body.encode(),
                                   content_type="text/html", encoding="utf-8", fetched_at=T0, kind="report")
        archive.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=url,
                                 doc=document(body, url), report=report("崂山区人社局", 2019), fetched_at=T0)
    (name,) = archive.known_reports()
    assert sorted(archive.known_reports()[name]) == sorted([(PAGE, "report"), (PAGE.replace("_1.html", "_2.html"), "report")])
    archive.remove_url(run_id=run, url=PAGE, reason="http 404", at=T0 + DAY)
    assert archive.known_reports()[name] == [(PAGE.replace("_1.html", "_2.html"), "report")]


def test_head_verdict() -> None:
    assert head_verdict(200, "20000", "20000") == "unchanged"
    assert head_verdict(200, "20013", "20000") == "changed"  # a sentence added, an ad injected
    assert head_verdict(200, "20000", None) == "changed"  # it never sent one before: read it
    assert [head_verdict(s, "", "20000") for s in (404, 410, 301, 302)] == ["changed"] * 4
    assert [head_verdict(s, "", "20000") for s in (200, 405, 501, 500, 403)] == ["no-signal"] * 5


def test_a_request_redone_after_its_worker_died_is_fetched_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """pipelines.revisit checks a known report by its length; not one redone after its worker died
    (pipelines.redis_queue): the archive holding the document says nothing of the links the dead
    worker's callback had still to follow, so what a killed worker's round fetches and archives
    must not depend on when it died."""
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.handoff import KEY, RECOVERED, WHOLE, Hop, LinkKind
    from pipelines import revisit

    known = Known(unfinished=False, validators=False, size=4000, length="4000", runs_since_full=1)
    state = SimpleNamespace(archive=SimpleNamespace(check_state=lambda url, run_id: known), run_id=2)
    monkeypatch.setattr(revisit, "state_for", lambda crawler: state)
    crawler = get_crawler(settings_dict={"NIANBAO_REVISIT": True, "NIANBAO_MAX_DETECTION_RUNS": 4,
                                         "NIANBAO_REVISIT_SITE_BYTES": 0, "NIANBAO_REVISIT_KNOWN": False})
    crawler.stats.open_spider()
    mw = revisit.RevisitMiddleware.from_crawler(crawler)
    hop = Hop("青岛市崂山区人力资源和社会保障局", LinkKind.REPORT)
    checked = mw.process_request(Request(PAGE, meta={KEY: hop}))
    assert checked is not None and checked.method == "HEAD"
    redone = Request(PAGE, meta={KEY: hop, RECOVERED: True, WHOLE: True})
    assert mw.process_request(redone) is None and redone.method == "GET" and redone.meta[WHOLE]
    assert crawler.stats.get_value("nianbao/revisit/full/recovered") == 1
