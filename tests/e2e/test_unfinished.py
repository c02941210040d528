"""End to end: a report fetched but never archived is fetched again by the next crawl.

The capture stage logs a fetch (and its payload) before the report is read and archived. A crawl
killed in between, or a distributed worker lost with the item in its pipelines, leaves such a row;
with revisits on (settings.default), the next crawl must treat the report as due, not as a page
fetched a moment ago that can wait a week. Here the archive is left in that state by hand, exactly
as ``CapturePipeline`` writes it, and the real ``scrapy crawl`` runs over the site.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from storage.archive import Archive
from storage.models import Fetch
from tests.e2e.crawl import run_crawl
from tests.portal import Portal, build_web

pytestmark = pytest.mark.e2e

HOST = "rsj.laoshan.gov.cn"


def test_a_report_captured_before_a_kill_is_archived_by_the_next_crawl(tmp_path: Path) -> None:
    web = build_web(scale=1)
    truth = sorted((r for r in web.reports if urlsplit(r.urls[0]).netloc == HOST), key=lambda r: r.year)
    url = truth[-1].urls[0]
    lines = web.seeds_csv().splitlines()
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("\n".join([lines[0], *[ln for ln in lines[1:] if HOST in ln]]) + "\n", encoding="utf-8")
    portal = Portal(web)
    portal.start(warm=False)
    db_url = f"sqlite:///{tmp_path / 'archive.db'}"
    try:
        # What a crawl killed after the capture stage leaves: the fetch row and the payload, no outcome.
        archive = Archive.from_url(db_url)
        archive.record_fetch(run_id=archive.start_run({"killed": True}), url=url, final_url=url, status=200,
                             headers={"Content-Type": "text/html; charset=utf-8"},
                             body="<html><title>年度报告</title>captured, then the crawl was killed</html>".encode(),
                             content_type="text/html; charset=utf-8", encoding=None,
                             fetched_at=datetime.now(UTC), kind="report")
        result = run_crawl(portal.proxy_url, seeds, db_url, "NIANBAO_REVISIT=1")
        fetched = {f"http://{r.host}{r.path}" for r in portal.requests if r.method != "CONNECT"}
    finally:
        portal.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    assert url in fetched  # due, not skipped as fetched a moment ago
    archived = {u for r in Archive.from_url(db_url).reports() for u in r["urls"]}
    assert url in archived
    assert all(any(u in archived for u in t.urls) for t in truth)  # and the rest of the site with it
    with Archive.from_url(db_url).engine.connect() as conn:
        outcomes = conn.execute(select(Fetch.outcome).where(Fetch.url == url).order_by(Fetch.id)).scalars().all()
    assert outcomes[0] is None and outcomes[-1] == "new"
