"""Production politeness at breadth: many small agency sites, real latency, settings.default's manners.

``build_breadth_web(n)`` makes ``n`` small TRS-style sites with tests/portal's sitekit (home,
robots.txt, search trap, news column, the 政府信息公开 hub and its neighbours, one 年报 column of
``reports`` generated reports): the shape of a county's departments, hundreds of hosts with a
handful of pages each. ``run`` crawls it with ``scrapy crawl reports`` under settings.default
(DOWNLOAD_DELAY 1 s per host, 2 per host, 16 overall, AutoThrottle) through a portal answering every
request after ``latency`` seconds, and compares the crawl's time with the least that politeness and
concurrency allow (bench.report.polite_bound).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench import crawl as C
from bench.report import polite_bound
from tests.e2e.crawl import REPO, crawl_env
from tests.portal.model import Agency, Web
from tests.portal.sitekit import SiteKit, SiteStyle, build_common, pub_date
from tests.portal.sites import Ident, Item, gen, paged_list, report_page, truth

SITES = 300
LATENCY = 0.3
QUEUES = {"default": "scrapy.pqueues.ScrapyPriorityQueue",
          "downloader_aware": "scrapy.pqueues.DownloaderAwarePriorityQueue"}
_DEPARTMENTS = ("人力资源和社会保障局", "教育局", "财政局", "民政局", "卫生健康委员会", "自然资源局",
                "住房和城乡建设局", "交通运输局", "农业农村局", "商务局", "文化和旅游局", "应急管理局")
_HOSTS = ("rsj", "jyj", "czj", "mzj", "wjw", "zrzyj", "zjj", "jtj", "nyncj", "swj", "wlj", "yjj")


def build_breadth_web(sites: int = SITES, reports: int = 2, seed: int = 7) -> Web:
    """``sites`` small sites: department d of county c on host ``{dept}.c{c}.gov.cn``."""
    web = Web()
    for n in range(sites):
        county, dept = divmod(n, len(_DEPARTMENTS))
        place = f"第{county + 1}县"
        ident = Ident(f"{_HOSTS[dept]}.c{county + 1}.gov.cn", f"示范市{place}{_DEPARTMENTS[dept]}", f"示范省示范市{place}",
                      "县", original=False)
        rng = random.Random(f"{seed}-{ident.host}")
        style = SiteStyle(ident.host, ident.agency, ident.region, ident.level, cms="trs", counter="js")
        kit = SiteKit(web, style, rng)
        col, colname = "/zfxxgk/zfxxgknb/", "政府信息公开年报"
        build_common(kit, (colname, f"{col}index.html"))
        crumbs = [("政府信息公开", kit.hub_path), (colname, f"{col}index.html")]
        items = []
        for year in range(2024 - reports, 2024):
            when = pub_date(rng, year)
            path = kit.article_path(col, when)
            doc = gen(rng, ident, year).doc()
            report_page(kit, path, doc, when, colname, crumbs)
            truth(web, ident.agency, doc, [kit.url(path)])
            items.append(Item(doc.title, path, when))
        paged_list(kit, col, colname, crumbs, items, 10, static_links=True)
        web.agencies.append(Agency(ident.agency, f"http://{ident.host}/", ident.region, ident.level, [ident.host]))
    return web


def default_setting(name: str, fallback: Any = None) -> Any:
    """A setting of settings.default (Scrapy's own default when it sets none: ``fallback``)."""
    import settings.default as default

    return getattr(default, name, fallback)


class BreadthWeb(C.SimWeb):
    """The breadth web served at ``latency`` seconds a request."""

    def __init__(self, work: Path, sites: int = SITES, latency: float = LATENCY) -> None:
        super().__init__(1, work, latency=latency, web=build_breadth_web(sites), name=f"breadth-{sites}")


def polite_crawl(sim: C.SimWeb, db: Path, queue: str, label: str, *settings: str) -> dict[str, Any]:
    """``scrapy crawl reports`` with settings.default (its politeness), the scheduler's ``queue``
    (and ``-s`` overrides ``settings``, for experiments)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"seeds={sim.seeds}",
           "-s", "LOG_LEVEL=INFO", "-s", f"SCHEDULER_PRIORITY_QUEUE={queue}"]
    for kv in settings:
        cmd += ["-s", kv]
    sim.portal.reset_log()
    proc = C.run_monitored(cmd, crawl_env(sim.portal.proxy_url, f"sqlite:///{db}", "settings.default"), REPO,
                           timeout=600)
    stats = C.scrapy_stats(proc.stderr)
    if proc.returncode not in (0, 1) or not stats:
        sys.stderr.write(f"bench: polite crawl {label} exited {proc.returncode}\n{proc.stderr[-3000:]}\n")
    hosts = Counter(r.host for r in sim.portal.requests if r.method != "CONNECT")
    delay, concurrency = float(default_setting("DOWNLOAD_DELAY")), int(default_setting("CONCURRENT_REQUESTS"))
    engine_s = stats.get("elapsed_time_seconds", 0.0)
    bound = polite_bound(hosts, delay, sim.latency, concurrency)
    busiest = hosts.most_common(1)[0] if hosts else ("", 0)
    return {
        "label": label, "queue": queue, "engine_s": round(engine_s, 2), "wall_s": round(proc.wall_s, 2),
        "cpu_s": round(proc.cpu_s, 2), "cpu_s_by_process": proc.cpu_roles, "pages": sum(hosts.values()),
        "hosts": len(hosts), "busiest_host": {"host": busiest[0], "pages": busiest[1]},
        "items": int(stats.get("item_scraped_count", 0)), "returncode": proc.returncode,
        "delay_s": delay, "latency_s": sim.latency, "concurrency": concurrency,
        "bound_s": bound, "efficiency": round(bound / engine_s, 3) if engine_s and bound else None,
        "peak_rss_mb": round(proc.peak_rss_mb, 1),
    }
