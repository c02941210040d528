"""The list inventory and removal: a report is removed when its URL is gone *and* it left a completely
crawled list, both seen in one run (issue 22)."""

from __future__ import annotations

from storage import Archive
from tests.storage.docs import at
from tests.storage.test_archive import LAOSHAN, PAGE, PDF, crawl, seed

LIST = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/index.html"
OTHER = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202101/t20210120_2.html"


def _state(archive: Archive, url: str) -> str:
    return next(r["state"] for r in archive.reports() if url in r["urls"])


def test_only_a_complete_list_crawl_removes(archive: Archive) -> None:
    agency, run = seed(archive), archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    crawl(archive, run, agency, PDF, LAOSHAN, 0)  # the page's attachment: a sighting of the same report
    assert archive.reconcile_lists(run_id=run, agency_id=agency, links={PAGE, OTHER}, children={PDF: PAGE},
                                   at=at(0)) == []
    run2 = archive.start_run({})
    # A budget-cut crawl did not see the link: nothing may be concluded.
    assert archive.reconcile_lists(run_id=run2, agency_id=agency, links=None, children={}, at=at(1)) == []
    assert _state(archive, PAGE) == "live"
    # The link is still fetched this run from elsewhere (a second list): not removed.
    assert archive.reconcile_lists(run_id=run2, agency_id=agency, links={OTHER}, children={}, seen={PAGE},
                                   at=at(1)) == []
    assert _state(archive, PAGE) == "live"


def _gone(archive: Archive, run: int, url: str, step: int, status: int = 404) -> None:
    """This run's fetch of ``url`` says it is gone (a 404, or a soft-404's 200 logged as "gone")."""
    archive.record_fetch(run_id=run, url=url, final_url=url, status=status, headers={},
                         body="<html>页面不存在</html>".encode() if status == 200 else None,
                         content_type="text/html", encoding=None, fetched_at=at(step),
                         outcome="gone" if status == 200 else None)


def test_a_report_gone_and_off_its_list_is_removed_with_its_files(archive: Archive) -> None:
    agency, run = seed(archive), archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    crawl(archive, run, agency, PDF, LAOSHAN, 0)
    archive.reconcile_lists(run_id=run, agency_id=agency, links={PAGE}, children={PDF: PAGE}, at=at(0))
    run2 = archive.start_run({})
    _gone(archive, run2, PAGE, 1)
    removed = archive.reconcile_lists(run_id=run2, agency_id=agency, links={OTHER}, children={}, at=at(1))
    assert removed == [PDF]  # the report became removed once, at its last live URL (the page's file)
    assert _state(archive, PAGE) == "removed"
    events = archive.events(run_id=run2)
    assert [(e["kind"], e["detail"]["reason"]) for e in events] == [("removed", f"page removed: {PAGE}")]
    assert {s["url"]: s["removed_reason"] for s in archive.sightings(live_only=False)} == {
        PAGE: "http 404; missing-from-list", PDF: f"page removed: {PAGE}"}
    # Already removed: a later complete crawl does not remove it again.
    run3 = archive.start_run({})
    _gone(archive, run3, PAGE, 2)
    assert archive.reconcile_lists(run_id=run3, agency_id=agency, links={OTHER}, children={}, at=at(2)) == []
    assert archive.events(run_id=run3) == []


def test_one_signal_alone_removes_nothing(archive: Archive) -> None:
    agency, run = seed(archive), archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    archive.reconcile_lists(run_id=run, agency_id=agency, links={PAGE}, children={}, at=at(0))
    # A dead link on a live list (the CMS lost the article, or a transient error page).
    run2 = archive.start_run({})
    _gone(archive, run2, PAGE, 1)
    assert archive.reconcile_lists(run_id=run2, agency_id=agency, links={PAGE, OTHER}, children={}, at=at(1)) == []
    # Off the first list page but still served (moved to an archive column).
    run3 = archive.start_run({})
    crawl(archive, run3, agency, PAGE, LAOSHAN, 2)
    assert archive.reconcile_lists(run_id=run3, agency_id=agency, links={OTHER}, children={}, at=at(2)) == []
    # Gone, and the list was not crawled completely: nothing is concluded.
    run4 = archive.start_run({})
    _gone(archive, run4, PAGE, 3, status=200)
    assert archive.reconcile_lists(run_id=run4, agency_id=agency, links=None, children={}, at=at(3)) == []
    assert _state(archive, PAGE) == "live" and archive.events(run_id=run4) == []
    # Both at last (a soft-404 and off the list): removed; the page answering again restores it.
    run5 = archive.start_run({})
    _gone(archive, run5, PAGE, 4, status=200)
    assert archive.reconcile_lists(run_id=run5, agency_id=agency, links={OTHER}, children={}, at=at(4)) == [PAGE]
    assert [e["detail"]["reason"] for e in archive.events(run_id=run5)] == ["soft-404; missing-from-list"]
    _, back = crawl(archive, archive.start_run({}), agency, PAGE, LAOSHAN, 5)
    assert (back.outcome, back.events) == ("unchanged", ["restored"]) and _state(archive, PAGE) == "live"


def test_removed_reports_are_due_again(archive: Archive) -> None:
    agency, run = seed(archive), archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    assert not archive.is_due(PAGE, "report", at(0))
    archive.mark_removed(run_id=run, url=PAGE, reason="missing-from-list", at=at(0))
    assert archive.is_due(PAGE, "report", at(0))  # linked again: look whether it is back
