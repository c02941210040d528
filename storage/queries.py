"""The archive's read API: export records (docs/schema.md), report table, run summary, events.

A mixin so ``Archive`` offers reads and writes on one object while each file keeps one job.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.diff import cell_diff, meta_diff, text_diff
from storage import blobs, revisit
from storage.coverage import coverage as coverage_rows
from storage.db import StorageError, describe_error, reader, utc_naive
from storage.models import Agency, CrawlRun, Event, Fetch, Relation, Report, ReportVersion, Sighting

T = TypeVar("T")
# Per-request lookups, built once (building and cache-keying a statement cost more than running it).
# The newest good responses of a URL, for its conditional GET:
_VALIDATORS = (
    select(Fetch.status, Fetch.etag, Fetch.last_modified, Fetch.kind, Fetch.outcome)
    .where(Fetch.url == bindparam("url"), Fetch.status.in_((200, 304)))
    .order_by(Fetch.fetched_at.desc(), Fetch.id.desc()).limit(20)
)
# Asked for every report or file not yet due:
_REMOVED_SIGHTING = select(Sighting.id).where(Sighting.url == bindparam("url"), Sighting.removed_at.is_not(None)).limit(1)


def iso(moment: datetime | None) -> str | None:
    """Stored naive-UTC datetimes as ``2026-11-20T03:11:09Z``."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def _pairs(result: Any) -> dict[Any, Any]:
    return {row[0]: row[1] for row in result}


def _version_meta(v: ReportVersion) -> dict[str, Any]:
    parsed = v.parsed or {}
    return {"title": v.title, "published": v.published, "agency": parsed.get("agency"),
            "year": parsed.get("year")}


