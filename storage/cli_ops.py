"""``nianbao`` subcommands for operations: ``status`` (per-agency health) and ``cells`` (analyst export).

``nianbao coverage --html`` lives with the archive commands and calls ``storage.coverage_html.render``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from crawler.cli import InputError, print_json
from storage.archive import Archive
from storage.db import StorageError
from storage.status import agency_health, format_health

CELL_COLUMNS = ["report_id", "version", "agency", "seed_agency", "region", "level", "year", "format", "table", "row",
                "column", "value", "unit", "raw", "url"]
REPORT_COLUMNS = ["report_id", "version", "agency", "seed_agency", "year", "format", "state", "title",
                  "published", "url", "urls", "first_seen", "last_seen", "fetched_at", "versions_flagged",
                  "checks_failed", "spam", "text_sha256"]


class ProgressBar:
    """A one-line bar on stderr, drawn only when stderr is a terminal (cron logs stay clean)."""

    def __init__(self, total: int, label: str, stream: IO[str] | None = None) -> None:
        self.total, self.label, self.done = max(total, 0), label, 0
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done >= self.total):
            self._last = now
            width = 30
            filled = int(width * self.done / self.total) if self.total else width
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def wrap(self, items: Iterable[Any]) -> Iterator[Any]:
        try:
            for item in items:
                yield item
                self.advance()
        finally:
            self.close()


def _archive(args: argparse.Namespace) -> Archive:
    from storage.cli_archive import open_archive  # plain paths, $DATABASE_URL, a missing file: one line

    return open_archive(args.db)


def cmd_status(args: argparse.Namespace) -> int:
    archive = _archive(args)
    try:
        rows = agency_health(archive.runs(), archive.reports())
    except StorageError as exc:
        raise InputError(str(exc)) from exc
    if args.json:
        print_json(rows)
    elif not rows:
        sys.stdout.write("the archive has no crawl runs or reports yet\n")
    else:
        sys.stdout.write(format_health(rows) + "\n")
    failing = sum(1 for r in rows if r["ok"] is False)
    return 1 if failing and args.fail_on_error else 0


# --- cells ----------------------------------------------------------------------------------------

def _value(cell: Any) -> tuple[float | None, str, str]:
    """(number, unit, raw) of a parsed cell: a count, null, or money ``{"value", "unit", "raw"}``."""
    if isinstance(cell, dict):
        value = cell.get("value")
        return (float(value) if isinstance(value, int | float) else None, str(cell.get("unit") or ""),
                str(cell.get("raw") or cell.get("source") or ""))
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None, "", "" if cell is None else str(cell)
    return float(cell), "", ""


def cell_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The long-format rows of one export record (docs/schema.md keys): one per table cell."""
    base = {k: record.get(k) for k in ("report_id", "version", "agency", "seed_agency", "region", "level", "year",
                                       "format", "url")}

    def row(table: str, row_key: str, column: str, cell: Any) -> dict[str, Any]:
        value, unit, raw = _value(cell)
        return {**base, "table": table, "row": row_key, "column": column, "value": value, "unit": unit, "raw": raw}

    for article, rows in sorted((record.get("proactive") or {}).items()):
        for row_key, columns in sorted((rows or {}).items()):
            for column, cell in (columns or {}).items():
                yield row("proactive/" + article, row_key, column, cell)
    requests = record.get("requests") or {}
    columns = list(requests.get("columns") or [])
    for row_key, cells in (requests.get("rows") or {}).items():
        for i, cell in enumerate(cells or []):
            yield row("requests", row_key, columns[i] if i < len(columns) else str(i), cell)
    for row_key, cols in (record.get("review_litigation") or {}).items():
        for column, cell in (cols or {}).items():
            yield row("review_litigation", row_key, column, cell)
    for key, cell in sorted((record.get("legacy_figures") or {}).items()):
        yield row("legacy_figures", key, "value", cell)


def report_row(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: record.get(k) for k in REPORT_COLUMNS if k in record}
    out["urls"] = " ".join(record.get("urls") or [])
    out["versions_flagged"] = bool(record.get("flagged"))
    out["checks_failed"] = " ".join(c.get("rule", "") for c in record.get("checks") or [] if not c.get("ok"))
    out["spam"] = bool((record.get("spam") or {}).get("detected"))
    return {k: out.get(k) for k in REPORT_COLUMNS}


def _write(rows: Iterable[dict[str, Any]], columns: list[str], fmt: str, path: Path) -> int:
    """Write to ``path`` via a temporary file, so a failed export never leaves a truncated file."""
    tmp = path.with_name(path.name + ".part")
    count = 0
    try:
        if fmt == "csv":
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns)
                writer.writeheader()
                for r in rows:
                    writer.writerow(r)
                    count += 1
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            data = list(rows)
            count = len(data)
            table = pa.Table.from_pylist(data, schema=_schema(columns)) if data else _schema(columns).empty_table()
            pq.write_table(table, tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _schema(columns: list[str]) -> Any:
    import pyarrow as pa

    types = {"report_id": pa.int64(), "version": pa.int64(), "year": pa.int64(), "value": pa.float64(),
             "versions_flagged": pa.bool_(), "spam": pa.bool_()}
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def _write_stdout(rows: Iterable[dict[str, Any]], columns: list[str]) -> int:
    """CSV on stdout (``-o -``): for pipes into csvkit, DuckDB, pandas; parquet needs a file."""
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for r in rows:
        writer.writerow(r)
        count += 1
    sys.stdout.flush()
    return count


def cmd_cells(args: argparse.Namespace) -> int:
    archive = _archive(args)
    to_stdout = args.output == "-"
    out = Path(args.output)
    fmt = args.format or ("parquet" if out.suffix == ".parquet" else "csv")
    if to_stdout and fmt == "parquet":
        raise InputError("parquet needs a file: -o cells.parquet (or --format csv -o -)")
    if not to_stdout and out.is_dir():
        raise InputError(f"{out}: is a directory, expected a file")
    try:
        n = len(archive.reports())
        records = ProgressBar(n, "cells").wrap(archive.export_versions(latest=not args.all_versions))
        if args.reports:
            rows: Iterable[dict[str, Any]] = (report_row(r) for r in records)
            columns = REPORT_COLUMNS
        else:
            rows = (c for r in records for c in cell_rows(r))
            columns = CELL_COLUMNS
        count = _write_stdout(rows, columns) if to_stdout else _write(rows, columns, fmt, out)
    except StorageError as exc:
        raise InputError(str(exc)) from exc
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    sys.stderr.write(f"{count} {'reports' if args.reports else 'cells'} written to "
                     f"{'stdout' if to_stdout else out} ({fmt})\n")
    return 0


def register(sub: Any, db_help: str) -> None:
    """Add this module's subcommands to the ``nianbao`` parser."""
    p = sub.add_parser("status", help="per-agency health: last success, failures in a row, robots, budget, years")
    p.add_argument("--json", action="store_true")
    p.add_argument("--fail-on-error", action="store_true",
                   help="exit 1 when an agency failed in its last run (for monitoring)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_status)
    p = sub.add_parser("cells", help="long-format table cells (agency, year, table, row, column, value) "
                                     "as parquet or csv")
    p.add_argument("--format", choices=["parquet", "csv"], help="default: from the file name, else csv")
    p.add_argument("-o", "--output", required=True, help="file to write; - writes csv to stdout")
    p.add_argument("--reports", action="store_true", help="one row per report instead of per cell")
    p.add_argument("--all-versions", action="store_true", help="every version, not only each report's latest")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_cells)
