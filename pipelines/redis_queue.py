"""The shared frontier: scrapy-redis's scheduler, made safe for workers that die or finish early.

scrapy-redis 0.9.1 gives the Redis priority queue and fingerprint set; three things it lacks for
many machines are added here:

- **No lost requests.** scrapy-redis pops a request and forgets it, so a worker killed mid-fetch
  loses it (its fingerprint is already in the dupefilter: nobody would fetch it again). Here the
  pop also copies the request into the worker's in-flight hash (one Lua script, atomic); it leaves
  the hash once the engine is done with it (downloaded, callback run, items through the pipelines).
  A worker whose heartbeat key expired is dead: the first live worker to notice puts its in-flight
  requests back on the queue (``RENAME`` makes the claim atomic).
- **Close only when the crawl is over.** A worker may close after the shared queue has been empty
  *and no worker had a request in flight* for ``NIANBAO_IDLE_CLOSE_SECONDS`` (another worker's
  page may still bring new links). scrapy-redis's own ``MAX_IDLE_TIME_BEFORE_CLOSE`` only looks at
  the start-URL list and starts its clock at import time.
- **Persist always.** scrapy-redis flushes queue and dupefilter on close unless
  ``SCHEDULER_PERSIST``; the first worker to finish would wipe the others' frontier. A round is
  cleared by ``nianbao enqueue`` instead.

"Done" is read from the engine's in-progress set (``engine._slot.inprogress``, Scrapy 2.13–2.19),
the one place that knows a request's callback output has been processed; the pin in
pyproject.toml keeps that true, and without it a request is acknowledged when its response
arrives (a small loss window, logged once).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError
from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.handoff import RECOVERED, WHOLE
from crawler.queue_keys import RedisKeys

logger = logging.getLogger(__name__)

# Pop the best request and remember it as in flight, in one step: a worker killed between the two
# would otherwise lose the request.
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local field = redis.sha1hex(r[1])
redis.call('HSET', KEYS[2], field, r[1])
return {field, r[1]}
"""

