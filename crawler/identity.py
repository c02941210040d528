"""What a document *is* to the archive: a report, a wrapper of a report's file, or a list of reports;
and whether its publisher is the seed's agency. Pure functions of text, used by the archive's
decisions (crawler.decide) so that the same documents give the same archive in any arrival order.

- A **wrapper** is a short page that only points at the report's file ("现将…年度报告予以公布，
  详见附件。", ~70 characters): a sighting of the file, never a version of its own.
- A **list** is a page whose content is a run of items (title, often a date), one item included: a
  year folder ``/xxgk/gknb/2019/`` that lists a single report is not the 2019 report.
- A **report** is anything else the classifier let through; its publisher, when the parser named one,
  may be another agency than the seed's (a county portal's aggregate list links its bureaus' reports).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.links import _RENDERING_RANK, rendering_format

REPORT, WRAPPER, LIST = "report", "wrapper", "list"

# Below this many non-space characters and without the report's structure a page cannot be the
# report itself: the shortest real old-era reports run to ~1,500 characters.
WRAPPER_CHARS = 400
_SECTIONS = re.compile(
    r"总体情况|主动公开政府信息|收到和处理政府信息公开申请|依申请公开|行政复议|存在的?(主要)?问题|其他需要报告的事项"
)
_TABLE3_NOTE = "本列数据的勾稽关系为"
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_REPORT_TITLE = re.compile(r"(年度报告|年报|工作报告)")
_SENTENCE = re.compile(r"[。，,；;：:！？]")
_LIST_CHROME = re.compile(r"共\s*\d+\s*(条|页|篇)|第\s*\d+\s*页|上一页|下一页|首页\s*\|?\s*上一页|^标题$|^发布(日期|时间)$")
_POINTER = re.compile(r"附件|下载|详见|点击|查看|全文|原文|\.(pdf|docx?|wps|xlsx?|ofd|rtf)\b", re.I)


@dataclass(frozen=True)
class Kind:
    kind: str  # report | wrapper | list
    reason: str


def _lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "")
    return [ln.strip(" |\t\u3000") for ln in text.splitlines() if ln.strip(" |\t\u3000")]


def _is_item(line: str) -> bool:
    """One entry of a list: a report-like title, perhaps a date, no sentence punctuation.
    e.g. "鄂尔多斯市2019年政府信息公开工作年度报告 | 2020-09-03"."""
    title = _DATE.sub("", line).strip(" |\t-—")
    return (bool(_REPORT_TITLE.search(title)) and 6 <= len(title) <= 80
            and not _SENTENCE.search(title))


def kind_of(text: str, tables: int = 0) -> Kind:
    """Report, wrapper or list, with the reason (for the log and the audit)."""
    lines = _lines(text)
    compact = re.sub(r"\s+", "", "".join(lines))
    sections = len({m.group(0)[:4] for m in _SECTIONS.finditer(compact)})
    structured = sections >= 3 or _TABLE3_NOTE in compact
    items = [ln for ln in lines if _is_item(ln)]
    dated = [ln for ln in items if _DATE.search(ln)]
    titles = {_DATE.sub("", ln).strip(" |\t-—") for ln in items}
    pointer = _POINTER.search(compact)
    if not structured:
        chrome = any(_LIST_CHROME.search(ln) for ln in lines)
        # One dated title and nothing else is a year folder's single entry; one title with a line
        # pointing at a file is the wrapper of that file (its title and date may share a line).
        single = bool(titles) and (chrome or (dated and not pointer and len(compact) < WRAPPER_CHARS * 2))
        if len(titles) >= 2 or single:
            return Kind(LIST, f"list of {len(titles)} item{'s' if len(titles) != 1 else ''}")
    if structured or len(compact) >= WRAPPER_CHARS or tables >= 2:
        return Kind(REPORT, f"{sections} sections, {len(compact)} chars")
    return Kind(WRAPPER, f"{len(compact)} chars" + (f", points at '{pointer.group(0)}'" if pointer else ""))


# -- publisher -------------------------------------------------------------------------------------
# Administrative areas a name starts with ("青岛市崂山区…"): 1–4 characters before a 省/市/区/县
# suffix, 1–3 before 镇/乡 ("住房和城乡建设局" must not lose "住房和城乡").
_AREA = re.compile(
    r"(?:[\u4e00-\u9fff]{1,6}?(?:自治区|自治州|自治县|特别行政区)|[\u4e00-\u9fff]{1,4}?(?:省|市|区|县|盟|旗)"
    r"|[\u4e00-\u9fff]{1,3}?(?:镇|乡|街道))"
)
_AGENCY_END = re.compile(r"(局|委员会|委|办公室|办|厅|中心|政府|办事处|院|署|所|处|会|站|队|馆|部)$")
_NOT_NAME = re.compile(r"[\W_a-zA-Z0-9]+")


def split_name(name: str) -> tuple[tuple[str, ...], str]:
    """("青岛市", "崂山区"), "人力资源和社会保障局" for "青岛市崂山区人力资源和社会保障局"."""
    rest = _NOT_NAME.sub("", unicodedata.normalize("NFKC", name or ""))
    areas: list[str] = []
    while True:
        m = _AREA.match(rest)
        if not m or len(rest) - m.end() < 2:  # keep at least a two-character body (a "市政府")
            break
        areas.append(m.group(0))
        rest = rest[m.end():]
    return tuple(areas), rest


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_agency(a: str, b: str) -> bool:
    """Whether two names can be one agency: the most specific areas agree (when both name one) and one
    body abbreviates the other ("人社局" in "人力资源和社会保障局"; "人民政府" in "人民政府办公室")."""
    areas_a, body_a = split_name(a)
    areas_b, body_b = split_name(b)
    if not body_a or not body_b:
        return True
    if areas_a and areas_b and areas_a[-1] != areas_b[-1]:
        # "崂山区" vs "青岛市崂山区": the last area decides; a 镇 under the seed's 县 is another agency
        return False
    short, long = sorted((_government(body_a), _government(body_b)), key=len)
    return _subsequence(short, long)


def _government(body: str) -> str:
    """A government and its general office publish one report: 人民政府, 政府办公室, 人民政府办公厅 → 政府."""
    body = body.removeprefix("人民")
    return "政府" if body.startswith("政府") else body


def other_agency(seed_agency: str, publisher: str | None, title: str) -> bool:
    """The parser named a publisher, it reads like an agency's full name, the report's title names it
    too, and it is not the seed's. The title is required: a publisher read from the body alone may be
    a misreading ("中共衡阳市委、衡阳市政府…" in a 衡阳市人社局 report), and a report wrongly kept
    costs less than one wrongly dropped."""
    name = _NOT_NAME.sub("", unicodedata.normalize("NFKC", publisher or ""))
    seed = _NOT_NAME.sub("", unicodedata.normalize("NFKC", seed_agency or ""))
    if any(len(n) < 4 or not _AGENCY_END.search(n) for n in (name, seed)):
        return False  # two agencies' full names are compared, never a placeholder ("某局") or a brand
    if name not in _NOT_NAME.sub("", unicodedata.normalize("NFKC", title or "")):
        return False
    return not same_agency(seed_agency, name)


# -- which rendering carries the versions ------------------------------------------------------------
_PAGE_RANK = 4  # an HTML page after every file format: the spider reads a page's files before the page


def source_rank(url: str, hosts: tuple[str, ...] = ()) -> tuple[int, int, str]:
    """Lower is the better source among a report's renderings first met in one run: on the agency's
    own hosts before a repost elsewhere, then the format (``crawler.links.renderings``' order: DOCX/XLSX,
    PDF, DOC/RTF, WPS/OFD, then an HTML page), then the URL itself, so that no arrival order decides."""
    host = (urlsplit(url).hostname or "").lower()
    foreign = int(bool(hosts) and not any(host == h or host.endswith("." + h) for h in hosts))
    fmt = rendering_format(url)
    return foreign, _RENDERING_RANK.get(fmt, _PAGE_RANK - 1) if fmt else _PAGE_RANK, url