class ReadAPI:
    engine: Engine

    @property
    def _reader(self) -> Engine:
        """The read-only view of ``engine``, made once (``storage.db.reader``)."""
        engine = self.__dict__.get("_reader_engine")
        if engine is None:
            engine = self.__dict__["_reader_engine"] = reader(self.engine)
        return engine

    def _read(self, what: str, fn: Callable[[Session], T]) -> T:
        try:
            with Session(self._reader) as s:
                return fn(s)
        except SQLAlchemyError as err:
            raise StorageError(f"{what}: {describe_error(err)}") from None

    def _lookup(self, what: str, fn: Callable[[Connection], T]) -> T:
        """``_read`` for the lookups the crawl makes per request: a plain connection, no Session
        (a Session's setup costs as much as the lookup itself, and the crawl makes one per request)."""
        try:
            with self._reader.connect() as conn:
                return fn(conn)
        except SQLAlchemyError as err:
            raise StorageError(f"{what}: {describe_error(err)}") from None

    @staticmethod
    def _urls(s: Session, report_ids: list[int] | None = None) -> dict[int, list[str]]:
        q = select(Sighting.report_id, Sighting.url).order_by(Sighting.first_seen, Sighting.id)
        if report_ids is not None:
            q = q.where(Sighting.report_id.in_(report_ids))
        out: dict[int, list[str]] = defaultdict(list)
        for rid, url in s.execute(q):
            out[rid].append(url)
        return out

    def export_versions(self, latest: bool = False) -> Iterator[dict[str, Any]]:
        """One schema.md record per version; ``latest``: each report's newest clean version
        (the flagged one only when no clean text was ever seen), with the report's state."""
        try:
            with Session(self._reader) as s:
                urls = self._urls(s)
                agencies = _pairs(s.execute(select(Agency.id, Agency.name)))
                places = {i: (region, level) for i, region, level in s.execute(
                    select(Agency.id, Agency.region, Agency.level))}
                reports = {r.id: r for r in s.scalars(select(Report))}
                q = select(ReportVersion).order_by(ReportVersion.report_id, ReportVersion.n)
                if not latest:
                    for v in s.scalars(q.execution_options(yield_per=200)):
                        yield self._record(v, reports[v.report_id], agencies, urls.get(v.report_id, []), places)
                    return
                ids = self._latest_ids(s)  # in report order, so chunks keep the order
                for start in range(0, len(ids), 500):  # bounded IN lists (SQLite variable limit)
                    for v in s.scalars(q.where(ReportVersion.id.in_(ids[start : start + 500]))):
                        yield self._record(v, reports[v.report_id], agencies, urls.get(v.report_id, []), places)
        except SQLAlchemyError as err:
            raise StorageError(f"export: {describe_error(err)}") from None

    @staticmethod
    def _latest_ids(s: Session) -> list[int]:
        best: dict[int, tuple[bool, int, int]] = {}
        for vid, rid, n, flagged in s.execute(
            select(ReportVersion.id, ReportVersion.report_id, ReportVersion.n, ReportVersion.flagged)
        ):
            key = (not flagged, n, vid)  # clean beats flagged, then newest
            if rid not in best or key > best[rid]:
                best[rid] = key
        return [best[rid][2] for rid in sorted(best)]

    @staticmethod
    def _record(v: ReportVersion, r: Report, agencies: dict[int, str], urls: list[str],
                places: dict[int, tuple[str, str]] | None = None) -> dict[str, Any]:
        parsed = v.parsed or {}
        region, level = (places or {}).get(r.agency_id, ("", ""))
        return {
            "report_id": r.id,
            "agency": r.publisher or agencies.get(r.agency_id, ""),
            "seed_agency": agencies.get(r.agency_id, ""),
            "year": r.year,
            "title": v.title or r.title,
            "url": v.url,
            "urls": urls,
            "version": v.n,
            "state": r.state,
            "flagged": v.flagged,
            "fetched_at": iso(v.fetched_at),
            "first_seen": iso(r.first_seen),
            "last_seen": iso(r.last_seen),
            "published": v.published,
            "text_sha256": v.text_sha256,
            "text": v.text,
            "format": v.format,
            "proactive": parsed.get("proactive") or {},
            "requests": parsed.get("requests") or {},
            "review_litigation": parsed.get("review_litigation") or {},
            "legacy_figures": parsed.get("legacy_figures") or {},
            "checks": v.checks or [],
            "spam": v.spam or {},
            "tables": v.tables or [],
            "changed_cells": v.changed_cells or [],
            "meta_changes": v.meta_changes or [],
            "source_sha256": v.blob_sha256,
            "region": region or "",  # the seed agency's, as in its seed row
            "level": level or "",
        }

    def reports(self) -> list[dict[str, Any]]:
        """Rows for the demo table: id, agency, year, title, state, versions, urls."""

        def go(s: Session) -> list[dict[str, Any]]:
            counts = _pairs(s.execute(
                select(ReportVersion.report_id, func.count()).group_by(ReportVersion.report_id)
            ))
            agencies = _pairs(s.execute(select(Agency.id, Agency.name)))
            urls = self._urls(s)
            return [
                {"id": r.id, "agency": r.publisher or agencies.get(r.agency_id, ""),
                 "seed_agency": agencies.get(r.agency_id, ""), "year": r.year, "title": r.title,
                 "state": r.state, "versions": counts.get(r.id, 0), "urls": urls.get(r.id, []),
                 "first_seen": iso(r.first_seen), "last_seen": iso(r.last_seen)}
                for r in s.scalars(select(Report).order_by(Report.agency_id, Report.year, Report.id))
            ]

        return self._read("reports", go)

    def versions(self, report_id: int) -> list[dict[str, Any]]:
        """Version history of one report (for ``nianbao versions``)."""

        def go(s: Session) -> list[dict[str, Any]]:
            return [
                {"n": v.n, "url": v.url, "fetched_at": iso(v.fetched_at), "text_sha256": v.text_sha256,
                 "flagged": v.flagged, "title": v.title, "published": v.published,
                 "changed_cells": v.changed_cells or [], "meta_changes": v.meta_changes or []}
                for v in s.scalars(select(ReportVersion).where(ReportVersion.report_id == report_id)
                                   .order_by(ReportVersion.n))
            ]

        return self._read("versions", go)

    def diff(self, report_id: int, from_n: int | None = None, to_n: int | None = None) -> dict[str, Any] | None:
        """Text, cell and metadata diff between two versions (default: the last two); None if unknown."""

        def go(s: Session) -> dict[str, Any] | None:
            vs = {v.n: v for v in s.scalars(select(ReportVersion).where(ReportVersion.report_id == report_id))}
            if not vs:
                return None
            ns = sorted(vs)
            b = to_n if to_n is not None else ns[-1]
            a = from_n if from_n is not None else (ns[-2] if len(ns) > 1 else ns[-1])
            if a not in vs or b not in vs:
                return None
            old, new = vs[a], vs[b]
            return {"report_id": report_id, "from": a, "to": b, "text_diff": text_diff(old.text, new.text),
                    "changed_cells": cell_diff(old.parsed or {}, new.parsed or {}),
                    "meta_changes": meta_diff(_version_meta(old), _version_meta(new))}

        return self._read("diff", go)

    def run_summary(self, run_id: int) -> dict[str, Any]:
        """Run row plus what the database saw in it: fetches, bytes, new blobs, outcomes, events."""

        def go(s: Session) -> dict[str, Any]:
            run = s.get(CrawlRun, run_id)
            if run is None:
                return {"run_id": run_id, "found": False}
            status = Counter(_pairs(s.execute(
                select(Fetch.status, func.count()).where(Fetch.run_id == run_id).group_by(Fetch.status)
            )))
            outcomes = _pairs(s.execute(
                select(Fetch.outcome, func.count()).where(Fetch.run_id == run_id, Fetch.outcome.is_not(None))
                .group_by(Fetch.outcome)
            ))
            events = _pairs(s.execute(
                select(Event.kind, func.count()).where(Event.run_id == run_id).group_by(Event.kind)
            ))
            fetched_bytes = s.scalar(select(func.coalesce(func.sum(Fetch.size), 0)).where(Fetch.run_id == run_id))
            first = (select(Fetch.blob_sha256, func.min(Fetch.id).label("first_id"))
                     .where(Fetch.blob_sha256.is_not(None)).group_by(Fetch.blob_sha256).subquery())
            new_blobs = s.scalar(select(func.count()).select_from(first)
                                 .join(Fetch, Fetch.id == first.c.first_id).where(Fetch.run_id == run_id))
            errors = s.scalar(select(func.count()).select_from(Fetch)
                              .where(Fetch.run_id == run_id, Fetch.error.is_not(None)))
            return {
                "run_id": run.id, "found": True, "started_at": iso(run.started_at),
                "finished_at": iso(run.finished_at), "exit_status": run.exit_status, "info": run.info or {},
                "stats": run.stats or {}, "fetches": sum(status.values()),
                "by_status": {str(k): v for k, v in sorted(status.items())},
                "bytes": int(fetched_bytes or 0), "new_blobs": int(new_blobs or 0), "errors": int(errors or 0),
                "outcomes": outcomes, "events": events,
            }

        return self._read("run_summary", go)

    def coverage(self, years: list[int] | None = None, since: int | None = None) -> list[dict[str, Any]]:
        """Agency × year matrix rows (found / missing; late against the statutory deadline)."""
        return self._read("coverage", lambda s: coverage_rows(s, years, since))

    def sightings(self, agency_id: int | None = None, live_only: bool = True) -> list[dict[str, Any]]:
        """Known report URLs (for the spider: re-visit them, notice the ones that left their list)."""

        def go(s: Session) -> list[dict[str, Any]]:
            q = (select(Sighting, Report.agency_id, Report.year)
                 .join(Report, Report.id == Sighting.report_id).order_by(Sighting.id))
            if agency_id is not None:
                q = q.where(Report.agency_id == agency_id)
            if live_only:
                q = q.where(Sighting.removed_at.is_(None))
            return [
                {"url": sg.url, "report_id": sg.report_id, "agency_id": aid, "year": year,
                 "first_seen": iso(sg.first_seen), "last_seen": iso(sg.last_seen),
                 "removed_at": iso(sg.removed_at), "removed_reason": sg.removed_reason}
                for sg, aid, year in s.execute(q)
            ]

        return self._read("sightings", go)

    def runs(self) -> list[dict[str, Any]]:
        """Every crawl run, oldest first: id, started, finished, exit_status, info, stats, and its
        fetches (how many, the last one's time): all a run that never finished leaves to tell."""

        def go(s: Session) -> list[dict[str, Any]]:
            fetched = {run_id: (n, last) for run_id, n, last in s.execute(
                select(Fetch.run_id, func.count(), func.max(Fetch.fetched_at)).group_by(Fetch.run_id))}
            return [
                {"id": r.id, "started": iso(r.started_at), "finished": iso(r.finished_at),
                 "exit_status": r.exit_status, "info": r.info or {}, "stats": r.stats or {},
                 "fetches": fetched.get(r.id, (0, None))[0], "last_fetch": iso(fetched.get(r.id, (0, None))[1])}
                for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))
            ]

        return self._read("runs", go)

    def events(self, since: datetime | None = None, run_id: int | None = None) -> list[dict[str, Any]]:
        """Events in order; ``since`` is compared with their time (the fetch that caused them; naive = UTC)."""

        def go(s: Session) -> list[dict[str, Any]]:
            q = select(Event).order_by(Event.id)
            if since is not None:
                q = q.where(Event.created_at >= utc_naive(since))
            if run_id is not None:
                q = q.where(Event.run_id == run_id)
            vns = _pairs(s.execute(select(ReportVersion.id, ReportVersion.n)))
            return [
                {"id": e.id, "kind": e.kind, "report_id": e.report_id, "version": vns.get(e.version_id),
                 "run_id": e.run_id, "url": e.url, "detail": e.detail or {}, "created_at": iso(e.created_at)}
                for e in s.scalars(q)
            ]

        return self._read("events", go)

    def relations(self) -> list[dict[str, Any]]:
        """Boilerplate-copy (内容雷同) pairs across agencies."""

        def go(s: Session) -> list[dict[str, Any]]:
            return [
                {"report_id": r.report_id, "other_report_id": r.other_report_id, "kind": r.kind,
                 "similarity": r.similarity, "created_at": iso(r.created_at)}
                for r in s.scalars(select(Relation).order_by(Relation.id))
            ]

        return self._read("relations", go)

    def fetches(self, run_id: int | None = None, with_payload: bool = False) -> Iterator[dict[str, Any]]:
        """The capture log (for WARC export): headers, status, validators and optionally the payload."""
        try:
            with Session(self._reader) as s:
                q = select(Fetch).order_by(Fetch.id)
                if run_id is not None:
                    q = q.where(Fetch.run_id == run_id)
                for f in s.scalars(q.execution_options(yield_per=200)):
                    rec: dict[str, Any] = {"id": f.id, "run_id": f.run_id, "url": f.url, "final_url": f.final_url,
                           "status": f.status, "headers": f.headers or {}, "etag": f.etag,
                           "last_modified": f.last_modified, "content_type": f.content_type,
                           "encoding": f.encoding, "blob_sha256": f.blob_sha256, "payload_sha256": f.payload_sha256,
                           "size": f.size,
                           "error": f.error, "outcome": f.outcome, "kind": f.kind, "fetched_at": iso(f.fetched_at)}
                    if with_payload:
                        rec["payload"] = blobs.get(s, f.blob_sha256) if f.blob_sha256 else None
                    yield rec
        except SQLAlchemyError as err:
            raise StorageError(f"fetches: {describe_error(err)}") from None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the last good response for ``url``, for a conditional GET.

        Only from a response that went all the way through the pipelines: a report fetched but
        never archived (the crawl was killed in between) must be fetched whole again, or a 304
        would hide it for good.
        """
        rows = self._lookup("validators", lambda conn: conn.execute(_VALIDATORS, {"url": url}).all())
        newer: tuple[str | None, str | None] | None = None  # a 304 may bring fresh validators
        for status, etag, modified, kind, outcome in rows:
            if status == 304:
                if newer is None and (etag or modified):
                    newer = (etag, modified)
                continue  # it confirms the 200 below it
            if revisit.unfinished(status, kind, outcome):
                return None, None
            return newer or (etag, modified)
        return None, None

    def check_state(self, url: str, run_id: int) -> revisit.Known | None:
        """What this run needs to know to check a known report or file (``storage.revisit.plan_check``)."""
        has_validators = any(self.validators(url))

        def go(conn: Connection) -> revisit.Known | None:
            removed = conn.execute(_REMOVED_SIGHTING, {"url": url}).first() is not None
            return revisit.known_state(conn, url, run_id, has_validators, removed)

        return self._lookup("check_state", go)

    def known_reports(self) -> dict[str, list[tuple[str, str]]]:
        """Per agency (its seed name): the URLs of its live reports and their files, each with the
        kind it was fetched as (report | attachment). The spider asks for the ones nothing linked
        this run: a report is checked even after it left every list."""

        def go(conn: Connection) -> dict[str, list[tuple[str, str]]]:
            rows = conn.execute(
                select(Agency.name, Sighting.url).join(Report, Report.id == Sighting.report_id)
                .join(Agency, Agency.id == Report.agency_id)
                .where(Sighting.removed_at.is_(None)).order_by(Sighting.id)).all()
            attachments = set(conn.scalars(select(Fetch.url).where(Fetch.kind == "attachment").distinct()))
            out: dict[str, dict[str, str]] = defaultdict(dict)
            for name, url in rows:
                out[name].setdefault(url, "attachment" if url in attachments else "report")
            return {name: list(urls.items()) for name, urls in out.items()}

        return self._lookup("known_reports", go)

    def next_visit(self, url: str, kind: str | None = None) -> datetime | None:
        """When ``url`` is next due (naive UTC; None = never fetched): see storage.revisit."""
        return self._lookup("next_visit", lambda conn: revisit.next_visit(conn, url, kind))

    def is_due(self, url: str, kind: str | None = None, now: datetime | None = None) -> bool:
        """Should the spider fetch ``url`` now? ``kind``: list | report | attachment."""
        due = self.next_visit(url, kind)
        if due is None or utc_naive(now) >= due:
            return True
        if kind == "list":
            return False  # lists are never removed: no sighting to look up
        # A report marked removed that is linked again: look now, it may be back.
        return self._lookup("is_due", lambda conn: conn.execute(_REMOVED_SIGHTING, {"url": url}).first() is not None)

    def last_payload(self, url: str) -> tuple[bytes, dict[str, str]] | None:
        """The newest stored payload of ``url`` and its response headers (a 304 replays it)."""

        def go(s: Session) -> tuple[bytes, dict[str, str]] | None:
            row = s.execute(
                select(Fetch.blob_sha256, Fetch.headers)
                .where(Fetch.url == url, Fetch.status == 200, Fetch.blob_sha256.is_not(None))
                .order_by(Fetch.fetched_at.desc(), Fetch.id.desc()).limit(1)
            ).first()
            if row is None:
                return None
            data = blobs.get(s, row[0])
            return None if data is None else (data, dict(row[1] or {}))

        return self._read("last_payload", go)

    def last_blob(self, url: str) -> str | None:
        """The digest of the newest stored payload of ``url`` (has a list page changed?)."""
        return self._lookup("last_blob", lambda conn: conn.execute(
            select(Fetch.blob_sha256).where(Fetch.url == url, Fetch.status == 200, Fetch.blob_sha256.is_not(None))
            .order_by(Fetch.fetched_at.desc(), Fetch.id.desc()).limit(1)).scalar())

    def blob(self, digest: str) -> bytes | None:
        return self._read("blob", lambda s: blobs.get(s, digest))
