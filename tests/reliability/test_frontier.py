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

from crawler.handoff import KEY, Hop, LinkKind
from pipelines.frontier import JOURNAL, Journal
from spiders.reports import ReportsSpider
from storage.archive import Archive
from tests.e2e.crawl import REPO, crawl_env
from tests.reliability.harness import budget

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
    request = scrapy.Request(url, callback=spider.parse_page, meta={KEY: Hop(agency, LinkKind.NAV)})
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


_WRITER = """
import sys
from pathlib import Path
from pipelines.frontier import Journal
journal = Journal(Path(sys.argv[1]))
start = int(sys.argv[2])
for batch in range(start, start + 100000):
    rows = [(f"{batch}-{k}", f"http://x.gov.cn/{batch}/{k}", bytes(2000 + k), batch) for k in range(50)]
    journal.write(rows, [f"{batch - 1}-{k}" for k in range(50)])
    print(batch, flush=True)
"""


def test_a_kill_mid_write_never_tears_the_journal(tmp_path: Path) -> None:
    """A writer of 50-row batches (pushes and the previous batch's pops, one transaction each),
    killed with SIGKILL at seeded moments while it writes (5 times; 20 in ``make fuzz``): every batch is there whole or not at
    all, and every batch it reported committed is there."""
    import random

    path = tmp_path / JOURNAL
    rng = random.Random(20261207)
    start = 0
    for _ in range(budget(5, 20)):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(start)], cwd=REPO,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        target, last = rng.randint(1, 40), start - 1
        for line in proc.stdout:
            last = int(line)
            if last - start >= target:
                break
        proc.kill()  # mid-way through the next batch's transaction, most likely
        proc.wait()
        journal, problem = Journal.open(path)
        try:
            assert problem == ""
            assert journal.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            sizes = dict(journal.conn.execute("SELECT run_id, count(*) FROM request GROUP BY run_id"))
            assert all(n == 50 for n in sizes.values()), sizes  # no torn batch
            assert all(b in sizes for b in range(start, last + 1))  # nothing committed was lost
            done = dict(journal.conn.execute("SELECT run_id, sum(done) FROM request GROUP BY run_id"))
            newest = max(sizes)
            assert all(done[b] == (50 if b < newest else 0) for b in sizes), done  # pops landed with their batch
            start = newest + 1
        finally:
            journal.close()
