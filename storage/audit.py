"""Wrong things made visible: stored reports that do not look like a report (``nianbao audit``), and
the agencies outside the seed list whose reports the crawl met (``nianbao seeds suggest``).

An audit finding is a suspicion with its reason, not a verdict: a short old-era report is real, a
2019 report whose tables were images has none. Each names the report's URL so a person can look.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crawler.identity import LIST, WRAPPER, kind_of, same_agency, split_name
from crawler.seeds import COLUMNS
from storage.models import Agency, Event, Report, ReportVersion

SHORT_CHARS = 500  # the shortest real reports (old era, a few paragraphs) run to ~1,500
TABLES_FROM = 2019  # the 2019 and 2021 formats publish their figures as tables

# Every reason's key, in the order the summary prints them.
REASONS = ("short", "no-tables", "list-like", "wrapper-like", "stub", "agency-year-twice")


@dataclass(frozen=True)
class Finding:
    reason: str  # one of REASONS
    detail: str
    report_id: int
    agency: str
    year: int | None
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "detail": self.detail, "report_id": self.report_id,
                "agency": self.agency, "year": self.year, "url": self.url}


def _latest(s: Session) -> dict[int, ReportVersion]:
    """Each report's current text: its newest clean version, else its newest."""
    best: dict[int, ReportVersion] = {}
    for v in s.scalars(select(ReportVersion).order_by(ReportVersion.report_id, ReportVersion.n)):
        held = best.get(v.report_id)
        if held is None or not v.flagged or held.flagged:
            best[v.report_id] = v
    return best


def audit(engine: Engine) -> list[Finding]:
    """Every suspicious stored report, with the reason; sorted by agency, year, reason."""
    found: list[Finding] = []
    with Session(engine) as s:
        names = {int(aid): str(name) for aid, name in s.execute(select(Agency.id, Agency.name))}
        latest = _latest(s)
        by_agency_year: dict[tuple[int, int], list[Report]] = defaultdict(list)
        for row in s.scalars(select(Report).order_by(Report.id)):
            if row.year is not None and row.state != "removed":
                by_agency_year[(row.agency_id, row.year)].append(row)
            found += [Finding(reason, detail, row.id, names.get(row.agency_id, ""), row.year, row.source_url)
                      for reason, detail in _reasons(row, latest.get(row.id))]
        for (_, year), rows in by_agency_year.items():
            if len(rows) > 1:
                ids = ", ".join(str(r.id) for r in rows)
                for r in rows:
                    found.append(Finding("agency-year-twice", f"{year}: reports {ids}", r.id,
                                         names.get(r.agency_id, ""), year, r.source_url))
    return sorted(found, key=lambda f: (f.agency, f.year or 0, REASONS.index(f.reason), f.report_id))


def _reasons(row: Report, version: ReportVersion | None) -> list[tuple[str, str]]:
    """(reason, detail) of what looks wrong in one report and its current text."""
    out: list[tuple[str, str]] = []
    if row.stub:
        out.append(("stub", "only the wrapper page was read; its file was not fetched or not readable"))
    if version is None:
        return out
    chars = len(re.sub(r"\s+", "", version.text or ""))
    if chars < SHORT_CHARS:
        out.append(("short", f"{chars} characters of text"))
    if row.year is not None and row.year >= TABLES_FROM and not version.tables:
        out.append(("no-tables", f"no tables in a {row.year} report"))
    kind = kind_of(version.text or "", len(version.tables or []))
    if kind.kind == LIST:
        out.append(("list-like", kind.reason))
    elif kind.kind == WRAPPER and not row.stub:
        out.append(("wrapper-like", kind.reason))
    return out


def counts(findings: list[Finding]) -> dict[str, int]:
    """Findings per reason (every reason present, zeros included)."""
    tally = dict.fromkeys(REASONS, 0)
    for f in findings:
        tally[f.reason] += 1
    return tally


_LEVEL_OF_AREA = (("自治区", "省"), ("特别行政区", "省"), ("省", "省"), ("自治州", "市"), ("盟", "市"),
                  ("市", "市"), ("自治县", "县"), ("区", "县"), ("县", "县"), ("旗", "县"),
                  ("街道", "乡"), ("镇", "乡"), ("乡", "乡"))


def _level(areas: tuple[str, ...]) -> str:
    """The tier of an agency from its most specific area (a department takes its government's tier)."""
    if not areas:
        return ""
    last = areas[-1]
    return next((level for suffix, level in _LEVEL_OF_AREA if last.endswith(suffix)), "")


def suggested_seeds(engine: Engine) -> list[dict[str, str]]:
    """One seed row per agency outside the seed list that the crawls met (``out-of-seed`` events),
    first met first; agencies seeded since are left out."""
    with Session(engine) as s:
        seeded = list(s.scalars(select(Agency.name)))
        taken = {u.rstrip("/").lower() for u in s.scalars(select(Agency.seed_url))}
        rows: dict[str, dict[str, str]] = {}
        for event in s.scalars(select(Event).where(Event.kind == "out-of-seed").order_by(Event.id)):
            detail = event.detail or {}
            agency = str(detail.get("agency") or "").strip()
            parts = urlsplit(event.url or "")
            host = (parts.hostname or "").lower()
            if not agency or not host or agency in rows or any(same_agency(agency, n) for n in seeded):
                continue
            url = _free_url(f"{parts.scheme or 'http'}://{host}", parts.path, taken)
            taken.add(url.rstrip("/").lower())
            areas, _ = split_name(agency)
            rows[agency] = {"agency": agency, "url": url, "region": "".join(areas),
                            "level": _level(areas), "domains": host, "render": ""}
    return list(rows.values())


def _free_url(root: str, path: str, taken: set[str]) -> str:
    """The site root, else the report's first folder, else its own folder: a seed URL no other row has
    (a county portal hosts its bureaus' reports under one host: http://www.x.gov.cn/jyj/)."""
    folders = [p for p in path.split("/")[:-1] if p]
    for candidate in (root + "/", *(root + "/" + "/".join(folders[:i]) + "/" for i in range(1, len(folders) + 1))):
        if candidate.rstrip("/").lower() not in taken:
            return candidate
    return root + path


def seeds_csv(rows: list[dict[str, str]]) -> str:
    """The rows in the seed CSV format of crawler.seeds (header included)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
