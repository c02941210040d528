"""The ``nianbao`` command: the pure commands of ``crawler.cli`` plus the archive's.

Archive commands read ``DATABASE_URL`` (or ``--db``); default ``sqlite:///data/nianbao.db``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli import InputError, build_parser, format_table, print_json, run
from storage import cli_archive, cli_audit, cli_ops, cli_queue, cli_seeds
from storage.archive import Archive


def _archive(args: argparse.Namespace) -> Archive:
    return cli_archive.open_archive(args.db)


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
    from crawler.summary import format_summary

    archive = _archive(args)
    runs = archive.runs()
    if not runs:
        raise InputError("the archive has no crawl runs yet")
    chosen: list[dict[str, Any]] = runs[-1:] if args.last else runs
    for run_row in chosen:
        stats = run_row.get("stats") or {}
        if run_row.get("finished"):
            sys.stdout.write(f"run {run_row['id']}: {run_row.get('started')} → {run_row.get('finished')}\n")
        else:  # a crawl writes its row's end with its summary: this one is running, or never got there
            n = run_row.get("fetches", 0)
            last = f", the last at {run_row['last_fetch']}" if run_row.get("last_fetch") else ""
            sys.stdout.write(f"run {run_row['id']}: {run_row.get('started')} → not finished: {n} "
                             f"fetch{'' if n == 1 else 'es'}{last} "
                             "(still running, or stopped before its summary: killed or crashed)\n")
        if stats:
            sys.stdout.write(format_summary(stats) + "\n")
    return 0


def explain(exc: BaseException, args: argparse.Namespace) -> str | None:
    """The one line for an archive that fails while a command reads or writes it (a page damaged in
    the middle of the file, a server gone, a read-only file), naming the archive; None: not ours."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import StorageError, describe_error, describe_url

    if not isinstance(exc, StorageError | SQLAlchemyError | sqlite3.Error):
        return None
    where = describe_url(getattr(args, "db", None))
    text = str(exc) if isinstance(exc, StorageError) else describe_error(exc)
    return f"archive {where}: {text}"


def main(argv: list[str] | None = None) -> int:
    parser, sub = build_parser()
    db_help = "database URL (default: $DATABASE_URL or sqlite:///data/nianbao.db)"
    p = sub.add_parser("reports", help="the archived reports as a table")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_reports)
    p = sub.add_parser("runs", help="crawl runs and their summaries")
    p.add_argument("--last", action="store_true", help="only the newest run")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_runs)
    for module in (cli_archive, cli_ops, cli_queue, cli_audit):
        module.register(sub, db_help)
    cli_audit.register_seeds(cli_seeds.register(sub, db_help), db_help)
    return run(parser, argv, explain)


if __name__ == "__main__":
    raise SystemExit(main())
