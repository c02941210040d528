"""Writers for ``nianbao export --format jsonl|csv|parquet|warc`` over ``Archive.export_versions``.

csv and parquet flatten the same records: scalars stay columns, tables and lists become JSON
strings (docs/schema.md).
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet", "warc")
# Column order of the flat formats; extra keys a record gains later are appended.
COLUMNS = [
    "report_id", "agency", "seed_agency", "year", "title", "url", "urls", "version", "state", "flagged",
    "fetched_at", "first_seen", "last_seen", "published", "text_sha256", "format", "text", "proactive",
    "requests", "review_litigation", "legacy_figures", "checks", "spam", "tables", "changed_cells",
    "meta_changes", "source_sha256", "region", "level",
]


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return value


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    return {k: _flat(v) for k, v in record.items()}


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """CSV with a header row; open ``out`` with ``newline=""``."""
    writer: csv.DictWriter[str] | None = None
    n = 0
    for rec in records:
        if writer is None:
            fields = COLUMNS + [k for k in rec if k not in COLUMNS]
            writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flatten(rec))
        n += 1
    if writer is None:
        csv.writer(out).writerow(COLUMNS)
    return n


def write_parquet(records: Iterable[dict[str, Any]], path: str | Path, batch: int = 500) -> int:
    """Parquet file at ``path`` (needs a real file: the format writes a footer at the end)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("report_id", pa.int64()), ("agency", pa.string()), ("seed_agency", pa.string()), ("year", pa.int64()),
        ("title", pa.string()), ("url", pa.string()), ("urls", pa.string()), ("version", pa.int64()),
        ("state", pa.string()), ("flagged", pa.bool_()), ("fetched_at", pa.string()), ("first_seen", pa.string()),
        ("last_seen", pa.string()), ("published", pa.string()), ("text_sha256", pa.string()),
        ("format", pa.string()), ("text", pa.string()), ("proactive", pa.string()), ("requests", pa.string()),
        ("review_litigation", pa.string()), ("legacy_figures", pa.string()), ("checks", pa.string()),
        ("spam", pa.string()), ("tables", pa.string()), ("changed_cells", pa.string()),
        ("meta_changes", pa.string()), ("source_sha256", pa.string()), ("region", pa.string()),
        ("level", pa.string()),
    ])
    n = 0
    rows: list[dict[str, Any]] = []
    with pq.ParquetWriter(str(path), schema) as writer:
        for rec in records:
            rows.append(flatten(rec))
            n += 1
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return n
