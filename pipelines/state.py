"""The archive and the run id shared by the pipelines, the middleware and the summary extension."""

from __future__ import annotations

from typing import Any

from storage.archive import Archive

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
