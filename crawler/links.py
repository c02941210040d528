"""Link scoring and scope helpers for the focused crawl (pure: text in, values out).

The spider asks three questions of every link on a page: is it in the agency's scope, what kind of
link is it (a report, an attachment, a list page, a way towards the disclosure column, or noise),
and how promising is it. The answers come from anchor text and URL tokens only; report text is
never parsed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from crawler.classify import companion_anchor
from crawler.handoff import LinkKind
from crawler.scope import is_gov_host as is_gov_host  # the one rule for hosts (crawler.scope)

# Anchor-text tokens, weighted by how strongly they point towards the 年报 column.
_TEXT_TOKENS: tuple[tuple[str, float], ...] = (
    ("政府信息公开年报", 60),
    ("政府信息公开年度报告", 60),
    ("信息公开工作年度报告", 60),
    ("信息公开年报", 55),
    ("公开年报", 50),
    ("年度报告", 40),
    ("年报", 35),
    ("政府信息公开", 30),
    ("信息公开目录", 28),
    ("法定主动公开", 25),
    ("信息公开", 22),
    ("政务公开", 18),
    ("公开目录", 15),
    ("主动公开", 10),
    # A site map links every column: the way to a 年报 column that no menu shows, taken last.
    ("网站地图", 12),
)
# URL path tokens seen on real portals (report-format.md §7.2).
_URL_TOKENS: tuple[tuple[str, float], ...] = (
    ("zfxxgknb", 45),
    ("xxgknb", 40),
    ("gknb", 35),
    ("zfxxgkndbg", 45),
    ("ndbg", 25),
    ("annualreport", 35),
    ("nb", 4),
    ("zfxxgk", 20),
    ("xxgk", 15),
    ("gkml", 12),
    ("gkmlpt", 12),
    ("zwgk", 10),
    ("gongkai", 10),
    ("openness", 10),
)
# Columns and pages that never lead to reports: keep the crawl from wandering.
_NOISE_TEXT = re.compile(
    r"新闻|动态|要闻|图片|视频|专题|互动|留言|信箱|访谈|征集|调查|办事|服务|招聘|招考|English|登录|注册|"
    r"无障碍|关怀版|长者|繁體|联系我们|搜索|日历|RSS|下载中心"
)
_NOISE_URL = re.compile(
    r"/(?:search|so|calendar|rili|login|register|rss|english|en)(?:/|\b)|[?&](?:q|keyword|kw|searchword|date)=",
    re.IGNORECASE,
)
_ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|rtf|xlsx?|ofd)(?:$|[?#])", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3}年")
_BARE_REPORT = re.compile(r"(?:19|20)\d{2}\s*年?\s*度?\s*(?:工作)?(?:年度报告|年报)\s*$")
_LEAF_TEXT = re.compile(r"指南|制度|规定|办法|流程|申请|须知")
_TITLE_LENGTH = 15  # characters: column names are shorter, document titles longer
_YEAR_ONLY = re.compile(r"^\s*(?:19|20)\d{2}\s*(?:年|年度)?\s*$")
_REPORT_WORDS = re.compile(r"年度报告|年报|年度工作报告|工作报告")
_DISCLOSURE_WORDS = re.compile(r"信息公开|政务公开|政府公开")
_PAGER_TEXT = re.compile(
    r"^\s*(?:下一页|下页|后页|>|››|»|尾页|末页|\d{1,3}|更多|加载更多|more)\s*$", re.IGNORECASE
)
_PAGER_URL = re.compile(
    r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageNo|pageNum|pageIndex|currPage|cur_page|pn)=\d+",
    re.IGNORECASE,
)
# Article (document) URLs of the common gov CMSs: such a page is one document, never a list.
_ARTICLE_URL = re.compile(
    r"/t\d{8}_\d+\.s?html?$|/content_\d+\.s?html?$|/art_\d+_\d+\.html$|/post_\d+\.html$|"
    r"/\d{4}-\d{2}/\d{2}/[^/]+\.s?html?$|/doc_[\w-]+\.html$|/info/\d+/\d+\.htm$|/[0-9a-f]{32}\.s?html?$|"
    r"[?&](?:id|docid|articleId|infoid)=\w+",
    re.IGNORECASE,
)
_SOFT_404 = re.compile(
    r"页面不存在|找不到页面|页面未找到|404\s*Not\s*Found|您访问的页面不存在|无法找到该页|页面已删除"
)

# The kinds of link, defined once (crawler.handoff.LinkKind); these names keep ``L.REPORT`` working.
REPORT = LinkKind.REPORT
ATTACHMENT = LinkKind.ATTACHMENT
LIST = LinkKind.LIST
NAV = LinkKind.NAV
PAGER = LinkKind.PAGER
IGNORE = LinkKind.IGNORE


@dataclass(frozen=True)
class LinkInfo:
    url: str
    text: str
    kind: str
    score: float


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def default_domains(url: str) -> tuple[str, ...]:
    host = host_of(url)
    return (host,) if host else ()


def in_scope(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """A URL is in scope when its host is one of the agency's domains or a subdomain of one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    host = (parts.hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in (d.lower().lstrip(".") for d in domains))


