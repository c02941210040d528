"""The run summary as an operator reads it (pure: the summary dict in, text out).

``pipelines.summary`` builds the dict at the end of a crawl and logs this text; ``nianbao runs`` prints
it again from the stored run, so the one format lives here where both rooms may import it."""

from __future__ import annotations

from typing import Any


def format_summary(summary: dict[str, Any]) -> str:
    a, r = summary["agencies"], summary["reports"]
    ended = summary.get("ended", "finished")
    if not a["total"]:
        agencies = "agencies: none (no usable seed)"
    elif ended == "finished":
        agencies = f"agencies: {a['ok']}/{a['total']} ok"
    else:  # home pages reached say nothing of lists never read: no "13/13 ok" for a stopped run
        agencies = f"agencies: {a['total']}, run {ended} before its end ({a['ok']} home pages reached)"
    job = summary.get("job")
    lines = [_job_line(job)] if job else []
    lines += [
        agencies + (f"; failed: {', '.join(a['failed'])}" if a["failed"] else ""),
        f"pages fetched: {summary['pages_fetched']} ({summary['bytes_downloaded']} bytes), "
        f"browser pages: {summary['browser_pages']}",
        f"candidates: {summary['candidates']}, not reports: {summary['not_reports']}",
        "reports: " + ", ".join(f"{k} {v}" for k, v in r.items()),
    ]
    ident, found = summary.get("identity") or {}, summary.get("audit") or {}
    if any(ident.values()):
        lines.append(f"not stored as reports: {ident.get('list', 0)} list pages, {ident.get('out_of_seed', 0)} "
                     f"reports of agencies outside the seed list, {ident.get('stub', 0)} wrapper stubs")
    if any(found.values()):
        lines.append("audit: " + ", ".join(f"{k} {v}" for k, v in found.items() if v) + " (nianbao audit)")
    rv = summary.get("revisit") or {}
    if any(rv.values()):
        lines.append(revisit_line(rv))
    if summary["failures"]:
        lines.append("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["failures"].items())))
    if summary["refused"]:
        lines.append("refused: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["refused"].items())))
    for err in summary["seed_errors"]:
        lines.append(f"seed error: {err}")
    cut = (summary.get("truncated") or {}).get("documents", 0)
    if cut:
        lines.append(f"truncated at a size limit: {cut} documents ("
                     + ", ".join(summary["truncated"]["urls"][:3]) + ("…" if cut > 3 else "") + ")")
    why = ended if ended == summary["finish_reason"] else f"{ended}: {summary['finish_reason']}"
    lines.append(f"exit status: {summary['exit_status']} ({why})")
    return "\n".join(lines)


def _job_line(job: dict[str, Any]) -> str:
    """How a ``--job`` run began: fresh, or resumed after a run that crashed or was interrupted."""
    if job["began"] != "resumed":
        return f"job {job['name']}: began fresh, {job['ended']}"
    return (f"job {job['name']}: resumed after run {job['previous_run']} ({job['previous_ended']}), "
            f"{job['ended']}; {job['pending_kept']} pending requests kept in the journal, "
            f"{job['rederived']} of them re-derived from the seeds, {job['reissued']} re-issued from the journal; "
            f"{job['replayed']} requests answered from the fetch log")


def revisit_line(rv: dict[str, int]) -> str:
    """One line of the run summary, e.g. ``revisit: reports and files: 11 conditional (11 not
    modified), 6 HEAD (6 same length, 0 changed, 0 without a length), 2 downloaded whole (forced 1,
    unread 1), 0 full downloads deferred by the byte budget, 0 asked for though nothing linked them
    on this run; lists: 9 not modified, 8 downloaded (0 changed), 0 not due (read from the archive)``."""
    why = ", ".join(f"{k[5:].replace('_', ' ')} {v}" for k, v in rv.items() if k.startswith("full_") and v)
    return (f"revisit: reports and files: {rv.get('conditional', 0)} conditional "
            f"({rv.get('not_modified', 0)} not modified), {rv.get('head', 0)} HEAD "
            f"({rv.get('head_unchanged', 0)} same length, {rv.get('head_changed', 0)} changed, "
            f"{rv.get('head_no_signal', 0)} without a length), "
            f"{rv.get('full', 0)} downloaded whole" + (f" ({why})" if why else "")
            + f", {rv.get('deferred_budget', 0)} full downloads deferred by the byte budget, "
            f"{rv.get('known_unlinked', 0)} asked for though nothing linked them on this run; "
            f"lists: {rv.get('lists_not_modified', 0)} not modified, {rv.get('lists_downloaded', 0)} downloaded "
            f"({rv.get('lists_changed', 0)} changed), {rv.get('lists_not_due', 0)} not due (read from the archive)")
