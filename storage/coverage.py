"""Agency × year coverage: which reports were found, which are missing, which came out late.

One computation for the text table (``nianbao coverage``), its JSON and the HTML page
(``storage.coverage_html``): every cell gets its ``kind`` here, and both render that.

Years: each agency's span runs from its first archived report (or ``since``) to the newest report
year in the archive; a year before an agency's first report is not "missing", since we cannot tell
a report never published from one the site no longer lists.

Deadlines follow docs/report-format.md §1: reports for 2008–2018 were due by 31 March of the
following year (条例 2007 Art. 31); from the 2019 reports on (条例 2019 Art. 49), departments
publish by 31 January and local people's governments (their own report, compiled by the 办公厅/室)
by 31 March.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.cli import format_table
from storage.models import Agency, Report, ReportVersion

_GOVERNMENT = re.compile(r"(人民政府|政府办公[厅室])$")

# Cell kinds, most telling first (a defaced or revised report says more than "on time"), with the
# text table's mark and the legend's words. The HTML page colours the same kinds.
KINDS: dict[str, tuple[str, str]] = {
    "defaced": ("!", "defaced (spam or tampering seen)"),
    "revised": ("R", "revised (more than one version)"),
    "removed": ("×", "removed from the site"),
    "late": ("late", "published after the deadline"),
    "no date": ("?", "found, publication date unknown"),
    "on time": ("✓", "published by the deadline"),
    "not due": ("·", "not found, deadline not passed yet"),
    "missing": ("—", "not found, deadline passed"),
}
FOUND_KINDS = ("defaced", "revised", "removed", "late", "no date", "on time")


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


def _kind(state: str, versions: int, timeliness: str) -> str:
    if state == "defaced":
        return "defaced"
    if versions > 1:
        return "revised"
    if state == "removed":
        return "removed"
    return {"late": "late", "unknown": "no date"}.get(timeliness, "on time")


def coverage(session: Session, years: list[int] | None = None, since: int | None = None,
             today: date | None = None) -> list[dict[str, Any]]:
    """One row per agency and year: ``status`` found / missing and the cell's ``kind`` (``KINDS``).

    ``years`` picks exactly those years for every agency; otherwise each agency's span runs from
    its first report (or ``since``) to the archive's newest report year. ``today`` (default: now,
    UTC) decides whether a year without a report is "missing" or "not due" yet.
    """
    today = today or datetime.now(UTC).date()
    agencies = list(session.scalars(select(Agency).order_by(Agency.name)))
    reports = list(session.scalars(select(Report).where(Report.year.is_not(None))))
    versions = {rid: n for rid, n in session.execute(select(ReportVersion.report_id, func.count())
                                                     .group_by(ReportVersion.report_id))}
    by_key: dict[tuple[int, int], list[Report]] = {}
    first: dict[int, int] = {}
    for r in reports:
        year = int(r.year or 0)
        by_key.setdefault((r.agency_id, year), []).append(r)
        first[r.agency_id] = min(first.get(r.agency_id, year), year)
    newest = max((int(r.year or 0) for r in reports), default=None)
    rows: list[dict[str, Any]] = []
    for agency in agencies:
        if years:
            span = sorted(set(years))
        elif newest is None:
            span = []
        else:
            start = since if since is not None else first.get(agency.id, newest)
            span = list(range(start, newest + 1))
        for year in span:
            found = sorted(by_key.get((agency.id, year), []), key=lambda r: r.id)
            main = found[0] if found else None
            due = deadline(year, (main.publisher if main else "") or agency.name, agency.level)
            row: dict[str, Any] = {"agency": agency.name, "agency_id": agency.id, "region": agency.region,
                                   "level": agency.level, "year": year, "deadline": due.isoformat(),
                                   "status": "missing", "kind": "missing" if due < today else "not due",
                                   "reports": [r.id for r in found]}
            if main is not None:
                published = _published(main.published)
                timeliness = "unknown" if published is None else ("late" if published > due else "on time")
                n = int(versions.get(main.id, 1))
                row.update(status="found", state=main.state, published=main.published, timeliness=timeliness,
                           title=main.title, url=main.source_url, versions=n,
                           kind=_kind(main.state, n, timeliness))
            rows.append(row)
    return rows


def summary(rows: list[dict[str, Any]]) -> str:
    """The one line both renderings print, e.g. "60 agency-years: 52 found (47 on time, 3 late, 2 revised), 8 missing"."""
    counts = Counter(r["kind"] for r in rows)
    found = ", ".join(f"{counts[k]} {k}" for k in FOUND_KINDS if counts[k]) or "none"
    line = f"{len(rows)} agency-years: {sum(counts[k] for k in FOUND_KINDS)} found ({found}), {counts['missing']} missing"
    return line + (f", {counts['not due']} not due yet" if counts["not due"] else "")


def format_text(rows: list[dict[str, Any]]) -> str:
    """The agency × year table of ``nianbao coverage``: one mark per cell (``KINDS``), deadlines below."""
    years = sorted({r["year"] for r in rows})
    marks: dict[str, dict[int, str]] = {}
    due: dict[int, set[str]] = {}
    for r in rows:
        marks.setdefault(r["agency"], {})[r["year"]] = KINDS[r["kind"]][0]
        due.setdefault(r["year"], set()).add(r["deadline"])
    table = [[agency, *(cells.get(y, "") for y in years)] for agency, cells in marks.items()]
    legend = ", ".join(mark if mark == kind else f"{mark} {kind}" for kind, (mark, _) in KINDS.items())
    spans: list[tuple[int, int, str]] = []  # consecutive years with the same deadlines
    for year, dates in sorted(due.items()):
        days = " or ".join(sorted({d[5:] for d in dates}))
        if spans and spans[-1][2] == days and spans[-1][1] == year - 1:
            spans[-1] = (spans[-1][0], year, days)
        else:
            spans.append((year, year, days))
    return "\n".join([
        format_table(["agency", *map(str, years)], table), summary(rows),
        f"marks: {legend}; blank: before the agency's first report",
        "deadlines (docs/report-format.md §1, month-day of the next year): "
        + "; ".join(f"{a}{'' if a == b else f'–{b}'} by {days}" for a, b, days in spans),
    ])
