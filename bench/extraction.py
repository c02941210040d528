"""Extraction + parsing speed: nianbao vs trafilatura alone vs readability-lxml, per page.

Pages: the HTML fixture corpus (tests/fixtures/extract/*/input.html) and every HTML report page of
the simulated web, rendered by the portal exactly as a crawler would receive it. Every tool gets
the same bytes and the same decoding (crawler.extract.decode.decode_html, w3lib, gb18030 for
gb2312/gbk); trafilatura and readability are timed on decode + extract, nianbao on
extract(bytes) + parse, which decodes itself. Time per page is the best of ``repeat`` runs, so a
busy neighbour on a shared machine inflates fewer samples.
"""

from __future__ import annotations

import csv
import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.e2e.crawl import REPO

FIXTURES = REPO / "tests" / "fixtures"
SEEDS = REPO.parent / "shared" / "seeds"
PORTAL_SEEDS = REPO / "tests" / "portal" / "seedtexts"
REAL = REPO.parent / "shared" / "real"  # real gov.cn pages, read at run time, never copied


@dataclass
class Page:
    name: str
    url: str
    content_type: str | None
    body: bytes


def fixture_pages() -> list[Page]:
    import json

    pages = []
    for path in sorted((FIXTURES / "extract").glob("*/input.html")):
        expected = json.loads((path.parent / "expected.json").read_text(encoding="utf-8"))
        pages.append(Page(path.parent.name, expected.get("url", ""), expected.get("content_type"), path.read_bytes()))
    return pages


def web_pages(web: Any, kinds: tuple[str, ...] = ("text/html",)) -> list[Page]:
    """The simulated web's report URLs whose content type starts with one of ``kinds``."""
    from tests.portal import Portal

    portal = Portal(web)  # never started: ``answer`` renders a page as the server would send it
    pages, seen = [], set()
    for report in web.reports:
        for url in report.urls:
            if url in seen:
                continue
            seen.add(url)
            split = urlsplit(url)
            target = split.path + (f"?{split.query}" if split.query else "")
            resp = portal.answer("GET", split.hostname or "", target, {}, b"")
            if resp.status == 200 and resp.content_type.startswith(kinds):
                pages.append(Page(f"web:{url}", url, resp.content_type, resp.body))
    return pages


def _best_ms(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _tools() -> dict[str, Callable[[Page], object]]:
    import trafilatura
    from readability import Document

    from crawler.extract import extract, tables
    from crawler.extract.decode import decode_html
    from crawler.parse import cells, parse

    def nianbao(p: Page) -> object:
        return parse(extract(p.body, p.url, p.content_type))

    def nianbao_cold(p: Page) -> object:
        # the token caches (crawler.parse.cells, crawler.extract.tables) emptied first: a page
        # that shares nothing with any page before it, the worst case of a crawl
        for fn in (cells.classify, cells.squash, tables.clean_ws):
            fn.cache_clear()
        return parse(extract(p.body, p.url, p.content_type))

    def nianbao_extract(p: Page) -> object:
        return extract(p.body, p.url, p.content_type)

    def trafilatura_alone(p: Page) -> object:
        return trafilatura.extract(decode_html(p.body, p.content_type)[0], include_tables=True)

    def readability_lxml(p: Page) -> object:
        return Document(decode_html(p.body, p.content_type)[0]).summary()

    return {"nianbao": nianbao, "nianbao_cold_caches": nianbao_cold, "nianbao_extract_only": nianbao_extract,
            "trafilatura": trafilatura_alone, "readability": readability_lxml}


def distribution(ms: list[float]) -> dict[str, float]:
    """Median, p95 and mean of per-call milliseconds."""
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "mean_ms": round(statistics.fmean(ordered), 2)}


def bench_pages(pages: list[Page], repeat: int = 3) -> dict[str, Any]:
    """Median / p95 ms per page of every tool over ``pages``, and the ratios to trafilatura."""
    tools = _tools()
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # per-page warnings are the eval's business, not the bench's
    try:
        for fn in tools.values():  # imports and lazy initialisation are not charged to page 1
            fn(pages[0])
        times: dict[str, list[float]] = {name: [] for name in tools}
        for page in pages:
            for name, fn in tools.items():
                times[name].append(_best_ms(lambda fn=fn, page=page: fn(page), repeat))
    finally:
        quiet.setLevel(level)
    out: dict[str, Any] = {"pages": len(pages), "repeat": repeat,
                           "fixture_pages": sum(not p.name.startswith("web:") for p in pages),
                           "web_pages": sum(p.name.startswith("web:") for p in pages)}
    for name, ms in times.items():
        out[name] = distribution(ms)
    t = out["trafilatura"]["median_ms"]
    out["ratio_vs_trafilatura"] = round(out["nianbao"]["median_ms"] / t, 3) if t else None
    out["extract_only_ratio_vs_trafilatura"] = round(out["nianbao_extract_only"]["median_ms"] / t, 3) if t else None
    out["cold_caches_ratio_vs_trafilatura"] = round(out["nianbao_cold_caches"]["median_ms"] / t, 3) if t else None
    r = out["readability"]["median_ms"]
    out["ratio_vs_readability"] = round(out["nianbao"]["median_ms"] / r, 3) if r else None
    # Per-page ratios too: the median of ratios is robust to a few very large pages.
    per_page = [a / b for a, b in zip(times["nianbao"], times["trafilatura"], strict=True) if b]
    out["per_page_ratio_median"] = round(statistics.median(per_page), 3) if per_page else None
    out["slowest_nianbao"] = sorted(((round(ms, 1), p.name) for ms, p in zip(times["nianbao"], pages, strict=True)),
                                    reverse=True)[:5]
    return out


