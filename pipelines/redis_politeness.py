"""Per-host politeness across workers: a host sees the limits of one crawler, not N of them.

Scrapy's own slots (``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``) live in one process.
This downloader middleware, placed next to the download handler, holds a Redis lease per request
on its host: at most ``NIANBAO_SHARED_PER_HOST`` leases at once (default: the per-domain limit)
and, with a ``DOWNLOAD_DELAY``, starts at least that far apart over all workers. Leases expire
after ``DOWNLOAD_TIMEOUT`` plus a margin, so a killed worker cannot block a host for good.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis
from scrapy import Request, Spider
from scrapy.http import Response

from crawler.queue_keys import RedisKeys

logger = logging.getLogger(__name__)

_META = "_nianbao_host_lease"
# Returns 0 when the lease was taken, else how many milliseconds to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[4]), 'PX', ARGV[4]) end
return 0
"""


class SharedHostSlots:
    def __init__(self, redis: Redis, keys: RedisKeys, limit: int, delay: float, lease: float, poll: float) -> None:
        self.redis = redis
        self.keys = keys
        self.limit = max(1, limit)
        self.delay_ms = int(delay * 1000)
        self.lease_ms = int(lease * 1000)
        self.poll = poll
        self._acquire = redis.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedHostSlots:
        s = crawler.settings
        redis = Redis.from_url(s.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
        limit = s.getint("NIANBAO_SHARED_PER_HOST") or s.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
        return cls(
            redis,
            RedisKeys(s.get("NIANBAO_REDIS_PREFIX") or "nianbao"),
            limit,
            s.getfloat("DOWNLOAD_DELAY", 0.0),
            s.getfloat("DOWNLOAD_TIMEOUT", 60.0) + 30.0,
            s.getfloat("NIANBAO_SHARED_POLL"),
        )

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if not host:
            return
        token = uuid.uuid4().hex
        keys = [self.keys.host_slots(host), self.keys.host_next(host)]
        while True:
            wait = int(await self._acquire(keys=keys, args=[token, self.limit, self.lease_ms, self.delay_ms]))
            if wait == 0:
                break
            await asyncio.sleep(self.poll if wait < 0 else min(wait / 1000, 5.0))
        request.meta[_META] = (keys[0], token)

    async def _release(self, request: Request) -> None:
        lease = request.meta.pop(_META, None)
        if lease is not None:
            await self.redis.zrem(lease[0], lease[1])

    async def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        await self._release(request)
        return response

    async def process_exception(self, request: Request, exception: BaseException, spider: Spider | None = None) -> None:
        await self._release(request)
