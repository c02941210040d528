"""``nianbao coverage --html``: the agency × year matrix and a revision timeline as one HTML page.

Self-contained on purpose (inline CSS and SVG, no scripts, no external fonts or images): the page is
mailed, attached to tickets and opened offline. Every archived string is escaped, since titles and
agency names come from hostile pages (defaced sites carry injected markup).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any

from storage.coverage import KINDS, summary

log = logging.getLogger(__name__)

# The colour of each cell kind of storage.coverage.KINDS (one computation, two renderings).
COLOURS = {
    "defaced": "#c62828", "revised": "#1565c0", "removed": "#6d4c41", "late": "#ef8f00",
    "no date": "#9e9d24", "on time": "#2e7d32", "not due": "#f5f5f5", "missing": "#e0e0e0",
}
TIMELINE_KINDS = ("new", "revised", "defaced", "restored", "removed")
_EVENT_COLOURS = {"new": "#2e7d32", "revised": "#1565c0", "defaced": "#c62828", "restored": "#00897b",
                  "removed": "#6d4c41"}

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#212121;
background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}p.meta{color:#616161;margin:0 0 16px}
table.m{border-collapse:collapse;font-size:13px}table.m th,table.m td{border:1px solid #fff;padding:0}
table.m th{background:#f5f5f5;padding:4px 8px;text-align:left;font-weight:600;white-space:nowrap}
table.m th.y{text-align:center;min-width:44px}
td.c{width:44px;height:26px;text-align:center;color:#fff;font-size:11px}
td.c a{display:block;height:26px;line-height:26px;color:#fff;text-decoration:none}td.none{background:#fff}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:14px;height:14px;margin-right:4px;vertical-align:-2px}
table.ev{border-collapse:collapse;font-size:12px;margin-top:8px}
table.ev td,table.ev th{border-bottom:1px solid #eee;padding:3px 8px;text-align:left}
"""


def matrix(coverage: list[dict[str, Any]]) -> tuple[list[str], list[int], dict[tuple[str, int], dict[str, Any]]]:
    """Agencies, years and the coverage row of each (agency, year) cell that has one."""
    agencies = sorted({str(r["agency"]) for r in coverage})
    years = sorted({int(r["year"]) for r in coverage})
    return agencies, years, {(str(r["agency"]), int(r["year"])): r for r in coverage}


def _day(stamp: str | None) -> date | None:
    try:
        return datetime.fromisoformat(str(stamp).rstrip("Z")).date() if stamp else None
    except ValueError:
        return None


def _cell(agency: str, year: int, row: dict[str, Any] | None) -> str:
    if row is None:  # before the agency's first report: not counted
        return f'<td class="c none" title="{escape(agency)} {year}: before its first report"></td>'
    kind = row["kind"]
    mark, label = KINDS[kind]
    tip = f"{agency} {year}: {label}; due {row['deadline']}"
    if row.get("published"):
        tip += f"; published {row['published']}"
    inner = "" if kind in ("on time", "missing", "not due") else escape(mark)
    if row.get("url"):
        inner = f'<a href="{escape(row["url"])}">{inner or "&#8203;"}</a>'
    return (f'<td class="c k-{kind.replace(" ", "-")}" style="background:{COLOURS[kind]}" '
            f'title="{escape(tip)}">{inner}</td>')


