"""Two scheduled crawls back to back: exit codes, stored summaries, ``nianbao status``, events, progress."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from storage.cli import main as nianbao
from tests.ops.conftest import SITES, UNKNOWN, ScheduledRuns

PROGRESS = re.compile(r"progress: agencies (\d+)/(\d+) done, (\d+) pages, (\d+) reports so far")


def _expected_reports(web: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in web.reports:
        if any(f"//{s}/" in t.urls[0] for s in SITES):
            out[t.agency] = out.get(t.agency, 0) + 1
    return out


def test_exit_status_is_1_when_an_agency_fails_each_run(scheduled: ScheduledRuns) -> None:
    assert [r.returncode for r in scheduled.results] == [1, 1]
    runs = scheduled.archive().runs()
    assert [r["exit_status"] for r in runs] == [1, 1]
    for run in runs:
        assert run["stats"]["agencies"] == {"total": len(SITES) + 1, "ok": len(SITES), "failed": [UNKNOWN]}
        assert run["stats"]["failures"].get("http_502", 0) >= 1


def test_summaries_first_run_new_second_run_one_revision(scheduled: ScheduledRuns, web: Any) -> None:
    first, second = (r["stats"] for r in scheduled.archive().runs())
    expected = sum(_expected_reports(web).values())
    assert first["reports"]["new"] + first["reports"]["defaced"] == expected
    assert second["reports"]["new"] == 0 and second["reports"]["defaced"] == 0
    assert second["reports"]["revised"] == 1
    # Idempotent: the second run archived nothing but the one revision.
    versions = [r["versions"] for r in scheduled.archive().reports()]
    assert len(versions) == expected and sum(versions) == expected + 1
    for result in scheduled.results:
        assert "run summary" in result.stderr


def test_events_say_what_each_run_changed(scheduled: ScheduledRuns, web: Any) -> None:
    archive = scheduled.archive()
    run1, run2 = (r["id"] for r in archive.runs())
    kinds1 = [e["kind"] for e in archive.events(run_id=run1)]
    assert kinds1.count("new") == sum(_expected_reports(web).values())
    assert kinds1.count("defaced") == 1
    events2 = archive.events(run_id=run2)
    assert [e["kind"] for e in events2] == ["revised"]
    assert events2[0]["url"] == web.revised_url
    assert events2[0]["detail"]["changed_cells"] == [web.revised_cell]


def test_status_prints_per_agency_health(scheduled: ScheduledRuns, web: Any,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert nianbao(["status", "--json", "--db", scheduled.db_url]) == 0
    rows = {r["agency"]: r for r in json.loads(capsys.readouterr().out)}
    expected = _expected_reports(web)
    assert set(rows) == set(expected) | {UNKNOWN}
    run2 = scheduled.archive().runs()[-1]
    bad = rows[UNKNOWN]
    assert bad["ok"] is False and bad["consecutive_failures"] == 2 and bad["last_success"] is None
    assert bad["errors"].get("http_502", 0) >= 1 and bad["reports_per_year"] == {}
    for agency, n in expected.items():
        row = rows[agency]
        assert row["ok"] is True and row["consecutive_failures"] == 0 and row["runs"] == 2
        assert row["last_success"] == run2["finished"]
        assert not row["robots_blocked"] and not row["budget_exhausted"]
        years = {t.year for t in web.reports if t.agency == agency}
        assert {int(y) for y in row["reports_per_year"]} == years
        assert sum(row["reports_per_year"].values()) == n

    assert nianbao(["status", "--db", scheduled.db_url]) == 0
    text = capsys.readouterr().out
    assert f"failing: {UNKNOWN}: http_502" in text
    assert "1 failing in their last run" in text
    assert nianbao(["status", "--fail-on-error", "--db", scheduled.db_url]) == 1


def test_budget_exhausted_shows_in_status(portal: Any, web: Any, tmp_path: Any,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.e2e.crawl import run_crawl
    from tests.ops.conftest import small_seeds

    seeds = small_seeds(web, tmp_path / "seeds.csv", unknown=False)
    db = f"sqlite:///{tmp_path / 'budget.db'}"
    result = run_crawl(portal.proxy_url, seeds, db, "NIANBAO_SITE_PAGE_BUDGET=2", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert nianbao(["status", "--json", "--db", db]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(SITES) and all(r["budget_exhausted"] and r["pages"] == 2 for r in rows), rows
    assert nianbao(["status", "--db", db]) == 0
    assert capsys.readouterr().out.count("exhausted") == len(SITES)


def test_health_over_many_runs() -> None:
    """Streaks, last success and robots refusals from stored run summaries (robots.txt refusals reach
    the spider's errback as IgnoreRequest: ``ignore_request``). The simulated web has no seed that
    robots.txt refuses without the spider refusing it first as a trap, so this one is built by hand."""
    from storage.status import agency_health

    def run(n: int, ok: bool, errors: dict[str, int]) -> dict[str, Any]:
        site = {"agency": "甲局", "ok": ok, "pages": 3, "budget_exhausted": False, "errors": errors}
        return {"id": n, "started": f"2026-01-0{n}T01:00:00Z", "finished": f"2026-01-0{n}T02:00:00Z",
                "stats": {"per_agency": [site]}}

    runs = [run(1, False, {"timeout": 1}), run(2, True, {}), run(3, False, {"http_503": 2}),
            run(4, False, {"ignore_request": 1})]
    reports = [{"seed_agency": "甲局", "year": 2021, "state": "live"}, {"seed_agency": "甲局", "year": 2021},
               {"seed_agency": "乙局", "year": 2020, "state": "defaced"}]
    rows = {r["agency"]: r for r in agency_health(runs, reports)}
    a = rows["甲局"]
    assert (a["runs"], a["last_run"], a["ok"], a["consecutive_failures"]) == (4, 4, False, 2)
    assert a["last_success"] == "2026-01-02T02:00:00Z" and a["robots_blocked"] is True
    assert a["reports_per_year"] == {2021: 2}
    b = rows["乙局"]  # archived reports but never in a stored run summary
    assert b["runs"] == 0 and b["ok"] is None and b["reports_by_state"] == {"defaced": 1}
    assert agency_health(runs[:2], [])[0]["robots_blocked"] is False


def test_progress_line_per_running_crawl(scheduled: ScheduledRuns) -> None:
    for result in scheduled.results:
        lines = [tuple(map(int, m.groups())) for m in PROGRESS.finditer(result.stderr)]
        assert len(lines) >= 2, result.stderr[-2000:]
        done, total, pages, reports = lines[-1]
        assert (done, total) == (len(SITES) + 1, len(SITES) + 1)
        assert pages > 0 and "(final)" in result.stderr
        # Figures only grow during a run.
        assert [x[3] for x in lines] == sorted(x[3] for x in lines)
    first_final = [m for m in PROGRESS.finditer(scheduled.results[0].stderr)][-1]
    assert int(first_final.group(4)) > 0
