"""PDF text and ruled tables via pdfplumber, in reading order, tables inline as " | " rows."""

from __future__ import annotations

import bisect
import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import chars_to_textmap, extract_text, obj_to_bbox
from pdfplumber.utils.text import LIGATURES

from crawler.model import AttachmentText, Table

from . import pdfview
from .common import cell_text, failed, join_wrapped, log, make_result, rectangular, squeeze_cjk, table_lines

# pdfminer builds a DEBUG record per text operator (~400k per crawl) that no handler wants: with
# Scrapy's root logger at NOTSET that alone doubled PDF extraction time.
logging.getLogger("pdfminer").setLevel(logging.WARNING)

MAX_PAGES = 300
# Decoded content (the operators pdfminer interprets) of one page, the form XObjects it draws
# included. Real report pages carry 10–300 KB; a flate bomb page of 128 MiB of operators costs
# pdfminer minutes, so a page over this is skipped before it is interpreted.
MAX_PAGE_CONTENT = 4 * 1024 * 1024
# ... and of the whole document (pdfminer reads ~0.5 MiB of operators a second): a 300-page report
# at 100 KB a page is half of this; many pages just under the page limit stop here.
MAX_DOCUMENT_CONTENT = 64 * 1024 * 1024
_FORM_DEPTH = 16  # forms drawn inside forms: no real file nests this deep
_DO = re.compile(rb"/([^\s()<>\[\]{}/%]+)\s+Do\b")  # "/Name Do": draw an XObject
_OVER = f"content stream over {MAX_PAGE_CONTENT >> 20} MiB decoded (limit {MAX_PAGE_CONTENT >> 20} MiB)"
_NAME_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_SNAP = 1.5  # points: grid lines closer than this are the same line
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(第\s*)?\d{1,4}\s*(页)?(\s*/\s*\d+|\s*共\s*\d+\s*页)?[-—–－\s]*$")
_PARA_END = ("。", "：", ":", "；", ";", "！", "？", "”", "）", ")")
_HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、．])"
)


@dataclass
class _Item:
    kind: str  # "line" | "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    page: int = 0
    open_end: bool = False  # a line that runs to the right margin: the paragraph continues
    size: float = 0.0  # line height, a stand-in for font size: a title never continues into body text
    edge: bool = False  # in the top or bottom margin band, where running headers and footers live


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _span(edges: list[float], lo: float, hi: float) -> range:
    start = bisect.bisect_left(edges, lo - _SNAP)
    stop = bisect.bisect_right(edges, hi + _SNAP) - 1
    return range(start, max(start, stop))


def _cell_chars(cells: list[tuple[float, ...]], chars: list[dict[str, Any]]) -> dict[tuple[float, ...], list[Any]]:
    """The chars of each cell, by pdfplumber's rule (the char's midpoint in the half-open box) and in
    page order, as ``Table.extract`` finds them, but with one lookup per char instead of a scan of
    every char per cell: cells never overlap, so each square of the grid their sides draw belongs
    to at most one cell."""
    xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
    ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
    owner: dict[tuple[int, int], tuple[float, ...]] = {}
    for cell in cells:
        for i in range(bisect.bisect_left(ys, cell[1]), bisect.bisect_left(ys, cell[3])):
            for j in range(bisect.bisect_left(xs, cell[0]), bisect.bisect_left(xs, cell[2])):
                owner.setdefault((i, j), cell)
    found: dict[tuple[float, ...], list[Any]] = {cell: [] for cell in cells}
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    for char in chars:
        h = (char["x0"] + char["x1"]) / 2
        v = (char["top"] + char["bottom"]) / 2
        if not (left <= h < right and top <= v < bottom):
            continue
        owned = owner.get((bisect.bisect_right(ys, v) - 1, bisect.bisect_right(xs, h) - 1))
        if owned is not None and owned[0] <= h < owned[2] and owned[1] <= v < owned[3]:
            found[owned].append(char)
    return found


_JOINED = 1.0  # points: a char starting this close after the one before continues its word (pdfplumber: 3)


