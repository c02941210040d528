"""Per-agency health from the stored runs (``CrawlRun.stats['per_agency']``) and the archived reports.

For each agency: the last run that saw it, the last run in which it succeeded, how many runs in a
row it has failed, whether robots.txt blocked it or its page budget ran out in the last run, its
errors then, and how many reports the archive holds per year.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from crawler.cli import format_table

# Scrapy's RobotsTxtMiddleware refuses with IgnoreRequest; the spider counts it as ignore_request.
_ROBOTS_REASONS = ("ignore_request", "robots")


def _robots_blocked(errors: dict[str, Any]) -> bool:
    return any(r in key for key in errors for r in _ROBOTS_REASONS)


def agency_health(runs: list[dict[str, Any]], reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per agency named by any run or report; ``runs`` oldest first (``Archive.runs()``)."""
    history: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for run in runs:
        for site in (run.get("stats") or {}).get("per_agency") or []:
            if isinstance(site, dict) and site.get("agency"):
                history[str(site["agency"])].append((run, site))
    per_year: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    states: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rep in reports:
        agency = str(rep.get("seed_agency") or rep.get("agency") or "")
        if rep.get("year") is not None:
            per_year[agency][int(rep["year"])] += 1
        states[agency][str(rep.get("state") or "live")] += 1
    rows: list[dict[str, Any]] = []
    for agency in sorted(set(history) | set(per_year) | set(states)):
        seen = history.get(agency, [])
        last_run, last_site = seen[-1] if seen else ({}, {})
        successes = [run for run, site in seen if site.get("ok")]
        streak = 0
        for _run, site in reversed(seen):
            if site.get("ok"):
                break
            streak += 1
        errors = dict(last_site.get("errors") or {})
        rows.append({
            "agency": agency,
            "runs": len(seen),
            "last_run": last_run.get("id"),
            "last_run_at": last_run.get("finished") or last_run.get("started"),
            "ok": bool(last_site.get("ok")) if seen else None,
            "last_success": (successes[-1].get("finished") or successes[-1].get("started")) if successes else None,
            "consecutive_failures": streak,
            "robots_blocked": _robots_blocked(errors),
            "budget_exhausted": bool(last_site.get("budget_exhausted")),
            "pages": int(last_site.get("pages") or 0),
            "errors": errors,
            "reports_per_year": {year: n for year, n in sorted(per_year.get(agency, {}).items())},
            "reports_by_state": dict(states.get(agency, {})),
        })
    return rows


def _years(counts: dict[int, int]) -> str:
    return " ".join(f"{year}:{n}" if n > 1 else str(year) for year, n in counts.items()) or "-"


def format_health(rows: list[dict[str, Any]]) -> str:
    """The ``nianbao status`` table: one line per agency, problems spelled out."""
    headers = ["agency", "last run", "ok", "last success", "fails in a row", "robots", "budget", "reports",
               "years"]
    table = []
    for r in rows:
        table.append([
            r["agency"],
            f"#{r['last_run']}" if r["last_run"] is not None else "-",
            "-" if r["ok"] is None else ("yes" if r["ok"] else "NO"),
            r["last_success"] or "never",
            str(r["consecutive_failures"]),
            "blocked" if r["robots_blocked"] else "",
            "exhausted" if r["budget_exhausted"] else "",
            str(sum(r["reports_per_year"].values())),
            _years(r["reports_per_year"]),
        ])
    failing = [r for r in rows if r["ok"] is False]
    lines = [format_table(headers, table)]
    for r in failing:
        errors = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "home page not reached"
        lines.append(f"failing: {r['agency']}: {errors}")
    lines.append(f"{len(rows)} agencies, {len(failing)} failing in their last run")
    return "\n".join(lines)
