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
    r = {"extract_parse_ratio_vs_trafilatura": 0.4, "extract_parse_ratio_vs_trafilatura_real": 0.71,
         "recrawl_bytes_ratio": 0.013, "dedup_lookup_ms_100k": None, "memory_scaling_exponent": 0.13,
         "scaling_exponent": 0.79}
    by_key = {g["key"]: g["met"] for g in goals(r)}
    assert by_key["extract_parse_ratio_vs_trafilatura"] is True
    assert by_key["extract_parse_ratio_vs_trafilatura_real"] is False
    assert by_key["dedup_lookup_ms_100k"] is None
    table = markdown({**r, "goals": goals(r), "date": "2026-12-04", "machine": {"cores": 2}})
    assert ("| extraction+parsing time vs trafilatura alone (median): real gov.cn pages | 25 | <= 0.5x | 0.71 "
            "| **no** |") in table


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


def test_polite_bound_is_the_busiest_host_or_the_concurrency_whichever_is_longer() -> None:
    from bench.report import polite_bound

    # 300 hosts of 10 pages, 1 s per host, 0.3 s latency, 16 in flight: 3000 × 0.3 / 16 = 56.25 s
    # against 10 × 1 s for any one host: the concurrency bounds the crawl.
    assert polite_bound({f"h{i}": 10 for i in range(300)}, 1.0, 0.3, 16) == 56.25
    # One host with 120 pages among small ones: 120 s of politeness on that host alone.
    assert polite_bound({"big": 120, **{f"h{i}": 10 for i in range(20)}}, 1.0, 0.3, 16) == 120.0
    # Hosts that served nothing do not count; nothing served, no bound.
    assert polite_bound({"a": 4, "b": 0}, 2.0, 0.5, 1) == 8.0
    assert polite_bound({}, 1.0, 0.3, 16) is None and polite_bound({"a": 0}, 1.0, 0.3, 16) is None


def test_peer_score_counts_a_report_found_by_any_of_its_urls() -> None:
    from bench.peers import PeerRun, score, summarise

    truth = [["http://a/1.html", "http://a/1.pdf"], ["http://a/2.html"], ["http://b/3.pdf"], ["http://b/4.html"]]
    # nianbao-like: one item per report with its page and attachment; one report missed.
    assert score(truth, [["http://a/1.html", "http://a/1.pdf"], ["http://a/2.html"], ["http://b/3.pdf"]]) == \
        {"reports": 4, "found": 3, "kept": 3, "kept_reports": 3}
    # peer-like: single pages; two of the same report, one non-report kept.
    assert score(truth, [["http://a/1.html"], ["http://a/1.pdf"], ["http://a/news.html"]]) == \
        {"reports": 4, "found": 1, "kept": 3, "kept_reports": 2}
    runs = [PeerRun("p", "w1", pages=30, wall_s=2.0, cpu_s=1.5, kept=[["http://a/1.html"], ["http://x/"]]),
            PeerRun("p", "w2", pages=10, wall_s=1.0, cpu_s=0.5, kept=[["http://c/5.html"]])]
    got = summarise(runs, {"w1": truth, "w2": [["http://c/5.html"], ["http://c/6.html"]]})
    # pooled over both webs: 2 of 6 reports, 2 of 3 kept right, 40 pages and 2 CPU s for 2 found
    assert (got["recall"], got["precision"], got["pages_per_report"], got["cpu_s_per_report"]) == \
        (0.333, 0.667, 20.0, 1.0)
    assert got["webs"]["w2"]["recall"] == 0.5 and got["wall_s"] == 3.0


def test_peer_goals_want_recall_at_least_and_half_the_pages() -> None:
    from bench.peers import peer_goals

    peers = {"nianbao": {"recall": 1.0, "pages_per_report": 2.5},
             "trafilatura_focused": {"recall": 0.4, "pages_per_report": 15.0},
             "generic_spider": {"recall": 1.0, "pages_per_report": 4.0}}
    got = peer_goals(peers)
    assert got["trafilatura_focused"] == {"recall_at_least": True, "pages_per_report_at_most_half": True,
                                          "pages_per_report_ratio": 0.167}
    # equal recall is enough; 2.5 pages against 4.0 is more than half
    assert got["generic_spider"]["recall_at_least"] is True
    assert got["generic_spider"]["pages_per_report_at_most_half"] is False
    table = markdown({"peers": peers, "goals": goals({"peers": peers}), "date": "2026-12-07", "machine": {}})
    assert "| pages per report found vs a generic CrawlSpider | 25 | <= 0.5x | 0.625 | **no** |" in table
    assert "| recall vs trafilatura's focused crawler | 25 | >= 0.4 | 1 | yes |" in table


def test_retired_crawl_ratio_is_a_figure_with_its_ceiling_not_a_goal() -> None:
    r = {"crawl_ratio_vs_bare_spider": 0.26, "crawl_ratio_ceiling_this_machine": 0.63,
         "polite_crawl_efficiency": 0.93, "crawl_peak_rss_mb": 517.0}
    by_key = {g["key"]: g["met"] for g in goals(r)}
    assert "crawl_ratio_vs_bare_spider" not in by_key
    assert by_key["polite_crawl_efficiency"] is True and by_key["crawl_peak_rss_mb"] is False
    assert by_key["extract_parse_ratio_vs_trafilatura_real"] is None
    assert "| 0.26 (ceiling 0.63) |" in markdown({**r, "goals": goals(r), "machine": {}})


def test_the_table_fills_the_marked_region_or_creates_it(tmp_path: Path) -> None:
    from bench.report import TABLE_END, TABLE_START, fill_marked, write_marked

    doc = f"# Performance\n\nprose\n\n{TABLE_START}\nold table\n{TABLE_END}\n\nmore prose\n"
    got = fill_marked(doc, "| new |\n")
    assert got == f"# Performance\n\nprose\n\n{TABLE_START}\n| new |\n{TABLE_END}\n\nmore prose\n"
    assert fill_marked(got, "| newer |") == got.replace("| new |", "| newer |")  # again: replaced, not added
    # no markers (or only one): the block is appended, the text kept
    assert fill_marked("# P\n", "| t |") == f"# P\n\n{TABLE_START}\n| t |\n{TABLE_END}\n"
    assert fill_marked(f"x {TABLE_END} {TABLE_START}", "t").endswith(f"{TABLE_START}\nt\n{TABLE_END}\n")
    path = tmp_path / "docs" / "performance.md"
    write_marked(path, {"goals": [], "machine": {}})
    text = path.read_text(encoding="utf-8")
    assert text.count(TABLE_START) == 1 and "| goal | issue | target | measured | met |" in text


def test_the_readme_gets_the_goals_table_only(tmp_path: Path) -> None:
    from bench.report import write_marked

    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- bench:goals:start -->\nold\n<!-- bench:goals:end -->\n\ntail\n", encoding="utf-8")
    goal = {"goal": "g", "issue": 25, "target": "<= 1", "value": 0.5, "met": True}
    write_marked(readme, {"goals": [goal], "machine": {}}, "goals")
    text = readme.read_text(encoding="utf-8")
    assert "| g | 25 | <= 1 | 0.5 | yes |" in text and "old" not in text
    assert "| figure | value |" not in text and text.endswith("\n\ntail\n")
