"""The pure half of ``nianbao seeds check``: what a seed's home page says about the site.

A user about to crawl a seed list wants to know, per row, before a night's crawl: does the host
answer, may we crawl it, what CMS is it (the spider has a strategy per family), and can a 年报
column be reached from the home page. The fetching lives in ``storage/cli_seeds.py``; this module
only reads the bytes it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler.links import LIST, NAV, REPORT, classify_link, host_of

# Markers each CMS family leaves in a home page, from the real pages of ../shared/real and the
# families the spider handles. Kaipuyun's 纠错 (jiucuo) widget is on sites of every family: not a marker.
_CMS_MARKERS: dict[str, tuple[str, ...]] = {
    "TRS": ("trs_editor", "createpagehtml", "currchnlcls", "trsapi", "/was5/", "was40", "trs wcm",
            "trs_", "/trs/"),
    "Hanweb": ("hanweb", "/module/web/jpage", "dataproxy.jsp", "/col/col", "jcms", "unitbuild",
               "/module/xxgk/"),
    "gkmlpt": ("gkmlpt",),
    "UCAP": ("ucap", "websitecode", "/search4/s"),
}
_GENERATOR = re.compile(r"<meta[^>]+name=[\"']?generator[\"']?[^>]*content=[\"']([^\"']+)", re.IGNORECASE)
# A 年报 column's own anchor: names the annual report without a year ("政府信息公开年报").
_COLUMN_TEXT = re.compile(r"年报|年度报告")


def guess_cms(html: str) -> str:
    """The CMS family a page was built with (TRS, Hanweb, gkmlpt, UCAP), or "" when none shows.

    Most markers win; a ``<meta name="generator">`` naming a family decides alone. Example: a
    TRS WCM page carries ``TRS_Editor`` and ``createPageHTML(3, 0, "index", "html")``.
    """
    generator = _GENERATOR.search(html)
    if generator:
        named = generator.group(1).lower()
        for family in _CMS_MARKERS:
            if family.lower() in named:
                return family
    low = html.lower()
    counts = {family: sum(low.count(m) > 0 for m in markers) for family, markers in _CMS_MARKERS.items()}
    best = max(counts, key=lambda f: counts[f])
    return best if counts[best] else ""


def anchors(html: str, base_url: str) -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of every http(s) link of a page, in page order."""
    if not html.strip():
        return []
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    out: list[tuple[str, str]] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base_url, href).split("#")[0]
        if urlsplit(url).scheme in ("http", "https"):
            out.append((url, " ".join(a.text_content().split()) or (a.get("title") or "").strip()))
    return out


@dataclass(frozen=True)
class PageFindings:
    """What one page of a site links to."""

    column: str = ""  # URL of a 年报 column linked from the page ("" = none)
    reports: int = 0  # links that name one annual report
    follow: list[str] = field(default_factory=list)  # pages worth one more hop, most promising first


def read_page(html: str, url: str, domains: tuple[str, ...] = ()) -> PageFindings:
    """Look for a 年报 column (or reports) among a page's links, with crawler.links' scoring.

    ``domains`` bounds the pages worth following (default: the page's own host).
    """
    hosts = tuple(d.lower() for d in domains) or (host_of(url),)
    column, reports, follow = "", 0, []
    scored: list[tuple[float, str]] = []
    for link_url, text in anchors(html, url):
        host = host_of(link_url)
        if not any(host == h or host.endswith("." + h) for h in hosts):
            continue  # a mirror or another site's column is not this agency's
        info = classify_link(link_url, text)
        if info.kind == REPORT:
            reports += 1
        elif info.kind in (LIST, NAV):
            if info.kind == LIST and not column and _COLUMN_TEXT.search(text.replace(" ", "")):
                column = link_url
            scored.append((info.score, link_url))
    seen: set[str] = set()
    for _, link_url in sorted(scored, key=lambda s: -s[0]):
        if link_url not in seen and link_url != url:
            seen.add(link_url)
            follow.append(link_url)
    return PageFindings(column=column, reports=reports, follow=follow)


@dataclass(frozen=True)
class SeedCheck:
    """One row of the ``seeds check`` table."""

    agency: str
    url: str
    dns: str = ""  # an address, "via proxy", or the resolver's error
    robots: str = ""  # "allowed", "disallowed", "none" (no robots.txt) or an error
    status: str = ""  # the home page's HTTP status, or the error that stopped it
    cms: str = ""
    column: str = ""  # the 年报 column's URL, "" when none was reached
    problems: tuple[str, ...] = ()  # what makes the row fail (empty = the row passes)

    @property
    def ok(self) -> bool:
        return not self.problems


def verdict(dns_ok: bool, robots_allowed: bool | None, status: int | None) -> tuple[str, ...]:
    """Why a seed would fail a crawl: no address, robots.txt forbids its URL, or no home page."""
    problems = []
    if not dns_ok:
        problems.append("host does not resolve")
    if robots_allowed is False:
        problems.append("robots.txt disallows the seed URL")
    if robots_allowed is not False and (status is None or not 200 <= status < 400):
        problems.append("home page " + (f"answered {status}" if status is not None else "did not answer"))
    return tuple(problems)
