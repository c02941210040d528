"""The machine, the goals of issue 10, the printed table and the README's Performance section."""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

# The parts of the work any crawler of the simulated web does here, in the order the table names them.
WORK_PARTS = ("bare spider", "portal", "reading", "browser")

_PACKAGES = ("scrapy", "scrapy-playwright", "playwright", "trafilatura", "readability-lxml", "lxml",
             "datasketch", "sqlalchemy", "pdfplumber")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True, timeout=20,
                                  check=False).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        chromium = None
    mem_gb = None
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        mem_gb = round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "os": platform.platform(),
            "python": platform.python_version(), "versions": versions, "chromium": chromium,
            "loadavg_start": [round(x, 2) for x in os.getloadavg()]}


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) against log(x): y ∝ x^slope."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    if not var:
        return None
    return round(sum((x - mx) * (y - my) for x, y in pts) / var, 3)


def crawl_ceiling(bare_s: float, reading_cpu_s: float, cores: int) -> float | None:
    """The best full/bare pages-per-second ratio any crawler that reads every page could reach: the
    bare spider's own work (``bare_s`` of one core) plus ``reading_cpu_s``, with nothing else to do,
    spread perfectly over ``cores``. ``None`` without a bare time."""
    return work_ceiling(bare_s, {"bare spider": bare_s, "reading": reading_cpu_s}, cores)


def work_ceiling(bare_s: float, work_cpu_s: Mapping[str, float], cores: int) -> float | None:
    """The best full/bare ratio any crawler could reach here that must do all of ``work_cpu_s``
    (CPU seconds by part, the bare spider's own and the portal's serving among them) within its crawl,
    spread perfectly over ``cores``: it lasts at least the bare crawl's time and at least the work
    over the cores. ``None`` without a bare time or any work."""
    total = sum(max(0.0, v) for v in work_cpu_s.values())
    if bare_s <= 0 or total <= 0:
        return None
    return round(bare_s / max(bare_s, total / max(1, cores)), 3)


def crawler_bound(bare_s: float, crawler_cpu_s: float) -> float | None:
    """The best full/bare ratio this crawler could reach on any number of cores: its Scrapy process
    runs one reactor (one core at a time, under the GIL), so the crawl lasts at least the CPU that
    process spends between open and close, ``crawler_cpu_s``. ``None`` without both figures."""
    if bare_s <= 0 or crawler_cpu_s <= 0:
        return None
    return round(bare_s / max(bare_s, crawler_cpu_s), 3)


def polite_bound(host_pages: Mapping[str, int], delay_s: float, latency_s: float, concurrency: int) -> float | None:
    """The least time a polite crawl of these pages can take: one host is asked once per ``delay_s``
    (the busiest host's pages × the delay), and ``concurrency`` requests in flight, each answered
    after ``latency_s``, move all pages at most ``concurrency / latency_s`` a second. The larger of
    the two; ``None`` without pages."""
    pages = [n for n in host_pages.values() if n > 0]
    if not pages:
        return None
    return round(max(max(pages) * delay_s, sum(pages) * latency_s / max(1, concurrency)), 3)


