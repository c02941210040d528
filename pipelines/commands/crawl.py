"""``scrapy crawl`` whose exit status says how the run went (DESIGN.md: 0 ok, 1 agencies failed, 2 bad input).

``--job NAME`` keeps the run's request queue and seen-set in ``NIANBAO_JOBS_DIR/NAME`` (Scrapy's
JOBDIR): a run stopped by SIGINT or a reboot continues where it was when started again. A run that
finishes clears its job folder, so tomorrow's cron run with the same name starts afresh instead of
finding every URL already "seen"; a lock keeps two runs from sharing one job.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

logger = logging.getLogger("nianbao.crawl")
_LOCK = ".nianbao.lock"


def _is_job_name(name: str) -> bool:
    """A job name becomes a folder name: letters, digits, "_", "." and "-" only, and not "." or ".."."""
    return bool(name) and name not in (".", "..") and all(ch.isalnum() or ch in "_.-" for ch in name)


def lock_jobdir(jobdir: str) -> tuple[IO[str] | None, str | None]:
    """(open lock file, None), or (None, why the folder cannot hold this job); checked before anything starts."""
    path = Path(jobdir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        handle = (path / _LOCK).open("a", encoding="utf-8")
    except OSError as err:
        return None, f"cannot use JOBDIR {path}: {err.strerror or err}"
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None, f"JOBDIR {path} is in use by another running crawl"
    return handle, None


class Command(ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--job",
            metavar="NAME",
            help="resumable run: keep the queue in NIANBAO_JOBS_DIR/NAME (default data/jobs/NAME)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if getattr(opts, "job", None):
            if not _is_job_name(opts.job):
                raise UsageError(f"--job {opts.job!r}: use letters, digits, '.', '_' or '-'", print_help=False)
            assert self.settings is not None
            jobs = self.settings.get("NIANBAO_JOBS_DIR") or "data/jobs"
            self.settings.set("JOBDIR", str(Path(jobs) / opts.job), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider: scrapy crawl reports -a seeds=PATH.csv")
        assert self.crawler_process and self.settings is not None
        jobdir = self.settings.get("JOBDIR")
        lock: IO[str] | None = None
        if jobdir:
            lock, problem = lock_jobdir(str(jobdir))
            if problem:
                logger.error("%s; nothing was crawled", problem)
                self.exitcode = 2
                return
        from storage.archive import Archive
        from storage.db import StorageError

        try:  # a corrupt, locked or unreachable archive: one line and status 2 before any fetch
            Archive.from_url(self.settings.get("DATABASE_URL")).engine.dispose()
        except StorageError as err:
            logger.error("%s; nothing was crawled", err)
            self.exitcode = 2
            if lock is not None:
                lock.close()
            return
        if problem := _queue_problem(self.settings):
            logger.error("%s; nothing was crawled", problem)
            self.exitcode = 2
            if lock is not None:
                lock.close()
            return
        try:
            try:
                crawler = self._create_crawler(args[0])
            except KeyError:
                logger.error("no spider named %r (this project has: reports); nothing was crawled", args[0])
                self.exitcode = 2
                return
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
            if self.crawler_process.bootstrap_failed:
                self.exitcode = 1
                return
            self.exitcode = int(getattr(crawler, "nianbao_exit_status", 0) or 0)
            reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
            if jobdir and reason == "finished":
                shutil.rmtree(jobdir, ignore_errors=True)
                logger.info("job %s finished: its queue was cleared", jobdir)
            elif jobdir:
                logger.info("job %s stopped (%s): run the same command again to resume", jobdir, reason)
        finally:
            if lock is not None:
                lock.close()


def _queue_problem(settings: Any) -> str | None:
    """Why the shared Redis queue of settings.distributed cannot be used, or None (also when the
    crawl keeps its queue in memory): checked before the engine starts, where scrapy-redis would
    fail with a traceback."""
    if "redis" not in str(settings.get("SCHEDULER") or "").lower():
        return None
    from redis.exceptions import RedisError
    from scrapy_redis.connection import get_redis_from_settings

    url = settings.get("REDIS_URL") or f"{settings.get('REDIS_HOST')}:{settings.get('REDIS_PORT')}"
    server = None
    try:
        server = get_redis_from_settings(settings)
        server.ping()
    except (RedisError, OSError, ValueError) as err:
        return f"the shared queue (Redis at {url}) is unreachable: {str(err).rstrip('.')}"
    finally:
        if server is not None:
            with contextlib.suppress(RedisError, OSError):
                server.close()
    return None
