"""CONCURRENT_REQUESTS caps transfers (pipelines/transfers.py): a polite crawl of many small sites
never has more requests on the wire than the cap, while more wait out their hosts' delays."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.breadth import build_breadth_web
from tests.e2e.crawl import run_crawl
from tests.portal.server import Portal

CAP = 3


@pytest.mark.e2e
def test_transfers_never_exceed_the_cap_and_every_report_is_found(tmp_path: Path) -> None:
    web = build_breadth_web(10, reports=2)
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(web.seeds_csv(), encoding="utf-8")
    portal = Portal(web, latency=0.15)
    portal.start()
    try:
        result = run_crawl(portal.proxy_url, seeds, f"sqlite:///{tmp_path / 'n.db'}",
                           f"CONCURRENT_REQUESTS={CAP}", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "DOWNLOAD_DELAY=0.4",
                           "AUTOTHROTTLE_ENABLED=0", "NIANBAO_DOWNLOADER_HELD_MAX=12", "NIANBAO_REVISIT=0",
                           settings_module="settings.default", timeout=300)
    finally:
        portal.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    # Every request the crawl made came through the cap: ten hosts, each with a delay, would
    # otherwise have ten on the wire at once; with it, never more than CAP, and the cap is used.
    assert portal.max_in_flight == CAP
    assert len({r.host for r in portal.requests}) == 10
    assert "item_scraped_count': 20" in result.stderr  # 10 agencies x 2 reports
