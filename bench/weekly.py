"""Issue 22's figures: how late a weekly cron sees a change, and what an unchanged week costs.

The scenario of tests/portal/weekly.py (a site with validators, one without; a revised, a defaced
and a removed report, then a second revision and a same-length cell change; five unchanged runs),
crawled by the real ``scrapy crawl reports`` once a simulated week. Latency is counted in runs
(1 = the first run after the edit); cost per unchanged run against the first crawl, per site class.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from settings.default import NIANBAO_MAX_DETECTION_RUNS
from tests.portal.weekly import SITES, WeeklyCron

UNCHANGED = 5



def run(work: Path) -> dict[str, Any]:
    """Run the cron in ``work``; the figures for bench/results.json (flat keys) and their detail."""
    work.mkdir(parents=True, exist_ok=True)
    cron = WeeklyCron(work)
    try:
        cron.run()
        cron.edit()
        cron.run_until_seen()
        cron.edit_quietly()
        cron.run_until_seen()
        tail = [cron.run() for _ in range(UNCHANGED)]
    finally:
        cron.stop()
    first = cron.runs[0]
    out: dict[str, Any] = {}
    detail: dict[str, Any] = {"max_detection_runs": NIANBAO_MAX_DETECTION_RUNS, "runs": len(cron.runs),
                              "hosts": SITES, "sites": {}}
    for cls in SITES:
        seen = cron.detected(cls)
        known = [v for v in seen.values() if v is not None]
        latency = max(known) if known and len(known) == len(seen) else None  # None: an edit never seen
        requests = sum(r.requests.get(cls, 0) for r in tail) / len(tail)
        sent = sum(r.bytes.get(cls, 0) for r in tail) / len(tail)
        out[f"detection_latency_runs_{cls}"] = latency
        out[f"weekly_unchanged_requests_ratio_{cls}"] = round(requests / first.requests[cls], 4)
        out[f"weekly_unchanged_bytes_ratio_{cls}"] = round(sent / first.bytes[cls], 4)
        detail["sites"][cls] = {
            "detected_after_runs": seen,
            "first_crawl": {"requests": first.requests[cls], "bytes": first.bytes[cls]},
            "unchanged_runs": [{"requests": r.requests.get(cls, 0), "bytes": r.bytes.get(cls, 0)} for r in tail],
            "unchanged_mean": {"requests": requests, "bytes": sent},
        }
    detail["unchanged_versions_added"] = tail[-1].versions - cron.runs[-UNCHANGED - 1].versions
    detail["unchanged_events"] = sum(len(r.events) for r in tail)
    detail["revisit_last_run"] = tail[-1].summary.get("revisit", {})
    out["weekly"] = detail
    return out
