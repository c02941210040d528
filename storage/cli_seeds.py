"""``nianbao seeds check FILE``: is every seed of a list reachable and crawlable, from this network?

Per row: DNS, robots.txt, the home page's status, a CMS family guess and whether a 年报 column is
linked from the home page (or one hop further, the 政府信息公开 hub). Requests go through
``urllib`` and so honour ``http_proxy`` / ``https_proxy`` / ``no_proxy`` like the crawler's
HttpProxyMiddleware; with a proxy the proxy resolves names, and DNS reads "via proxy".
The table goes to stdout, progress to stderr; exit status 1 when a row fails, 2 for a bad file.
The reading of pages is ``crawler.seedcheck`` (pure).
"""

from __future__ import annotations

import argparse
import socket
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from w3lib.encoding import html_to_unicode

from crawler.cli import InputError, format_table, print_json
from crawler.model import Seed
from crawler.seedcheck import SeedCheck, guess_cms, read_page, verdict
from crawler.seeds import load_seeds

USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao/nianbao; seeds check)"  # http.client sends latin-1 headers only
MAX_BYTES = 2_000_000  # a home page or hub; more is not read
HOPS = 3  # hub-like pages followed from the home page when it links no 年报 column itself


def _get(url: str, timeout: float) -> tuple[int | None, bytes, str, str]:
    """(status, body, content type, error) of one GET; redirects followed, proxies from the environment."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    # A fresh opener reads the proxies now: urlopen's cached one keeps those of its first call.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(urllib.request.getproxies()))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.read(MAX_BYTES), resp.headers.get("Content-Type", ""), ""
    except urllib.error.HTTPError as exc:
        return exc.code, b"", "", f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, b"", "", str(reason) or type(exc).__name__


def _dns(url: str) -> tuple[bool, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    proxies = urllib.request.getproxies()
    if parts.scheme in proxies and not urllib.request.proxy_bypass(host):
        return True, "via proxy"
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return False, f"no address ({exc.strerror or exc})" if isinstance(exc, socket.gaierror) else "bad host"
    return True, str(infos[0][4][0])


def _robots(url: str, timeout: float) -> tuple[bool | None, str]:
    parts = urlsplit(url)
    status, body, _, error = _get(f"{parts.scheme}://{parts.netloc}/robots.txt", timeout)
    if status is None:
        return None, f"error ({error})"
    if status >= 400:  # as Scrapy: no robots.txt (4xx) allows everything; 5xx is not a verdict
        return (True, "none") if status < 500 else (None, f"error ({status})")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode("utf-8", "replace").splitlines())
    allowed = parser.can_fetch("nianbao", url)
    return allowed, "allowed" if allowed else "disallowed"


def _text(body: bytes, content_type: str) -> str:
    return html_to_unicode(content_type or None, body)[1] if body else ""


def check_seed(seed: Seed, timeout: float = 10.0) -> SeedCheck:
    """Check one seed over the network (stdlib urllib, proxies from the environment)."""
    dns_ok, dns = _dns(seed.url)
    robots_allowed, robots = _robots(seed.url, timeout) if dns_ok else (None, "")
    if dns_ok and robots_allowed is not False:
        status, body, ctype, error = _get(seed.url, timeout)
    else:  # a crawler that obeys robots.txt never fetches a disallowed seed
        status, body, ctype, error = None, b"", "", dns if not dns_ok else "not fetched: robots.txt"
    html = _text(body, ctype)
    cms = guess_cms(html)
    found = read_page(html, seed.url, tuple(seed.domains))
    column = found.column
    for hub in found.follow[:HOPS] if not column and html else []:
        hub_status, hub_body, hub_ctype, _ = _get(hub, timeout)
        if hub_status == 200:
            hub_html = _text(hub_body, hub_ctype)
            inner = read_page(hub_html, hub, tuple(seed.domains))
            column = inner.column or (hub if inner.reports else "")
            if column:
                cms = cms or guess_cms(hub_html)  # hubs and lists show the CMS more than home pages
                break
    return SeedCheck(
        agency=seed.agency, url=seed.url, dns=dns, robots=robots,
        status=str(status) if status is not None else error, cms=cms,
        column=column, problems=verdict(dns_ok, robots_allowed, status),
    )


def cmd_check(args: argparse.Namespace) -> int:
    seeds, errors = load_seeds(args.file)
    for line in errors[:-1] if not seeds else errors:
        sys.stderr.write(line + "\n")
    if not seeds:
        raise InputError(errors[-1] if errors else f"{args.file}: no seed rows")
    results: list[SeedCheck | None] = [None] * len(seeds)
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = {pool.submit(check_seed, seed, args.timeout): i for i, seed in enumerate(seeds)}
        for done, future in enumerate(as_completed(futures), 1):
            i = futures[future]
            results[i] = future.result()
            sys.stderr.write(f"[{done}/{len(seeds)}] {seeds[i].url}: "
                             f"{'ok' if results[i].ok else '; '.join(results[i].problems)}\n")  # type: ignore[union-attr]
    rows = [r for r in results if r is not None]
    if args.json:
        print_json([{**asdict(r), "problems": list(r.problems), "ok": r.ok} for r in rows])
    else:
        headers = ["agency", "url", "dns", "robots", "home", "cms", "年报 column", "verdict"]
        table = [[r.agency, r.url, r.dns, r.robots, r.status, r.cms or "?", r.column or "not found",
                  "ok" if r.ok else "FAIL: " + "; ".join(r.problems)] for r in rows]
        sys.stdout.write(format_table(headers, table) + "\n")
        failed = sum(not r.ok for r in rows)
        no_column = sum(not r.column for r in rows)
        sys.stdout.write(f"{len(rows)} seeds: {len(rows) - failed} ok, {failed} failing; "
                         f"no 年报 column within one hop of {no_column} home pages\n")
    return 1 if any(not r.ok for r in rows) else 0


def register(sub: Any, db_help: str) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add ``nianbao seeds …``; returns its sub-parsers so other seed commands can join them."""
    seeds = sub.add_parser("seeds", help="seed lists: check them from this network")
    seeds_sub = seeds.add_subparsers(dest="seeds_command", required=True)
    p = seeds_sub.add_parser(
        "check", help="per seed row: DNS, robots.txt, home page status, CMS family, 年报 column (exit 1 on a failing row)")
    p.add_argument("file", help="seed CSV (agency,url[,region,level,domains,render])")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    p.add_argument("--workers", type=int, default=8, help="seeds checked at once (default 8)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)
    return seeds_sub
