"""End to end: ``scrapy crawl reports`` over the simulated gov.cn web into a real SQLite archive."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.archive import Archive
from storage.models import Blob, Fetch, ReportVersion
from tests.e2e.crawl import CrawlResult, run_crawl

pytestmark = pytest.mark.e2e

FOOTER = re.compile(r"ICP备|公网安备|网站标识码|版权所有|主办单位|扫一扫|浏览次数")


class Crawl:
    """One archive crawled several times in a row, as cron would."""

    def __init__(self, portal: Any, tmp: Path) -> None:
        self.portal = portal
        self.db_url = f"sqlite:///{tmp / 'nianbao.db'}"
        self.seeds = tmp / "seeds.csv"
        self.results: list[CrawlResult] = []

    def run(self, *settings: str) -> CrawlResult:
        result = run_crawl(self.portal.proxy_url, self.seeds, self.db_url, *settings)
        self.results.append(result)
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        return result

    def archive(self) -> Archive:
        return Archive.from_url(self.db_url)

    def count(self, model: Any) -> int:
        archive = self.archive()
        with archive.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.fixture(scope="module")
def crawl(portal: Any, web: Any, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    portal.set_revision(False)
    c = Crawl(portal, tmp_path_factory.mktemp("e2e"))
    c.seeds.write_text(web.seeds_csv(), encoding="utf-8")
    portal.reset_log()
    result = c.run()
    assert result.returncode == 0, result.stderr[-3000:]
    return c


def _archived(crawl: Crawl) -> list[dict[str, Any]]:
    return crawl.archive().reports()


def test_finds_every_true_report_and_no_confusable(crawl: Crawl, web: Any) -> None:
    archived = _archived(crawl)
    by_url: dict[str, dict[str, Any]] = {u: r for r in archived for u in r["urls"]}
    missing = [(t.agency, t.year) for t in web.reports if not any(u in by_url for u in t.urls)]
    assert not missing, f"reports not found: {missing}"
    true_urls = {u for t in web.reports for u in t.urls}
    wrong = [u for r in archived for u in r["urls"] if u not in true_urls]
    assert not wrong, f"non-reports archived: {wrong}"
    confusable_urls = {c.url for c in web.confusables}
    assert not confusable_urls & set(by_url)
    # Page and attachment of one report, or its copies, are one report: as many rows as true reports.
    assert len(archived) == len(web.reports)


def test_each_report_has_agency_year_and_clean_text(crawl: Crawl, web: Any) -> None:
    truth = {u: t for t in web.reports for u in t.urls}
    records = list(crawl.archive().export_versions(latest=True))
    assert records
    for rec in records:
        t = next(truth[u] for u in rec["urls"] if u in truth)
        assert rec["year"] == t.year, (rec["url"], rec["year"], t.year)
        assert rec["agency"], rec["url"]
        assert len(rec["text"]) > 200, rec["url"]
        leaks = [line for line in rec["text"].splitlines() if FOOTER.search(line)]
        assert not leaks, (rec["url"], leaks[:3])
        assert "bet0365" not in rec["text"] and "bet0365" not in (rec["title"] or "")


def test_defaced_report_is_flagged(crawl: Crawl, web: Any) -> None:
    defaced = [t for t in web.reports if t.defaced]
    assert defaced
    records = {u: r for r in crawl.archive().export_versions(latest=True) for u in r["urls"]}
    for t in defaced:
        rec = next(records[u] for u in t.urls if u in records)
        assert rec["state"] == "defaced"
        assert rec["spam"]["detected"] is True


def test_javascript_list_went_through_the_browser_only_there(crawl: Crawl, web: Any) -> None:
    summary = crawl.archive().runs()[-1]["stats"]
    rendered = {a["agency"]: a["browser_pages"] for a in summary["per_agency"]}
    js_agency = next(t.agency for t in web.reports if "hrss.jl.gov.cn" in t.urls[0])
    assert rendered[js_agency] >= 1
    assert all(n == 0 for agency, n in rendered.items() if agency != js_agency), rendered
    found = {u for r in _archived(crawl) for u in r["urls"]}
    assert all(any(u in found for u in t.urls) for t in web.reports if t.agency == js_agency)


def test_run_summary_is_stored_and_logged(crawl: Crawl, web: Any) -> None:
    run = crawl.archive().runs()[-1]
    stats = run["stats"]
    assert stats["exit_status"] == 0
    assert stats["agencies"]["total"] == len({t.agency for t in web.reports})
    # A report first seen already defaced is stored (flagged) with the outcome "defaced".
    assert stats["reports"]["new"] + stats["reports"]["defaced"] == len(web.reports)
    assert stats["reports"]["defaced"] == sum(t.defaced for t in web.reports)
    assert "run summary" in crawl.results[0].stderr


def _placed(db_url: str) -> dict[str, Any]:
    """Every report with its state, versions and sightings, keyed by agency name, year and
    publisher (row ids follow the order agencies first appeared, which concurrency may change)."""
    archive = Archive.from_url(db_url)
    with archive.engine.connect() as conn:
        q = conn.exec_driver_sql
        key = "a.name, r.year, r.publisher_key"
        joined = "JOIN report r ON r.id = x.report_id JOIN agency a ON a.id = r.agency_id"
        reports: dict[tuple[Any, ...], dict[str, Any]] = {}
        for *k, canonical, state in q(f"SELECT {key}, r.canonical_url, r.state FROM report r "
                                      "JOIN agency a ON a.id = r.agency_id"):
            reports[tuple(k)] = {"canonical": canonical, "state": state, "versions": [], "urls": set()}
        for *k, n, url, sha, flagged in q(f"SELECT {key}, x.n, x.url, x.text_sha256, x.flagged "
                                          f"FROM report_version x {joined} ORDER BY x.n"):
            reports[tuple(k)]["versions"].append((n, url, sha, flagged))
        for *k, url in q(f"SELECT {key}, x.url FROM sighting x {joined}"):
            reports[tuple(k)]["urls"].add(url)
    return reports


def test_reading_in_the_crawler_process_archives_the_same(crawl: Crawl, portal: Any, tmp_path: Path) -> None:
    """NIANBAO_READ_WORKERS=0 (read in the reactor thread) and the default reading process find
    the same reports with the same states, versions and sightings. Which of two renderings of one
    report arrives first (a .docx and a .pdf of it, downloaded at once) may differ from run to run
    either way; that rendering carries the versions, so those are compared where it agrees."""
    inline_db = f"sqlite:///{tmp_path / 'inline.db'}"
    result = run_crawl(portal.proxy_url, crawl.seeds, inline_db, "NIANBAO_READ_WORKERS=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    ours, inline = _placed(crawl.db_url), _placed(inline_db)
    assert len(ours) >= 100
    assert ours.keys() == inline.keys()
    compared = 0
    for key, mine in ours.items():
        theirs = inline[key]
        assert (mine["state"], mine["urls"], len(mine["versions"])) == (
            theirs["state"], theirs["urls"], len(theirs["versions"])), key
        if mine["canonical"] == theirs["canonical"]:
            assert mine["versions"] == theirs["versions"], key
            compared += 1
    assert compared >= len(ours) - 3


def test_unchanged_recrawl_adds_no_version_and_no_blob(crawl: Crawl) -> None:
    versions, blobs, fetches = crawl.count(ReportVersion), crawl.count(Blob), crawl.count(Fetch)
    result = crawl.run()
    assert result.returncode == 0
    assert crawl.count(ReportVersion) == versions
    assert crawl.count(Blob) == blobs
    assert crawl.count(Fetch) > fetches  # the re-fetches are logged all the same
    stats = crawl.archive().runs()[-1]["stats"]
    assert stats["reports"]["new"] == 0 and stats["reports"]["revised"] == 0


def test_revision_switch_gives_exactly_one_new_version(crawl: Crawl, portal: Any, web: Any) -> None:
    versions = crawl.count(ReportVersion)
    portal.set_revision(True)
    try:
        result = crawl.run()
    finally:
        portal.set_revision(False)
    assert result.returncode == 0
    assert crawl.count(ReportVersion) == versions + 1
    revised = [r for r in crawl.archive().export_versions() if r["version"] > 1]
    assert len(revised) == 1
    assert web.revised_url in revised[0]["urls"]
    assert revised[0]["changed_cells"] == [web.revised_cell]


def test_export_jsonl_has_schema_keys(crawl: Crawl, tmp_path: Path) -> None:
    from storage.cli import main

    out = tmp_path / "export.jsonl"
    assert main(["export", "--format", "jsonl", "--db", crawl.db_url, "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    keys = {
        "report_id",
        "agency",
        "year",
        "title",
        "url",
        "urls",
        "version",
        "state",
        "fetched_at",
        "first_seen",
        "published",
        "text_sha256",
        "text",
        "format",
        "proactive",
        "requests",
        "review_litigation",
        "legacy_figures",
        "checks",
        "spam",
        "changed_cells",
    }
    assert lines and all(keys <= set(line) for line in lines)


def test_payloads_that_could_not_be_read_are_read_on_the_next_run(portal: Any, web: Any, tmp_path: Path) -> None:
    """Every reading runs past its time limit: each is one line naming the URL, nothing is archived,
    and the next run (revisits on) fetches those payloads whole and reads them."""
    portal.set_revision(False)
    seeds = tmp_path / "seeds.csv"
    lines = web.seeds_csv().splitlines()
    seeds.write_text("\n".join([lines[0], *[li for li in lines if "rsj.bjdch.gov.cn" in li]]) + "\n",
                     encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'unread.db'}"
    first = run_crawl(portal.proxy_url, seeds, db_url, "NIANBAO_REVISIT=1", "NIANBAO_READ_TIMEOUT=0.001")
    assert first.returncode in (0, 1), first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    unread = re.findall(r"(http://\S+): not read: reading it took longer than NIANBAO_READ_TIMEOUT", first.stderr)
    assert len(unread) >= 5
    archive = Archive.from_url(db_url)
    assert archive.reports() == []
    with archive.engine.connect() as conn:
        outcomes = dict(conn.exec_driver_sql("SELECT url, outcome FROM fetch WHERE outcome = 'read-failed'").all())
    assert set(unread) <= set(outcomes)

    second = run_crawl(portal.proxy_url, seeds, db_url, "NIANBAO_REVISIT=1")
    assert second.returncode == 0, second.stderr[-3000:]
    assert "not read:" not in second.stderr
    archived = {url for r in archive.reports() for url in r["urls"]}
    assert len(archived) >= 5
    with archive.engine.connect() as conn:
        again = dict(conn.exec_driver_sql(
            "SELECT url, status FROM fetch WHERE run_id = (SELECT max(id) FROM crawl_run) AND outcome IS NOT NULL"
        ).all())
    assert all(again.get(url) == 200 for url in unread), {u: again.get(u) for u in unread}
