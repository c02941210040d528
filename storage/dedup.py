"""In-memory MinHash LSH over stored report versions, loaded lazily and topped up incrementally.

Each Archive keeps one index; before a query it loads versions stored since its last look, so
several workers sharing one PostgreSQL database still see each other's reports.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from crawler.fingerprint import NUM_PERM
from crawler.fingerprint import minhash as make_minhash
from crawler.sketch import LeanMinHash, MinHash, MinHashLSH
from storage.models import Report, ReportVersion

log = logging.getLogger(__name__)

THRESHOLD = 0.9
LOOKBACK = 64  # ids behind the newest loaded one that are re-checked (out-of-order commits)
SCHEME = MinHash(num_perm=NUM_PERM).scheme  # stored signatures are only comparable within a scheme


def pack(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint32).tobytes()


def unpack(data: bytes) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=SCHEME)


@dataclass(frozen=True)
class Match:
    report_id: int
    agency_id: int
    year: int | None
    publisher_key: str
    similarity: float


# Bands and rows per threshold: datasketch searches them by numerical integration (~0.25 s), and a
# crawl opens several archives; the search gives the same answer every time.
_LSH_PARAMS: dict[float, tuple[int, int]] = {}


def _lsh(threshold: float) -> MinHashLSH:
    if threshold in _LSH_PARAMS:
        return MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=_LSH_PARAMS[threshold])
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    _LSH_PARAMS[threshold] = (lsh.b, lsh.r)
    return lsh


# refresh() runs for every URL the archive has not seen: its statements are built once.
_RECENT = (  # a stub's wrapper text is near nobody's report
    select(ReportVersion.id).join(Report, Report.id == ReportVersion.report_id)
    .where(ReportVersion.id > bindparam("floor"), ReportVersion.flagged.is_(False), Report.stub.is_(False))
)
_SIGNATURES = (
    select(ReportVersion.id, ReportVersion.minhash, Report.id, Report.agency_id, Report.year, Report.publisher_key)
    .join(Report, Report.id == ReportVersion.report_id)
    .where(ReportVersion.id.in_(bindparam("ids", expanding=True)))
    .order_by(ReportVersion.id)
)


class NearDupIndex:
    """Clean (non-flagged) versions keyed by version id; queries return distinct reports."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self._lsh = _lsh(threshold)
        self._threshold = threshold
        self._sigs: dict[int, tuple[LeanMinHash, Match]] = {}
        self._last_id = 0
        self._lock = threading.Lock()

    def refresh(self, session: Session) -> None:
        """Load versions stored since the last refresh (by this or any other writer).

        Ids are handed out before commit, so a writer may commit id 5 after another committed
        id 6: look a little behind the highest id seen instead of strictly after it.
        """
        floor = max(0, self._last_id - LOOKBACK)
        ids = session.scalars(_RECENT, {"floor": floor}).all()
        with self._lock:
            wanted = [i for i in ids if i not in self._sigs]
        if not wanted:
            return
        rows = session.execute(_SIGNATURES, {"ids": wanted}).all()
        for vid, sig, rid, aid, year, pkey in rows:
            if sig:
                mh = unpack(sig)
            else:  # written by something that did not store a signature
                body = session.scalar(select(ReportVersion.text).where(ReportVersion.id == vid)) or ""
                mh = LeanMinHash(make_minhash(body))
            with self._lock:
                if vid in self._sigs:
                    continue
                self._sigs[vid] = (mh, Match(rid, aid, year, pkey, 1.0))
                self._lsh.insert(str(vid), mh)
                self._last_id = max(self._last_id, vid)

    def query(self, mh: MinHash, exclude_report: int | None = None) -> list[Match]:
        """Reports with an estimated Jaccard ≥ threshold, best first (one entry per report)."""
        best: dict[int, Match] = {}
        with self._lock:
            for key in self._lsh.query(mh):
                sig, meta = self._sigs[int(key)]
                sim = float(mh.jaccard(sig))
                if sim < self._threshold or meta.report_id == exclude_report:
                    continue
                if meta.report_id not in best or best[meta.report_id].similarity < sim:
                    best[meta.report_id] = Match(
                        meta.report_id, meta.agency_id, meta.year, meta.publisher_key, sim
                    )
        return sorted(best.values(), key=lambda m: -m.similarity)
