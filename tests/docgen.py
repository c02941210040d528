"""Test-side document generator: PDF / DOCX / XLSX from a title and a list of blocks.

A block is a paragraph (``str``) or a table (``list[list[str]]``, rows of cell strings, first row
the header). Output is deterministic (fixed dates, fixed zip timestamps) so generated fixtures can
be committed and compared byte for byte.

PDFs embed a CJK font (subset by fpdf2) and draw tables as ruled grids so pdfplumber's
``extract_tables`` finds them. The font comes from ``NIANBAO_CJK_FONT`` or the first CJK font found
(Noto Sans CJK from Debian's ``fonts-noto-cjk`` first, then whatever ``fc-list :lang=zh`` reports).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

Block = str | list[list[str]]

# Fixed timestamp for every generated file: same input -> same bytes.
FIXED_DATE = dt.datetime(2024, 1, 15, 9, 0, 0, tzinfo=dt.UTC)
_ZIP_DATE = (2024, 1, 15, 9, 0, 0)

_KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
)


class NoCJKFontError(RuntimeError):
    """No font able to draw Chinese text is installed."""


def _fc_list_fonts() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = sorted({line.split(":", 1)[0].strip() for line in out.splitlines() if line.strip()})
    # fpdf2 reads TrueType/OpenType (incl. collections); skip bitmap and Type1 fonts.
    return [p for p in paths if p.lower().endswith((".ttf", ".otf", ".ttc"))]


def _collection_index(path: str) -> int:
    """Pick the Simplified-Chinese face of a .ttc collection (Noto CJK: index 2 is SC)."""
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    try:
        coll = TTCollection(path, lazy=True)
        names = [str(f["name"].getDebugName(4) or "") for f in coll.fonts]
    except Exception:  # unreadable collection: fall back to its first face
        return 0
    for i, name in enumerate(names):
        if name.endswith(" SC") and "Mono" not in name:
            return i
    return 0


@lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, int]:
    """(path, collection index) of an installed CJK font; raises NoCJKFontError when none."""
    env = os.environ.get("NIANBAO_CJK_FONT")
    candidates = ([env] if env else []) + list(_KNOWN_FONTS) + _fc_list_fonts()
    for path in candidates:
        if path and Path(path).is_file():
            return path, _collection_index(path)
    raise NoCJKFontError(
        "no CJK font found for PDF generation: install Debian package fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk) or set NIANBAO_CJK_FONT=/path/to/font.ttf|.otf|.ttc"
    )


def _is_table(block: Block) -> bool:
    return isinstance(block, list)


def _rect(rows: list[list[str]]) -> list[list[str]]:
    """Pad ragged rows so every generator sees the same rectangular grid."""
    width = max((len(r) for r in rows), default=0)
    return [[str(c) for c in r] + [""] * (width - len(r)) for r in rows]


# --------------------------------------------------------------------------------------------- PDF


def _otf_to_ttf(font: object) -> None:
    """Redraw CFF outlines as TrueType quadratics in place (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()  # type: ignore[attr-defined]
    glyph_set = font.getGlyphSet()  # type: ignore[attr-defined]
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")  # type: ignore[index]
    glyf = font["glyf"] = newTable("glyf")  # type: ignore[index]
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:  # type: ignore[operator]
            del font[tag]  # type: ignore[attr-defined]
    maxp = font["maxp"] = newTable("maxp")  # type: ignore[index]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]  # type: ignore[index]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"  # type: ignore[attr-defined]


def _font_for(text: str) -> bytes:
    return _font_for_chars("".join(sorted(set(text))))


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """GB 2312 (6,763 hanzi, CJK punctuation, full-width forms) and printable ASCII: what the
    generated reports are written in."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def cache_dir() -> Path:
    """Where rendered files are kept between runs (``NIANBAO_PORTAL_CACHE``, default
    ``~/.cache/nianbao/portal``): rendering is deterministic, so a kept file is what a render gives."""
    env = os.environ.get("NIANBAO_PORTAL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "nianbao" / "portal"


def cache_put(path: Path, data: bytes) -> OSError | None:
    """Write ``data`` to ``path`` whole or not at all (a concurrent reader never sees half a file).
    Returns why it could not: a read-only home only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        return exc
    return None


@lru_cache(maxsize=2)
def _common_font(path: str, index: int) -> bytes:
    """The CJK font cut to ``_common_chars`` as TrueType, made once per font and kept on disk.

    Cutting a document's glyphs from this 2 MB font took 0.14–0.20 s against 0.55 s from the 19 MB
    OpenType collection, whose outlines are converted each time (by hand); the glyphs are the same."""
    stat = Path(path).stat()
    key = hashlib.sha256(repr((path, index, stat.st_size, sorted(_common_chars()))).encode()
                         + Path(__file__).read_bytes()).hexdigest()[:24]
    cached = cache_dir() / f"cjk-common-{key}.ttf"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = _subset(_open_cjk_font(path, index), "".join(sorted(_common_chars())))
    cache_put(cached, data)
    return data


def prepare_font() -> None:
    """Make (or read from disk) the common font now: workers forked after this share it."""
    _common_font(*find_cjk_font())


def _open_cjk_font(path: str, index: int) -> object:
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False keeps head.modified as shipped: same input -> same bytes.
    kwargs = {"fontNumber": index} if path.lower().endswith(".ttc") else {}
    font = TTFont(path, recalcTimestamp=False, **kwargs)
    # layout tables are the slow part of subsetting a CJK font, and fpdf2 shapes no text without them
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG"):
        if tag in font:
            del font[tag]
    return font


def _subset(font: object, text: str) -> bytes:
    from fontTools import subset

    opts = subset.Options()
    opts.desubroutinize = "CFF " in font  # type: ignore[operator]  # CFF outlines only; TrueType has none
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.layout_features = []
    opts.layout_closure = False
    subsetter = subset.Subsetter(opts)
    subsetter.populate(text=text + " 0123456789")
    subsetter.subset(font)
    if "CFF " in font:  # type: ignore[operator]
        _otf_to_ttf(font)
    buf = io.BytesIO()
    font.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


@lru_cache(maxsize=32)
def _font_for_chars(text: str) -> bytes:
    """A small TrueType font holding just the glyphs of ``text``.

    fpdf2 embeds CFF (OpenType/.otf/.ttc Noto) fonts with a custom code->CID CMap that pdfminer
    (so pdfplumber) cannot decode: the text would come back empty. A glyf-outline subset is
    embedded as Identity-H, like the Word/WPS PDFs found on gov.cn portals. Text within
    ``_common_chars`` is cut from ``_common_font``; anything else from the installed font itself.
    """
    from fontTools.ttLib import TTFont

    path, index = find_cjk_font()
    if set(text) <= _common_chars():
        return _subset(TTFont(io.BytesIO(_common_font(path, index)), recalcTimestamp=False), text)
    return _subset(_open_cjk_font(path, index), text)


def _col_widths(rows: list[list[str]], total: float) -> tuple[float, ...]:
    """Label-heavy columns get more room; numeric columns share the rest."""
    ncol = len(rows[0])
    weights = []
    for c in range(ncol):
        longest = max(len(r[c]) for r in rows)
        weights.append(min(max(longest, 3), 18))
    scale = total / sum(weights)
    return tuple(w * scale for w in weights)


def render_pdf(title: str, blocks: list[Block], *, encrypt_password: str | None = None) -> bytes:
    """A4 PDF with an embedded (subset) CJK font; tables ruled on every cell edge.

    With ``encrypt_password`` the PDF needs that password to open (RC4, so still deterministic).
    """
    from fpdf import FPDF
    from fpdf.enums import TableBordersLayout, TableHeadingsDisplay

    used = title + "".join(
        "".join("".join(r) for r in b) if _is_table(b) else str(b)
        for b in blocks  # type: ignore[union-attr]
    )
    font_data = _font_for(used)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_creator("nianbao tests/docgen.py")
    pdf.set_producer("nianbao tests/docgen.py")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 18, 18)
    with tempfile.TemporaryDirectory(prefix="nianbao-docgen-") as tmp:
        font_file = Path(tmp) / "cjk-subset.ttf"
        font_file.write_bytes(font_data)
        pdf.add_font("cjk", "", str(font_file))
    if encrypt_password is not None:
        pdf.set_encryption(owner_password=encrypt_password + "-owner", user_password=encrypt_password)
    pdf.add_page()

    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=10.5)
    for block in blocks:
        if _is_table(block):
            rows = _rect(block)  # type: ignore[arg-type]
            if not rows or not rows[0]:
                continue
            pdf.set_font("cjk", size=8)
            with pdf.table(
                col_widths=_col_widths(rows, pdf.epw),
                width=pdf.epw,
                borders_layout=TableBordersLayout.ALL,
                first_row_as_headings=False,
                repeat_headings=TableHeadingsDisplay.NONE,
                line_height=4.5,
                text_align="CENTER",
            ) as table:
                for row in rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
            pdf.set_font("cjk", size=10.5)
            pdf.ln(3)
        else:
            text = str(block)
            pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
    return bytes(pdf.output())


