"""``make demo``: start the simulated gov.cn web, crawl it into data/demo.db, print what was archived."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from storage.cli import main as nianbao
from tests.e2e.crawl import REPO, run_crawl
from tests.portal import Portal, build_web

DB = REPO / "data" / "demo.db"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tests.e2e.demo",
        description="Start the simulated gov.cn web, crawl it into data/demo.db (replacing the last demo's "
        "archive) and print the run summary and the archived reports.",
    )
    ap.add_argument("--db", type=Path, default=DB, help="the SQLite file to crawl into (default data/demo.db)")
    db: Path = ap.parse_args(argv).db.resolve()  # --help answers before anything is deleted
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in db.parent.glob(db.name + "*"):  # each demo starts from an empty archive
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
        result = run_crawl(portal.proxy_url, seeds, f"sqlite:///{db}")
    finally:
        portal.stop()
    print(
        f"scrapy crawl reports -a seeds={seeds.relative_to(REPO)} → {_shown(db)} "
        f"({time.monotonic() - started:.1f} s, exit status {result.returncode})\n"
    )
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr[-4000:])
        return result.returncode
    url = f"sqlite:///{db}"
    nianbao(["runs", "--last", "--db", url])
    print()
    code = nianbao(["reports", "--db", url])
    print(f"\nnext: nianbao coverage --db {_shown(db)}; nianbao cells -o - --db {_shown(db)}; "
          f"DB={_shown(db)} make browse (README.md)")
    return code


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


if __name__ == "__main__":
    raise SystemExit(main())
