"""Soft text-vs-table checks (report-format.md §5.5 TX-1) and format continuity (§5.4 X-3).

TX-1 compares the counts a report states in prose with its tables: requests received ("共收到政府信息
公开申请12件", "未收到…申请") against 一[总计] (or 一+二, since prose often includes the carry-over),
and 行政复议 / 行政诉讼 counts against 表四's totals. Only sentences outside the tables are read.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.model import Check, Section
from crawler.parse.cells import normalize

_RECEIVED = [
    re.compile(r"(?:共|全年|累计)?(?:收到|新收|受理|接到|接收)[^，。；;\d|]{0,24}?申请[^，。；;\d|]{0,4}?(\d+)\s*[件条个]"),
    re.compile(r"(?:共|全年)?(?:收到|新收|受理|接到|接收)(\d+)\s*[件条个][^，。；;|]{0,24}?申请"),
]
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|接到|受理)[^，。；;|]{0,20}?申请")
_REVIEW = re.compile(r"行政复议(?:案件)?\s*(\d+)\s*[件起宗]")
_LITIGATION = re.compile(r"行政诉讼(?:案件)?\s*(\d+)\s*[件起宗]")
_MAX_TEXT = 100_000


def _prose(sections: list[Section]) -> str:
    text = "\n".join(s.text for s in sections)[:_MAX_TEXT]
    return normalize("\n".join(line for line in text.splitlines() if "|" not in line))


def text_checks(sections: list[Section], requests: dict[str, Any], review: dict[str, Any]) -> list[Check]:
    prose = _prose(sections)
    out: list[Check] = []
    rows = requests.get("rows") or {}
    new = (rows.get("new_received") or [None] * 7)[6]
    carried = (rows.get("carried_over") or [None] * 7)[6]
    stated: tuple[int, str] | None = None
    for rx in _RECEIVED:
        m = rx.search(prose)
        if m:
            stated = (int(m.group(1)), m.group(0))
            break
    if stated is None:
        m = _NONE_RECEIVED.search(prose)
        if m:
            stated = (0, m.group(0))
    findings: list[tuple[bool, str]] = []
    if stated is not None and new is not None:
        allowed = {new} | ({new + carried} if carried is not None else set())
        findings.append((stated[0] in allowed, f"text {stated[1]!r} = {stated[0]}; 表三 一[总计] = {new}"
                         + (f", 一+二 = {new + carried}" if carried is not None else "")))
    groups = review or {}
    for rx, what, total in (
        (_REVIEW, "行政复议", (groups.get("review") or {}).get("total")),
        (_LITIGATION, "行政诉讼", _sum((groups.get("litigation_direct") or {}).get("total"),
                                   (groups.get("litigation_after_review") or {}).get("total"))),
    ):
        m = rx.search(prose)
        if m and total is not None:
            findings.append((int(m.group(1)) == total, f"text {m.group(0)!r}; 表四 {what} 总计 = {total}"))
    if findings:
        bad = [d for ok, d in findings if not ok]
        out.append(Check("TX-1", not bad, "; ".join(bad or [d for _, d in findings]), "soft"))
    return out


def _sum(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def format_check(warning: str | None) -> list[Check]:
    """X-3: a report on the wrong template year (from meta.era_warning)."""
    if warning and "table format" in warning:
        return [Check("X-3", False, warning, "soft")]
    return []
