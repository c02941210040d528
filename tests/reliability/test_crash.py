"""Crash safety: ``kill -9`` of a whole crawl (Scrapy and its Chromium) at seeded random points.

After every kill the SQLite archive passes ``PRAGMA integrity_check``, still holds every row that
was committed before the kill, and the next run resumes; after the loop one uninterrupted run
finds every report of the simulated web (recall 1.0) without duplicating any. The reference crawl
also measures the peak memory of a full crawl, browser included.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from storage.archive import Archive
from tests.reliability.harness import LONG, Crawl, CrawlRun, budget, write_result

pytestmark = pytest.mark.e2e

SEED = 20261122
KILLS = budget(4, 20)
MODES = ("write", "browser", "time")
MEMORY_LIMIT = 500 * 1024 * 1024
# The kill loop crawls these sites in ``make test`` (a JavaScript list for the browser kills, a TRS
# list with a slow page, PDF-only and DOCX-only reports); the long mode crawls the whole web.
SUBSET = ("hrss.jl.gov.cn", "rsj.laoshan.gov.cn", "rsj.bjdch.gov.cn", "jyj.cdwh.gov.cn")


@dataclass
class Reference:
    run: CrawlRun
    fetches: int
    stats: dict[str, Any]


@dataclass
class Expected:
    """What an uninterrupted run of the kill loop's seeds costs, estimated from the reference."""

    seconds: float
    fetches: int


def _db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def _committed(path: Path) -> dict[str, set[int]]:
    """Primary keys visible to a reader right now: what a crash must not take back."""
    if not path.exists():
        return {}
    conn = _db(path)
    try:
        return {t: {r[0] for r in conn.execute(f"SELECT id FROM {t}")}  # noqa: S608 - fixed names
                for t in ("fetch", "report", "report_version", "sighting")}
    except sqlite3.OperationalError:  # schema not created yet: nothing committed
        return {}
    finally:
        conn.close()


