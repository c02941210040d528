"""Bytes → kind and text: magic-byte sniffing and charset decoding (gb2312/gbk read as gb18030)."""

from __future__ import annotations

import logging
import re

from w3lib.encoding import html_body_declared_encoding, html_to_unicode, resolve_encoding

log = logging.getLogger(__name__)

_ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/vnd.ms-works": "wps",
    "application/wps-office.wps": "wps",
    "application/kswps": "wps",
}
_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "rtf", "et"}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|table|p)\b", re.I | re.S)


def sniff(body: bytes, url: str = "", content_type: str | None = None) -> str:
    """"html", "text", "binary", or an attachment kind ("pdf", "docx", "doc", …)."""
    head = body[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        window = body[:4096] + body[-65536:]
        if b"word/" in window:
            return "docx"
        if b"xl/" in window:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        ext = url.rsplit("?", 1)[0].rsplit(".", 1)[-1].lower() if "." in url else ""
        return ext if ext in ("doc", "xls", "wps", "et") else _ATTACHMENT_TYPES.get(
            (content_type or "").split(";")[0].strip().lower(), "doc"
        )
    ctype = (content_type or "").split(";")[0].strip().lower()
    sample = body[:4096]
    # markup wins over a declared attachment type: servers send HTML error pages as application/pdf
    if _HTML_START.match(sample.lstrip(b"\xef\xbb\xbf")) or re.search(rb"<(?:html|body|div|p|table)\b", sample, re.I):
        return "html"
    if ctype in _ATTACHMENT_TYPES:
        return _ATTACHMENT_TYPES[ctype]
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if _looks_binary(sample):
        return "binary"
    return "text"


TRUNCATED = "truncated:"  # the warning of a document cut at a size limit (the run summary counts them)


def limit_text(text: str, limit: int, size: int) -> tuple[str, list[str]]:
    """``text`` cut to ``limit`` characters (never inside one), and the warning saying so, if it was."""
    if len(text) <= limit:
        return text, []
    return text[:limit], [f"{TRUNCATED} body of {size} bytes ({len(text)} characters) cut to its first {limit} characters"]


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.05


def _bad_ratio(text: str) -> float:
    if not text:
        return 0.0
    return text.count("\ufffd") / len(text)


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): header charset > BOM > meta > sniff, gb2312/gbk → gb18030.

    A declared charset that yields replacement characters is wrong; then the better of utf-8 and
    gb18030 wins and a warning says so.
    """
    warnings: list[str] = []
    header = f"text/html; charset={_charset(content_type)}" if _charset(content_type) else None
    encoding, text = html_to_unicode(header, body, auto_detect_fun=_auto_detect)
    if resolve_encoding(encoding) != "utf-8" and _is_utf8_cjk(body):
        # GB18030 decodes almost any byte string, so a UTF-8 page declared gb2312 gives mojibake, not
        # errors; a strict UTF-8 decode of real CJK text, by contrast, never succeeds by accident.
        declared = _charset(content_type) or html_body_declared_encoding(body) or encoding
        warnings.append(f"declared charset {declared} is wrong; decoded as utf-8")
        return body.decode("utf-8"), "utf-8", warnings
    if _bad_ratio(text) > 0.001:
        best = (text, encoding)
        for alt in ("utf-8", "gb18030", "big5"):
            if resolve_encoding(alt) == resolve_encoding(encoding):
                continue
            candidate = body.decode(alt, errors="replace")
            if _bad_ratio(candidate) < _bad_ratio(best[0]) / 2:
                best = (candidate, alt)
        if best[1] != encoding:
            declared = _charset(content_type) or html_body_declared_encoding(body) or encoding
            warnings.append(f"declared charset {declared} is wrong; decoded as {best[1]}")
            text, encoding = best
        elif _bad_ratio(text) > 0.01:
            warnings.append(f"undecodable bytes in {encoding} text")
    return text, encoding, warnings


def decode_text(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Plain text: BOM / declared charset, else utf-8, else gb18030."""
    charset = _charset(content_type)
    for enc in [c for c in (charset, "utf-8", "gb18030") if c]:
        try:
            return body.decode(resolve_encoding(enc) or enc), enc, []
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("gb18030", errors="replace"), "gb18030", ["undecodable bytes in text body"]


def _is_utf8_cjk(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return re.search(rb"[\xe4-\xe9][\x80-\xbf]{2}", body) is not None


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _auto_detect(body: bytes) -> str | None:
    # No declaration at all: utf-8 when it decodes cleanly, else the usual mainland legacy charset.
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"
