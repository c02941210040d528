"""Issue 7's figure: pages per second with one and with two workers (settings.distributed).

The workers share one Redis frontier and one PostgreSQL schema, exactly as tests/distributed runs
them (its Cluster helper: ``nianbao enqueue`` then N ``scrapy crawl reports`` processes). The rate is
pages answered by the portal over the span from the first to the last answer, so process start-up
and the workers' idle-close wait (the same for both runs) are not counted.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PG_URL = os.environ.get("NIANBAO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NIANBAO_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _reachable(url: str, default_port: int) -> bool:
    split = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    try:
        with socket.create_connection((split.hostname or "127.0.0.1", split.port or default_port), timeout=2):
            return True
    except OSError:
        return False


# The five site shapes tests/distributed uses (TRS pagination, Hanweb, PDF-only, 加载更多, platform host):
# enough shared state to exercise, and about 40 % of the web's pages so both runs fit the bench.
HOSTS = ("rsj.laoshan.gov.cn", "rlsbj.cqwl.gov.cn", "rsj.bjdch.gov.cn", "www.qingxiu.gov.cn", "www.yuhang.gov.cn")


def run(work: Path, workers: tuple[int, ...] = (1, 2)) -> dict[str, Any]:
    if not (_reachable(PG_URL, 5432) and _reachable(REDIS_URL, 6379)):
        return {"skipped": f"PostgreSQL ({PG_URL}) or Redis ({REDIS_URL}) unreachable"}
    from tests.distributed.cluster import Cluster, WatchedPortal, pg_schema, subset_csv
    from tests.portal import build_web

    web = build_web(scale=1)
    portal = WatchedPortal(web, hold=0.0)
    portal.start(host="127.0.0.1", port=0, warm=False)
    portal.set_state("slow_delay", 0)
    seeds = work / "seeds-distributed.csv"
    seeds.write_text(subset_csv(web, HOSTS), encoding="utf-8")
    out: dict[str, Any] = {"agencies": len(HOSTS), "hosts": list(HOSTS), "runs": []}
    try:
        for n in workers:
            with pg_schema(PG_URL) as db_url:
                cluster = Cluster(portal, REDIS_URL, db_url, work / f"workers-{n}", idle=3, ttl=4)
                cluster.work.mkdir(parents=True, exist_ok=True)
                try:
                    enq = cluster.enqueue(seeds)
                    if enq.returncode != 0:
                        out["runs"].append({"workers": n, "error": enq.stderr[-500:]})
                        continue
                    portal.reset_watch()
                    for _ in range(n):
                        cluster.start_worker()
                    codes = cluster.wait(timeout=300)
                    times = sorted(portal.times)
                finally:
                    cluster.cleanup()
            span = times[-1] - times[0] if len(times) > 1 else 0.0
            out["runs"].append({"workers": n, "pages": len(times), "span_s": round(span, 2),
                                "pages_per_s": round(len(times) / span, 2) if span else None,
                                "exit_codes": codes})
    finally:
        portal.stop()
    rate = {r["workers"]: r.get("pages_per_s") for r in out["runs"]}
    out["pages_per_s_1_worker"] = rate.get(1)
    out["pages_per_s_2_workers"] = rate.get(2)
    out["speedup_2_workers"] = round(rate[2] / rate[1], 3) if rate.get(1) and rate.get(2) else None
    return out
