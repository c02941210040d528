"""Row and column labels of tables 二/三/四 (docs/schema.md keys ↔ report-format.md §2–§3 labels).

Matching works on the squashed label (no whitespace, half-width brackets), by keyword rather than
by the printed numbering, because real reports misnumber rows (seed 003: "(一) 不予公开" is （三）)
and break labels across cells and lines ("商业 企业").
"""

from __future__ import annotations

import re

# ---- table 三 -------------------------------------------------------------------------------
REQUEST_COLUMNS = [
    "natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total",
]
ROWS_HEAD = ["new_received", "carried_over", "granted", "partially_granted"]
ROWS_DENIED = [
    "denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_query",
]
ROWS_UNAVAILABLE = ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"]
ROWS_REJECTED = [
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_excessive",
    "rejected_confirmation",
]
ROWS_OTHER_2021 = ["other_no_correction", "other_no_fee", "other_misc"]
ROWS_TAIL = ["results_total", "carried_forward"]
CATEGORY_ROWS = {
    "denied": ROWS_DENIED, "unavailable": ROWS_UNAVAILABLE, "rejected": ROWS_REJECTED, "other": ROWS_OTHER_2021,
}


def request_rows(era: str) -> list[str]:
    other = ["other"] if era == "2019" else ROWS_OTHER_2021
    return ROWS_HEAD + ROWS_DENIED + ROWS_UNAVAILABLE + ROWS_REJECTED + other + ROWS_TAIL


# (regex on the squashed label, row key); the match ending last in a label wins.
_ROW_PATTERNS: list[tuple[str, str]] = [
    (r"本年新收|新收.{0,6}申请", "new_received"),
    (r"上年结转|上年度结转", "carried_over"),
    (r"予以公开", "granted"),
    (r"部分公开", "partially_granted"),
    (r"国家秘密", "denied_state_secret"),
    (r"法律行政法规禁止|法律法规禁止|禁止公开", "denied_prohibited_by_law"),
    (r"三安全一稳定|危及", "denied_security_stability"),
    (r"第三方", "denied_third_party"),
    (r"内部事务", "denied_internal_affairs"),
    (r"过程性", "denied_process_info"),
    (r"执法案卷", "denied_enforcement_file"),
    (r"行政查询", "denied_query"),
    (r"不掌握", "unavailable_not_held"),
    (r"另行制作|没有现成", "unavailable_needs_creation"),
    (r"仍不明确|补正后", "unavailable_unclear"),
    (r"信访|举报|投诉类", "rejected_petition"),
    (r"重复申请", "rejected_repeat"),
    (r"出版物", "rejected_publication"),
    (r"大量反复", "rejected_excessive"),
    (r"确认或重新出具|重新出具", "rejected_confirmation"),
    (r"逾期不补正|不补正", "other_no_correction"),
    (r"缴纳费用|收费通知", "other_no_fee"),
    (r"总计|合计(?!.*小计)", "results_total"),
    (r"结转下年|下年度继续", "carried_forward"),
]
ROW_RE = [(re.compile(p), key) for p, key in _ROW_PATTERNS]
_CATEGORY_RE = [
    (re.compile(r"不予公开"), "denied"),
    (re.compile(r"无法提供"), "unavailable"),
    (re.compile(r"不予处理"), "rejected"),
    (re.compile(r"其他处理"), "other"),
]
_SUB_NUMBER = re.compile(r"(?:^|[^\d])(\d)[.、:]")
_MISC = re.compile(r"(?:^|[^\d])3[.、:]?其他$|^其他$")
SUBTOTAL = re.compile(r"小计[:：)）]*$")
RESULTS_HEADER = re.compile(r"本年度办理结果|办理结果$")


def match_category(label: str) -> tuple[str | None, int]:
    """The last outcome category named in a label and where its name ends."""
    best: tuple[str | None, int] = (None, -1)
    for rx, cat in _CATEGORY_RE:
        for m in rx.finditer(label):
            if m.end() > best[1]:
                best = (cat, m.end())
    return best


