"""Bad input for the operations commands: a corrupt or locked database, a full disk, a crawl on them.

Each: one clear message, a non-zero exit, and the stored archive exactly as it was.
"""

from __future__ import annotations

import hashlib
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import storage.db
from storage.cli import main as nianbao
from tests.e2e.crawl import REPO, crawl_env, run_crawl
from tests.ops.conftest import SITES, ScheduledRuns, small_seeds


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _content(path: Path) -> str:
    """Digest of every row (not the file bytes: opening an archive may switch it to WAL mode)."""
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8")).hexdigest()


def _copy(scheduled: ScheduledRuns, target: Path) -> Path:
    """A consistent single-file copy of the crawled archive (SQLite backup API, WAL folded in)."""
    source = scheduled.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    return target


def _intact(path: Path, reports: int) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM report").fetchone()[0] == reports


def _one_line(err: str, command: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"nianbao {command}: "), err
    return lines[0]


@pytest.fixture
def corrupt_db(tmp_path: Path) -> Path:
    path = tmp_path / "nianbao.db"
    path.write_bytes(b"SQLite format 2\x00" + bytes(range(256)) * 40)  # not a database
    return path


@pytest.mark.parametrize("command", [["status"], ["cells", "-o", "OUT"]])
def test_corrupt_database(corrupt_db: Path, tmp_path: Path, command: list[str],
                          capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(corrupt_db)
    argv = [str(tmp_path / "out.csv") if a == "OUT" else a for a in command]
    assert nianbao([*argv, "--db", f"sqlite:///{corrupt_db}"]) == 2
    line = _one_line(capsys.readouterr().err, command[0])
    assert "corrupt" in line
    assert _digest(corrupt_db) == before and not (tmp_path / "out.csv").exists()


def test_locked_database(scheduled: ScheduledRuns, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    """Another process holds an exclusive lock (rollback journal, as on a network filesystem)."""
    path = _copy(scheduled, tmp_path / "nianbao.db")
    reports = len(scheduled.archive().reports())
    before = _content(path)
    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", 300)  # wait 0.3 s, not 30 s, before giving up
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for command in (["status"], ["cells", "-o", str(tmp_path / "out.parquet")]):
            assert nianbao([*command, "--db", f"sqlite:///{path}"]) == 2
            assert "locked" in _one_line(capsys.readouterr().err, command[0])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not (tmp_path / "out.parquet").exists()
    _intact(path, reports)
    assert _content(path) == before


def _limit_file_size(limit: int) -> Any:
    def apply() -> None:  # in the child: writes past `limit` bytes fail with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_while_exporting(scheduled: ScheduledRuns, tmp_path: Path) -> None:
    db = _copy(scheduled, tmp_path / "nianbao.db")
    before = _content(db)
    out = tmp_path / "cells.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "storage.cli", "cells", "--format", "csv", "-o", str(out), "--db", f"sqlite:///{db}"],
        cwd=REPO, env={**crawl_env("http://127.0.0.1:9", f"sqlite:///{db}")}, capture_output=True, text=True,
        preexec_fn=_limit_file_size(64 * 1024), timeout=60, check=False,
    )
    assert proc.returncode == 2, proc.stderr
    line = _one_line(proc.stderr, "cells")
    assert "cannot write" in line and "too large" in line.lower()
    assert not out.exists() and not list(tmp_path.glob("cells.csv*")), "a partial export was left behind"
    assert _content(db) == before


def test_crawl_on_a_corrupt_database(portal: Any, web: Any, corrupt_db: Path, tmp_path: Path) -> None:
    before = _digest(corrupt_db)
    result = run_crawl(portal.proxy_url, small_seeds(web, tmp_path / "seeds.csv"), f"sqlite:///{corrupt_db}",
                       timeout=60)
    assert _digest(corrupt_db) == before
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert sum("corrupt" in line for line in result.stderr.splitlines()) == 1


def test_crawl_on_a_full_disk(portal: Any, web: Any, tmp_path: Path) -> None:
    from storage.archive import Archive

    db = tmp_path / "nianbao.db"
    Archive.from_url(f"sqlite:///{db}").engine.dispose()
    # No JavaScript list: Chromium needs disk too, and its failure would hide the archive's.
    seeds = small_seeds(web, tmp_path / "seeds.csv", unknown=False, sites=(SITES[0], SITES[2]))
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}"],
        cwd=REPO, env=crawl_env(portal.proxy_url, f"sqlite:///{db}"), capture_output=True, text=True,
        encoding="utf-8", errors="replace", preexec_fn=_limit_file_size(db.stat().st_size + 200_000),
        timeout=120, check=False,
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert sum("disk is full" in line or "too large" in line.lower() for line in proc.stderr.splitlines()) == 1


def test_distributed_crawl_with_redis_down(portal: Any, web: Any, tmp_path: Path) -> None:
    """settings.distributed with nothing listening at REDIS_URL: one line, status 2, no fetch."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = tmp_path / "nianbao.db"
    portal.reset_log()
    result = run_crawl(portal.proxy_url, small_seeds(web, tmp_path / "seeds.csv"), f"sqlite:///{db}",
                       f"REDIS_URL=redis://127.0.0.1:{port}/0", settings_module="settings.distributed", timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert sum("unreachable" in line and f":{port}" in line for line in result.stderr.splitlines()) == 1
    assert not [r for r in portal.requests if r.method != "CONNECT"]


def test_crawl_of_an_unknown_spider(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "nosuch"], cwd=REPO,
                          env=crawl_env("http://127.0.0.1:9", f"sqlite:///{tmp_path / 'n.db'}"),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert sum("no spider named 'nosuch'" in line for line in proc.stderr.splitlines()) == 1
