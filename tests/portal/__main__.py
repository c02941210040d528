"""``python -m tests.portal``: run the simulated gov.cn web in the foreground."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tests.portal import Portal, build_web


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.portal", description=__doc__)
    ap.add_argument("--port", type=int, default=8950)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    ap.add_argument("--scale", type=int, default=1, help="replicate every site this many times")
    ap.add_argument("--seeds-out", type=Path, help="write the seed CSV here")
    ap.add_argument("--revision", action="store_true", help="start with the revised report served")
    ap.add_argument("--random", type=int, metavar="SEED",
                    help="serve the random web of this seed (tests/portal/random) instead of today's web")
    ap.add_argument("--sites", type=int, default=3, help="sites of the random web (with --random)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.random is not None:
        from tests.portal.random import build_random_web

        web = build_random_web(args.random, n_sites=args.sites)
        for host, dims in sorted(web.dims.items()):
            print(f"{host}: " + ", ".join(f"{k}={v}" for k, v in dims.items()), flush=True)
    else:
        web = build_web(scale=args.scale)
    if args.seeds_out:
        args.seeds_out.parent.mkdir(parents=True, exist_ok=True)
        args.seeds_out.write_text(web.seeds_csv(), encoding="utf-8")
    portal = Portal(web, latency=args.latency, latency_draw=1 if args.random is not None else None)
    portal.set_revision(args.revision)
    try:
        portal.start(args.host, args.port)
    except OSError as exc:
        print(f"portal: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(f"portal listening on {portal.proxy_url}", flush=True)
    print(f"{len(web.agencies)} agencies, {len(web.reports)} reports, {len(web.confusables)} confusables",
          flush=True)
    try:
        portal.serve_forever_join()
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
