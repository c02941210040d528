"""Coverage matrix: found / missing per agency-year, and timeliness against report-format.md §1."""

from __future__ import annotations

from datetime import date

from storage import Archive
from storage.coverage import deadline
from tests.storage.docs import at, document, report, text
from tests.storage.test_archive import seed


def test_deadlines() -> None:
    assert deadline(2018, "青岛市崂山区人力资源和社会保障局") == date(2019, 3, 31)
    assert deadline(2019, "青岛市崂山区人力资源和社会保障局") == date(2020, 1, 31)
    assert deadline(2021, "青岛市崂山区人民政府") == date(2022, 3, 31)
    assert deadline(2021, "重庆市人民政府办公厅") == date(2022, 3, 31)
    assert deadline(2021, "重庆市人民政府办公厅", level="部门") == date(2022, 1, 31)


def test_coverage_matrix(archive: Archive) -> None:
    bureau = seed(archive, "青岛市崂山区人力资源和社会保障局")
    other = seed(archive, "青岛市市南区人力资源和社会保障局")
    run = archive.start_run({})
    cases = [(bureau, "laoshan_2019", 2019, "2020-01-20"), (bureau, "wulong_2021", 2021, "2022-02-15"),
             (bureau, "hengyang_2019", 2018, None)]
    for i, (agency, name, year, published) in enumerate(cases):
        url = f"http://rsj.example.gov.cn/{i}.html"
        archive.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=url, doc=document(text(name), url),
                                 report=report("青岛市崂山区人力资源和社会保障局", year, published=published),
                                 fetched_at=at(i))
    rows = {(r["agency"], r["year"]): r for r in archive.coverage()}
    laoshan, shinan = "青岛市崂山区人力资源和社会保障局", "青岛市市南区人力资源和社会保障局"
    # From each agency's first report to the newest year: 2018–2021, and for an agency with none only 2021.
    assert sorted(rows) == [(laoshan, y) for y in (2018, 2019, 2020, 2021)] + [(shinan, 2021)]
    assert rows[(laoshan, 2019)]["timeliness"] == "on time" and rows[(laoshan, 2019)]["deadline"] == "2020-01-31"
    assert rows[(laoshan, 2019)]["kind"] == "on time"
    assert rows[(laoshan, 2021)]["timeliness"] == "late" and rows[(laoshan, 2021)]["kind"] == "late"
    assert rows[(laoshan, 2018)]["timeliness"] == "unknown" and rows[(laoshan, 2018)]["kind"] == "no date"
    assert rows[(laoshan, 2020)]["kind"] == "missing" and rows[(laoshan, 2020)]["deadline"] == "2021-01-31"
    assert rows[(laoshan, 2019)]["url"] == "http://rsj.example.gov.cn/0.html"
    assert rows[(shinan, 2021)]["status"] == "missing"
    since = {(r["agency"], r["year"]) for r in archive.coverage(since=2019)}
    assert since == {(a, y) for a in (laoshan, shinan) for y in (2019, 2020, 2021)}
    assert [r["year"] for r in archive.coverage(years=[2020])] == [2020, 2020]
    assert other != bureau
