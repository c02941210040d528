"""Per-call costs behind the crawl figures, replayed from a real crawl's archive.

The 1× crawl's archive holds every payload the crawl fetched. Replaying them outside Scrapy times
the units the README talks about: reading one document (HTML page, PDF, DOCX: extract, classify,
parse, fingerprint, as the reading process does), logging one fetch, archiving one report, and the
per-request lookups the spider makes before every report or file request. CPU time per call
(``time.process_time``), on a fresh SQLite archive filled in the crawl's order, so each call meets
the archive in the state it met in the crawl.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.extraction import distribution
from crawler.attachments.sniff import sniff_kind
from crawler.model import Seed
from crawler.read import Reading, read
from storage.archive import Archive


@contextmanager
def _timed(into: list[float]) -> Iterator[None]:
    """CPU milliseconds of the block, appended to ``into``."""
    start = time.process_time()
    yield
    into.append((time.process_time() - start) * 1000)


def _summary(ms: list[float]) -> dict[str, Any]:
    return {"calls": len(ms), **distribution(ms), "total_ms": round(sum(ms), 1)} if ms else {"calls": 0}


def run(crawl_db: Path, work: Path) -> dict[str, Any]:
    """Time every unit over the fetches of the first run in ``crawl_db`` (a crawl's SQLite archive)."""
    source = Archive.from_url(f"sqlite:///{crawl_db}")
    try:
        first = source.runs()[0]["id"]
        # what the crawl reads: report pages and files (list and home pages are only scanned for links)
        fetches = [f for f in source.fetches(run_id=first, with_payload=True)
                   if f["status"] == 200 and f["payload"] and f["kind"] in ("report", "attachment")]
        agency_of = {row["url"]: row["agency_id"] for row in source.sightings(live_only=False)}
    finally:
        source.engine.dispose()
    quiet = logging.getLogger()
    level, quiet.level = quiet.level, logging.ERROR  # damaged fixtures say why on every reading
    try:
        readings: list[tuple[dict[str, Any], Reading]] = []
        read_ms: dict[str, list[float]] = defaultdict(list)
        docx: list[bytes] = []
        for f in fetches:
            args = (f["payload"], f["url"], f["content_type"])
            kind = sniff_kind(*args)
            # The first reading warms the caches (tokens, fonts): the crawl reads each page once,
            # but its caches are warm after a few pages. The second is timed.
            read(*args)
            with _timed(read_ms[kind]):
                reading = read(*args)
            readings.append((f, reading))
            if kind == "docx":
                docx.append(f["payload"])
        replay = work / "micro-archive.db"
        for path in (replay, replay.with_name(replay.name + "-wal"), replay.with_name(replay.name + "-shm")):
            path.unlink(missing_ok=True)
        target = Archive.from_url(f"sqlite:///{replay}")
        try:
            return {"fetches": len(fetches), "read": {k: _summary(v) for k, v in sorted(read_ms.items())},
                    "docx_readers": _docx_readers(docx), **_replay(target, readings, agency_of)}
        finally:
            target.engine.dispose()
    finally:
        quiet.level = level


def _docx_readers(bodies: list[bytes]) -> dict[str, Any]:
    """A DOCX's text and tables as ``read_docx`` gets them, against python-docx loading the package
    (the reader it replaced, and the oracle tests/attachments/test_docx.py holds it to)."""
    from crawler.attachments.docx import read_docx
    from tests.attachments.oracle import python_docx_reading

    ours: list[float] = []
    peer: list[float] = []
    for body in bodies:
        if not read_docx(body).extracted:
            continue  # damaged: both would only say so
        python_docx_reading(body)  # warm: imports and first-use caches
        with _timed(ours):
            read_docx(body)
        with _timed(peer):
            python_docx_reading(body)
    return {"read_docx": _summary(ours), "python_docx": _summary(peer)}


def _replay(archive: Archive, readings: list[tuple[dict[str, Any], Reading]],
            agency_of: dict[str, int]) -> dict[str, Any]:
    run_id = archive.start_run({"bench": "micro"})
    agencies: dict[int, int] = {}
    record_ms: list[float] = []
    archive_ms: list[float] = []
    for f, reading in readings:
        moment = datetime.fromisoformat(f["fetched_at"].rstrip("Z"))
        with _timed(record_ms):
            record = archive.record_fetch(
                run_id=run_id, url=f["url"], final_url=f["final_url"], status=200, headers=f["headers"],
                body=f["payload"], content_type=f["content_type"], encoding=None, fetched_at=moment, kind=f["kind"])
        if reading.report is None or f["url"] not in agency_of:
            continue
        source_agency = agency_of[f["url"]]
        if source_agency not in agencies:
            agencies[source_agency] = archive.upsert_agency(Seed(f"agency {source_agency}", f["url"]))
        with _timed(archive_ms):
            archive.archive_document(
                run_id=run_id, agency_id=agencies[source_agency], fetch_id=record.fetch_id, url=f["url"],
                doc=reading.document, report=reading.report, text_print=reading.text_print, fetched_at=moment)
    urls = [f["url"] for f, _ in readings]
    lookups: dict[str, list[float]] = {"validators": [], "is_due": []}
    for _ in range(2):  # the second pass is the one kept: the read-only engine is open and warm
        lookups = {"validators": [], "is_due": []}
        for url in urls:
            with _timed(lookups["validators"]):
                archive.validators(url)
            with _timed(lookups["is_due"]):
                archive.is_due(url, "report")
    return {"record_fetch": _summary(record_ms), "archive_document": _summary(archive_ms),
            "lookups": {k: _summary(v) for k, v in lookups.items()}}
