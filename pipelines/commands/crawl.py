"""``scrapy crawl`` whose exit status says how the run went (DESIGN.md: 0 ok, 1 agencies failed, 2 bad input).

Exit status: 0 every agency ok; 1 some agencies failed, or the run was stopped before its end;
3 every agency failed or nothing could be fetched; 2 bad input or an unusable archive (one line).

``--job NAME`` keeps the run's frontier in ``NIANBAO_JOBS_DIR/NAME`` (``pipelines.frontier``: a
journal that ``kill -9`` cannot tear, and a resume that re-derives the crawl from the seeds and the
fetch log): a run stopped by SIGINT, a crash or a reboot continues when started again. A run that
finishes clears its job folder, so tomorrow's cron run with the same name starts afresh; a lock
keeps two runs from sharing one job, and another keeps two crawls from writing one archive (SQLite:
a lock file beside it; PostgreSQL: an advisory lock per seed list; the distributed workers of one
round share it on purpose and take none).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import shutil
import sys
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
            jobs = self.settings.get("NIANBAO_JOBS_DIR")
            self.settings.set("NIANBAO_JOB_DIR", str(Path(jobs) / opts.job), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider: scrapy crawl reports -a seeds=PATH.csv")
        assert self.crawler_process and self.settings is not None
        with contextlib.ExitStack() as held:
            self.exitcode = self._run(args[0], opts, held)

    def _refuse(self, problem: str) -> int:
        logger.error("%s; nothing was crawled", problem)
        return 2

    def _claim_archive(self, settings: Any, opts: argparse.Namespace, held: contextlib.ExitStack) -> int | None:
        """Open the archive, check it takes writes and take the crawl lock (held until the run ends):
        a missing folder, corrupt, read-only, locked or unreachable archive is one line before any fetch.
        Returns the exit status of a refusal, None when the crawl may go on."""
        from storage.archive import Archive
        from storage.db import StorageError, check_writable, crawl_lock, describe_url

        url = settings.get("DATABASE_URL")
        try:
            archive = Archive.from_url(url)
            check_writable(archive.engine)
        except StorageError as err:
            return self._refuse(f"archive {describe_url(url)}: {err}")
        try:
            if not _shares_a_round(settings):
                lock_handle, problem = crawl_lock(archive.engine, str(opts.spargs.get("seeds") or ""))
                if problem:
                    return self._refuse(problem)
                held.callback(lock_handle.close)
        finally:
            archive.engine.dispose()
        return None

    def _run(self, spider: str, opts: argparse.Namespace, held: contextlib.ExitStack) -> int:
        assert self.crawler_process and self.settings is not None
        settings = self.settings
        jobdir = settings.get("NIANBAO_JOB_DIR") or settings.get("JOBDIR")
        if jobdir:
            lock, problem = lock_jobdir(str(jobdir))
            if problem:
                return self._refuse(problem)
            held.callback(lock.close)  # type: ignore[union-attr]
        if (refused := self._claim_archive(settings, opts, held)) is not None:
            return refused
        if problem := _queue_problem(settings):
            return self._refuse(problem)
        try:
            crawler = self._create_crawler(spider)
        except KeyError:
            return self._refuse(f"no spider named {spider!r} (this project has: reports)")
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        noise = getattr(crawler, "nianbao_netlog", None)
        if noise is not None and noise.quieted:
            logger.info("%d more network failures of hosts already named were counted, not logged", noise.quieted)
        summary = getattr(crawler, "nianbao_summary", None)
        if summary is not None:  # on stdout too: the operator sees it whatever the log level
            from crawler.summary import format_summary

            sys.stdout.write(format_summary(summary) + "\n")
            sys.stdout.flush()
        if self.crawler_process.bootstrap_failed:
            return 1 if summary is None else int(summary["exit_status"])
        status = int(getattr(crawler, "nianbao_exit_status", 0) or 0)
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
        if jobdir and reason == "finished" and status != 2:
            shutil.rmtree(jobdir, ignore_errors=True)
            logger.info("job %s finished: its journal was cleared", jobdir)
        elif jobdir:
            logger.info("job %s stopped (%s): run the same command again to resume", jobdir, reason)
        return status


def _shares_a_round(settings: Any) -> bool:
    """Distributed workers (settings.distributed: a Redis scheduler) write one archive together."""
    return "redis" in str(settings.get("SCHEDULER") or "").lower()


def _queue_problem(settings: Any) -> str | None:
    """Why the shared Redis queue of settings.distributed cannot be used, or None (also when the
    crawl keeps its queue in memory): checked before the engine starts, where scrapy-redis would
    fail with a traceback."""
    if not _shares_a_round(settings):
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
