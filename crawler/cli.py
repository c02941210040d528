"""The pure half of the ``nianbao`` command: ``extract`` and ``parse`` work on files, no archive.

Exit status (DESIGN.md): 0 ok, 2 bad usage or unreadable input, with one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any


class InputError(Exception):
    """Bad usage or unreadable input: reported as one line, exit status 2."""


def read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: list[str], rows: list[list[str]], max_width: int = 48) -> str:
    """A plain-text table that lines up Chinese (double-width) text."""

    def cut(text: str) -> str:
        if _width(text) <= max_width:
            return text
        out, width = "", 0
        for ch in text:
            width += _width(ch)
            if width > max_width - 1:
                return out + "…"
            out += ch
        return out

    cells = [[cut(c) for c in row] for row in [headers, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _content_type_for(path: str) -> str | None:
    suffix = Path(path).suffix.lower()
    return {".txt": "text/plain", ".md": "text/plain"}.get(suffix)


def _document(args: argparse.Namespace, file_url: bool) -> Any:
    """The CleanDocument of ``args.path``; InputError when it is not a readable document."""
    from crawler.extract import extract

    body = read_input(args.path)
    url = args.url or ("" if args.path == "-" or not file_url else Path(args.path).resolve().as_uri())
    readers = logging.getLogger("crawler")
    level = readers.level
    if not args.verbose:  # the readers' own warnings become the one line below, or the JSON's warnings
        readers.setLevel(logging.ERROR)
    try:
        doc = extract(body, url, _content_type_for(args.path))
    finally:
        readers.setLevel(level)  # (main() may run in a process that goes on: tests, other tools)
    if doc.not_read is not None:
        # no document to read at all (empty, random bytes, a PDF/DOCX/XLSX cut short or damaged,
        # the extractor failed): one line, status 2, the reason as the document's warning says it
        name = "stdin" if args.path == "-" else args.path
        raise InputError(f"{name}: not a readable document ({doc.not_read.warning})")
    return doc


def cmd_extract(args: argparse.Namespace) -> int:
    print_json(_document(args, file_url=True).to_dict())
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from crawler.parse import parse

    report = parse(_document(args, file_url=False))
    print_json(report.to_dict())
    return 0


def build_parser(
    prog: str = "nianbao",
) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog=prog, description="Crawl, clean, parse and archive 政府信息公开工作年度报告."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "extract", help="print the clean document (docs/schema.md) of an HTML/PDF/DOCX/text file"
    )
    p.add_argument("path", help="file to read, - for stdin")
    p.add_argument("--url", default="", help="the URL the file came from (resolves links, site checks)")
    p.set_defaults(handler=cmd_extract)
    p = sub.add_parser("parse", help="print the Report JSON (docs/schema.md) of an HTML/PDF/DOCX/text file")
    p.add_argument("path", help="file to read, - for stdin")
    p.add_argument("--url", default="", help="the URL the file came from")
    p.set_defaults(handler=cmd_parse)
    return parser, sub


def run(parser: argparse.ArgumentParser, argv: list[str] | None = None,
        explain: Callable[[BaseException, argparse.Namespace], str | None] | None = None) -> int:
    """Run the chosen command. Bad input, and any error ``explain`` can put in one line (the
    archive's, for the commands of storage.cli), end as that line on stderr and status 2."""
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    try:
        return int(args.handler(args))
    except InputError as exc:
        sys.stderr.write(f"nianbao {args.command}: {exc}\n")
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:
        line = explain(exc, args) if explain is not None else None
        if line is None:
            raise
        sys.stderr.write(f"nianbao {args.command}: {line}\n")
        return 2


def main(argv: list[str] | None = None) -> int:
    parser, _ = build_parser()
    return run(parser, argv)


if __name__ == "__main__":
    raise SystemExit(main())
