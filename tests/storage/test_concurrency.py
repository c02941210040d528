"""Concurrent writers (PostgreSQL workers, SQLite threads): lost races retry, nothing doubles."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.model import Seed
from storage import Archive
from storage.models import Blob, Fetch, Report, ReportVersion, Sighting
from tests.storage.docs import at, document, report, text

DOCS = [("laoshan_2019", 2019, "青岛市崂山区人力资源和社会保障局"),
        ("wulong_2021", 2021, "重庆市武隆区人力资源和社会保障局"),
        ("hengyang_2019", 2019, "衡阳市人力资源和社会保障局")]


def _count(engine, model) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_two_writers_archiving_the_same_document(db_url: str) -> None:
    first = Archive.from_url(db_url)
    second = Archive.from_url(db_url)  # separate instance: own engine, pool and LSH index
    try:
        agency = first.upsert_agency(Seed(agency="人社局", url="http://rsj.example.gov.cn/"))
        assert second.upsert_agency(Seed(agency="人社局", url="http://rsj.example.gov.cn/")) == agency
        run = first.start_run({"workers": 2})
        outcomes: list[str] = []
        for i, (name, year, publisher) in enumerate(DOCS):
            body = text(name)
            url = f"http://rsj.example.gov.cn/nb/{name}.html"
            barrier = threading.Barrier(2)

            def work(arc: Archive, body: str = body, url: str = url, year: int = year,
                     publisher: str = publisher, barrier: threading.Barrier = barrier, i: int = i) -> str:
                barrier.wait(timeout=10)
                rec = arc.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={},
                                       body=body.encode("utf-8"), content_type="text/html", encoding="utf-8",
                                       fetched_at=at(i))
                return arc.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=url,
                                            doc=document(body, url), report=report(publisher, year),
                                            fetched_at=at(i)).outcome

            with ThreadPoolExecutor(2) as pool:
                outcomes.extend(pool.map(lambda a: work(a), (first, second)))
        assert sorted(outcomes) == sorted(["new", "unchanged"] * len(DOCS))
        engine = first.engine
        assert _count(engine, Report) == len(DOCS)
        assert _count(engine, ReportVersion) == len(DOCS)
        assert _count(engine, Blob) == len(DOCS)
        assert _count(engine, Sighting) == len(DOCS)
        assert _count(engine, Fetch) == 2 * len(DOCS)
    finally:
        first.engine.dispose()
        second.engine.dispose()


def test_many_threads_one_archive(db_url: str) -> None:
    arc = Archive.from_url(db_url)
    try:
        agency = arc.upsert_agency(Seed(agency="人社局", url="http://rsj.example.gov.cn/"))
        run = arc.start_run({})
        body = text("laoshan_2019")

        def work(k: int) -> str:
            url = f"http://rsj.example.gov.cn/nb/{k % 2}.html"  # two URLs, same text: one report
            rec = arc.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={},
                                   body=body.encode("utf-8"), content_type=None, encoding=None, fetched_at=at(k))
            return arc.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=url,
                                        doc=document(body, url), report=report("崂山区人社局", 2019),
                                        fetched_at=at(k)).outcome

        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(work, range(8)))
        assert outcomes.count("new") == 1 and outcomes.count("sighting") == 1
        assert _count(arc.engine, Report) == 1 and _count(arc.engine, ReportVersion) == 1
        assert _count(arc.engine, Blob) == 1 and _count(arc.engine, Sighting) == 2
    finally:
        arc.engine.dispose()
