"""The trafilatura peer: ``trafilatura.spider.focused_crawler`` from each seed's home page, then extraction.

``python -m bench.trafilatura_peer --seeds CSV --proxy URL --budget N --out FILE`` (a subprocess of
bench/peers.py, so its CPU is its own). trafilatura fetches with urllib3 and takes a proxy from
``http_proxy`` only as a SOCKS proxy (PySocks); the simulated web is an HTTP forward proxy, so its
download pool is set to a urllib3 ``ProxyManager`` (and its SSRF guard, which vets direct
connections only, off). The crawler's own sleep between pages (``SLEEP_TIME``, 5 s) is set to 0, as
nianbao's demo settings have no delay on the simulated web. Every page the crawler fetched is kept
(the responses are recorded as they pass, nothing is fetched twice); a page is kept as a report
when the title trafilatura extracts matches bench.generic_spider.KEEP. One JSON line per kept page.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
from configparser import ConfigParser
from pathlib import Path
from typing import Any

import trafilatura
import urllib3
from trafilatura import downloads, spider
from trafilatura.settings import DEFAULT_CONFIG

from bench.generic_spider import KEEP


def _config() -> ConfigParser:
    config = ConfigParser()
    config.read_dict({"DEFAULT": dict(DEFAULT_CONFIG.defaults())})
    config["DEFAULT"]["SLEEP_TIME"] = "0"
    config["DEFAULT"]["SSRF_PROTECTION"] = "off"
    return config


def crawl(seeds: list[str], proxy: str, budget: int) -> list[dict[str, Any]]:
    """Crawl every seed with at most ``budget`` pages each; (url, title, chars) of the kept pages."""
    config = _config()
    downloads.HTTP_POOL = urllib3.ProxyManager(proxy, num_pools=50)
    fetched: dict[str, bytes] = {}
    original = spider.fetch_response

    def recording(url: str, **kw: Any) -> Any:
        response = original(url, **kw)
        if response is not None and response.status == 200 and response.data:
            fetched[response.url] = response.data
        return response

    spider.fetch_response = recording  # type: ignore[assignment]
    for home in seeds:
        spider.focused_crawler(home, max_seen_urls=budget, max_known_urls=100_000, config=config)
    kept = []
    for url, data in fetched.items():
        html = trafilatura.utils.decode_file(data)
        doc = trafilatura.bare_extraction(html, url=url, include_tables=True, with_metadata=True, config=config)
        title = (getattr(doc, "title", None) or "") if doc is not None else ""
        if KEEP.search(title):
            kept.append({"url": url, "title": title, "chars": len(getattr(doc, "text", "") or "")})
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.trafilatura_peer")
    ap.add_argument("--seeds", type=Path, required=True)
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--budget", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    rows = csv.DictReader(args.seeds.read_text(encoding="utf-8").splitlines())
    kept = crawl([r["url"] for r in rows], args.proxy, args.budget)
    args.out.write_text("".join(json.dumps(k, ensure_ascii=False) + "\n" for k in kept), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
