"""``nianbao`` subcommands for archive history: versions, diff, coverage, events, export (issue 6).

Every command reads an existing archive: a missing SQLite file is an error, not a new empty database.
Bad usage and unreadable databases are one line on stderr and exit status 2 (``crawler.cli.run``).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from crawler.cli import InputError, format_table, print_json
from storage import export
from storage.archive import Archive
from storage.coverage import format_text as coverage_text
from storage.db import DEFAULT_URL, StorageError
from storage.warc import write_warc

FORMATS = ("jsonl", "csv", "parquet", "warc")


def open_archive(db: str | None) -> Archive:
    """The archive at ``db`` (else $DATABASE_URL, else the default); InputError when it cannot be read."""
    url = db or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if "://" not in url:  # a plain path names an SQLite file
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"bad database URL {url!r}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # an SQLite URI (sqlite:///file:PATH?mode=ro&uri=true) names its file before the "?"
        path = Path(parsed.database.removeprefix("file:").split("?", 1)[0]).expanduser()
        if not path.is_file():
            raise InputError(f"no archive at {path} (crawl first, or give --db)")
    try:
        return Archive.from_url(url)
    except StorageError as exc:
        raise InputError(str(exc)) from exc


def _one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """argparse prints usage plus the error; these commands say it in one line (exit status 2)."""

    def error(message: str) -> NoReturn:
        sys.stderr.write(f"{parser.prog}: {message}\n")
        raise SystemExit(2)

    parser.error = error  # type: ignore[method-assign]
    return parser


def _report_id(archive: Archive, ref: str) -> int:
    """A report by id or by one of its URLs."""
    if ref.isdigit():
        return int(ref)
    for sighting in archive.sightings(live_only=False):
        if sighting["url"] == ref:
            return int(sighting["report_id"])
    raise InputError(f"no report with id or URL {ref!r}")


def cmd_versions(args: argparse.Namespace) -> int:
    archive = open_archive(args.db)
    rid = _report_id(archive, args.report)
    rows = archive.versions(rid)
    if not rows:
        raise InputError(f"report {args.report} has no versions")
    if args.json:
        print_json(rows)
        return 0
    headers = ["n", "fetched_at", "flagged", "published", "changes", "url"]
    table = [
        [str(v["n"]), v["fetched_at"] or "", "defaced" if v["flagged"] else "", v["published"] or "",
         str(len(v["changed_cells"]) + len(v["meta_changes"])), v["url"]]
        for v in rows
    ]
    sys.stdout.write(format_table(headers, table) + f"\n{len(rows)} versions of report {rid}\n")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    archive = open_archive(args.db)
    rid = _report_id(archive, args.report)
    result = archive.diff(rid, args.from_n, args.to_n)
    if result is None:
        known = [v["n"] for v in archive.versions(rid)]
        raise InputError(f"report {rid}: no such versions (known: {', '.join(map(str, known)) or 'none'})")
    if args.json:
        print_json(result)
        return 0
    out = [f"report {rid}: version {result['from']} → {result['to']}"]
    out += [f"meta: {m}" if isinstance(m, str) else f"meta: {m}" for m in result["meta_changes"]]
    out += [f"cell: {c}" for c in result["changed_cells"]]
    if result["text_diff"]:
        out.append(result["text_diff"].rstrip("\n"))
    elif result["from"] == result["to"]:
        out.append("(one version only: nothing to compare)")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    archive = open_archive(args.db)
    years = sorted(set(args.years)) if args.years else None
    if args.html:
        from storage.coverage_html import render

        try:
            render(archive, args.html, years, args.since)
        except OSError as exc:
            raise InputError(f"cannot write {args.html} ({exc.strerror or exc})") from exc
        sys.stdout.write(f"coverage page written to {args.html}\n")
        return 0
    rows = archive.coverage(years, args.since)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        raise InputError("the archive has no agencies with reports yet")
    sys.stdout.write(coverage_text(rows) + "\n")
    return 0


def _since(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_events(args: argparse.Namespace) -> int:
    rows = open_archive(args.db).events(since=args.since)
    if args.json:
        print_json(rows)
        return 0
    table = [[str(e["id"]), e["created_at"] or "", e["kind"], str(e["report_id"] or ""),
              str(e["version"] or ""), _detail(e["detail"]), e["url"] or ""] for e in rows]
    sys.stdout.write(format_table(["id", "time", "kind", "report", "version", "detail", "url"], table)
                     + f"\n{len(rows)} events\n")
    return 0


def _detail(detail: dict[str, Any]) -> str:
    if detail.get("changed_cells"):
        return "; ".join(map(str, detail["changed_cells"]))[:80]
    if detail.get("reason"):
        return str(detail["reason"])
    if detail.get("findings"):
        return "spam: " + ", ".join(str(f.get("text", "")) for f in detail["findings"])[:60]
    if detail.get("title"):
        return str(detail["title"])[:60]
    return ""


def cmd_export(args: argparse.Namespace) -> int:
    if args.format in ("parquet", "warc") and not args.output:
        raise InputError(f"--format {args.format} needs -o FILE")
    archive = open_archive(args.db)
    try:
        if args.format == "warc":
            with open(args.output, "wb") as fh:
                counts = write_warc(archive, fh, filename=Path(args.output).name)
            sys.stderr.write(f"{counts['response']} response, {counts['revisit']} revisit and {counts['request']} "
                             f"request records → {args.output}\n")
            return 0
        records = archive.export_versions(latest=args.latest)
        if args.format == "parquet":
            n = export.write_parquet(records, args.output)
            sys.stderr.write(f"{n} records → {args.output}\n")
            return 0
        writer = export.write_csv if args.format == "csv" else export.write_jsonl
        if not args.output:
            writer(records, sys.stdout)
            return 0
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            writer(records, fh)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write ({exc.strerror})") from exc
    except StorageError as exc:
        raise InputError(str(exc)) from exc
    return 0


def register(sub: Any, db_help: str) -> None:
    """Add this module's subcommands to the ``nianbao`` parser."""
    p = _one_line_errors(sub.add_parser("versions", help="a report's versions (REPORT: id or URL)"))
    p.add_argument("report")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_versions)
    p = _one_line_errors(sub.add_parser("diff", help="text, cell and metadata diff between two versions"))
    p.add_argument("report")
    p.add_argument("--from", dest="from_n", type=int, help="older version (default: the one before --to)")
    p.add_argument("--to", dest="to_n", type=int, help="newer version (default: the latest)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_diff)
    p = _one_line_errors(sub.add_parser("coverage", help="agency × year: found, missing, published late"))
    p.add_argument("--year", dest="years", type=int, action="append", help="only this year (repeatable)")
    p.add_argument("--since", type=int, metavar="YEAR",
                   help="count every agency from this year (default: from its first archived report)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--html", metavar="PATH", help="write the matrix and a revision timeline as one HTML page")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_coverage)
    p = _one_line_errors(sub.add_parser("events", help="new / revised / removed / defaced … reports"))
    p.add_argument("--since", type=_since, help="only events at or after this ISO 8601 time")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_events)
    p = _one_line_errors(sub.add_parser("export", help="report versions (jsonl, csv, parquet) or captures (warc)"))
    p.add_argument("--format", choices=FORMATS, default="jsonl")
    p.add_argument("--latest", action="store_true", help="only each report's newest version")
    p.add_argument("-o", "--output", help="write to this file (parquet and warc need one)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_export)
