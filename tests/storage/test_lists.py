"""The list inventory: reports that left a completely crawled list become ``removed``."""

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


def test_a_report_that_left_its_list_is_removed_with_its_files(archive: Archive) -> None:
    agency, run = seed(archive), archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    crawl(archive, run, agency, PDF, LAOSHAN, 0)
    archive.reconcile_lists(run_id=run, agency_id=agency, links={PAGE}, children={PDF: PAGE}, at=at(0))
    run2 = archive.start_run({})
    removed = archive.reconcile_lists(run_id=run2, agency_id=agency, links={OTHER}, children={}, at=at(1))
    assert removed == [PAGE]  # the report became removed once, at its last live URL
    assert _state(archive, PAGE) == "removed"
    events = archive.events(run_id=run2)
    assert [(e["kind"], e["detail"]["reason"]) for e in events] == [("removed", "missing-from-list")]
    assert {s["url"]: s["removed_reason"] for s in archive.sightings(live_only=False)} == {
        PAGE: "missing-from-list", PDF: "missing-from-list"}
    # Gone from the inventory: a later complete crawl does not remove it again.
    run3 = archive.start_run({})
    assert archive.reconcile_lists(run_id=run3, agency_id=agency, links={OTHER}, children={}, at=at(2)) == []
    assert archive.events(run_id=run3) == []


def test_removed_reports_are_due_again(archive: Archive) -> None:
    agency, run = seed(archive), archive.start_run({})
    crawl(archive, run, agency, PAGE, LAOSHAN, 0)
    assert not archive.is_due(PAGE, "report", at(0))
    archive.mark_removed(run_id=run, url=PAGE, reason="missing-from-list", at=at(0))
    assert archive.is_due(PAGE, "report", at(0))  # linked again: look whether it is back
