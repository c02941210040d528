"""Response helpers of the ``reports`` spider: captures, attachment links, failure reasons."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from scrapy.http import Response, TextResponse

from crawler import links as L
from crawler.handoff import handoff_of
from crawler.model import Capture, Seed

_HTML_TYPES = ("text/html", "application/xhtml", "text/xml", "application/xml")


def make_capture(response: Response, seed: Seed, kind: str, attachments: dict[str, str] | None = None) -> Capture:
    """The Capture of a candidate; ``attachments`` (file URL → its report page, ``Site.attachments``)
    names the page a file hangs off."""
    hop = handoff_of(response)
    url = response.request.url if response.request else response.url
    return Capture(
        url=url,
        final_url=response.url,
        status=response.status,
        headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
        body=response.body,
        agency=seed.agency,
        seed_url=seed.url,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        kind=kind,
        title_hint=hop.anchor if hop is not None else "",
        referer=hop.parent if hop is not None else "",
        via_browser=bool(response.meta.get("playwright")),
        seed=seed,
        via=(attachments or {}).get(url.split("#", 1)[0]),
    )


@dataclass(frozen=True)
class Anchor:
    url: str  # href resolved against the page
    href: str  # as written, stripped
    text: str  # anchor_text
    title: str  # its title attribute
    context: str = ""  # for a "更多>>" link only: the text of its block (heading, tab names, items)


@dataclass(frozen=True)
class PageLinks:
    """What a page links to, read once: a report page's links and its attachments are both picked
    from these (a Selector per anchor, twice, cost more than classifying the links)."""

    anchors: list[Anchor]  # every ``<a href>``, in document order
    handlers: list[str]  # ``onclick`` handlers and the sources of iframes, embeds, objects (PDF viewers)
    # Links a script makes of an element: ``<a href="javascript:void(0)" onclick="openArticle('/a.html')">``,
    # ``<li data-href="/a.html">``; href as written in the handler or attribute, text the element's.
    scripted: list[Anchor] = field(default_factory=list)


def page_links(response: TextResponse) -> PageLinks:
    root = response.selector.root
    anchors = []
    scripted = []
    for el in root.iter() if root is not None and hasattr(root, "iter") else ():
        if el.tag == "a" and (href := el.get("href")) is not None:
            href = href.strip()
            text = _text_of(el)
            anchors.append(Anchor(response.urljoin(href), href, text, el.get("title", ""), _block_text(el, text)))
            if href and not href.lower().startswith(("javascript", "#")):
                continue  # a real link: its handler, if any, is decoration
        if not isinstance(el.tag, str) or not el.attrib:
            continue
        raw = L.handler_url(el.get("onclick", "")) or next(
            (v.strip() for k, v in el.attrib.items() if L.is_url_attribute(k) and v.strip()), None)
        if raw:
            title = el.get("title") or el.get("data-title") or ""
            scripted.append(Anchor(response.urljoin(raw), raw, _text_of(el), title))
    handlers = (
        response.css("[onclick]::attr(onclick)").getall()
        + response.css("iframe::attr(src), embed::attr(src), object::attr(data)").getall()
    )
    return PageLinks(anchors, handlers, scripted)


def attachment_links(response: TextResponse, links: PageLinks | None = None) -> Iterator[tuple[str, str]]:
    """Attachment links of a report page: ``<a>`` to files, PDF viewers, ``onclick`` handlers."""
    links = links or page_links(response)
    seen: set[str] = set()
    for a in links.anchors:
        info = L.classify_link(a.url, a.text, on_report_page=True)
        if info.kind == L.ATTACHMENT and info.url not in seen:  # the file itself, not its viewer page
            seen.add(info.url)
            yield info.url, a.text
    for url in L.script_links(links.handlers, response.url):
        if url not in seen and L.is_attachment_url(url):
            seen.add(url)
            yield url, ""


def anchor_text(a: Any) -> str:
    """An anchor's text nodes joined by spaces, as ``" ".join(a.css("::text").getall())`` gives
    them, read off the lxml element: a Selector per text node costs more than the rest of a page."""
    return _text_of(a.root)


def _block_text(el: Any, text: str) -> str:
    """The text of a "更多" link's block (two levels up, 400 characters): its heading or tab label."""
    if not L.is_more_text(text):
        return ""
    block = el.getparent()
    if block is not None and block.getparent() is not None:
        block = block.getparent()
    return re.sub(r"\s+", " ", " ".join(block.itertext()))[:400] if block is not None else ""


def _text_of(el: Any) -> str:
    return " ".join(el.itertext()).strip()


def body_text_head(response: TextResponse, nodes: int = 40) -> str:
    """The first ``nodes`` text nodes of the body, joined (what a soft-404 check reads).

    What ``(//body//text())[position() <= nodes]`` gives, read lazily off the lxml tree: the XPath
    collects every text node of the page before it keeps the first ones (4× slower over the
    simulated web's 647 pages and the fixtures, with the same result on every one)."""
    bodies = response.selector.root.xpath("//body") if response.selector.root is not None else []
    return " ".join(islice(bodies[0].itertext(), nodes)) if bodies else ""


def is_html(response: Response) -> bool:
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if ctype:
        return any(t in ctype for t in _HTML_TYPES)
    return isinstance(response, TextResponse)


def failure_reason(failure: Any) -> str:
    """A short, stable reason for the run summary: http_500, timeout, download_maxsize …"""
    exc = failure.value
    if isinstance(reason := getattr(exc, "reason", None), str):
        return reason  # refusals of pipelines/safety.py name themselves
    name = type(exc).__name__
    response = getattr(exc, "response", None)
    if name == "HttpError" and response is not None:
        return f"http_{response.status}"
    if "Timeout" in name:
        return "timeout"
    if name == "DownloadCancelledError" and "max size" in str(exc).lower():
        return "download_maxsize"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error") or name).lower()
