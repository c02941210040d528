"""A weekly cron over a small part of the simulated web (issue 22): how late is a change seen?

Two sites, one of each class: 崂山 (TRS, byte-stable pages with ETag and Last-Modified, 304s) and
武隆 (Hanweb, a server-side view counter in every page, no validators). After the first crawl the
issue's three edits are made on both (``edit``):

- ``revised``: one table cell (规范性文件, its last figure + 1) and one sentence added; on the
  validators site it gets a new ETag (from its bytes) and a new Last-Modified;
- ``defaced``: a gambling advertisement injected into its first paragraph;
- ``removed``: the page deleted (404) and its entry taken off the list (so the list changed);

and once they are in the archive, two quiet ones that leave every list as it was (``edit_quietly``):

- ``again``: the revised report revised once more, by one more sentence (its length moves);
- ``silent``: one table cell of another report, one digit for another: same length, same list,
  so without validators only a full download can see it.

``WeeklyCron`` runs the real ``scrapy crawl reports`` with ``NIANBAO_NOW`` a week later each run,
and records per run and per site the requests and bytes the portal served and the run's events,
so a test or ``make bench`` can tell at which run each edit reached the archive.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from settings.default import NIANBAO_MAX_DETECTION_RUNS
from storage.archive import Archive
from tests.e2e.crawl import run_crawl
from tests.portal.build import build_web
from tests.portal.model import Page, Response, Web
from tests.portal.server import Portal

VALIDATORS, NO_VALIDATORS = "validators", "no_validators"
SITES = {VALIDATORS: "rsj.laoshan.gov.cn", NO_VALIDATORS: "rlsbj.cqwl.gov.cn"}
YEARS = {"revised": 2022, "defaced": 2019, "removed": 2017, "again": 2022, "silent": 2020}
EXPECTED_EVENT = {"revised": "revised", "defaced": "defaced", "removed": "removed", "again": "revised",
                  "silent": "revised"}
SENTENCE = "本年度还新增了政务公开专区线上咨询服务，全年答复群众咨询一百二十件。"
SENTENCE_AGAIN = "全年还组织政务公开业务培训两次，参训人员八十人次。"
SPAM = "欢迎访问bet0365体育在线投注官网，注册即送彩金。"
START = datetime(2026, 1, 5, 3, 0)  # a Monday, 03:00 UTC: the cron's first run
WEEK = timedelta(days=7)
_ROW = re.compile(r"<tr>(?:(?!</tr>).)*规范性文件(?:(?!</tr>).)*</tr>", re.S)
_FIGURE = re.compile(r"<p>(\d+)</p>")


def report_url(web: Web, host: str, year: int) -> str:
    (report,) = [r for r in web.reports if urlsplit(r.urls[0]).netloc == host and r.year == year]
    return report.urls[0]


def _page(web: Web, url: str) -> Page:
    u = urlsplit(url)
    return web.pages[(u.netloc, u.path)]


def _bump(text: str, which: int, same_length: bool) -> str:
    """One figure of the 规范性文件 row changed (``which``: its index in the row)."""
    row = _ROW.search(text)
    assert row is not None, "no 规范性文件 row"
    figures = list(_FIGURE.finditer(row.group(0)))
    m = figures[which]
    value = int(m.group(1))
    new = value + 1 if not same_length or len(str(value + 1)) == len(str(value)) else value - 1
    start, end = row.start() + m.start(1), row.start() + m.end(1)
    return text[:start] + str(new) + text[end:]


def _after_first_paragraph(text: str, insert: str) -> str:
    at = text.index("</p>", text.index("一、总体情况"))
    at = text.index("</p>", at + 4)  # the first paragraph under the heading
    return text[:at] + insert + text[at:]


def revise(web: Web, url: str, when: datetime, *, cell: bool = True, sentence: str = SENTENCE) -> None:
    page = _page(web, url)
    assert page.text is not None
    page.text = _after_first_paragraph(_bump(page.text, -1, same_length=False) if cell else page.text, sentence)
    page.last_modified = when  # with validators: a new Last-Modified (the ETag follows the bytes)


def revise_silently(web: Web, url: str, when: datetime) -> None:
    page = _page(web, url)
    assert page.text is not None
    before = len(page.text.encode(page.encoding))
    page.text = _bump(page.text, 0, same_length=True)
    assert len(page.text.encode(page.encoding)) == before
    page.last_modified = when


def deface(web: Web, url: str) -> None:
    page = _page(web, url)
    assert page.text is not None
    page.text = _after_first_paragraph(page.text, SPAM)


def remove(web: Web, url: str) -> None:
    """Delete the page and take its entry off every list of its host (list pages and the Hanweb
    dataproxy.jsp answers alike)."""
    host, path = urlsplit(url).netloc, urlsplit(url).path
    del web.pages[(host, path)]
    entry = re.compile(rf'(?:<record><!\[CDATA\[)?<li><a href="{re.escape(path)}".*?</li>(?:\]\]></record>)?\n?')
    for (h, _), page in web.pages.items():
        if h == host and page.text and f'href="{path}"' in page.text:
            page.text = entry.sub("", page.text)
    for (h, p), handler in list(web.handlers.items()):
        if h == host:
            web.handlers[(h, p)] = _without(handler, entry)


def _without(handler: Any, entry: re.Pattern[str]) -> Any:
    def answer(query: dict[str, list[str]], body: bytes, state: dict) -> Response:
        resp = handler(query, body, state)
        text = resp.body.decode("utf-8", "replace")
        if entry.search(text) is None:
            return resp
        return Response(resp.status, resp.content_type, entry.sub("", text).encode("utf-8"), resp.headers)

    return answer


@dataclass(frozen=True)
class Edit:
    url: str
    after_run: int  # the index of the last run before it


@dataclass
class Run:
    index: int
    returncode: int
    requests: dict[str, int]  # per site class: requests the portal answered
    bytes: dict[str, int]  # per site class: body bytes it sent
    events: list[dict[str, Any]]
    versions: int
    summary: dict[str, Any]


@dataclass
class WeeklyCron:
    """The simulated web's two sites crawled once a week into one SQLite archive."""

    workdir: Path
    web: Web = field(init=False)
    portal: Portal = field(init=False)
    runs: list[Run] = field(default_factory=list)
    edits: dict[str, dict[str, Edit]] = field(default_factory=dict)  # site class → edit → where, when

    def __post_init__(self) -> None:
        self.web = build_web(scale=1)
        self.portal = Portal(self.web, latency=0.0)
        self.portal.start(host="127.0.0.1", port=0)
        head, *rows = self.web.seeds_csv().splitlines()
        self.seeds = self.workdir / "seeds.csv"
        self.seeds.write_text("\n".join([head, *(r for r in rows if any(h in r for h in SITES.values()))]) + "\n",
                              encoding="utf-8")
        self.db_url = f"sqlite:///{self.workdir / 'weekly.db'}"

    def stop(self) -> None:
        self.portal.stop()

    def archive(self) -> Archive:
        return Archive.from_url(self.db_url)

    def _edits(self, names: tuple[str, ...]) -> tuple[datetime, dict[str, dict[str, str]]]:
        after = len(self.runs) - 1
        urls = {cls: {name: report_url(self.web, host, YEARS[name]) for name in names} for cls, host in SITES.items()}
        for cls, by_name in urls.items():
            for name, url in by_name.items():
                self.edits.setdefault(cls, {})[name] = Edit(url, after)
        return START + WEEK * after + timedelta(days=1), urls

    def edit(self) -> None:
        """The issue's three edits on both sites, a day after the last run."""
        when, urls = self._edits(("revised", "defaced", "removed"))
        for by_name in urls.values():
            revise(self.web, by_name["revised"], when)
            deface(self.web, by_name["defaced"])
            remove(self.web, by_name["removed"])
        self.portal.forget()

    def edit_quietly(self) -> None:
        """Two edits that leave every list as it was, a day after the last run."""
        when, urls = self._edits(("again", "silent"))
        for by_name in urls.values():
            revise(self.web, by_name["again"], when, cell=False, sentence=SENTENCE_AGAIN)
            revise_silently(self.web, by_name["silent"], when)
        self.portal.forget()

    def run(self, *settings: str) -> Run:
        """One weekly run: the clock a week after the previous one."""
        index = len(self.runs)
        now = (START + WEEK * index).isoformat(timespec="seconds")
        self.portal.reset_log()
        result = run_crawl(self.portal.proxy_url, self.seeds, self.db_url, "NIANBAO_REVISIT=1",
                           f"NIANBAO_NOW={now}", *settings, timeout=300)
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        requests: Counter[str] = Counter()
        sent: Counter[str] = Counter()
        classes = {host: cls for cls, host in SITES.items()}
        for r in self.portal.requests:
            cls = classes.get(r.host)
            if cls is not None:
                requests[cls] += 1
                sent[cls] += r.bytes
        archive = self.archive()
        last = archive.runs()[-1]
        run = Run(index, result.returncode, dict(requests), dict(sent), archive.events(run_id=last["id"]),
                  len(list(archive.export_versions())), last["stats"])
        self.runs.append(run)
        return run

    def detected(self, cls: str) -> dict[str, int | None]:
        """Per edit of a site class: after how many runs its event was in the archive (1 = the
        first run after the edit), or None when no run so far has it."""
        out: dict[str, int | None] = {}
        for name, edit in self.edits.get(cls, {}).items():
            out[name] = next((run.index - edit.after_run for run in self.runs[edit.after_run + 1:]
                              if any(e["url"] == edit.url and e["kind"] == EXPECTED_EVENT[name]
                                     for e in run.events)), None)
        return out

    def pending(self) -> bool:
        """Is any edit not yet in the archive?"""
        return any(v is None for cls in SITES for v in self.detected(cls).values())

    def run_until_seen(self) -> None:
        """Weekly runs until every edit is in the archive, at most NIANBAO_MAX_DETECTION_RUNS."""
        for _ in range(NIANBAO_MAX_DETECTION_RUNS):
            self.run()
            if not self.pending():
                return
