"""Crawl measurements: the real ``scrapy crawl reports`` over the simulated web, watched from outside.

Every crawl runs as a subprocess (like ``make crawl``) while a sampler thread sums the RSS of its
whole process tree (Scrapy, the Playwright driver and every Chromium process) every 50 ms.
Pages per second use Scrapy's own ``elapsed_time_seconds`` (engine open → close), so process start
and import time, equal for both sides, do not blur the full/bare ratio; wall time is kept too.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, func, inspect, select, table

from tests.e2e.crawl import REPO, crawl_env
from tests.portal import Portal, build_web
from tests.portal.attachments import warm
from tests.portal.model import Web

_STAT = re.compile(r"'([^']+)': (\d+(?:\.\d+)?)\b")
_BENCH_LINE = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")


@dataclass
class Proc:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_mb: float  # whole process tree
    peak_rss_main_mb: float  # the crawler: Scrapy's process and its reading processes (pipelines.reader)
    cpu_s: float  # user + system CPU of the whole (waited-for) process tree
    cpu_roles: dict[str, float] = field(default_factory=dict)  # "reading", "browser", "scrapy" (the rest)
    peak_parts: dict[str, float] = field(default_factory=dict)  # MB by role at the tree's peak


@dataclass
class CrawlFigures:
    label: str
    scale: int
    wall_s: float
    engine_s: float
    responses: int  # Scrapy's downloader/response_count
    requests: int  # portal log entries (what the server answered, browser included)
    bytes: int  # body bytes the portal sent
    peak_rss_mb: float
    peak_rss_main_mb: float
    cpu_s: float
    returncode: int
    stats: dict[str, float] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)
    cpu_roles: dict[str, float] = field(default_factory=dict)  # CPU seconds: scrapy / reading / browser
    portal_cpu_s: float = 0.0  # CPU the simulated portal spent serving this crawl (in the bench process)
    peak_parts: dict[str, float] = field(default_factory=dict)  # MB by role at the tree's peak

    @property
    def pages_per_s(self) -> float:
        return self.responses / self.engine_s if self.engine_s else 0.0

    def summary(self) -> dict[str, Any]:
        keys = ("label", "scale", "wall_s", "engine_s", "cpu_s", "responses", "requests", "bytes", "peak_rss_mb",
                "peak_rss_main_mb", "returncode")
        out = {k: getattr(self, k) for k in keys}
        out["pages_per_s"] = round(self.pages_per_s, 2)
        out["pages_per_cpu_s"] = round(self.responses / self.cpu_s, 2) if self.cpu_s else None
        out["items"] = int(self.stats.get("item_scraped_count", 0))
        out["browser_pages"] = int(self.stats.get("nianbao/browser_pages", 0))
        out["cpu_s_by_process"] = self.cpu_roles
        # the Scrapy process, open to close (the bare spider: first request to close)
        out["crawler_cpu_s"] = self.stats.get("nianbao/crawler_cpu_s", self.stats.get("bare/cpu_s"))
        out["portal_cpu_s"] = self.portal_cpu_s
        out["peak_rss_mb_by_process"] = self.peak_parts
        return out


class _TreeWatch:
    """The crawl's process tree, sampled: summed RSS, and the last CPU time seen of every process by
    role ("reading": pipelines.reader; "browser": the Playwright driver and Chromium). A process's
    role is read from its command line once, when it is first seen."""

    def __init__(self, proc: psutil.Process) -> None:
        self.proc = proc
        self.roles: dict[int, str] = {}
        self.cpu: dict[int, float] = {}
        self.kinds: dict[int, str] = {}
        self.parts: dict[str, int] = {}  # RSS by process kind (scrapy, reading, driver, chromium), last sample

    def _role(self, kid: psutil.Process) -> str:
        if kid.pid not in self.roles:
            cmdline = kid.cmdline()
            self.roles[kid.pid] = role_of(cmdline)
            # the browser's two halves apart, for the memory breakdown
            self.kinds[kid.pid] = ("driver" if cmdline and Path(cmdline[0]).name == "node" else "chromium") \
                if self.roles[kid.pid] == "browser" else self.roles[kid.pid]
        return self.roles[kid.pid]

    def sample(self) -> tuple[int, int]:
        """(RSS of the whole tree, RSS of the crawler: the Scrapy process and its reading processes)."""
        try:
            main = self.proc.memory_info().rss
            kids = self.proc.children(recursive=True)
        except psutil.Error:
            return 0, 0
        total = crawler = main
        parts = {"scrapy": main, "reading": 0, "driver": 0, "chromium": 0}
        for kid in kids:
            try:
                role = self._role(kid)
                rss = kid.memory_info().rss
                times = kid.cpu_times()
            except psutil.Error:  # a Chromium helper that just exited
                continue
            self.cpu[kid.pid] = times.user + times.system
            total += rss
            crawler += rss if role == "reading" else 0
            parts[self.kinds[kid.pid]] += rss
        self.parts = parts
        return total, crawler

    def cpu_by_role(self, tree_cpu: float) -> dict[str, float]:
        return cpu_by_role(self.roles, self.cpu, tree_cpu)


def role_of(cmdline: list[str]) -> str:
    """A child of the crawl: its reading process, or part of the browser (Node driver, Chromium)."""
    return "reading" if "pipelines.reader" in " ".join(cmdline) else "browser"


def cpu_by_role(roles: dict[int, str], cpu: dict[int, float], tree_cpu: float) -> dict[str, float]:
    """CPU seconds by role; "scrapy" is the tree's total less the children's (Scrapy's own process)."""
    out = {"reading": 0.0, "browser": 0.0}
    for pid, seconds in cpu.items():
        out[roles[pid]] += seconds
    out["scrapy"] = max(0.0, tree_cpu - out["reading"] - out["browser"])
    return {k: round(v, 2) for k, v in out.items()}


def run_monitored(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 900) -> Proc:
    """Run ``cmd``, sampling the peak RSS of its process tree; output goes through temp files."""
    with tempfile.TemporaryFile("w+b") as out, tempfile.TemporaryFile("w+b") as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        popen = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        peak = [0, 0]
        peak_parts: dict[str, float] = {}
        done = threading.Event()
        watch: list[_TreeWatch] = []

        def sample() -> None:
            try:
                watch.append(_TreeWatch(psutil.Process(popen.pid)))
            except psutil.Error:
                return
            while not done.is_set():
                total, main = watch[0].sample()
                if total > peak[0]:
                    peak_parts.update({k: round(v / 2**20, 1) for k, v in watch[0].parts.items()})
                peak[0], peak[1] = max(peak[0], total), max(peak[1], main)
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            rc = popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            popen.kill()
            rc = popen.wait()
        wall = time.monotonic() - started
        done.set()
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out.seek(0)
        err.seek(0)
        roles = watch[0].cpu_by_role(cpu) if watch else {}
        return Proc(rc, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                    wall, peak[0] / 2**20, peak[1] / 2**20, cpu, roles, peak_parts)


def scrapy_stats(log: str) -> dict[str, float]:
    """Numeric entries of the last "Dumping Scrapy stats" block of a Scrapy log."""
    at = log.rfind("Dumping Scrapy stats")
    if at < 0:
        return {}
    block = log[at:]
    end = block.find("}")
    return {k: float(v) for k, v in _STAT.findall(block[: end if end > 0 else None])}


class SimWeb:
    """The simulated web at one scale, served by a Portal, with its seed list on disk."""

    def __init__(self, scale: int, workdir: Path, sites: int | None = None, latency: float = 0.0,
                 web: Web | None = None, name: str | None = None) -> None:
        """``build_web(scale)``, or any ``web`` given (a random web, the breadth web), named ``name``."""
        started = time.monotonic()
        self.web = web if web is not None else build_web(scale=scale)
        self.build_s = time.monotonic() - started
        started = time.monotonic()
        # Render PDF/DOCX attachments now (on every core; cached on disk after the first run):
        # the portal would otherwise do it during the timed crawl.
        warm(self.web.pages.values())
        self.warm_s = time.monotonic() - started
        self.scale = scale
        self.agencies = len(self.web.agencies)
        self.latency = latency
        self.portal = Portal(self.web, latency=latency)
        self.portal.start(host="127.0.0.1", port=0, warm=False)
        self.portal.set_state("slow_delay", 0)  # the slow page measures timeouts, not throughput
        self.seeds = workdir / f"seeds-{name or f'{scale}x'}.csv"
        self.seeds.write_text(self._seeds_csv(sites), encoding="utf-8")

    def _seeds_csv(self, sites: int | None) -> str:
        """The web's seed list; with ``sites`` only the first ``sites`` sites of every replica."""
        lines = self.web.seeds_csv().splitlines(keepends=True)
        if sites is None:
            return "".join(lines)
        per_replica = len(self.web.agencies) // max(1, self.scale)
        rows = [row for i, row in enumerate(lines[1:]) if i % per_replica < sites]
        self.agencies = len(rows)
        return "".join([lines[0], *rows])

    def stop(self) -> None:
        self.portal.stop()

    def __enter__(self) -> SimWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _scrapy_cmd(*args: str, profile: Path | None = None) -> list[str]:
    head = [sys.executable]
    if profile is not None:
        head += ["-m", "cProfile", "-o", str(profile)]
    return [*head, "-m", "scrapy", *args]


def full_crawl(sim: SimWeb, db: Path, *settings: str, label: str = "full",
               profile: Path | None = None) -> CrawlFigures:
    """``scrapy crawl reports`` (settings.demo) over ``sim`` into the SQLite file ``db``."""
    cmd = _scrapy_cmd("crawl", "reports", "-a", f"seeds={sim.seeds}", profile=profile)
    for kv in ("LOG_LEVEL=INFO", *settings):
        cmd += ["-s", kv]
    sim.portal.reset_log()
    proc = run_monitored(cmd, crawl_env(sim.portal.proxy_url, f"sqlite:///{db}"), REPO)
    log = list(sim.portal.requests)
    stats = scrapy_stats(proc.stderr)
    if proc.returncode not in (0, 1) or not stats:
        sys.stderr.write(f"bench: crawl {label} exited {proc.returncode}\n{proc.stderr[-3000:]}\n")
    urls = [f"http://{r.host}{r.path}" for r in log if r.method != "CONNECT"]
    return CrawlFigures(label, sim.scale, round(proc.wall_s, 2), round(stats.get("elapsed_time_seconds", 0.0), 2),
                        int(stats.get("downloader/response_count", 0)), len(log), sum(r.bytes for r in log),
                        round(proc.peak_rss_mb, 1), round(proc.peak_rss_main_mb, 1), round(proc.cpu_s, 2), proc.returncode, stats, urls,
                        proc.cpu_roles, round(sim.portal.serving_cpu_s, 3), proc.peak_parts)


def _demo_setting(name: str) -> Any:
    import settings.demo as demo

    return getattr(demo, name)


def _bare_env(proxy_url: str) -> dict[str, str]:
    env = crawl_env(proxy_url, "sqlite://")
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    return env


def bare_crawl(sim: SimWeb, urls: list[str], workdir: Path) -> CrawlFigures:
    """The bare spider over exactly ``urls``, with settings.demo's concurrency and timeouts."""
    url_file = workdir / f"bare-urls-{sim.scale}x.txt"
    url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    cmd = _scrapy_cmd("runspider", str(REPO / "bench" / "bare_spider.py"), "-a", f"urls={url_file}")
    for name in ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT"):
        cmd += ["-s", f"{name}={_demo_setting(name)}"]
    cmd += ["-s", "LOG_LEVEL=INFO", "-s", "AUTOTHROTTLE_ENABLED=False"]
    sim.portal.reset_log()
    proc = run_monitored(cmd, _bare_env(sim.portal.proxy_url), workdir)
    log = list(sim.portal.requests)
    stats = scrapy_stats(proc.stderr)
    if proc.returncode != 0 or not stats:
        sys.stderr.write(f"bench: bare spider exited {proc.returncode}\n{proc.stderr[-3000:]}\n")
    return CrawlFigures("bare", sim.scale, round(proc.wall_s, 2), round(stats.get("elapsed_time_seconds", 0.0), 2),
                        int(stats.get("downloader/response_count", 0)), len(log), sum(r.bytes for r in log),
                        round(proc.peak_rss_mb, 1), round(proc.peak_rss_main_mb, 1), round(proc.cpu_s, 2), proc.returncode, stats,
                        cpu_roles=proc.cpu_roles, portal_cpu_s=round(sim.portal.serving_cpu_s, 3))


def scrapy_bench(workdir: Path, seconds: int = 10) -> dict[str, Any]:
    """``scrapy bench`` (Scrapy's own local link-follower) on this machine: pages per minute."""
    cmd = _scrapy_cmd("bench", "-s", "LOG_LEVEL=INFO", "-s", f"CLOSESPIDER_TIMEOUT={seconds}")
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "http_proxy", "HTTP_PROXY")}
    proc = run_monitored(cmd, env, workdir, timeout=seconds * 6 + 30)
    stats = scrapy_stats(proc.stderr)
    rates = [int(m.group(2)) for m in _BENCH_LINE.finditer(proc.stderr)]
    pages, elapsed = stats.get("downloader/response_count", 0.0), stats.get("elapsed_time_seconds", 0.0)
    return {
        "pages_per_min": round(pages / elapsed * 60, 1) if elapsed else None,
        "pages_per_min_logged_max": max(rates) if rates else None,
        "pages": int(pages),
        "seconds": round(elapsed, 2),
        "returncode": proc.returncode,
    }


def db_figures(db: Path) -> dict[str, Any]:
    """File size (main file + WAL) and rows per table of a SQLite archive."""
    size = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            rows = {n: int(conn.execute(select(func.count()).select_from(table(n))).scalar_one())
                    for n in names if n != "alembic_version"}
    finally:
        engine.dispose()
    return {"bytes": size, "rows": rows}