def attachment_ms(pages: list[Page]) -> dict[str, Any]:
    """nianbao extract+parse on PDF/DOCX attachments (no generic peer reads them); one run each."""
    from crawler.extract import extract
    from crawler.parse import parse

    if not pages:
        return {"pages": 0}
    ms = [_best_ms(lambda p=p: parse(extract(p.body, p.url, p.content_type)), 1) for p in pages]
    return {"pages": len(pages), **distribution(ms), "total_s": round(sum(ms) / 1000, 2)}


def texts_for_parsing() -> list[tuple[str, str]]:
    """(name, text) of every flattened report text we have: seeds and text fixtures."""
    paths = [*sorted(SEEDS.glob("*.txt")), *sorted(PORTAL_SEEDS.glob("*.txt")),
             *sorted((FIXTURES / "extract").glob("*/input.txt")), *sorted((FIXTURES / "parse").glob("*/input.txt"))]
    return [(str(p.relative_to(p.parents[1])), p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def parse_rate(texts: list[tuple[str, str]], min_seconds: float = 2.0) -> dict[str, Any]:
    """Reports parsed per second from text (crawler.parse.parse_text), looping the corpus."""
    from crawler.parse import parse_text

    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        parse_text(texts[0][1])
        done, started = 0, time.perf_counter()
        while True:
            for _, text in texts:
                parse_text(text)
            done += len(texts)
            elapsed = time.perf_counter() - started
            if elapsed >= min_seconds:
                break
    finally:
        quiet.setLevel(level)
    chars = sum(len(t) for _, t in texts) / len(texts)
    return {"texts": len(texts), "parsed": done, "seconds": round(elapsed, 2),
            "reports_per_second": round(done / elapsed, 1), "mean_chars": round(chars)}


def real_pages(folder: Path = REAL) -> list[Page]:
    """Every HTML page of ``folder`` (../shared/real), under its site's host when MANIFEST.tsv names one."""
    hosts: dict[str, str] = {}
    manifest = folder / "MANIFEST.tsv"
    if manifest.exists():
        for row in csv.DictReader(manifest.read_text(encoding="utf-8").splitlines(), delimiter="\t"):
            host = (row.get("site_host") or "").split(" ")[0]
            if host.count(".") >= 2 and host.isascii():
                hosts[row.get("file") or ""] = host
    return [Page(f"real:{p.name}", f"http://{hosts.get(p.name, 'www.example.gov.cn')}/{p.name}", "text/html",
                 p.read_bytes()) for p in sorted(folder.glob("*.html"))]


def real_run(repeat: int = 5, folder: Path = REAL) -> dict[str, Any]:
    """The tools' times on the real pages, and where nianbao's time goes on them (cProfile)."""
    pages = real_pages(folder)
    if not pages:
        return {"pages": 0, "skipped": f"no pages in {folder}"}
    out = bench_pages(pages, repeat=repeat)
    out["hot_spots"] = hot_spots(pages, rounds=repeat)
    return out


def hot_spots(pages: list[Page], rounds: int = 5, top: int = 10) -> list[dict[str, Any]]:
    """nianbao's own functions (crawler.*) by cumulative time over ``rounds`` passes of extract+parse
    on ``pages``, as a share of the whole; the libraries it calls show under them."""
    import cProfile
    import pstats

    from crawler.extract import extract
    from crawler.parse import parse

    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    prof = cProfile.Profile()
    try:
        for page in pages:  # warm: imports and caches are not what the pages cost
            parse(extract(page.body, page.url, page.content_type))
        prof.enable()
        for _ in range(rounds):
            for page in pages:
                parse(extract(page.body, page.url, page.content_type))
        prof.disable()
    finally:
        quiet.setLevel(level)
    table = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in table.values()) or 1.0
    rows = []
    for (filename, line, func), (_, _, tt, ct, _) in table.items():
        if "/crawler/" not in filename or "site-packages" in filename:
            continue
        where = filename.split("/crawler/", 1)[1]
        rows.append({"function": f"crawler/{where}:{func}", "line": line, "share": round(ct / total, 3),
                     "self_share": round(tt / total, 3), "ms_per_page": round(ct * 1000 / (rounds * len(pages)), 2)})
    rows.sort(key=lambda r: r["share"], reverse=True)
    # the entry points and their thin wrappers (extract → _extract → _html) hold everything and do
    # nothing themselves: the functions under them say where the time goes
    return [r for r in rows if not (r["share"] > 0.6 and r["self_share"] < 0.05)][:top]


def run(web: Any, repeat: int = 3, quick: bool = False) -> dict[str, Any]:
    pages = fixture_pages() + web_pages(web)
    if quick:
        pages = pages[::4]
    attachments = web_pages(web, ("application/pdf", "application/vnd.openxmlformats"))
    out = bench_pages(pages, repeat=1 if quick else repeat)
    out["attachments"] = attachment_ms(attachments[:3] if quick else attachments)
    out["parse_text"] = parse_rate(texts_for_parsing(), min_seconds=0.5 if quick else 2.0)
    return out

