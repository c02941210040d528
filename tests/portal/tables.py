"""Report tables as real spanned grids (report-format.md §2.2–§2.4, §3.3–§3.4).

A table is a list of rows of ``Cell``s carrying rowspan/colspan exactly as a CMS editor would emit
them. The same structure renders to HTML (``to_html``) and flattens to the rectangular grid the
document generator wants (``to_grid``). Builders take label lists in reading order so the seed
reports keep their own wording (misnumbered rows, odd punctuation) while generated reports use the
official labels.
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Table = list[list[Cell]]

T3_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")

T3_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况", "自然人", "法人或其他组织", "总计",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
]

# (kind, level, key, default label): kind R = label + 7 numbers, G = label-only group cell.
_T3_HEAD = [
    ("R", 1, "new_received", "一、本年新收政府信息公开申请数量"),
    ("R", 1, "carried_over", "二、上年结转政府信息公开申请数量"),
    ("G", 1, "", "三、本年度办理结果"),
    ("R", 2, "granted", "（一）予以公开"),
    ("R", 2, "partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("G", 2, "", "（三）不予公开"),
    ("R", 3, "denied_state_secret", "1.属于国家秘密"),
    ("R", 3, "denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("R", 3, "denied_security_stability", "3.危及“三安全一稳定”"),
    ("R", 3, "denied_third_party", "4.保护第三方合法权益"),
    ("R", 3, "denied_internal_affairs", "5.属于三类内部事务信息"),
    ("R", 3, "denied_process_info", "6.属于四类过程性信息"),
    ("R", 3, "denied_enforcement_file", "7.属于行政执法案卷"),
    ("R", 3, "denied_query", "8.属于行政查询事项"),
    ("G", 2, "", "（四）无法提供"),
    ("R", 3, "unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("R", 3, "unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("R", 3, "unavailable_unclear", "3.补正后申请内容仍不明确"),
    ("G", 2, "", "（五）不予处理"),
    ("R", 3, "rejected_petition", "1.信访举报投诉类申请"),
    ("R", 3, "rejected_repeat", "2.重复申请"),
    ("R", 3, "rejected_publication", "3.要求提供公开出版物"),
    ("R", 3, "rejected_excessive", "4.无正当理由大量反复申请"),
    ("R", 3, "rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
]
_T3_OTHER_2019 = [("R", 2, "other", "（六）其他处理")]
_T3_OTHER_2021 = [
    ("G", 2, "", "（六）其他处理"),
    ("R", 3, "other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("R", 3, "other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("R", 3, "other_misc", "3.其他"),
]
_T3_TAIL = [
    ("R", 2, "results_total", "（七）总计"),
    ("R", 1, "carried_forward", "四、结转下年度继续办理"),
]
# Rowspans of the group cells (§2.3 / §3.4): 三 covers 20 rows in 2019, 22 in 2021.
_GROUP_SPAN = {"（三）": 8, "（四）": 3, "（五）": 5, "（六）": 3}

T4_HEADER = [
    "行政复议", "行政诉讼",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
]


def t3_slots(fmt: str) -> list[tuple[str, int, str, str]]:
    return _T3_HEAD + (_T3_OTHER_2021 if fmt == "2021" else _T3_OTHER_2019) + _T3_TAIL


def t3_row_keys(fmt: str) -> list[str]:
    return [key for kind, _lvl, key, _lab in t3_slots(fmt) if kind == "R"]


def build_t3(fmt: str, rows: list[list[str]], labels: list[str] | None = None,
             header: list[str] | None = None) -> Table:
    """表三 with the official spans; ``labels`` (one per slot) override the official wording."""
    slots = t3_slots(fmt)
    labels = labels or [s[3] for s in slots]
    h = header or T3_HEADER
    table: Table = [
        [Cell(h[0], rowspan=3, colspan=3), Cell(h[1], colspan=7)],
        [Cell(h[2], rowspan=2), Cell(h[3], colspan=5), Cell(h[4], rowspan=2)],
        [Cell(x) for x in h[5:10]],
    ]
    pending: list[Cell] = []  # group label cells waiting for the first row they span
    it = iter(rows)
    for (kind, level, _key, official), label in zip(slots, labels, strict=True):
        if kind == "G":
            span = (22 if fmt == "2021" else 20) if level == 1 else _GROUP_SPAN[official[:3]]
            pending.append(Cell(label, rowspan=span))
            continue
        colspan = {1: 3, 2: 2, 3: 1}[level]
        table.append([*pending, Cell(label, colspan=colspan), *(Cell(v) for v in next(it))])
        pending = []
    return table


def build_t4(values: list[str], header: list[str] | None = None) -> Table:
    h = header or T4_HEADER
    return [
        [Cell(h[0], colspan=5), Cell(h[1], colspan=10)],
        [*(Cell(x, rowspan=2) for x in h[2:7]), Cell(h[7], colspan=5), Cell(h[8], colspan=5)],
        [Cell(x) for x in h[9:19]],
        [Cell(v) for v in values],
    ]


@dataclass
class T2Block:
    caption: str
    header: list[str]  # first cell 信息内容
    rows: list[list[str]]  # label + values


def build_t2(blocks: list[T2Block], width: int = 4) -> Table:
    """表二: one table of blocks, each a caption row over the grid width and a header row."""
    table: Table = []

    def padded(cells: list[str]) -> list[Cell]:
        out = [Cell(c) for c in cells]
        if len(out) < width:
            last = out[-1]
            out[-1] = Cell(last.text, colspan=width - len(out) + 1)
        return out

    for block in blocks:
        table.append([Cell(block.caption, colspan=width)])
        table.append(padded(block.header))
        table.extend(padded(r) for r in block.rows)
    return table


def build_simple(header: list[str], rows: list[list[str]]) -> Table:
    return [[Cell(x) for x in header], *([Cell(x) for x in r] for r in rows)]


def to_grid(table: Table) -> list[list[str]]:
    """Rectangular grid with spanned cells repeated into every slot they cover."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = cell.text
            c += cell.colspan
    nrows = max(r for r, _ in grid) + 1 if grid else 0
    ncols = max(c for _, c in grid) + 1 if grid else 0
    return [[grid.get((r, c), "") for c in range(ncols)] for r in range(nrows)]


