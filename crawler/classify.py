"""Is this candidate an information-disclosure annual report (政府信息公开工作年度报告) or not?

Title first (a portal's title is the strongest signal), then the body (the six section headings,
the 表三 note "本列数据的勾稽关系为"), then the URL as a last resort for attachments with neither.
The confusables of docs/report-format.md §7.6 are rejected with a reason naming the rule
("confusable:工作要点"), so a crawl log says why a look-alike was skipped.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from crawler.model import Verdict

log = logging.getLogger(__name__)

BODY_CHARS = 60_000  # the headings and the 表三 note sit well inside this
TABLE3_NOTE = "本列数据的勾稽关系为"

# Always a look-alike, whatever else the title says.
_STRONG: list[tuple[str, str]] = [
    ("解读", r"解读|图解|图说|一图(读懂|看懂)|读图|动漫|视频|H5"),
    ("超链版", r"超链版?"),
    ("工作要点", r"工作要点|要点.{0,4}落实"),
    ("政府工作报告", r"政府工作报告"),
    ("法治政府建设年度报告", r"法治政府|法治建设"),
    ("政府网站工作年度报表", r"网站.{0,8}(年度)?报表|政务新媒体|网站.{0,4}(监管|年度)(工作)?报告"),
    ("统计表", r"统计表|统计报表|统计制度|统计数据表"),
    ("格式通知", r"格式|国办公开办函|公开办函"),
    (
        "部署通知",
        r"(做好|编制|报送|编报|开展|部署|规范|加强|有关事项|报告工作|年报工作|检查|抽查|评议).{0,30}(通知|通报|函|意见|方案)$"
        r"|^关于.{0,40}(做好|编制|报送|开展|部署).{0,30}(年度报告|年报)",
    ),
    ("指南目录制度", r"指南|目录|制度|申请表|答复书|办法|规定|细则"),
    ("工作总结", r"总结"),
    ("评估报告", r"评估|第三方|蓝皮书|指数|排行|测评|观察报告|调研报告|研究报告"),
    (
        "新闻",
        r"召开|(培训|推进|部署|座谈|调度|评审|发布)会|荣获|获评|排名|位列|名列|点评|新闻|简报|快讯"
        r"|^我(市|区|县|局|省|镇|委|办)|顺利完成|按时(完成|发布)|圆满",
    ),
]

# Look-alikes whose words also appear in agency names (住房公积金管理中心, 国资委, 统计局 …):
# they only reject a title that does not already name an information-disclosure report.
_WEAK: list[tuple[str, str]] = [
    ("住房公积金年度报告", r"公积金"),
    ("企业年度报告", r"企业年度报告|企业年报|上市公司|年报公示|个体工商户|农民专业合作社|股份有限公司"),
    ("统计公报", r"公报"),
    ("预算决算", r"预算|决算|三公"),
    ("其他年度报告", r"国有资产|环境状况|社会信用|信用报告|社会责任|慈善|彩票|年度报告书"),
    ("法治政府建设年度报告", r"依法行政"),
    ("新闻", r"会议|督查|考核|专题|动态|获得|检查"),
    ("通知", r"通知$|通报$|函$"),
]

_POSITIVE = re.compile(
    r"(政府信息公开|政务信息公开|信息公开|政务公开|政府公开).{0,12}(年度报告|年报|年度工作报告|工作的年度报告)"
    r"|(年度|年).{0,4}(政府信息公开|政务信息公开|信息公开|政务公开).{0,6}(工作)?报告"
    r"|(政府信息公开|信息公开).{0,4}工作.{0,2}年度.{0,2}报告"
)
_REPORT_WORD = re.compile(r"年度报告|年报|工作报告")
_SEPARATORS = re.compile(r"\s*(?:_|\||｜|——|--| - |>>|»|>)\s*")
_GENERIC = re.compile(
    r"^(附件\s*\d*|附表\s*\d*|下载|点击下载|点击查看|查看原文|原文下载|文件下载|相关附件|无标题|未命名|untitled|document|"
    r"新建.*文档)?[\s:：._\-\d]*(\.(pdf|docx?|wps|xlsx?|rtf|ofd))?$",
    re.I,
)

_SECTIONS = [
    re.compile(r"总体情况"),
    re.compile(r"主动公开政府信息情况|主动公开政府信息"),
    re.compile(r"收到和处理政府信息公开申请情况"),
    re.compile(r"行政复议[、,，和及]?\s*行政诉讼情况|被申请行政复议"),
    re.compile(r"存在的?(主要)?问题.{0,8}改进|主要问题(及|和).{0,6}(改进|措施)"),
    re.compile(r"其他需要报告的事项"),
]
_OLD_ERA = [
    re.compile(r"主动公开政府信息"),
    re.compile(r"依申请公开"),
    re.compile(r"行政复议"),
    re.compile(r"收费|减免"),
    re.compile(r"主要问题(和|及)改进|存在的(主要)?问题"),
]
# Phrases of the 国办 format notices and their reposts, never of a report itself.
_NOTICE_MARKERS = [
    re.compile(p)
    for p in (
        r"各省[、,]自治区[、,]直辖市",
        r"国务院各部委[、,]各直属机构",
        r"现将.{0,40}(印发|转发)给你们",
        r"请(认真)?(遵照|贯彻)执行",
        r"特此通知",
        r"有关事项通知如下",
        r"不能遗漏[,，]也不宜泛化",
        r"请(于|在).{0,20}前.{0,20}(报送|报)",
        r"填报说明|填写说明",
    )
]
_URL_TOKENS = re.compile(r"zfxxgknb|xxgknb|gknb|zfxxgkndbg|xxgkndbg|zwgknb", re.I)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", _norm(text))


def _title_segment(title: str) -> str:
    """Portal <title>s append column and site names: keep the segment naming a report."""
    # whitespace runs collapsed first: the separators' \s* retry every start of a long run
    # (quadratic); the parts lose all their whitespace anyway
    parts = [_compact(p) for p in _SEPARATORS.split(re.sub(r"\s+", " ", _norm(title)).strip()) if p.strip()]
    naming = [p for p in parts if _REPORT_WORD.search(p)]
    if naming:
        return max(naming, key=len)  # "…目录>年度报告>XX局2021年…年度报告": the full title is the longest
    return parts[0] if parts else ""


def _match(rules: list[tuple[str, str]], text: str) -> str:
    for name, pattern in rules:
        if re.search(pattern, text, re.I):
            return name
    return ""


_INCLUDES = re.compile(r"\(含[^)]*\)")  # "（含2016年政务公开工作要点落实情况）" names a part of the report


# The look-alikes a link's anchor text alone gives away (report-format.md §7.6: companions and notices
# filed in the 年报 column beside the reports): "文字解读：XX2022年政府信息公开工作年度报告",
# "关于做好2021年政府信息公开工作年度报告编制发布工作的通知". Only rules that never match a report's
# own title; the rest (新闻, 指南目录制度 …) need the page's title and body.
_ANCHOR_RULES = ("解读", "部署通知", "格式通知", "工作要点", "政府工作报告", "法治政府建设年度报告", "政府网站工作年度报表")


def companion_anchor(text: str) -> str:
    """The look-alike an anchor text names ("confusable:解读"), or "" when the anchor alone cannot tell."""
    rule = _match([r for r in _STRONG if r[0] in _ANCHOR_RULES], _INCLUDES.sub("", _compact(text)))
    return f"confusable:{rule}" if rule else ""


def _title_rule(title: str) -> tuple[str, str]:
    """('reject', reason) | ('accept', reason) | ('', '') for a title that decides nothing."""
    if not title or _GENERIC.match(title):
        return "", ""
    strong = _match(_STRONG, _INCLUDES.sub("", title))
    if strong:
        return "reject", f"confusable:{strong}"
    if _POSITIVE.search(title):
        return "accept", "title"
    weak = _match(_WEAK, title)
    if weak:
        return "reject", f"confusable:{weak}"
    return "", ""


_NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、])")


def _body_title_rule(body: str) -> tuple[str, str]:
    """Apply the title rules to the body's own title: its first line, or an early 年度报告 line."""
    lines = [_compact(ln) for ln in body.splitlines()]
    lines = [ln for ln in lines if ln][:15]
    candidates = lines[:1] + [ln for ln in lines[1:] if _REPORT_WORD.search(ln) and not _NUMBERED.match(ln)]
    for line in candidates:
        if 6 <= len(line) <= 80 and not line.endswith(("。", ",", ";")):
            verdict, reason = _title_rule(line)
            if verdict:
                return verdict, reason
    return "", ""


