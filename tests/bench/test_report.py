"""The bench's arithmetic (bench/report.py, bench/crawl.py) and its per-call replay (bench/micro.py): the figures the README quotes come from these."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.crawl import cpu_by_role, role_of
from bench.report import crawl_ceiling, crawler_bound, fit_exponent, goals, markdown, work_ceiling


def test_fit_exponent_recovers_a_power_law() -> None:
    assert fit_exponent([(1, 3.0), (4, 12.0), (16, 48.0)]) == pytest.approx(1.0)
    assert fit_exponent([(1, 200.0), (4, 200.0), (16, 200.0)]) == pytest.approx(0.0)
    assert fit_exponent([(1, 2.0), (2, 8.0), (4, 32.0)]) == pytest.approx(2.0)
    assert fit_exponent([(1, 5.0)]) is None  # one point has no slope
    assert fit_exponent([(0, 5.0), (-1, 2.0), (3, 0.0)]) is None  # nothing usable on a log scale


def test_crawl_ceiling_spreads_bare_work_and_reading_over_the_cores() -> None:
    # 0.75 s of bare spider, 1.5 s of reading, two cores: (1.5 + 0.75) / 2 = 1.125 s at best.
    assert crawl_ceiling(0.75, 1.5, 2) == pytest.approx(0.75 / 1.125, abs=1e-3)
    # Reading that fits beside the bare spider's core costs nothing: the bare time bounds the crawl.
    assert crawl_ceiling(0.75, 0.5, 2) == 1.0
    assert crawl_ceiling(0.75, 3.0, 8) == 1.0
    # One core: the crawler does the bare spider's work and the reading one after the other.
    assert crawl_ceiling(1.0, 3.0, 1) == 0.25
    assert crawl_ceiling(0.0, 1.0, 2) is None


def test_work_ceiling_spreads_every_part_of_the_work_over_the_cores() -> None:
    work = {"bare spider": 0.95, "portal": 0.45, "reading": 1.7, "browser": 0.9}  # 4.0 s of CPU
    # Two cores: 2.0 s at best against a 1.0 s bare crawl.
    assert work_ceiling(1.0, work, 2) == 0.5
    # Eight cores: the work fits in the bare crawl's time, which then bounds the crawl.
    assert work_ceiling(1.0, work, 8) == 1.0
    # Every part counts: without the browser, 3.1 / 2 = 1.55 s.
    assert work_ceiling(1.0, {**work, "browser": 0.0}, 2) == pytest.approx(1 / 1.55, abs=1e-3)
    assert work_ceiling(0.0, work, 2) is None and work_ceiling(1.0, {}, 2) is None


def test_the_table_gives_the_ceiling_with_its_parts() -> None:
    r = {"crawl_ratio_ceiling_this_machine": 0.5, "date": "2026-12-04", "machine": {"cores": 2},
         "crawl": {"ceiling_work": {"cpu_s": {"bare spider": 0.95, "portal": 0.45, "reading": 1.7, "browser": 0.9},
                                    "cores": 2, "bare_engine_s": 1.0}}}
    table = markdown({**r, "goals": goals(r)})
    assert "renders the JS lists in Chromium" in table
    assert "| 0.5 ((0.95 + 0.45 + 1.7 + 0.9) / 2 cores against the bare spider's 1 s) |" in table


def test_crawler_bound_is_the_reactor_process_cpu_against_the_bare_time() -> None:
    # 1.9 s of CPU in the crawler's one reactor process against a 0.76 s bare crawl: 0.4 at best.
    assert crawler_bound(0.76, 1.9) == 0.4
    # A process that spends less CPU than the bare crawl's time does not bound it.
    assert crawler_bound(0.76, 0.5) == 1.0
    assert crawler_bound(0.0, 1.9) is None and crawler_bound(0.76, 0.0) is None


def test_goals_say_met_unmet_and_unmeasured() -> None:
    r = {"extract_parse_ratio_vs_trafilatura": 0.4, "crawl_ratio_vs_bare_spider": 0.29,
         "recrawl_bytes_ratio": 0.013, "dedup_lookup_ms_100k": None, "memory_scaling_exponent": 0.13,
         "scaling_exponent": 0.79}
    by_key = {g["key"]: g["met"] for g in goals(r)}
    assert by_key["extract_parse_ratio_vs_trafilatura"] is True
    assert by_key["crawl_ratio_vs_bare_spider"] is False
    assert by_key["dedup_lookup_ms_100k"] is None
    table = markdown({**r, "goals": goals(r), "date": "2026-12-04", "machine": {"cores": 2}})
    assert "| full-pipeline crawl pages/s vs bare Scrapy spider | >= 0.8 | 0.29 | **no** |" in table


def test_cpu_by_role_gives_scrapy_the_rest_of_the_tree() -> None:
    cmdlines = {10: ["python", "-m", "pipelines.reader", "5", "1"], 11: ["node", "cli.js", "run-driver"],
                12: ["/usr/bin/chromium-headless-shell", "--headless"],
                13: ["python", "-m", "pipelines.reader", "7", "1"]}  # a reader started after one died
    roles = {pid: role_of(cmd) for pid, cmd in cmdlines.items()}
    assert roles == {10: "reading", 11: "browser", 12: "browser", 13: "reading"}
    by_role = cpu_by_role(roles, {10: 1.5, 11: 0.3, 12: 0.25, 13: 0.5}, 5.0)
    assert by_role == {"reading": 2.0, "browser": 0.55, "scrapy": 2.45}
    assert math.isclose(sum(by_role.values()), 5.0)
    # Children sampled a moment after the tree's total was taken: Scrapy's share never goes negative.
    assert cpu_by_role({1: "reading"}, {1: 2.0}, 1.9)["scrapy"] == 0.0


def test_micro_replays_the_first_run_of_a_crawl_archive(tmp_path: Path) -> None:
    """Every 200 payload of the archive's first run is read, logged and (reports) archived again."""
    from datetime import UTC, datetime

    from bench import micro
    from crawler.model import Seed
    from crawler.read import read
    from storage.archive import Archive

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    pages = sorted((fixtures / "extract").glob("*/input.html"))[:3]
    pdf = fixtures / "attachments" / "report_2021_pdf" / "input.pdf"
    payloads = [(p.read_bytes(), f"http://www.example.gov.cn/ndbg/{p.parent.name}.html", "text/html") for p in pages]
    payloads.append((pdf.read_bytes(), "http://www.example.gov.cn/ndbg/report.pdf", "application/pdf"))
    docx = fixtures / "attachments" / "report_2021_docx" / "input.docx"
    payloads.append((docx.read_bytes(), "http://www.example.gov.cn/ndbg/report.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    crawl = Archive.from_url(f"sqlite:///{tmp_path / 'crawl.db'}")
    run = crawl.start_run({"test": 1})
    agency = crawl.upsert_agency(Seed("某局", "http://www.example.gov.cn/"))
    now = datetime(2026, 12, 4, tzinfo=UTC)
    reports = 0
    for body, url, ctype in payloads:
        kind = "report" if ctype == "text/html" else "attachment"
        rec = crawl.record_fetch(run_id=run, url=url, final_url=url, status=200, headers={"Content-Type": ctype},
                                 body=body, content_type=ctype, encoding=None, fetched_at=now, kind=kind)
        reading = read(body, url, ctype)
        if reading.report is not None:
            reports += 1
            crawl.archive_document(run_id=run, agency_id=agency, fetch_id=rec.fetch_id, url=url,
                                   doc=reading.document, report=reading.report, fetched_at=now)
    # a list page is only scanned for links, not read; a second run's fetches are not replayed
    crawl.record_fetch(run_id=run, url="http://www.example.gov.cn/ndbg/index.html", final_url=None, status=200,
                       headers={}, body=b"<html><body><a href='a.html'>2021</a></body></html>",
                       content_type="text/html", encoding=None, fetched_at=now, kind="list")
    later = crawl.start_run({"test": 2})
    crawl.record_fetch(run_id=later, url=payloads[0][1], final_url=None, status=200, headers={},
                       body=payloads[0][0], content_type="text/html", encoding=None, fetched_at=now, kind="report")
    crawl.engine.dispose()

    got = micro.run(tmp_path / "crawl.db", tmp_path)
    assert got["fetches"] == 5
    assert got["read"]["html"]["calls"] == 3 and got["read"]["pdf"]["calls"] == got["read"]["docx"]["calls"] == 1
    assert got["record_fetch"]["calls"] == 5
    assert got["docx_readers"]["read_docx"]["calls"] == got["docx_readers"]["python_docx"]["calls"] == 1
    assert got["archive_document"]["calls"] == reports >= 3
    assert got["lookups"]["validators"]["calls"] == got["lookups"]["is_due"]["calls"] == 5
    assert all(s["median_ms"] > 0 for s in (got["read"]["pdf"], got["record_fetch"], got["archive_document"]))
    replayed = Archive.from_url(f"sqlite:///{tmp_path / 'micro-archive.db'}")
    assert len(replayed.reports()) == len(Archive.from_url(f"sqlite:///{tmp_path / 'crawl.db'}").reports())
