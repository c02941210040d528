"""The run summary's exit status and first lines, from the spider's real per-agency state.

0 every agency ok; 1 some failed, or the run stopped before its end (and the summary says
"interrupted", never "2/2 ok"); 3 every agency failed; 2 no usable seed. Documents cut at the
size limit are named.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler.model import Seed
from crawler.roster import Roster, roster_of
from crawler.summary import format_summary
from pipelines.summary import build_summary
from spiders.reports import ReportsSpider
from spiders.site import Site


def _spider(ok: list[bool]) -> Roster:
    """What a spider with these agencies hands the run summary when it closes (crawler.roster)."""
    crawler = get_crawler(ReportsSpider)
    spider = ReportsSpider.from_crawler(crawler)
    for i, home_ok in enumerate(ok):
        seed = Seed(agency=f"局{i}", url=f"http://j{i}.example.gov.cn/")
        spider.open_site(Site(seed, [f"j{i}.example.gov.cn"], home_ok=home_ok, pages=3 if home_ok else 1))
    spider.closed("finished")
    return roster_of(crawler)


@pytest.mark.parametrize(("ok", "reason", "status", "first"), [
    ([True, True], "finished", 0, "agencies: 2/2 ok"),
    ([True, False], "finished", 1, "agencies: 1/2 ok; failed: 局1"),
    ([False, False], "finished", 3, "agencies: 0/2 ok; failed: 局0, 局1"),
    ([True, True], "shutdown", 1, "agencies: 2, run interrupted before its end (2 home pages reached)"),
    ([], "no-seeds", 2, "agencies: none (no usable seed)"),
])
def test_exit_status_and_first_line(ok: list[bool], reason: str, status: int, first: str) -> None:
    stats: dict[str, Any] = {"downloader/response_count": 6}
    summary = build_summary(stats, _spider(ok), reason)
    text = format_summary(summary)
    assert summary["exit_status"] == status
    assert text.splitlines()[0] == first
    assert text.splitlines()[-1].startswith(f"exit status: {status} (")
    if reason == "shutdown":
        assert "ok" not in text.splitlines()[0] and text.splitlines()[-1] == "exit status: 1 (interrupted: shutdown)"


def test_truncated_documents_are_named() -> None:
    stats = {"nianbao/truncated": 1, "nianbao/truncated_urls": ["http://j0.example.gov.cn/big.html"]}
    text = format_summary(build_summary(stats, _spider([True]), "finished"))
    assert "truncated at a size limit: 1 documents (http://j0.example.gov.cn/big.html)" in text


def test_the_spider_closes_the_roster_before_any_component_reads_it() -> None:
    """Scrapy makes the spider (and connects its ``closed``) before any extension or pipeline, so a
    component's spider_closed finds every agency's summary line and list inventory handed over."""
    from scrapy import signals

    crawler = get_crawler(ReportsSpider)
    spider = crawler._create_spider()
    spider.open_site(Site(Seed(agency="局0", url="http://j0.example.gov.cn/"), ["j0.example.gov.cn"], home_ok=True))
    seen: list[tuple[bool, list[str], list[str]]] = []

    def component_closed(spider: object, reason: str) -> None:
        roster = roster_of(crawler)
        seen.append((roster.closed, [line["agency"] for line in roster.lines], list(roster.inventory)))

    crawler.signals.connect(component_closed, signal=signals.spider_closed)
    crawler.signals.send_catch_log(signal=signals.spider_closed, spider=spider, reason="finished")
    assert seen == [(True, ["局0"], ["局0"])]
