"""Page furniture that is not the report and not an attack: what kind of chrome an element is.

Real gov.cn pages carry hidden and off-site blocks of their own: share bars (bShare, JiaThis),
CMS credits ("Produced By 大汉网络"), weather iframes (tianqi.2345.com), statistics pixels (cnzz,
51.la), 党政机关 / 纠错 badges, footer and related-site link lists, and on sites behind an IPv6
gateway every off-site link rewritten as ``www.acas.org.cnx7a72966f93868.ipv6best.cn``.  None of
that is injection: spam is decided on the words (crawler.extract.spam), and these blocks are only
removed, with the reason named here.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.scope import is_gov_host, undo_gateway

# (kind, pattern over the element's class/id, link targets and text), first match wins.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("share", re.compile(r"bshare|jiathis|bdshare|share|fenxiang|分享到|service\.weibo\.com|connect\.qq\.com|"
                         r"sns\.qzone\.qq\.com|qzone", re.I)),
    ("credit", re.compile(r"Produced\s*By|大汉网络|大汉版通|hanweb\.com|trs\.com\.cn|拓尔思|技术支持|kaipuyun|开普云|"
                          r"ucap\.com\.cn|powered\s*by", re.I)),
    ("stats", re.compile(r"cnzz\.com|51\.la|hm\.baidu\.com|google-analytics|googletagmanager|statcounter|"
                         r"webtrends|站长统计|_trs_ta|ta\.trs\.cn|tongji", re.I)),
    ("badge", re.compile(r"conac\.cn|beian\.gov\.cn|beian\.miit|jiucuo|找错|党政机关|wza\.|无障碍|适老化", re.I)),
    ("widget", re.compile(r"tianqi|weather|天气|calendar|万年历|player|video", re.I)),
]
PIXEL = re.compile(r"^[01](?:px)?$")


def real_host(url: str) -> str:
    """Host of ``url`` with an IPv6 gateway's rewriting undone ("" when there is none)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return undo_gateway(host)


def foreign_links(el: etree._Element, page_host: str) -> list[str]:
    """Link and frame targets of ``el`` off the page's host and off the gov web."""
    out = []
    for a in el.iter("a", "iframe", "img", "embed", "frame"):
        href = a.get("href") or a.get("src") or ""
        host = real_host(href) if href.startswith(("http://", "https://", "//")) else ""
        if host and host != page_host and not is_gov_host(host):
            out.append(href)
    return out


def anchor_texts(el: etree._Element) -> list[str]:
    """Text, title and image alt of each link in ``el`` (what a hidden-link block advertises)."""
    out = []
    for a in el.iter("a"):
        parts = [etree.tostring(a, method="text", encoding="unicode", with_tail=False), a.get("title") or ""]
        parts += [i.get("alt") or "" for i in a.iter("img")]
        label = " ".join(p.strip() for p in parts if p and p.strip())
        if label:
            out.append(label)
    return out


def chrome_kind(el: etree._Element, text: str, links: list[str]) -> str:
    """Why a non-spam hidden, framed or off-site block is chrome: share, credit, stats, badge,
    widget, link-list, offsite-link, or plain hidden."""
    attrs = " ".join(filter(None, [el.get("class"), el.get("id"), el.get("src"), el.get("href")]))
    targets = " ".join(d.get("href") or d.get("src") or "" for d in el.iter("a", "img", "iframe", "embed", "script"))
    titles = " ".join(d.get("title") or "" for d in el.iter("a"))
    probe = f"{attrs} {targets} {titles} {text[:300]}"
    for kind, pattern in _KINDS:
        if pattern.search(probe):
            return kind
    if el.tag in ("iframe", "embed", "object", "frame"):
        return "widget"
    if el.tag == "img" and (PIXEL.match(el.get("width") or "") or PIXEL.match(el.get("height") or "")):
        return "stats"
    if len(list(el.iter("a"))) >= 3:
        return "link-list"  # footer lists, 友情链接 drop-downs, related-site lists
    return "offsite-link" if links else "hidden"


def describe(el: etree._Element) -> str:
    """Where a block was: its tag and the attribute that placed or hid it (``<div style="display:none">``)."""
    parts = [str(el.tag)]
    for name in ("id", "class", "style"):
        value = (el.get(name) or "").strip()
        if value:
            parts.append(f'{name}="{value[:40]}"')
            break
    return "<" + " ".join(parts) + ">"
