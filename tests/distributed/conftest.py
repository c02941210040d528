"""Fixtures of the distributed crawl tests: a watched portal and the single-process baseline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.distributed.cluster import WatchedPortal, archive_signature, subset_csv
from tests.e2e.crawl import run_crawl

# Five shapes, enough to exercise the shared state: TRS pagination, Hanweb dataproxy, PDF-only
# reports, "加载更多" JSON, and a scope that grows by another host (yuhang's 信息公开 platform).
HOSTS = ("rsj.laoshan.gov.cn", "rlsbj.cqwl.gov.cn", "rsj.bjdch.gov.cn", "www.qingxiu.gov.cn", "www.yuhang.gov.cn")


@pytest.fixture(scope="module")
def wportal(web: Any) -> Iterator[WatchedPortal]:
    p = WatchedPortal(web, hold=0.02)
    p.start(host="127.0.0.1", port=0)
    p.set_state("slow_delay", 0.2)
    p.set_state("counters", False)  # byte-stable pages: a page fetched twice (after a kill) stays equal
    try:
        yield p
    finally:
        p.stop()


@dataclass
class Baseline:
    seeds: Path
    signature: list[tuple[Any, ...]]
    fetched: set[tuple[str, str, str]]


@pytest.fixture(scope="module")
def baseline(wportal: WatchedPortal, web: Any, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """One ordinary ``scrapy crawl reports`` (settings.demo) into SQLite: what the cluster must match
    (navigation not held back, as settings.distributed has it)."""
    work = tmp_path_factory.mktemp("baseline")
    seeds = work / "seeds.csv"
    seeds.write_text(subset_csv(web, HOSTS), encoding="utf-8")
    db = f"sqlite:///{work / 'nianbao.db'}"
    wportal.reset_watch()
    result = run_crawl(wportal.proxy_url, seeds, db, "NIANBAO_DEFER_NAV=0", timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    fetched = set(wportal.fetch_counts())
    signature = archive_signature(db)
    assert len({row[:3] for row in signature}) >= 10, "the subset should archive a real number of reports"
    return Baseline(seeds, signature, fetched)
