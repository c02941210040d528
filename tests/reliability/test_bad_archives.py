"""Every archive command, and the crawl, on an archive it cannot use; every file reader on
something that is not a document: one line on stderr naming the archive (or file) and the
problem, exit status 2, no traceback. The table goes to RELIABILITY.md (``bad_input.json``).

Archives: missing, read-only (an SQLite URI opened ``mode=ro``: the tests run as root, for whom a
file's mode bits mean nothing), damaged header (the first 100 bytes overwritten), damaged middle
pages (the root page of every table overwritten, page 1 intact), PostgreSQL unreachable (a
closed port), an unsupported URL (``mysql://``). A command that only reads may use a read-only
archive: there status 0 with its normal output is the right answer too, and is what happens.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest

from storage.cli import main as nianbao
from tests.e2e.crawl import REPO, crawl_env
from tests.reliability.harness import write_result

pytestmark = pytest.mark.e2e

SITE = "rsj.laoshan.gov.cn"
# (name, arguments after the command; {out} is a file path in the test's folder)
COMMANDS: list[tuple[str, list[str]]] = [
    ("reports", []), ("runs", []), ("versions", ["1"]), ("diff", ["1"]), ("coverage", []), ("events", []),
    ("export", ["--format", "jsonl", "-o", "{out}.jsonl"]), ("status", []),
    ("cells", ["--format", "csv", "-o", "{out}.csv"]),
]
CASES = ("missing", "read-only", "damaged header", "damaged middle pages", "PostgreSQL unreachable",
         "unsupported URL")
READERS = ("extract", "parse")
FILES = ("empty", "random bytes", "truncated PDF", "truncated DOCX", "truncated XLSX")
FIXTURES = REPO / "tests" / "fixtures" / "attachments"


def _damage_header(path: Path) -> None:
    with path.open("r+b") as f:
        f.write(bytes(range(100)))


def _damage_middle(path: Path) -> None:
    """Overwrite the root page of every table and index (page 1, the header and schema, stays)."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [r[0] for r in conn.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 1")]
    with path.open("r+b") as f:
        for page in roots:
            f.seek((page - 1) * size)
            f.write(b"\xa5" * size)


def _url(case: str, good: Path, tmp: Path, crawl: bool) -> str:
    if case == "missing":
        # a reader finds no file; a crawl (which creates its archive) finds no folder it may create
        return f"sqlite:////proc/nianbao-missing/{'crawl' if crawl else 'x'}.db"
    if case == "PostgreSQL unreachable":
        return "postgresql://nianbao@127.0.0.1:1/test"
    if case == "unsupported URL":
        return "mysql://nianbao@127.0.0.1/nianbao"
    copy = tmp / f"{case.replace(' ', '_')}.db"
    shutil.copy(good, copy)
    if case == "read-only":
        return f"sqlite:///file:{copy}?mode=ro&uri=true"
    (_damage_header if case == "damaged header" else _damage_middle)(copy)
    return f"sqlite:///{copy}"


def _verdict(proc: subprocess.CompletedProcess[str], ok_statuses: tuple[int, ...] = (2,)) -> dict[str, Any]:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    one = len(lines) == 1
    return {"status": proc.returncode, "lines": len(lines), "traceback": "Traceback" in proc.stderr,
            "message": lines[-1][:160] if lines else "", "ok": proc.returncode in ok_statuses and
            (one or proc.returncode == 0) and "Traceback" not in proc.stderr}


def _nianbao(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``nianbao ARGS`` in this process (a subprocess per case cost minutes): an exception that
    escapes ``main`` is what the command would have printed as a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = nianbao(args)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
        except Exception:  # noqa: BLE001 - recorded as the traceback the user would see
            err.write("Traceback (most recent call last):\n" + traceback.format_exc())
            status = 1
    return subprocess.CompletedProcess(["nianbao", *args], status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def good_archive(portal: Any, web: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("bad_archives")
    lines = web.seeds_csv().splitlines()
    seeds = tmp / "seeds.csv"
    seeds.write_text("\n".join([lines[0], *(x for x in lines[1:] if f"//{SITE}/" in x)]) + "\n", encoding="utf-8")
    db = tmp / "good.db"
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}"], cwd=REPO,
                          env=crawl_env(portal.proxy_url, f"sqlite:///{db}"), capture_output=True, text=True,
                          timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with sqlite3.connect(db) as conn:  # one self-contained file to copy and damage
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    return db, seeds


def test_every_command_on_every_bad_archive_says_one_line(good_archive: tuple[Path, Path], tmp_path: Path,
                                                          portal: Any) -> None:
    good, seeds = good_archive
    env = crawl_env(portal.proxy_url, "sqlite:///unused.db")
    rows: list[dict[str, Any]] = []
    for name, extra in COMMANDS:
        args = [a.format(out=tmp_path / name) for a in extra]
        control = _nianbao([name, *args, "--db", f"sqlite:///{good}"], env)
        assert control.returncode == 0, (name, control.stderr[-1500:])
        for case in CASES:
            url = _url(case, good, tmp_path, crawl=False)
            proc = _nianbao([name, *args, "--db", url], env)
            # reading a read-only archive is allowed: then the output must be the intact archive's
            verdict = _verdict(proc, (0, 2) if case == "read-only" else (2,))
            if case == "read-only" and proc.returncode == 0 and name not in ("export", "cells"):
                verdict["ok"] = verdict["ok"] and proc.stdout == control.stdout
            rows.append({"command": f"nianbao {name}", "case": case, **verdict})
    for case in CASES:
        url = _url(case, good, tmp_path, crawl=True)
        proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}",
                               "-s", "LOG_LEVEL=INFO"], cwd=REPO, env={**env, "DATABASE_URL": url},
                              capture_output=True, text=True, timeout=120, check=False)
        errors = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout,
                                             "\n".join(x for x in proc.stderr.splitlines() if " ERROR: " in x))
        verdict = _verdict(errors)
        verdict["traceback"] = "Traceback" in proc.stderr
        verdict["ok"] = verdict["ok"] and not verdict["traceback"] and "nothing was crawled" in errors.stderr
        verdict["message"] = verdict["message"].split(" ERROR: ", 1)[-1]
        rows.append({"command": "scrapy crawl", "case": case, **verdict})
    files = _bad_files(tmp_path)
    for reader in READERS:
        for label, path in files.items():
            proc = _nianbao([reader, str(path)], env)
            rows.append({"command": f"nianbao {reader}", "case": label, **_verdict(proc)})
    bad = [r for r in rows if not r["ok"]]
    write_result("bad_input", {"rows": rows, "failed": len(bad)})
    assert not bad, bad


def _bad_files(tmp: Path) -> dict[str, Path]:
    out = {"empty": tmp / "empty.txt", "random bytes": tmp / "random.bin", "truncated PDF": tmp / "cut.pdf",
           "truncated DOCX": tmp / "cut.docx", "truncated XLSX": tmp / "cut.xlsx"}
    out["empty"].write_bytes(b"")
    out["random bytes"].write_bytes(bytes((i * 2654435761 >> 7) & 0xFF for i in range(6000)))
    for label, source in (("truncated PDF", "report_2021_pdf/input.pdf"), ("truncated DOCX", "report_2021_docx/input.docx"),
                          ("truncated XLSX", "report_2021_xlsx/input.xlsx")):
        data = (FIXTURES / source).read_bytes()
        out[label].write_bytes(data[: len(data) // 2])
    return out
