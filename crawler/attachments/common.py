"""Helpers shared by the per-format readers: cell text, grids, titles, zip-bomb guard."""

from __future__ import annotations

import io
import logging
import re
import zipfile

from crawler.model import AttachmentText, Table

log = logging.getLogger("crawler.attachments")

# Zip containers (DOCX/XLSX) are refused above these limits: a 10 kB file may inflate to gigabytes.
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200.0
# Below this total the ratio test is skipped: tiny XML members compress far beyond 200x legitimately.
RATIO_FLOOR = 1024 * 1024
# A member a reader parses whole into one DOM: lxml takes ~12x the XML's size (a 64 MiB
# document.xml: ~800 MB RSS), far past what MAX_UNZIPPED alone bounds. Real reports' document.xml
# is 0.1–3 MB, so 16 MiB (~200 MB as a DOM) is only reached by generated or hostile files.
MAX_DOM_PART = 16 * 1024 * 1024

CELL_SEP = " | "

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_JOIN_NO_SPACE = re.compile(rf"[{_CJK}]")
_WS = re.compile(r"[ \t\u00a0]+")
_TITLE_WORDS = ("年度报告", "年报")
_SENTENCE_END = ("。", "；", ";", "！", "？", "，", ",")
_GENERIC_META = re.compile(r"^(microsoft\s+(word|excel)\s*-\s*)", re.I)


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of one wrapped cell/paragraph: no space between CJK characters."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (_JOIN_NO_SPACE.match(out[-1]) or _JOIN_NO_SPACE.match(part[0])):
            out += " "
        out += part
    return out


_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")


def squeeze_cjk(text: str) -> str:
    """Drop spaces between two CJK characters: justified PDF text comes out as "总 体 情 况"."""
    return _CJK_GAP.sub("", text)


def cell_text(value: object) -> str:
    """Normalise one table cell: None -> "", inner line breaks joined, runs of spaces collapsed."""
    if value is None:
        return ""
    text = str(value).replace("\r", "\n")
    return _WS.sub(" ", join_wrapped(text.split("\n"))).strip()


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Pad rows to one width; drop rows and trailing columns that are entirely empty."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while width > 0 and all(not r[width - 1] for r in rows):
        width -= 1
        rows = [r[:width] for r in rows]
    return rows


def table_lines(rows: list[list[str]]) -> list[str]:
    return [CELL_SEP.join(r) for r in rows]


def guess_title(meta_title: str, lines: list[str]) -> str:
    """Metadata title when it names a report, else the first heading-like 年度报告/年报 line.

    Word-made PDFs often carry "Microsoft Word - 附件1.doc" or a template title, so a metadata
    title without 年度报告/年报 only wins when no heading line names the report.
    """
    meta = _GENERIC_META.sub("", (meta_title or "").strip())
    meta = re.sub(r"\.(docx?|wps|pdf|xlsx?)$", "", meta, flags=re.I).strip()
    if any(w in meta for w in _TITLE_WORDS):
        return meta
    head = [ln.strip() for ln in lines[:40] if ln.strip() and CELL_SEP not in ln]
    for i, line in enumerate(head):
        for cand in (line, line + head[i + 1] if i + 1 < len(head) else ""):
            if (
                cand
                and len(cand) <= 80
                and any(w in cand for w in _TITLE_WORDS)
                and not cand.endswith(_SENTENCE_END)
                and "。" not in cand
            ):
                return cand
    if meta and re.search(rf"[{_CJK}]", meta):
        return meta
    return ""


def zip_guard(body: bytes) -> str:
    """Reason to refuse a zip container ("" when it looks safe). Declared sizes are enforced by zipfile."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"corrupt zip: {exc}"
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED:
        return f"zip bomb: {total} bytes uncompressed (limit {MAX_UNZIPPED})"
    if total > RATIO_FLOOR and total / packed > MAX_RATIO:
        return f"zip bomb: compression ratio {total / packed:.0f} (limit {MAX_RATIO:.0f})"
    return ""


def member_sizes(body: bytes) -> dict[str, int]:
    """Declared uncompressed size of each zip member: zipfile stops reading a member at it (Bad CRC)."""
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        return {i.filename: i.file_size for i in zf.infolist()}


def too_large(name: str, size: int, limit: int) -> str:
    return f"{name} is {size / 2**20:.1f} MiB uncompressed (limit {limit >> 20} MiB): too large to read"


def failed(kind: str, reason: str, warnings: list[str] | None = None) -> AttachmentText:
    log.warning("attachment not extracted (%s): %s", kind, reason)
    return AttachmentText(kind=kind, extracted=False, reason=reason, warnings=list(warnings or []))


def make_result(
    kind: str, lines: list[str], tables: list[Table], meta_title: str, warnings: list[str]
) -> AttachmentText:
    lines = [ln for ln in (x.strip() for x in lines) if ln]
    return AttachmentText(
        kind=kind,
        text="\n".join(lines),
        tables=tables,
        title=guess_title(meta_title, lines),
        warnings=warnings,
    )