def chars_text(chars: list[dict[str, Any]]) -> str:
    """``pdfplumber.utils.extract_text(chars)``, without its word and line clustering when the chars
    are one run of text: upright, on one line, left to right, each starting within ``_JOINED`` of
    where the one before ends, no spaces, no ligatures. Four table cells in five are that ("0",
    "12", "其他"), so skipping the clustering for them saves most of its cost on a report's tables."""
    if not chars:
        return ""
    first = chars[0]
    top, bottom = first["top"], first["bottom"]
    prev = None
    for char in chars:
        text = char["text"]
        if (not char.get("upright", True) or char["top"] != top or char["bottom"] != bottom or not text
                or text.isspace() or text in LIGATURES
                or (prev is not None and not prev["x0"] <= char["x0"] <= prev["x1"] + _JOINED)):
            return extract_text(chars)
        prev = char
    return "".join(char["text"] for char in chars)


def _grid(table: Any, chars: list[dict[str, Any]]) -> list[list[str]]:
    """Rectangular grid of a pdfplumber table; a merged cell's text fills every position it covers."""
    order = [tuple(bbox) for row in table.rows for bbox in row.cells if bbox is not None]
    if not order:
        return []
    found = _cell_chars(order, chars)
    texts = {bbox: squeeze_cjk(cell_text(chars_text(found[bbox]))) for bbox in order}
    cells = list(texts)
    if not cells:
        return []
    xs = _snap([c[0] for c in cells] + [c[2] for c in cells])
    ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
    grid = [[""] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for bbox in cells:
        for i in _span(ys, bbox[1], bbox[3]):
            for j in _span(xs, bbox[0], bbox[2]):
                grid[i][j] = texts[bbox]
    return rectangular(grid)


def grid_cells(intersections: dict[tuple[float, float], dict[str, list[Any]]]) -> list[tuple[float, float, float, float]]:
    """The cells ``pdfplumber.table.intersections_to_cells`` finds, in its order, found faster.

    For each crossing (sorted by x, then y), its cell is the first one, trying the crossings below
    it and then those to its right nearest first, whose four corners the ruling lines join. The
    library rebuilds two sets of edges at every corner test and scans all later crossings for each
    one; here the sets are built once and the crossings below and to the right are read off per
    column and per row, which turns the library's scan over all later crossings into lookups."""
    vertical = {p: frozenset(map(obj_to_bbox, e["v"])) for p, e in intersections.items()}
    horizontal = {p: frozenset(map(obj_to_bbox, e["h"])) for p, e in intersections.items()}

    def joined(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return ((p[0] == q[0] and not vertical[p].isdisjoint(vertical[q]))
                or (p[1] == q[1] and not horizontal[p].isdisjoint(horizontal[q])))

    points = sorted(intersections)
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # each list in sorted order: a column down by y, a row across by x
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    place_in_column = {p: i for column in columns.values() for i, p in enumerate(column)}
    place_in_row = {p: i for row in rows.values() for i, p in enumerate(row)}
    cells = []
    for p in points:
        below = columns[p[0]][place_in_column[p] + 1:]
        right = rows[p[1]][place_in_row[p] + 1:]
        cell = next(((p[0], p[1], r[0], b[1]) for b in below if joined(p, b) for r in right
                     if joined(p, r) and (r[0], b[1]) in intersections
                     and joined((r[0], b[1]), r) and joined((r[0], b[1]), b)), None)
        if cell is not None:
            cells.append(cell)
    return cells


class _TableFinder(TableFinder):
    """pdfplumber's TableFinder (its edges, crossings and cell grouping) with ``grid_cells``."""

    def __init__(self, page: Any, settings: TableSettings) -> None:
        # TableFinder.__init__'s steps, the cell search swapped: calling it would run the slow search
        self.page, self.settings = page, settings
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
        self.cells = grid_cells(self.intersections)
        self.tables = [PlumberTable(page, group) for group in cells_to_tables(self.cells)]


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _read_page(page: pdfview.PageView, number: int) -> list[_Item]:
    tables = []
    for table in _TableFinder(page, TableSettings.resolve(None)).tables:
        grid = _grid(table, page.chars)
        # a 1x1 "table" is a framed text box or a page border, not data
        if len(grid) >= 2 or (grid and len(grid[0]) >= 2):
            tables.append((table.bbox, grid))
    boxes = [t[0] for t in tables]
    chars = [c for c in page.chars if not _inside(c, boxes)] if boxes else page.chars
    textmap = chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height)
    lines = textmap.extract_text_lines(strip=True, return_chars=False)
    # the text's right edge; a page of short lines only (a cover, a list) has no wrapped paragraphs
    right = max(max((ln["x1"] for ln in lines), default=0.0), page.width * 0.75)
    items: list[tuple[float, _Item]] = []
    for k, ln in enumerate(lines):
        text = squeeze_cjk(ln["text"].strip())
        if not text:
            continue
        last = k == len(lines) - 1
        if _PAGE_NUMBER.match(text) and (
            last or ln["top"] > page.height * 0.85 or ln["bottom"] < page.height * 0.08
        ):
            continue  # page number chrome
        size = max(ln["bottom"] - ln["top"], 6.0)
        open_end = ln["x1"] >= right - 1.5 * size and not text.endswith(_PARA_END)
        edge = ln["bottom"] < page.height * 0.1 or ln["top"] > page.height * 0.9
        items.append(
            (ln["top"], _Item("line", text=text, page=number, open_end=open_end, size=size, edge=edge))
        )
    for bbox, grid in tables:
        items.append((bbox[1], _Item("table", rows=grid, page=number)))
    items.sort(key=lambda t: t[0])
    return [item for _, item in items]


def _drop_running_lines(items: list[_Item]) -> list[_Item]:
    """Remove running headers/footers: the same margin-band line on at least half of 3+ pages."""
    pages = {i.page for i in items}
    if len(pages) < 3:
        return items
    seen: dict[str, set[int]] = {}
    for item in items:
        if item.kind == "line" and item.edge:
            seen.setdefault(re.sub(r"\d+", "#", item.text), set()).add(item.page)
    running = {k for k, on in seen.items() if len(on) >= max(3, len(pages) // 2)}
    if not running:
        return items
    return [i for i in items if not (i.kind == "line" and i.edge and re.sub(r"\d+", "#", i.text) in running)]


def _assemble(items: list[_Item]) -> tuple[list[str], list[Table]]:
    """Rejoin wrapped paragraph lines and tables split by a page break."""
    merged: list[_Item] = []
    for item in _drop_running_lines(items):
        prev = merged[-1] if merged else None
        if (
            item.kind == "line"
            and prev is not None
            and prev.kind == "line"
            and prev.open_end
            and abs(prev.size - item.size) <= 1.0
            and not _HEADING.match(item.text)
        ):
            prev.text = join_wrapped([prev.text, item.text])
            prev.open_end = item.open_end
            continue
        if (
            item.kind == "table"
            and prev is not None
            and prev.kind == "table"
            and item.page == prev.page + 1
            and item.rows
            and prev.rows
            and len(item.rows[0]) == len(prev.rows[0])
        ):
            rows = item.rows[1:] if item.rows[0] == prev.rows[0] else item.rows  # repeated header
            prev.rows.extend(rows)
            prev.page = item.page
            continue
        merged.append(item)
    lines: list[str] = []
    tables: list[Table] = []
    for item in merged:
        if item.kind == "line":
            lines.append(item.text)
        else:
            tables.append(Table(rows=item.rows))
            lines.extend(table_lines(item.rows))
    return lines, tables


def _is_encrypted_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: list[BaseException] = [exc]
    while seen:
        e = seen.pop()
        if isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        seen.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        seen.extend(x for x in (e.__cause__, e.__context__) if x is not None)
    return False


def _meta_title(pdf: Any) -> str:
    title = (pdf.metadata or {}).get("Title", "")
    if isinstance(title, bytes):
        for enc in ("utf-16", "utf-8", "gb18030"):
            try:
                return title.decode(enc).strip("\x00 ")
            except UnicodeDecodeError:
                continue
        return ""
    return str(title or "").strip()


class _OverLimit(Exception):
    """A page's decoded content passed MAX_PAGE_CONTENT: stop counting."""


def _inflate(raw: bytes, cap: int) -> bytes:
    """zlib-inflate ``raw`` to at most ``cap`` bytes, so the check can never be the bomb."""
    try:
        return zlib.decompressobj().decompress(raw, cap)
    except zlib.error:
        pass
    # damaged (often only its checksum): what inflates before the error, as pdfminer's
    # decompress_corrupted reads it byte by byte; here 64 KiB at a time, bytewise only where it broke
    d, out, pos = zlib.decompressobj(), bytearray(), 0
    while pos < len(raw) and len(out) < cap:
        chunk, before = raw[pos : pos + 65536], d.copy()
        try:
            out += d.decompress(chunk, cap - len(out))
            pos += len(chunk)
            continue
        except zlib.error:
            d = before
        for i in range(len(chunk)):
            try:
                out += d.decompress(chunk[i : i + 1], cap - len(out))
            except zlib.error:
                break
            if len(out) >= cap:
                break
        break
    return bytes(out)


def _decoded(stream: Any, cap: int) -> bytes:
    """A stream's decoded bytes, at most ``cap`` of them when it is FlateDecode only (content
    streams nearly always are); other filters go through pdfminer's own (unbounded) decoder."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.data is None and stream.rawdata is not None:
        filters = stream.get_filters()
        if len(filters) == 1 and filters[0][0] in LITERALS_FLATE_DECODE:
            raw = stream.rawdata
            if stream.decipher:
                raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
            return _inflate(raw, cap)
    data: bytes = stream.get_data()  # pdfminer's PDFStream.get_data is untyped; it returns the decoded bytes
    return data[:cap]


def _name(raw: bytes) -> str | bytes:
    """A content-stream name as pdfminer keys it: #xx escapes decoded, str when it is UTF-8."""
    raw = _NAME_HEX.sub(lambda m: bytes.fromhex(m.group(1).decode()), raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _page_content_size(page_obj: Any, limit: int) -> int:
    """Decoded bytes pdfminer would interpret for a page: its content streams plus every form
    XObject it draws (nested forms too), once per draw; ``limit + 1`` as soon as it passes ``limit``.

    Each stream is inflated at most once, and never past what is left of the limit.
    """
    from pdfminer.pdftypes import PDFStream, resolve1

    sizes: dict[tuple[int, int], int] = {}  # (objid, id(resources)) -> exact size of that form

    def cost(stream: Any, resources: Any, chain: frozenset[int], left: int) -> int:
        key = (stream.objid, id(resources))
        if stream.objid is not None and key in sizes:
            if sizes[key] > left:
                raise _OverLimit
            return sizes[key]
        data = _decoded(stream, left + 1)
        total = len(data)
        if total > left:
            raise _OverLimit
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if isinstance(xobjects, dict) and len(chain) < _FORM_DEPTH and b"Do" in data:
            for ref, (form, times) in _drawn_forms(data, xobjects, chain).items():
                own = resolve1(form.get("Resources"))
                total += times * cost(form, own if own else resources, chain | {ref}, (left - total) // times)
        if stream.objid is not None:
            sizes[key] = total
        return total

    total = 0
    try:
        for obj in page_obj.contents:
            stream = resolve1(obj)
            if isinstance(stream, PDFStream):
                total += cost(stream, resolve1(page_obj.resources), frozenset(), limit - total)
    except _OverLimit:
        return limit + 1
    return total


def _plain(page_obj: Any) -> bool:
    """A page whose resources hold no content streams of their own (forms, tiling patterns, Type3
    glyph procedures): PDFium follows those without pdfminer's bounds (a form that draws itself
    twice grows without end there) and in coordinate spaces of their own, so pdfplumber reads them."""
    from pdfminer.pdftypes import resolve1

    resources = resolve1(page_obj.resources)
    if not isinstance(resources, dict):
        return True
    if resolve1(resources.get("Pattern")):
        return False
    xobjects = resolve1(resources.get("XObject"))
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            xobject = resolve1(ref)
            if not isinstance(getattr(xobject, "attrs", None), dict) or _name_of(xobject.attrs.get("Subtype")) != "Image":
                return False
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        for ref in fonts.values():
            font = resolve1(ref)
            if not isinstance(font, dict) or _name_of(font.get("Subtype")) == "Type3":
                return False
    return True


def _name_of(value: Any) -> str:
    from pdfminer.pdftypes import resolve1

    return str(getattr(resolve1(value), "name", ""))


def _view(doc: Any, page: Any, index: int) -> pdfview.PageView | None:
    if doc is None or not _plain(page.page_obj):
        return None
    width, height = float(page.width), float(page.height)
    # pdfminer's page box (inherited from the page tree if need be), unturned and unshifted, or
    # pdfplumber's coordinates would not be PDFium's
    if page.rotation % 360 or tuple(page.bbox) != (0, 0, width, height) or tuple(page.mediabox) != tuple(page.bbox):
        return None
    try:
        return pdfview.page_view(doc, index, width, height)
    except Exception:  # PDFium choked on this page: pdfplumber reads it, and says why if it cannot
        return None


def _read_pages(pages: list[Any], fast: Any, items: list[_Item], warnings: list[str]) -> tuple[int, int]:
    """Read up to MAX_PAGES pages into ``items`` within the content limits; (unreadable, skipped) pages."""
    bad_pages = skipped = spent = 0
    for number, page in enumerate(pages[:MAX_PAGES], start=1):
        try:
            size = _page_content_size(page.page_obj, MAX_PAGE_CONTENT)
            if size > MAX_PAGE_CONTENT:
                skipped += 1
                warnings.append(f"page {number} skipped: {_OVER}")
                continue
            if spent + size > MAX_DOCUMENT_CONTENT:
                warnings.append(f"pages {number}-{min(len(pages), MAX_PAGES)} not read: the document's decoded "
                                f"content passed {MAX_DOCUMENT_CONTENT >> 20} MiB")
                break
            spent += size
            items.extend(_read_page(_view(fast, page, number - 1) or pdfview.plumber_view(page), number))
        except Exception as exc:
            bad_pages += 1
            warnings.append(f"page {number} unreadable: {type(exc).__name__}: {exc}")
        finally:
            page.close()
    return bad_pages, skipped


def _no_text(read: int, skipped: int, bad_pages: int, warnings: list[str]) -> AttachmentText:
    """Why a PDF gave no text: pages over the limit, unreadable pages, or no text layer at all."""
    if skipped:
        which = "its only page" if read == 1 else "every page" if skipped == read else f"{skipped} of {read} pages"
        return failed("pdf", f"no text read: {which} skipped, {_OVER}", warnings)
    if bad_pages:
        return failed("pdf", f"corrupt pdf: {bad_pages} unreadable page(s)", warnings)
    return failed("pdf", "no text layer in pdf (scanned images?)", warnings)


def _drawn_forms(data: bytes, xobjects: dict[Any, Any], chain: frozenset[int]) -> dict[int, tuple[Any, int]]:
    """The form XObjects a content stream draws (``/Name Do``), by id, with how often it draws each."""
    from pdfminer.pdfinterp import LITERAL_FORM
    from pdfminer.pdftypes import PDFStream, resolve1

    forms: Counter[int] = Counter()
    found: dict[int, Any] = {}
    for raw in _DO.findall(data):
        form = resolve1(xobjects.get(_name(raw)))
        # what pdfminer renders: a /Form with a /BBox, not already on the drawing chain
        if (
            isinstance(form, PDFStream)
            and form.get("Subtype") is LITERAL_FORM
            and "BBox" in form
            and id(form) not in chain
        ):
            forms[id(form)] += 1
            found[id(form)] = form
    return {ref: (found[ref], times) for ref, times in forms.items()}


def read_pdf(body: bytes, use_pdfium: bool = True) -> AttachmentText:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(body))
    except Exception as exc:  # pdfminer raises many types for damaged or protected files
        if _is_encrypted_error(exc):
            return failed("pdf", "encrypted pdf")
        return failed("pdf", f"corrupt pdf: {type(exc).__name__}: {exc}".rstrip(": "))
    warnings: list[str] = []
    items: list[_Item] = []
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            return failed("pdf", f"corrupt pdf: {type(exc).__name__}: {exc}".rstrip(": "))
        # pdfminer opened it (errors, limits, metadata); PDFium reads the pages it agrees on
        fast = pdfview.open_document(body) if use_pdfium else None
        if fast is not None and len(fast) != len(pages):
            fast.close()
            fast = None
        if len(pages) > MAX_PAGES:
            warnings.append(f"pdf has {len(pages)} pages; read the first {MAX_PAGES}")
        bad_pages, skipped = _read_pages(pages, fast, items, warnings)
        meta = _meta_title(pdf)
        if fast is not None:
            fast.close()
    if not items:
        return _no_text(min(len(pages), MAX_PAGES), skipped, bad_pages, warnings)
    lines, tables = _assemble(items)
    for w in warnings:
        log.warning("pdf: %s", w)
    return make_result("pdf", lines, tables, meta, warnings)
