"""Shared machinery: a crawl subprocess watched for peak memory, a loopback trap, results files."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.e2e.crawl import REPO, crawl_env

RESULTS = Path(__file__).resolve().parent / "results"
SETTINGS = "tests.reliability.crawl_settings"
LONG = os.environ.get("NIANBAO_FUZZ_LONG") == "1"


def budget(short: int, long: int) -> int:
    """Fuzz/loop sizes: small in ``make test``, larger under ``NIANBAO_FUZZ_LONG=1`` (``make fuzz``)."""
    return long if LONG else short


def tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """(PSS, RSS) summed over a process and all its descendants (the browser included).

    PSS splits each shared page between the processes mapping it, so its sum is the memory the
    tree really holds; summed RSS counts Chromium's shared pages once per process (upper bound).
    """
    pss = rss = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for p in procs:
        try:
            full = p.memory_full_info()
        except psutil.Error:
            continue
        rss += full.rss
        pss += getattr(full, "pss", full.rss)
    return pss, rss


@dataclass
class CrawlRun:
    returncode: int
    seconds: float
    peak_pss: int  # the figure held against the memory limits (see tree_memory)
    stderr: str
    killed: bool = False
    max_children: int = 0
    peak_main_rss: int = 0  # the scrapy process alone (the rest is Chromium and its helpers)
    peak_rss_sum: int = 0  # summed RSS of the tree: an upper bound that counts shared pages often


@dataclass
class Crawl:
    """``scrapy crawl reports`` in its own process group, sampled for memory every 0.1 s."""

    proxy_url: str
    seeds: Path
    db_url: str
    settings: list[str] = field(default_factory=list)
    settings_module: str = SETTINGS

    def start(self, log_path: Path) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={self.seeds}"]
        for kv in self.settings:
            cmd += ["-s", kv]
        env = crawl_env(self.proxy_url, self.db_url, self.settings_module)
        with open(log_path, "wb") as log:
            return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)

    def run(self, log_path: Path, timeout: float = 300, kill_when: Any = None) -> CrawlRun:
        """Run to the end, or until ``kill_when(proc, elapsed)`` says so: then SIGKILL the group."""
        started = time.monotonic()
        proc = self.start(log_path)
        ps = psutil.Process(proc.pid)
        peak, peak_rss, peak_main, children, killed = 0, 0, 0, 0, False
        while proc.poll() is None:
            elapsed = time.monotonic() - started
            pss, rss = tree_memory(ps)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            with contextlib.suppress(psutil.Error):
                peak_main = max(peak_main, ps.memory_info().rss)
            with contextlib.suppress(psutil.Error):
                children = max(children, len(ps.children(recursive=True)))
            if kill_when is not None and kill_when(ps, elapsed):
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                proc.wait()
                break
            if elapsed > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise TimeoutError(f"crawl exceeded {timeout} s")
            time.sleep(0.1)
        _reap_group(proc.pid)
        text = log_path.read_text(encoding="utf-8", errors="replace")
        return CrawlRun(proc.returncode, time.monotonic() - started, peak, text, killed, children, peak_main,
                        peak_rss)


def _reap_group(pgid: int) -> None:
    """After a kill -9 of the crawl, its Chromium may linger in the group: end it too."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class Trap:
    """A loopback listener that counts connections: proof that a refused redirect never connected."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(1)
        self.sock.close()


def write_result(name: str, data: dict[str, Any]) -> None:
    """One JSON file per test area; ``python -m tests.reliability.report`` renders RELIABILITY.md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"mode": "long" if LONG else "short", "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **data}
    # long runs (make fuzz) keep their own files: a later make test does not overwrite them
    path = RESULTS / f"{name}{'.long' if LONG else ''}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
