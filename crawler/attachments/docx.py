"""DOCX paragraphs and tables in document order, with a gridSpan/vMerge-aware grid.

The main document part is parsed with lxml as python-docx parses it; a part too big for one DOM
is streamed instead (iterparse, one paragraph or table row at a time).
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from lxml import etree

from crawler.model import AttachmentText, Table

from .common import (
    MAX_DOM_PART,
    cell_text,
    failed,
    make_result,
    rectangular,
    table_lines,
    zip_guard,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_ROWS = 20000
# Streaming a document too big for one DOM: elements one paragraph or table row may hold (real
# ones: tens to a few thousand; 200,000 lxml elements are ~60 MB).
MAX_BLOCK_ELEMENTS = 200_000
_STREAM_TAGS = frozenset((f"{_W}p", f"{_W}tr", f"{_W}tbl"))
# python-docx's oxml parser settings: the tree it would have given us
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


# every w:t under the paragraph (runs, hyperlinks, smart tags, inserted text, text boxes) plus
# tabs/breaks, but not mc:Fallback: Word stores each text box twice (DrawingML + VML fallback).
_TEXT_NODES = etree.XPath(
    ".//w:t[not(ancestor::mc:Fallback)] | .//w:tab[not(ancestor::mc:Fallback)]"
    " | .//w:br[not(ancestor::mc:Fallback)] | .//w:cr[not(ancestor::mc:Fallback)]",
    namespaces={"w": _W[1:-1], "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"},
)


def _para_text(p: Any) -> str:
    parts: list[str] = []
    for node in _TEXT_NODES(p):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _val(el: Any, name: str) -> str | None:
    child = el.find(f"{_W}{name}") if el is not None else None
    if child is None:
        return None
    value: str = child.get(f"{_W}val", "")  # el is an lxml element passed untyped; its attributes are str
    return value


def _tc_text(tc: Any) -> str:
    # nested tables' text is kept, flattened into the cell
    return cell_text("\n".join(_para_text(p) for p in tc.iter(f"{_W}p")))


def _add_row(grid: list[list[str]], tr: Any) -> None:
    """Append one row of cell text; gridSpan repeats across, vMerge="continue" repeats the cell above."""
    row: list[str] = []
    tr_pr = tr.find(f"{_W}trPr")
    before = _val(tr_pr, "gridBefore")
    row.extend([""] * (int(before) if before and before.isdigit() else 0))
    for tc in tr.findall(f"{_W}tc"):
        tc_pr = tc.find(f"{_W}tcPr")
        span_val = _val(tc_pr, "gridSpan")
        span = int(span_val) if span_val and span_val.isdigit() else 1
        vmerge = _val(tc_pr, "vMerge")
        col = len(row)
        if vmerge is not None and vmerge != "restart" and grid:
            above = grid[-1]
            text = above[col] if col < len(above) else ""
        else:
            text = _tc_text(tc)
        row.extend([text] * max(span, 1))
    grid.append(row)


def _table_grid(tbl: Any) -> list[list[str]]:
    grid: list[list[str]] = []
    for tr in tbl.findall(f"{_W}tr")[:MAX_ROWS]:
        _add_row(grid, tr)
    return grid


def _blocks(container: Any) -> list[tuple[str, Any]]:
    """Body children in order; content controls (w:sdt) are opened, not skipped."""
    out: list[tuple[str, Any]] = []
    for child in container:
        if child.tag == f"{_W}p":
            out.append(("p", child))
        elif child.tag == f"{_W}tbl":
            out.append(("tbl", child))
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(_blocks(content))
    return out


def _add_table(grid: list[list[str]], lines: list[str], tables: list[Table]) -> None:
    grid = rectangular(grid)
    if grid:
        tables.append(Table(rows=grid))
        lines.extend(table_lines(grid))


def _top_level(el: Any) -> bool:
    """A body block as _blocks sees it: a child of w:body, through content controls only."""
    parent = el.getparent()
    while parent is not None and parent.tag in (f"{_W}sdtContent", f"{_W}sdt"):
        parent = parent.getparent()
    return parent is not None and parent.tag == f"{_W}body"


class _BlockTooLarge(Exception):
    pass


def _stream_body(source: IO[bytes], lines: list[str], tables: list[Table]) -> None:
    """The body read block by block (table rows one at a time), each freed once read: memory stays
    at one paragraph or row, where a DOM holds the whole part (~12x the XML)."""
    grid: list[list[str]] = []
    held = 0  # elements parsed since the last block was freed
    for _, el in etree.iterparse(source, events=("end",), resolve_entities=False, no_network=True):
        tag = el.tag
        if tag not in _STREAM_TAGS:
            held += 1
            if held > MAX_BLOCK_ELEMENTS:  # one paragraph of a million runs is a DOM bomb too
                raise _BlockTooLarge
            continue
        if tag == f"{_W}tr":
            table = el.getparent()
            if table is None or not _top_level(table):
                continue  # a nested table's row: its text is read with the outer cell
            if len(grid) < MAX_ROWS:
                _add_row(grid, el)
        elif not _top_level(el):
            continue  # a cell's or text box's paragraph: read with its row / outer paragraph
        elif tag == f"{_W}p":
            lines.extend(_para_text(el).split("\n"))
        else:
            _add_table(grid, lines, tables)
            grid = []
        held = 0
        el.clear()
        while el.getprevious() is not None:  # iterparse keeps every finished sibling otherwise
            del el.getparent()[0]


def _small_xml(zf: zipfile.ZipFile, name: str) -> Any:
    """A package part parsed whole, or None when it is missing, broken or over MAX_DOM_PART."""
    try:
        if zf.getinfo(name).file_size > MAX_DOM_PART:
            return None
        return etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False))
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile):
        return None


def _package_part(zf: zipfile.ZipFile, rel_type: str, default: str) -> str:
    """The member a package relationship (_rels/.rels) points at, as python-docx finds it."""
    rels = _small_xml(zf, "_rels/.rels")
    for rel in rels if rels is not None else ():
        if (rel.get("Type") or "").endswith(rel_type) and rel.get("Target"):
            target: str = rel.get("Target", "")
            return target.lstrip("/")
    return default


def _dom_body(source: IO[bytes], lines: list[str], tables: list[Table]) -> None:
    """The body parsed whole (the part is under MAX_DOM_PART) and walked block by block."""
    root = etree.parse(source, _PARSER).getroot()
    body = root.find(f"{_W}body")
    if body is None:
        raise ValueError(f"no w:body in {root.tag}")
    for kind, el in _blocks(body):
        if kind == "p":
            lines.extend(_para_text(el).split("\n"))
        else:
            _add_table(_table_grid(el), lines, tables)


def read_docx(body: bytes) -> AttachmentText:
    """Paragraphs and tables of the package's main document part, found through its relationships
    as python-docx finds it. Only that part and the core properties are parsed: python-docx loads
    every part (styles, numbering, settings, theme) for the same tree, nearly twice the work
    (``make bench`` times both). The parser has python-docx's settings, and tests/attachments/
    test_docx.py holds both readings equal. A part over MAX_DOM_PART is streamed, not parsed whole."""
    reason = zip_guard(body)
    if reason:
        return failed("docx", reason if reason.startswith("zip bomb") else f"corrupt docx: {reason}")
    lines: list[str] = []
    tables: list[Table] = []
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            main = _package_part(zf, "/officeDocument", "word/document.xml")
            walk = _stream_body if zf.getinfo(main).file_size > MAX_DOM_PART else _dom_body
            try:
                with zf.open(main) as f:
                    walk(f, lines, tables)
            except _BlockTooLarge:
                return failed(
                    "docx",
                    f"{main}: one paragraph or table row holds over {MAX_BLOCK_ELEMENTS:,} "
                    "XML elements: too large to read",
                )
            core = _small_xml(zf, _package_part(zf, "/core-properties", "docProps/core.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError, EOFError) as exc:
        return failed("docx", f"corrupt docx: {type(exc).__name__}: {exc}")
    # a broken core.xml must not cost the body text: no title then
    meta = core.findtext("{http://purl.org/dc/elements/1.1/}title") if core is not None else ""
    return make_result("docx", lines, tables, meta or "", [])
