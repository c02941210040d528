"""python-docx's own reading of a DOCX: the oracle for crawler.attachments.docx, and its peer in make bench.

``docx.Document`` loads the whole package (every part, python-docx's element classes); its body is
walked by the same block, paragraph and table code as ours, so any difference is in the tree.
"""

from __future__ import annotations

import io

from crawler.attachments import docx as docx_reader
from crawler.attachments.common import make_result
from crawler.model import AttachmentText, Table


def python_docx_reading(body: bytes) -> AttachmentText:
    import docx

    document = docx.Document(io.BytesIO(body))
    lines: list[str] = []
    tables: list[Table] = []
    for kind, el in docx_reader._blocks(document.element.body):
        if kind == "p":
            lines.extend(docx_reader._para_text(el).split("\n"))
        else:
            docx_reader._add_table(docx_reader._table_grid(el), lines, tables)
    return make_result("docx", lines, tables, document.core_properties.title or "", [])
