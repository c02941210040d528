"""End to end: the archive over scheduled re-crawls of the simulated web (issue 6).

One private web (three sites: TRS with validators, TRS ``.shtml``, Hanweb with server-side view
counters) is crawled by the real ``scrapy crawl reports`` several times into one SQLite archive:
three unchanged re-crawls (revisit off / on / off), then one crawl after six edits of the web
(a revised cell, a revised paragraph, a 404, a soft-404, a report dropped from its list, a
defacement, a copy on a second portal), then one more unchanged crawl.

Removal needs both signals in one run (issue 22: the URL is gone *and* the report left its list):
the 404 and the soft-404 are still listed and the dropped report is not requested, so each shows
one signal only and none is removed (``tests/storage/test_lists.py`` covers both signals).
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator

from storage.archive import Archive
from storage.cli import main as nianbao
from storage.models import Blob, Event, Fetch, ReportVersion, Sighting
from tests.e2e.crawl import run_crawl
from tests.portal import Portal, build_web

pytestmark = pytest.mark.e2e

LAOSHAN, HENGYANG, WULONG = "rsj.laoshan.gov.cn", "rlsbj.hengyang.gov.cn", "rlsbj.cqwl.gov.cn"
COPY_PATH = "/zwgk/xxgknb/202312/t20231201_9000001.shtml"
SPAM = "欢迎访问bet0365体育在线投注官网，注册即送彩金。"
NEW_SENTENCE = "本年度还新增了政务公开专区线上咨询服务，全年答复群众咨询一百二十件。"


@dataclass
class Snapshot:
    run_id: int
    returncode: int
    requests: int
    bytes: int
    db_bytes: int
    counts: dict[str, int]
    stats: dict[str, Any]


@dataclass
class History:
    db_url: str
    db_path: Path
    web: Any
    runs: list[Snapshot] = field(default_factory=list)
    edits: dict[str, str] = field(default_factory=dict)  # what was changed → its URL
    webhook: list[dict[str, Any]] = field(default_factory=list)

    def archive(self) -> Archive:
        return Archive.from_url(self.db_url)

    def delta(self, i: int, key: str) -> int:
        return self.runs[i].counts[key] - self.runs[i - 1].counts[key]


def _counts(archive: Archive) -> dict[str, int]:
    with archive.engine.connect() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(model)).scalar_one())
                for name, model in (("blobs", Blob), ("versions", ReportVersion), ("events", Event),
                                    ("fetches", Fetch), ("sightings", Sighting))}


def _url(web: Any, host: str, year: int) -> str:
    (report,) = [r for r in web.reports if urlsplit(r.urls[0]).netloc == host and r.year == year]
    return report.urls[0]


def _page(web: Any, url: str) -> Any:
    u = urlsplit(url)
    return web.pages[(u.netloc, u.path)]


def _edit_web(web: Any, portal: Portal) -> dict[str, str]:
    """Six changes, each to a different report; returns their URLs by name."""
    edits = {"cell": web.revised_url}
    portal.set_revision(True)  # one 表三 cell +1 in 崂山 2021

    edits["paragraph"] = _url(web, HENGYANG, 2020)
    page = _page(web, edits["paragraph"])
    at = page.text.index("</p>", page.text.index("一、总体情况"))
    at = page.text.index("</p>", at + 4)  # the first paragraph under the heading
    page.text = page.text[:at] + NEW_SENTENCE + page.text[at:]

    edits["gone"] = _url(web, WULONG, 2017)
    del web.pages[(WULONG, urlsplit(edits["gone"]).path)]  # the list still links it: 404

    edits["soft404"] = _url(web, LAOSHAN, 2015)  # the CMS answers 200 "页面不存在" for a deleted article
    _page(web, edits["soft404"]).text = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>页面不存在"
                                         "</title></head><body><p>对不起，您访问的页面不存在或已被删除。</p></body></html>")

    edits["delisted"] = _url(web, LAOSHAN, 2016)
    path = urlsplit(edits["delisted"]).path
    for (host, _), listing in web.pages.items():
        if host == LAOSHAN and listing.text and f'href="{path}"' in listing.text:
            listing.text = re.sub(rf'<li><a href="{re.escape(path)}".*?</li>\n?', "", listing.text)

    edits["defaced"] = _url(web, HENGYANG, 2018)
    page = _page(web, edits["defaced"])
    at = page.text.index("</p>", page.text.index("<h1>"))  # spam injected into the first paragraph
    page.text = page.text[:at] + SPAM + page.text[at:]

    # 崂山 2018 reposted on 衡阳's portal: same page, another host, linked from its list.
    edits["copied"] = _url(web, LAOSHAN, 2018)
    web.pages[(HENGYANG, COPY_PATH)] = _page(web, edits["copied"])
    edits["copy"] = f"http://{HENGYANG}{COPY_PATH}"
    listing = web.pages[(HENGYANG, "/zwgk/xxgknb/index.shtml")]
    first = listing.text.index("<li><a href=")
    listing.text = (listing.text[:first] + f'<li><a href="{COPY_PATH}" target="_blank">转发：崂山区人社局2018年'
                    f"政府信息公开工作年度报告</a><span>2023-12-01</span></li>\n" + listing.text[first:])
    portal.forget()
    return edits


class _Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.extend(json.loads(body)["events"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Any:
    web = build_web(scale=1)
    portal = Portal(web, latency=0.0)
    portal.start(host="127.0.0.1", port=0)
    tmp = tmp_path_factory.mktemp("archive")
    seeds = tmp / "seeds.csv"
    head, *rows = web.seeds_csv().splitlines()
    seeds.write_text("\n".join([head, *(r for r in rows if any(h in r for h in (LAOSHAN, HENGYANG, WULONG)))])
                     + "\n", encoding="utf-8")
    db_path = tmp / "nianbao.db"
    h = History(f"sqlite:///{db_path}", db_path, web)
    hook = type("Hook", (_Hook,), {"received": h.webhook})
    hook_server = ThreadingHTTPServer(("127.0.0.1", 0), hook)
    threading.Thread(target=hook_server.serve_forever, daemon=True).start()
    webhook = f"NIANBAO_WEBHOOK_URL=http://127.0.0.1:{hook_server.server_address[1]}/events"
    later = (datetime.now(UTC) + timedelta(days=100)).isoformat(timespec="seconds")

    def crawl(*settings: str) -> None:
        portal.reset_log()
        result = run_crawl(portal.proxy_url, seeds, h.db_url, *settings, timeout=300)
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        archive = h.archive()
        run = archive.runs()[-1]
        h.runs.append(Snapshot(run["id"], result.returncode, len(portal.requests),
                               sum(r.bytes for r in portal.requests), db_path.stat().st_size,
                               _counts(archive), run["stats"]))

    try:
        crawl("NIANBAO_REVISIT=1")  # 0: first crawl (everything is due; list pages kept for 304s)
        crawl("NIANBAO_REVISIT=1", webhook)  # 1-3: nothing changed but the view counters
        crawl()
        crawl("NIANBAO_REVISIT=1")
        h.edits = _edit_web(web, portal)
        crawl("NIANBAO_REVISIT=1", f"NIANBAO_NOW={later}", webhook)  # 4: reports due again
        crawl()  # 5: unchanged after the edits
        yield h
    finally:
        portal.stop()
        hook_server.shutdown()


def test_every_crawl_succeeds(history: History) -> None:
    assert [s.returncode for s in history.runs] == [0] * 6
    first = history.runs[0]
    assert first.counts["versions"] >= 25 and first.counts["events"] >= 25


@pytest.mark.parametrize("i", [1, 2, 3])
def test_unchanged_recrawl_adds_only_fetch_rows(history: History, i: int) -> None:
    for key in ("versions", "blobs", "events", "sightings"):
        assert history.delta(i, key) == 0, (i, key)
    assert history.runs[i].stats["reports"]["new"] == 0 and history.runs[i].stats["reports"]["revised"] == 0
    assert history.webhook == [] or all(e["run_id"] == history.runs[4].run_id for e in history.webhook)


def test_conditional_requests_without_revisit(history: History) -> None:
    """Revisit off: TRS report pages are re-fetched conditionally; a 304 is a fetch row only."""
    off = history.runs[2]
    archive = history.archive()
    with archive.engine.connect() as conn:
        rows = conn.execute(select(Fetch.blob_sha256, Fetch.outcome).where(
            Fetch.run_id == off.run_id, Fetch.status == 304, Fetch.kind == "report")).all()
    assert len(rows) >= 15 and all(blob is None and outcome is None for blob, outcome in rows)
    assert off.stats["revisit"]["not_modified"] == len(rows) and off.stats["revisit"]["not_due"] == 0


def test_counters_really_changed_between_crawls(history: History) -> None:
    """The Hanweb site writes its view counter into every page: bytes differ, the archive does not."""
    archive = history.archive()
    url = _url(history.web, WULONG, 2019)
    with archive.engine.connect() as conn:
        rows = conn.execute(select(Fetch.payload_sha256, Fetch.blob_sha256).where(Fetch.url == url)).all()
    assert len({p for p, _ in rows}) >= 3 and len({b for _, b in rows}) == 1


def test_revisit_checks_every_report_cheaply(history: History) -> None:
    first, on, off = history.runs[0], history.runs[1], history.runs[2]
    assert on.stats["reports"]["unchanged"] == 0 < off.stats["reports"]["unchanged"]  # no report re-read
    # every report checked (issue 22): a 304 with validators, a HEAD without; list pages not due are
    # read from the archive (no download), the home pages revalidated
    rv = on.stats["revisit"]
    assert rv["not_due"] == 0 and rv["conditional"] >= 15 and rv["head"] >= 5 and rv["lists_not_due"] >= 5
    assert rv["conditional"] + rv["head"] + rv["full"] >= first.counts["versions"]
    # every known report is asked for (a 304 or a HEAD each), so requests fall less than bytes; lists
    # not due are read from the archive, so there are still fewer than a full re-read's
    assert on.requests < off.requests and on.bytes < off.bytes / 4
    assert on.bytes <= first.bytes * 0.05  # issue 6: an unchanged re-crawl costs at most 5 % of the bytes
    assert history.runs[3].bytes == on.bytes


def test_edits_give_exactly_the_expected_events(history: History) -> None:
    run = history.runs[4]
    events = history.archive().events(run_id=run.run_id)
    assert Counter(e["kind"] for e in events) == Counter({"revised": 2, "defaced": 1})
    by_url = {e["url"]: e for e in events}
    edits = history.edits
    assert history.web.revised_cell in by_url[edits["cell"]]["detail"]["changed_cells"]
    assert by_url[edits["paragraph"]]["kind"] == "revised"
    assert not {edits["gone"], edits["soft404"], edits["delisted"]} & set(by_url)  # one signal each
    assert history.runs[4].stats["reports"]["removed"] == 0
    assert by_url[edits["defaced"]]["kind"] == "defaced"
    assert history.delta(4, "versions") == 3  # two revisions and one flagged (defaced) version
    assert history.delta(4, "sightings") == 1  # the copy on the second portal


def test_edited_reports_have_the_expected_state(history: History) -> None:
    archive, edits = history.archive(), history.edits
    reports = {u: r for r in archive.reports() for u in r["urls"]}
    assert len(archive.reports()) == history.runs[0].counts["versions"]  # one version each at first
    assert reports[edits["cell"]]["versions"] == 2 and reports[edits["cell"]]["state"] == "live"
    assert reports[edits["paragraph"]]["versions"] == 2
    # a dead link on a live list, a soft-404 on a live list, a report off its list but not asked for
    assert reports[edits["gone"]]["state"] == "live" and reports[edits["gone"]]["versions"] == 1
    assert reports[edits["delisted"]]["state"] == "live" and reports[edits["soft404"]]["state"] == "live"
    assert reports[edits["defaced"]]["state"] == "defaced" and reports[edits["defaced"]]["versions"] == 2
    copied = reports[edits["copied"]]
    assert reports[edits["copy"]]["id"] == copied["id"] and copied["urls"] == [edits["copied"], edits["copy"]]
    assert copied["versions"] == 1 and copied["state"] == "live"


def test_defaced_text_never_replaces_the_clean_one(history: History) -> None:
    archive, url = history.archive(), history.edits["defaced"]
    (latest,) = [r for r in archive.export_versions(latest=True) if url in r["urls"]]
    assert latest["version"] == 1 and not latest["flagged"] and "bet0365" not in latest["text"]
    assert latest["state"] == "defaced"
    flagged = [v for v in archive.versions(latest["report_id"]) if v["flagged"]]
    assert [v["n"] for v in flagged] == [2]


def test_paragraph_diff_through_the_cli(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    url = history.edits["paragraph"]
    assert nianbao(["diff", url, "--db", history.db_url]) == 0
    out = capsys.readouterr().out
    assert "version 1 → 2" in out and f"+{NEW_SENTENCE}" in out.replace(" ", "") or NEW_SENTENCE in out
    assert "cell:" not in out  # a paragraph, not a table cell
    assert nianbao(["diff", history.edits["cell"], "--json", "--db", history.db_url]) == 0
    cell = json.loads(capsys.readouterr().out)
    assert cell["changed_cells"] == [history.web.revised_cell]


def test_quiet_after_the_edits(history: History) -> None:
    for key in ("versions", "blobs", "events", "sightings"):
        assert history.delta(5, key) == 0, key


def test_webhook_received_the_runs_events(history: History) -> None:
    run = history.runs[4].run_id
    expected = history.archive().events(run_id=run)
    assert [e["id"] for e in history.webhook] == [e["id"] for e in expected]


def test_cli_events_since(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    later = history.archive().events(run_id=history.runs[4].run_id)[0]["created_at"]
    assert nianbao(["events", "--since", later, "--json", "--db", history.db_url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert Counter(e["kind"] for e in rows) == Counter({"revised": 2, "defaced": 1})


def test_warc_export_reads_back(history: History, tmp_path: Path) -> None:
    out = tmp_path / "crawl.warc.gz"
    assert nianbao(["export", "--format", "warc", "-o", str(out), "--db", history.db_url]) == 0
    kinds: Counter[str] = Counter()
    uris = set()
    with out.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            kinds[rec.rec_type] += 1
            if rec.rec_type == "response":
                uris.add(rec.rec_headers.get_header("WARC-Target-URI"))
                assert rec.content_stream().read()
    counts = history.runs[-1].counts
    assert kinds["response"] == counts["blobs"]  # one response record per stored payload
    assert kinds["response"] + kinds["revisit"] <= counts["fetches"] and kinds["revisit"] > kinds["response"]
    assert history.edits["paragraph"] in uris


def test_export_formats_agree(history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert nianbao(["export", "--latest", "--db", history.db_url]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(history.archive().reports())
    parquet = tmp_path / "v.parquet"
    assert nianbao(["export", "--format", "parquet", "-o", str(parquet), "--db", history.db_url]) == 0
    import pyarrow.parquet as pq

    assert pq.read_table(parquet).num_rows == history.runs[-1].counts["versions"]
    buf = io.StringIO()
    assert nianbao(["export", "--format", "csv", "-o", str(tmp_path / "v.csv"), "--db", history.db_url]) == 0
    buf.write((tmp_path / "v.csv").read_text(encoding="utf-8"))
    assert buf.getvalue().startswith("report_id,agency,")
