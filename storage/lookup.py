"""The archive's answers to crawler.decide's questions: which stored report a document belongs to
(``crawler.decide.Lookup``, asked by ``place`` in its order) and that report's state for ``decide``.

All reads on the archive transaction's session, so what ``decide`` sees is what the transaction writes on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from crawler.decide import ReportState, SightingState, VersionState
from storage.dedup import Match, NearDupIndex
from storage.models import Agency, ReportVersion, Sighting
from storage.models import Report as ReportRow

_SIGHTING = (  # of a URL, newest first
    select(Sighting.report_id).join(ReportRow, ReportRow.id == Sighting.report_id)
    .where(Sighting.url == bindparam("url")).order_by(Sighting.last_seen.desc(), Sighting.id.desc())
)
# A URL that now serves another year's report (a reused "latest report" address) is not a revision
# of the old one: only sightings of a compatible year count.
_SIGHTING_OF_YEAR = _SIGHTING.where(ReportRow.year.is_(None) | (ReportRow.year == bindparam("year")))
_SAME_TEXT = (  # a stub's wrapper text is nobody's report text ("详见附件" reads alike everywhere)
    select(ReportVersion.report_id).join(ReportRow, ReportRow.id == ReportVersion.report_id)
    .where(ReportVersion.text_sha256 == bindparam("sha"), ReportRow.stub.is_(False))
    .order_by(ReportVersion.flagged, ReportVersion.id)
)
_SEEN_TEXT = (
    select(Sighting.report_id).join(ReportRow, ReportRow.id == Sighting.report_id)
    .where(Sighting.last_text_sha256 == bindparam("sha"), ReportRow.stub.is_(False)).order_by(Sighting.id)
)
_IDENTITY = select(ReportRow.id).where(ReportRow.identity == bindparam("identity"))
_LINKED_FROM = (  # the report a file's linking page is a sighting of
    select(Sighting.report_id).join(ReportRow, ReportRow.id == Sighting.report_id)
    .where(Sighting.url == bindparam("via")).order_by(Sighting.id)
)
_SIBLING = (  # the report of another file the same page linked (a DOCX and a PDF of one document)
    select(Sighting.report_id).join(ReportRow, ReportRow.id == Sighting.report_id)
    .where(Sighting.via == bindparam("via")).order_by(Sighting.id)
)
_LINKING = (  # the report of a file that named this page as its linking page
    select(Sighting.report_id).join(ReportRow, ReportRow.id == Sighting.report_id)
    .where(Sighting.via == bindparam("url")).order_by(Sighting.id)
)
_OF_YEAR = (
    select(ReportRow.id).where(ReportRow.agency_id == bindparam("agency_id"), ReportRow.year == bindparam("year"),
                               ReportRow.stub == bindparam("stub")).order_by(ReportRow.id)
)
_VERSIONS = select(ReportVersion.n, ReportVersion.text_sha256, ReportVersion.flagged, ReportVersion.url).where(
    ReportVersion.report_id == bindparam("report_id"))
_SIGHTINGS = select(Sighting).where(Sighting.report_id == bindparam("report_id")).order_by(Sighting.id)


def report_state(s: Session, row: ReportRow) -> ReportState:
    versions = tuple(VersionState(n, sha, bool(flagged), url)
                     for n, sha, flagged, url in s.execute(_VERSIONS, {"report_id": row.id}))
    sightings = tuple(SightingState(x.url, x.last_text_sha256, x.removed_at is not None, x.via or "")
                      for x in s.scalars(_SIGHTINGS, {"report_id": row.id}))
    agency = s.get(Agency, row.agency_id)
    hosts: set[str] = set()
    if agency is not None:
        hosts = {str(h).lower() for h in agency.domains or ()}
        hosts.add((urlsplit(agency.seed_url or "").hostname or "").lower())
    return ReportState(key=str(row.id), agency=str(row.agency_id), year=row.year, state=row.state,
                       source_url=row.source_url, stub=bool(row.stub), versions=versions, sightings=sightings,
                       first_run=row.first_run, hosts=tuple(sorted(h for h in hosts if h)))


class SqlLookup:
    """``crawler.decide.Lookup`` over one agency's rows in one session."""

    def __init__(self, s: Session, agency_id: int, index: NearDupIndex, sig: Any, year: int | None) -> None:
        self.s, self.agency_id, self.index, self.sig, self.year = s, agency_id, index, sig, year
        self.matches: list[Match] = []
        self._refreshed = False

    def _state(self, report_id: int | None) -> ReportState | None:
        if report_id is None:
            return None
        row = self.s.get(ReportRow, report_id)
        return report_state(self.s, row) if row is not None else None

    def _compatible(self, ids: Any, year: int | None) -> int | None:
        for rid in ids:
            row = self.s.get(ReportRow, rid)
            if row is not None and (year is None or row.year is None or row.year == year):
                return int(rid)
        return None

    def at_url(self, url: str, year: int | None) -> ReportState | None:
        ids = (self.s.scalars(_SIGHTING_OF_YEAR, {"url": url, "year": year}) if year is not None
               else self.s.scalars(_SIGHTING, {"url": url}))
        return self._state(ids.first())

    def _refresh(self) -> None:
        # Refresh first: the exact and identity lookups then see at least what the index saw, so a
        # concurrent writer's report is found as what it is, not as a near-duplicate.
        if not self._refreshed:
            self.index.refresh(self.s)
            self._refreshed = True

    def same_text(self, sha: str) -> ReportState | None:
        self._refresh()
        found = self.s.scalars(_SAME_TEXT, {"sha": sha}).first()
        if found is None:  # another rendering's text, kept at its sighting (not a version)
            found = self.s.scalars(_SEEN_TEXT, {"sha": sha}).first()
        return self._state(found)

    def identity(self, key: str) -> ReportState | None:
        return self._state(self.s.scalar(_IDENTITY, {"identity": key})) if key else None

    def parent(self, url: str, via: str, year: int | None) -> ReportState | None:
        if via:
            for query in (_LINKED_FROM, _SIBLING):
                found = self._compatible(self.s.scalars(query, {"via": via}), year)
                if found is not None:
                    return self._state(found)
        return self._state(self._compatible(self.s.scalars(_LINKING, {"url": url}), year))

    def agency_year(self, year: int | None, stub: bool | None) -> ReportState | None:
        if year is None:
            return None
        return self._state(self.s.scalars(_OF_YEAR, {"agency_id": self.agency_id, "year": year,
                                                      "stub": bool(stub)}).first())

    def near(self) -> tuple[ReportState | None, bool]:
        self._refresh()
        self.matches = self.index.query(self.sig)
        for m in self.matches:
            # Same seed agency and year: the parser named the publisher differently in another
            # rendering (page vs PDF), or a year was missing; it is the same report.
            if m.agency_id == self.agency_id and (m.year == self.year or m.year is None or self.year is None):
                return self._state(m.report_id), True
        return None, False