def text_score(text: str) -> float:
    clean = re.sub(r"\s+", "", text)
    return max((w for token, w in _TEXT_TOKENS if token in clean), default=0.0)


def url_score(url: str) -> float:
    path = urlsplit(url).path.lower()
    segments = re.split(r"[/_.\-]", path)
    best = 0.0
    for token, weight in _URL_TOKENS:
        if token == "nb":
            if any(re.fullmatch(r"(?:\d{4})?nb(?:\d{4})?", s) for s in segments):
                best = max(best, weight)
        elif token in path:
            best = max(best, weight)
    return best


def looks_like_report_title(text: str) -> bool:
    """Anchor text that names one annual report: a year, disclosure words and report words.

    Column names ("政府信息公开年报") carry no year: they are lists, not reports.
    """
    clean = re.sub(r"\s+", "", text)
    if not _REPORT_WORDS.search(clean) or not _YEAR.search(clean):
        return False
    return bool(_DISCLOSURE_WORDS.search(clean)) or "年报" in clean


def is_article_url(url: str) -> bool:
    """URLs shaped like one CMS document (``t20220120_123.html``, ``art_1_2.html``, ``post_3.html`` …)."""
    return bool(_ARTICLE_URL.search(url))


_FOLDER_URL = re.compile(r"/(?:(?:index|list|default)(?:_\d+)?\.(?:s?html?|jsp|aspx?|php))?$", re.IGNORECASE)


def is_folder_url(url: str) -> bool:
    """A column or folder URL (``/xxgk/gknb/2019/``, ``…/index.html``, ``index_2.shtml``): a page
    that lists documents, never one document itself."""
    return not is_article_url(url) and bool(_FOLDER_URL.search(urlsplit(url).path or "/"))


def is_attachment_url(url: str) -> bool:
    return rendering_format(url) is not None


# How much of a report each file format keeps: Word and Excel files hold the table cells themselves,
# a PDF only their drawing (the reader rebuilds the grid from ruling lines), the older binary and
# the layout formats least. The best rendering of a report is fetched, read and archived first.
_RENDERING_RANK = {"docx": 0, "xlsx": 0, "pdf": 1, "doc": 2, "xls": 2, "rtf": 2, "wps": 3, "ofd": 3}
_FILE_NAME_TEXT = re.compile(r"^(.*\S)\s*\.(pdf|docx?|wps|rtf|xlsx?|ofd)\s*$", re.IGNORECASE)


def rendering_format(url: str) -> str | None:
    """The file format a URL's path names (``pdf``, ``docx`` …), or None."""
    parts = urlsplit(url)
    found = _ATTACHMENT_EXT.search(parts.path + ("?" if parts.query else ""))
    return found.group(1).lower() if found else None


def renderings(links: list[tuple[str, str]]) -> list[list[int]]:
    """Group the links (url, anchor text) of one page that are one document in several formats.

    Two files are renderings of one document when their URLs differ only in the extension
    (``/upload/a1b2.docx``, ``/upload/a1b2.pdf``) or their anchor texts name the same file in two
    formats (``2023年报.docx``, ``2023年报.pdf``); a group never holds one format twice. Returns
    every link's index exactly once: groups in the page order of their first link, each best
    rendering first (``_RENDERING_RANK``, then page order). Links that are not files stand alone.
    """
    groups: list[list[int]] = []
    formats: list[set[str]] = []
    by_key: dict[str, int] = {}
    fmts = [rendering_format(url) for url, _ in links]
    for index, (url, text) in enumerate(links):
        fmt = fmts[index]
        if fmt is None:
            groups.append([index])
            formats.append(set())
            continue
        parts = urlsplit(url)
        keys = ["u|" + parts.netloc.lower() + parts.path[: parts.path.lower().rfind("." + fmt)]]
        named = _FILE_NAME_TEXT.match(text or "")
        if named:
            keys.append("t|" + re.sub(r"\s+", "", named.group(1)))
        group = next((by_key[k] for k in keys if k in by_key and fmt not in formats[by_key[k]]), None)
        if group is None:
            group = len(groups)
            groups.append([])
            formats.append(set())
        groups[group].append(index)
        formats[group].add(fmt)
        for key in keys:
            by_key.setdefault(key, group)
    return [sorted(g, key=lambda i: (_RENDERING_RANK.get(fmts[i] or "", 9), i)) for g in groups]


