"""Page chrome and the parts every simulated site shares.

``SiteKit`` renders pages the way gov.cn CMSs do (nav, breadcrumb, byline with a live 浏览次数,
font-size tools, QR hint, prev/next, footer with 网站标识码/ICP/公网安备, gov meta tags) and
registers them in the ``Web``. ``build_common`` adds the furniture around the 年报 column: home
page, robots.txt, an endless search trap, a news column, and the 政府信息公开 hub with its
neighbouring columns (指南, 制度, 法定主动公开内容, 财政预决算 with a 部门决算 confusable).
"""

from __future__ import annotations

import html
import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

from tests.portal.model import COUNTER, Confusable, Page, Response, Web
from tests.portal.reportgen import Doc, Heading, is_table
from tests.portal.tables import to_html

esc = html.escape


@dataclass
class SiteStyle:
    host: str
    agency: str  # full agency name (seed CSV)
    region: str
    level: str
    cms: str = "trs"  # trs | hanweb | ucap | generic
    ext: str = ".html"
    encoding: str = "utf-8"
    counter: str = "server"  # server: number in the HTML (no validators) | js: static bytes + JS
    site_name: str = ""
    id_code: str = "0000000000"
    icp: str = "京ICP备00000000号"
    police: str = "京公网安备 11000002000001号"
    copyright: str = ""
    sponsor: str = ""
    nav_gk: str = "政务公开"  # nav link to the disclosure hub
    hub_title: str = "政府信息公开"
    footer_links: list[str] = field(default_factory=list)
    extra_tools: str = ""  # site-specific article tools (e.g. 听全文 / 分享到)
    extra_after: str = ""  # site-specific blocks under the article (e.g. 相关附件)

    def __post_init__(self) -> None:
        self.site_name = self.site_name or self.agency
        self.copyright = self.copyright or self.agency
        self.sponsor = self.sponsor or self.agency


_CONTAINERS = {
    "trs": ('<div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_web">', "</div>"),
    "hanweb": ('<div id="zoom">', "</div>"),
    "ucap": ('<div id="UCAP-CONTENT" class="ucap-content">', "</div>"),
    "generic": ('<div class="article-content">', "</div>"),
}


def doc_html(doc: Doc) -> str:
    parts = []
    for block in doc.blocks:
        if is_table(block):
            parts.append(to_html(block))  # type: ignore[arg-type]
        elif isinstance(block, Heading):
            parts.append(f'<p style="text-indent:2em"><strong>{esc(block.text)}</strong></p>')
        else:
            parts.append(f'<p style="text-indent:2em">{esc(str(block))}</p>')
    return "\n".join(parts)


def doc_blocks(doc: Doc) -> list[str | list[list[str]]]:
    """Blocks for tests/docgen.py: headings and paragraphs as str, tables as grids."""
    from tests.portal.tables import to_grid

    out: list[str | list[list[str]]] = []
    for block in doc.blocks:
        if is_table(block):
            out.append(to_grid(block))  # type: ignore[arg-type]
        else:
            out.append(block.text if isinstance(block, Heading) else str(block))
    return out


