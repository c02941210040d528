"""勾稽 checks of docs/report-format.md §5 on a parsed Report.

One ``Check`` per rule and table; ``detail`` names the cells of every failing equation (up to a few)
and how many equations were checked or skipped. An equation with an unknown (None) cell is skipped,
unless the table's ``blank_means_zero`` inference says its blanks are zeros.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from crawler.model import Check, Report
from crawler.parse.labels import CATEGORY_ROWS, REQUEST_COLUMNS, REVIEW_GROUPS

log = logging.getLogger(__name__)
Num = int | float | None
_SHOW = 5
_SUMMED_OUTCOMES = ["granted", "partially_granted"]


def _fmt(value: Num) -> str:
    return "?" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


class _Rule:
    """Collects the equations of one rule."""

    def __init__(self, rule: str, severity: str = "hard") -> None:
        self.rule, self.severity = rule, severity
        self.ok = self.skipped = 0
        self.failures: list[str] = []

    def equal(self, where: str, left: Sequence[tuple[str, Num]], right: Sequence[tuple[str, Num]],
              relation: Callable[[float, float], bool] = lambda a, b: abs(a - b) < 1e-6,
              sign: str = "≠") -> None:
        values = [v for _, v in (*left, *right)]
        if any(v is None for v in values):
            self.skipped += 1
            return
        lsum = sum(v for _, v in left)  # type: ignore[misc]
        rsum = sum(v for _, v in right)  # type: ignore[misc]
        if relation(lsum, rsum):
            self.ok += 1
            return
        show = " + ".join(f"{n} {_fmt(v)}" for n, v in left) + f" = {_fmt(lsum)} {sign} "
        show += " + ".join(f"{n} {_fmt(v)}" for n, v in right) + (f" = {_fmt(rsum)}" if len(right) > 1 else "")
        self.failures.append(f"{where}: {show}")

    def flag(self, where: str, bad: bool) -> None:
        if bad:
            self.failures.append(where)
        else:
            self.ok += 1

    def result(self) -> Check | None:
        if not self.ok and not self.failures:
            return None
        checked = self.ok + len(self.failures)
        if self.failures:
            more = f"; +{len(self.failures) - _SHOW} more" if len(self.failures) > _SHOW else ""
            detail = "; ".join(self.failures[:_SHOW]) + more
        else:
            detail = f"{checked} checked"
        if self.skipped:
            detail += f" ({self.skipped} skipped: blank cells)"
        return Check(self.rule, not self.failures, detail, self.severity)


def _cell(rows: dict[str, list[Num]], row: str, col: int, zero: bool) -> Num:
    values = rows.get(row)
    value = values[col] if values and col < len(values) else None
    return 0 if value is None and zero else value


def _outcome_rows(rows: dict[str, list[Num]]) -> list[str]:
    other = [k for k in ("other", "other_no_correction", "other_no_fee", "other_misc") if k in rows]
    return (_SUMMED_OUTCOMES + CATEGORY_ROWS["denied"] + CATEGORY_ROWS["unavailable"]
            + CATEGORY_ROWS["rejected"] + other)


def _t3(requests: dict[str, Any], zero: bool) -> list[_Rule]:
    rows: dict[str, list[Num]] = requests.get("rows") or {}
    cols = REQUEST_COLUMNS
    t1, t2, t3, t4 = _Rule("T3-1"), _Rule("T3-2"), _Rule("T3-3"), _Rule("T3-4")
    for i, col in enumerate(cols):
        t1.equal(col, [("一", _cell(rows, "new_received", i, zero)), ("二", _cell(rows, "carried_over", i, zero))],
                 [("（七）", _cell(rows, "results_total", i, zero)), ("四", _cell(rows, "carried_forward", i, zero))])
        parts = [(k, _cell(rows, k, i, zero)) for k in _outcome_rows(rows)]
        t2.equal(col, [("（七）", _cell(rows, "results_total", i, zero))], parts)
        base = [("一", _cell(rows, "new_received", i, zero)), ("二", _cell(rows, "carried_over", i, zero))]
        for row in ("carried_forward", "results_total"):
            t4.equal(f"{row}.{col}", [(row, _cell(rows, row, i, zero))], base,
                     relation=lambda a, b: a <= b + 1e-6, sign=">")
    for row in rows:
        t3.equal(row, [("total", _cell(rows, row, 6, zero))],
                 [(c, _cell(rows, row, j, zero)) for j, c in enumerate(cols[:6])])
        for i, value in enumerate(rows[row]):
            if value is not None:
                t4.flag(f"{row}.{cols[i]} = {_fmt(value)}", value < 0 or not float(value).is_integer())
    return [t1, t2, t3, t4]


def _t3_local(requests: dict[str, Any], zero: bool) -> list[_Rule]:
    rows: dict[str, list[Num]] = requests.get("rows") or {}
    t5, t6 = _Rule("T3-5"), _Rule("T3-6")
    for cat, subtotal in (requests.get("subtotal_rows") or {}).items():
        members = [k for k in CATEGORY_ROWS.get(cat, []) if k in rows]
        for i, col in enumerate(REQUEST_COLUMNS):
            value = subtotal[i] if subtotal[i] is not None or not zero else 0
            t5.equal(f"{cat}.{col}", [("小计", value)], [(k, _cell(rows, k, i, zero)) for k in members])
    for row, value in (requests.get("subtotal_column") or {}).items():
        if value is None and zero:
            value = 0
        t6.equal(row, [("小计", value)], [(c, _cell(rows, row, j, zero)) for j, c in enumerate(REQUEST_COLUMNS[1:6], 1)])
    return [t5, t6]


def blank_means_zero(requests: dict[str, Any], blanks: int) -> bool | None:
    """Table-level inference: True when the table has blanks and balances only if they are zeros."""
    if not blanks or not requests.get("rows"):
        return None
    return all(not r.failures for r in _t3(requests, zero=True)[:3])


def request_checks(requests: dict[str, Any]) -> list[Check]:
    if not requests.get("rows"):
        return []
    zero = bool(requests.get("blank_means_zero"))
    rules = _t3(requests, zero) + _t3_local(requests, zero)
    return [c for c in (r.result() for r in rules) if c is not None]


def review_checks(review: dict[str, Any]) -> list[Check]:
    rules = {g: _Rule(f"T4-{i}") for i, g in enumerate(REVIEW_GROUPS, 1)}
    t44 = _Rule("T4-4")
    for group, rule in rules.items():
        cells = review.get(group) or {}
        parts = [(k, cells.get(k)) for k in ("upheld", "corrected", "other", "pending")]
        rule.equal(group, [("total", cells.get("total"))], parts)
        for key, value in cells.items():
            if value is not None:
                t44.flag(f"{group}.{key} = {_fmt(value)}", value < 0 or not float(value).is_integer())
    out = [r.result() for r in (*rules.values(), t44)]
    return [c for c in out if c is not None]


def proactive_checks(proactive: dict[str, Any], era: str) -> list[Check]:
    block = proactive.get("art20_1") or {}
    rules: list[_Rule] = []
    if era == "2021":
        t21 = _Rule("T2-1")
        for row, c in block.items():
            t21.equal(row, [("issued", c.get("issued"))], [("in_force", c.get("in_force")), ("repealed", c.get("repealed"))],
                      relation=lambda a, b: a <= b + 1e-6, sign=">")
        rules.append(t21)
    elif era == "2019":
        t23, t24 = _Rule("T2-3", "soft"), _Rule("T2-4", "soft")
        for row, c in block.items():
            t23.equal(row, [("published_total", c.get("published_total"))], [("new_published", c.get("new_published"))],
                      relation=lambda a, b: a + 1e-6 >= b, sign="<")
            t24.equal(row, [("new_published", c.get("new_published"))], [("new_made", c.get("new_made"))],
                      relation=lambda a, b: a <= b + 1e-6, sign=">")
        rules += [t23, t24]
    return [c for c in (r.result() for r in rules) if c is not None]


def cross_year_checks(previous: Report, current: Report) -> list[Check]:
    """X-1 (二 上年结转 = last year's 四 结转下年度, per column), T2-2 (2021) and T2-5 (2019); all soft.

    Returns [] when both years are known and not consecutive.
    """
    try:
        if previous.year and current.year and current.year != previous.year + 1:
            log.info("cross-year checks skipped: %s then %s", previous.year, current.year)
            return []
        out: list[_Rule] = []
        prev_rows = (previous.requests or {}).get("rows") or {}
        cur_rows = (current.requests or {}).get("rows") or {}
        if prev_rows and cur_rows:
            x1 = _Rule("X-1", "soft")
            for i, col in enumerate(REQUEST_COLUMNS):
                x1.equal(col, [("二", _cell(cur_rows, "carried_over", i, False))],
                         [("上年四", _cell(prev_rows, "carried_forward", i, False))])
            out.append(x1)
        prev_20 = (previous.proactive or {}).get("art20_1") or {}
        cur_20 = (current.proactive or {}).get("art20_1") or {}
        if previous.format == current.format == "2021":
            t22 = _Rule("T2-2", "soft")
            for row, c in cur_20.items():
                p = prev_20.get(row) or {}
                t22.equal(row, [("in_force", c.get("in_force")), ("repealed", c.get("repealed"))],
                          [("上年in_force", p.get("in_force")), ("issued", c.get("issued"))])
            out.append(t22)
        if previous.format == current.format == "2019":
            t25 = _Rule("T2-5", "soft")
            for block in ("art20_5", "art20_6", "art20_8"):
                for row, c in ((current.proactive or {}).get(block) or {}).items():
                    p = ((previous.proactive or {}).get(block) or {}).get(row) or {}
                    t25.equal(f"{block}.{row}", [("previous_items", c.get("previous_items"))],
                              [("上年previous_items", p.get("previous_items")), ("上年change", p.get("change"))])
            out.append(t25)
        return [c for c in (r.result() for r in out) if c is not None]
    except Exception as exc:  # never raise out of a public function
        log.warning("cross-year checks failed: %s", exc)
        return []


_CHANNELS = ["requests_in_person", "requests_fax", "requests_email", "requests_online", "requests_letter",
             "requests_other_channel"]
_REPLIES = ["requests_granted", "requests_partially", "requests_denied", "requests_not_exist",
            "requests_not_held", "requests_unclear", "requests_not_gov_info"]


def legacy_checks(figures: dict[str, Any]) -> list[Check]:
    """Old-era 附表 rules (report-format.md §5.7), on 附表 figures only:
    L-1 (hard) 申请总数 = Σ channels; L-2 (soft) 答复总数 ≥ Σ the reply kinds found (tables list more kinds)."""

    def table(key: str) -> Num:
        item = figures.get(key)
        return item["value"] if isinstance(item, dict) and str(item.get("source", "")).startswith("附表") else None

    out: list[_Rule] = []
    channels = [(k.removeprefix("requests_"), table(k)) for k in _CHANNELS if table(k) is not None]
    if len(channels) >= 3 and table("requests_received") is not None:
        l1 = _Rule("L-1")
        l1.equal("申请总数", [("received", table("requests_received"))], channels)
        out.append(l1)
    replies = [(k.removeprefix("requests_"), table(k)) for k in _REPLIES if table(k) is not None]
    if len(replies) >= 2 and table("requests_answered") is not None:
        l2 = _Rule("L-2", "soft")
        l2.equal("答复总数", [("answered", table("requests_answered"))], replies,
                 relation=lambda a, b: a + 1e-6 >= b, sign="<")
        out.append(l2)
    return [c for c in (r.result() for r in out) if c is not None]
