"""What a resumed ``--job`` run may take from the fetch log instead of the network.

A run killed mid-crawl leaves every response it logged (one transaction per fetch); the run that
resumes the job re-derives its frontier from the seeds and answers the requests the killed run had
already fetched from these rows, so it makes the same decisions without downloading again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import blobs
from storage.archive import Archive
from storage.models import Fetch


def job_payload(archive: Archive, url: str, first_run: int, before_run: int) -> tuple[bytes, dict[str, str]] | None:
    """The newest 200 payload of ``url`` logged by runs ``first_run`` ≤ id < ``before_run`` (the
    earlier runs of one job), with its response headers; None when those runs did not store one."""

    def go(s: Session) -> tuple[bytes, dict[str, str]] | None:
        row = s.execute(
            select(Fetch.blob_sha256, Fetch.headers)
            .where(Fetch.url == url, Fetch.status == 200, Fetch.blob_sha256.is_not(None),
                   Fetch.run_id >= first_run, Fetch.run_id < before_run)
            .order_by(Fetch.id.desc()).limit(1)
        ).first()
        if row is None:
            return None
        data = blobs.get(s, row[0])
        return None if data is None else (data, dict(row[1] or {}))

    return archive._read("job_payload", go)  # noqa: SLF001 - the archive's one read-transaction helper
