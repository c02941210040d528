"""Public entry points: bytes or text → CleanDocument.  Never raises; problems become warnings."""

from __future__ import annotations

import logging
import re

from crawler.extract import chrome
from crawler.extract import spam as spamlib
from crawler.extract.decode import TRUNCATED, decode_html, decode_text, limit_text, sniff
from crawler.extract.markdown import read_markdown
from crawler.extract.meta import agency_from_page, organ, published_from_page, title_from_page
from crawler.extract.page import parse_html, process
from crawler.extract.tables import clean_ws
from crawler.extract.widgets import real_host
from crawler.model import CleanDocument, NotRead, Table
from crawler.scope import is_gov_host

log = logging.getLogger(__name__)

__all__ = ["MAX_CHARS", "TRUNCATED", "extract", "extract_text"]

# Longer HTML/text pages are cut (after decoding, at a character): no real report page comes near
# this, and lxml time grows with size. 5 Mi characters: a 9 MB UTF-8 report (4.3 M characters of
# Chinese with its spacing) is read whole, a 15 MB one is cut, with a warning.
MAX_CHARS = 5 * 1024 * 1024
_ATTACHMENT_KINDS = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "rtf", "zip"}


def extract(body: bytes, url: str = "", content_type: str | None = None, title_hint: str | None = None) -> CleanDocument:
    """Clean report text, tables and metadata from a fetched page or attachment."""
    # callers hand over Scrapy header values (bytes) and missing URLs (None) as they come
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    url = url if isinstance(url, str) else ""
    doc = CleanDocument(url=url)
    try:
        _extract(doc, body, url, content_type if isinstance(content_type, str) else None, title_hint)
    except Exception as exc:  # noqa: BLE001 - the contract is: never raise on bad input
        log.exception("extract failed for %s", url)
        _not_read(doc, _failed(exc))
    return doc


def extract_text(text: str, url: str = "", title: str | None = None) -> CleanDocument:
    """Already-extracted text (seed files, other tools' archives): chrome filter, spam, metadata."""
    doc = CleanDocument(url=url, method="text")
    try:
        if not isinstance(text, str):
            _not_read(doc, NotRead.no_document("text input is not a str"))
            return doc
        if not text.strip():
            _not_read(doc, NotRead.no_document("empty text"))
            return doc
        harvest = chrome.Harvest()
        # Markdown from converters: "#" headings and pipe tables (as grids, merged cells filled)
        lines, doc.tables = read_markdown(text)
        _finish(doc, lines, harvest)
        # a caller's title (link text, attachment metadata) wins; else a first line that is a report title
        doc.title = spamlib.clean_title(clean_ws(title or _title_line(doc.text)), doc.spam)
        doc.published = harvest.published
        doc.agency = organ(harvest.source)
        chrome.harvest_identity(text, doc.site)
    except Exception as exc:  # noqa: BLE001
        log.exception("extract_text failed for %s", url)
        _not_read(doc, _failed(exc))
    return doc


def _not_read(doc: CleanDocument, why: NotRead) -> None:
    """The payload could not be read: the document says why (its first reason) and warns."""
    if doc.not_read is None:
        doc.not_read = why
    doc.warnings.append(why.warning)


def _failed(exc: Exception) -> NotRead:
    return NotRead.no_document("extraction failed", f"extraction failed: {type(exc).__name__}: {exc}")


def _title_line(text: str) -> str:
    """A report title among the first lines; one broken after the agency ("XX局" / "2022年…报告",
    as converters split a two-line heading) is joined again."""
    lines = text.split("\n", 4)[:4]
    for i, line in enumerate(lines[:3]):
        if len(line) <= 60 and re.search(r"(?:年度?报告|年报)$", line):
            prev = lines[i - 1] if i else ""
            if prev and re.match(r"(?:19|20)\d{2}\s*年", line) and len(prev) <= 30 and not re.search(r"[，。：:；;|]", prev):
                return prev + line
            return line
    return ""


def _extract(doc: CleanDocument, body: bytes, url: str, content_type: str | None, title_hint: str | None) -> None:
    if not isinstance(body, bytes | bytearray | memoryview):
        _not_read(doc, NotRead.no_document("body is not bytes", f"body is {type(body).__name__}, not bytes"))
        return
    body = bytes(body)
    if not body.strip():
        _not_read(doc, NotRead.no_document("empty body"))
        return
    kind = sniff(body, url, content_type)
    if kind in _ATTACHMENT_KINDS:
        # Attachments keep every byte: their readers have their own limits (pages, zip sizes).
        _attachment(doc, body, url, content_type, title_hint)
        return
    if kind == "binary":
        _not_read(doc, NotRead.no_document("binary body of unknown type", "binary body of unknown type; nothing extracted"))
        return
    if kind == "text":
        # the whole body is decoded, then cut in characters: a byte limit could split a character
        # and make the rest look like another charset
        text, _, warns = decode_text(body, content_type)
        text, cut = limit_text(text, MAX_CHARS, len(body))
        sub = extract_text(text, url, title_hint)
        sub.warnings[:0] = warns + cut
        _copy(doc, sub)
        return
    _html(doc, body, url, content_type, title_hint)


