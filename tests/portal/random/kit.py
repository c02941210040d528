"""``RandKit``: a ``SiteKit`` whose URL scheme, encoding and page chrome come from drawn dimensions.

URL schemes follow the CMS families as real portals publish them, e.g.
TRS ``/zwgk/gknb/202402/t20240218_4410231.html``, Hanweb ``/art/2024/1/30/art_1229_3512.html``,
gkmlpt ``/gkmlpt/content/10/10412/post_10412345.html``, VSB ``/info/1234/5678.htm``,
UCAP ``/sxfgj/gknb/202401/5f0c…e1.shtml``, Jcms ``/jcms/jcms_files/jcms1/web12/site/art/…``.
"""

from __future__ import annotations

import posixpath
import random
from datetime import datetime

from tests.portal.model import Page, Web
from tests.portal.random.dims import SiteDims
from tests.portal.sitekit import SiteKit, SiteStyle, esc

_CONTAINER = {"trs": "trs", "hanweb": "hanweb", "jcms": "hanweb", "ucap": "ucap"}
_CREDITS = {
    "hanweb": "<p>Produced By 大汉网络 大汉版通发布系统</p>",
    "trs": "<p>技术支持：拓尔思信息技术股份有限公司</p>",
    "kaipu": "<p>技术支持：开普云信息科技股份有限公司</p>",
    "ucap": "<p>技术支撑：南京大汉网络有限公司 UCAP集约化平台</p>",
}
_SHARE = {
    "bshare": ('<div class="bshare-custom"><a title="分享到QQ空间" class="bshare-qzone"></a>'
               '<a title="分享到新浪微博" class="bshare-sinaminiblog"></a><a title="分享到微信" class="bshare-weixin"></a>'
               '<a title="更多平台" class="bshare-more bshare-more-icon more-style-addthis"></a></div>'
               '<script type="text/javascript" charset="utf-8" '
               'src="http://static.bshare.cn/b/buttonLite.js#style=-1&amp;uuid=&amp;pophcol=1&amp;lang=zh"></script>'),
    "jiathis": ('<div class="jiathis_style"><span class="jiathis_txt">分享到：</span>'
                '<a class="jiathis_button_weixin"></a><a class="jiathis_button_tsina"></a>'
                '<a href="http://www.jiathis.com/share" class="jiathis jiathis_txt jiathis_separator jtico jtico_jiathis"'
                ' target="_blank"></a></div><script type="text/javascript" src="http://v3.jiathis.com/code/jia.js"'
                ' charset="utf-8"></script>'),
}


def relative(from_path: str, to_path: str) -> str:
    """``to_path`` written relative to the page at ``from_path`` (``../gknb/index.html``)."""
    target, _, frag = to_path.partition("#")
    base = from_path if from_path.endswith("/") else posixpath.dirname(from_path) + "/"
    rel = posixpath.relpath(target.split("?")[0], base.rstrip("/") or "/")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if "?" in target:
        rel += "?" + target.split("?", 1)[1]
    if rel == ".":
        rel = "./"
    return rel + (f"#{frag}" if frag else "")


