"""``nianbao`` subcommands for the shared Redis queue: enqueue (issue 7).

``nianbao enqueue SEEDS.csv`` starts a crawl round for the workers of ``settings.distributed``:
it clears the round's keys (queue, fingerprints, worker state) and pushes every seed once.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli import InputError


def cmd_enqueue(args: argparse.Namespace) -> int:
    import redis

    from crawler.queue_keys import RedisKeys, prefix_from_env, redis_url_from_env
    from crawler.seeds import load_seeds

    seeds, errors = load_seeds(args.seeds)
    for line in errors:
        sys.stderr.write(f"nianbao enqueue: bad seed row: {line}\n")
    if not seeds:
        raise InputError(f"{args.seeds}: no valid seeds")
    url = args.redis or redis_url_from_env()
    keys = RedisKeys(args.key or prefix_from_env())
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=5)
        server.ping()
    except (redis.RedisError, ValueError) as exc:
        raise InputError(f"cannot reach Redis at {url}: {exc}") from None
    try:
        if args.add:
            added = _add(server, keys, seeds)
            sys.stdout.write(f"added {added} new seeds to the running crawl {keys.prefix!r} on {url}\n")
            return 0
        busy = _busy(server, keys)
        if busy and not args.force:
            raise InputError(
                f"crawl {keys.prefix!r} is still running ({busy}); wait for it, add seeds with --add, "
                "or discard it with --force"
            )
        cleared = 0
        for key in server.scan_iter(match=keys.pattern, count=500):
            cleared += int(server.delete(key))
        pushed = _add(server, keys, seeds)
    except redis.RedisError as exc:
        raise InputError(f"Redis at {url}: {exc}") from None
    sys.stdout.write(
        f"enqueued {pushed} seeds as crawl {keys.prefix!r} on {url}"
        + (f" (cleared {cleared} keys of the previous round)" if cleared else "")
        + "\n"
    )
    return 0


def _busy(server: Any, keys: Any) -> str:
    queued = int(server.zcard(keys.requests))
    waiting = int(server.llen(keys.start))
    inflight = sum(int(server.hlen(keys.inflight(w.decode()))) for w in server.smembers(keys.workers))
    parts = [f"{n} {what}" for n, what in ((queued, "queued"), (waiting, "seeds waiting"), (inflight, "in flight"))
             if n]
    return ", ".join(parts)


def _add(server: Any, keys: Any, seeds: list[Any]) -> int:
    """Seeds not yet in this round: into the seeds hash and onto the start list, once each."""
    from crawler.queue_keys import seed_to_json

    added = 0
    for seed in seeds:
        if server.hsetnx(keys.seeds, seed.agency, seed_to_json(seed)):
            server.rpush(keys.start, seed.agency)
            added += 1
    return added


def register(sub: Any, db_help: str) -> None:
    """Add this module's subcommands to the ``nianbao`` parser."""
    p = sub.add_parser(
        "enqueue",
        help="start a crawl round on the shared Redis queue (workers: settings.distributed)",
    )
    p.add_argument("seeds", help="seed CSV (agency,url,region,level,domains,render)")
    p.add_argument("--redis", help="Redis URL (default: $REDIS_URL or redis://127.0.0.1:6379/0)")
    p.add_argument("--key", help="key prefix of the crawl (default: $NIANBAO_REDIS_PREFIX or nianbao)")
    p.add_argument("--add", action="store_true", help="add the seeds to the running round instead of a new one")
    p.add_argument("--force", action="store_true", help="discard an unfinished round")
    p.set_defaults(handler=cmd_enqueue)