def rendering_chains(found: list[LinkInfo]) -> dict[int, list[LinkInfo]]:
    """Index of each link to follow now → the other formats of its document, to fetch after it one
    by one, best first (``renderings``). Links left out wait in a chain; links to report pages or
    files only are grouped."""
    files = [i for i, f in enumerate(found) if f.kind in (REPORT, ATTACHMENT)]
    chains: dict[int, list[LinkInfo]] = {i: [] for i, f in enumerate(found) if f.kind not in (REPORT, ATTACHMENT)}
    for group in renderings([(found[i].url, found[i].text) for i in files]):
        chains[files[group[0]]] = [found[files[i]] for i in group[1:]]
    return chains


@lru_cache(maxsize=4096)  # a site's navigation repeats on every one of its pages
def classify_link(
    url: str, text: str, *, on_list_page: bool = False, on_report_page: bool = False
) -> LinkInfo:
    """Decide what a link is and how promising it is for finding reports: a file, then a link whose
    text or URL names one document (or a pager or year folder of a list), then a column by its score.
    A link to a document viewer is a link to the file it shows (``LinkInfo.url`` is the file's)."""
    url = viewer_file(url) or url
    text = re.sub(r"\s+", " ", text or "").strip()
    ts = text_score(text)
    if is_attachment_url(url):
        # Attachments matter on report pages (the report may live only in the PDF) and in 年报
        # lists; elsewhere only when the link text itself names a report.
        if on_report_page or looks_like_report_title(text) or (on_list_page and _YEAR.search(text)):
            return LinkInfo(url, text, ATTACHMENT, 90 + ts / 10)
        return LinkInfo(url, text, IGNORE, 0)
    return _named_link(url, text, ts, on_list_page) or _column_link(url, text, ts, url_score(url))


def _named_link(url: str, text: str, ts: float, on_list_page: bool) -> LinkInfo | None:
    """A report, a single document, or a list's pager or year folder; None for anything else."""
    if companion_anchor(text):
        # a companion or notice filed beside the reports (文字解读, 编制发布工作的通知): never one
        return LinkInfo(url, text, IGNORE, 0)
    if looks_like_report_title(text):
        return LinkInfo(url, text, REPORT, 100 + ts / 10)
    if on_list_page and _BARE_REPORT.search(text) and not is_folder_url(url):
        # On a 年报 list the items need not repeat the column's words: "2021年度报告" is one (but
        # "2020年法治政府建设年度报告", a topic between year and report, is another report).
        return LinkInfo(url, text, REPORT, 96)
    if is_article_url(url):
        # A single document: a report when its anchor names one even without a year, else noise
        # (工作要点, 决算 … filed in the same column inherit its URL tokens).
        if _REPORT_WORDS.search(text.replace(" ", "")) and (_DISCLOSURE_WORDS.search(text) or "年报" in text):
            return LinkInfo(url, text, REPORT, 95)
        return LinkInfo(url, text, IGNORE, 0)
    clean = text.replace(" ", "")
    if _YEAR.search(clean) and _REPORT_WORDS.search(clean) and not _BARE_REPORT.search(clean):
        # A dated report of another kind ("2021年法治政府建设年度报告", "2022年度部门决算工作报告"):
        # one document the 年报 column files beside its reports, not a column to open.
        return LinkInfo(url, text, IGNORE, 0)
    if on_list_page and (_PAGER_TEXT.match(text) or _PAGER_URL.search(url)):
        return LinkInfo(url, text, PAGER, 80)
    if on_list_page and _YEAR_ONLY.match(text) and not _NOISE_URL.search(url):
        # A 年报 list of year folders or year tabs ("2023年" → /xxgk/gknb/2023/): each a list.
        return LinkInfo(url, text, LIST, 70)
    return None


def _column_link(url: str, text: str, ts: float, us: float) -> LinkInfo:
    """A way towards the 年报 column (a list or navigation) by its text and URL scores, or noise."""
    if _NOISE_URL.search(url) or (_NOISE_TEXT.search(text) and ts < 30):
        return LinkInfo(url, text, IGNORE, 0)
    if len(text) >= _TITLE_LENGTH and ts < 22:
        # A sentence, not a column name ("关于印发……权责清单的通知"): a document of no interest.
        return LinkInfo(url, text, IGNORE, 0)
    score = max(ts, us * 0.8) + min(ts, us) * 0.2
    if ts < 35 and _LEAF_TEXT.search(text):
        # 政府信息公开指南 / 制度 / 依申请公开: pages about disclosure, never lists of reports; the
        # weakest way on, tried last (crawler.weaknav)
        score = min(score, 10)
    if score >= 30 and (ts >= 35 or us >= 35):
        return LinkInfo(url, text, LIST, 50 + score / 2)
    if score >= 10:
        return LinkInfo(url, text, NAV, score)
    return LinkInfo(url, text, IGNORE, 0)