def goals(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The goals next to the figures (issue 10's that still stand, issue 25's); ``met`` is None when
    the figure was not measured. Issue 10's 0.8x-at-zero-latency crawl goal is retired: that ratio
    and its ceiling are figures (figure_rows), not a goal."""

    def check(name: str, key: str, op: str, limit: float, shown: str, issue: int) -> dict[str, Any]:
        value = _get(r, key)
        met = None if value is None else (value <= limit if op == "<=" else value >= limit if op == ">=" else
                                          value < limit)
        return {"goal": name, "key": key, "target": f"{op} {shown}", "value": value, "met": met, "issue": issue}

    out = [
        check("extraction+parsing time vs trafilatura alone (median): own pages",
              "extract_parse_ratio_vs_trafilatura", "<=", 0.5, "0.5x", 10),
        check("extraction+parsing time vs trafilatura alone (median): real gov.cn pages",
              "extract_parse_ratio_vs_trafilatura_real", "<=", 0.5, "0.5x", 25),
        check("polite crawl at breadth: bound / crawl time", "polite_crawl_efficiency", ">=", 0.9, "0.9", 25),
        check("peak RSS of the crawl with its browser (MB)", "crawl_peak_rss_mb", "<=", 500, "500 MB", 25),
        check("unchanged re-crawl bytes vs first crawl", "recrawl_bytes_ratio", "<=", 0.05, "0.05", 10),
        check("near-duplicate lookup at 100k reports (ms)", "dedup_lookup_ms_100k", "<", 1.0, "1 ms", 10),
        check("crawler RSS growth with agencies (exponent)", "memory_scaling_exponent", "<=", 0.2, "0.2 (flat)", 10),
        check("crawl CPU time growth with agencies (exponent)", "scaling_exponent", "<=", 1.1, "1.1 (linear)", 10),
    ]
    peers = r.get("peers") or {}
    nb = peers.get("nianbao") or {}
    for name, label in (("trafilatura_focused", "trafilatura's focused crawler"),
                        ("generic_spider", "a generic CrawlSpider")):
        other = peers.get(name) or {}
        a, b = nb.get("recall"), other.get("recall")
        out.append({"goal": f"recall vs {label}", "key": f"peers.{name}.recall",
                    "target": f">= {_fmt(b)}", "value": a, "issue": 25,
                    "met": None if a is None or b is None else a >= b})
        ratio = pages_ratio(nb.get("pages_per_report"), other.get("pages_per_report"))
        out.append({"goal": f"pages per report found vs {label}", "key": f"peers.{name}.pages_per_report",
                    "target": "<= 0.5x", "value": ratio, "issue": 25, "met": None if ratio is None else ratio <= 0.5})
    return out


def pages_ratio(ours: float | None, theirs: float | None) -> float | None:
    """nianbao's pages per report found over a peer's (the goal: at most 0.5)."""
    return round(ours / theirs, 3) if ours is not None and theirs else None


def _get(r: dict[str, Any], dotted: str) -> Any:
    value: Any = r
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def _work(r: dict[str, Any]) -> str:
    work = (r.get("crawl") or {}).get("ceiling_work") or {}
    parts = work.get("cpu_s") or {}
    if not parts:
        return "—"
    return (f"{_fmt(r.get('crawl_ratio_ceiling_this_machine'))} "
            f"(({' + '.join(_fmt(parts.get(k)) for k in WORK_PARTS)}) / {work.get('cores')} cores"
            f" against the bare spider's {_fmt(work.get('bare_engine_s'))} s)")


def _per_s(run: dict[str, Any], median_s: float | None) -> float | None:
    """Pages per second of ``run`` over the median engine time of its repeats (its own without)."""
    if not median_s:
        return run.get("pages_per_s")
    return round(run.get("responses", 0) / median_s, 2)


def _median(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def _mark(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "not measured"}[met]


def _micro(mi: dict[str, Any]) -> str:
    if not mi:
        return "not measured"
    read, look = mi.get("read") or {}, mi.get("lookups") or {}

    def med(d: dict[str, Any] | None) -> str:
        return _fmt((d or {}).get("median_ms"))

    return (f"{' / '.join(med(read.get(k)) for k in ('html', 'pdf', 'docx'))}; {med(mi.get('record_fetch'))}; "
            f"{med(mi.get('archive_document'))}; {med(look.get('validators'))} / {med(look.get('is_due'))}")


def figure_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    ex, cr, rc, dd, sc = (r.get(k) or {} for k in ("extraction", "crawl", "recrawl", "dedup", "scaling"))
    full, bare, rep = cr.get("full") or {}, cr.get("bare") or {}, cr.get("repeats") or {}
    rows = [
        *issue25_rows(r),
        ("extract+parse ms/page (median / p95)",
         f"nianbao {_fmt(ex.get('nianbao', {}).get('median_ms'))} / {_fmt(ex.get('nianbao', {}).get('p95_ms'))}; "
         f"trafilatura {_fmt(ex.get('trafilatura', {}).get('median_ms'))} / "
         f"{_fmt(ex.get('trafilatura', {}).get('p95_ms'))}; readability "
         f"{_fmt(ex.get('readability', {}).get('median_ms'))} / {_fmt(ex.get('readability', {}).get('p95_ms'))}"),
        ("extract+parse vs trafilatura (median): token caches warm / emptied before each page",
         f"{_fmt(ex.get('ratio_vs_trafilatura'))} / {_fmt(ex.get('cold_caches_ratio_vs_trafilatura'))}"),
        ("PDF/DOCX attachment extract+parse ms (median)", _fmt((ex.get("attachments") or {}).get("median_ms"))),
        ("reports parsed per second from text", _fmt(r.get("reports_parsed_per_second"))),
        (f"crawl pages/s (median of {len(rep.get('full_engine_s') or [1])}): full / bare / ratio",
         f"{_fmt(_per_s(full, rep.get('median_full_engine_s')))} / {_fmt(_per_s(bare, rep.get('median_bare_engine_s')))} / "
         f"{_fmt(r.get('crawl_ratio_vs_bare_spider'))} ({full.get('responses', '—')} pages, "
         f"{cr.get('agencies', '—')} agencies)"),
        ("crawl vs bare spider at 4x (1,016 pages: one-off costs spread)",
         f"{_fmt(((r.get('crawl_at_4x') or {}).get('full') or {}).get('pages_per_s'))} / "
         f"{_fmt(((r.get('crawl_at_4x') or {}).get('bare') or {}).get('pages_per_s'))} pages/s / "
         f"{_fmt(r.get('crawl_ratio_vs_bare_spider_4x'))}"),
        ("crawl CPU s by process, 1x: Scrapy / reading / browser (bare spider: all)",
         " / ".join(_fmt((full.get("cpu_s_by_process") or {}).get(k)) for k in ("scrapy", "reading", "browser"))
         + f" ({_fmt(bare.get('cpu_s'))})"),
        ("ceiling vs bare spider here for any crawler that reads every report and file and renders the JS lists"
         " in Chromium: CPU s of bare spider + portal + reading + browser, over the cores",
         _work(r)),
        ("bound vs bare spider from this crawler's own process on any number of cores: 1x / 4x",
         f"{_fmt(r.get('crawl_ratio_bound_crawler_process'))} / {_fmt(r.get('crawl_ratio_bound_crawler_process_4x'))}"
         f" (its CPU from open to close, 1x median: {_fmt(_median(rep.get('crawler_cpu_s')))} s)"),
        ("per call in the 1x crawl's order, CPU ms median: read HTML / PDF / DOCX; log a fetch; archive a report;"
         " validators / is_due lookup", _micro(r.get("micro") or {})),
        ("DOCX text and tables, CPU ms median: read_docx / python-docx loading the package",
         " / ".join(_fmt((((r.get("micro") or {}).get("docx_readers") or {}).get(k) or {}).get("median_ms"))
                    for k in ("read_docx", "python_docx"))),
        ("crawl pages/s at 0.2 s latency: full / bare / ratio",
         f"{_fmt((r.get('crawl_at_latency') or {}).get('full', {}).get('pages_per_s'))} / "
         f"{_fmt((r.get('crawl_at_latency') or {}).get('bare', {}).get('pages_per_s'))} / "
         f"{_fmt(r.get('crawl_ratio_vs_bare_spider_at_latency'))}"),
        ("crawl vs bare spider, reading in the crawler process (NIANBAO_READ_WORKERS=0): latency 0 / 0.2 s",
         f"{_fmt(r.get('crawl_ratio_vs_bare_spider_read_in_process'))} / "
         f"{_fmt(r.get('crawl_ratio_vs_bare_spider_at_latency_read_in_process'))}"),
        ("crawl pages per CPU-second: full / bare",
         f"{_fmt(full.get('pages_per_cpu_s'))} / {_fmt(bare.get('pages_per_cpu_s'))}"),
        ("distributed pages/s: 1 worker / 2 workers (Redis + PostgreSQL)",
         f"{_fmt(r.get('distributed_pages_per_s_1_worker'))} / {_fmt(r.get('distributed_pages_per_s_2_workers'))}"
         + (f" ({(r.get('distributed') or {}).get('skipped')})" if (r.get("distributed") or {}).get("skipped")
            else "")),
        ("scrapy bench pages/min", _fmt((cr.get("scrapy_bench") or {}).get("pages_per_min"))),
        ("unchanged re-crawl: requests / bytes vs first",
         f"{_fmt(r.get('recrawl_requests_ratio'))} / {_fmt(r.get('recrawl_bytes_ratio'))}"),
        ("daily re-crawls of the unchanged web, days 1–7: bytes vs first (mean)",
         " / ".join(_fmt(d.get("bytes_ratio")) for d in rc.get("daily_week") or []) + " ("
         + _fmt(r.get("recrawl_bytes_ratio_daily_week")) + ")" if rc.get("daily_week") else "not measured"),
        ("unchanged re-crawl: db growth bytes, new rows",
         f"{_fmt(rc.get('db_growth_bytes'))}, "
         + (", ".join(f"{t} +{n}" for t, n in (rc.get("new_rows") or {}).items()) or "none")),
        ("dedup lookup ms at 10k / 100k (mean)",
         f"{_fmt(r.get('dedup_lookup_ms_10k'))} / {_fmt(r.get('dedup_lookup_ms_100k'))}"),
        ("dedup index build s at 10k / 100k",
         f"{_fmt((dd.get('n10000') or {}).get('build_s'))} / {_fmt((dd.get('n100000') or {}).get('build_s'))}"),
        ("minhash of one report (ms)", _fmt(dd.get("minhash_ms_per_report"))),
        ("peak RSS MB, crawl with / without browser",
         f"{_fmt(r.get('crawl_peak_rss_mb'))} / {_fmt(r.get('crawl_peak_rss_mb_no_browser'))} "
         f"(crawler and reading process {_fmt(full.get('peak_rss_main_mb'))})"),
        ("scaling: scales / pages", f"{sc.get('scales', '—')} / {sc.get('pages', '—')}"),
        ("scaling: CPU s / wall s", f"{sc.get('cpu_s', '—')} / {sc.get('engine_s', '—')}"),
        ("scaling: crawler RSS MB / tree RSS MB", f"{sc.get('peak_rss_main_mb', '—')} / {sc.get('peak_rss_mb', '—')}"),
        ("scaling exponent CPU time / wall time / crawler memory",
         f"{_fmt(r.get('scaling_exponent'))} / {_fmt(r.get('scaling_exponent_wall'))} / "
         f"{_fmt(r.get('memory_scaling_exponent'))}"),
    ]
    return rows


PEER_NAMES = {"nianbao": "nianbao", "trafilatura_focused": "trafilatura focused_crawler",
              "generic_spider": "generic CrawlSpider"}


def issue25_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    """Peers, politeness at breadth, real pages, memory, and issue 10's retired ratio with its ceiling."""
    at_peak = ((r.get("memory") or {}).get("with_browser") or {}).get("at_peak_mb") or {}
    rows = [("peak RSS MB of the crawl with its browser, by process at the peak",
             f"{_fmt(r.get('crawl_peak_rss_mb'))} ("
             + ", ".join(f"{k} {_fmt(v)}" for k, v in at_peak.items()) + ")"),
            ("crawl pages/s vs bare spider at latency 0, with the ceiling any crawler reaches here"
             " (issue 10's 0.8 goal retired: a figure)",
             f"{_fmt(r.get('crawl_ratio_vs_bare_spider'))} (ceiling {_fmt(r.get('crawl_ratio_ceiling_this_machine'))})")]
    peers = r.get("peers") or {}
    if peers.get("nianbao"):
        where = f"{', '.join(peers.get('webs') or [])}; {peers.get('page_budget_per_site')} pages per site"
        for key, name in PEER_NAMES.items():
            p = peers.get(key) or {}
            rows.append((f"peers ({where}): {name}: recall / precision / pages per report / CPU s per report / wall s",
                         f"{_fmt(p.get('recall'))} / {_fmt(p.get('precision'))} / {_fmt(p.get('pages_per_report'))}"
                         f" / {_fmt(p.get('cpu_s_per_report'))} / {_fmt(p.get('wall_s'))}"
                         f" ({p.get('found', '—')} of {p.get('reports', '—')} reports, {p.get('pages', '—')} pages)"))
    polite = r.get("polite") or {}
    for name, run in (polite.get("runs") or {}).items():
        rows.append((f"polite crawl, {polite.get('sites')} sites at {_fmt(polite.get('latency_s'))} s latency,"
                     f" settings.default, {name} priority queue: bound s / crawl s = efficiency",
                     f"{_fmt(run.get('bound_s'))} / {_fmt(run.get('engine_s'))} = {_fmt(run.get('efficiency'))}"
                     f" ({run.get('pages')} pages, {run.get('hosts')} hosts, busiest"
                     f" {(run.get('busiest_host') or {}).get('pages')} pages × {_fmt(run.get('delay_s'))} s;"
                     f" {run.get('items')} items; {_fmt(run.get('cpu_s'))} CPU s)"))
    real = (r.get("extraction_real") or {})
    if real.get("pages"):
        rows.append((f"extract+parse on the real gov.cn pages of ../shared/real ({real['pages']}): nianbao ms /"
                     " trafilatura ms / ratio (median)",
                     f"{_fmt((real.get('nianbao') or {}).get('median_ms'))} / "
                     f"{_fmt((real.get('trafilatura') or {}).get('median_ms'))} / "
                     f"{_fmt(r.get('extract_parse_ratio_vs_trafilatura_real'))}"))
        hot = real.get("hot_spots") or []
        if hot:
            rows.append(("hot spots of nianbao's extract+parse on the real pages (cumulative CPU share)",
                         "; ".join(f"{h['function']} {h['share']:.0%}" for h in hot[:6])))
    return rows


def print_table(r: dict[str, Any]) -> None:
    m = r.get("machine") or {}
    print(f"\nnianbao bench — {r.get('date')} — {m.get('cpu')}, {m.get('cores')} cores, Python {m.get('python')}"
          f", load {m.get('loadavg_start')} → {m.get('loadavg_end')}, {r.get('duration_s')} s"
          + (" (--quick)" if r.get("quick") else ""))
    rows = figure_rows(r)
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    print("\n  goals:")
    for g in r.get("goals", []):
        print(f"  {g['goal']:<72} {_fmt(g['value']):>8} target {g['target']:<14} met: {_mark(g['met'])}")


def markdown(r: dict[str, Any]) -> str:
    """docs/performance.md's table: the goals, then every figure."""
    lines = [goals_markdown(r).rstrip("\n"), "", "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {val} |" for k, val in figure_rows(r)]
    return "\n".join(lines) + "\n"


def goals_markdown(r: dict[str, Any]) -> str:
    """The run's machine and its goals table (the README shows this part)."""
    m = r.get("machine") or {}
    v = m.get("versions") or {}
    lines = [
        f"Measured by `make bench` on {r.get('date', '')[:10]}: {m.get('cpu')}, {m.get('cores')} cores, "
        f"Python {m.get('python')}, Scrapy {v.get('scrapy')}, trafilatura {v.get('trafilatura')} "
        f"(load average {m.get('loadavg_start')} at start: a shared machine; ratios matter more than seconds).",
        "",
        "| goal | issue | target | measured | met |",
        "|---|---|---|---|---|",
    ]
    for g in r.get("goals", []):
        lines.append(f"| {g['goal']} | {g.get('issue', 10)} | {g['target']} | {_fmt(g['value'])} | {_mark(g['met'])} |")
    return "\n".join(lines) + "\n"


TABLE_START = "<!-- bench:table:start -->"
TABLE_END = "<!-- bench:table:end -->"


def fill_marked(text: str, table: str, name: str = "table") -> str:
    """``text`` with ``table`` between the bench markers ``<!-- bench:NAME:start/end -->`` (replacing
    what was there); the markers and the table appended at the end when the text has no (complete,
    ordered) pair of markers."""
    first, last = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{first}\n{table.rstrip()}\n{last}"
    start = text.find(first)
    end = text.find(last, start + len(first)) if start >= 0 else -1
    if start < 0 or end < 0:
        return (text.rstrip() + "\n\n" if text.strip() else "") + block + "\n"
    return text[:start] + block + text[end + len(last):]


def write_marked(path: Path, r: dict[str, Any], name: str = "table") -> None:
    """Write the bench's table (``table``: everything; ``goals``: the goals table) into the marked
    region of ``path`` (created, with a heading, if absent)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n\nGenerated by `make bench`.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fill_marked(text, goals_markdown(r) if name == "goals" else markdown(r), name), encoding="utf-8")