def match_request_row(label: str, category: str | None) -> str | None:
    """Row key for a squashed 表三 label; ``category`` is the enclosing （三）–（六） block."""
    best: tuple[str | None, int] = (None, -1)
    for rx, key in ROW_RE:
        for m in rx.finditer(label):
            if m.end() > best[1]:
                best = (key, m.end())
    cat, cat_end = match_category(label)
    category = cat or category
    misc = _MISC.search(label) if category == "other" else None
    if misc and misc.end() > best[1]:  # "3.其他" names no keyword; it wins only as the last label
        return "other_misc"
    if best[0] is not None and best[1] >= cat_end:
        return best[0]
    if category in CATEGORY_ROWS:
        tail = label[cat_end:] if cat_end > 0 else label
        num = _SUB_NUMBER.search(tail)
        if num:
            index = int(num.group(1)) - 1
            rows = CATEGORY_ROWS[category]
            if 0 <= index < len(rows):
                return rows[index]
    if cat is not None:  # the label ends with a category name: a category (or 2019 （六）) row
        return None
    return best[0]


# Column headers of 表三, in the order they are found in the header; "法人或其他组织" is a group.
_COLUMN_RE = re.compile(
    r"法人或其他组织|自然人|商业企业|科研机构|社会公益组织|法律服务机构|小计|总计|合计|其他"
)
_COLUMN_KEYS = {
    "自然人": "natural_person", "商业企业": "commercial", "科研机构": "research",
    "社会公益组织": "public_interest", "法律服务机构": "legal_service", "其他": "other_org",
    "小计": "org_subtotal", "总计": "total", "合计": "total",
}


def request_layout(header: str) -> list[str]:
    """Data-column keys in printed order from the squashed header text (7 keys, or 8 with 小计)."""
    seen: list[str] = []
    for m in _COLUMN_RE.finditer(header):
        key = _COLUMN_KEYS.get(m.group(0))
        if key and key not in seen:
            seen.append(key)
    orgs = [k for k in seen if k not in ("natural_person", "total")]
    known = {"commercial", "research", "public_interest", "legal_service", "other_org"}
    if not known.issubset(orgs):  # header missing or mangled: the official order
        orgs = list(REQUEST_COLUMNS[1:6]) + (["org_subtotal"] if "org_subtotal" in seen else [])
    return ["natural_person", *orgs, "total"]


# ---- table 二 -------------------------------------------------------------------------------
# (block, row) for each row label; block columns depend on the era.
_T2_ROWS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"规章"), "art20_1", "regulations"),
    (re.compile(r"规范性文件"), "art20_1", "normative_documents"),
    (re.compile(r"行政许可"), "art20_5", "licensing"),
    (re.compile(r"其他对外管理服务|对外管理服务"), "art20_5", "other_services"),
    (re.compile(r"行政处罚"), "art20_6", "penalty"),
    (re.compile(r"行政强制"), "art20_6", "coercion"),
    (re.compile(r"行政事业性收费|事业性收费"), "art20_8", "fees"),
    (re.compile(r"集中采购|政府采购"), "art20_9", "procurement"),
]
T2_COLUMNS: dict[str, dict[str, list[str]]] = {
    "2019": {
        "art20_1": ["new_made", "new_published", "published_total"],
        "art20_5": ["previous_items", "change", "decisions"],
        "art20_6": ["previous_items", "change", "decisions"],
        "art20_8": ["previous_items", "change"],
        "art20_9": ["projects", "amount"],
    },
    "2021": {
        "art20_1": ["issued", "repealed", "in_force"],
        "art20_5": ["decisions"],
        "art20_6": ["decisions"],
        "art20_8": ["amount"],
    },
}
T2_ROWS: dict[str, dict[str, list[str]]] = {
    "2019": {
        "art20_1": ["regulations", "normative_documents"],
        "art20_5": ["licensing", "other_services"],
        "art20_6": ["penalty", "coercion"],
        "art20_8": ["fees"],
        "art20_9": ["procurement"],
    },
    "2021": {
        "art20_1": ["regulations", "normative_documents"],
        "art20_5": ["licensing"],
        "art20_6": ["penalty", "coercion"],
        "art20_8": ["fees"],
    },
}
MONEY_COLUMNS = {"amount"}


def match_t2_row(label: str) -> tuple[str, str] | None:
    best: tuple[tuple[str, str] | None, int] = (None, -1)
    for rx, block, row in _T2_ROWS:
        for m in rx.finditer(label):
            if m.end() > best[1]:
                best = ((block, row), m.end())
    return best[0]


# ---- era markers ------------------------------------------------------------------------------
ERA_2019 = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|采购项目数量")
ERA_2021 = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额")

# ---- table 四 -------------------------------------------------------------------------------
REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