def _html(doc: CleanDocument, body: bytes, url: str, content_type: str | None, title_hint: str | None) -> None:
    text, encoding, warns = decode_html(body, content_type)
    doc.warnings.extend(warns)
    text, cut = limit_text(text, MAX_CHARS, len(body))
    doc.warnings.extend(cut)
    root = parse_html(text)
    if root is None:
        _not_read(doc, NotRead.no_document("unparseable HTML"))
        return
    page = process(root, url, doc.spam, doc.removed, doc.warnings)
    doc.method = page.method
    doc.tables = page.tables
    harvest = chrome.Harvest()
    site = doc.site
    site.name = page.meta.get("sitename") or None
    site.id_code = page.meta.get("siteidcode") or None
    site.domain = page.meta.get("sitedomain") or None
    chrome.harvest_identity(page.full_text, site)
    _finish(doc, page.lines, harvest)
    if not harvest.source or not harvest.published:
        chrome.harvest_byline(page.full_text[:4000], harvest)  # bylines usually sit outside the container
    # injected title prefixes are found before the site-name suffix split could hide them
    page.page_title = spamlib.clean_title(page.page_title, doc.spam)
    page.h1 = spamlib.clean_title(page.h1, doc.spam)
    if "articletitle" in page.meta:
        page.meta["articletitle"] = spamlib.clean_title(page.meta["articletitle"], doc.spam)
    raw_title = title_from_page(page, site.name) or (title_hint or "")
    doc.title = spamlib.clean_title(clean_ws(raw_title), doc.spam)
    doc.published = published_from_page(page, harvest, text if not harvest.published else "")
    doc.agency = agency_from_page(page, harvest)
    _host_checks(doc, url)
    if not doc.text:
        doc.warnings.append("no body text found")


def _finish(doc: CleanDocument, lines: list[str], harvest: chrome.Harvest) -> None:
    """The line pipeline shared by every input: spam tokens out, chrome out, spinning flagged."""
    lines = [clean_ws(line) for line in lines]
    lines = spamlib.clean_lines([line for line in lines if line], doc.spam, doc.removed)
    lines = chrome.filter_lines(lines, doc.removed, harvest)
    doc.text = spamlib.script_spinning("\n".join(lines), doc.spam)
    if doc.spam.detected:
        for table in doc.tables:
            table.rows = [[spamlib.strip_tokens(cell) for cell in row] for row in table.rows]


def _host_checks(doc: CleanDocument, url: str) -> None:
    """A gov-looking page on a non-gov host is a mirror (report-format.md §9.3)."""
    # a gov site served through an IPv6 gateway is still the gov site (crawler.extract.widgets)
    host = real_host(url) if url.startswith(("http://", "https://")) else ""
    if not host:
        return
    gov_looking = bool(doc.site.id_code or doc.site.icp or "政府" in doc.title or "政府" in (doc.site.name or ""))
    gov_host = is_gov_host(host)
    if gov_looking and not gov_host:
        spamlib.add_finding(doc.spam, host, "non-gov-host")
    if gov_host:
        return  # gov hosts share templates and SiteDomain values across 集约化 platforms
    declared = (doc.site.domain or "").lower().removeprefix("http://").removeprefix("https://").split("/")[0]
    base = declared.removeprefix("www.")
    if base and host != base and not host.endswith("." + base):
        spamlib.add_finding(doc.spam, f"{host} ≠ SiteDomain {declared}", "site-domain-mismatch")


def _attachment(doc: CleanDocument, body: bytes, url: str, content_type: str | None, title_hint: str | None) -> None:
    try:
        from crawler.attachments import read_attachment
    except ImportError as exc:
        doc.warnings.append(f"attachment reader unavailable: {exc}")
        return
    att = read_attachment(body, url, content_type)
    doc.method = att.kind
    doc.warnings.extend(att.warnings)
    if not att.extracted:
        _not_read(doc, NotRead.of(att.reason or "unknown reason"))
    sub = extract_text(att.text, url, att.title or title_hint) if att.text.strip() else CleanDocument(url=url)
    _copy(doc, sub, keep_method=True)
    doc.tables = [t if isinstance(t, Table) else Table(rows=list(t)) for t in att.tables]
    if doc.spam.detected:
        for table in doc.tables:
            table.rows = [[spamlib.strip_tokens(cell) for cell in row] for row in table.rows]
    if not doc.title and title_hint:
        doc.title = spamlib.clean_title(clean_ws(title_hint), doc.spam)


def _copy(doc: CleanDocument, sub: CleanDocument, keep_method: bool = False) -> None:
    method = doc.method
    for name in ("title", "published", "agency", "site", "text", "tables", "removed", "spam", "method"):
        setattr(doc, name, getattr(sub, name))
    doc.warnings.extend(sub.warnings)
    doc.not_read = doc.not_read or sub.not_read
    if keep_method:
        doc.method = method