def _matrix_html(agencies: list[str], years: list[int], cells: dict[tuple[str, int], dict[str, Any]]) -> str:
    head = "".join(f'<th class="y">{y}</th>' for y in years)
    rows = [f"<tr><th>{escape(agency)}</th>{''.join(_cell(agency, y, cells.get((agency, y))) for y in years)}</tr>"
            for agency in agencies]
    legend = "".join(f'<span><i style="background:{COLOURS[k]}"></i>{escape(label)}</span>'
                     for k, (_, label) in KINDS.items())
    return (f'<div class="legend">{legend}</div>'
            f'<table class="m"><thead><tr><th>agency</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _timeline_svg(events: list[dict[str, Any]]) -> str:
    """Events per day and kind as stacked dots on a time axis (inline SVG)."""
    per_day: dict[date, Counter[str]] = defaultdict(Counter)
    for e in events:
        day = _day(e.get("created_at"))
        if day is not None and e.get("kind") in TIMELINE_KINDS:
            per_day[day][e["kind"]] += 1
    if not per_day:
        return "<p>No report events yet.</p>"
    days = sorted(per_day)
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    width, left, right, row_h = 900, 90, 30, 22
    height = 40 + row_h * len(TIMELINE_KINDS)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="revision timeline">']
    for i, kind in enumerate(TIMELINE_KINDS):
        y = 20 + i * row_h
        parts.append(f'<text x="0" y="{y + 4}" font-size="12" fill="#424242">{kind}</text>'
                     f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#eeeeee"/>')
    for day in days:
        x = left + (width - left - right) * ((day - first).days / span if len(days) > 1 else 0.5)
        for i, kind in enumerate(TIMELINE_KINDS):
            n = per_day[day][kind]
            if n:
                r = min(4 + n, 10)
                parts.append(f'<circle cx="{x:.1f}" cy="{20 + i * row_h}" r="{r}" fill="{_EVENT_COLOURS[kind]}">'
                             f"<title>{day.isoformat()}: {n} {kind}</title></circle>")
    axis_y = height - 8
    parts.append(f'<text x="{left}" y="{axis_y}" font-size="11" fill="#616161">{first.isoformat()}</text>')
    if last != first:
        parts.append(f'<text x="{width - right}" y="{axis_y}" font-size="11" fill="#616161" '
                     f'text-anchor="end">{last.isoformat()}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _changes_table(events: list[dict[str, Any]], names: dict[int, tuple[str, Any]], limit: int = 200) -> str:
    changes = [e for e in events if e.get("kind") in ("revised", "defaced", "restored", "removed")]
    if not changes:
        return "<p>No revisions, defacements or removals recorded.</p>"
    rows = []
    for e in changes[-limit:][::-1]:
        agency, year = names.get(int(e.get("report_id") or 0), ("", None))
        detail = e.get("detail") or {}
        cells = detail.get("changed_cells") or detail.get("reason") or ""
        if isinstance(cells, list):
            cells = "; ".join(str(c) for c in cells[:5])
        rows.append(f"<tr><td>{escape(str(e.get('created_at') or ''))}</td><td>{escape(str(e['kind']))}</td>"
                    f"<td>{escape(agency)}</td><td>{escape(str(year or ''))}</td>"
                    f"<td>{escape(str(e.get('url') or ''))}</td><td>{escape(str(cells))}</td></tr>")
    return ('<table class="ev"><thead><tr><th>when</th><th>event</th><th>agency</th><th>year</th><th>url</th>'
            f'<th>detail</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def render_html(coverage: list[dict[str, Any]], reports: list[dict[str, Any]], events: list[dict[str, Any]],
                generated: datetime | None = None) -> str:
    """The page for already-read archive data (pure: no database)."""
    agencies, years, cells = matrix(coverage)
    names = {int(r["id"]): (str(r.get("agency") or ""), r.get("year")) for r in reports}
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    body = (f"<h1>nianbao coverage</h1><p class=\"meta\">{len(agencies)} agencies × {len(years)} years "
            f"({escape(summary(coverage))}); generated {escape(when)}</p>"
            + (_matrix_html(agencies, years, cells) if agencies and years else "<p>The archive has no reports yet.</p>")
            + "<h2>Revision timeline</h2>" + _timeline_svg(events)
            + "<h2>Changes</h2>" + _changes_table(events, names))
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>nianbao coverage</title>"
            f"<style>{_CSS}</style></head><body>{body}</body></html>")


def render(archive: Any, path: str | Path, years: list[int] | None = None, since: int | None = None) -> None:
    """Write the coverage page of ``archive`` (an ``Archive``) to ``path``.

    Raises ``storage.db.StorageError`` when the archive cannot be read and ``OSError`` when the
    file cannot be written; the ``nianbao`` command turns both into one line and exit status 2.
    """
    page = render_html(archive.coverage(years, since), archive.reports(), archive.events())
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)  # never leave a half-written page where the last good one was
    log.info("coverage page written to %s", target)
