"""A ``--job`` crawl survives ``kill -9``: killed at seeded random moments, each time resumed, it
ends with the archive an uninterrupted crawl makes.

Kill points: while the job's journal is being written (its k-th request row), after the k-th
fetch row of the archive, while Chromium renders the JavaScript list, and at a random time. Every
run after a kill is a resume of the same job (and may itself be killed); one last run finishes it.
Then reports, versions and sources equal those of an uninterrupted crawl of the same sites, no
log holds a traceback, and the last summary says how the run began and what it recovered.
``make test`` kills 5 times; ``make fuzz`` (NIANBAO_FUZZ_LONG=1) 20 times.
"""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.e2e.crawl import REPO, crawl_env
from tests.reliability.harness import Crawl, budget, write_result

pytestmark = pytest.mark.e2e

SEED = 20261207
KILLS = budget(5, 20)
MODES = ("journal", "browser", "write", "time")
# a JavaScript list (browser kills), TRS lists, PDF- and DOCX-only reports
SITES = ("hrss.jl.gov.cn", "rsj.laoshan.gov.cn", "rsj.bjdch.gov.cn", "jyj.cdwh.gov.cn")
JOB = "nightly"
# requests journalled by runs newer than the one given (the run now going, once it has begun)
_NEWER_ROWS = "SELECT count(*) FROM request WHERE run_id > {run}"


class JobCrawl(Crawl):
    """``scrapy crawl reports --job nightly`` (the jobs folder given by the test)."""

    def start(self, log_path: Path) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={self.seeds}", "--job", JOB]
        for kv in self.settings:
            cmd += ["-s", kv]
        env = crawl_env(self.proxy_url, self.db_url, self.settings_module)
        with open(log_path, "wb") as log:
            return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)


