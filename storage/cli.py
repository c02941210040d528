"""The ``nianbao`` command: the pure commands of ``crawler.cli`` plus the archive's.

Archive commands read ``DATABASE_URL`` (or ``--db``); default ``sqlite:///data/nianbao.db``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crawler.cli import InputError, build_parser, format_table, print_json, run
from storage import cli_archive, cli_ops, cli_queue
from storage.archive import Archive
from storage.db import StorageError


def _archive(args: argparse.Namespace) -> Archive:
    try:
        return Archive.from_url(args.db)
    except StorageError as exc:
        raise InputError(str(exc)) from exc


def cmd_export(args: argparse.Namespace) -> int:
    archive = _archive(args)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for record in archive.export_versions(latest=args.latest):
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    rows = _archive(args).reports()
    if args.json:
        print_json(rows)
        return 0
    headers = ["id", "agency", "year", "state", "versions", "title", "urls"]
    table = [
        [str(r.get(h, "")) if h != "urls" else str(len(r.get("urls") or [])) for h in headers] for r in rows
    ]
    sys.stdout.write(format_table(headers, table) + "\n")
    sys.stdout.write(f"{len(rows)} reports\n")
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from pipelines.summary import format_summary

    archive = _archive(args)
    runs = archive.runs()
    if not runs:
        raise InputError("the archive has no crawl runs yet")
    chosen: list[dict[str, Any]] = runs[-1:] if args.last else runs
    for run_row in chosen:
        stats = run_row.get("stats") or {}
        sys.stdout.write(f"run {run_row['id']}: {run_row.get('started')} → {run_row.get('finished')}\n")
        if stats:
            sys.stdout.write(format_summary(stats) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser, sub = build_parser()
    db_help = "database URL (default: $DATABASE_URL or sqlite:///data/nianbao.db)"
    p = sub.add_parser("export", help="one JSON line per report version (docs/schema.md)")
    p.add_argument("--format", choices=["jsonl"], default="jsonl")
    p.add_argument("--latest", action="store_true", help="only each report's newest version")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_export)
    p = sub.add_parser("reports", help="the archived reports as a table")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_reports)
    p = sub.add_parser("runs", help="crawl runs and their summaries")
    p.add_argument("--last", action="store_true", help="only the newest run")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_runs)
    for module in (cli_archive, cli_ops, cli_queue):
        module.register(sub, db_help)
    return run(parser, argv)


if __name__ == "__main__":
    raise SystemExit(main())
