"""Guangdong 政府信息公开目录平台 (gkmlpt): category lists behind ``/gkmlpt/api/all/{cat}?page=N&sid=SID``.

The page script holds the site key (``window._CONFIG = {SID: 'gd_lg', API_BASE: '/gkmlpt/api/'}``);
the categories are routes of the single-page app (``/gkmlpt/index#2862``). The key and the ids need
not stand on one page: the catalogue page may hold the SID while a column page names the category
with a relative fragment (``<a href="#2656">政府信息公开年报</a>``), or the other way round. Both are
kept as site keys and the API is asked once both are known. Sites built on the same pattern name
their own API (``$.getJSON(_CONFIG.API_BASE + cat + '/list?page=' + page + '&key=' + _CONFIG.SID)``):
the call's pieces are read off the script; a key kept in a script file (``<script src="js/config.js">``)
is fetched from there.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawler.links import text_score
from crawler.lists import Batch, Limits, Page, Step
from crawler.lists.generic import json_records, next_number

NAME = "gkmlpt"
ANYWHERE = True
SID = "gkmlpt.sid"
API = "gkmlpt.api"
CAT = "gkmlpt.cat."  # one key per category id: site keys merge by update
TEMPLATE = "gkmlpt.tpl"  # how the page's script builds the API URL after API_BASE: "{cat}?page={page}&sid={sid}"

_SID = re.compile(r"""\bSID\s*[:=]\s*['"]([\w\-]+)['"]""")
_API_BASE = re.compile(r"""\bAPI_BASE\s*[:=]\s*['"]([^'"\s]+)['"]""")
_CAT_FRAGMENT = re.compile(r"^#?!?/?(\d{2,})$")
_CAT_SCRIPT = re.compile(r"""\bid\s*:\s*['"]?(\d+)['"]?\s*,\s*name\s*:\s*['"]([^'"]+)""")
_REPORT_COLUMN = 35  # text_score of 年报 words
# API_BASE + cat + '/list?page=' + page + '&key=' + _CONFIG.SID
_CALL = re.compile(
    r"""API_BASE\s*\+\s*\w+\s*\+\s*(['"])([^'"]*)\1\s*\+\s*\w+\s*\+\s*(['"])([^'"]*)\3\s*\+\s*[\w.]*\bSID\b"""
)
_USES_KEY = re.compile(r"_CONFIG\.(?:SID|API_BASE)|\bSID\b")
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*['"]([^'"]+\.js)(?:\?[^'"]*)?['"]""", re.I)
_LIBRARY = re.compile(r"jquery|vue|react|bootstrap|layer|swiper|echarts|jiathis|bshare|share|count|stat|analytic", re.I)


def category(url: str) -> str | None:
    """The category id a link names in its fragment (``/gkmlpt/index#2862``, ``#/2862``), or None."""
    m = _CAT_FRAGMENT.match(urlsplit(url).fragment)
    return m.group(1) if m else None


def keys(page: Page) -> dict[str, str]:
    found: dict[str, str] = {}
    if m := _SID.search(page.text):
        found[SID] = m.group(1)
        base = _API_BASE.search(page.text)
        found[API] = urljoin(page.url, base.group(1) if base else "/gkmlpt/api/")
    for cat in _categories(page):
        found[CAT + cat] = "1"
    if m := _CALL.search(page.text):
        found[TEMPLATE] = "{cat}" + m.group(2) + "{page}" + m.group(4) + "{sid}"
    return found


def _categories(page: Page) -> set[str]:
    cats = {cat for url, text in page.anchors if (cat := category(url)) and text_score(text) >= _REPORT_COLUMN}
    if "gkmlpt" in page.text or _SID.search(page.text):
        cats |= {cat for cat, name in _CAT_SCRIPT.findall(page.text) if text_score(name) >= _REPORT_COLUMN}
    return cats


def _known(page: Page) -> tuple[str | None, str, set[str]]:
    own = keys(page)
    sid = own.get(SID) or page.state.get(SID)
    api = own.get(API) or page.state.get(API) or urljoin(page.url, "/gkmlpt/api/")
    cats = {k[len(CAT) :] for k in (*own, *page.state) if k.startswith(CAT)}
    return sid, api, cats


def detect(page: Page) -> bool:
    """A page that brings the SID or a 年报 category, the other being known (here or earlier)."""
    if page.number is not None:
        return True
    own = keys(page)
    if not own:
        return False
    sid, _, cats = _known(page)
    return bool(sid and cats) or bool(cats and _key_scripts(page))


def _key_scripts(page: Page) -> list[str]:
    """The page's own script files, when its script uses a key the page does not hold."""
    if page.base or _SID.search(page.text) or not _USES_KEY.search(page.text):
        return []
    host = urlsplit(page.url).netloc
    srcs = [urljoin(page.url, m.group(1)) for m in _SCRIPT_SRC.finditer(page.text)]
    return [u for u in srcs if urlsplit(u).netloc == host and not _LIBRARY.search(u.rsplit("/", 1)[-1])][:3]


def api_url(api: str, cat: str, number: int, sid: str, template: str = "") -> str:
    """The list API of a category: as the page's script builds it, else gkmlpt's own
    ``{API_BASE}all/{cat}?page=N&sid=SID`` (``API_BASE`` may already end in ``all/``)."""
    base = api if api.endswith("/") else api + "/"
    if template:
        return urljoin(base, template.format(cat=cat, page=number, sid=sid))
    return urljoin(base, ("" if base.endswith("/all/") else "all/") + f"{cat}?page={number}&sid={sid}")


def next_page(page: Page, limits: Limits) -> list[Step]:
    if page.number is not None:  # a records response: the next batch of the same category
        number = next_number(records(page), page.number, page.per)
        if number is None:
            return []
        return [Step(re.sub(r"([?&]page=)\d+", rf"\g<1>{number}", page.url, count=1), NAME, True, number, page.per)]
    sid, api, cats = _known(page)
    if not sid:
        # the key is in a script file: fetch it (its keys come back through ``keys``)
        return [Step(u, NAME, True) for u in _key_scripts(page)] if cats else []
    template = keys(page).get(TEMPLATE) or page.state.get(TEMPLATE, "")
    return [Step(api_url(api, cat, 1, sid, template), NAME, True, 1) for cat in sorted(cats)]


def records(page: Page) -> Batch:
    return json_records(page.text, page.link_base) or Batch([])
