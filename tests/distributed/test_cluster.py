"""Two ``scrapy crawl reports`` workers (settings.distributed) on one Redis queue and one PostgreSQL
archive crawl the simulated web like one process would: each URL once, same archive."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.distributed.cluster import (
    SHARED_PER_HOST,
    Cluster,
    WatchedPortal,
    archive_signature,
    pg_schema,
    runs,
)
from tests.distributed.conftest import Baseline

pytestmark = [pytest.mark.e2e, pytest.mark.services]


@dataclass
class Outcome:
    cluster: Cluster
    db_url: str
    codes: list[int]
    fetch_counts: Any
    max_active: dict[str, int]


@pytest.fixture(scope="module")
def two_workers(wportal: WatchedPortal, baseline: Baseline, pg_url: str, redis_url: str,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    with pg_schema(pg_url) as db_url:
        # No worker dies here: a long heartbeat lease, so a worker starved of CPU for a moment is not
        # taken for dead (its requests would be fetched twice).
        cluster = Cluster(wportal, redis_url, db_url, tmp_path_factory.mktemp("two"), ttl=30)
        try:
            enq = cluster.enqueue(baseline.seeds)
            assert enq.returncode == 0, enq.stderr
            wportal.reset_watch()
            # Each answer takes 0.3 s here, and no page is answered before both workers are open: a
            # crawler that finishes 99 pages in a second or two left the second worker nothing once in
            # a while, and on a loaded machine one worker's start-up can outlast that.
            hold, wportal.hold = wportal.hold, 0.3
            wportal.gate.clear()
            try:
                # Both start together on a fresh schema: the migration must not race.
                workers = cluster.start_worker(), cluster.start_worker()
                cluster.wait_registered(*workers)
                wportal.gate.set()
                codes = cluster.wait()
            finally:
                wportal.gate.set()
                wportal.hold = hold
            yield Outcome(cluster, db_url, codes, wportal.fetch_counts(), dict(wportal.max_active))
        finally:
            cluster.cleanup()


def test_workers_finish_cleanly(two_workers: Outcome) -> None:
    for i, code in enumerate(two_workers.codes):
        log = two_workers.cluster.log(i)
        assert code == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
        assert "queue empty and nothing in flight" in log  # closed by the idle rule, not killed


def test_every_url_fetched_once_and_both_workers_worked(two_workers: Outcome, baseline: Baseline) -> None:
    twice = {k: n for k, n in two_workers.fetch_counts.items() if n > 1}
    assert not twice, f"fetched more than once: {twice}"
    assert set(two_workers.fetch_counts) == baseline.fetched
    pages = [r["stats"].get("pages_fetched", 0) for r in runs(two_workers.db_url)]
    assert len(pages) == 2 and min(pages) > 0, pages


def _same_archive(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> None:
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, f"missing: {missing}\nextra: {extra}"
    assert got == want  # and no row twice


def test_archive_equals_single_process_archive(two_workers: Outcome, baseline: Baseline) -> None:
    _same_archive(archive_signature(two_workers.db_url), baseline.signature)


def test_per_host_concurrency_is_shared(two_workers: Outcome) -> None:
    # Each worker alone may open CONCURRENT_REQUESTS_PER_DOMAIN=4 per host; together they stay at 2.
    assert two_workers.max_active
    assert max(two_workers.max_active.values()) <= SHARED_PER_HOST, two_workers.max_active
    assert max(two_workers.max_active.values()) == SHARED_PER_HOST  # the limit was reached, not idle


def test_killed_worker_loses_nothing(wportal: WatchedPortal, baseline: Baseline, pg_url: str, redis_url: str,
                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    """SIGKILL one of two workers mid-crawl: the other goes on, a restarted worker joins, and the
    killed worker's in-flight requests are redone once its heartbeat expires."""
    with pg_schema(pg_url) as db_url:
        cluster = Cluster(wportal, redis_url, db_url, tmp_path_factory.mktemp("kill"), idle=3, ttl=4)
        try:
            assert cluster.enqueue(baseline.seeds).returncode == 0
            wportal.reset_watch()
            # The delay is shared per host: the crawl outlasts a worker's start-up. Four requests at a
            # time: a worker cannot take half the queue into its own downloader.
            slow = ("DOWNLOAD_DELAY=0.4", "CONCURRENT_REQUESTS=4")
            victim = cluster.start_worker(*slow)
            cluster.start_worker(*slow)
            deadline = time.monotonic() + 90
            while sum(wportal.fetch_counts().values()) < len(baseline.fetched) // 3:
                assert time.monotonic() < deadline, "the crawl did not get going"
                time.sleep(0.1)
            # Kill it while it holds requests: frozen first, so none can finish between the look and the kill.
            while True:
                os.kill(victim.pid, signal.SIGSTOP)
                if cluster.in_flight(victim):
                    break
                os.kill(victim.pid, signal.SIGCONT)
                assert time.monotonic() < deadline, "the victim never held a request in flight"
                time.sleep(0.05)
            os.kill(victim.pid, signal.SIGKILL)
            wportal.gate.clear()  # nothing more is answered until the new worker is open
            try:
                cluster.wait_registered(cluster.start_worker(*slow))
            finally:
                wportal.gate.set()
            codes = cluster.wait(timeout=150)
            assert codes[0] == -signal.SIGKILL
            assert codes[1:] == [0, 0], cluster.log(1)[-2000:] + cluster.log(2)[-2000:]
            counts = wportal.fetch_counts()
            # Nothing lost, and methods too: a request redone is fetched whole, never checked by a HEAD
            # although the archive may hold its document already (pipelines.revisit, RECOVERED).
            assert set(counts) == baseline.fetched
            again = sum(n - 1 for n in counts.values())
            logs = cluster.log(1) + cluster.log(2)
            recovered = sum(int(n) for n in re.findall(r"died: (\d+) of its requests are back on the queue", logs))
            assert recovered > 0, "the killed worker's in-flight requests were not recovered"
            assert again <= recovered, f"refetched {again} URLs, but only {recovered} requests were in flight"
            _same_archive(archive_signature(db_url), baseline.signature)  # nothing duplicated, nothing missing
            pages = [r["stats"].get("pages_fetched", 0) for r in runs(db_url) if r["finished"]]
            assert len(pages) == 2 and min(pages) > 0, pages  # the restarted worker did its share
        finally:
            cluster.cleanup()
