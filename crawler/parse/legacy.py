"""Old-era (2008–2018) figures from 附表 indicator tables and from prose.

``legacy_figures`` key set — each value is ``{"value": number, "source": "<the phrase or 附表 row>"}``
(plus ``"approx": true`` for "余/多" phrasings):

requests
    requests_received      申请总数 / 共受理(收到)…申请 N 件
    requests_in_person     当面申请数            requests_fax         传真申请数
    requests_email         电子邮件申请数        requests_online      网上/网络申请数
    requests_letter        信函申请数            requests_other_channel 其他形式申请数
    requests_answered      对申请的答复总数 / 申请答复数
    requests_granted       同意公开(答复) N 件
    requests_partially     同意部分公开(答复) N 件
    requests_denied        不予(不同意)公开(答复) N 件
    requests_not_exist     信息不存在 N 件
    requests_not_held      非本机关政府信息 / 不属于本行政机关公开 N 件
    requests_not_gov_info  不是《条例》所指政府信息 N 件
    requests_unclear       申请内容不明确 N 件
proactive
    proactive_items        (本年)主动公开(政府)信息 N 条 / 主动公开信息数
    proactive_cumulative   累计主动公开政府信息 N 条
    normative_documents    新增的行政规范性文件数 / 主动公开规范性文件数
consultations
    consultations_total    接受(市民)咨询 N 人次
    consultations_online   网上咨询数            consultations_in_person 现场接待人数 / 当面咨询
    consultations_phone    咨询电话接听数        page_views           网站专栏页面访问量
remedies and fees
    review_cases           行政复议(案件/数) N 件; "无/未发生…行政复议" → 0
    litigation_cases       行政诉讼(案件/数) N 件; "无/未发生…行政诉讼" → 0
    appeal_cases           行政申诉数
    fees_yuan              收取…费用 N 元; "未收取任何费用" / "没有…收费" → 0
"""

from __future__ import annotations

import re
from typing import Any

from crawler.parse.cells import classify, cn_int, normalize

_N = r"(\d[\d,]*|[零〇一二两三四五六七八九十百千]+)"
_UNITS = frozenset({"条", "件", "个", "人次", "次", "项", "万元", "元", "单位", "件次", "人", "份"})

# 附表 indicator label (squashed) → key; first match wins, so specific labels come first.
_APPENDIX: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), k) for p, k in [
        (r"全文电子化", ""),
        (r"主动公开.*规范性文件|新增.*规范性文件", "normative_documents"),
        (r"主动公开.*(?:信息数|政府信息数)", "proactive_items"),
        (r"依申请公开信息目录", ""),
        (r"当面申请", "requests_in_person"), (r"传真申请", "requests_fax"),
        (r"电子邮件申请", "requests_email"), (r"网上申请|网络申请", "requests_online"),
        (r"信函申请", "requests_letter"), (r"其他形式申请|其它形式申请", "requests_other_channel"),
        (r"申请总数|收到申请数", "requests_received"),
        (r"答复总数|申请答复数", "requests_answered"),
        (r"不予公开|不同意公开|否决公开", "requests_denied"),
        (r"同意部分公开", "requests_partially"), (r"同意公开", "requests_granted"),
        (r"收取的费用|收费金额|收费", "fees_yuan"),
        (r"信息不存在", "requests_not_exist"), (r"非本机关|不属于本行政机关", "requests_not_held"),
        (r"不明确", "requests_unclear"), (r"所指政府信息", "requests_not_gov_info"),
        (r"网上咨询", "consultations_online"), (r"现场接待|当面咨询", "consultations_in_person"),
        (r"咨询电话", "consultations_phone"), (r"页面访问量", "page_views"),
        (r"首次处理不满意", ""),
        (r"行政复议", "review_cases"), (r"行政诉讼", "litigation_cases"), (r"行政申诉|申诉数", "appeal_cases"),
    ]
]

