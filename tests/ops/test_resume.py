"""Scheduled runs are resumable: a crawl stopped by SIGINT continues from its job journal.

Also: the requests the journal keeps (with a Capture in their meta) pickle, a finished job clears
its folder, and an unusable job folder stops the run before anything is fetched. (``kill -9``:
tests/reliability/test_resume_kills.py.)
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.model import Capture
from storage.archive import Archive
from tests.e2e.crawl import REPO, crawl_env, run_crawl
from tests.ops.conftest import SITES, small_seeds


def _cmd(seeds: Path, jobs: Path, *settings: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}", "--job", "nightly",
           "-s", f"NIANBAO_JOBS_DIR={jobs}", "-s", "NIANBAO_PROGRESS_INTERVAL=0.5"]
    for kv in settings:
        cmd += ["-s", kv]
    return cmd


def _interrupt_after_first_report(cmd: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Start the crawl, send SIGINT once a progress line counts a report, return (status, stderr)."""
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, encoding="utf-8", errors="replace")
    killer = threading.Timer(120, proc.kill)  # never hang the suite
    killer.start()
    lines: list[str] = []
    try:
        assert proc.stderr is not None
        sent = False
        for line in proc.stderr:
            lines.append(line)
            if not sent and "progress:" in line and " 0 reports so far" not in line:
                proc.send_signal(signal.SIGINT)
                sent = True
        assert proc.stdout is not None
        out = proc.stdout.read()
        proc.wait()
    finally:
        killer.cancel()
    return proc.returncode, "".join(lines) + "\nSTDOUT:\n" + out


@dataclass
class Resumed:
    first_status: int
    first: str  # stderr (then stdout) of the interrupted run
    second: subprocess.CompletedProcess[str]
    db_url: str
    jobs: Path
    expected: set[tuple[str, int]]
    archived_first: int


@pytest.fixture(scope="module")
def resumed(portal: Any, web: Any, tmp_path_factory: pytest.TempPathFactory) -> Resumed:
    tmp = tmp_path_factory.mktemp("resume")
    portal.set_revision(False)
    sites = (SITES[0], SITES[2])  # no JavaScript list: no Chromium start-up in this test
    seeds = small_seeds(web, tmp / "seeds.csv", unknown=False, sites=sites)
    jobs = tmp / "jobs"
    db_url = f"sqlite:///{tmp / 'nianbao.db'}"
    env = crawl_env(portal.proxy_url, db_url)
    # Slow enough (one request per host every 0.4 s) that SIGINT lands mid-crawl.
    first_status, first = _interrupt_after_first_report(_cmd(seeds, jobs, "DOWNLOAD_DELAY=0.4"), env)
    archived_first = len(Archive.from_url(db_url).reports())
    queue_kept = (jobs / "nightly" / "frontier.sqlite").is_file()
    second = subprocess.run(_cmd(seeds, jobs), cwd=REPO, env=env, capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=180, check=False)
    assert queue_kept, "the interrupted job kept no queue"
    expected = {(t.agency, t.year) for t in web.reports if any(f"//{s}/" in t.urls[0] for s in sites)}
    return Resumed(first_status, first, second, db_url, jobs, expected, archived_first)


def test_interrupted_run_stops_cleanly_and_says_so(resumed: Resumed) -> None:
    assert "Traceback" not in resumed.first, resumed.first[-3000:]
    assert "Received SIGINT" in resumed.first
    # not "2/2 ok": the summary (on stdout too) says the run was interrupted, and the status is 1
    stdout = resumed.first.split("STDOUT:\n", 1)[1]
    assert "run interrupted before its end" in stdout and "exit status: 1 (interrupted: shutdown)" in stdout
    assert resumed.first_status == 1
    assert "job nightly: began fresh, interrupted" in stdout
    assert 0 < resumed.archived_first < len(resumed.expected)


def test_resume_finishes_the_job_without_duplicates(resumed: Resumed) -> None:
    assert "Traceback" not in resumed.second.stderr, resumed.second.stderr[-3000:]
    assert "job nightly: resumed after run 1 (interrupted), finished" in resumed.second.stdout
    archive = Archive.from_url(resumed.db_url)
    assert {(r["seed_agency"], r["year"]) for r in archive.reports()} == resumed.expected
    assert sum(r["versions"] for r in archive.reports()) == len(resumed.expected)  # nothing archived twice
    assert [r["stats"]["finish_reason"] for r in archive.runs()] == ["shutdown", "finished"]
    assert not (resumed.jobs / "nightly").exists(), "a finished job must clear its queue for the next cron run"


def test_resumed_run_keeps_agency_outcomes(resumed: Resumed) -> None:
    # The agencies whose home pages were fetched before SIGINT are not "failed" after the resume.
    runs = Archive.from_url(resumed.db_url).runs()
    assert runs[-1]["stats"]["agencies"]["failed"] == []
    assert resumed.second.returncode == 0


def test_queued_capture_pickles() -> None:
    """Requests kept in the job journal carry a Capture (``parent_capture``): it must pickle."""
    capture = Capture(url="http://rsj.example.gov.cn/nb.html", final_url="http://rsj.example.gov.cn/nb.html",
                      status=200, headers={"Content-Type": "text/html"}, body="年度报告".encode(),
                      agency="某局", seed_url="http://rsj.example.gov.cn/", fetched_at="2026-01-01T00:00:00+00:00",
                      kind="report")
    again = pickle.loads(pickle.dumps(capture, protocol=4))
    assert again == capture


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere: a read-only folder is not unwritable")
def test_unwritable_jobdir_stops_before_crawling(portal: Any, web: Any, tmp_path: Path) -> None:
    _unwritable_case(portal, web, tmp_path, make_readonly=True)


def test_jobdir_that_is_a_file_stops_before_crawling(portal: Any, web: Any, tmp_path: Path) -> None:
    _unwritable_case(portal, web, tmp_path, make_readonly=False)


def _unwritable_case(portal: Any, web: Any, tmp_path: Path, make_readonly: bool) -> None:
    seeds = small_seeds(web, tmp_path / "seeds.csv")
    jobs = tmp_path / "jobs"
    if make_readonly:
        jobs.mkdir()
        jobs.chmod(0o500)
    else:
        jobs.write_text("not a folder", encoding="utf-8")  # ENOTDIR, even for root
    db_path = tmp_path / "nianbao.db"
    Archive.from_url(f"sqlite:///{db_path}")
    before = db_path.read_bytes()
    result = run_crawl(portal.proxy_url, seeds, f"sqlite:///{db_path}", f"NIANBAO_JOBS_DIR={jobs}",
                       "JOBDIR=" + str(jobs / "nightly"), timeout=60)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "cannot use JOBDIR" in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before  # no run row, nothing written
