"""Hanweb jpage columns: records from ``/module/web/jpage/dataproxy.jsp`` as an XML ``<datastore>``.

The column page names the proxy in its script (``url: '/module/web/jpage/dataproxy.jsp'``,
``columnid: 123``) and shows a page of ``<record><![CDATA[<li><a …>]]></record>`` inline; the proxy
answers any ``startrecord``/``endrecord``, so one large request holds the whole column.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree, html

from crawler.lists import Batch, Limits, Page, Step

NAME = "hanweb_jpage"
ANYWHERE = False
_NEEDLE = "dataproxy.jsp"
_URL_RUN = re.compile(r"""[^'"\s<>]*""")  # the characters a URL in HTML or script may run over


def runs_containing(text: str, needle: str) -> list[str]:
    """Each maximal run of URL characters of ``text`` that holds ``needle``, once, in order: what
    ``[^'"\\s<>]*?needle[^'"\\s<>]*`` finds, in linear time. That pattern retries every start of a
    long run that lacks the needle (an inline base64 image: 100 kB of them, minutes of CPU)."""
    runs: list[str] = []
    done = 0
    while (at := text.find(needle, done)) >= 0:
        left = _URL_RUN.match(text[done:at][::-1])
        start = at - (left.end() if left else 0)
        right = _URL_RUN.match(text, at + len(needle))
        end = right.end() if right else at + len(needle)
        runs.append(text[start:end])
        done = end
    return runs


def detect(page: Page) -> bool:
    return _NEEDLE in page.text


def endpoint(text: str, url: str, perpage: int = 1000) -> str | None:
    """The ``dataproxy.jsp`` URL asking for one large page of records."""
    matches = runs_containing(text, _NEEDLE)
    if not matches:
        return None
    found = next((u for u in matches if "columnid" in u), matches[0])
    target = urljoin(url, found.replace("&amp;", "&"))
    parts = urlsplit(target)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "columnid" not in query:
        cm = re.search(r"columnid\s*[:=]\s*['\"]?(\d+)", text)
        if not cm:
            return None
        query["columnid"] = cm.group(1)
    query.pop("page", None)
    query.update({"startrecord": "1", "endrecord": str(perpage), "perpage": str(perpage)})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def next_page(page: Page, limits: Limits) -> list[Step]:
    if page.number is not None or page.base:
        return []  # a records response: the one request asked for every record
    url = endpoint(page.text, page.url, limits.perpage)
    return [Step(url, NAME, records=True)] if url else []


def datastore(xml_text: str, base_url: str) -> tuple[list[tuple[str, str]], int | None]:
    """Records of a ``<datastore>``: (url, title) pairs and the declared total, if any."""
    try:
        root = etree.fromstring(xml_text.encode("utf-8"), parser=etree.XMLParser(recover=True, resolve_entities=False))
    except (etree.XMLSyntaxError, ValueError):
        return [], None
    if root is None:
        return [], None
    links: list[tuple[str, str]] = []
    for record in root.iter("record"):
        fragment = (record.text or "").strip()
        if not fragment:
            continue
        try:
            doc = html.fromstring(fragment)
        except (etree.ParserError, ValueError):
            continue
        for a in doc.iter("a"):
            href = a.get("href")
            if href:
                links.append((urljoin(base_url, href), (a.get("title") or a.text_content()).strip()))
    total_el = root.find(".//totalrecord")
    total = int(total_el.text) if total_el is not None and (total_el.text or "").strip().isdigit() else None
    return links, total


def records(page: Page) -> Batch:
    links, total = datastore(page.text, page.link_base)
    return Batch(links, False, total)
