"""The archive and the run id shared by the pipelines, the middleware and the summary extension."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from storage.archive import Archive
from storage.db import StorageError

logger = logging.getLogger("nianbao.archive")

_KEY = "_nianbao_state"


class CrawlState:
    def __init__(self, archive: Archive, run_id: int) -> None:
        self.archive = archive
        self.run_id = run_id


def state_for(crawler: Any) -> CrawlState:
    """One Archive (and one CrawlRun row) per crawler, opened on first use."""
    state = getattr(crawler, _KEY, None)
    if state is None:
        archive = Archive.from_url(crawler.settings.get("DATABASE_URL"))
        run_id = archive.start_run(
            {"spider": crawler.spidercls.name, "settings": crawler.settings.get("BOT_NAME")}
        )
        state = CrawlState(archive, run_id)
        setattr(crawler, _KEY, state)
    return state


def storage_failure(crawler: Any) -> str | None:
    """Why the archive stopped taking writes during this crawl, if it did."""
    return getattr(crawler, "nianbao_storage_error", None)


@contextmanager
def archive_writes(crawler: Any) -> Iterator[None]:
    """An archive that refuses writes (disk full, locked, gone) stops the crawl: said once, exit status 2.

    What was committed before stays; nothing is half-written (one transaction per call).
    """
    if storage_failure(crawler):
        raise DropItem("archive unavailable")
    try:
        yield
    except StorageError as exc:
        crawler.nianbao_storage_error = str(exc)
        logger.error("the archive refused a write, stopping the crawl: %s", exc)
        deferred_from_coro(crawler.engine.close_spider_async(reason="storage-error"))
        raise DropItem("archive unavailable") from None
