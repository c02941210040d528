"""Line-level chrome filter shared by the HTML and the text paths.

Two kinds of rules: *fragment* rules are specific enough to cut out of any line (ICP numbers,
网站标识码, 扫一扫…); *line* rules (bylines, breadcrumbs, link lists) only ever take a whole short
line, because the same words occur in report prose.  A line whose remainder after cutting is
empty or bare punctuation goes whole; otherwise only the fragment goes.  Every cut is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.model import Removed, SiteIdentity

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
ICP_RE = re.compile(rf"(?:ICP备案(?:号|编号)?[:：]?\s*)?[{PROVINCES}]ICP备(?:字)?\s*\d{{6,10}}号?(?:\s*-\s*\d+)?")
POLICE_RE = re.compile(r"[\u4e00-\u9fff]{1,2}公网安备\s*(\d{14})号?")
SITE_ID_RE = re.compile(r"(?:政府)?网站标识码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})")
_DATE = r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
DATE_RE = re.compile(_DATE)

# Fragment rules: safe to cut from a long line.
_FRAGMENT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("icp", ICP_RE),
    ("police-record", re.compile(r"[\u4e00-\u9fff]{1,2}公网安备\s*\d{14}号?")),
    ("site-id", SITE_ID_RE),
    ("copyright", re.compile(r"(?:Copyright\s*)?(?:©|\(c\)|（c）)?\s*版权所有\s*[:：©]?\s*(?:©\s*)?[^\s|]{0,40}", re.I)),
    ("sponsor", re.compile(r"(?:主办单位|承办单位|主办|承办|技术支持|维护单位|运维单位|网站维护|建设单位)\s*[:：]\s*[^\s|]{0,40}")),
    ("sponsor", re.compile(r"Produced\s+By\s+大汉网络(?:\s*大汉版通发布系统)?", re.I)),
    ("scan-qr", re.compile(r"(?:【|\[)?(?:扫一扫在手机(?:上)?(?:打开|查看)(?:当前页面?|本页)?|手机扫描二维码[^\s|]{0,10}|扫一扫)(?:】|\])?")),
    ("font-size", re.compile(r"(?:【|\[)?(?:字体|字号)(?:显示)?\s*[:：]\s*(?:\[?\s*[大中小]\s*\]?\s*){0,3}(?:】|\])?")),
    ("font-size", re.compile(r"(?:【|\[)?(?:视力保护色|护眼模式)\s*[:：]?(?:】|\])?")),
    ("print-close", re.compile(r"(?:【|\[)?(?:打印本页|打印此页|打印正文|打印文章|关闭窗口|关闭本页|收藏本页|加入收藏|我要纠错)(?:】|\])?")),
    ("print-close", re.compile(r"【\s*(?:打印|关闭|收藏|纠错)\s*】|\[\s*(?:打印|关闭|收藏)\s*\]")),
    ("share", re.compile(r"(?:【|\[)?分享到\s*[:：]?(?:】|\])?")),
    ("view-count", re.compile(r"(?:浏览次数|点击数|点击量|点击次数|阅读次数|阅读量|浏览量|访问次数|访问量|累计次数)\s*[:：]\s*\d*\s*次?")),
    ("editor", re.compile(r"[（(\[【]?\s*责任编辑\s*[:：]\s*[\u4e00-\u9fff·]{0,8}\s*[）)\]】]?")),
    ("tools", re.compile(r"(?:【|\[)?听全文(?:】|\])?")),
]

# Cheap pre-check: the fragment rules only run on lines holding one of these words.
_TRIGGER = re.compile(
    r"ICP|icp|公网安备|标识码|版权|主办|承办|技术支持|维护|运维|建设单位|Produced|扫一扫|二维码|字体|字号|视力|护眼|打印|关闭|收藏|"
    r"纠错|分享|次数|点击|阅读|浏览|访问|编辑|听全文"
)
_BYLINE_FIELD = (
    r"(?:发布时间|发布日期|公开日期|发文日期|成文日期|生成日期|日期|时间|来源|信息来源|文章来源|作者|发布机构|发文机关|"
    r"信息索引号|索引号|文号|发文字号|主题分类|组配分类|分类|体裁分类|有效性|时效|关键词|浏览|信息名称|名称|内容概述|"
    r"公开方式|公开范围|公开时限|所属机构|信息索引|字体显示)"
)
_BYLINE_LINE = re.compile(rf"^(?:{_BYLINE_FIELD}\s*[:：]\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?|[^:：]){{0,60}}?\s*)+$")
_LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("byline", _BYLINE_LINE),
    ("byline", re.compile(rf"^{_DATE}$")),
    ("prev-next", re.compile(r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]?.{0,80}$")),
    ("related", re.compile(r"^(?:相关链接|相关附件|相关新闻|相关文件|相关解读|相关阅读|相关稿件|相关信息|相关政策|附件下载)\s*[:：]?$")),
    ("breadcrumb", re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|当前所在位置|位置)\s*[:：].{0,80}$")),
    ("breadcrumb", re.compile(r"^首页\s*(?:[>＞»›/]\s*[^>＞»›/]{1,20}\s*){1,8}$")),
    ("link-list", re.compile(r"^(?:关注\s*[·•]\s*)?[^，。；、,;:：]{0,14}(?:网站|政府网|门户网|政务网)$")),
    ("link-list", re.compile(r"^(?:网站地图|联系我们|网站声明|隐私声明|免责声明|使用帮助|无障碍(?:浏览)?|关怀版|长者模式|繁體|简体|"
                             r"English|网站支持IPv6|返回顶部|返回首页|设为首页|加入收藏|智能问答)(?:\s*[|｜·•/]\s*\S{1,8})*$")),
]
# The date under a report's signing agency ("2018年12月7日"): no time of day, written in 年月日.
_SIGNATURE_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_PUNCT_ONLY = re.compile(r"^[\s\-—–•·|｜/\\:：,，.。;；*#>＞»()（）\[\]【】_~!！?？]*$")


@dataclass
class Harvest:
    """Metadata read off chrome before it is cut."""

    site: SiteIdentity = field(default_factory=SiteIdentity)
    published: str | None = None
    source: str | None = None  # 来源 / 发布机构
    title: str | None = None
    signed: str | None = None  # the signature date (落款) at the end of the body, kept in the text


def harvest_identity(text: str, site: SiteIdentity) -> None:
    """ICP / 公网安备 / 网站标识码 found anywhere on the page (footer included)."""
    if not site.icp and (m := ICP_RE.search(text)):
        site.icp = re.sub(r"^ICP备案(?:号|编号)?[:：]?\s*", "", m.group(0)).replace(" ", "")
    if not site.police and (m := POLICE_RE.search(text)):
        site.police = m.group(1)
    if not site.id_code and (m := SITE_ID_RE.search(text)):
        site.id_code = m.group(1)
    if not site.name and (m := re.search(r"版权所有\s*[:：]?\s*([\u4e00-\u9fff]{2,30})", text)):
        site.name = m.group(1)


def iso_date(raw: str) -> str | None:
    m = re.search(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})", raw)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def harvest_byline(line: str, harvest: Harvest) -> None:
    """发布时间 / 来源 / 发布机构 values from a byline (first one wins)."""
    # a whole field name: "采集时间" (a crawler's capture time) is not "时间"
    m = re.search(rf"(?<![\u4e00-\u9fff])(?:发布时间|发布日期|公开日期|发文日期|生成日期|日期|时间)\s*[:：]\s*({_DATE})", line)
    if m and not harvest.published:
        harvest.published = iso_date(m.group(1))
    m = re.search(r"(?:发布机构|信息来源|文章来源|来源|发文机关|所属机构)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})", line)
    if m and not harvest.source:
        harvest.source = m.group(1)


_BULLET = re.compile(r"^[\s•·●◆■▪\-—*]+")


def filter_lines(lines: list[str], removed: list[Removed], harvest: Harvest) -> list[str]:
    """Drop chrome lines, cut chrome fragments out of body lines, record each removal."""
    kept: list[str] = []
    for raw in lines:
        line = _BULLET.sub("", raw).strip() if _BULLET.match(raw) else raw.strip()
        if not line or _PUNCT_ONLY.match(line):
            if raw.strip():
                removed.append(Removed(raw.strip(), "decoration"))
            continue
        reason = _whole_line_reason(line, bool(kept), harvest)
        if reason:
            removed.append(Removed(line, reason))
            continue
        cuts = _fragment_cuts(line)
        remainder = _cut_fragments(line, cuts, removed, harvest) if cuts else line
        if remainder is not None:
            kept.append(remainder)
    return kept


def _whole_line_reason(line: str, body_began: bool, harvest: Harvest) -> str | None:
    """Why the whole line is chrome (None: it is not); a byline's fields go to ``harvest``."""
    reason = _line_rule(line)
    if reason != "byline":
        return reason
    if body_began and _SIGNATURE_DATE.fullmatch(line):
        # after the body began, a bare 年月日 date is the signature (落款), not a byline
        harvest.signed = iso_date(line) or harvest.signed
        return None
    harvest_byline(line, harvest)
    if DATE_RE.fullmatch(line) and not harvest.published:
        harvest.published = iso_date(line)
    return reason


