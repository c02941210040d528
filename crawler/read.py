"""One fetched payload read whole: extract → classify → parse → fingerprint, as one pure call.

The crawl runs this in a reading process (``pipelines.reader``), so it is the unit of work sent
there: bytes and a few strings in, one picklable ``Reading`` out. Sending the document back to a
worker for a separate parse would cost more than parsing it where it already is. This module and
what it imports stay free of Scrapy, SQLAlchemy and numpy: the reading process loads only these.
"""

from __future__ import annotations

from crawler.classify import classify
from crawler.extract import extract
from crawler.fingerprint import text_print
from crawler.model import Reading
from crawler.parse import parse

__all__ = ["Reading", "read"]


def read(body: bytes, url: str, content_type: str | None = None, title_hint: str | None = None) -> Reading:
    """Read a payload as the crawl does. Never raises for bad input (each stage says why instead)."""
    doc = extract(body, url, content_type, title_hint=title_hint or None)
    verdict = classify(doc.title or title_hint or "", url, doc.text)
    if not verdict.is_report:
        return Reading(doc, verdict)
    return Reading(doc, verdict, parse(doc), text_print(doc.text))
