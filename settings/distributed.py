"""Many machines, one crawl: a shared Redis frontier and one PostgreSQL archive (issue 7).

    export REDIS_URL=redis://queue-host:6379/0
    export DATABASE_URL=postgresql+psycopg://nianbao@db-host/nianbao
    nianbao enqueue seeds/province.csv            # once per crawl round
    SCRAPY_SETTINGS_MODULE=settings.distributed scrapy crawl reports   # on every machine

The politeness of settings.default holds per host across all workers (pipelines/redis_politeness).
"""

import os

from settings.default import *  # noqa: F403
from settings.default import DOWNLOADER_MIDDLEWARES

# The archive every worker writes to; the SQLite default of settings.default only suits one machine.
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/nianbao")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# One prefix per crawl: queue, fingerprints, seeds and worker state live under "<prefix>:*".
NIANBAO_REDIS_PREFIX = os.environ.get("NIANBAO_REDIS_PREFIX", "nianbao")

# The spider reading its seeds from Redis, under the same name: `scrapy crawl reports`.
SPIDER_MODULES = ["spiders.distributed"]

# scrapy-redis queue and fingerprints, with in-flight recovery and a cluster-wide idle rule.
SCHEDULER = "pipelines.redis_queue.SharedScheduler"
DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
SCHEDULER_QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"  # the only one SharedScheduler takes
SCHEDULER_PERSIST = True  # never flush on close: other workers still use the queue
# A worker closes once the queue has been empty and nothing was in flight anywhere for this long.
NIANBAO_IDLE_CLOSE_SECONDS = float(os.environ.get("NIANBAO_IDLE_CLOSE_SECONDS", "60"))
# Heartbeat TTL: a worker silent this long is dead and its in-flight requests are redone.
NIANBAO_WORKER_TTL = float(os.environ.get("NIANBAO_WORKER_TTL", "30"))
# How often an idle worker looks for requests other workers queued (Scrapy alone: every 5 s).
NIANBAO_POLL_SECONDS = 0.5

# Per-host limits shared by all workers (0: CONCURRENT_REQUESTS_PER_DOMAIN).
NIANBAO_SHARED_PER_HOST = int(os.environ.get("NIANBAO_SHARED_PER_HOST", "0"))
# Weak navigation is not held back for the end of the crawl (NIANBAO_DEFER_NAV): one worker's idle
# says nothing of the lists other workers are still reading, so holding it back would make what a
# round fetches depend on which worker met which page first.
NIANBAO_DEFER_NAV = False
# Seconds between looks at a host's shared slots while all are taken (pipelines/redis_politeness.py).
NIANBAO_SHARED_POLL = 0.05
DOWNLOADER_MIDDLEWARES = {
    **DOWNLOADER_MIDDLEWARES,
    "pipelines.redis_politeness.SharedHostSlots": 990,  # next to the download: leases held only while fetching
}
# A worker holds no more requests than it has on the wire (pipelines/transfers.py): what it held
# waiting out a host's delay would be taken from the shared queue before an idle worker could.
NIANBAO_DOWNLOADER_HELD_MAX = 0
