"""Parsing: a clean report → the Report of docs/schema.md ("parse → Report").

Public API (other code calls exactly this)::

    parse(doc: CleanDocument) -> Report            # doc.tables grids when present, else doc.text
    parse_text(text, title="", url="") -> Report   # flattened text only
    cross_year_checks(previous, current) -> list[Check]

Pure functions; bad input gives warnings and whatever could be parsed, never an exception.
"""

from __future__ import annotations

from crawler.model import Check, CleanDocument, Report
from crawler.parse.checks import cross_year_checks
from crawler.parse.report import parse_document

__all__ = ["parse", "parse_text", "cross_year_checks", "Check", "Report"]


def parse(doc: CleanDocument) -> Report:
    """Parse an extracted document; grids in ``doc.tables`` win over the flattened text."""
    return parse_document(doc)


def parse_text(text: str, title: str = "", url: str = "") -> Report:
    """Parse flattened text (seed files, PDF text, archives made by other tools)."""
    return parse_document(CleanDocument(url=url, title=title, text=text or "", method="text"))