class SiteKit:
    def __init__(self, web: Web, style: SiteStyle, rng: random.Random) -> None:
        self.web, self.s, self.rng = web, style, rng
        self.next_id = rng.randint(1000000, 4000000)

    # ------------------------------------------------------------------------------ basics
    def url(self, path: str) -> str:
        return f"http://{self.s.host}{path}"

    def new_id(self) -> int:
        self.next_id += self.rng.randint(3, 400)
        return self.next_id

    def article_path(self, column_dir: str, when: datetime, ext: str | None = None) -> str:
        ext = ext or self.s.ext
        if self.s.cms == "hanweb":
            return f"/art/{when.year}/{when.month}/{when.day}/art_123_{self.new_id() % 90000 + 10000}.html"
        if self.s.cms in ("ucap", "generic"):
            return f"{column_dir}{when:%Y-%m}/{when:%d}/content_{self.new_id()}{ext}"
        return f"{column_dir}{when:%Y%m}/t{when:%Y%m%d}_{self.new_id()}{ext}"

    def add(self, path: str, text: str, *, when: datetime | None = None, status: int = 200,
            delay_state: str | None = None) -> Page:
        validators = self.s.counter == "js" and COUNTER not in text
        charset = "" if self.s.encoding != "utf-8" else "; charset=utf-8"  # GBK sites omit it
        page = Page(content_type="text/html" + charset, text=text, encoding=self.s.encoding, status=status,
                    validators=validators, last_modified=when or datetime(2025, 3, 1, 8, 0), delay_state=delay_state)
        self._register(path, page)
        return page

    def add_bytes(self, path: str, content_type: str, body: bytes | None = None, lazy=None,
                  when: datetime | None = None) -> Page:
        page = Page(content_type=content_type, body=body, lazy=lazy, validators=True,
                    last_modified=when or datetime(2025, 3, 1, 8, 0))
        self._register(path, page)
        return page

    def _register(self, path: str, page: Page) -> None:
        key = (self.s.host, path)
        if key in self.web.pages:  # two documents on one URL would silently corrupt the ground truth
            raise ValueError(f"portal: {self.s.host}{path} registered twice")
        self.web.pages[key] = page

    # ------------------------------------------------------------------------------ chrome
    def _head(self, title: str, meta: dict[str, str] | None, extra: str) -> str:
        if self.s.encoding != "utf-8":
            charset = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        else:
            charset = '<meta charset="utf-8">'
        metas = "".join(f'<meta name="{k}" content="{esc(v)}">\n' for k, v in (meta or {}).items())
        return (f"<!DOCTYPE html>\n<html>\n<head>\n{charset}\n<title>{esc(title)}</title>\n{metas}"
                f'<link rel="stylesheet" href="/images/style.css">\n{extra}</head>\n')

    def _header(self) -> str:
        s = self.s
        nav = [("首页", "/"), (s.nav_gk, self.hub_path), ("新闻动态", self.news_path),
               ("办事服务", "/bsfw/"), ("互动交流", "/hdjl/"), ("专题专栏", "/ztzl/")]
        links = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in nav)
        return (f'<div class="topbar"><span>欢迎访问{esc(s.site_name)}</span> <a href="#">无障碍</a> '
                f'<a href="#">关怀版</a> <a href="#">繁體</a> '
                f'<form action="/search/" method="get"><input name="q"><button>搜索</button></form></div>\n'
                f'<div class="header"><div class="logo">{esc(s.site_name)}</div>'
                f'<ul class="nav">{links}</ul></div>\n')

    def _footer(self) -> str:
        s = self.s
        links = "".join(f'<option>{esc(x)}</option>' for x in s.footer_links or ["国务院部门网站", "地方政府网站"])
        return (
            f'<div class="footer"><div class="links"><select>{links}</select></div>'
            f'<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">网站声明</a></p>'
            f"<p>版权所有：{esc(s.copyright)} 主办单位：{esc(s.sponsor)}</p>"
            f"<p>网站标识码：{s.id_code} "
            f'<a href="https://beian.miit.gov.cn/">ICP备案：{esc(s.icp)}</a> '
            f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={s.police[-15:-1]}">'
            f"{esc(s.police)}</a></p>"
            + ("<p>Produced By 大汉网络 大汉版通发布系统</p>" if s.cms == "hanweb" else "")
            + "</div>\n"
        )

    def _crumbs(self, crumbs: list[tuple[str, str]]) -> str:
        trail = " &gt; ".join(['<a href="/">首页</a>'] + [f'<a href="{h}">{esc(t)}</a>' for t, h in crumbs])
        return f'<div class="position">当前位置：{trail}</div>\n'

    def frame(self, title: str, crumbs: list[tuple[str, str]], main: str, *,
              meta: dict[str, str] | None = None, head_extra: str = "") -> str:
        return (self._head(title, meta, head_extra) + "<body>\n" + self._header() + self._crumbs(crumbs)
                + f'<div class="main">\n{main}\n</div>\n' + self._footer() + "</body>\n</html>\n")

    def views_html(self, key: int) -> str:
        if self.s.counter == "js":
            return (f'浏览次数：<span id="visitcount"></span>'
                    f'<script src="/interface/count.jsp?docid={key}"></script>')
        return f"浏览次数：<span>{COUNTER}</span>"

    # ------------------------------------------------------------------------------ page kinds
    def article(self, path: str, title: str, body: str, when: datetime, column: str,
                crumbs: list[tuple[str, str]], *, source: str | None = None, h1: str | None = None,
                meta_title: str | None = None, extra_body: str = "", delay_state: str | None = None,
                prev_next: tuple[str, str] = ("", "")) -> Page:
        s = self.s
        source = source if source is not None else s.agency
        meta = {"SiteName": s.site_name, "SiteDomain": s.host, "SiteIDCode": s.id_code, "ColumnName": column,
                "ArticleTitle": meta_title or title, "PubDate": f"{when:%Y-%m-%d %H:%M}", "ContentSource": source}
        open_tag, close_tag = _CONTAINERS[s.cms]
        prev, nxt = prev_next
        main = (
            f'<div class="article">\n<h1>{esc(h1 or title)}</h1>\n'
            f'<div class="info">发布时间：{when:%Y-%m-%d %H:%M} 来源：{esc(source)} {self.views_html(zlib.crc32(path.encode()))}'
            f' <span class="tools">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】'
            f' <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a>'
            f"{s.extra_tools}</span></div>\n"
            f"{open_tag}\n{body}\n{close_tag}\n{extra_body}"
            f'<div class="qr">扫一扫在手机打开当前页</div>\n{s.extra_after}'
            f'<div class="pagenav"><p>上一篇：{prev or "没有了"}</p><p>下一篇：{nxt or "没有了"}</p></div>\n</div>'
        )
        return self.add(path, self.frame(title, crumbs, main, meta=meta), when=when, delay_state=delay_state)

    def item_li(self, href: str, title: str, when: datetime) -> str:
        return f'<li><a href="{href}" target="_blank" title="{esc(title)}">{esc(title)}</a><span>{when:%Y-%m-%d}</span></li>'

    def list_page(self, path: str, column: str, crumbs: list[tuple[str, str]], items: str, pager: str = "",
                  head_extra: str = "", when: datetime | None = None) -> Page:
        main = (f'<div class="column"><div class="col-title">{esc(column)}</div>\n'
                f'<ul class="list">\n{items}\n</ul>\n{pager}</div>')
        meta = {"SiteName": self.s.site_name, "SiteDomain": self.s.host, "SiteIDCode": self.s.id_code,
                "ColumnName": column}
        return self.add(path, self.frame(column, crumbs, main, meta=meta, head_extra=head_extra), when=when)

    # ------------------------------------------------------------------------------ shared furniture
    hub_path = "/zfxxgk/index.html"
    news_path = "/xwdt/index.html"