class RandKit(SiteKit):
    def __init__(self, web: Web, style: SiteStyle, rng: random.Random, dims: SiteDims) -> None:
        super().__init__(web, style, rng)
        self.d = dims
        self.colids: dict[str, int] = {}
        self.downfiles: dict[str, Page] = {}  # downfile.jsp?filename=… → the file's page
        self.jcms_root = f"/jcms/jcms_files/jcms1/web{rng.randint(2, 40)}/site"
        self.ucap_site = style.host.split(".")[0] if style.host.split(".")[0] != "www" else style.host.split(".")[1]
        self.menu_links: list[tuple[str, str]] = []  # depth-1 menu entry: in every page's header
        self.footer_links_extra: list[tuple[str, str]] = [("网站地图", "/sitemap.html")]

    # ------------------------------------------------------------------------------ URL schemes
    def colid(self, column_dir: str) -> int:
        if column_dir not in self.colids:
            self.colids[column_dir] = self.rng.randint(1000, 9999) if self.d.cms != "hanweb" else self.rng.randint(100, 999)
        return self.colids[column_dir]

    def column_dir(self, slug: str) -> str:
        """The folder of a column named ``slug`` (``gknb``) in this CMS's scheme."""
        cms = self.d.cms
        if cms in ("hanweb", "jcms"):
            root = self.jcms_root if cms == "jcms" else ""
            return f"{root}/col/col{self.colid(slug)}/"
        if cms == "ucap":
            return f"/{self.ucap_site}/{slug}/"
        if cms == "vsb":
            return f"/xxgk/{slug}/"
        if cms == "gkmlpt":
            return f"/gkmlpt/{slug}/"
        if cms == "trs":
            return f"/zwgk/{slug}/"
        return f"/xxgk/{slug}/"

    def list_page_path(self, column_dir: str, n: int, count: int) -> str:
        """Static page ``n`` (0-based) of a paged list in this CMS's scheme."""
        cms, ext = self.d.cms, self.s.ext
        if cms == "vsb":  # VSB: /xxgk/gknb.htm, then /xxgk/gknb/4.htm … counting down
            return column_dir.rstrip("/") + ".htm" if n == 0 else f"{column_dir}{count - n}.htm"
        if cms in ("hanweb", "jcms", "static"):
            return f"{column_dir}index.html" if n == 0 else f"{column_dir}index_{n + 1}.html"
        return f"{column_dir}index{ext}" if n == 0 else f"{column_dir}index_{n}{ext}"

    def article_path(self, column_dir: str, when: datetime, ext: str | None = None) -> str:
        cms, n = self.d.cms, self.new_id()
        if cms in ("hanweb", "jcms"):
            root = self.jcms_root if cms == "jcms" else ""
            return f"{root}/art/{when.year}/{when.month}/{when.day}/art_{self.colid(column_dir)}_{n % 900000 + 10000}.html"
        if cms == "gkmlpt":
            post = 7_000_000 + n
            return f"/gkmlpt/content/{post // 1_000_000}/{post // 1000}/post_{post}.html"
        if cms == "vsb":
            return f"/info/{self.colid(column_dir)}/{n % 90000 + 10000}.htm"
        if cms == "ucap":
            return f"{column_dir}{when:%Y%m}/{self.rng.getrandbits(128):032x}.shtml"
        if cms == "static":
            return f"{column_dir}{when:%Y}/{when:%m%d}{n % 1000:03d}.html"
        return f"{column_dir}{when:%Y%m}/t{when:%Y%m%d}_{n}{ext or self.s.ext}"

    def file_path(self, when: datetime, ext: str) -> str:
        cms, n = self.d.cms, self.new_id()
        if cms in ("hanweb", "jcms"):
            return f"/module/download/downfile/{when:%Y%m%d}/{n}.{ext}"
        if cms == "trs":
            return f"/zwgk/gknb/{when:%Y%m}/P0{when:%Y%m%d}{n % 100000:05d}.{ext}"
        if cms == "vsb":
            return f"/system/_content/download.jsp/{n}.{ext}"
        if cms == "gkmlpt":
            return f"/attachment/0/{n // 1000}/{n}/file_{n}.{ext}"
        return f"/uploadfiles/{when:%Y%m}/{n}.{ext}"

    # ------------------------------------------------------------------------------ chrome
    def _head(self, title: str, meta: dict[str, str] | None, extra: str) -> str:
        if self.s.encoding != "utf-8":  # meta only, no header: the bytes must say what they are
            charset = f'<meta http-equiv="Content-Type" content="text/html; charset={self.s.encoding}">'
        else:
            charset = '<meta charset="utf-8">'
        metas = "".join(f'<meta name="{k}" content="{esc(v)}">\n' for k, v in (meta or {}).items())
        return (f"<!DOCTYPE html>\n<html>\n<head>\n{charset}\n<title>{esc(title)}</title>\n{metas}"
                f'<link rel="stylesheet" href="/images/style.css">\n{extra}</head>\n')

    def _header(self) -> str:
        s, d = self.s, self.d
        nav = [("首页", "/"), (s.nav_gk, self.hub_path), ("新闻动态", self.news_path),
               ("办事服务", "/bsfw/"), ("互动交流", "/hdjl/")]
        links = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in nav)
        if self.menu_links:
            sub = "".join(f'<dd><a href="{h}">{esc(t)}</a></dd>' for t, h in self.menu_links)
            links += f'<li class="dropdown"><a href="{self.hub_path}">信息公开</a><dl class="submenu">{sub}</dl></li>'
        tools = {"none": "",
                 "toolbar": '<a id="cniil_wza" href="javascript:void(0);">无障碍浏览</a>'
                            '<script src="/assist/assist.js" id="assist-open" defer></script>',
                 "elder": '<a href="javascript:;" onclick="aria.oldFixedStart()">长者模式</a> '
                          '<a href="javascript:;" onclick="aria.start()">无障碍</a>'}[d.a11y]
        weather = ('<iframe allowtransparency="true" frameborder="0" width="180" height="36" scrolling="no" '
                   'src="http://i.tianqi.com/index.php?c=code&amp;id=12&amp;icon=1&amp;num=1"></iframe>'
                   if d.iframes in ("weather", "both") else "")
        return (f'<div class="topbar"><span>欢迎访问{esc(s.site_name)}</span> {tools} {weather}'
                f'<form action="/search/" method="get"><input name="q"><button>搜索</button></form></div>\n'
                f'<div class="header"><div class="logo">{esc(s.site_name)}</div>'
                f'<ul class="nav">{links}</ul></div>\n')

    def _footer(self) -> str:
        s, d = self.s, self.d
        extra = " | ".join(f'<a href="{h}">{esc(t)}</a>' for t, h in self.footer_links_extra)
        stats = ""
        if d.iframes in ("stats", "both"):
            stats = ('<iframe src="/tongji/count.html" width="0" height="0" frameborder="0" style="display:none">'
                     '</iframe><script src="https://hm.baidu.com/hm.js?3f9a2e6c"></script>')
        return (
            f'<div class="footer"><p>{extra} | <a href="#">联系我们</a> | <a href="#">网站声明</a></p>'
            f"<p>版权所有：{esc(s.copyright)} 主办单位：{esc(s.sponsor)}</p>"
            f"<p>网站标识码：{s.id_code} "
            f'<a href="https://beian.miit.gov.cn/">ICP备案：{esc(s.icp)}</a> '
            f"{esc(s.police)}</p>"
            f'<script id="_jiucuo_" sitecode="{s.id_code}" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
            + _CREDITS.get(d.credit, "") + stats + "</div>\n"
        )


def style_for(host: str, agency: str, region: str, level: str, dims: SiteDims, rng: random.Random) -> SiteStyle:
    prov = rng.choice("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新")
    return SiteStyle(
        host, agency, region, level, cms=_CONTAINER.get(dims.cms, "generic"),
        ext=".shtml" if dims.cms == "ucap" else rng.choice([".html", ".shtml"]) if dims.cms == "trs" else ".html",
        encoding=dims.encoding, counter=dims.counter,
        id_code=f"{rng.randrange(10**10):010d}", icp=f"{prov}ICP备{rng.randrange(10**8):08d}号",
        police=f"{prov}公网安备 {rng.randrange(10**14):014d}号",
        nav_gk=rng.choice(["政务公开", "信息公开", "政府信息公开"]),
        extra_tools=" " + _SHARE.get(dims.share, "") if dims.share != "none" else "",
    )
