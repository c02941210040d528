"""Builders for CleanDocument / Report objects from the real report texts in ``data/``.

The extractor and parser are written in parallel, so tests build their outputs directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from crawler.model import CleanDocument, Report, Spam, SpamFinding, Table

DATA = Path(__file__).with_name("data")
T0 = datetime(2026, 11, 20, 3, 0, 0)
COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]


def text(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def at(step: int) -> datetime:
    """The time of crawl number ``step`` (weekly re-crawls)."""
    return T0 + timedelta(days=7 * step)


def with_chrome(body: str, views: int, published: str = "2020-01-20 10:00") -> str:
    """The body as a sloppy extractor might return it: byline with a counter that always changes."""
    return f"发布时间：{published}\n浏览次数：{views}\n来源：区人社局\n{body}\n打印本页 关闭窗口"


def requests_section(new_received: list[int | None] | None = None) -> dict:
    rows = {
        "new_received": new_received or [3, 0, 0, 0, 0, 0, 3],
        "carried_over": [0, 0, 0, 0, 0, 0, 0],
        "granted": [2, 0, 0, 0, 0, 0, 2],
        "results_total": [3, 0, 0, 0, 0, 0, 3],
        "carried_forward": [0, 0, 0, 0, 0, 0, 0],
    }
    return {"columns": list(COLUMNS), "rows": rows}


def report(agency: str | None, year: int | None, new_received: list[int | None] | None = None,
           title: str = "", published: str | None = "2020-01-20") -> Report:
    return Report(
        agency=agency, year=year, format="2019", title=title or f"{agency or ''}{year}年政府信息公开工作年度报告",
        published=published,
        proactive={"art20_1": {"regulations": {"new_made": 0, "new_published": 0, "published_total": 0}},
                   "art20_8": {"fees": {"previous_items": 2, "change": 0}}},
        requests=requests_section(new_received),
        review_litigation={"review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}},
    )


def document(body: str, url: str, title: str = "", spam_brand: str | None = None) -> CleanDocument:
    spam = Spam(detected=True, findings=[SpamFinding(spam_brand, "gambling-brand")]) if spam_brand else Spam()
    return CleanDocument(url=url, title=title, text=body, spam=spam,
                         tables=[Table(rows=[["信息内容", "本年新制作数量"], ["规章", "0"]])])


def revise_cell(body: str, old: str, new: str) -> str:
    """Change one occurrence of a table row in the text (a revised cell as the page shows it)."""
    assert old in body, old
    return body.replace(old, new, 1)
