"""Re-crawl rules from the fetch log: when a list page is due, and how a known report is checked.

Lists (issue 6 §3): a page that just changed is revisited soon; every visit that finds it unchanged
doubles the wait up to a ceiling (the report and file policies remain for ``next_visit`` readers).
Reports and files (issue 22): checked on every run, as cheaply as their server allows
(``plan_check``, ``head_verdict``), and read whole at least every ``NIANBAO_MAX_DETECTION_RUNS`` runs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, Fetch

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    first: timedelta  # after the first visit and after every change
    ceiling: timedelta


POLICIES = {
    "list": Policy(first=DAY, ceiling=7 * DAY),
    "report": Policy(first=7 * DAY, ceiling=90 * DAY),
    "attachment": Policy(first=14 * DAY, ceiling=180 * DAY),
}
CHANGED_OUTCOMES = {"new", "revised", "defaced"}
# A payload fetched whole but never read (its reading process crashed or timed out on it): due again
# on the next run, and never asked for conditionally (a 304 would hide it for good).
UNREAD = "read-failed"
# A wrapper page stored as a stub (its file was not fetched or not read): fetched whole again, so that
# its attachment links are seen and the file is asked for (a 304 would hide them for good).
STUB = "stub"
HISTORY = 12


def interval(changes: list[bool], kind: str) -> timedelta:
    """Wait after a visit history (oldest first; True = that visit found a change)."""
    policy = POLICIES.get(kind, POLICIES["report"])
    wait = policy.first
    for changed in changes[1:]:
        wait = policy.first if changed else min(wait * 2, policy.ceiling)
    return wait


def _changes(rows: list[Any]) -> list[bool]:
    """Did each visit (oldest first) find something new? Archive outcomes win over payload hashes,
    since a report page's bytes change with its view counter while its text does not."""
    out: list[bool] = []
    previous_blob: str | None = None
    for row in rows:
        if row.outcome is not None:
            changed = row.outcome in CHANGED_OUTCOMES
        elif row.status == 304:
            changed = False
        else:
            changed = previous_blob is None or row.blob_sha256 != previous_blob
        if row.blob_sha256:
            previous_blob = row.blob_sha256
        out.append(changed)
    return out


# Built once: the crawl asks this for nearly every request, and building and cache-keying the
# statement each time cost more than running it.
_HISTORY = (
    select(Fetch.status, Fetch.outcome, Fetch.blob_sha256, Fetch.fetched_at, Fetch.kind)
    .where(Fetch.url == bindparam("url"), Fetch.status.in_((200, 304)))
    .order_by(Fetch.fetched_at.desc(), Fetch.id.desc()).limit(HISTORY)
)


def unfinished(status: int, kind: str | None, outcome: str | None) -> bool:
    """Must this fetch's URL be fetched again, whole? The one rule for both the revisit schedule
    (due at once) and conditional requests (no validators: a 304 would hide the report for good).

    Its reading failed (``UNREAD``), it is a stub's wrapper page (``STUB``), or it is a report or file
    logged by the capture stage and never read or archived: the crawl stopped (killed, a machine lost) between the two. Every fetch that
    goes through the pipelines gets an outcome (the archive's, "not-report", "read-failed", or the
    capture stage's for a soft-404 or an empty body); lists and 304s never do, and before 2026-12-04
    skipped pages had none either: those come due once. A fetch logged without a kind counts as a
    report."""
    return outcome in (UNREAD, STUB) or (outcome is None and status == 200 and kind != "list")


def next_visit(session: Session | Connection, url: str, kind: str | None = None) -> datetime | None:
    """When ``url`` is next due (naive UTC), or None when it was never fetched successfully."""
    rows = list(session.execute(_HISTORY, {"url": url}))
    if not rows:
        return None
    if unfinished(rows[0].status, rows[0].kind, rows[0].outcome):
        return rows[0].fetched_at
    rows.reverse()
    kind = kind or next((r.kind for r in reversed(rows) if r.kind), None) or "report"
    return rows[-1].fetched_at + interval(_changes(rows), kind)


# --- checking every known report on every run (issue 22) ------------------------------------------

@dataclass(frozen=True)
class Known:
    """What the fetch log knows of a report or file URL, for this run's check of it."""

    unfinished: bool  # fetched whole but never read or archived: fetch whole again
    validators: bool  # the server gave ETag or Last-Modified: a conditional GET costs a 304
    size: int | None  # bytes of its last full download
    length: str | None  # the Content-Length its server sent then (what a HEAD is compared with)
    runs_since_full: int  # crawl runs since (not counting) the one that last downloaded it whole
    removed: bool = False  # the archive has it removed: read whole (a 304 would hide its return)


