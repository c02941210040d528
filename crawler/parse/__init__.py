"""Parsing: a clean report → the Report of docs/schema.md ("parse → Report").

Public API (other code calls exactly this)::

    parse(doc: CleanDocument) -> Report            # doc.tables grids when present, else doc.text
    parse_text(text, title="", url="") -> Report   # flattened text only
    cross_year_checks(previous, current) -> list[Check]

Pure functions; bad input gives warnings and whatever could be parsed, never an exception.

Report fields beyond docs/schema.md (additive):
- ``requests["blank_means_zero"]``: None when 表三 has no blank cells, else whether it balances only
  when its blanks read as 0 (Shanghai style); the hard checks then read them so. Blank cells and the
  markers "—", "/", "无" are always stored as None (crawler.parse.cells explains why).
- ``requests["subtotal_rows"]`` ({"denied"|"unavailable"|"rejected"|"other": [7]}) and
  ``requests["subtotal_column"]`` ({row: n}) only when a report adds local 小计 rows / a 小计 column.
- ``published`` may be an ISO month ("2014-02") when the signing line has no day.
- Checks: T2-1, T2-3/T2-4 (soft), T3-1…T3-6, T4-1…T4-4, and for old-era 附表 L-1 (申请总数 = Σ
  channels) / L-2 (soft, 答复总数 ≥ Σ reply kinds); ``cross_year_checks`` gives X-1, T2-2, T2-5 (soft).
- A table whose anchor was found has its full key set (None = unknown); one not found is ``{}``.
- ``legacy_figures`` (format "legacy" only): key set documented in crawler.parse.legacy.
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