def _last_run(path: Path) -> int:
    if not path.exists():
        return 0
    conn = _db(path)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM crawl_run").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _run_fetches(path: Path, after_run: int = 0) -> int:
    """Fetch rows written by runs newer than ``after_run``."""
    if not path.exists():
        return 0
    conn = _db(path)
    try:
        return int(conn.execute("SELECT count(*) FROM fetch WHERE run_id > ?", (after_run,)).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(portal: Any, web: Any, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """One uninterrupted crawl of the whole simulated web into a fresh archive."""
    portal.set_revision(False)
    tmp = tmp_path_factory.mktemp("reference")
    seeds = tmp / "seeds.csv"
    seeds.write_text(web.seeds_csv(), encoding="utf-8")
    db = tmp / "ref.db"
    run = Crawl(portal.proxy_url, seeds, f"sqlite:///{db}").run(tmp / "crawl.log")
    assert run.returncode == 0, run.stderr[-3000:]
    stats = Archive.from_url(f"sqlite:///{db}").runs()[-1]["stats"]
    return Reference(run, _run_fetches(db), stats)


def test_peak_memory_of_a_full_crawl_with_browser(reference: Reference) -> None:
    write_result("memory", {
        "crawl_seconds": round(reference.run.seconds, 1),
        "peak_tree_pss_mb": reference.run.peak_pss >> 20,
        "peak_tree_rss_sum_mb": reference.run.peak_rss_sum >> 20,
        "peak_scrapy_rss_mb": reference.run.peak_main_rss >> 20,
        "max_child_processes": reference.run.max_children,
        "browser_pages": reference.stats["browser_pages"],
        "limit_mb": MEMORY_LIMIT >> 20,
    })
    assert reference.stats["browser_pages"] >= 1  # the browser really ran
    assert reference.run.max_children >= 1
    assert reference.run.peak_pss < MEMORY_LIMIT, reference.run.peak_pss >> 20


def _killer(mode: str, rng: random.Random, db: Path, portal: Any, ref: Expected,
            snapshot: dict[str, Any]) -> Callable[[psutil.Process, float], bool]:
    """When to pull the plug: after the k-th fetch row (mid-writes), while Chromium renders the
    JavaScript list (its second request for a page), or at a random moment of the run."""
    target_fetches = rng.randint(1, max(2, int(ref.fetches * 0.9)))
    # a resumed run is quicker than the fresh reference (most answers are 304s): kill in its first half
    at = rng.uniform(max(1.0, ref.seconds * 0.1), max(2.5, ref.seconds * 0.5))
    baseline = _last_run(db)
    browser_lag = rng.uniform(0.0, 0.5)
    seen: dict[str, float] = {}
    snapshot["plan"] = {"write": f"fetch #{target_fetches}", "browser": f"browser page +{browser_lag:.2f}s",
                        "time": f"t={at:.1f}s"}[mode]

    def now(_proc: psutil.Process, elapsed: float) -> bool:
        fire = False
        if mode == "time":
            fire = elapsed >= at
        elif mode == "write":
            fire = _run_fetches(db, baseline) >= target_fetches
        else:
            twice = [p for p, n in Counter((r.host, r.path) for r in portal.requests).items() if n > 1]
            if twice and "t" not in seen:
                seen["t"] = elapsed
            fire = "t" in seen and elapsed >= seen["t"] + browser_lag
        if fire:
            snapshot["rows"] = _committed(db)
            snapshot["at"] = round(elapsed, 2)
        return fire

    return now


@pytest.mark.timeout(budget(280, 1800))
def test_kill_minus_nine_loses_nothing_and_the_next_run_completes(
    reference: Reference, portal: Any, web: Any, tmp_path: Path
) -> None:
    portal.set_revision(False)
    lines = web.seeds_csv().splitlines()
    chosen = lines[1:] if LONG else [line for line in lines[1:] if any(f"//{h}/" in line for h in SUBSET)]
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("\n".join([lines[0], *chosen]) + "\n", encoding="utf-8")
    agencies = {line.split(",", 1)[0] for line in chosen}
    truth = [t for t in web.reports if t.agency in agencies]
    sites = [a for a in reference.stats["per_agency"] if a["agency"] in agencies]
    share = sum(a["pages"] for a in sites) / max(1, sum(a["pages"] for a in reference.stats["per_agency"]))
    expected = Expected(reference.run.seconds * max(share, 0.25), max(2, int(reference.fetches * share)))
    db = tmp_path / "crash.db"
    crawl = Crawl(portal.proxy_url, seeds, f"sqlite:///{db}")
    rng = random.Random(SEED)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for i in range(KILLS):
        mode = MODES[i % len(MODES)]
        snapshot: dict[str, Any] = {}
        portal.reset_log()
        run = crawl.run(tmp_path / f"kill{i}.log", kill_when=_killer(mode, rng, db, portal, expected, snapshot))
        row: dict[str, Any] = {"kill": i, "mode": mode, "plan": snapshot.get("plan"), "killed": run.killed,
                               "at_s": snapshot.get("at"), "peak_tree_pss_mb": run.peak_pss >> 20}
        if db.exists():
            conn = _db(db)
            try:
                row["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
                row["foreign_key_violations"] = len(conn.execute("PRAGMA foreign_key_check").fetchall())
            finally:
                conn.close()
            after = _committed(db)
            lost = {t: sorted(ids - after.get(t, set()))[:5] for t, ids in snapshot.get("rows", {}).items()
                    if ids - after.get(t, set())}
            row["rows_before_kill"] = {t: len(ids) for t, ids in snapshot.get("rows", {}).items()}
            row["lost"] = lost
            if row["integrity"] != "ok" or row["foreign_key_violations"] or lost:
                problems.append(f"kill {i}: {row}")
            Archive.from_url(f"sqlite:///{db}").reports()  # the archive opens and answers
        rows.append(row)
        write_result("crash", {"kills": KILLS, "seed": SEED, "rows": rows, "problems": problems, "partial": True})
    portal.reset_log()
    final = crawl.run(tmp_path / "final.log")
    archive = Archive.from_url(f"sqlite:///{db}")
    archived = archive.reports()
    urls = {u for r in archived for u in r["urls"]}
    found = sum(any(u in urls for u in t.urls) for t in truth)
    identities = Counter((r["agency"], r["year"]) for r in archived)
    result = {
        "kills": KILLS, "seed": SEED, "rows": rows, "final_returncode": final.returncode,
        "final_seconds": round(final.seconds, 1), "sites": len(agencies), "reports_true": len(truth),
        "reports_found": found,
        "reports_archived": len(archived), "duplicates": [list(k) for k, n in identities.items() if n > 1],
        "killed_runs": sum(r["killed"] for r in rows), "problems": problems,
    }
    write_result("crash", result)
    assert not problems, problems
    # a kill point may fall after a fast run's end (that run then simply completes): most must land
    assert sum(r["killed"] for r in rows) >= max(1, 3 * KILLS // 4)
    assert final.returncode == 0, final.stderr[-3000:]
    assert found == len(truth), "recall after the follow-up run is below 1.0"
    assert len(archived) == len(truth), result["duplicates"]
