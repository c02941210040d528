"""Render a set of report tables (a plain dict in schema.md keys) as HTML and as each text flattening
seen in real reports. Used by the property test; written from report-format.md §2–§3, not from the
parser, so a round trip through crawler.parse is a real test.

``tables`` = {"era": "2019"|"2021", "proactive": {...schema keys...}, "requests": {row: [7]},
"review": {group: {col: n}}}; a None cell renders blank.
"""

from __future__ import annotations

from html import escape
from typing import Any

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
T3_LABELS: list[tuple[str | None, str, str]] = [  # (group label, row label, key)
    (None, "一、本年新收政府信息公开申请数量", "new_received"),
    (None, "二、上年结转政府信息公开申请数量", "carried_over"),
    ("三、本年度办理结果", "（一）予以公开", "granted"),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
    ("（三）不予公开", "1.属于国家秘密", "denied_state_secret"),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "denied_prohibited_by_law"),
    ("（三）不予公开", "3.危及“三安全一稳定”", "denied_security_stability"),
    ("（三）不予公开", "4.保护第三方合法权益", "denied_third_party"),
    ("（三）不予公开", "5.属于三类内部事务信息", "denied_internal_affairs"),
    ("（三）不予公开", "6.属于四类过程性信息", "denied_process_info"),
    ("（三）不予公开", "7.属于行政执法案卷", "denied_enforcement_file"),
    ("（三）不予公开", "8.属于行政查询事项", "denied_query"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "unavailable_not_held"),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "unavailable_needs_creation"),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "unavailable_unclear"),
    ("（五）不予处理", "1.信访举报投诉类申请", "rejected_petition"),
    ("（五）不予处理", "2.重复申请", "rejected_repeat"),
    ("（五）不予处理", "3.要求提供公开出版物", "rejected_publication"),
    ("（五）不予处理", "4.无正当理由大量反复申请", "rejected_excessive"),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "rejected_confirmation"),
]
OTHER_2019 = [("三、本年度办理结果", "（六）其他处理", "other")]
OTHER_2021 = [
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_no_fee"),
    ("（六）其他处理", "3.其他", "other_misc"),
]
TAIL = [("三、本年度办理结果", "（七）总计", "results_total"), (None, "四、结转下年度继续办理", "carried_forward")]
T4_TOP = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]

T2_BLOCKS: dict[str, list[tuple[str, str, list[str], list[tuple[str, str]]]]] = {
    # (block key, caption, column headers, [(row label, row key)])
    "2019": [
        ("art20_1", "第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", "regulations"), ("规范性文件", "normative_documents")]),
        ("art20_5", "第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")]),
        ("art20_6", "第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("art20_8", "第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", "fees")]),
        ("art20_9", "第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", "procurement")]),
    ],
    "2021": [
        ("art20_1", "第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "regulations"), ("行政规范性文件", "normative_documents")]),
        ("art20_5", "第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing")]),
        ("art20_6", "第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("art20_8", "第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees")]),
    ],
}
T2_KEYS = {
    "2019": {"art20_1": ["new_made", "new_published", "published_total"],
             "art20_5": ["previous_items", "change", "decisions"], "art20_6": ["previous_items", "change", "decisions"],
             "art20_8": ["previous_items", "change"], "art20_9": ["projects", "amount"]},
    "2021": {"art20_1": ["issued", "repealed", "in_force"], "art20_5": ["decisions"], "art20_6": ["decisions"],
             "art20_8": ["amount"]},
}


def t3_rows(era: str) -> list[tuple[str | None, str, str]]:
    return T3_LABELS + (OTHER_2019 if era == "2019" else OTHER_2021) + TAIL


def _v(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("raw", value["value"]))
    return str(value)


