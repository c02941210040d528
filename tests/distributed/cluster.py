"""Run a distributed crawl for real: ``nianbao enqueue`` plus N ``scrapy crawl reports`` processes
(settings.distributed) on one Redis prefix and one PostgreSQL schema, against the simulated web."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import redis

from crawler.queue_keys import RedisKeys
from storage.archive import Archive
from tests.e2e.crawl import REPO, crawl_env
from tests.pg import pg_schema as shared_pg_schema
from tests.portal import Portal

# Settings of the simulated web (no delays), with a shared per-host limit below the local one:
# without the shared lease two workers could reach 2 × 4 concurrent requests on one host.
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "RETRY_TIMES=1", "DOWNLOAD_TIMEOUT=20",
        "CONCURRENT_REQUESTS_PER_DOMAIN=4", "NIANBAO_SHARED_PER_HOST=2", "LOG_LEVEL=INFO")
SHARED_PER_HOST = 2


class WatchedPortal(Portal):
    """The portal, also counting concurrent requests per host and when each was answered."""

    def __init__(self, web: Any, hold: float = 0.0) -> None:
        super().__init__(web, latency=0.0)
        self.hold = hold  # seconds each answer takes, inside the counted window
        self._active: Counter[str] = Counter()
        self.max_active: Counter[str] = Counter()
        self.times: list[float] = []
        self._watch = threading.Lock()
        self.gate = threading.Event()  # cleared: every answer waits (workers still starting up)
        self.gate.set()

    def answer(self, method: str, host: str, target: str, headers: dict[str, str], body: bytes) -> Any:
        counted = not (host == "portal.local" or target.startswith("/__portal__/"))
        if counted and not self.gate.wait(120):
            raise RuntimeError("the test left the portal's gate closed")
        if counted:
            with self._watch:
                self._active[host] += 1
                self.max_active[host] = max(self.max_active[host], self._active[host])
                self.times.append(time.monotonic())
        try:
            if counted and self.hold:
                time.sleep(self.hold)
            return super().answer(method, host, target, headers, body)
        finally:
            if counted:
                with self._watch:
                    self._active[host] -= 1

    def reset_watch(self) -> None:
        with self._watch:
            self.max_active.clear()
            self.times.clear()
        self.reset_log()

    def fetch_counts(self) -> Counter[tuple[str, str, str]]:
        """(method, host, path) → times fetched, robots.txt aside (Scrapy reads it once per process)."""
        return Counter((r.method, r.host, r.path) for r in self.requests
                       if r.method != "CONNECT" and not r.path.startswith("/robots.txt"))


def subset_csv(web: Any, hosts: tuple[str, ...]) -> str:
    """The web's seed CSV limited to the seeds whose URL names one of ``hosts``."""
    lines = web.seeds_csv().splitlines()
    return "\n".join([lines[0], *[line for line in lines[1:] if any(f"//{h}/" in line for h in hosts)]]) + "\n"


def pg_schema(pg_url: str) -> AbstractContextManager[str]:
    """A fresh, empty PostgreSQL schema for one cluster (tests/pg.py)."""
    return shared_pg_schema(pg_url, prefix="nbdist")


class Cluster:
    """One crawl round: a unique Redis prefix, one database, workers started as subprocesses."""

    def __init__(self, portal: Portal, redis_url: str, db_url: str, work: Path, *, idle: float = 3,
                 ttl: float = 4) -> None:
        self.portal = portal
        self.redis_url = redis_url
        self.db_url = db_url
        self.work = work
        self.prefix = f"nbtest{uuid.uuid4().hex[:10]}"
        self.env = crawl_env(portal.proxy_url, db_url, "settings.distributed")
        self.env.update(REDIS_URL=redis_url, NIANBAO_REDIS_PREFIX=self.prefix,
                        NIANBAO_IDLE_CLOSE_SECONDS=str(idle), NIANBAO_WORKER_TTL=str(ttl))
        self.workers: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def enqueue(self, seeds: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "storage.cli", "enqueue", str(seeds), *args], cwd=REPO,
                              env=self.env, capture_output=True, text=True, timeout=60, check=False)

    def start_worker(self, *settings: str) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "reports"]
        for kv in (*FAST, *settings):
            cmd += ["-s", kv]
        log = self.work / f"worker{len(self.workers)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.workers.append(proc)
        self.logs.append(log)
        return proc

    def wait(self, timeout: float = 150) -> list[int]:
        deadline = time.monotonic() + timeout
        codes = []
        for proc in self.workers:
            try:
                codes.append(proc.wait(max(1.0, deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes.append(proc.wait())
        return codes

    def log(self, i: int) -> str:
        return self.logs[i].read_text(encoding="utf-8", errors="replace")

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url)

    def _worker_id(self, server: redis.Redis, proc: subprocess.Popen[bytes]) -> str | None:
        for raw in server.smembers(RedisKeys(self.prefix).workers):
            worker = raw.decode()
            if worker.split(":")[-2] == str(proc.pid):  # ids are host:pid:nonce
                return worker
        return None

    def wait_registered(self, *procs: subprocess.Popen[bytes], timeout: float = 90) -> None:
        """Until each worker has opened on the queue (it has, once it is in the workers set)."""
        server = self.redis()
        deadline = time.monotonic() + timeout
        try:
            while not all(self._worker_id(server, p) for p in procs):
                assert all(p.poll() is None for p in procs), "a worker exited before it opened"
                assert time.monotonic() < deadline, "the workers did not open in time"
                time.sleep(0.05)
        finally:
            server.close()

    def in_flight(self, proc: subprocess.Popen[bytes]) -> int:
        """How many requests the worker running as ``proc`` holds in flight (0 before it registered)."""
        server = self.redis()
        try:
            worker = self._worker_id(server, proc)
            return int(server.hlen(RedisKeys(self.prefix).inflight(worker))) if worker else 0
        finally:
            server.close()

    def cleanup(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        server = self.redis()
        for key in server.scan_iter(match=f"{self.prefix}:*", count=500):
            server.delete(key)
        server.close()


def archive_signature(db_url: str) -> list[tuple[Any, ...]]:
    """What two archives of the same web must share: reports, their versions and text hashes."""
    archive = Archive.from_url(db_url)
    try:
        return sorted(
            (r["seed_agency"], r["agency"], r["year"], tuple(sorted(r["urls"])), r["version"], r["text_sha256"],
             r["state"], bool(r["flagged"]))
            for r in archive.export_versions()
        )
    finally:
        archive.engine.dispose()


def runs(db_url: str) -> list[dict[str, Any]]:
    archive = Archive.from_url(db_url)
    try:
        return archive.runs()
    finally:
        archive.engine.dispose()
