"""The archive's write API, called by the pipelines: one transaction per call, retried on conflicts.

Versioning rule (docs/DESIGN.md): a report's versions follow one *source URL*; the text seen at
every other URL (the PDF attachment of an HTML page, a repost on the city portal) only moves its
sighting. So a report fetched as page + PDF every crawl never churns versions, while a changed
cell on the source page makes exactly one new version with its diffs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.decide import Decision, Incoming, Prior, decide, place
from crawler.diff import cell_diff, meta_diff, text_diff
from crawler.fingerprint import TextPrint, minhash_of, normalise, payload_fingerprint
from crawler.fingerprint import text_print as fingerprint_text
from crawler.identity import LIST, REPORT, kind_of, other_agency, same_agency, split_name
from crawler.model import CleanDocument, Report, Seed
from storage import blobs
from storage.db import StorageError, describe_error, make_engine, migrate, utc_naive
from storage.dedup import NearDupIndex, pack
from storage.lookup import SqlLookup
from storage.models import Agency, CrawlRun, Event, Fetch, Relation, ReportVersion, Sighting
from storage.models import Report as ReportRow
from storage.queries import ReadAPI
from storage.removal import RemovalAPI

log = logging.getLogger(__name__)

# Statements run for (nearly) every fetch, built once: building and cache-keying a statement cost
# more than running it.
_KEPT_BLOB = (  # the blob an earlier fetch of this URL with the same payload fingerprint points at
    select(Fetch.blob_sha256)
    .where(Fetch.url == bindparam("url"), Fetch.payload_fp == bindparam("fp"), Fetch.blob_sha256.is_not(None))
    .order_by(Fetch.id.desc()).limit(1)
)
_SIGHTING_OF_REPORT = select(Sighting).where(Sighting.report_id == bindparam("report_id"),
                                             Sighting.url == bindparam("url"))
# The fetch log is written and updated through the table on the session's connection, not the ORM:
# a fetch row is never read back as an object, and the unit of work cost more than the INSERT.
_FETCHES = cast(Table, Fetch.__table__)  # a Table at run time; SQLAlchemy types it as FromClause
_INSERT_FETCH = insert(_FETCHES)
_FETCH_BLOB = select(_FETCHES.c.blob_sha256).where(_FETCHES.c.id == bindparam("fetch_id"))
_SET_OUTCOME = update(_FETCHES).where(_FETCHES.c.id == bindparam("fetch_id")).values(outcome=bindparam("outcome"))
_AGENCY_NAME = select(Agency.name).where(Agency.id == bindparam("agency_id"))

T = TypeVar("T")
RETRIES = 6
MAX_RELATIONS = 5  # closest boilerplate matches recorded per new report (a shared template is O(n²))
_TRANSIENT = ("deadlock", "could not serialize", "database is locked", "lock timeout")
_NOT_WORD = re.compile(r"[\W_]+")


class _Stale(Exception):
    """A concurrent writer changed what a decision was made on: the transaction reruns."""


@dataclass(frozen=True)
class FetchRecord:
    fetch_id: int
    blob_sha256: str | None  # the stored payload (an equivalent earlier one when ``equivalent``)
    new_blob: bool
    equivalent: bool = False  # bytes differed from the kept blob only in hit counters


@dataclass
class ArchiveResult:
    report_id: int | None
    outcome: str  # new | revised | unchanged | sighting | defaced | near-duplicate | skipped
    version_n: int | None = None
    changed_cells: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def publisher_key(name: str | None) -> str:
    """Agency name reduced to letters and digits, so 「XX局 」 and "XX局" are one publisher."""
    return _NOT_WORD.sub("", normalise(name or "")).lower()[:200]


def _plain(value: Any) -> Any:
    """One level of a dataclass as a dict (json recurses into it); anything else json can't write, as text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value)