# ------------------------------------------------------------------------------------ DOCX / XLSX


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed member timestamps (python-docx/openpyxl stamp 'now')."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(title: str, blocks: list[Block]) -> bytes:
    """DOCX: title as a Title-style paragraph and core-property title, paragraphs, ruled tables."""
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.title = title
    props.author = "nianbao"
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_modified_by = "nianbao"
    props.revision = 1
    doc.add_heading(title, level=0)
    for block in blocks:
        if _is_table(block):
            rows = _rect(block)  # type: ignore[arg-type]
            if not rows or not rows[0]:
                continue
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            # row by row: table.cell(r, c) lays out the whole grid on every call (quadratic)
            for row_cells, row in zip(table.rows, rows, strict=True):
                for cell, value in zip(row_cells.cells, row, strict=True):
                    cell.text = value
        else:
            doc.add_paragraph(str(block))
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _sheet_title(text: str, used: set[str]) -> str:
    bad = set("[]:*?/\\")
    base = "".join("_" if ch in bad else ch for ch in text).strip()[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def render_xlsx(title: str, blocks: list[Block]) -> bytes:
    """XLSX: one sheet per table (first row = header). Paragraphs go to a leading 说明 sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.title = title
    wb.properties.creator = "nianbao"
    wb.properties.created = FIXED_DATE.replace(tzinfo=None)
    wb.properties.modified = FIXED_DATE.replace(tzinfo=None)
    used: set[str] = set()
    first = wb.active
    paragraphs = [str(b) for b in blocks if not _is_table(b)]
    tables = [_rect(b) for b in blocks if _is_table(b)]  # type: ignore[arg-type]
    if paragraphs or not tables:
        first.title = _sheet_title("说明", used)
        first.append([title])
        for p in paragraphs:
            first.append([p])
        sheets = [wb.create_sheet(_sheet_title(f"表{i + 1}", used)) for i in range(len(tables))]
    else:
        first.title = _sheet_title("表1", used)
        sheets = [first] + [wb.create_sheet(_sheet_title(f"表{i + 1}", used)) for i in range(1, len(tables))]
    for ws, rows in zip(sheets, tables, strict=True):
        for row in rows:
            ws.append(row)
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    # Workbook.save() stamps docProps' modified time with "now"; its writer alone keeps ours, so two
    # renders a second apart are the same bytes.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _normalise_zip(buf.getvalue())
