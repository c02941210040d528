"""Decide an attachment's format from its bytes first, then Content-Type, then the URL.

Portals often serve PDFs as application/octet-stream or name DOCX files ".doc", so magic bytes win.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote, urlsplit

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXT = {
    "pdf": "pdf",
    "docx": "docx",
    "doc": "doc",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "xls": "xls",
    "wps": "wps",
    "et": "xls",  # WPS spreadsheet, OLE like xls
    "rtf": "rtf",
    "htm": "html",
    "html": "html",
    "shtml": "html",
    "txt": "text",
}
_CTYPE = (
    ("pdf", "pdf"),
    ("wordprocessingml", "docx"),
    ("spreadsheetml", "xlsx"),
    ("msword", "doc"),
    ("ms-excel", "xls"),
    ("rtf", "rtf"),
    ("wps", "wps"),
    ("html", "html"),
    ("text/plain", "text"),
)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|meta|div|script|title)[\s>]", re.I)


def _from_url(url: str) -> str:
    parts = urlsplit(url)
    # viewer URLs carry the file in the query: /pdfjs/web/viewer.html?file=/a/b.pdf
    for value in re.findall(r"=([^&]+)", unquote(parts.query).lower()):
        m = re.search(r"\.([a-z]{2,5})$", value)
        if m and _EXT.get(m.group(1)) not in (None, "html", "text"):
            return _EXT[m.group(1)]
    m = re.search(r"\.([a-z]{2,5})$", unquote(parts.path).lower())
    return _EXT.get(m.group(1), "") if m else ""


def _from_ctype(content_type: str | None) -> str:
    ctype = (content_type or "").lower()
    for needle, kind in _CTYPE:
        if needle in ctype:
            return kind
    return ""


def _zip_kind(body: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""


def _ole_kind(body: bytes, hint: str) -> str:
    # Directory entries are UTF-16LE names; reading olefile's way is overkill for three names.
    head = body[: 2 * 1024 * 1024]
    if "WordDocument".encode("utf-16-le") in head:
        return "wps" if hint == "wps" else "doc"
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return "xls"
    return hint if hint in ("doc", "wps", "xls") else "doc"


def _looks_text(body: bytes) -> bool:
    sample = body[:4096]
    if not sample or b"\x00" in sample:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return True
        except UnicodeDecodeError:
            # a multi-byte character cut at the sample's end is fine
            try:
                sample[:-3].decode(enc)
                return True
            except UnicodeDecodeError:
                continue
    return False


def sniff_kind(body: bytes, url: str = "", content_type: str | None = None) -> str:
    """pdf|docx|doc|xlsx|xls|wps|rtf|html|text|unknown."""
    hint = _from_ctype(content_type) or _from_url(url)
    if not body:
        return hint or "unknown"
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(body)
        if kind:
            return kind
        return hint if hint in ("docx", "xlsx") else "unknown"
    if head.startswith(_OLE):
        return _ole_kind(body, hint)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _HTML.search(body[:2048]):
        return "html"
    if _looks_text(body):
        return "text"
    return hint or "unknown"
