"""What an operator sees: a run with no network, two crawls on one archive, the summary on stdout.

- No network at all (the proxy refuses every connection): exit status 3, the summary on stdout
  even with ``-L WARNING``, one log line per host and reason, no traceback (robots.txt included).
- A second crawl of an SQLite archive a crawl is writing: refused in one line, status 2, nothing
  written; the same for PostgreSQL and one seed list (an advisory lock), while another seed list
  may crawl the same archive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from storage.archive import Archive
from storage.db import crawl_lock
from tests.e2e.crawl import REPO, crawl_env
from tests.pg import pg_schema

pytestmark = pytest.mark.e2e

SITES = ("rsj.laoshan.gov.cn", "hrss.jl.gov.cn", "jyj.cdwh.gov.cn")


def _seeds(web: Any, path: Path) -> Path:
    lines = web.seeds_csv().splitlines()
    path.write_text("\n".join([lines[0], *(x for x in lines[1:] if any(f"//{h}/" in x for h in SITES))]) + "\n",
                    encoding="utf-8")
    return path


def _crawl(proxy: str, seeds: Path, db_url: str, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}", *extra],
                          cwd=REPO, env=crawl_env(proxy, db_url), capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, check=False)


def test_no_network_exits_3_with_one_line_per_host_and_the_summary_on_stdout(web: Any, tmp_path: Path) -> None:
    seeds = _seeds(web, tmp_path / "seeds.csv")
    # a proxy port nobody listens on: every connection, robots.txt first, is refused
    result = _crawl("http://127.0.0.1:9", seeds, f"sqlite:///{tmp_path / 'a.db'}", "-L", "WARNING",
                    "-s", "RETRY_TIMES=1")
    assert result.returncode == 3, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "agencies: 0/3 ok" in result.stdout and "exit status: 3" in result.stdout, result.stdout
    lines = [x for x in result.stderr.splitlines() if " WARNING: " in x or " ERROR: " in x]
    # per host: its robots.txt, its home page given up, its failed fetch (each said once)
    robots = [x for x in lines if "robots.txt unreachable" in x]
    assert len(robots) == len(SITES), robots
    assert len(lines) <= 4 * len(SITES), "\n".join(lines)


def test_second_crawl_of_an_sqlite_archive_being_written_is_refused(portal: Any, web: Any, tmp_path: Path) -> None:
    seeds = _seeds(web, tmp_path / "seeds.csv")
    db = tmp_path / "a.db"
    env = crawl_env(portal.proxy_url, f"sqlite:///{db}")
    first = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}",
                              "-s", "DOWNLOAD_DELAY=2"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
                             start_new_session=True)
    try:
        assert first.stderr is not None
        for line in first.stderr:  # wait until the first crawl holds the archive and fetches
            if "Spider opened" in line:
                break
        second = _crawl(portal.proxy_url, seeds, f"sqlite:///{db}", timeout=60)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the crawl and its reading process: the lock goes with them
        first.communicate(timeout=60)
    errors = [x for x in second.stderr.splitlines() if " ERROR: " in x]
    assert second.returncode == 2, second.stderr[-2000:]
    assert len(errors) == 1 and "being written by another crawl" in errors[0] and str(db) in errors[0], errors
    assert "Traceback" not in second.stderr
    runs = Archive.from_url(f"sqlite:///{db}").runs()
    assert len(runs) == 1  # the refused crawl wrote no run row


def test_postgresql_advisory_lock_is_per_archive_and_seed_list(pg_url: str, tmp_path: Path) -> None:
    with pg_schema(pg_url, prefix="nb_lock") as url:
        one, two = Archive.from_url(url), Archive.from_url(url)
        held, problem = crawl_lock(one.engine, str(tmp_path / "a.csv"))
        try:
            assert problem is None
            refused, why = crawl_lock(two.engine, str(tmp_path / "a.csv"))
            assert why is not None and "being written by another crawl" in why and "a.csv" in why
            refused.close()
            other, none = crawl_lock(two.engine, str(tmp_path / "b.csv"))  # another seed list: allowed
            assert none is None
            other.close()
        finally:
            held.close()
        again, ok = crawl_lock(two.engine, str(tmp_path / "a.csv"))  # released: free again
        assert ok is None
        again.close()
        one.engine.dispose()
        two.engine.dispose()
