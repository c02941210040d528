"""``python -m tests.reliability.report``: render RELIABILITY.md from tests/reliability/results/*.json.

The JSON files are written by the reliability tests themselves (``make test`` short budgets,
``make fuzz`` long ones); this only lays them out. Missing files are listed as not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tests.reliability.harness import RESULTS

REPO = Path(__file__).resolve().parents[2]


def _section(out: list[str], heading: str, name: str) -> dict[str, Any] | None:
    """Start a section: its heading, then its results, or "not run" (None) when the test left none."""
    out.append(heading)
    data = _load(name)
    if data is None:
        out.append("not run")
    return data


def _load(name: str) -> dict[str, Any] | None:
    """The long run's results (make fuzz) when there are any, else the short run's (make test)."""
    for path in (RESULTS / f"{name}.long.json", RESULTS / f"{name}.json"):
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        value = ", ".join(f"{k} {v}" for k, v in value.items()) or "—"
    elif isinstance(value, list | tuple):
        value = ", ".join(map(str, value)) or "—"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _stamp(data: dict[str, Any]) -> str:
    return f"_{data.get('mode', '?')} run, {data.get('written_at', '?')}_"


def _hostile(out: list[str]) -> None:
    data = _section(out, "## 2. Hostile servers (simulated web, `tests/portal/hostile.py`)", "hostile")
    if data is None:
        return
    out += [_stamp(data), "",
            f"One crawl of the 12 hostile sites plus one normal site (the control): "
            f"{data['crawl_seconds']} s, peak memory of the crawl's process tree {data['peak_tree_pss_mb']} MB "
            f"(PSS; summed RSS {data['peak_tree_rss_sum_mb']} MB), the portal grew {data['portal_growth_mb']} MB "
            f"while streaming. DOWNLOAD_MAXSIZE {data['download_maxsize'] >> 20} MB, DOWNLOAD_TIMEOUT "
            f"{data['download_timeout']} s (test setting; demo: 20 s). Connections to the loopback trap: "
            f"{data['trap_connections']}.", ""]
    rows = [[r["fault"], r["what"], len(r["inputs"]), r["failures"], r["archived"] or "—",
             "pass" if r["ok"] else "**FAIL**"] for r in data["rows"]]
    out += _table(["fault", "input", "links", "failures counted (reason n)", "archived", "result"], rows)
    out += ["", f"Run summary `failures`: {_cell(data['failures'])}"]


def _crash(out: list[str]) -> None:
    data = _section(out, "## 1. Crash safety (`kill -9` of the crawl's process group)", "crash")
    if data is None:
        return
    out += [_stamp(data), "",
            f"{data['kills']} kills (seed {data['seed']}; `make test` 4, `make fuzz` 20) of one archive, each "
            f"followed by checks; then one run to the end over the same {data['sites']} sites.", ""]
    rows = [[r["kill"], r["mode"], r.get("plan"), r.get("at_s"), r.get("integrity"),
             r.get("foreign_key_violations"), r.get("rows_before_kill", {}), r.get("lost") or "none",
             "killed" if r["killed"] else "finished first"] for r in data["rows"]]
    out += _table(["#", "when", "kill point", "at (s)", "integrity_check", "FK violations",
                   "committed rows before the kill", "lost after", "run"], rows)
    if data.get("partial"):
        out += ["", f"**Interrupted after {len(rows)} kills** (no follow-up run recorded)."]
        return
    out += ["", f"Follow-up run: exit {data['final_returncode']} in {data['final_seconds']} s; reports found "
            f"{data['reports_found']}/{data['reports_true']} (recall "
            f"{data['reports_found'] / max(1, data['reports_true']):.2f}), archived rows {data['reports_archived']}, "
            f"duplicates: {_cell(data['duplicates'])}. Problems: {_cell(data['problems']) if data['problems'] else 'none'}."]


def _resume(out: list[str]) -> None:
    data = _section(out, "## 1b. `kill -9` of a `--job` crawl, then resume (`test_resume_kills.py`)", "resume")
    if data is None:
        return
    out += [_stamp(data), "",
            f"{data['kills']} kills (seed {data['seed']}; `make test` 5, `make fuzz` 20) of one `--job nightly` "
            f"crawl of {data.get('sites', '?')} sites; every run after a kill resumes the job (and may be killed "
            "again); then one run finishes it. Kill points: the k-th request journalled by the run (queue "
            "writes), the k-th fetch row, Chromium rendering the JavaScript list, a random time.", ""]
    rows = [[r["kill"], r["mode"], r.get("plan"), r.get("at_s"),
             r.get("began") + (f" after a {r['previous']} run: {r['pending_kept']} pending kept, "
                               f"{r['answered_before']} answered before" if r.get("previous") else ""),
             r.get("reports_after"), r.get("journal_rows"), "killed" if r["killed"] else "finished first"]
            for r in data["rows"]]
    out += _table(["#", "when", "kill point", "at (s)", "run began", "reports archived after", "journal rows",
                   "run"], rows)
    if data.get("partial"):
        out += ["", f"**Interrupted after {len(rows)} kills** (no final run recorded)."]
        return
    same = not (data["missing"] or data["extra"] or data["differing"])
    out += ["", f"Final run: exit {data['final_returncode']}; reports {data['reports_final']} of the uninterrupted "
            f"crawl's {data['reports_expected']}; reports, versions (text digests), sources and sightings "
            f"{'equal' if same else '**differ**: ' + _cell(data['missing'] + data['extra'] + data['differing'])}; "
            f"tracebacks in the logs: {'none' if not data['problems'] else _cell(data['problems'])}.",
            f"Its summary: `{data['final_summary']}`", "",
            "Summaries of the runs that resumed a killed run and finished it:", "",
            *(f"- `{line}`" for line in data.get("recovery_summaries", []))]


def _bad_input(out: list[str]) -> None:
    data = _section(out, "## 6. Bad input: every command, one line (`test_bad_archives.py`)", "bad_input")
    if data is None:
        return
    out += [_stamp(data), "",
            "Each cell: exit status, lines on stderr, and the line (shortened). Read-only: an SQLite URI opened "
            "`mode=ro` (the tests run as root); a command that only reads may use it (status 0, the same output "
            "as on the intact archive). Damaged middle pages: the root page of every table overwritten, page 1 "
            f"intact. Failed cells: {data['failed']}.", ""]
    rows = [[r["command"], r["case"], r["status"], r["lines"], "yes" if r["traceback"] else "no",
             r["message"].split(": ", 1)[-1][:110], "pass" if r["ok"] else "**FAIL**"] for r in data["rows"]]
    out += _table(["command", "input", "exit", "stderr lines", "traceback", "message", "result"], rows)


def _whole_text(out: list[str]) -> None:
    data = _section(out, "## 7. Big UTF-8 text and HTML without a charset (`test_whole_text.py`)", "whole_text")
    if data is None:
        return
    out += [_stamp(data), "", f"Decoded whole, cut (if at all) at {data['max_chars']} characters.", ""]
    rows = [[r["kind"], r["mb"], r["shift"], r["characters"], r["year"], r["replacement_chars"],
             "yes" if r["truncated"] else "no", "yes" if r["limit_applies"] else "no"] for r in data["rows"]]
    out += _table(["input", "MB", "shift (bytes)", "characters", "year", "U+FFFD", "truncation warning",
                   "over the limit"], rows)


def _memory(out: list[str]) -> None:
    data = _section(out, "## 5. Peak memory of a crawl of the simulated web", "memory")
    if data is None:
        return
    verdict = "pass" if data["peak_tree_pss_mb"] < data["limit_mb"] else "**FAIL**"
    out += [_stamp(data), "",
            f"Whole simulated web, fresh archive, browser included ({data['browser_pages']} browser page(s), "
            f"up to {data['max_child_processes']} child processes): **{data['peak_tree_pss_mb']} MB** peak PSS "
            f"summed over the process tree (limit {data['limit_mb']} MB: {verdict}); summed RSS "
            f"{data['peak_tree_rss_sum_mb']} MB (counts shared pages once per process); Scrapy alone "
            f"{data['peak_scrapy_rss_mb']} MB RSS; {data['crawl_seconds']} s. Sampled every 0.1 s with psutil, "
            "settings `tests.reliability.crawl_settings` (settings.demo + the lines asked of settings/)."]


def _fuzz(out: list[str]) -> None:
    data = _section(out, "## 3a. Fuzzing the stages (hypothesis, mutated real fixtures)", "fuzz")
    if data is None:
        return
    out += [_stamp(data), "",
            f"{data['examples_per_target']} inputs per target; limits {data['page_limit_s']} s per page/text, "
            f"{data['file_limit_s']} s per attachment. Mutations: byte flips, cuts, truncation, repeats, "
            "splices of NULs, deep tags, scripts, lying charset metas, BOMs, PDF/ZIP markers.", ""]
    rows = [[t["target"], t["calls"], t["max_seconds"], t["max_rss_growth_mb"], t["internal_errors"],
             "; ".join(f"{e['error'][:90]} (smallest {e['input_len']} B)" for e in t["escapes"]) or "none"]
            for t in data["targets"]]
    out += _table(["target", "inputs", "slowest (s)", "max RSS growth (MB)", "caught internal errors",
                   "escaped exceptions / hangs"], rows)
    notes = [f"- {t['target']}: {e['warning']} (smallest input {e['smallest_input']} B)"
             for t in data["targets"] for e in t["internal_examples"]]
    if notes:
        out += ["", "Internal errors the stages caught themselves (bugs, not crashes):", *notes]


def _files(out: list[str]) -> None:
    data = _section(out, "## 3b. Hostile pages and files", "files")
    if data is None:
        return
    out += [_stamp(data), "",
            f"Each through the stage directly and, for attachments, through the pipeline's path "
            f"(extract → classify → parse). Limits: {data['time_limit_s']} s, {data['memory_limit_mb']} MB RSS "
            "growth per call; `known` rows are xfail(strict=True) until the owner fixes them.", ""]
    rows = []
    for r in data["rows"]:
        res = []
        for label in ("direct", "pipeline"):
            if label in r:
                v = r[label]
                res.append(f"{label}: {v['seconds']} s, +{v['rss_growth_mb']} MB, {v['result'][:110]}")
        status = "pass" if r["ok"] else ("known: " + r["known"] if r.get("known") else "**FAIL**")
        rows.append([r["input"], r["what"], r["bytes"], " / ".join(res), status])
    out += _table(["input", "what", "bytes", "observed", "result"], rows)


def _writes(out: list[str]) -> None:
    data = _section(out, "## 4. Safety of what we write", "writes")
    if data is None:
        return
    out.append(_stamp(data))
    out.append("")
    if "sql" in data:
        out.append(f"- SQL: title, text, agency name, region, ETag and URL carrying "
                   f"{_cell(data['sql']['inputs'])} archived through the real stages into SQLite and read back "
                   "intact; every table still there (SQL only through bound parameters).")
    for key, label in (("exports", "Exports"), ("datasette", "Datasette"), ("coverage_html", "Coverage page")):
        if key in data:
            out.append(f"- {label}: `{data[key]['input']}` → {_cell({k: v for k, v in data[key].items() if k != 'input'})}")
    if "paths" in data:
        found = data["paths"]["paths_from_urls"]
        out.append(f"- Filesystem paths built from URLs in {_cell(data['paths']['scanned'])}: "
                   f"{_cell(found) if found else 'none'}; reviewed, not from crawled URLs: "
                   f"{_cell(data['paths'].get('reviewed', []))}")
    if "html_writers" in data:
        out.append(f"- Modules writing HTML, and whether they escape: {_cell([f'{p} ({e})' for p, e in data['html_writers']])}")


def render() -> str:
    out = ["# RELIABILITY", "",
           "Generated by `python -m tests.reliability.report` from `tests/reliability/results/*.json`, which the "
           "tests in `tests/reliability/` write when they run (`make test`: short budgets; `make fuzz`: "
           "`NIANBAO_FUZZ_LONG=1`, 20 kills, 600 fuzz inputs per target, full web in the kill loop). "
           "Do not edit by hand.", ""]
    for section in (_crash, _resume, _hostile, _fuzz, _files, _writes, _memory, _bad_input, _whole_text):
        section(out)
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.reliability.report", description=__doc__)
    ap.add_argument("-o", "--output", type=Path, default=REPO / "RELIABILITY.md")
    args = ap.parse_args(argv)
    args.output.write_text(render(), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