def t2_rows(tables: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(caption, headers, [[label, cells…]]) per block."""
    era, out = tables["era"], []
    for block, caption, headers, rows in T2_BLOCKS[era]:
        body = []
        for label, key in rows:
            cells = tables["proactive"][block][key]
            body.append([label] + [_v(cells[c]) for c in T2_KEYS[era][block]])
        out.append((caption, headers, body))
    return out


# ---- HTML ---------------------------------------------------------------------------------------

def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{escape(text)}</td>"


def html(tables: dict[str, Any]) -> str:
    """Three <table>s laid out like the official form (rowspans in 表三's label column)."""
    era = tables["era"]
    t2 = ["<table>"]
    for caption, headers, body in t2_rows(tables):
        t2.append(f"<tr>{_td(caption, colspan=4)}</tr>")
        span = 4 - len(headers)
        t2.append("<tr>" + _td("信息内容") + "".join(_td(h) for h in headers[:-1])
                  + _td(headers[-1], colspan=span) + "</tr>")
        for row in body:
            t2.append("<tr>" + _td(row[0]) + "".join(_td(c) for c in row[1:-1]) + _td(row[-1], colspan=span) + "</tr>")
    t2.append("</table>")
    rows = t3_rows(era)
    t3 = ["<table>", f"<tr>{_td(NOTE, 3, 3)}{_td('申请人情况', colspan=7)}</tr>",
          f"<tr>{_td('自然人', 2)}{_td('法人或其他组织', colspan=5)}{_td('总计', 2)}</tr>",
          "<tr>" + "".join(_td(a) for a in APPLICANTS) + "</tr>"]
    group_sizes = {g: sum(1 for x, _, _ in rows if x == g) for g, _, _ in rows}
    three = sum(1 for g, _, _ in rows if g and g != "三、本年度办理结果") + sum(
        1 for g, _, _ in rows if g == "三、本年度办理结果")
    seen: set[str] = set()
    for group, label, key in rows:
        cells = "".join(_td(_v(v)) for v in tables["requests"][key])
        head = ""
        if group is None:
            head = _td(label, colspan=3)
        else:
            if group.startswith("（") and group not in seen:
                if "三、本年度办理结果" not in seen:
                    seen.add("三、本年度办理结果")
                    head += _td("三、本年度办理结果", three)
                head += _td(group, group_sizes[group])
                seen.add(group)
                head += _td(label)
            elif group.startswith("（"):
                head = _td(label)
            else:
                if group not in seen:
                    seen.add(group)
                    head += _td(group, three)
                head += _td(label, colspan=2)
        t3.append(f"<tr>{head}{cells}</tr>")
    t3.append("</table>")
    review = tables["review"]
    t4 = ["<table>", f"<tr>{_td('行政复议', colspan=5)}{_td('行政诉讼', colspan=10)}</tr>",
          "<tr>" + "".join(_td(h, 2) for h in T4_TOP) + _td("未经复议直接起诉", colspan=5)
          + _td("复议后起诉", colspan=5) + "</tr>",
          "<tr>" + "".join(_td(h) for h in T4_TOP * 2) + "</tr>",
          "<tr>" + "".join(_td(_v(review[g][c])) for g in REVIEW for c in REVIEW_COLS) + "</tr>", "</table>"]
    return "\n".join(t2) + "\n" + "\n".join(t3) + "\n" + "\n".join(t4)


# ---- text flattenings -------------------------------------------------------------------------------

def _t3_label_cells(era: str) -> list[list[str]]:
    """Label cells of each 表三 row as a text flattening writes them (a rowspan label only once)."""
    out: list[list[str]] = []
    seen: set[str] = set()
    for group, label, _ in t3_rows(era):
        cells = []
        if group is not None:
            if "三" not in seen:
                cells.append("三、本年度办理结果")
                seen.add("三")
            if group.startswith("（") and group not in seen:
                cells.append(group)
                seen.add(group)
        out.append(cells + [label])
    return out


def _t3_header(sep: str) -> list[str]:
    return [sep.join([NOTE, "申请人情况"]), sep.join(["自然人", "法人或其他组织", "总计"]), sep.join(APPLICANTS)]


def pipes(tables: dict[str, Any]) -> str:
    """" | "-joined rows, each source cell once, trailing blanks dropped (crawler.extract's text)."""
    era, lines = tables["era"], ["二、主动公开政府信息情况"]
    for caption, headers, body in t2_rows(tables):
        lines += [caption, " | ".join(["信息内容", *headers])]
        lines += [" | ".join(row).rstrip(" |") for row in body]
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += _t3_header(" | ")
    for labels, (_, _, key) in zip(_t3_label_cells(era), t3_rows(era), strict=True):
        lines.append(" | ".join(labels + [_v(v) for v in tables["requests"][key]]).rstrip(" |"))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += ["行政复议 | 行政诉讼", " | ".join(T4_TOP + ["未经复议直接起诉", "复议后起诉"]), " | ".join(T4_TOP * 2)]
    lines.append(" | ".join(_v(tables["review"][g][c]) for g in REVIEW for c in REVIEW_COLS).rstrip(" |"))
    return "\n".join(lines)


def cell_per_line(tables: dict[str, Any]) -> str:
    """Seed 002: every cell on its own line ending in " |" (no blanks: they cannot be told apart)."""
    return "\n".join(f"{part} |" if part and not part.startswith(("二、", "三、收", "四、政")) else part
                     for line in pipes(tables).splitlines() for part in line.split(" | "))


def runs(tables: dict[str, Any], pdf: bool = False) -> str:
    """Labels on their own lines, then the row's numbers as one space-separated run; 表四 as a bare run
    of 15. With ``pdf``: labels longer than 14 characters wrap, and the numbers share the last label
    line (pdfplumber's text of a ruled table)."""
    era, lines = tables["era"], ["二、主动公开政府信息情况"]

    def row(labels: list[str], values: list[str]) -> None:
        text = "".join(labels)
        run = " ".join(values)
        if pdf:
            parts = [text[i:i + 14] for i in range(0, len(text), 14)] or [""]
            lines.extend(parts[:-1])
            lines.append(f"{parts[-1]} {run}".strip())
        else:
            lines.extend(labels)
            lines.append(run)

    for caption, headers, body in t2_rows(tables):
        lines += [caption, " ".join(["信息内容", *headers])]
        for r in body:
            row([r[0]], r[1:])
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += _t3_header(" ")
    for labels, (_, _, key) in zip(_t3_label_cells(era), t3_rows(era), strict=True):
        row(labels, [_v(v) for v in tables["requests"][key]])
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += ["行政复议 行政诉讼", " ".join(T4_TOP + ["未经复议直接起诉", "复议后起诉"]), " ".join(T4_TOP * 2)]
    lines.append(" ".join(_v(tables["review"][g][c]) for g in REVIEW for c in REVIEW_COLS))
    return "\n".join(lines)


def report_text(body: str, year: int) -> str:
    """Wrap rendered tables in the six sections of a report."""
    return "\n".join([
        f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"{year}年，本机关认真贯彻落实《条例》，扎实推进政府信息公开工作。",
        body,
        "五、存在的主要问题及改进情况",
        "一是公开时效有待提高；二是政策解读形式较为单一。",
        "六、其他需要报告的事项",
        "无。",
    ])
