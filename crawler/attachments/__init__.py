"""Text and tables out of report attachments (PDF, DOC/DOCX, XLS/XLSX, WPS, RTF).

``read_attachment`` never raises: whatever cannot be read comes back with ``extracted=False`` and a
``reason`` (encrypted pdf, corrupt …, zip bomb …, no converter …) so the raw bytes can be stored.
"""

from __future__ import annotations

from crawler.model import AttachmentText

from .common import failed, make_result
from .sniff import sniff_kind

__all__ = ["read_attachment", "sniff_kind"]

MAX_TEXT_BYTES = 20 * 1024 * 1024


def _read_text(body: bytes) -> AttachmentText:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = body[:MAX_TEXT_BYTES].decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = body[:MAX_TEXT_BYTES].decode("utf-8", "replace")
    return make_result("text", text.splitlines(), [], "", [])


def read_attachment(body: bytes, url: str = "", content_type: str | None = None) -> AttachmentText:
    kind = "unknown"
    try:
        kind = sniff_kind(body, url, content_type)
        if not body:
            return failed(kind, "empty file")
        if kind == "pdf":
            from .pdf import read_pdf

            return read_pdf(body)
        if kind == "docx":
            from .docx import read_docx

            return read_docx(body)
        if kind == "xlsx":
            from .xlsx import read_xlsx

            return read_xlsx(body)
        if kind == "xls":
            from .xlsx import read_xls

            return read_xls(body)
        if kind in ("doc", "wps", "rtf"):
            from .office import read_office

            return read_office(body, kind)
        if kind == "text":
            return _read_text(body)
        if kind == "html":
            return failed("html", "html page, not an attachment (read it with crawler.extract)")
        return failed("unknown", "unknown file format")
    except Exception as exc:  # last line of defence: a reader bug must not stop the crawl
        return failed(kind, f"corrupt {kind}: {type(exc).__name__}: {exc}")