def _fragment_cuts(line: str) -> list[tuple[int, int, str]]:
    """Non-overlapping chrome fragments of ``line`` (start, end, reason), in order of position."""
    cuts: list[tuple[int, int, str]] = []
    for rule_reason, pattern in _FRAGMENT_RULES if _TRIGGER.search(line) else ():
        for m in pattern.finditer(line):
            if m.group(0).strip() and not any(a < m.end() and m.start() < b for a, b, _ in cuts):
                cuts.append((m.start(), m.end(), rule_reason))
    cuts.sort()
    return cuts


def _cut_fragments(
    line: str, cuts: list[tuple[int, int, str]], removed: list[Removed], harvest: Harvest
) -> str | None:
    """``line`` without its chrome fragments, or None when what is left is chrome too."""
    rest, pos = [], 0
    for a, b, _ in cuts:
        rest.append(line[pos:a])
        pos = b
    rest.append(line[pos:])
    remainder = " ".join(p.strip() for p in rest if p.strip())
    if _PUNCT_ONLY.match(remainder) or _line_rule(remainder) or _chrome_tail(remainder):
        harvest_byline(line, harvest)
        removed.append(Removed(line, cuts[0][2]))
        return None
    for a, b, rule_reason in cuts:
        removed.append(Removed(line[a:b].strip(), rule_reason))
    return remainder


_LINE_TRIGGER = re.compile(r"[:：>＞»]|上一|下一|相关|首页|\d{4}-")


def _line_rule(line: str) -> str | None:
    if len(line) > 120 or (len(line) > 20 and not _LINE_TRIGGER.search(line)):
        return None
    for reason, pattern in _LINE_RULES:
        if pattern.match(line):
            return reason
    return None


def _chrome_tail(remainder: str) -> bool:
    """What is left of a footer line after the cuts: short field labels and addresses, no prose."""
    if len(remainder) > 60 or "。" in remainder:
        return False
    parts = [p for p in re.split(r"[\s|｜]+", remainder) if p]
    return all(
        re.match(r"^(?:地址|邮编|电话|联系电话|传真|网站地图|联系我们|E-?mail|邮箱)[:：]", p, re.I)
        or _line_rule(p)
        or _PUNCT_ONLY.match(p)
        for p in parts
    )
