"""Gambling / porn injection on gov pages (docs/report-format.md §9.2).

Strong terms are spam wherever they occur.  Ambiguous words (金沙, 银河, 皇冠, 快三, 竞猜, 亚洲, 成人,
久久 …) occur in real report prose (金沙县, 银河路, 成人教育, 久久为功, 知识竞猜), so they count
only next to another spam term or a gambling/porn context word.

Terms are matched on a *folded* text: full-width letters and digits as ASCII, spaces and zero-width
characters gone, Traditional spellings as Simplified, so "ｂｅｔ３６５", "百 家 乐", "百家樂" and "澳门<U+200B>葡京"
are the words they spell; spans are mapped back to the original text, so what is cut is what was written.
"""

from __future__ import annotations

import re

from crawler.model import Removed, Spam, SpamFinding

_BRANDS = [
    "bet365", "365bet", "bet0365", "188bet", "威廉希尔", "新万博", "万博体育", "万博manbetx", "manbetx", "亚博体育",
    "亚博app", "开云体育", "kaiyun", "乐鱼体育", "必发体育", "澳门葡京", "新葡京", "葡京娱乐", "太阳城娱乐", "太阳城集团",
    "威尼斯人娱乐", "澳门威尼斯人", "金沙娱乐", "澳门金沙", "永利皇宫", "永利娱乐", "澳门银河", "银河娱乐", "皇冠体育",
    "皇冠足球", "澳門賭場", "大发彩票", "大发快三", "开元棋牌", "mg电子", "ag真人",
]
_KEYWORDS = [
    "博彩", "百家乐", "真人视讯", "时时彩", "北京赛车", "PK10", "六合彩", "彩票计划", "比分直播", "1分快3",
    "快3计划", "网上赌场", "线上赌场", "赌场推荐", "赌博网站", "体育投注", "足球投注", "投注网站", "投注平台", "娱乐城",
    "棋牌app", "老虎机",
]
_PORN = ["国产精品", "一区二区", "精品视频", "菠萝视频", "无码", "av在线", "成人视频", "亚洲国产", "欧美日韩", "韩日欧美",
         "久久精品", "久久久", "成人网站", "成人影院"]
# Ambiguous words: spam only in context (see module docstring).
_AMBIGUOUS = ["金沙", "银河", "皇冠", "快三", "竞猜", "亚洲", "欧美", "成人", "久久", "投注", "棋牌", "葡京", "永利",
              "太阳城", "威尼斯人", "万博", "亚博", "开云", "乐鱼", "必发", "欧洲杯", "世界杯", "买球"]
# Words that follow an ambiguous term in spam.  Not 体育/足球/直播/在线: 金沙体育馆, 世界杯足球赛直播 and
# 成人在线教育 are real report prose.
_CONTEXT = re.compile(
    r"官网|官方网站|网址|入口|注册|登录|登陆|下载|app|APP|平台|娱乐|彩票|赌场|真人|视频|免费|买球|投注|精品|"
    r"一区|二区|国产|无码|计划|开奖|彩金|返水|提现|盘口",
)
# Enforcement prose names gambling and porn without being spam ("严厉打击网络博彩、六合彩等违法犯罪").
_LEGIT = re.compile(r"打击|查处|整治|取缔|严打|治理|涉嫌|非法|侦破|破获|专项|违法|犯罪|赌博|举报|监管|清理|扫黄|净网|禁毒")
_DECOR = r"(?:\s*[（(]中国[)）])?(?:\s*(?:官方网站|官网入口|官网|平台|app下载|APP下载|app|APP|入口|网址|登录|注册|下载|在线))*"

_STRONG = sorted(_BRANDS + _KEYWORDS + _PORN, key=len, reverse=True)
STRONG_RE = re.compile("(?:" + "|".join(re.escape(t) for t in _STRONG) + ")" + _DECOR, re.I)
_AMBIG_RE = re.compile("|".join(re.escape(t) for t in _AMBIGUOUS))
_KIND = {t.lower(): "gambling-brand" for t in _BRANDS} | {t.lower(): "gambling-keyword" for t in _KEYWORDS} | {
    t.lower(): "porn" for t in _PORN
}

