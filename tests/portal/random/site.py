"""One random site: furniture, the 年报 column's items, its list delivery and where it is linked."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.portal.model import Web
from tests.portal.random.apis import DELIVERIES
from tests.portal.random.dims import SiteDims
from tests.portal.random.kit import RandKit, relative, style_for
from tests.portal.random.names import SUB_TOWNS, SUB_UNITS
from tests.portal.random.publish import Item, publish
from tests.portal.reportgen import GenReport, fmt_for, make_report
from tests.portal.sitekit import build_common, esc, pub_date
from tests.portal.sites import add_confusable

_CONFUSABLES = ["work-points", "website-report", "rule-of-law", "interpretation", "deployment-notice"]
_NEWS = ["召开政务公开工作推进会", "开展政策宣传进社区活动", "举办业务培训班", "召开年度工作总结会",
         "开展安全生产大检查", "组织开展主题党日活动"]


@dataclass(frozen=True)
class SiteIdent:
    host: str
    agency: str
    region: str
    level: str
    place: str  # the county's name (out-of-seed units are named after it)
    county: bool  # a county government portal (its list may aggregate other agencies' reports)


def _hub_path(kit: RandKit) -> str:
    cms = kit.d.cms
    if cms in ("hanweb", "jcms"):
        return f"{kit.jcms_root if cms == 'jcms' else ''}/col/col{kit.colid('zfxxgk')}/index.html"
    if cms == "vsb":
        return "/xxgk.htm"
    if cms == "ucap":
        return f"/{kit.ucap_site}/zfxxgk/index.shtml"
    return f"/zfxxgk/index{kit.s.ext}"


def _reports(kit: RandKit, ident: SiteIdent, rng: random.Random) -> list[tuple[GenReport, datetime]]:
    end = rng.choice([2023, 2024])
    years = list(range(end - rng.randint(1, 4), end + 1))
    out: list[tuple[GenReport, datetime]] = []
    carry: list[int] | None = None
    for year in years:
        rep = make_report(rng, ident.agency, year, busy=rng.choice([3, 10, 40]), carry=carry)
        carry = rep.t3[-1][:6] if rep.fmt != "legacy" and fmt_for(year + 1) == rep.fmt else None
        out.append((rep, pub_date(rng, year)))
    return out


def _entry_block(kit: RandKit, page: str, colname: str, target: str, latest: list[Item],
                 siblings: list[tuple[str, str]]) -> str:
    """The column's link on its parent page, in the site's entry form (menu, tab, tree)."""
    href = esc(relative(page, target) if kit.d.relative else target)
    sib = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in siblings)
    if kit.d.entry == "tab":  # the column's name only on the tab head; the panel says 更多
        lis = "".join(f'<li><a href="{it.href}">{esc(it.title)}</a></li>' for it in latest[:3])
        return ("<script>function showTab(n){ var b = document.querySelectorAll('.tab-body');"
                " for (var i = 0; i < b.length; i++) b[i].style.display = i == n ? '' : 'none'; }</script>"
                f'<div class="tabs"><ul class="tab-head"><li class="on" onclick="showTab(0)">通知公告</li>'
                f'<li onclick="showTab(1)">{esc(colname)}</li></ul>'
                f'<div class="tab-body" id="tab0"><ul>{sib}</ul></div>'
                f'<div class="tab-body" id="tab1" style="display:none"><ul>{lis}</ul>'
                f'<a class="more" href="{href}">更多&gt;&gt;</a></div></div>')
    if kit.d.entry == "tree":
        return (f'<div class="xxgkml"><h3>信息公开目录</h3><ul class="tree"><li><span class="folder">主动公开</span>'
                f'<ul>{sib}<li><span class="folder">年度报告类</span><ul><li class="leaf">'
                f'<a href="{href}" title="{esc(colname)}">{esc(colname)}</a></li></ul></li></ul></li></ul></div>')
    return (f'<div class="leftmenu"><h3>栏目导航</h3><ul>{sib}'
            f'<li><a href="{href}">{esc(colname)}</a></li></ul></div>')


def build_site(web: Web, ident: SiteIdent, dims: SiteDims, rng: random.Random) -> None:
    d = dims
    kit = RandKit(web, style_for(ident.host, ident.agency, ident.region, ident.level, d, rng), rng, d)
    if d.entry == "sitemap":
        d.depth = 2  # home → 网站地图 → column
    hub = _hub_path(kit)
    kit.hub_path, kit.news_path = hub, f"/xwdt/index{kit.s.ext}"  # pages built before build_common link them
    col = kit.column_dir(rng.choice(["gknb", "xxgknb", "zfxxgknb", "ndbg", "nb"]))
    colname = d.column_name
    hub_title = kit.s.hub_title
    # the column's items ---------------------------------------------------------------------
    first = "/gkmlpt/index" if d.delivery == "split_key" and d.cms == "gkmlpt" else kit.list_page_path(col, 0, 1)
    crumbs = [(hub_title, hub), (colname, first)]
    items: list[Item] = []
    for rep, when in _reports(kit, ident, rng):
        form = rng.choice(["html", "wrapper", "pdfjs", "direct_file"]) if d.publish == "mixed" else d.publish
        items.append(publish(kit, form, rep, when, col, colname, crumbs, formats=d.formats))
    if d.aggregate:  # a county portal's list also carries its townships' and departments' reports
        for unit in rng.sample(SUB_UNITS, rng.randint(1, 3)):
            name = (f"{ident.place}{rng.choice(SUB_TOWNS)}{unit}" if unit.startswith(("镇", "街道"))
                    else f"{ident.place}{unit}")
            year = rng.choice([2022, 2023])
            rep = make_report(rng, name, year, busy=3)
            items.append(publish(kit, rng.choice(["html", "html", "wrapper"]), rep, pub_date(rng, year), col,
                                 colname, crumbs, seeded=False, formats=1))
    for kind in rng.sample(_CONFUSABLES, min(d.confusables, len(_CONFUSABLES))):
        year = rng.choice([2021, 2022, 2023])
        it = add_confusable(kit, kind, year, col, colname, crumbs)
        items.append(Item(it.title, it.href, it.when, year))
    if d.news_mixed:
        for n, headline in enumerate(rng.sample(_NEWS, rng.randint(1, 4))):
            when = datetime(2024, 11, 20, 10, 0) - timedelta(days=37 * n + rng.randint(0, 20))
            title = f"{ident.agency}{headline}"
            path = kit.article_path(col, when)
            kit.article(path, title, f"<p>{when:%m月%d日}，{esc(title)}。会议强调，要压实责任、抓好落实。</p>",
                        when, colname, crumbs)
            items.append(Item(title, path, when))
    # the list, then where it is linked ----------------------------------------------------------
    target = DELIVERIES[d.delivery](kit, col, colname, crumbs, items)
    web.columns[kit.s.host] = kit.url(target)
    report_items = sorted(items, key=lambda it: it.when, reverse=True)
    parents = {1: "/", 2: hub}
    catalog = hub.rsplit("/", 1)[0] + f"/xxgkml/index{kit.s.ext}"
    other = hub.rsplit("/", 1)[0] + f"/xxgkml/qtxx/index{kit.s.ext}"
    parents[3], parents[4] = catalog, other
    parent = parents[d.depth] if d.entry != "sitemap" else "/sitemap.html"
    if d.depth == 1 and d.entry == "menu":
        kit.menu_links = [(colname, target)]  # every page's header carries it
    links = build_common(kit, ("", ""), hub_path=hub, hub=False)[:4]
    siblings = [(t, relative(parent, h) if d.relative else h) for t, h in links]
    block = _entry_block(kit, parent, colname, target, report_items, siblings)

    def place(path: str, title: str, own: list[tuple[str, str]], crumb: list[tuple[str, str]]) -> None:
        body = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in own)
        main = f'<div class="gk-nav"><h2>{esc(title)}</h2><ul>{body}</ul></div>'
        if path == parent and not (d.depth == 1 and d.entry == "menu"):
            main += block
        kit.add(path, kit.frame(title, crumb, main))

    hub_links = list(links) + ([("信息公开目录", catalog)] if d.depth >= 3 else [])
    place(hub, hub_title, hub_links, [(hub_title, hub)])
    if d.depth >= 3:
        place(catalog, "信息公开目录", links[:2] + ([("其他信息", other)] if d.depth == 4 else []),
              [(hub_title, hub), ("信息公开目录", catalog)])
    if d.depth == 4:
        place(other, "其他信息", [("重大建设项目", "/search/?q=项目"), ("社会公益事业", "/search/?q=公益")],
              [(hub_title, hub), ("信息公开目录", catalog), ("其他信息", other)])
    # home page and site map (build_common's home is replaced: the column may hang off it)
    for path in ("/", "/index.html"):
        del web.pages[(kit.s.host, path)]
    news = "".join(f'<li><a href="{kit.news_path}">新闻动态</a></li>' for _ in range(1))
    home_main = (f'<div class="home-news"><h3><a href="{kit.news_path}">新闻动态</a></h3><ul>{news}</ul></div>'
                 f'<div class="home-gk"><h3><a href="{hub}">{esc(hub_title)}</a></h3></div>')
    if parent == "/" and d.entry != "menu":
        home_main += block
    home = kit.frame(kit.s.site_name, [], home_main)
    kit.add("/", home)
    kit.add("/index.html", home)
    sitemap = [("首页", "/"), (hub_title, hub), ("新闻动态", kit.news_path), *links]
    main = '<div class="sitemap"><h2>网站地图</h2><ul>' + "".join(
        f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in sitemap) + "</ul>"
    if d.entry == "sitemap":
        main += f'<ul><li><a href="{target}">{esc(colname)}</a></li></ul>'
    kit.add("/sitemap.html", kit.frame("网站地图", [("网站地图", "/sitemap.html")], main + "</div>"))
    kit.add_bytes("/images/style.css", "text/css", b"body{font-family:SimSun,serif}.hide{display:none}")
    if d.a11y == "toolbar":
        kit.add_bytes("/assist/assist.js", "application/javascript", b"window.assist = {open: function(){}};")
    if d.iframes in ("stats", "both"):
        kit.add_bytes("/tongji/count.html", "text/html; charset=utf-8",
                      b'<html><body><script>var _hmt = _hmt || [];</script></body></html>')