def classify(title: str, url: str = "", text: str = "") -> Verdict:
    """Report or not, with the rule that decided in ``reason``. Never raises."""
    try:
        return _classify(title or "", url or "", text or "")
    except Exception as exc:  # a classifier bug must not stop a crawl
        log.warning("classify failed on %r: %s", title, exc)
        return Verdict(is_report=False, reason=f"error:{type(exc).__name__}", score=0.0)


def _classify(title: str, url: str, text: str) -> Verdict:
    seg = _title_segment(title)
    body = _norm(text[:BODY_CHARS])
    compact_body = _compact(body)
    notice = sum(1 for m in _NOTICE_MARKERS if m.search(compact_body))
    sections = sum(1 for s in _SECTIONS if s.search(compact_body))
    has_note = TABLE3_NOTE in compact_body

    verdict, reason = _title_rule(seg)
    if verdict == "reject":
        return Verdict(False, reason, 0.05)
    if notice >= 2:
        # the format notices carry every heading and table label: only their phrasing gives them away
        return Verdict(False, "confusable:格式通知", 0.1)
    if verdict == "accept":
        score = 0.9 + 0.05 * (sections >= 3) + 0.05 * has_note
        return Verdict(True, "title", round(min(score, 1.0), 2))

    # Title missing, generic ("附件1.pdf") or silent: the body decides.
    b_verdict, b_reason = _body_title_rule(body)
    if b_verdict == "reject":
        return Verdict(False, f"body {b_reason}", 0.05)
    if sections >= 3 or has_note:
        signals = f"{sections} sections" + (", 勾稽 note" if has_note else "")
        return Verdict(True, f"body:{signals}", round(0.6 + 0.05 * sections + 0.1 * has_note, 2))
    if b_verdict == "accept":
        return Verdict(True, "body:title", 0.7)
    intro = compact_body[:1500]
    old_era = sum(1 for s in _OLD_ERA if s.search(compact_body))
    if re.search(r"(政府)?信息公开(工作)?(的)?年度报告|信息公开年报", intro) and old_era >= 3:
        return Verdict(True, f"body:old-era ({old_era} topics)", 0.65)
    if not compact_body and (not seg or _GENERIC.match(seg)) and _URL_TOKENS.search(url):
        return Verdict(True, "url", 0.4)
    return Verdict(False, "no report signal", 0.0)
