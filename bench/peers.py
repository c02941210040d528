"""Peers on the same webs: nianbao, trafilatura's focused crawler and a generic Scrapy CrawlSpider.

Each web (any tests.portal ``Web``: today's simulated web, the random webs) is served by one
portal; the three crawlers start from the same seeds with the same page budget per site
(``NIANBAO_SITE_PAGE_BUDGET`` for nianbao, ``max_seen_urls`` for trafilatura, distinct URLs asked
per host for the generic spider). Scored against the web's ground truth (``web.reports``, each
report's ``urls``): a report is found when any of its URLs is among what the crawler kept (nianbao:
its archived reports; the peers: pages whose title says 年报, bench.generic_spider.KEEP). Pages are
what the portal served to the crawler (robots.txt and browser requests included); CPU is the
crawler's whole process tree (nianbao: Scrapy, reading process and browser), wall time the process's
from start to exit (imports included, alike for all three).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import crawl as C
from tests.e2e.crawl import REPO
from tests.portal.model import Web

PEERS = ("nianbao", "trafilatura_focused", "generic_spider")
PAGE_BUDGET = 100  # pages per site for every crawler (nianbao finds all of today's web in under 30)
log = logging.getLogger("bench")


@dataclass
class PeerRun:
    peer: str
    web: str
    pages: int  # requests the portal answered for this crawler
    wall_s: float
    cpu_s: float
    kept: list[list[str]] = field(default_factory=list)  # what it kept: the URLs of each item
    returncode: int = 0


def score(truth: Sequence[Sequence[str]], kept: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Reports found (any of a true report's URLs kept), items kept, and the kept items that are reports.

    ``truth``: the URLs of each true report; ``kept``: the URLs of each item a crawler kept (one
    archived report may carry a page and its attachment; a peer keeps single pages).
    """
    true_urls = {u for urls in truth for u in urls}
    kept_urls = {u for urls in kept for u in urls}
    found = sum(any(u in kept_urls for u in urls) for urls in truth)
    right = sum(any(u in true_urls for u in urls) for urls in kept)
    return {"reports": len(truth), "found": found, "kept": len(kept), "kept_reports": right}


def summarise(runs: Sequence[PeerRun], truths: dict[str, Sequence[Sequence[str]]]) -> dict[str, Any]:
    """One peer's figures over all its webs: recall and precision pooled over the webs' reports and
    kept items, pages and CPU seconds per report found; the per-web figures under ``webs``."""
    totals = {"reports": 0, "found": 0, "kept": 0, "kept_reports": 0, "pages": 0, "cpu_s": 0.0, "wall_s": 0.0}
    webs = {}
    for run in runs:
        s = score(truths[run.web], run.kept)
        webs[run.web] = {**s, "pages": run.pages, "cpu_s": round(run.cpu_s, 2), "wall_s": round(run.wall_s, 2),
                         "recall": _div(s["found"], s["reports"]), "returncode": run.returncode}
        for k in ("reports", "found", "kept", "kept_reports"):
            totals[k] += s[k]
        totals["pages"] += run.pages
        totals["cpu_s"] += run.cpu_s
        totals["wall_s"] += run.wall_s
    return {
        "recall": _div(totals["found"], totals["reports"]),
        "precision": _div(totals["kept_reports"], totals["kept"]),
        "pages_per_report": _div(totals["pages"], totals["found"], 2),
        "cpu_s_per_report": _div(totals["cpu_s"], totals["found"], 4),
        "wall_s": round(totals["wall_s"], 2),
        **{k: totals[k] for k in ("reports", "found", "kept", "pages")},
        "cpu_s": round(totals["cpu_s"], 2),
        "webs": webs,
    }


