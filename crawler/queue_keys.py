"""Names of everything a distributed crawl keeps in Redis, under one prefix per crawl (issue 7): pure, so
the queue commands (storage), the distributed spider and the Redis pipelines share one home for them.

One prefix is one crawl round shared by every worker: ``nianbao enqueue`` clears it and pushes
the seeds; the workers (``SCRAPY_SETTINGS_MODULE=settings.distributed scrapy crawl reports``) read
and write the rest. Tests use a unique prefix each.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from crawler.model import Seed

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "nianbao"


def redis_url_from_env() -> str:
    return os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def prefix_from_env() -> str:
    return os.environ.get("NIANBAO_REDIS_PREFIX") or DEFAULT_PREFIX


@dataclass(frozen=True)
class RedisKeys:
    prefix: str = DEFAULT_PREFIX

    @property
    def requests(self) -> str:
        """Sorted set of serialized requests (scrapy-redis PriorityQueue)."""
        return f"{self.prefix}:requests"

    @property
    def dupefilter(self) -> str:
        """Set of request fingerprints (scrapy-redis RFPDupeFilter)."""
        return f"{self.prefix}:dupefilter"

    @property
    def seeds(self) -> str:
        """Hash agency → seed JSON: any worker can rebuild any agency's crawl state."""
        return f"{self.prefix}:seeds"

    @property
    def start(self) -> str:
        """List of agencies whose home page no worker has requested yet."""
        return f"{self.prefix}:start"

    @property
    def workers(self) -> str:
        """Set of worker ids that may hold in-flight requests."""
        return f"{self.prefix}:workers"

    @property
    def home_ok(self) -> str:
        """Set of agencies whose home page answered (the run summary's "ok")."""
        return f"{self.prefix}:home_ok"

    def alive(self, worker: str) -> str:
        """Heartbeat key with a TTL: gone means the worker died."""
        return f"{self.prefix}:alive:{worker}"

    def inflight(self, worker: str) -> str:
        """Hash of the requests a worker popped and has not finished."""
        return f"{self.prefix}:inflight:{worker}"

    def claimed(self, worker: str, dead: str) -> str:
        return f"{self.prefix}:claimed:{worker}:{dead}"

    def domains(self, agency: str) -> str:
        """Hosts an agency's scope gained during the crawl (platform hosts, forwarding seeds)."""
        return f"{self.prefix}:domains:{agency}"

    def inventory(self, agency: str, part: str) -> str:
        """An agency's list inventory merged over workers: ``links``, ``attachments``, ``seen``."""
        return f"{self.prefix}:inventory:{agency}:{part}"

    @property
    def partial(self) -> str:
        """Set of agencies whose lists some worker did not crawl completely."""
        return f"{self.prefix}:partial"

    def host_slots(self, host: str) -> str:
        return f"{self.prefix}:host:{host}:slots"

    def host_next(self, host: str) -> str:
        return f"{self.prefix}:host:{host}:next"

    @property
    def pattern(self) -> str:
        """Every key of this crawl (for a reset)."""
        return f"{self.prefix}:*"


def seed_to_json(seed: Seed) -> str:
    return json.dumps(asdict(seed), ensure_ascii=False)


def seed_from_json(raw: bytes | str) -> Seed:
    data = json.loads(raw)
    data["domains"] = tuple(data.get("domains") or ())
    return Seed(**data)
