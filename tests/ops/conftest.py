"""One small archive made the way cron makes it: two scheduled crawls back to back.

Seeds: three simulated agencies (a revised report, a defaced one behind a JavaScript list, plain
lists) and one whose host the portal does not know (502), so every run has one failed agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from storage.archive import Archive
from tests.e2e.crawl import CrawlResult, run_crawl

SITES = ("rsj.laoshan.gov.cn", "hrss.jl.gov.cn", "rsj.bjdch.gov.cn")
UNKNOWN = "某某市测试局"  # its host is unknown to the portal: every fetch answers 502
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here runs the real commands against archives made by real crawls of the simulated
    web (the package's ``scheduled`` runs, README commands, resumed jobs): end to end, so ``make test``
    runs them and ``make test-fast`` (``-m "not e2e"``, the edit-test loop) does not."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


def small_seeds(web: Any, path: Path, unknown: bool = True, sites: tuple[str, ...] = SITES) -> Path:
    lines = web.seeds_csv().splitlines()
    keep = [lines[0]] + [line for line in lines[1:] if any(f"//{s}/" in line for s in sites)]
    assert len(keep) == 1 + len(sites), keep
    if unknown:
        keep.append(f"{UNKNOWN},http://www.nowhere-test.gov.cn/,某省某市,city,www.nowhere-test.gov.cn,")
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return path


@dataclass
class ScheduledRuns:
    tmp: Path
    db_url: str
    seeds: Path
    results: list[CrawlResult] = field(default_factory=list)

    def archive(self) -> Archive:
        return Archive.from_url(self.db_url)


@pytest.fixture(scope="package")
def scheduled(portal: Any, web: Any, tmp_path_factory: pytest.TempPathFactory) -> ScheduledRuns:
    """Run 1 on the unchanged web, run 2 after the portal revised one report (as a nightly cron would)."""
    tmp = tmp_path_factory.mktemp("ops")
    runs = ScheduledRuns(tmp, f"sqlite:///{tmp / 'nianbao.db'}", small_seeds(web, tmp / "seeds.csv"))
    portal.set_revision(False)
    try:
        for revised in (False, True):
            portal.set_revision(revised)
            result = run_crawl(portal.proxy_url, runs.seeds, runs.db_url, "NIANBAO_PROGRESS_INTERVAL=1",
                               timeout=180)
            assert "Traceback" not in result.stderr, result.stderr[-3000:]
            runs.results.append(result)
    finally:
        portal.set_revision(False)
    return runs