# Prose phrasings (report-format.md §4.3); group "n" holds the number.
_PROSE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), k) for p, k in [
        (r"(?:共|全年|累计)?(?:受理|收到|接到|办理)(?:、办理)?(?:了)?(?:申请)?(?:政府)?(?:依申请公开)?(?:政府)?信息公开(?:的)?申请\s*(?P<n>" + _N + r")\s*(?P<a>余|多)?\s*[件条宗个]", "requests_received"),
        (r"(?:共|全年)?(?:受理|收到)申请(?:政府)?信息公开\s*(?P<n>" + _N + r")\s*(?P<a>余|多)?\s*[件条]", "requests_received"),
        (r"申请(?:政府)?信息公开\s*(?P<n>" + _N + r")\s*[件条]", "requests_received"),
        (r"(?:收到|受理)(?:依申请公开|依申请)[^，。,]{0,6}?\s*(?P<n>" + _N + r")\s*[件条]", "requests_received"),
        (r"同意公开(?:答复)?[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_granted"),
        (r"同意部分公开(?:答复)?[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_partially"),
        (r"(?:予以)?部分公开[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_partially"),
        (r"不予公开[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_denied"),
        (r"信息不存在[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_not_exist"),
        (r"(?:非本机关政府信息|不属于本(?:行政)?机关公开(?:数|范围)?)[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_not_held"),
        (r"所指(?:的)?政府信息[”\"]?(?:的)?\s*(?P<n>" + _N + r")\s*[件条]", "requests_not_gov_info"),
        (r"累计主动公开(?:政府)?信息\s*(?P<n>" + _N + r")\s*[条件]", "proactive_cumulative"),
        (r"(?:新增)?主动公开(?:政府)?信息\s*(?P<n>" + _N + r")\s*(?P<a>余|多)?\s*[条件]", "proactive_items"),
        (r"(?:接受|接待)[^，。,]{0,6}?咨询\s*(?P<n>" + _N + r")\s*人次", "consultations_total"),
        (r"行政复议(?:案件|案)?\s*(?P<n>" + _N + r")\s*[件起宗]", "review_cases"),
        (r"行政诉讼(?:案件|案)?\s*(?P<n>" + _N + r")\s*[件起宗]", "litigation_cases"),
        (r"收取[^，。,]{0,10}?费(?:用)?\s*(?P<n>\d[\d,.]*)\s*元", "fees_yuan"),
    ]
]
_NO_FEES = re.compile(r"(?:未|没有|不)(?:收取|就[^，。]{0,30}?进行)?[^，。]{0,6}?(?:任何)?(?:费用|收费)|没有收费|未收费")
_NO_REMEDY = re.compile(r"(?:无|未发生|没有|未出现)[^，。]{0,20}?行政复议")
_NO_LITIGATION = re.compile(r"(?:无|未发生|没有|未出现)[^，。]{0,24}?行政诉讼")
_NO_REQUESTS = re.compile(r"(?:未|没有)(?:收到|接到)[^，。]{0,16}?申请")
_APPENDIX_START = re.compile(r"附表|附件|统计表|指标")
_MAX_PROSE = 200_000


def _value(text: str) -> int | float | None:
    text = normalize(text).replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) if "." in text else int(text)
    return cn_int(text)


def from_appendix(lines: list[str]) -> dict[str, Any]:
    """附表 rows: a label line, optional unit line, then a value line (or "label | unit | value")."""
    out: dict[str, Any] = {}
    start = next((i for i, line in enumerate(lines) if _APPENDIX_START.search(line) and len(line) < 40), None)
    if start is None:
        return out
    label = unit = ""
    for line in lines[start:]:
        cells = [c.strip() for c in re.split(r"\s*\|\s*|\s{2,}", normalize(line).strip()) if c.strip()]
        if not cells:
            continue
        nums = [classify(c) for c in cells]
        if len(cells) > 1 and nums[-1].kind == "num" and nums[0].kind == "text":
            unit = cells[1] if len(cells) == 3 else unit
            label, cells, nums = cells[0], cells[-1:], nums[-1:]
        if len(cells) == 1 and nums[0].kind == "num" and label:
            key = next((k for rx, k in _APPENDIX if rx.search(label)), None)
            if key and key not in out:
                value = nums[0].value
                if key == "fees_yuan" and "万元" in (unit + label) and value is not None:
                    value = round(value * 10000, 2)
                out[key] = {"value": value, "source": f"附表 {label} {cells[0]}"}
            label, unit = "", ""
        elif len(cells) == 1 and cells[0] in _UNITS:
            unit = cells[0]
            continue
        elif len(cells) == 1 and nums[0].kind == "text":
            label, unit = re.sub(r"\s+", "", cells[0]), ""
    return out


def from_prose(text: str) -> dict[str, Any]:
    text = normalize(text[:_MAX_PROSE])
    out: dict[str, Any] = {}
    for rx, key in _PROSE:
        if key in out:
            continue
        m = rx.search(text)
        if m:
            value = _value(m["n"])
            if value is not None:
                out[key] = {"value": value, "source": m.group(0)}
                if "a" in m.groupdict() and m["a"]:
                    out[key]["approx"] = True
    for rx, key in ((_NO_REMEDY, "review_cases"), (_NO_LITIGATION, "litigation_cases"),
                    (_NO_FEES, "fees_yuan"), (_NO_REQUESTS, "requests_received")):
        if key not in out:
            m = rx.search(text)
            if m:
                out[key] = {"value": 0, "source": m.group(0)}
    return out


def legacy_figures(lines: list[str], text: str) -> dict[str, Any]:
    """附表 figures take precedence over prose (they are the statistics proper)."""
    figures = from_prose(text)
    figures.update(from_appendix(lines))
    return figures
