"""Agency × year coverage: which reports were found, which are missing, which came out late.

Deadlines follow docs/report-format.md §1: reports for 2008–2018 were due by 31 March of the
following year; from the 2019 reports on, departments publish by 31 January and local people's
governments (their own report, compiled by the 办公厅/室) by 31 March.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Agency, Report

_GOVERNMENT = re.compile(r"(人民政府|政府办公[厅室])$")


def deadline(year: int, publisher: str, level: str = "") -> date:
    """The statutory publication deadline of the report for ``year`` (seed level 部门 = department)."""
    government = level != "部门" and bool(_GOVERNMENT.search(publisher.strip()))
    if year >= 2019 and not government:
        return date(year + 1, 1, 31)
    return date(year + 1, 3, 31)


def _published(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def coverage(session: Session, years: list[int] | None = None) -> list[dict[str, Any]]:
    """One row per agency and year: found / missing, and late / on time / unknown when found.

    ``years`` defaults to every year any agency has a report for.
    """
    agencies = list(session.scalars(select(Agency).order_by(Agency.name)))
    reports = list(session.scalars(select(Report).where(Report.year.is_not(None))))
    wanted = sorted(set(years) if years else {r.year for r in reports if r.year is not None})
    by_key: dict[tuple[int, int], list[Report]] = {}
    for r in reports:
        by_key.setdefault((r.agency_id, int(r.year or 0)), []).append(r)
    rows: list[dict[str, Any]] = []
    for agency in agencies:
        for year in wanted:
            found = sorted(by_key.get((agency.id, year), []), key=lambda r: r.id)
            row: dict[str, Any] = {"agency": agency.name, "agency_id": agency.id, "region": agency.region,
                                   "level": agency.level, "year": year, "status": "missing",
                                   "reports": [r.id for r in found]}
            if found:
                main = found[0]
                due = deadline(year, main.publisher or agency.name, agency.level)
                published = _published(main.published)
                row.update(status="found", state=main.state, published=main.published, deadline=due.isoformat(),
                           timeliness="unknown" if published is None
                           else ("late" if published > due else "on time"))
            rows.append(row)
    return rows