def pub_date(rng: random.Random, year: int) -> datetime:
    """A 年报 publication time: January to March of the following year."""
    start = datetime(year + 1, 1, 8, 9, 0)
    return start + timedelta(days=rng.randint(0, 80), minutes=rng.randint(0, 540))


_NEWS = ["召开{y}年度人才工作推进会", "举办春风行动专场招聘会", "开展根治欠薪专项行动", "召开安全生产工作会议",
         "组织党员干部开展主题党日活动", "开展政策宣传进社区活动", "举行新录用公务员培训班开班仪式",
         "召开政务公开工作培训会", "开展职业技能竞赛", "赴企业开展服务调研", "举办高校毕业生就业服务月活动",
         "召开党风廉政建设工作会议", "开展防汛应急演练", "组织收听收看专题讲座", "召开季度工作调度会",
         "开展安全生产大检查", "举办劳动法律法规宣传活动", "召开民主生活会", "开展志愿服务活动",
         "举行退役军人座谈会", "开展营商环境提升行动", "召开年度工作总结会"]


def build_common(kit: SiteKit, report_column: tuple[str, str], *, hub_path: str = "/zfxxgk/index.html",
                 hub_links_extra: list[tuple[str, str]] | None = None, slow_news: bool = False,
                 home_links_extra: list[tuple[str, str]] | None = None, hub: bool = True) -> list[tuple[str, str]]:
    """Home, robots, search trap, news, the 政府信息公开 hub and its neighbour columns.

    ``report_column`` is (link text, href) of the 年报 column as linked from the hub. Returns the
    hub's links so a site with its own hub page (gkmlpt) can show them; ``hub=False`` skips it.
    """
    s, rng = kit.s, kit.rng
    kit.hub_path = hub_path
    kit.news_path = f"/xwdt/index{s.ext}"
    gk = s.hub_title
    hub_crumb = (gk, hub_path)
    web = kit.web
    # robots.txt and the endless search trap
    web.pages[(s.host, "/robots.txt")] = Page(content_type="text/plain", body=b"User-agent: *\nDisallow: /search/\n",
                                               validators=True, last_modified=datetime(2024, 1, 1))

    def search(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        term = (q.get("q") or [""])[0]
        raw = (q.get("page") or ["1"])[0]
        page = int(raw) if raw.isdigit() else 1
        links = "".join(
            f'<li><a href="/search/?q={quote(term + w)}&amp;page=1&amp;sort=time">{esc(term + w)}</a></li>'
            for w in ("年报", "公开", "通知", str(page)))
        more = f'<a href="/search/?q={quote(term)}&amp;page={page + 1}&amp;t={rng.randrange(10**6)}">下一页</a>'
        main = f"<h2>搜索结果：{esc(term)}</h2><ul>{links}</ul>{more}"
        text = kit.frame(f"搜索-{s.site_name}", [("搜索", "/search/")], main)
        ctype = "text/html; charset=utf-8" if s.encoding == "utf-8" else "text/html"
        return Response(200, ctype, text.encode(s.encoding, "xmlcharrefreplace"))

    web.handlers[(s.host, "/search/")] = search
    web.handlers[(s.host, "/search")] = search
    if s.counter == "js":  # TRS pages are static bytes; the hit counter arrives as script
        hits = {"n": rng.randint(300, 3000)}

        def count(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
            hits["n"] += 1
            js = f"document.getElementById('visitcount').innerHTML='{hits['n']}';"
            return Response(200, "application/javascript", js.encode())

        web.handlers[(s.host, "/interface/count.jsp")] = count
    # news column: ~20 articles the crawler should not spend its budget on
    news_items = []
    for n, headline in enumerate(rng.sample(_NEWS, 20)):
        when = datetime(2025, 6, 1, 10, 0) - timedelta(days=n * 7 + rng.randint(0, 6))
        title = f"{s.agency}{headline.format(y=when.year)}"
        path = kit.article_path("/xwdt/", when)
        body = (f'<p style="text-indent:2em">{when:%m月%d日}，{esc(title)}。会议要求，要提高站位、压实责任，'
                f"确保各项工作落到实处。</p>")
        kit.article(path, title, body, when, "新闻动态", [("新闻动态", kit.news_path)],
                    delay_state="slow_delay" if slow_news and n == 3 else None)
        news_items.append(kit.item_li(path, title, when))
    kit.list_page(kit.news_path, "新闻动态", [("新闻动态", kit.news_path)], "\n".join(news_items))
    # neighbour columns of the hub
    guide = f"/zfxxgk/zfxxgkzn/index{s.ext}"
    system = f"/zfxxgk/zfxxgkzd/index{s.ext}"
    fdzd = f"/zfxxgk/fdzdgknr/index{s.ext}"
    czyjs = f"/zfxxgk/czyjs/index{s.ext}"
    when = datetime(2024, 3, 5, 9, 0)
    kit.article(guide, f"{s.agency}政府信息公开指南", "<p>为了更好地提供政府信息公开服务，特编制本指南。"
                "一、主动公开……二、依申请公开……三、监督方式……</p>", when, "政府信息公开指南",
                [hub_crumb, ("政府信息公开指南", guide)])
    kit.article(system, f"{s.agency}政府信息公开工作制度", "<p>第一条 为规范本机关政府信息公开工作，"
                "根据《中华人民共和国政府信息公开条例》，制定本制度。第二条 政府信息公开年度报告制度……</p>",
                when, "政府信息公开制度", [hub_crumb, ("政府信息公开制度", system)])
    docs = []
    for n, name in enumerate(["关于印发{a}权责清单的通知", "关于调整部分行政许可事项的公告", "{a}2024年度重点工作安排"]):
        w = datetime(2024, 4 + n * 2, 10 + n, 9, 30)
        title = name.format(a=s.agency)
        p = kit.article_path("/zfxxgk/fdzdgknr/", w)
        kit.article(p, title, f"<p>{esc(title)}全文如下：各科室、各直属单位……</p>", w, "法定主动公开内容",
                    [hub_crumb, ("法定主动公开内容", fdzd)])
        docs.append(kit.item_li(p, title, w))
    kit.list_page(fdzd, "法定主动公开内容", [hub_crumb, ("法定主动公开内容", fdzd)], "\n".join(docs))
    fin = []
    for n, (name, kind) in enumerate([("{a}2023年度部门决算", "final-accounts"), ("{a}2024年度部门预算", "")]):
        w = datetime(2024, 7 - n * 5, 15, 10, 0)
        title = name.format(a=s.agency)
        p = kit.article_path("/zfxxgk/czyjs/", w)
        body = (f"<p>第一部分 部门概况 一、主要职能 二、部门决算单位构成 第二部分 {esc(title)}表 "
                "一、收入支出决算总表 二、收入决算表 三、支出决算表 第三部分 决算情况说明……</p>")
        kit.article(p, title, body, w, "财政预决算", [hub_crumb, ("财政预决算", czyjs)])
        fin.append(kit.item_li(p, title, w))
        if kind:
            web.confusables.append(Confusable(kit.url(p), title, kind))
    kit.list_page(czyjs, "财政预决算", [hub_crumb, ("财政预决算", czyjs)], "\n".join(fin))
    # the hub
    links = [("政府信息公开指南", guide), ("政府信息公开制度", system), ("法定主动公开内容", fdzd),
             ("财政预决算", czyjs), report_column] + (hub_links_extra or [])
    hub_items = "\n".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in links)
    main = f'<div class="gk-nav"><h2>{esc(gk)}</h2><ul>\n{hub_items}\n</ul></div>'
    if hub:
        kit.add(hub_path, kit.frame(gk, [hub_crumb], main))
    # the other nav columns exist but hold nothing of interest
    for path, name in (("/bsfw/", "办事服务"), ("/hdjl/", "互动交流"), ("/ztzl/", "专题专栏")):
        lis = "".join(f'<li><a href="/search/?q={quote(w)}">{w}</a></li>' for w in ("社保查询", "网上办事", "留言咨询"))
        kit.list_page(path, name, [(name, path)], lis)
    # home page
    latest = "\n".join(news_items[:8])
    main = (f'<div class="home-news"><h3><a href="{kit.news_path}">新闻动态</a></h3><ul>{latest}</ul></div>'
            f'<div class="home-gk"><h3><a href="{hub_path}">{esc(gk)}</a></h3>'
            f'<ul><li><a href="{guide}">政府信息公开指南</a></li><li><a href="{fdzd}">法定主动公开内容</a></li>'
            + "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in home_links_extra or [])
            + "</ul></div>")
    home = kit.frame(s.site_name, [], main)
    kit.add("/", home)
    kit.add("/index.html", home)
    return links