_SITE_MAP_TEXT = re.compile(r"网站地图|站点地图|网站导航|sitemap|site\s*map", re.IGNORECASE)
_SITE_MAP_URL = re.compile(r"/(?:sitemap|site_?map|wzdt|webmap)(?:/|\.s?html?$|\.jsp$|$)", re.IGNORECASE)


def is_site_map(url: str, text: str) -> bool:
    """A site map (网站地图: ``/sitemap.html``, Hanweb's ``/wzdt/``): one page linking every column."""
    return bool(_SITE_MAP_TEXT.search(text or "") or _SITE_MAP_URL.search(urlsplit(url).path or ""))


_MORE_TEXT = re.compile(r"^\s*(?:更多|查看更多|more|MORE|More)?\s*(?:>>|>|»|＞＞|\.\.\.)?\s*$")


def is_more_text(text: str) -> bool:
    """"更多>>", "more", "»": a link that names nothing but its block."""
    return bool(text.strip()) and bool(_MORE_TEXT.match(text))


def more_link(url: str, context: str) -> LinkInfo | None:
    """A "更多" link whose block is a 年报 column: named so by its heading or tab (``context``, the
    block's text), or by report titles among the items it shows. None when the block says neither."""
    if is_article_url(url) or is_attachment_url(url):
        return None
    named = text_score(context) >= 35 and not _NOISE_TEXT.search(context[:20])
    if named or looks_like_report_title(context):
        return LinkInfo(url, "更多", LIST, 50 + max(text_score(context), 35) / 2)
    return None


def is_soft_404(status: int, title: str, text_head: str) -> bool:
    """HTTP 200 pages that say the page does not exist."""
    return status == 200 and bool(_SOFT_404.search(title or "") or _SOFT_404.search((text_head or "")[:400]))


_JS_URL = re.compile(
    r"""(?:window\.open|location\.href\s*=|openFile|downLoad\w*)\s*\(?\s*['"]([^'"]+)['"]""", re.IGNORECASE
)
_VIEWER_FILE = re.compile(r"[?&](?:file|url|src)=([^&#]+)", re.IGNORECASE)


def viewer_file(url: str, base_url: str = "") -> str | None:
    """The file a document viewer shows, from its ``?file=`` (``url=``, ``src=``) parameter: pdf.js
    (``/pdfjs/web/viewer.html?file=%2Fupload%2F2023.pdf``; the real Pingtan report page embeds
    ``/generic2/web/viewer.html?file=…``), whether it is linked, framed or opened by a handler.
    The file is the report; the viewer page around it is chrome. None when it names no file."""
    from urllib.parse import unquote

    m = _VIEWER_FILE.search(url or "")
    if not m or not is_attachment_url(unquote(m.group(1))):
        return None
    return urljoin(base_url or url, unquote(m.group(1)))


def script_links(attr_values: list[str], base_url: str) -> list[str]:
    """URLs hidden in ``onclick``/``window.open`` handlers and PDF-viewer ``?file=`` parameters."""
    out: list[str] = []
    for value in attr_values:
        for m in _JS_URL.finditer(value or ""):
            out.append(urljoin(base_url, m.group(1)))
        if (shown := viewer_file(value or "", base_url)) is not None:
            out.append(shown)
    return out


# The first quoted argument of a call that looks like a link: ``openArticle('/art/1.html')``,
# ``goDetail('../info/3/9.htm', this)``, ``window.open('t2023_1.html','_blank')``.
_HANDLER_URL = re.compile(
    r"""\(\s*['"]((?:https?://|/|\.{1,2}/)[^'"\s]*|[\w\-./]+\.(?:s?html?|jsp|do|aspx?|php|pdf|docx?|xlsx?|wps|ofd|rtf))['"]"""
)
_URL_ATTR = re.compile(r"^data-[\w-]*(?:href|url|link|path)$", re.IGNORECASE)


def handler_url(handler: str) -> str | None:
    """The link an ``onclick`` handler opens, as written (relative), or None."""
    m = _HANDLER_URL.search(handler or "")
    return m.group(1) if m else None


def is_url_attribute(name: str) -> bool:
    """``data-href``, ``data-url``, ``data-link`` …: attributes a list script turns into a link."""
    return bool(_URL_ATTR.match(name))


_TRAP_QUERY = re.compile(r"[?&](?:t|_|rnd|random|timestamp|ts)=\d{5,}", re.IGNORECASE)


def is_trap_url(url: str) -> bool:
    """URLs that never end: search results, calendars, cache-busting query strings, path loops."""
    if len(url) > 500 or _NOISE_URL.search(url) or _TRAP_QUERY.search(url):
        return True
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return any(segments.count(s) >= 3 for s in set(segments))
