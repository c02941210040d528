"""Extraction: fetched bytes → CleanDocument (clean body text, table grids, metadata, spam findings).

Public API (other rooms call exactly these):
    extract(body, url="", content_type=None, title_hint=None) -> CleanDocument
    extract_text(text, url="", title=None) -> CleanDocument
    html_table_to_grid(table_element) -> list[list[str]]
"""

from crawler.extract.core import MAX_CHARS, TRUNCATED, extract, extract_text
from crawler.extract.tables import html_table_to_grid

__all__ = ["MAX_CHARS", "TRUNCATED", "extract", "extract_text", "html_table_to_grid"]