def peer_goals(peers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """nianbao's recall at least each peer's, and its pages per report at most half of each peer's."""
    nb = peers.get("nianbao") or {}
    out: dict[str, Any] = {}
    for name in PEERS[1:]:
        other = peers.get(name) or {}
        recall_ok = None if nb.get("recall") is None or other.get("recall") is None else nb["recall"] >= other["recall"]
        a, b = nb.get("pages_per_report"), other.get("pages_per_report")
        pages_ok = None if a is None or b is None else a <= b / 2
        out[name] = {"recall_at_least": recall_ok, "pages_per_report_at_most_half": pages_ok,
                     "pages_per_report_ratio": _div(a, b)}
    return out


def _div(a: float | None, b: float | None, digits: int = 3) -> float | None:
    return round(a / b, digits) if a is not None and b else None


def _no_nagle(sim: C.SimWeb) -> None:
    """The portal writes headers and body in two sends; on a keep-alive connection Nagle's algorithm
    then holds the body for the client's delayed ACK (40 ms a page for urllib3). Real servers do
    not wait like that, so the peers' portal answers at once."""
    server = getattr(sim.portal, "_server", None)
    if server is not None:
        server.RequestHandlerClass.disable_nagle_algorithm = True


def _nianbao(sim: C.SimWeb, name: str, work: Path, budget: int) -> PeerRun:
    from storage.archive import Archive

    db = work / f"peer-nianbao-{name}.db"
    fig = C.full_crawl(sim, db, f"NIANBAO_SITE_PAGE_BUDGET={budget}", label=f"peer-nianbao-{name}")
    archive = Archive.from_url(f"sqlite:///{db}")
    try:
        kept = [list(r["urls"]) for r in archive.reports()]
    finally:
        archive.engine.dispose()
    return PeerRun("nianbao", name, fig.requests, fig.wall_s, fig.cpu_s, kept, fig.returncode)


def _kept_lines(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [[json.loads(line)["url"]] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _generic(sim: C.SimWeb, name: str, work: Path, budget: int) -> PeerRun:
    out = work / f"peer-generic-{name}.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(REPO / "bench" / "generic_spider.py"),
           "-a", f"seeds={sim.seeds}", "-a", f"budget={budget}", "-a", f"out={out}"]
    for setting in ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT"):
        cmd += ["-s", f"{setting}={C._demo_setting(setting)}"]
    cmd += ["-s", "LOG_LEVEL=INFO", "-s", "AUTOTHROTTLE_ENABLED=False"]
    sim.portal.reset_log()
    proc = C.run_monitored(cmd, C._bare_env(sim.portal.proxy_url), work)
    stats = C.scrapy_stats(proc.stderr)
    if proc.returncode != 0 or not stats:
        sys.stderr.write(f"bench: generic spider exited {proc.returncode}\n{proc.stderr[-2000:]}\n")
    pages = sum(r.method != "CONNECT" for r in sim.portal.requests)
    return PeerRun("generic_spider", name, pages, proc.wall_s, proc.cpu_s,
                   _kept_lines(out), proc.returncode)


def _trafilatura(sim: C.SimWeb, name: str, work: Path, budget: int) -> PeerRun:
    out = work / f"peer-trafilatura-{name}.jsonl"
    cmd = [sys.executable, "-m", "bench.trafilatura_peer", "--seeds", str(sim.seeds), "--proxy",
           sim.portal.proxy_url, "--budget", str(budget), "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["PYTHONPATH"] = str(REPO)
    sim.portal.reset_log()
    proc = C.run_monitored(cmd, env, REPO)
    if proc.returncode != 0:
        sys.stderr.write(f"bench: trafilatura peer exited {proc.returncode}\n{proc.stderr[-2000:]}\n")
    pages = sum(r.method != "CONNECT" for r in sim.portal.requests)
    return PeerRun("trafilatura_focused", name, pages, proc.wall_s, proc.cpu_s, _kept_lines(out), proc.returncode)


def run(webs: Sequence[tuple[str, Web]], work: Path, budget: int = PAGE_BUDGET,
        say: Callable[[str], None] = print) -> dict[str, Any]:
    """Every peer over every web; ``peers.<name>`` figures and the goals against them."""
    runs: list[PeerRun] = []
    truths: dict[str, list[list[str]]] = {}
    for name, web in webs:
        truths[name] = [list(t.urls) for t in web.reports]
        with C.SimWeb(web.scale, work, web=web, name=f"peers-{name}") as sim:
            _no_nagle(sim)
            say(f"peers on {name} ({sim.agencies} agencies, {len(web.reports)} reports, {budget} pages per site)")
            for peer in (_nianbao, _generic, _trafilatura):
                runs.append(peer(sim, name, work, budget))
                say(f"  {runs[-1].peer}: {runs[-1].pages} pages, {runs[-1].cpu_s:.1f} CPU s")
    peers = {p: summarise([r for r in runs if r.peer == p], truths) for p in PEERS}
    return {"webs": [n for n, _ in webs], "page_budget_per_site": budget, **peers, "goals": peer_goals(peers)}


def random_webs(count: int = 2) -> list[tuple[str, Web]]:
    """The first ``count`` fixed random webs of the generalisation issue (tests/portal/random:
    ``build_random_web(seed)``, ``FIXED_SEEDS``), when that package is present; none otherwise (the
    peers then run on today's simulated web alone)."""
    try:
        from tests.portal import random as randweb  # type: ignore[attr-defined]
    except ImportError:
        return []
    build = getattr(randweb, "build_random_web", None)
    if build is None:
        return []
    seeds = list(getattr(randweb, "FIXED_SEEDS", [3, 11]))[:count]
    return [(f"random-{seed}", build(seed)) for seed in seeds]
