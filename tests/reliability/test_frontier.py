"""The job journal's own parts: a pending request nothing re-derives is issued from the journal,
and a journal that is not SQLite is set aside (the frontier is then re-derived whole).

The kill loop (test_resume_kills.py) shows the common case, where the re-derived crawl asks for
every pending request again; here the journal holds one it never asks for.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import scrapy

from pipelines.frontier import JOURNAL, Journal
from spiders.reports import ReportsSpider
from storage.archive import Archive
from tests.e2e.crawl import REPO, crawl_env

pytestmark = pytest.mark.e2e

SITE = "rsj.laoshan.gov.cn"


def _job_crawl(proxy: str, seeds: Path, db: Path, jobs: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}", "--job", "j",
                           "-s", f"NIANBAO_JOBS_DIR={jobs}"], cwd=REPO, env=crawl_env(proxy, f"sqlite:///{db}"),
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=180, check=False)


def _seeds(web: Any, path: Path) -> tuple[Path, str]:
    lines = web.seeds_csv().splitlines()
    row = next(x for x in lines[1:] if f"//{SITE}/" in x)
    path.write_text(f"{lines[0]}\n{row}\n", encoding="utf-8")
    return path, row.split(",", 1)[0]


def test_a_pending_request_nothing_rederives_is_issued_from_the_journal(portal: Any, web: Any, tmp_path: Path) -> None:
    seeds, agency = _seeds(web, tmp_path / "seeds.csv")
    db, jobs = tmp_path / "a.db", tmp_path / "jobs"
    run_id = Archive.from_url(f"sqlite:///{db}").start_run({"spider": "reports"})  # the "crashed" run
    (jobs / "j").mkdir(parents=True)
    journal = Journal(jobs / "j" / JOURNAL)
    journal.same_archive(f"sqlite:///{db}")
    journal.begin_run(run_id)
    spider = ReportsSpider()
    url = f"http://{SITE}/?from=journal"  # linked from nowhere: only the journal knows it
    request = scrapy.Request(url, callback=spider.parse_page, meta={"site": agency, "kind": "nav", "depth_": 0})
    journal.write([("fp-from-the-journal", url, pickle.dumps(request.to_dict(spider=spider), protocol=4), run_id)], [])
    journal.close()
    portal.reset_log()
    result = _job_crawl(portal.proxy_url, seeds, db, jobs)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("job j:"))
    assert f"resumed after run {run_id} (crashed)" in line and "1 pending requests kept in the journal" in line
    assert "0 of them re-derived from the seeds, 1 re-issued from the journal" in line, line
    assert (SITE, "/?from=journal") in {(r.host, r.path) for r in portal.requests}


def test_a_journal_that_is_not_sqlite_is_set_aside(portal: Any, web: Any, tmp_path: Path) -> None:
    seeds, _ = _seeds(web, tmp_path / "seeds.csv")
    db, jobs = tmp_path / "a.db", tmp_path / "jobs"
    (jobs / "j").mkdir(parents=True)
    (jobs / "j" / JOURNAL).write_bytes(b"torn" * 1000)
    result = _job_crawl(portal.proxy_url, seeds, db, jobs)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    warnings = [x for x in result.stderr.splitlines() if "unreadable" in x]
    assert len(warnings) == 1 and "re-deriving the whole frontier" in warnings[0], warnings
    assert "job j: began fresh, finished" in result.stdout
    assert len(Archive.from_url(f"sqlite:///{db}").reports()) > 0
