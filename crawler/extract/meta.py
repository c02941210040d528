"""Title, publication date and publishing agency from meta tags, headings and bylines."""

from __future__ import annotations

import logging
import re

from crawler.extract.chrome import Harvest, iso_date
from crawler.extract.page import PageResult

log = logging.getLogger(__name__)

_ORGAN = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|委员会|局|厅|委|办|院|部|署|处|所|中心|站|街道办事处|街道|镇|乡|管委会|人大常委会|政协)$"
)
_NOT_ORGAN = re.compile(r"^(?:本网|本站|本局|本厅|网站|原创|转载|互联网|新华社|人民网)$")
_SUFFIX_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—+|\s-\s)\s*")


def organ(name: str | None) -> str | None:
    """A publishing organ name, or None for 本网 / empty / spam / non-organ sources."""
    if not name:
        return None
    name = name.strip(" ：:")
    if not name or _NOT_ORGAN.match(name) or not _ORGAN.search(name) or len(name) > 40:
        return None
    from crawler.extract.spam import has_spam

    return None if has_spam(name) else name


def title_from_page(page: PageResult, site_name: str | None) -> str:
    """meta ArticleTitle > gkmlpt title > <h1> > <title> minus the site-name suffix."""
    for candidate in (page.meta.get("articletitle"), page.gkmlpt.get("title"), page.h1):
        if candidate and len(candidate) >= 4:
            return candidate
    title = page.page_title
    parts = [p for p in _SUFFIX_SPLIT.split(title) if p]
    if len(parts) > 1:
        names = {site_name, page.meta.get("sitename")} - {None}
        parts = [p for p in parts if p not in names] or parts
        # the article title is the part that looks like one (longest if none mentions a report)
        reports = [p for p in parts if "报告" in p or "年报" in p]
        title = reports[0] if reports else max(parts, key=len)
    return title


def published_from_page(page: PageResult, harvest: Harvest, raw_html: str) -> str | None:
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date", "lastmodifiedtime"):
        if key in page.meta and (date := iso_date(page.meta[key])):
            return date
    for key in ("publish_time", "date", "created_at", "first_publish_time"):
        value = page.gkmlpt.get(key)
        if value:
            date = iso_date(value) if not value.isdigit() else _epoch(value)
            if date:
                return date
    if harvest.published:
        return harvest.published
    if harvest.signed:  # the report's own date beats a guess from the page (a wrapper's capture time)
        return harvest.signed
    if not raw_html:
        return None
    try:
        from htmldate import find_date

        return find_date(raw_html, extensive_search=False, original_date=True)
    except Exception as exc:  # noqa: BLE001 - htmldate raises on odd input; a date is optional
        log.debug("htmldate failed: %s", exc)
        return None


def _epoch(value: str) -> str | None:
    import datetime as dt

    seconds = int(value) / (1000 if len(value) > 11 else 1)
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def agency_from_page(page: PageResult, harvest: Harvest) -> str | None:
    for candidate in (
        page.meta.get("contentsource"),
        page.gkmlpt.get("publisher_name"),
        page.gkmlpt.get("publisher"),
        page.gkmlpt.get("source"),
        harvest.source,
    ):
        if (name := organ(candidate)) is not None:
            return name
    return None
