"""End to end: a report offered as .docx and .pdf side by side gets the same source on every crawl.

The Hanweb site of the simulated web (丽水市教育局) lists its 2021–2023 reports twice, as
``….docx`` and ``….pdf``. The archive keeps a report's versions from the rendering it reads
first, so when both files were fetched at once the source depended on which answered first. The
spider now fetches them one at a time, best rendering first (``crawler.links.renderings``): each
crawl below delays one format on the server, and both must archive the .docx as the source with
the .pdf as a sighting.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.archive import Archive
from storage.models import Report, Sighting
from tests.e2e.crawl import run_crawl
from tests.portal import Portal, build_web

pytestmark = pytest.mark.e2e

HOST = "jyj.lishui.gov.cn"
DELAY = 0.5  # seconds: long enough that a file fetched beside the delayed one always answers first


def _crawl_with_delay(tmp_path: Path, slow_ext: str) -> tuple[list[tuple[str, str, list[str]]], list[list[str]]]:
    web = build_web(scale=1)
    twins = [r.urls for r in web.reports if urlsplit(r.urls[0]).netloc == HOST and len(r.urls) == 2]
    assert len(twins) == 3  # 2021, 2022, 2023
    for urls in twins:
        for url in urls:
            if url.endswith(slow_ext):
                parts = urlsplit(url)
                web.pages[(parts.netloc, parts.path)].delay_state = "twin_delay"
    seeds = tmp_path / f"seeds-{slow_ext[1:]}.csv"
    lines = web.seeds_csv().splitlines()
    seeds.write_text("\n".join([lines[0], *[ln for ln in lines[1:] if HOST in ln]]) + "\n", encoding="utf-8")
    portal = Portal(web)
    portal.start(warm=False)
    portal.set_state("twin_delay", DELAY)
    db = tmp_path / f"archive-{slow_ext[1:]}.db"
    try:
        result = run_crawl(portal.proxy_url, seeds, f"sqlite:///{db}")
    finally:
        portal.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    archive = Archive.from_url(f"sqlite:///{db}")
    with Session(archive.engine) as s:
        rows = [(r.source_url, r.canonical_url,
                 sorted(s.scalars(select(Sighting.url).where(Sighting.report_id == r.id))))
                for r in s.scalars(select(Report).where(Report.year >= 2021).order_by(Report.year))]
    return rows, twins


@pytest.mark.parametrize("slow_ext", [".docx", ".pdf"])
def test_the_docx_is_the_source_whichever_file_answers_first(tmp_path: Path, slow_ext: str) -> None:
    rows, twins = _crawl_with_delay(tmp_path, slow_ext)
    assert len(rows) == len(twins) == 3  # one report per year: the two files were not split
    for (source, canonical, sightings), urls in zip(rows, twins, strict=True):
        docx = next(u for u in urls if u.endswith(".docx"))
        pdf = next(u for u in urls if u.endswith(".pdf"))
        assert (source, canonical) == (docx, docx)
        assert sightings == sorted([docx, pdf])  # the PDF is kept as another rendering
