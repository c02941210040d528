"""Run the real ``scrapy crawl reports`` in a subprocess against the simulated web."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str


def crawl_env(proxy_url: str, db_url: str, settings_module: str = "settings.demo") -> dict[str, str]:
    env = dict(os.environ)
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy", "https_proxy"):
        env.pop(key, None)
    env.update(
        http_proxy=proxy_url,
        no_proxy="localhost,127.0.0.1",
        NO_PROXY="localhost,127.0.0.1",
        SCRAPY_SETTINGS_MODULE=settings_module,
        DATABASE_URL=db_url,
        PYTHONPATH=str(REPO),
    )
    return env


def run_crawl(
    proxy_url: str,
    seeds: Path | str,
    db_url: str,
    *settings: str,
    settings_module: str = "settings.demo",
    timeout: float = 600,
) -> CrawlResult:
    """``scrapy crawl reports -a seeds=…`` with ``-s KEY=VALUE`` overrides; output captured."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={seeds}"]
    for kv in settings:
        cmd += ["-s", kv]
    proc = subprocess.run(
        cmd,
        cwd=REPO,
        env=crawl_env(proxy_url, db_url, settings_module),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr)
