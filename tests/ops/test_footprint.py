"""What a crawl process does not load: modules a SQLite crawl never uses but that came in with
its dependencies, about 25 MB of resident memory against make bench's 500 MB goal (issue 25).

Scrapy's remote control (aiohttp) and telnet console are left out of EXTENSIONS_BASE, datasketch
loads without scipy.integrate or redis (crawler/sketch.py), and an archive at the current schema
opens without alembic (storage/db.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.crawl import REPO

_PROBE = """
import os, sys
os.environ["SCRAPY_SETTINGS_MODULE"] = "settings.default"
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.extension import ExtensionManager
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler
from spiders.reports import ReportsSpider
from storage import Archive
crawler = get_crawler(ReportsSpider, get_project_settings().copy_to_dict())
names = [type(e).__name__ for e in ExtensionManager.from_crawler(crawler).middlewares]
Archive.from_url(sys.argv[1])  # at the current schema already
import crawler.sketch  # what the near-duplicate index loads
print(sorted(m for m in ("aiohttp", "alembic", "redis", "scipy.integrate") if m in sys.modules))
print("RemoteControl" in names, "TelnetConsole" in names, "RunSummary" in names)
"""


def test_a_crawl_process_loads_none_of_what_it_never_uses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    subprocess.run([sys.executable, "-c", "import sys; from storage import Archive; Archive.from_url(sys.argv[1])", url],
                   cwd=REPO, check=True, timeout=120)
    out = subprocess.run([sys.executable, "-c", _PROBE, url], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines() == ["[]", "False False True"]