# Common Traditional-only characters; on a Simplified site a high share of them means script spinning.
_TRADITIONAL = set(
    "們這個來時為對於動員區縣報從經間處機實構體條辦產計劃統類網頁電門關開發會與資國務說當請認識護範"
    "營業應總數據還進隊財權領導設諮詢傳聯繫單鄉鎮區級屬規劃佈歷議獲審執獎陳檢覈條證項優團協"
)
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL)) + "]")  # all of them are Han characters
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")
# "文(wen)章(zhang)", "政務(wù)": one pinyin syllable in brackets right after a Han character
# (a syllable, so "附件(pdf)" and "(doc)" are not annotations).
_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(](?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,3}(?:ng|n|r)?[)）]"
)


# Full-width ASCII → ASCII; spaces (ASCII, ideographic, no-break, en/em) and zero-width marks deleted;
# the Traditional characters of the lexicon's words as Simplified ("百家樂", "澳門葡京", "時時彩").
_TRAD, _SIMP = "樂娛時賽車視訊網賭場線體機門銀陽開雲亞魚發國產區頻歐韓計劃註冊錢盤貴賓", "乐娱时赛车视讯网赌场线体机门银阳开云亚鱼发国产区频欧韩计划注册钱盘贵宾"
_FOLD: dict[int, int | None] = (
    {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    | {ord(t): ord(s) for t, s in zip(_TRAD, _SIMP, strict=True)}
    | {ord(c): None for c in " \t\u3000\xa0\u2002\u2003\u2009\u200b\u200c\u200d\u2060\ufeff"}
)


def fold(text: str) -> str:
    """``text`` as the lexicon reads it (see the module docstring)."""
    return text.translate(_FOLD)


def _fold_map(text: str) -> tuple[str, list[int]]:
    """(folded text, original index of each folded character)."""
    return text.translate(_FOLD), [i for i, c in enumerate(text) if _FOLD.get(ord(c), 0) is not None]


def term_kind(term: str) -> str:
    base = STRONG_RE.match(term)
    key = term.lower()
    for t, kind in _KIND.items():
        if key.startswith(t):
            return kind
    return "gambling-keyword" if base else "spam"


def has_spam(text: str) -> bool:
    """Strong lexicon hit, or an ambiguous word in spam context, anywhere in ``text``."""
    text = fold(text)
    return bool(_strong_hits(text)) or any(_ambiguous_is_spam(text, m) for m in _AMBIG_RE.finditer(text))


def _strong_hits(text: str) -> list[re.Match[str]]:
    """Strong-lexicon matches, minus keywords (not brands) that sit in enforcement prose."""
    hits = []
    for m in STRONG_RE.finditer(text):
        if term_kind(m.group(0)) != "gambling-brand" and _LEGIT.search(text[max(0, m.start() - 10) : m.end() + 6]):
            continue
        hits.append(m)
    return hits


def _ambiguous_is_spam(text: str, m: re.Match[str]) -> bool:
    window = text[max(0, m.start() - 6) : m.end() + 8]
    if _strong_hits(window):
        return True
    after = text[m.end() : m.end() + 6]
    before = text[max(0, m.start() - 4) : m.start()]
    return bool(_CONTEXT.match(after.lstrip("_-—，, ")) or re.search(r"(?:澳门|澳門)$", before))


def _ambiguous_span(text: str, m: re.Match[str]) -> tuple[int, int]:
    """Extend an ambiguous hit over its decorations (官网, app下载 …)."""
    end = m.end()
    tail = re.match(r"(?:[\u4e00-\u9fffA-Za-z0-9]{0,6}?(?:" + _CONTEXT.pattern + r"))+", text[end:])
    if tail:
        end += tail.end()
    start = m.start()
    head = re.search(r"(?:澳门|澳門)$", text[:start])
    if head:
        start = head.start()
    return start, end


def spam_terms(text: str) -> list[str]:
    """The spam words of ``text`` as written there, each once, in order (for findings that explain)."""
    terms: list[str] = []
    for a, b, _ in spam_spans(text):
        term = text[a:b].strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def spam_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each spam token of ``line``, positions in ``line`` as written."""
    if fold(line) == line:
        return _folded_spans(line)  # nothing folded: positions are the line's own
    folded, index = _fold_map(line)
    return [(index[a], index[b - 1] + 1, k) for a, b, k in _folded_spans(folded) if b > a]


def _folded_spans(line: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = [(m.start(), m.end(), term_kind(m.group(0))) for m in _strong_hits(line)]
    for m in _AMBIG_RE.finditer(line):
        if any(a <= m.start() < b for a, b, _ in spans):
            continue
        if _ambiguous_is_spam(line, m):
            a, b = _ambiguous_span(line, m)
            spans.append((a, b, "gambling-keyword" if m.group(0) not in ("亚洲", "欧美", "成人", "久久") else "porn"))
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for a, b, k in spans:
        # two injected phrases with a short filler between them are one injection ("比分直播,篮球比分直播")
        if merged and a - merged[-1][1] <= 4 and not re.search(r"[。；;！？\n]", line[merged[-1][1] : a]):
            pa, pb, pk = merged[-1]
            merged[-1] = (pa, max(pb, b), pk)
        else:
            merged.append((a, b, k))
    return merged


_SEP = "_,，|"


def clean_lines(lines: list[str], spam: Spam, removed: list[Removed]) -> list[str]:
    """Cut spam tokens (and a separator that glued them to the real text) out of each line."""
    joined = fold("\n".join(lines))
    if not STRONG_RE.search(joined) and not _AMBIG_RE.search(joined):
        return lines  # the common case, decided by two C-level scans
    out = []
    for line in lines:
        spans = spam_spans(line)
        if not spans:
            out.append(line)
            continue
        pieces, pos = [], 0
        for a, b, kind in spans:
            token = line[a:b].strip()
            add_finding(spam, token, kind)
            removed.append(Removed(token, "spam"))
            pieces.append(line[pos:a])
            pos = b
            if pos < len(line) and line[pos] in _SEP and (a == 0 or line[a - 1] in _SEP + " "):
                pos += 1
        pieces.append(line[pos:])
        cleaned = "".join(pieces).strip()
        if cleaned:
            out.append(cleaned)
    return out


def strip_tokens(text: str) -> str:
    """``text`` without spam tokens (for table cells; findings come from the text lines)."""
    for a, b, _ in reversed(spam_spans(text)):
        text = text[:a] + text[b:]
    return text.strip()


def clean_title(title: str, spam: Spam) -> str:
    """Drop injected title segments ("亚洲国产成人精品…_韩日欧美一区_真标题") and brand tokens."""
    segments = re.split(r"[_|]|,(?=\S)", title)
    if len(segments) > 1:
        kept = [s for s in segments if not has_spam(s)]
        dropped = [s for s in segments if has_spam(s)]
        if dropped and kept:
            add_finding(spam, "_".join(dropped), "title-prefix")
            title = "_".join(kept)
    spans = spam_spans(title)
    for a, b, kind in reversed(spans):
        add_finding(spam, title[a:b].strip(), kind)
        title = title[:a] + title[b:]
    return re.sub(r"\s+", " ", title).strip(" _-—,，")


def script_spinning(text: str, spam: Spam) -> str:
    """Flag Traditional-script and pinyin-annotation spinning; strip the pinyin annotations."""
    hits = _PINYIN.findall(text)
    if len(hits) >= 3:
        add_finding(spam, "".join(hits[:5]), "pinyin-spinning")
        text = _PINYIN.sub("", text)
    # the Han characters alone, by deleting the runs between them (fewer matches than one per character)
    han = _NOT_HAN.sub("", text[:50000])
    if len(han) >= 100:
        trad = len(_TRADITIONAL_RE.findall(han))
        if trad / len(han) > 0.03:
            add_finding(spam, f"traditional-script {trad}/{len(han)}", "traditional-script")
    return text


def add_finding(spam: Spam, text: str, kind: str) -> None:
    spam.detected = True
    if not any(f.text == text and f.kind == kind for f in spam.findings):
        spam.findings.append(SpamFinding(text, kind))
