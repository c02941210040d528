"""One table cell → a number, a blank, or text.

Decisions (docs/report-format.md §6):
- An empty cell and the explicit "nothing" markers ("—", "/", "无", "-", …) are stored as ``None``:
  a marker says "nothing to report" but not reliably "0" (some sites use it for "not collected").
  The marker is counted per table (``blanks``) and the table-level ``blank_means_zero`` inference
  (crawler.parse.checks) decides whether the 勾稽 checks may read them as 0.
- Signs: "+6980", "-2", "减4", "减少2", "增加3"; full-width digits; thousands separators.
- Money keeps its unit: ``{"value": 68.64, "unit": "万元", "raw": "68.64万元"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# (full-width or no-break character, its ASCII form); no ASCII form is itself replaced, so the order is free
_FULLWIDTH = list(zip("０１２３４５６７８９．，－＋％／（）：　\xa0", "0123456789.,-+%/():" + "  ", strict=True))

BLANK_MARKERS = frozenset(
    {"", "—", "——", "–", "-", "--", "－", "/", "／", "\\", "无", "空", "…", "……", "×", "x", "X", "*"}
)

_NUM = re.compile(
    r"^(?P<sign>[+\-−]|增加|减少|新增|净增|净减|增|减)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>万元|元|件次|件|条|个|项|次|人次|宗|份)?$"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# "1." "2、" "(一)" are row numbering, not values.
_NUMBERING = re.compile(r"^(?:\d{1,2}[.、．)）]|[（(][一二三四五六七八九十\d]{1,2}[)）])$")

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def normalize(text: str) -> str:
    """Full-width → half-width digits and punctuation, NBSP → space."""
    # one str.replace per character present: str.translate raises and catches a LookupError for each
    # character it does not map, which makes it several times slower on Chinese text
    for wide, narrow in _FULLWIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Label form used for matching: normalised, every whitespace removed, quotes unified."""
    text = normalize(text)
    text = re.sub(r"\s+", "", text)
    return text.replace("“", '"').replace("”", '"').replace("，", ",")


@dataclass(frozen=True)
class Cell:
    kind: str  # "num" | "blank" | "text" | "garbage"
    raw: str
    value: int | float | None = None
    unit: str | None = None


@lru_cache(maxsize=8192)  # tables repeat their tokens ("0", "1", "—") thousands of times; Cell is frozen
def classify(raw: str) -> Cell:
    """Classify one cell or whitespace-separated token."""
    text = normalize(raw).strip()
    if text in BLANK_MARKERS:
        return Cell("blank", text)
    match = _NUM.match(text)
    if match:
        num = match["num"].replace(",", "")
        value: int | float = float(num) if "." in num else int(num)
        sign = match["sign"] or ""
        if sign in ("-", "−", "减", "减少", "净减"):
            value = -value
        return Cell("num", text, value, match["unit"])
    if _NUMBERING.match(text) or _CJK.search(text):
        return Cell("text", text)
    return Cell("garbage", text)


def cn_int(text: str) -> int | None:
    """Chinese numeral ("十二", "两", "一百零五", "二〇一四") or digits → int; None if not a number."""
    text = normalize(text).replace(",", "").strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:  # digit-by-digit: 二〇一四
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            unit = CN_UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
    return total + section + digit


def money(cell: Cell, default_unit: str | None = None) -> dict[str, Any] | None:
    """A money cell as ``{"value", "unit", "raw"}``; None for a blank."""
    if cell.kind != "num":
        return None
    unit = cell.unit if cell.unit in ("元", "万元") else default_unit
    return {"value": cell.value, "unit": unit, "raw": cell.raw}


def count(cell: Cell) -> int | float | None:
    """A count cell's number (sign kept, so T3-4/T4-4 can flag negatives); None otherwise."""
    return cell.value if cell.kind == "num" else None
