"""The list inventory: which report URLs an agency's 年报 lists link (removal by ``missing-from-list``).

Only a complete crawl of an agency's lists replaces its inventory: on a partial crawl (budget cut,
a list page that failed) a link that did not show may just not have been reached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Fetch, ListLink


def _key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _upsert(s: Session, rows: dict[str, ListLink], agency_id: int, url: str, via: str, run_id: int | None,
            now: datetime) -> None:
    row = rows.get(url)
    if row is None:
        row = ListLink(agency_id=agency_id, url_sha256=_key(url), url=url, via=via, run_id=run_id, last_seen=now)
        s.add(row)
        rows[url] = row
    elif not via or row.via:
        row.via = via  # a direct list link stays one: it wins over "attachment of a page"
    row.run_id, row.last_seen = run_id, now


def reconcile(s: Session, *, agency_id: int, run_id: int | None, links: Iterable[str] | None,
              children: Mapping[str, str], now: datetime) -> list[str]:
    """Record this run's list links (``links`` None: the crawl was partial, keep the old inventory)
    and the attachments found on report pages; return the URLs that left the lists (with their files)."""
    rows = {r.url: r for r in s.scalars(select(ListLink).where(ListLink.agency_id == agency_id))}
    current = set(links) if links is not None else None
    gone: set[str] = set()
    if current is not None:
        gone = {url for url, r in rows.items() if not r.via and url not in current}
        gone |= {url for url, r in rows.items() if r.via in gone and url not in current}
    for url in sorted(current or ()):
        _upsert(s, rows, agency_id, url, "", run_id, now)
    for url, page in sorted(children.items()):
        if page not in gone and url not in gone and url not in (current or ()):
            _upsert(s, rows, agency_id, url, page, run_id, now)
    if gone:
        s.execute(delete(ListLink).where(ListLink.id.in_([rows[url].id for url in gone])))
    return sorted(gone)


def gone_this_run(s: Session, run_id: int | None, urls: Iterable[str]) -> dict[str, str]:
    """URL -> why it failed ("http 404", "http 410", "soft-404"), for those whose last fetch in this run
    says the page is gone. A URL not fetched this run proves nothing."""
    wanted = sorted(set(urls))
    if run_id is None or not wanted:
        return {}
    last: dict[str, tuple[int, int, str | None]] = {}
    for start in range(0, len(wanted), 500):
        rows = s.execute(select(Fetch.url, Fetch.id, Fetch.status, Fetch.outcome)
                         .where(Fetch.run_id == run_id, Fetch.url.in_(wanted[start:start + 500])))
        for url, fid, status, outcome in rows:
            if url not in last or fid > last[url][0]:
                last[url] = (fid, status, outcome)
    failed = {}
    for url, (_, status, outcome) in last.items():
        if status in (404, 410):
            failed[url] = f"http {status}"
        elif status == 200 and outcome == "gone":
            failed[url] = "soft-404"
    return failed
