"""``nianbao audit`` (stored reports that do not look like a report, with the reason) and
``nianbao seeds suggest`` (seed rows for agencies outside the seed list that the crawls met)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli import format_table, print_json
from storage import audit
from storage.cli_archive import open_archive


def cmd_audit(args: argparse.Namespace) -> int:
    findings = audit.audit(open_archive(args.db).engine)
    if args.json:
        print_json([f.as_dict() for f in findings])
    else:
        headers = ["reason", "agency", "year", "report", "url", "detail"]
        table = [[f.reason, f.agency, str(f.year or ""), str(f.report_id), f.url, f.detail] for f in findings]
        if table:
            sys.stdout.write(format_table(headers, table) + "\n")
        tally = ", ".join(f"{k} {v}" for k, v in audit.counts(findings).items() if v)
        sys.stdout.write(f"{len(findings)} findings" + (f": {tally}" if tally else "") + "\n")
    return 1 if findings and args.fail_on_finding else 0


def cmd_seeds_suggest(args: argparse.Namespace) -> int:
    rows = audit.suggested_seeds(open_archive(args.db).engine)
    if args.json:
        print_json(rows)
    else:
        sys.stdout.write(audit.seeds_csv(rows))
    return 0


def register(sub: Any, db_help: str) -> None:
    """Add this module's subcommands to the ``nianbao`` parser."""
    p = sub.add_parser("audit", help="stored reports that look wrong (short, no tables, list- or wrapper-like, "
                                     "an agency-year twice), with URL and reason")
    p.add_argument("--json", action="store_true")
    p.add_argument("--fail-on-finding", action="store_true", help="exit 1 when anything is found (for CI)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_audit)


def register_seeds(seeds: Any, db_help: str) -> None:
    """Add ``nianbao seeds suggest`` beside ``seeds check`` (storage.cli_seeds makes the group)."""
    p = seeds.add_parser("suggest", help="CSV seed rows for agencies outside the seed list whose reports "
                                         "were linked from seeded portals")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help=db_help)
    p.set_defaults(handler=cmd_seeds_suggest)