def to_html(table: Table, attrs: str = 'border="1" cellspacing="0" cellpadding="0"') -> str:
    out = [f"<table {attrs}>", "<tbody>"]
    for row in table:
        tds = []
        for cell in row:
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            text = _html.escape(cell.text) if cell.text else "&nbsp;"
            tds.append(f'<td{span} style="text-align:center;vertical-align:middle"><p>{text}</p></td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


# ----------------------------------------------------------------------------- seed token parsing


def tokens(lines: list[str]) -> list[str]:
    """Cells of a flattened table: " | "-joined rows or one value per line, empties dropped."""
    return [p.strip() for line in lines for p in line.split("|") if p.strip()]


_T2_HEADS = {
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "对外公开数量", "上一年项目数量", "本年增/减",
    "处理决定数量", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "采购项目数量",
    "采购总金额",
}


def parse_t2(toks: list[str]) -> list[T2Block]:
    blocks: list[T2Block] = []
    i = 0
    while i < len(toks):
        caption = toks[i]
        i += 1
        header = [toks[i]]  # 信息内容
        i += 1
        while i < len(toks) and (toks[i] in _T2_HEADS or toks[i].startswith("本年收费金额")):
            header.append(toks[i])
            i += 1
        rows = []
        while i < len(toks) and not toks[i].startswith("第二十条"):
            n = len(header)
            rows.append(toks[i:i + n])
            i += n
        blocks.append(T2Block(caption, header, rows))
    return blocks


def parse_t3(toks: list[str]) -> tuple[str, list[str], list[str], list[list[str]]]:
    """(format, header, labels, value rows) from a flattened seed 表三."""
    fmt = "2021" if any(t.startswith("1.申请人无正当理由") for t in toks) else "2019"
    header, i = toks[:10], 10
    labels: list[str] = []
    rows: list[list[str]] = []
    for kind, *_ in t3_slots(fmt):
        labels.append(toks[i])
        i += 1
        if kind == "R":
            rows.append(toks[i:i + 7])
            i += 7
    return fmt, header, labels, rows


def parse_t4(toks: list[str]) -> tuple[list[str], list[str]]:
    return toks[:19], toks[19:34]
