"""``make demo``: start the simulated gov.cn web, crawl it into data/demo.db, print what was archived."""

from __future__ import annotations

import argparse
import sys
import time

from storage.cli import main as nianbao
from tests.e2e.crawl import REPO, run_crawl
from tests.portal import Portal, build_web

DB = REPO / "data" / "demo.db"


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="python -m tests.e2e.demo",
        description="Start the simulated gov.cn web, crawl it into data/demo.db (replacing the last demo's "
        "archive) and print the run summary and the archived reports. No options.",
    ).parse_args(argv)  # --help answers before anything is deleted
    DB.parent.mkdir(parents=True, exist_ok=True)
    for stale in DB.parent.glob(DB.name + "*"):  # each demo starts from an empty archive
        stale.unlink()
    web = build_web(scale=1)
    portal = Portal(web, latency=0.0)
    portal.start(host="127.0.0.1", port=0)
    print(
        f"simulated gov.cn web: {len({r.agency for r in web.reports})} agencies, {len(web.reports)} reports, "
        f"proxy {portal.proxy_url}"
    )
    seeds = REPO / "seeds" / "demo.csv"
    started = time.monotonic()
    try:
        result = run_crawl(portal.proxy_url, seeds, f"sqlite:///{DB}")
    finally:
        portal.stop()
    print(
        f"scrapy crawl reports -a seeds={seeds.relative_to(REPO)} → {DB.relative_to(REPO)} "
        f"({time.monotonic() - started:.1f} s, exit status {result.returncode})\n"
    )
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr[-4000:])
        return result.returncode
    db = f"sqlite:///{DB}"
    nianbao(["runs", "--last", "--db", db])
    print()
    return nianbao(["reports", "--db", db])


if __name__ == "__main__":
    raise SystemExit(main())
