"""List plug-ins: the list shapes of the common gov CMS families, one module each, one registry.

A 年报 column is rarely a plain page of links. TRS writes its pager with ``createPageHTML``,
Hanweb asks ``dataproxy.jsp`` for XML records, gkmlpt keeps its lists behind a JSON API keyed by a
site SID, others load more items with a button. Each family is a module here with three pure
functions (text and URLs in, values out; nothing is fetched here):

- ``detect(page) -> bool``: is this page of the family (a list page, or a page holding the keys
  of one);
- ``next_page(page, limits) -> list[Step]``: what to fetch after this page: its other pages, or the
  first request of its records endpoint; for a records response (``page.number`` set), the next
  batch, or nothing once the batch said it was the last;
- ``records(page) -> Batch``: the (url, title) records of a records response.

A family may also read ``keys(page)``: values a later page needs (gkmlpt's SID on one page, its
category ids on another). The spider keeps them per site and hands them back in ``Page.state``.

``crawler.lists.generic`` stands under all of them: records from any JSON, XML or HTML-fragment body
(what a rendered page fetched), and whether a page that none of the families knows looks like a
list that only a browser can show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import urljoin

from lxml import etree, html


@dataclass(frozen=True)
class Page:
    """A fetched page or records response, as a list plug-in sees it.

    ``anchors`` are the page's links with their hrefs already resolved against ``url``, fragments
    kept (``href="#2656"`` on ``/gkmlpt/index`` is ``/gkmlpt/index#2656``). ``number`` and ``per``
    are set on a records response: which batch it is and the batch size the first one showed;
    ``base`` is the list page that asked for it: the records' relative links are the list page's
    (its script puts them into that page), not the endpoint's (``../info/4873/57750.htm`` from
    ``/module/web/jpage/dataproxy.jsp`` means ``/info/…`` seen from ``/xxgk/nb.htm``).
    """

    url: str
    text: str
    anchors: tuple[tuple[str, str], ...] = ()
    state: Mapping[str, str] = field(default_factory=dict)
    number: int | None = None
    per: int | None = None
    base: str = ""

    @property
    def link_base(self) -> str:
        return self.base or self.url


@dataclass(frozen=True)
class Step:
    """A request a plug-in asks for: ``records`` False is a list page to crawl like any page
    (its links classified by the spider), True a records endpoint to read with the family's
    ``records``. ``number`` is the batch number of a records endpoint; ``until_empty`` marks a
    pager page asked for without a known page count (the walk stops at one that brings nothing new)."""

    url: str
    family: str
    records: bool = False
    number: int | None = None
    per: int | None = None
    until_empty: bool = False


@dataclass(frozen=True)
class Batch:
    """The records of one response: (url, title) pairs in order, whether the source says more
    follow (None: it does not say), and the total and page count it declares, if any."""

    links: list[tuple[str, str]]
    has_more: bool | None = None
    total: int | None = None
    pages: int | None = None  # the page count it declares, if any


@dataclass(frozen=True)
class Limits:
    max_pages: int = 200  # pager pages per list
    perpage: int = 1000  # records asked for at once where the endpoint lets us choose


def page_of(url: str, text: str, state: Mapping[str, str] | None = None, **kw: Any) -> Page:
    """A ``Page`` with its anchors read from ``text`` (the spider builds them from its own parse)."""
    anchors: list[tuple[str, str]] = []
    try:
        root = html.fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    for a in root.iter("a") if root is not None else ():
        href = (a.get("href") or "").strip()
        if href:
            anchors.append((urljoin(url, href), " ".join(a.itertext()).strip() or a.get("title", "")))
    return Page(url, text, tuple(anchors), dict(state or {}), **kw)


def _registry() -> tuple[ModuleType, ...]:
    from crawler.lists import gkmlpt, hanweb_jpage, hanweb_pagenum, load_more, script_api, script_pager, trs

    return (trs, hanweb_pagenum, hanweb_jpage, gkmlpt, load_more, script_pager, script_api)


REGISTRY: tuple[ModuleType, ...] = _registry()
BY_NAME: dict[str, ModuleType] = {m.NAME: m for m in REGISTRY}


def families(page: Page, *, on_list: bool) -> list[ModuleType]:
    """The plug-ins that know this page, in registry order. Pager families only on a page known to
    be a 年报 list (a news column has the same pager); endpoint families (``ANYWHERE``) on any page.
    A ``FALLBACK`` family (last in the registry) is for pages the others gave nothing for."""
    return [m for m in REGISTRY if (on_list or m.ANYWHERE) and m.detect(page)]


def keys(page: Page) -> dict[str, str]:
    """Values this page holds for later pages of its site (every family's ``keys``)."""
    found: dict[str, str] = {}
    for m in REGISTRY:
        if hasattr(m, "keys"):
            found.update(m.keys(page))
    return found
