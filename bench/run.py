"""``make bench`` / ``python -m bench.run [--quick] [--profile]``: issues 10 and 25's figures in one run.

Writes bench/results.json (keys other tools read: extract_parse_ratio_vs_trafilatura,
extract_parse_ratio_vs_trafilatura_real, peers.{nianbao,trafilatura_focused,generic_spider}.{recall,
precision,pages_per_report,cpu_s_per_report}, polite_crawl_efficiency, crawl_ratio_vs_bare_spider,
recrawl_bytes_ratio, dedup_lookup_ms_100k, crawl_peak_rss_mb, scaling_exponent), bench/results.md and
the table between the ``<!-- bench:table:start -->`` / ``end`` markers of ``--doc`` (docs/performance.md,
created with the markers when absent), and prints the table.
The whole run aims at ``--budget`` seconds (default 570): the peers (bench/peers.py) and the polite
crawl at breadth (bench/breadth.py) always run; the week of daily re-crawls, the second priority
queue, the distributed workers, the latency comparison and the scaling crawls run only while the
projected time still fits, and what was skipped is recorded. On a machine shared with other work the
fixed parts alone can pass the budget.
``--quick`` (a few minutes): a quarter of the pages, three agencies, 1k/10k dedup, scales 1x and 2x,
peers on today's web only, 60 sites at breadth, no latency comparison and no distributed workers.
Distributed workers (issue 7) need PostgreSQL and Redis (NIANBAO_TEST_PG / NIANBAO_TEST_REDIS as in
tests/conftest.py) and are skipped without them.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import breadth, dedup, distributed, extraction, micro, peers, profile, weekly
from bench import crawl as C
from bench.report import (
    crawl_ceiling,
    crawler_bound,
    fit_exponent,
    goals,
    machine,
    markdown,
    print_table,
    work_ceiling,
    write_marked,
)
from tests.e2e.crawl import REPO

OUT = REPO / "bench" / "results.json"
DOC = REPO / "docs" / "performance.md"
LATENCY = 0.2  # seconds per response for the second crawl comparison
REPEATS = 3  # full/bare pairs at latency 0; the ratio is between their medians
# Time kept for the parts that always run after the 1x crawls, in units of the first 1x crawl's
# wall time (peers: 3-6 per web, the rest of the 1x section about 4) plus the polite crawl at
# breadth: the week of daily re-crawls and the extra full/bare pairs run only when they fit before it.
PEER_UNITS_PER_WEB = 4
REST_UNITS = 4
POLITE_RESERVE_S = 200
log = logging.getLogger("bench")


def _ratio(a: float | None, b: float | None, digits: int = 3) -> float | None:
    return round(a / b, digits) if a is not None and b else None


def _say(msg: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {msg}", flush=True)


def run_crawls(r: dict[str, Any], work: Path, quick: bool, prof: bool, started: float, budget: float,
               webs: int = 3) -> C.CrawlFigures:
    sites = 3 if quick else None
    with C.SimWeb(1, work, sites=sites) as sim:
        _say(f"crawl 1x ({sim.agencies} agencies) with the full pipeline", started)
        db = work / "archive-1x.db"
        # Revisiting on, as in production: the re-crawl below then skips report pages not yet due.
        full = C.full_crawl(sim, db, "NIANBAO_REVISIT=1", label="full")
        first_db = C.db_figures(db)
        _say(f"  {full.responses} pages in {full.engine_s} s; unchanged re-crawl into the same archive", started)
        again = C.full_crawl(sim, db, "NIANBAO_REVISIT=1", label="recrawl")
        second_db = C.db_figures(db)
        # Seven more crawls, and below two more full/bare pairs: only when they fit in the budget before
        # what always runs later (issue 25's peers and polite crawl).
        reserve = (PEER_UNITS_PER_WEB * webs + REST_UNITS) * full.wall_s + POLITE_RESERVE_S
        skipped = r.setdefault("skipped_for_budget", [])

        def fits(part: str, cost: float) -> bool:
            ok = time.monotonic() - started + cost + reserve < budget
            if not ok:
                skipped.append({"part": part, "projected_s": round(cost), "reserved_s": round(reserve),
                                "at_s": round(time.monotonic() - started)})
            return ok

        week = [] if quick or not fits("daily week", 7 * again.wall_s) else _daily_week(sim, db, started)
        _say("  bare spider over the same URLs", started)
        bare = C.bare_crawl(sim, full.urls, work)
        # Two more full/bare pairs, alternated: on a shared 2-core machine one pair can differ by
        # 40 % from the next, so the ratio is taken between the medians of three.
        fulls, bares = [full], [bare]
        pairs = 0 if quick or not fits("full/bare repeats", 2 * (full.wall_s + bare.wall_s)) else REPEATS - 1
        for k in range(pairs):
            _say(f"  full and bare again ({k + 2}/{REPEATS})", started)
            fulls.append(C.full_crawl(sim, work / f"archive-repeat-{k}.db", "NIANBAO_REVISIT=1", label="full-repeat"))
            bares.append(C.bare_crawl(sim, full.urls, work))
        repeats_full, repeats_bare = [f.engine_s for f in fulls], [b.engine_s for b in bares]
        crawler_cpu = [f.stats.get("nianbao/crawler_cpu_s", 0.0) for f in fulls]
        _say("  crawl without the browser", started)
        nobrowser = C.full_crawl(sim, work / "archive-nobrowser.db", "NIANBAO_BROWSER_PAGES_PER_SITE=0",
                                 label="no-browser")
        _say("  crawl reading in the crawler process (NIANBAO_READ_WORKERS=0)", started)
        inproc = C.full_crawl(sim, work / "archive-inproc.db", "NIANBAO_REVISIT=1", "NIANBAO_READ_WORKERS=0",
                              label="read-in-process")
        if prof:
            _say("  crawl under cProfile", started)
            prof_file = work / "crawl.prof"
            C.full_crawl(sim, work / "archive-profile.db", label="profiled", profile=prof_file)
            r["profile"] = profile.summarise(prof_file)
            r["profile"]["pdf_logging"] = profile.pdf_logging_overhead(
                extraction.web_pages(sim.web, ("application/pdf",)))
    _say("per-call costs, replaying the 1x crawl's fetches", started)
    r["micro"] = micro.run(db, work)
    _say("scrapy bench", started)
    bench = C.scrapy_bench(work, seconds=3 if quick else 10)
    growth = {t: second_db["rows"].get(t, 0) - n for t, n in first_db["rows"].items()}
    r["crawl"] = {"agencies": sim.agencies, "full": full.summary(), "bare": bare.summary(),
                  "no_browser": nobrowser.summary(), "read_in_process": inproc.summary(), "scrapy_bench": bench,
                  "portal_build_s": round(sim.build_s, 3)}
    r["recrawl"] = {
        "first": {"requests": full.requests, "bytes": full.bytes, "db": first_db},
        "second": {"requests": again.requests, "bytes": again.bytes, "db": second_db,
                   "status_304": int(again.stats.get("downloader/response_status_count/304", 0)),
                   "seconds": again.engine_s, "outcomes": {k.split("/", 2)[2]: int(v) for k, v in again.stats.items()
                                                           if k.startswith("nianbao/reports/")}},
        "db_growth_bytes": second_db["bytes"] - first_db["bytes"],
        "new_rows": {t: n for t, n in growth.items() if n},
        "scrapy_response_bytes_ratio": _ratio(again.stats.get("downloader/response_bytes"),
                                              full.stats.get("downloader/response_bytes")),
        "daily_week": [{"day": d, "requests": c.requests, "bytes": c.bytes,
                        "bytes_ratio": _ratio(c.bytes, full.bytes, 4)} for d, c in week],
    }
    if week:
        # What a daily cron pays over a week of unchanged sites (lists come due after a day, reports
        # after seven, then less and less often): the mean against the first crawl.
        r["recrawl_bytes_ratio_daily_week"] = _ratio(sum(c.bytes for _, c in week) / len(week), full.bytes, 4)
    full_s, bare_s = statistics.median(repeats_full), statistics.median(repeats_bare)
    r["crawl"]["repeats"] = {"full_engine_s": repeats_full, "bare_engine_s": repeats_bare,
                             "crawler_cpu_s": crawler_cpu,
                             "median_full_engine_s": full_s, "median_bare_engine_s": bare_s}
    r["crawl_ratio_vs_bare_spider"] = _ratio(full.responses / full_s if full_s else None,
                                             bare.responses / bare_s if bare_s else None)
    r["crawl_ratio_vs_bare_spider_first_pair"] = _ratio(full.pages_per_s, bare.pages_per_s)
    # The same crawl with reading in the reactor thread (one run, against the bare median).
    r["crawl_ratio_vs_bare_spider_read_in_process"] = _ratio(inproc.pages_per_s,
                                                             bare.responses / bare_s if bare_s else None)
    # The most any crawler that reads every page could reach here: the bare spider's own work plus
    # this crawl's reading CPU alone (archive, links and browser free), spread perfectly over all cores.
    reading = full.cpu_roles.get("reading")
    cores = os.cpu_count() or 1
    if reading and bare_s:
        r["crawl_ratio_ceiling_reading_alone"] = crawl_ceiling(bare_s, reading, cores)
        r["crawl"]["ceiling"] = {"reading_cpu_s": reading, "bare_engine_s": bare_s, "cores": cores}
    # Counted from the work itself, on this machine: any crawler of this web does the bare spider's
    # fetching (its CPU), has the portal serve it (as much as for the bare spider), reads every report
    # and file (the reading itself, as bench/micro.py times it: no process start-up, no hand-over) and
    # renders the JavaScript lists in Chromium (the browser's CPU in the crawls, launch included); medians.
    work = {
        "bare spider": round(statistics.median(b.stats.get("bare/cpu_s", 0.0) for b in bares), 3),
        "portal": round(statistics.median(b.portal_cpu_s for b in bares), 3),
        "reading": round(sum((v or {}).get("total_ms", 0.0) for v in r["micro"].get("read", {}).values()) / 1000, 3),
        "browser": round(statistics.median(f.cpu_roles.get("browser", 0.0) for f in fulls), 3),
    }
    if bare_s and all(work.values()):
        r["crawl_ratio_ceiling_this_machine"] = work_ceiling(bare_s, work, cores)
        r["crawl"]["ceiling_work"] = {"cpu_s": work, "cores": cores, "bare_engine_s": bare_s}
    # And the most this crawler could reach on any number of cores: its one reactor's CPU (median).
    if all(crawler_cpu) and bare_s:
        r["crawl_ratio_bound_crawler_process"] = crawler_bound(bare_s, statistics.median(crawler_cpu))
    r["crawl_cpu_ratio_vs_bare_spider"] = _ratio(full.responses / full.cpu_s if full.cpu_s else None,
                                                 bare.responses / bare.cpu_s if bare.cpu_s else None)
    r["crawl_pages_per_s"] = round(full.pages_per_s, 2)
    r["bare_pages_per_s"] = round(bare.pages_per_s, 2)
    r["scrapy_bench_pages_per_min"] = bench["pages_per_min"]
    r["recrawl_bytes_ratio"] = _ratio(again.bytes, full.bytes, 4)
    r["recrawl_requests_ratio"] = _ratio(again.requests, full.requests)
    r["recrawl_db_growth_bytes"] = r["recrawl"]["db_growth_bytes"]
    r["crawl_peak_rss_mb"] = full.peak_rss_mb
    r["crawl_peak_rss_mb_no_browser"] = nobrowser.peak_rss_mb
    r["memory"] = {"with_browser": {"tree_mb": full.peak_rss_mb, "crawler_mb": full.peak_rss_main_mb,
                                    "at_peak_mb": full.peak_parts},
                   "without_browser": {"tree_mb": nobrowser.peak_rss_mb, "crawler_mb": nobrowser.peak_rss_main_mb},
                   "note": "peak of summed RSS over the process tree (shared pages counted once per process)"}
    return full


def _daily_week(sim: C.SimWeb, db: Path, started: float) -> list[tuple[int, C.CrawlFigures]]:
    """Seven daily re-crawls of the unchanged web (the crawl's clock moved on with NIANBAO_NOW)."""
    first = datetime.now(UTC)
    out = []
    for day in range(1, 8):
        _say(f"  daily re-crawl, day {day}", started)
        now = (first + timedelta(days=day, minutes=5)).isoformat(timespec="seconds")
        out.append((day, C.full_crawl(sim, db, "NIANBAO_REVISIT=1", f"NIANBAO_NOW={now}", label=f"day-{day}")))
    return out


def run_latency(r: dict[str, Any], work: Path, started: float) -> None:
    """At latency 0 the bare spider is bound by Scrapy alone; real portals answer in 0.1–1 s, and then
    the pipeline's CPU work can overlap the network waits. The same comparison at LATENCY seconds."""
    with C.SimWeb(1, work, latency=LATENCY) as sim:
        _say(f"full vs bare at {LATENCY} s latency", started)
        slow_full = C.full_crawl(sim, work / "archive-latency.db", label=f"full-latency-{LATENCY}")
        slow_bare = C.bare_crawl(sim, slow_full.urls, work)
        slow_inproc = C.full_crawl(sim, work / "archive-latency-inproc.db", "NIANBAO_READ_WORKERS=0",
                                   label=f"read-in-process-latency-{LATENCY}")
    r["crawl_at_latency"] = {"latency_s": LATENCY, "full": slow_full.summary(), "bare": slow_bare.summary(),
                             "read_in_process": slow_inproc.summary()}
    r["crawl_ratio_vs_bare_spider_at_latency"] = _ratio(slow_full.pages_per_s, slow_bare.pages_per_s)
    r["crawl_ratio_vs_bare_spider_at_latency_read_in_process"] = _ratio(slow_inproc.pages_per_s,
                                                                        slow_bare.pages_per_s)


def run_scaling(r: dict[str, Any], work: Path, base: C.CrawlFigures, quick: bool, started: float,
                budget: float) -> None:
    points = [base]
    wanted = [2] if quick else [4, 16, 2, 8]  # the 4x and 16x first, then fill-ins that fit
    skipped: list[dict[str, Any]] = []
    setup: list[dict[str, Any]] = []
    for scale in wanted:
        exp = fit_exponent([(p.scale, p.wall_s) for p in points]) or 1.0
        projected = 1.2 * base.wall_s * scale ** max(1.0, exp) + 5  # 20 % margin: neighbours' load varies
        left = budget - (time.monotonic() - started)
        if projected > left:
            skipped.append({"scale": scale, "projected_s": round(projected), "left_s": round(left)})
            continue
        with C.SimWeb(scale, work, sites=3 if quick else None) as sim:
            # Rendering a replica's PDFs the first time (then cached on disk) can take a minute.
            setup.append({"scale": scale, "build_s": round(sim.build_s, 2), "warm_s": round(sim.warm_s, 2)})
            left = budget - (time.monotonic() - started)
            if projected > left:
                skipped.append({"scale": scale, "projected_s": round(projected), "left_s": round(left)})
                continue
            _say(f"scaling: crawl {scale}x ({sim.agencies} agencies, projected {projected:.0f} s)", started)
            points.append(C.full_crawl(sim, work / f"archive-{scale}x.db", label=f"{scale}x"))
            if scale == 4 and not quick:
                # Throughput once the one-off costs (browser start, the last site's tail) are spread
                # over four times the pages: the bare spider over the same 4x URLs.
                _say("  bare spider over the 4x URLs", started)
                bare4 = C.bare_crawl(sim, points[-1].urls, work)
                r["crawl_at_4x"] = {"full": points[-1].summary(), "bare": bare4.summary()}
                r["crawl_ratio_vs_bare_spider_4x"] = _ratio(points[-1].pages_per_s, bare4.pages_per_s)
                r["crawl_ratio_bound_crawler_process_4x"] = crawler_bound(
                    bare4.engine_s, points[-1].stats.get("nianbao/crawler_cpu_s", 0.0))
    points.sort(key=lambda p: p.scale)
    r["scaling"] = {
        "scales": [p.scale for p in points],
        "agencies": [r["crawl"]["agencies"] * p.scale for p in points],
        "pages": [p.responses for p in points],
        "engine_s": [p.engine_s for p in points],
        "wall_s": [p.wall_s for p in points],
        "cpu_s": [p.cpu_s for p in points],
        "peak_rss_mb": [p.peak_rss_mb for p in points],
        "peak_rss_main_mb": [p.peak_rss_main_mb for p in points],
        "skipped_for_budget": skipped,
        "portal_setup": setup,
        "runs": [p.summary() for p in points],
    }
    # CPU seconds of the crawl's process tree: on a shared machine wall time mostly measures the
    # neighbours (a CPU-bound crawl gets half a core when the load average is 4 on 2 cores).
    r["scaling_exponent"] = fit_exponent([(p.scale, p.cpu_s) for p in points])
    r["scaling_exponent_wall"] = fit_exponent([(p.scale, p.engine_s) for p in points])
    r["memory_scaling_exponent"] = fit_exponent([(p.scale, p.peak_rss_main_mb) for p in points])
    r["memory_scaling_exponent_tree"] = fit_exponent([(p.scale, p.peak_rss_mb) for p in points])


def run_peers(r: dict[str, Any], work: Path, webs: list[tuple[str, Any]], started: float) -> None:
    """nianbao, trafilatura's focused crawler and a generic CrawlSpider on the same webs (issue 25)."""
    r["peers"] = peers.run(webs, work, say=lambda m: _say(m, started))


def _fresh_process(fn: Any, *args: Any) -> Any:
    """``fn(*args)`` in a new interpreter, as the crawl reads pages in a small process of its own
    (pipelines.reader). Timed here, after the web and the dedup section, the real pages' extraction
    read 0.42-0.49x trafilatura against 0.40-0.42 in fresh interpreters (docs/performance.md)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def run_polite(r: dict[str, Any], work: Path, quick: bool, started: float, budget: float) -> None:
    """settings.default's politeness over many small sites at real latency (issue 25): the crawl's
    time against the least politeness and concurrency allow. The queue in settings.default first;
    the other priority queue too while the run's time allows, to keep the better one."""
    names = {v: k for k, v in breadth.QUEUES.items()}
    first = names.get(breadth.default_setting("SCHEDULER_PRIORITY_QUEUE", breadth.QUEUES["default"]), "default")
    sites = 60 if quick else breadth.SITES
    with breadth.BreadthWeb(work, sites) as sim:
        runs = {first: breadth.polite_crawl(sim, work / f"breadth-{first}.db", breadth.QUEUES[first], first)}
        _say(f"polite crawl, {sites} sites at {breadth.LATENCY} s, {first} queue: {_brief(runs[first])}", started)
        other = next(k for k in breadth.QUEUES if k != first)
        left = budget - (time.monotonic() - started)
        if not quick and left > 2.5 * runs[first]["wall_s"] + 120:
            runs[other] = breadth.polite_crawl(sim, work / f"breadth-{other}.db", breadth.QUEUES[other], other)
            _say(f"  the same with the {other} queue: {_brief(runs[other])}", started)
    r["polite"] = {"sites": sites, "reports": len(sim.web.reports), "latency_s": breadth.LATENCY,
                   "settings_queue": first, "runs": runs}
    r["polite_crawl_efficiency"] = runs[first]["efficiency"]


def _brief(run: dict[str, Any]) -> str:
    return f"{run['pages']} pages in {run['engine_s']} s, bound {run['bound_s']} s, efficiency {run['efficiency']}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes (about a minute); figures are indicative")
    ap.add_argument("--profile", action="store_true", help="also profile a 1x crawl by pipeline stage")
    ap.add_argument("--no-distributed", action="store_true", help="skip the Redis/PostgreSQL workers (issue 7)")
    ap.add_argument("--budget", type=float, default=570.0, help="seconds for the whole run (default 570)")
    ap.add_argument("--out", type=Path, default=OUT, help="results JSON (default bench/results.json)")
    ap.add_argument("--doc", type=Path, default=DOC,
                    help="page whose <!-- bench:table:start/end --> region gets the table (default docs/performance.md)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    r: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
                         "machine": machine()}
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        from tests.portal import build_web

        web = build_web(scale=1)
        _say("extraction + parsing: nianbao vs trafilatura vs readability", started)
        r["extraction"] = extraction.run(web, repeat=2, quick=args.quick)
        r["extract_parse_ratio_vs_trafilatura"] = r["extraction"]["ratio_vs_trafilatura"]
        r["reports_parsed_per_second"] = r["extraction"]["parse_text"]["reports_per_second"]
        _say("dedup: synthetic archive of near-duplicate reports", started)
        texts = _dedup_texts(web)
        sizes = (1_000, 10_000) if args.quick else (10_000, 100_000)
        r["dedup"] = dedup.run(texts, sizes=sizes)
        r["dedup_lookup_ms_10k"] = r["dedup"]["n10000"]["lookup_ms_mean"]
        r["dedup_lookup_ms_100k"] = (r["dedup"].get("n100000") or {}).get("lookup_ms_mean")
        r["dedup_build_s_100k"] = (r["dedup"].get("n100000") or {}).get("build_s")
        _say("extraction + parsing on the real gov.cn pages of ../shared/real", started)
        r["extraction_real"] = _fresh_process(extraction.real_run, 2 if args.quick else 9)  # four pages: more repeats
        r["extract_parse_ratio_vs_trafilatura_real"] = r["extraction_real"].get("ratio_vs_trafilatura")
        rand = [] if args.quick else peers.random_webs()
        base = run_crawls(r, work, args.quick, args.profile, started, args.budget, 1 + len(rand))
        run_peers(r, work, [("simulated", web), *rand], started)
        run_polite(r, work, args.quick, started, args.budget)
        _say("weekly cron: detection latency and unchanged-week cost (issue 22)", started)
        r.update(weekly.run(work / "weekly"))
        if not args.quick and not args.no_distributed:
            if time.monotonic() - started < args.budget * 0.65:
                _say("distributed: one and two workers on Redis + PostgreSQL (issue 7)", started)
                r["distributed"] = distributed.run(work)
            else:  # a loaded machine: keep the whole run under --budget
                r["distributed"] = {"skipped": "time budget spent (busy machine); rerun with a larger --budget"}
        if not args.quick and time.monotonic() - started < args.budget * 0.7:
            run_latency(r, work, started)
        d = r.get("distributed") or {}
        r["distributed_pages_per_s_1_worker"] = d.get("pages_per_s_1_worker")
        r["distributed_pages_per_s_2_workers"] = d.get("pages_per_s_2_workers")
        r["distributed_speedup_2_workers"] = d.get("speedup_2_workers")
        run_scaling(r, work, base, args.quick, started, args.budget)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    r["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    r["duration_s"] = round(time.monotonic() - started, 1)
    r["goals"] = goals(r)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(r), encoding="utf-8")
    write_marked(args.doc, r)
    write_marked(REPO / "README.md", r, "goals")  # the README shows the goals table
    print_table(r)
    print(f"\nwrote {args.out}, {args.out.with_suffix('.md')} and the marked table of {args.doc}")
    return 0


def _dedup_texts(web: Any) -> list[str]:
    """Real report texts to synthesise the archive from: seeds, fixtures and the web's report pages."""
    from crawler.extract import extract

    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        pages = extraction.web_pages(web)
        return [t for _, t in extraction.texts_for_parsing()] + [extract(p.body, p.url, p.content_type).text
                                                                  for p in pages]
    finally:
        quiet.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