def archive_shape(path: Path) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Per report (agency, year, publisher; the URL when the year is unknown): its state, its
    source URL, its versions (n, URL, text digest, flagged) and the URLs it was seen at."""
    conn = sqlite3.connect(path)
    try:
        out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        rows = conn.execute("SELECT r.id, a.name, r.year, r.publisher, r.state, r.source_url, r.canonical_url "
                            "FROM report r JOIN agency a ON a.id = r.agency_id").fetchall()
        for rid, agency, year, publisher, state, source, canonical in rows:
            versions = tuple(conn.execute("SELECT n, url, text_sha256, flagged FROM report_version "
                                          "WHERE report_id = ? ORDER BY n", (rid,)))
            seen = tuple(sorted(r[0] for r in conn.execute("SELECT url FROM sighting WHERE report_id = ?", (rid,))))
            out[(agency, year, publisher, canonical if year is None else "")] = (state, source, versions, seen)
        return out
    finally:
        conn.close()


def _count(path: Path, sql: str) -> int:
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _killer(mode: str, rng: random.Random, db: Path, journal: Path, portal: Any, seconds: float,
            fetches: int, plan: dict[str, Any]) -> Callable[[psutil.Process, float], bool]:
    base_fetch = _count(db, "SELECT count(*) FROM fetch")
    base_run = _count(journal, "SELECT coalesce(max(run_id), 0) FROM run")
    target = rng.randint(1, max(2, int(fetches * 0.8)))
    at = rng.uniform(2.0, max(3.0, seconds * 0.8))
    lag = rng.uniform(0.0, 0.4)
    seen: dict[str, float] = {}
    plan["plan"] = {"journal": f"journal row #{target}", "write": f"fetch #{target}",
                    "browser": f"browser page +{lag:.2f}s", "time": f"t={at:.1f}s"}[mode]

    def now(_proc: psutil.Process, elapsed: float) -> bool:
        if mode == "time":
            fire = elapsed >= at
        elif mode == "write":
            fire = _count(db, "SELECT count(*) FROM fetch") - base_fetch >= target
        elif mode == "journal":
            fire = _count(journal, _NEWER_ROWS.format(run=base_run)) >= target
        else:
            twice = [p for p, n in Counter((r.host, r.path) for r in portal.requests).items() if n > 1]
            if twice and "t" not in seen:
                seen["t"] = elapsed
            fire = "t" in seen and elapsed >= seen["t"] + lag
        if fire:
            plan["at_s"] = round(elapsed, 2)
        return fire

    return now


@pytest.mark.timeout(budget(240, 1200))
def test_kill_minus_nine_then_resume_makes_the_uninterrupted_archive(portal: Any, web: Any, tmp_path: Path) -> None:
    portal.set_revision(False)
    lines = web.seeds_csv().splitlines()
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("\n".join([lines[0], *(x for x in lines[1:] if any(f"//{h}/" in x for h in SITES))]) + "\n",
                     encoding="utf-8")
    jobs = tmp_path / "jobs"
    settings = [f"NIANBAO_JOBS_DIR={jobs}"]
    ref_db = tmp_path / "reference.db"
    reference = JobCrawl(portal.proxy_url, seeds, f"sqlite:///{ref_db}", settings=settings).run(tmp_path / "ref.log")
    assert reference.returncode == 0, reference.stderr[-3000:]
    assert "job nightly: began fresh, finished" in reference.stderr
    expected = archive_shape(ref_db)
    ref_fetches = _count(ref_db, "SELECT count(*) FROM fetch")
    assert not jobs.joinpath(JOB).exists()

    db = tmp_path / "killed.db"
    journal = jobs / JOB / "frontier.sqlite"
    crawl = JobCrawl(portal.proxy_url, seeds, f"sqlite:///{db}", settings=settings)
    rng = random.Random(SEED)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for i in range(KILLS):
        mode = MODES[i % len(MODES)]
        plan: dict[str, Any] = {}
        portal.reset_log()
        run = crawl.run(tmp_path / f"kill{i}.log", kill_when=_killer(mode, rng, db, journal, portal,
                                                                    reference.seconds, ref_fetches, plan))
        kept = re.search(r"resuming after run \d+ \((\w+)\); (\d+) pending requests kept in the journal, (\d+) answered",
                         run.stderr)
        row = {"kill": i, "mode": mode, "plan": plan.get("plan"), "at_s": plan.get("at_s"), "killed": run.killed,
               "began": "resumed" if kept else ("fresh" if "Spider opened" in run.stderr else "killed before it began"),
               "job_kept": journal.exists(),
               "previous": kept.group(1) if kept else "", "pending_kept": int(kept.group(2)) if kept else 0,
               "answered_before": int(kept.group(3)) if kept else 0,
               "reports_after": _count(db, "SELECT count(*) FROM report"),
               "journal_rows": _count(journal, "SELECT count(*) FROM request")}
        if "Traceback" in run.stderr:
            problems.append(f"kill {i}: traceback in the log")
        if i and rows[-1]["killed"] and rows[-1]["job_kept"] and row["began"] == "fresh":
            problems.append(f"kill {i}: the run after a kill did not resume the job")
        rows.append(row)
        write_result("resume", {"kills": KILLS, "seed": SEED, "rows": rows, "problems": problems, "partial": True})
    portal.reset_log()
    final = crawl.run(tmp_path / "final.log")
    got = archive_shape(db)
    summary = [line for line in final.stderr.splitlines() if line.startswith("job nightly:")]
    # the summaries of runs that resumed a killed run and finished it (the final run, or one that beat its kill)
    recovered = [*dict.fromkeys(line for log in (*(tmp_path / f"kill{i}.log" for i in range(KILLS)), tmp_path / "final.log")
                 for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                 if line.startswith("job nightly: resumed after run") and "(crashed), finished" in line)]
    missing = sorted(str(k) for k in expected.keys() - got.keys())
    extra = sorted(str(k) for k in got.keys() - expected.keys())
    differing = sorted(str(k) for k in expected.keys() & got.keys() if expected[k] != got[k])
    result = {
        "kills": KILLS, "seed": SEED, "rows": rows, "problems": problems, "sites": len(SITES),
        "reference_seconds": round(reference.seconds, 1), "reports_expected": len(expected),
        "reports_final": len(got), "missing": missing[:10], "extra": extra[:10], "differing": differing[:10],
        "final_returncode": final.returncode, "final_summary": summary[-1] if summary else "",
        "killed_runs": sum(r["killed"] for r in rows), "recovery_summaries": recovered,
    }
    write_result("resume", result)
    assert not problems, problems
    assert sum(r["killed"] for r in rows) >= max(1, 3 * KILLS // 4)
    assert final.returncode == 0, final.stderr[-3000:]
    assert "Traceback" not in final.stderr
    if rows[-1]["killed"]:
        assert summary and "resumed after run" in summary[-1] and "(crashed)" in summary[-1], summary
    assert recovered and all("answered from the fetch log" in line for line in recovered), recovered
    assert not missing and not extra and not differing, result
    assert not jobs.joinpath(JOB).exists(), "a finished job clears its journal"
