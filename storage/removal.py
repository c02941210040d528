"""Removal, decided from both signals of one run (crawler.decide.decide_removal) and applied here.

Kept apart from the archive's other writes (storage/archive.py) but part of the same ``Archive``:
``mark_removed``, ``remove_url`` and ``reconcile_lists`` are the names the pipelines and the
revisit schedule call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.decide import decide_removal
from storage import lists
from storage.db import utc_naive
from storage.lookup import report_state
from storage.models import ListLink, Sighting
from storage.models import Report as ReportRow


class RemovalAPI:
    """Mixed into ``storage.archive.Archive``, whose transaction and event helpers it uses."""

    _tx: Callable[..., Any]
    _event: Callable[..., None]

    # -- removal ---------------------------------------------------------------------------
    def mark_removed(self, *, run_id: int | None, url: str, reason: str,
                     at: datetime | None = None) -> int | None:
        """Apply a removal decided elsewhere (``reconcile_lists`` decides from both signals): the URL's
        sighting is removed, and the report when no URL is left. Returns the report id of the URL's
        sighting (None when the URL shows no known report)."""
        return self.remove_url(run_id=run_id, url=url, reason=reason, at=at)[0]

    def remove_url(self, *, run_id: int | None, url: str, reason: str,
                   at: datetime | None = None) -> tuple[int | None, bool]:
        """``mark_removed`` that also says whether a report became ``removed`` just now."""
        now = utc_naive(at)
        return self._tx("mark_removed", lambda s: self._remove(s, url, reason, run_id, now))

    def _remove(self, s: Session, url: str, reason: str, run_id: int | None, now: datetime) -> tuple[int | None, bool]:
        sightings = list(s.scalars(select(Sighting).where(Sighting.url == url)))
        if not sightings:
            return None, False
        report_id, became = sightings[0].report_id, False
        for sighting in sightings:
            if sighting.removed_at is None:
                sighting.removed_at, sighting.removed_reason = now, reason
            live_left = s.scalar(
                select(func.count()).select_from(Sighting)
                .where(Sighting.report_id == sighting.report_id, Sighting.removed_at.is_(None))
            )
            row = s.get(ReportRow, sighting.report_id)
            if row is not None and not live_left and row.state != "removed":
                row.state, became = "removed", True
                self._event(s, "removed", report_id=row.id, run_id=run_id, url=url, now=now,
                            detail={"reason": reason})
        return report_id, became

    def reconcile_lists(self, *, run_id: int | None, agency_id: int, links: set[str] | None,
                        children: dict[str, str], seen: set[str] | None = None,
                        at: datetime | None = None) -> list[str]:
        """Update the agency's list inventory and decide removals from both signals of this run
        (crawler.decide.decide_removal): a report URL that answered 404/410/soft-404 *and* is gone
        from a completely crawled list is removed (reason "http 404; missing-from-list"), its files
        with it unless fetched this run. Returns the URLs of reports removed now.
        ``links`` None = the crawl was partial: nothing is removed. ``seen``: URLs fetched this run."""
        now = utc_naive(at)
        seen = set(seen or ())

        def go(s: Session) -> list[str]:
            inventory = {r.url: r.via for r in s.scalars(select(ListLink).where(ListLink.agency_id == agency_id))}
            lists.reconcile(s, agency_id=agency_id, run_id=run_id, links=links, children=children, now=now)
            if links is None:
                return []
            own = set(s.scalars(select(Sighting.url).join(ReportRow, ReportRow.id == Sighting.report_id)
                                .where(ReportRow.agency_id == agency_id, Sighting.removed_at.is_(None))))
            candidates = (own | set(inventory) | set(children)) - seen
            failed = lists.gone_this_run(s, run_id, candidates)
            pages = {**{u: v for u, v in inventory.items() if v}, **children}
            removed: list[str] = []
            dropped_pages: list[str] = []
            for url, why in sorted(failed.items()):
                page = pages.get(url, "")
                listed = url in links or bool(page and page in links)
                for sighting in list(s.scalars(select(Sighting).where(Sighting.url == url))):
                    row = s.get(ReportRow, sighting.report_id)
                    if row is None:
                        continue
                    verdict = decide_removal(report_state(s, row), url, why, listed)
                    if verdict.remove_sighting:
                        dropped_pages.append(url)
                        if self._remove(s, url, verdict.reason, run_id, now)[1]:
                            removed.append(url)
            # A withdrawn page's files leave with it unless they were fetched fine this run.
            for url, page in sorted(pages.items()):
                keep = page not in dropped_pages or url in seen or url in links or url in failed
                if not keep and self._remove(s, url, f"page removed: {page}", run_id, now)[1]:
                    removed.append(url)
            return sorted(set(removed))

        return self._tx("reconcile_lists", go)