# Fingerprint and queue in one step: a worker killed between the two would leave a request that is
# "seen" but queued nowhere, and nobody would ever fetch it.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class SharedScheduler(Scheduler):
    """scrapy-redis ``Scheduler`` with in-flight recovery and a cluster-wide idle rule."""

    def __init__(self, server: Redis, *, keys: RedisKeys, idle_close: float, ttl: float, poll: float = 0.5,
                 **kwargs: Any) -> None:
        super().__init__(server, persist=True, **kwargs)
        self.keys = keys
        self.idle_close = idle_close
        self.ttl = max(3.0, ttl)
        self.worker = worker_id()
        self.crawler: Any = None
        self._pending: dict[str, Request] = {}
        self._idle_since: float | None = None
        self.poll = poll
        self._beat: task.LoopingCall | None = None
        self._stop_heart = threading.Event()
        self._heart_thread: threading.Thread | None = None
        self._poller: task.LoopingCall | None = None
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._warned_no_engine = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        s = crawler.settings
        server = connection.get_redis_from_settings(s)
        server.ping()
        keys = RedisKeys(s.get("NIANBAO_REDIS_PREFIX") or "nianbao")
        serializer = s.get("SCHEDULER_SERIALIZER")
        kwargs: dict[str, Any] = {
            "queue_key": keys.requests,
            # the atomic push and pop above are written for this queue's sorted set
            "queue_cls": "scrapy_redis.queue.PriorityQueue",
            "dupefilter": RFPDupeFilter(server, key=keys.dupefilter, debug=s.getbool("DUPEFILTER_DEBUG")),
            "dupefilter_key": keys.dupefilter,
        }
        if serializer:
            import importlib

            kwargs["serializer"] = importlib.import_module(serializer)
        sched = cls(
            server,
            keys=keys,
            idle_close=s.getfloat("NIANBAO_IDLE_CLOSE_SECONDS"),
            ttl=s.getfloat("NIANBAO_WORKER_TTL"),
            poll=s.getfloat("NIANBAO_POLL_SECONDS"),
            **kwargs,
        )
        sched.stats = crawler.stats
        sched.crawler = crawler
        crawler.signals.connect(sched.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(sched.response_received, signal=signals.response_received)
        return sched

    # --- life cycle -------------------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.heartbeat()
        self.server.sadd(self.keys.workers, self.worker)
        # The heartbeat has its own thread: a page that keeps the reactor busy (a big PDF in the
        # pipelines) must not make this worker look dead; only a dead process stops beating.
        self._heart_thread = threading.Thread(target=self._heart, name="nianbao-heartbeat", daemon=True)
        self._heart_thread.start()
        self.recover()
        self._beat = task.LoopingCall(self._tick)
        self._beat.start(self.ttl / 3, now=False)
        self._poller = task.LoopingCall(self._wake)
        self._poller.start(self.poll, now=False)
        spider.logger.info("worker %s on redis queue %s", self.worker, self.keys.requests)

    def close(self, reason: str) -> None:
        for loop in (self._beat, self._poller):
            if loop is not None and loop.running:
                loop.stop()
        self._stop_heart.set()
        if self._heart_thread is not None:
            self._heart_thread.join(timeout=5)  # no beat may land after the key is deleted below
        self.sweep()
        left = self.server.hlen(self.keys.inflight(self.worker))
        # Unfinished requests stay in the hash; dropping the heartbeat hands them to the others now.
        self.server.delete(self.keys.alive(self.worker))
        if not left:
            self.server.srem(self.keys.workers, self.worker)
        else:
            logger.warning("closing (%s) with %d requests unfinished: another worker will redo them", reason, left)

    def heartbeat(self) -> None:
        self.server.set(self.keys.alive(self.worker), b"1", px=int(self.ttl * 1000))

    def _heart(self) -> None:
        while not self._stop_heart.wait(self.ttl / 3):
            try:
                self.heartbeat()
            except Exception:  # Redis away for a moment: try again on the next beat
                logger.warning("redis heartbeat failed", exc_info=True)

    def _tick(self) -> None:
        try:
            self.sweep()
            self.recover()
        except Exception:  # a Redis hiccup must not stop this loop for good
            logger.warning("redis sweep failed", exc_info=True)

    def _wake(self) -> None:
        """Ask the engine for requests when other workers have queued some: by itself it polls an
        empty scheduler only every 5 s, and a worker that found the queue empty once would idle."""
        nextcall = getattr(getattr(getattr(self.crawler, "engine", None), "_slot", None), "nextcall", None)
        try:
            if nextcall is not None and len(self.queue):
                nextcall.schedule()
        except Exception:
            logger.warning("redis poll failed", exc_info=True)

    # --- queue ------------------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        fp = "" if request.dont_filter else self.df.request_fingerprint(request)
        data = self.queue._encode_request(request)
        if not self._push(keys=[self.keys.dupefilter, self.keys.requests], args=[fp, -request.priority, data]):
            self.df.log(request, self.spider)
            return False
        if self.stats:  # (scrapy-redis's own passes the deprecated ``spider=`` here)
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        self.sweep()
        popped = self._pop(keys=[self.keys.requests, self.keys.inflight(self.worker)])
        if not popped:
            return None
        raw_field, data = popped
        field = raw_field.decode() if isinstance(raw_field, bytes) else str(raw_field)
        self._idle_since = None  # work again: the quiet spell starts over
        try:
            request = self.queue._decode_request(data)
        except Exception:
            logger.warning("dropping an undecodable request from the queue", exc_info=True)
            self.server.hdel(self.keys.inflight(self.worker), field)
            return None
        self._pending[field] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _in_progress(self) -> set[Request] | None:
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        inprogress = getattr(slot, "inprogress", None)
        if inprogress is None and not self._warned_no_engine:
            self._warned_no_engine = True
            logger.warning("this Scrapy has no engine._slot.inprogress: acknowledging requests on response")
        return inprogress

    def sweep(self) -> None:
        """Acknowledge the requests the engine has finished with."""
        if not self._pending:
            return
        inprogress = self._in_progress()
        if inprogress is None:
            return
        done = [f for f, r in self._pending.items() if r not in inprogress]
        if done:
            self.server.hdel(self.keys.inflight(self.worker), *done)
            for f in done:
                del self._pending[f]

    def response_received(self, response: Any, request: Request, spider: Spider) -> None:
        if self._in_progress() is None:  # fallback only: see the module docstring
            for f, r in list(self._pending.items()):
                if r is request:
                    self.server.hdel(self.keys.inflight(self.worker), f)
                    del self._pending[f]

    def recover(self) -> int:
        """Put the in-flight requests of dead workers back on the queue; returns how many."""
        moved = 0
        for raw in self.server.smembers(self.keys.workers):
            other = raw.decode() if isinstance(raw, bytes) else raw
            if other == self.worker or self.server.exists(self.keys.alive(other)):
                continue
            claimed = self.keys.claimed(self.worker, other)
            try:
                self.server.rename(self.keys.inflight(other), claimed)
            except ResponseError:  # nothing in flight, or another worker claimed it first
                self.server.srem(self.keys.workers, other)
                continue
            for data in self.server.hvals(claimed):
                obj = self.queue.serializer.loads(data)
                # Redone whole: never a HEAD (pipelines.revisit) or a 304 (pipelines.conditional).
                # The archive may already hold the document (the dead worker filed it, or another
                # worker did with the page's first file) while the callback had links still to follow.
                obj.setdefault("meta", {}).update({RECOVERED: True, WHOLE: True})
                self.server.execute_command("ZADD", self.keys.requests, -int(obj.get("priority", 0)),
                                            self.queue.serializer.dumps(obj))
                moved += 1
            self.server.delete(claimed)
            self.server.srem(self.keys.workers, other)
            logger.warning("worker %s died: %d of its requests are back on the queue", other, moved)
            if self.stats:
                self.stats.inc_value("nianbao/distributed/recovered", moved)
        return moved

    # --- closing ----------------------------------------------------------------------------

    def busy_elsewhere(self) -> bool:
        """Anything queued, or in flight at any worker (dead ones' requests count until recovered)."""
        if len(self.queue) or self.server.llen(self.keys.start):
            return True
        for raw in self.server.smembers(self.keys.workers):
            other = raw.decode() if isinstance(raw, bytes) else raw
            if self.server.hlen(self.keys.inflight(other)):
                return True
        return False

    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker open while the crawl goes on anywhere; close after a quiet spell."""
        self.heartbeat()
        self.sweep()
        self.recover()
        now = time.monotonic()
        if self.busy_elsewhere() or self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.idle_close:
            raise DontCloseSpider
        spider.logger.info("queue empty and nothing in flight for %.0f s: closing", now - self._idle_since)