# The checks plan_check chooses from, with why: ``how`` is conditional | full | head | defer.
UNREAD_YET, REMOVED, CONDITIONAL, FORCED, LIST_CHANGED, ROTATION, NO_SIGNAL = (
    "unread", "removed", "validators", "forced", "list-changed", "rotation", "no-signal")


def plan_check(known: Known | None, *, max_runs: int, in_slot: bool, budget_left: int,
               list_changed: bool) -> tuple[str, str]:
    """How to check a known report or file on this run, as cheaply as its server allows: ``(how, why)``.

    - never downloaded whole (or never read), or removed in the archive (is it back?): ``full``;
    - its server gave validators: ``conditional`` (a 304 costs a header);
    - otherwise a full download when its last one is ``max_runs - 1`` runs old (``forced``: the
      guarantee that every report is read whole at least every ``max_runs`` runs, whatever the
      budget), or when a list linking it changed this run, or in its rotation slot (one run in
      ``max_runs``, spreading the forced downloads) while the site's byte budget lasts;
    - otherwise a ``head`` (its Content-Length against the last download's; a difference brings the
      full download; why: ``signal``, or ``budget`` when its rotation download did not fit), or, when
      no length was ever sent, a full download within the budget and ``defer`` beyond it.
    Only the forced and list-changed downloads go past the budget (they are charged to it)."""
    if known is None or known.unfinished:
        return "full", UNREAD_YET
    if known.removed:
        return "full", REMOVED
    if known.validators:
        return "conditional", CONDITIONAL
    if known.runs_since_full >= max_runs - 1:
        return "full", FORCED
    if list_changed:
        return "full", LIST_CHANGED
    affordable = (known.size or 0) <= budget_left
    due = in_slot and known.runs_since_full >= 1
    if due and affordable:
        return "full", ROTATION
    if known.length is not None:
        return "head", "budget" if due else "signal"
    return ("full", NO_SIGNAL) if affordable else ("defer", "budget")


def in_slot(url: str, run_id: int, max_runs: int) -> bool:
    """Is this run ``url``'s turn in the rotation? A stable hash of the URL picks one run in
    ``max_runs``, so a site's full downloads are spread over the runs rather than all falling due
    together ``max_runs`` runs after the first crawl."""
    return zlib.crc32(url.encode("utf-8")) % max(1, max_runs) == run_id % max(1, max_runs)


def head_verdict(status: int, length: str, known_length: str | None) -> str:
    """What a HEAD standing for a report's GET says: ``unchanged`` (200, the length of its last
    full download), ``changed`` (another length, or gone or moved: 3xx, 404, 410) or ``no-signal``
    (HEAD refused, an error, no Content-Length)."""
    if status == 200 and length:
        return "unchanged" if length == known_length else "changed"
    return "changed" if status in (301, 302, 303, 307, 308, 404, 410) else "no-signal"


_LAST_FULL = (
    select(Fetch.run_id, Fetch.size, Fetch.headers)
    .where(Fetch.url == bindparam("url"), Fetch.status == 200, Fetch.blob_sha256.is_not(None))
    .order_by(Fetch.fetched_at.desc(), Fetch.id.desc()).limit(1)
)
_RUNS_BETWEEN = select(func.count()).select_from(CrawlRun).where(
    CrawlRun.id > bindparam("after"), CrawlRun.id < bindparam("current"))


def _header(headers: dict[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def known_state(conn: Connection, url: str, run_id: int, validators: bool, removed: bool = False) -> Known | None:
    """``Known`` for ``url`` as seen from run ``run_id`` (None: never fetched successfully).
    Runs are counted whatever they crawled: with several seed lists that overcounts, which only
    brings a forced download sooner, never later."""
    rows = list(conn.execute(_HISTORY, {"url": url}))
    if not rows:
        return None
    last = conn.execute(_LAST_FULL, {"url": url}).first()
    if last is None:
        return None
    unread = unfinished(rows[0].status, rows[0].kind, rows[0].outcome)
    runs = (conn.execute(_RUNS_BETWEEN, {"after": last.run_id, "current": run_id}).scalar_one()
            if last.run_id is not None else 1 << 20)
    return Known(unfinished=unread, validators=validators, size=last.size,
                 length=_header(last.headers, "content-length"), runs_since_full=int(runs), removed=removed)