def _jsonable(value: Any) -> Any:
    """Plain JSON (Scrapy stats hold datetimes; a JSON column must not fail on them). Dataclasses
    become dicts as ``dataclasses.asdict`` makes them, in the same pass (asdict deep-copies first:
    0.21 -> 0.08 ms a parsed report, by hand)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_plain))


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value)
    return None


class Archive(ReadAPI, RemovalAPI):
    """Write/read API over one database; safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._index = NearDupIndex()
        self._agency_names: dict[int, str] = {}  # agency rows are never renamed or deleted

    @classmethod
    def from_url(cls, url: str | None = None) -> Archive:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    # -- plumbing --------------------------------------------------------------------------
    def _tx(self, what: str, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction; a lost race (unique key, deadlock) reruns it from scratch."""
        last: Exception | None = None
        for attempt in range(RETRIES):
            try:
                with Session(self.engine, expire_on_commit=False) as session, session.begin():
                    return fn(session)
            except (IntegrityError, _Stale) as err:
                last = err
            except OperationalError as err:
                if not any(t in str(err.orig).lower() for t in _TRANSIENT):
                    raise StorageError(f"{what}: {describe_error(err)}") from None
                last = err
            except (DBAPIError, SQLAlchemyError) as err:
                raise StorageError(f"{what}: {describe_error(err)}") from None
            log.debug("%s: retrying after conflict (%s)", what, last)
            time.sleep(0.02 * (attempt + 1))
        raise StorageError(f"{what}: gave up after {RETRIES} conflicting writes: "
                           f"{describe_error(last) if last is not None else 'unknown conflict'}")

    @staticmethod
    def _event(s: Session, kind: str, *, report_id: int | None, run_id: int | None, url: str | None,
               now: datetime, version_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
        s.add(Event(kind=kind, report_id=report_id, version_id=version_id, run_id=run_id, url=url,
                    detail=detail or {}, created_at=now))

    # -- runs and agencies -----------------------------------------------------------------
    def start_run(self, info: dict[str, Any]) -> int:
        def go(s: Session) -> int:
            run = CrawlRun(started_at=utc_naive(None), info=_jsonable(dict(info or {})), stats={})
            s.add(run)
            s.flush()
            return run.id

        return self._tx("start_run", go)

    def finish_run(self, run_id: int, stats: dict[str, Any], exit_status: int) -> None:
        def go(s: Session) -> None:
            run = s.get(CrawlRun, run_id)
            if run is None:
                log.warning("finish_run: no crawl run %s", run_id)
                return
            run.finished_at = utc_naive(None)
            run.stats = _jsonable(dict(stats or {}))
            run.exit_status = int(exit_status)

        self._tx("finish_run", go)

    def upsert_agency(self, seed: Seed) -> int:
        def go(s: Session) -> int:
            row = s.scalar(select(Agency).where(Agency.name == seed.agency))
            if row is None:
                row = Agency(name=seed.agency, created_at=utc_naive(None))
                s.add(row)
            row.region, row.level, row.seed_url = seed.region or "", seed.level or "", seed.url or ""
            row.domains = list(seed.domains or ())
            s.flush()
            return row.id

        return self._tx("upsert_agency", go)

    def upsert_agencies(self, seeds: list[Seed]) -> dict[str, int]:
        """``upsert_agency`` for many seeds in one transaction: agency name -> id."""

        def go(s: Session) -> dict[str, int]:
            rows = {r.name: r for r in s.scalars(select(Agency).where(Agency.name.in_([x.agency for x in seeds])))}
            for seed in seeds:
                row = rows.get(seed.agency)
                if row is None:
                    row = rows[seed.agency] = Agency(name=seed.agency, created_at=utc_naive(None))
                    s.add(row)
                row.region, row.level, row.seed_url = seed.region or "", seed.level or "", seed.url or ""
                row.domains = list(seed.domains or ())
            s.flush()
            return {name: row.id for name, row in rows.items()}

        return self._tx("upsert_agencies", go) if seeds else {}

    # -- capture ---------------------------------------------------------------------------
    def note_outcome(self, fetch_id: int, outcome: str) -> None:
        """Record what became of a fetch that the archive stage never saw (e.g. "not-report")."""

        def go(s: Session) -> None:
            s.connection().execute(_SET_OUTCOME, {"fetch_id": fetch_id, "outcome": outcome})

        self._tx("note a fetch outcome", go)

    def record_fetch(self, *, run_id: int | None, url: str, final_url: str | None, status: int,
                     headers: dict[str, str] | None, body: bytes | None, content_type: str | None,
                     encoding: str | None, fetched_at: datetime | None,
                     error: str | None = None, kind: str | None = None,
                     outcome: str | None = None) -> FetchRecord:
        """Log one response; its payload becomes a blob unless it is a 304 or already stored.

        ``outcome``: what became of it when that is known already (a soft-404, an empty body); a report or
        file logged without one is read and archived next, and until then it counts as unread
        (``storage.revisit``: a crawl stopped in between leaves it due)."""
        headers = {str(k): str(v) for k, v in (headers or {}).items()}
        content_type = content_type or _header(headers, "content-type")
        payload = body if body is not None and status != 304 else None
        packed = blobs.compress(payload) if payload is not None else None
        actual = blobs.sha256(payload) if payload is not None else None
        fp = payload_fingerprint(payload, content_type) if payload is not None else None
        now = utc_naive(fetched_at)

        def go(s: Session) -> FetchRecord:
            digest, new, equivalent = actual, False, False
            if payload is not None and actual is not None and not blobs.exists(s, actual):
                # Same page, only its hit counter moved: keep pointing at the blob we have.
                kept = s.connection().scalar(_KEPT_BLOB, {"url": url, "fp": fp})
                if kept is not None:
                    digest, equivalent = kept, True
                else:
                    digest, new = blobs.put(s, payload, now, packed, digest=actual, absent=True)
            inserted = s.connection().execute(_INSERT_FETCH, {
                "run_id": run_id, "url": url, "final_url": final_url or url, "status": int(status),
                "etag": _header(headers, "etag"), "last_modified": _header(headers, "last-modified"),
                "content_type": content_type, "encoding": encoding, "headers": headers, "blob_sha256": digest,
                "payload_sha256": actual, "payload_fp": fp, "size": len(body) if body is not None else None,
                "error": error, "kind": kind, "fetched_at": now, "outcome": outcome,
            })
            if status == 304:  # "not modified" still confirms the report is there
                self._touch(s, url, now)
            key = inserted.inserted_primary_key
            assert key is not None  # an INSERT of one row always has it
            return FetchRecord(key[0], digest, new, equivalent)

        return self._tx("record_fetch", go)

    @staticmethod
    def _touch(s: Session, url: str, now: datetime) -> None:
        for sighting in s.scalars(select(Sighting).where(Sighting.url == url, Sighting.removed_at.is_(None))):
            sighting.last_seen = max(sighting.last_seen, now)
            row = s.get(ReportRow, sighting.report_id)
            if row is not None:
                row.last_seen = max(row.last_seen, now)

    # -- archive ---------------------------------------------------------------------------
    def archive_document(self, *, run_id: int | None, agency_id: int, fetch_id: int | None, url: str,
                         doc: CleanDocument, report: Report, fetched_at: datetime | None,
                         text_print: TextPrint | None = None, via: str | None = None) -> ArchiveResult:
        """Place ``doc``: a new report, a new version, a sighting, a stub, or nothing new (a list page,
        another agency's report). The rules are crawler.decide's; this looks up and applies.

        ``text_print`` is ``crawler.fingerprint.text_print(doc.text)`` when the caller has it
        already (the crawl computes it in its reading process); otherwise it is computed here.
        ``via``: the page that linked this file (a wrapper page and its file meet through it).
        """
        if not isinstance(doc, CleanDocument) or not isinstance(report, Report):
            log.warning("archive_document: %s needs a CleanDocument and a Report; not archived", url)
            return self._skipped(fetch_id)
        printed = text_print if isinstance(text_print, TextPrint) else fingerprint_text(doc.text)
        if not printed.sha256:
            log.warning("archive_document: %s has no text after normalisation; not archived", url)
            return self._skipped(fetch_id)
        sha = printed.sha256
        sig = minhash_of(printed.hashes)  # outside the transaction: CPU work, no locks held
        now = utc_naive(fetched_at)
        kind = kind_of(doc.text, len(doc.tables))
        ctx = _Doc(url=url, doc=doc, report=report, sha=sha, sig=pack(sig), spam=bool(doc.spam.detected),
                   run_id=run_id, fetch_id=fetch_id, now=now, kind=kind.kind, kind_reason=kind.reason,
                   via=(via or "").split("#", 1)[0] if (via or "").split("#", 1)[0] != url else "")

        def go(s: Session) -> ArchiveResult:
            agency_name = self._agency_name(s, agency_id)
            if agency_name is None:
                log.warning("archive_document: unknown agency id %s for %s; not archived", agency_id, url)
                return ArchiveResult(None, "skipped")
            fetch = s.connection().execute(_FETCH_BLOB, {"fetch_id": fetch_id}).first() if fetch_id else None
            ctx.blob = fetch.blob_sha256 if fetch else None
            result = self._archive(s, ctx, agency_id, agency_name, sig)
            if fetch is not None:
                s.connection().execute(_SET_OUTCOME, {"fetch_id": fetch_id, "outcome": result.outcome})
            return result

        return self._tx("archive_document", go)

    def _agency_name(self, s: Session, agency_id: int) -> str | None:
        name = self._agency_names.get(agency_id)
        if name is None:
            name = s.scalar(_AGENCY_NAME, {"agency_id": agency_id})
            if name is not None:
                self._agency_names[agency_id] = name
        return name

    def _skipped(self, fetch_id: int | None) -> ArchiveResult:
        """Nothing to archive: its fetch is done with all the same (storage.revisit)."""
        if fetch_id:
            self.note_outcome(fetch_id, "skipped")
        return ArchiveResult(None, "skipped")

    def _archive(self, s: Session, d: _Doc, agency_id: int, agency_name: str, sig: Any) -> ArchiveResult:
        """Look up the prior (crawler.decide.place), decide, apply: all in this one transaction."""
        year = d.report.year
        pub_name = (d.report.agency or agency_name).strip()
        title = " ".join((d.report.title or "", d.doc.title or ""))
        if d.kind != LIST and not d.spam and other_agency(agency_name, d.report.agency, title):
            # Linked from the seed's pages but published by another agency: its own seed row if
            # the list holds one, else not stored (counted, and offered by `nianbao seeds suggest`).
            other = self._seeded_agency(s, d.report.agency or "")
            if other is not None:
                agency_id, agency_name = other
            else:
                d.out_of_seed = True
        pkey = publisher_key(pub_name)
        identity = (f"y|{agency_id}|{year}|{pkey}" if year is not None
                    else "u|" + hashlib.sha256(d.url.encode("utf-8")).hexdigest())
        inc = Incoming(url=d.url, sha=d.sha, kind=d.kind, spam=d.spam, year=year, identity=identity,
                       via=d.via, out_of_seed=d.out_of_seed, run=d.run_id)
        look = SqlLookup(s, agency_id, self._index, sig, year)
        prior = place(inc, look)
        decision = decide(prior, inc)
        if decision.outcome == "out-of-seed":
            self._event(s, "out-of-seed", report_id=None, run_id=d.run_id, url=d.url, now=d.now,
                        detail={"agency": pub_name, "year": year, "seed_agency": agency_name,
                                "title": self._meta(d)["title"]})
            return ArchiveResult(None, "out-of-seed", events=["out-of-seed"])
        if decision.outcome == "list":
            log.info("%s is a list page (%s): not archived", d.url, d.kind_reason)
            return ArchiveResult(None, "list")
        if decision.new_report:
            meta = self._meta(d)
            row = ReportRow(
                agency_id=agency_id, year=year, publisher=pub_name, publisher_key=pkey, identity=identity,
                canonical_url=d.url, source_url=d.url, title=meta["title"] or "", published=meta["published"],
                state=decision.state, stub=decision.stub, first_run=d.run_id, first_seen=d.now, last_seen=d.now,
            )
            s.add(row)
            s.flush()
        else:
            assert prior.report is not None
            found = s.get(ReportRow, int(prior.report.key))
            assert found is not None  # looked up in this transaction
            row = found
        return self._apply(s, row, prior, decision, d, inc, look)

    def _apply(self, s: Session, row: ReportRow, prior: Prior, dec: Decision, d: _Doc, inc: Incoming,
               look: SqlLookup) -> ArchiveResult:
        row.last_seen = max(row.last_seen, d.now)
        old_sha = self._place_sighting(s, row, dec, d)
        moved_from = row.source_url
        if dec.source_url and not dec.new_report:
            row.source_url = dec.source_url
        latest_clean = self._latest(s, row.id, clean=True)
        version, n = self._version_for(s, row, dec, d, inc)
        if dec.follow_meta and not d.spam and d.kind == REPORT:
            meta = self._meta(d)
            row.title, row.published = meta["title"] or row.title, meta["published"] or row.published
            # The display name follows the latest clean text (a report first seen defaced may carry
            # the gambling brand as its publisher); the identity key stays as first recorded.
            row.publisher = (d.report.agency or row.publisher).strip()
        row.state = dec.state or row.state
        row.stub = dec.stub
        s.flush()
        happened = _Happened(prior.report, dec, version, n, latest_clean, moved_from, old_sha)
        for kind in dec.events:
            detail, version_id = self._event_detail(kind, row, d, happened)
            self._event(s, kind, report_id=row.id, version_id=version_id, run_id=d.run_id, url=d.url,
                        now=d.now, detail=detail)
        events = list(dec.events)
        if dec.outcome == "new":
            self._relate(s, row, d, look, events)
        changed = list(version.changed_cells) if version is not None and dec.outcome != "new" else []
        version_n = n if version is not None and dec.outcome in ("new", "revised", "defaced", "stub") else None
        return ArchiveResult(row.id, dec.outcome, version_n, changed, events)

    @staticmethod
    def _place_sighting(s: Session, row: ReportRow, dec: Decision, d: _Doc) -> str | None:
        """Add or update the sighting of ``d.url``; returns the text digest it showed before."""
        sighting = s.scalar(_SIGHTING_OF_REPORT, {"report_id": row.id, "url": d.url})
        if sighting is not None and dec.sighting == "add":
            # Another writer added this URL after our lookups: decide again on what it wrote.
            raise _Stale(d.url)
        old_sha = sighting.last_text_sha256 if sighting is not None else None
        if sighting is None:
            sighting = Sighting(report_id=row.id, url=d.url, first_seen=d.now, last_seen=d.now,
                                last_text_sha256=d.sha, last_fetch_id=d.fetch_id, via=d.via)
            s.add(sighting)
        else:
            sighting.last_seen = max(sighting.last_seen, d.now)
            sighting.last_fetch_id = d.fetch_id or sighting.last_fetch_id
            sighting.last_text_sha256 = d.sha
            sighting.via = d.via or sighting.via
        if dec.restore_sighting:
            sighting.removed_at, sighting.removed_reason = None, None
        return old_sha

    def _version_for(self, s: Session, row: ReportRow, dec: Decision, d: _Doc,
                     inc: Incoming) -> tuple[ReportVersion | None, int | None]:
        """The version the decision adds (or puts in place of version 1), and its number."""
        if dec.replace_first:
            return self._replace_first(s, row, d, inc, dec), 1
        if dec.add_version:
            n = (s.scalar(select(func.max(ReportVersion.n)).where(ReportVersion.report_id == row.id)) or 0) + 1
            previous = self._version(s, row.id, dec.previous) if dec.previous else None
            return self._add_version(s, row, d, n=n, previous=previous), n
        return None, None

    def _event_detail(self, kind: str, row: ReportRow, d: _Doc,
                      h: _Happened) -> tuple[dict[str, Any], int | None]:
        """An event's detail and the version it points at."""
        dec, version, n = h.decision, h.version, h.n
        vid = version.id if version is not None else None
        if kind in ("new", "stub"):
            detail: dict[str, Any] = {"year": row.year, "agency": row.publisher, "title": row.title}
            if kind == "stub":
                detail["reason"] = d.kind_reason
            return detail, vid
        if kind == "defaced":
            detail = {"findings": self._findings(d)}
            detail.update({"first_seen_defaced": True} if "new" in dec.events else
                          {"version": n if version is not None else None})
            return detail, vid
        if kind == "restored":
            return self._restored_detail(row, d, h)
        if kind == "source-moved":
            return {"from": h.moved_from, "to": d.url}, None
        if kind == "variant-changed":
            return {"old_text_sha256": h.old_sha, "new_text_sha256": d.sha, "source_url": row.source_url}, None
        if kind == "revised":
            assert version is not None
            return {"version": n, "previous": dec.previous, "changed_cells": version.changed_cells,
                    "meta_changes": version.meta_changes}, vid
        return {}, vid

    @staticmethod
    def _restored_detail(row: ReportRow, d: _Doc, h: _Happened) -> tuple[dict[str, Any], int | None]:
        """Why a report came back: seen again after removal, a variant clean again, or a clean version."""
        was, dec, version, latest_clean = h.was, h.decision, h.version, h.latest_clean
        if was is not None and was.state == "removed" and dec.events[0] == "restored":
            return {"reason": "seen again"}, None
        if dec.sighting == "update" and d.url != row.source_url:
            return {"variant": True}, None
        if version is not None:
            return {"version": h.n}, version.id
        return ({"version": latest_clean.n if latest_clean else None},
                latest_clean.id if latest_clean else None)

    def _relate(self, s: Session, row: ReportRow, d: _Doc, look: SqlLookup, events: list[str]) -> None:
        """Other agencies' or years' near-duplicates of a new report: 内容雷同, recorded, never merged."""
        for m in [m for m in look.matches if m.report_id != row.id][:MAX_RELATIONS]:
            s.add(Relation(report_id=row.id, other_report_id=m.report_id, kind="boilerplate-copy",
                           similarity=round(m.similarity, 4), created_at=d.now))
            self._event(s, "boilerplate-copy", report_id=row.id, run_id=d.run_id, url=d.url, now=d.now,
                        detail={"other_report_id": m.report_id, "similarity": round(m.similarity, 4)})
            if "boilerplate-copy" not in events:
                events.append("boilerplate-copy")

    def _replace_first(self, s: Session, row: ReportRow, d: _Doc, inc: Incoming, dec: Decision) -> ReportVersion:
        """The report's versions give way to this text as version 1 (a stub's file arrived, or a better
        rendering of a report stored this run); its events point at the new version."""
        stale = list(s.scalars(select(ReportVersion.id).where(ReportVersion.report_id == row.id)))
        pointing = list(s.scalars(select(Event.id).where(Event.version_id.in_(stale)))) if stale else []
        if stale:
            s.execute(update(Event).where(Event.id.in_(pointing)).values(version_id=None))
            s.execute(delete(ReportVersion).where(ReportVersion.id.in_(stale)))
            s.flush()
        if not dec.stub:
            meta = self._meta(d)
            row.year = inc.year if inc.year is not None else row.year
            taken = s.scalar(select(ReportRow.id).where(ReportRow.identity == inc.identity, ReportRow.id != row.id))
            if inc.identity and taken is None:
                row.identity = inc.identity
                if inc.identity.startswith("y|"):
                    row.publisher_key = inc.identity.rsplit("|", 1)[1]
            row.canonical_url = d.url
            row.publisher = (d.report.agency or row.publisher).strip()
            row.title, row.published = meta["title"] or row.title, meta["published"] or row.published
            row.source_url = d.url
        version = self._add_version(s, row, d, n=1, previous=None)
        if pointing:
            s.execute(update(Event).where(Event.id.in_(pointing)).values(version_id=version.id))
        return version

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _meta(d: _Doc) -> dict[str, Any]:
        return {
            "title": d.report.title or d.doc.title or "",
            "published": d.report.published or d.doc.published,
            "agency": d.report.agency or d.doc.agency,
            "year": d.report.year,
        }

    @staticmethod
    def _findings(d: _Doc) -> list[dict[str, str]]:
        return [{"text": f.text, "kind": f.kind} for f in d.doc.spam.findings]

    @staticmethod
    def _latest(s: Session, report_id: int, clean: bool) -> ReportVersion | None:
        q = select(ReportVersion).where(ReportVersion.report_id == report_id)
        if clean:
            q = q.where(ReportVersion.flagged.is_(False))
        return s.scalars(q.order_by(ReportVersion.n.desc()).limit(1)).first()

    def _add_version(self, s: Session, row: ReportRow, d: _Doc, *, n: int,
                     previous: ReportVersion | None) -> ReportVersion:
        parsed = _jsonable(d.report)
        meta = self._meta(d)
        if previous is not None:
            diff = text_diff(previous.text, d.doc.text)
            cells = cell_diff(previous.parsed or {}, parsed)
            prev_meta = {"title": previous.title, "published": previous.published,
                         "agency": (previous.parsed or {}).get("agency"),
                         "year": (previous.parsed or {}).get("year")}
            metas = meta_diff(prev_meta, meta)
        else:
            diff, cells, metas = "", [], []
        version = ReportVersion(
            report_id=row.id, n=n, url=d.url, text_sha256=d.sha, text=d.doc.text, title=meta["title"],
            published=meta["published"], format=d.report.format or "legacy",
            tables=[{"rows": t.rows} for t in d.doc.tables], parsed=parsed,
            checks=parsed.get("checks") or [],
            spam={"detected": bool(d.doc.spam.detected), "findings": self._findings(d)},
            flagged=d.spam, minhash=d.sig, blob_sha256=d.blob, fetch_id=d.fetch_id, fetched_at=d.now,
            diff=diff, changed_cells=cells, meta_changes=metas, created_at=utc_naive(None),
        )
        s.add(version)
        s.flush()
        return version

    @staticmethod
    def _version(s: Session, report_id: int, n: int) -> ReportVersion | None:
        return s.scalar(select(ReportVersion).where(ReportVersion.report_id == report_id, ReportVersion.n == n))

    def _seeded_agency(self, s: Session, publisher: str) -> tuple[int, str] | None:
        """The seed row a publisher belongs to, when the seed list holds it."""
        if not split_name(publisher)[0]:
            return None  # a publisher named without its area could be any county's bureau
        for aid, name in s.execute(select(Agency.id, Agency.name).order_by(Agency.id)):
            if split_name(name)[0] and same_agency(name, publisher):
                return int(aid), str(name)
        return None


@dataclass(frozen=True)
class _Happened:
    """What applying a decision did, for its events' details."""

    was: Any  # the prior report state (crawler.decide), None for a new report
    decision: Decision
    version: ReportVersion | None
    n: int | None
    latest_clean: ReportVersion | None
    moved_from: str
    old_sha: str | None


@dataclass
class _Doc:
    """Everything about one document that the archive transaction needs."""

    url: str
    doc: CleanDocument
    report: Report
    sha: str
    sig: bytes
    spam: bool
    run_id: int | None
    fetch_id: int | None
    now: datetime
    blob: str | None = None
    kind: str = REPORT  # crawler.identity: report | wrapper | list
    kind_reason: str = ""
    via: str = ""  # the page that linked this file
    out_of_seed: bool = False
