"""The frontier of a ``--job`` run, kept where ``kill -9`` cannot tear it.

Scrapy's JOBDIR disk queues are files appended in place: a kill mid-write leaves a torn record
(``struct.error: unpack requires a buffer of 4 bytes`` on resume), and the spider's per-agency
state is pickled only at close. A job here keeps instead, in ``<job folder>/frontier.sqlite``
(SQLite in WAL mode, one transaction per batch of pushes and pops, so a kill loses at most the
last uncommitted batch and never a half-written one):

- the runs of the job and how each ended (a run that never wrote its end crashed);
- every request scheduled, pickled, and whether it left the downloader.

A resumed run does not trust any of that to rebuild the spider's state: it starts again from the
seeds, and the requests the earlier runs already fetched are answered from the archive's fetch
log (``ReplayMiddleware``), so the spider re-derives the same budgets, seen-sets and list
inventories it had, and the same frontier. A request still pending in the journal that the
re-derived crawl never asks for is issued from the journal when the crawl is otherwise done.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from pipelines.state import state_for
from pipelines.summary import how_it_ended
from storage.db import StorageError
from storage.frontier import job_payload

logger = logging.getLogger("nianbao.frontier")

JOURNAL = "frontier.sqlite"
FLUSH_SECONDS = 0.25
# headers of the stored response that describe the wire, not the body kept in the fetch log
_WIRE_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (run_id INTEGER PRIMARY KEY, ended TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS request (fp TEXT PRIMARY KEY, url TEXT NOT NULL, request BLOB NOT NULL,
                                    run_id INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0);
"""


class Journal:
    """The job's SQLite journal (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self.conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a committed transaction survives the process being killed (only power loss
        # may take back the last ones, and never leaves a torn one)
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.executescript(_SCHEMA)

    @classmethod
    def open(cls, path: Path) -> tuple[Journal, str]:
        """(journal, "") or, when the file is not a readable journal, a fresh one and why the old was set aside."""
        try:
            journal = cls(path)
            journal.conn.execute("SELECT count(*) FROM request").fetchone()
            return journal, ""
        except sqlite3.DatabaseError as err:
            aside = path.with_suffix(".unreadable")
            with contextlib.suppress(OSError):
                path.replace(aside)
                for extra in ("-wal", "-shm"):
                    Path(str(path) + extra).unlink(missing_ok=True)
            return cls(path), f"journal {path} unreadable ({err}), set aside as {aside.name}"

    def same_archive(self, archive: str) -> bool:
        """Whether the job's earlier runs wrote ``archive``; a journal of another archive is emptied
        (its run ids and fetch log mean nothing here) and this archive recorded."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'archive'").fetchone()
        if row is not None and row[0] == archive:
            return True
        if row is not None:
            self.conn.executescript("BEGIN IMMEDIATE; DELETE FROM run; DELETE FROM request; COMMIT;")
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('archive', ?)", (archive,))
        return row is None

    def runs(self) -> list[tuple[int, str | None]]:
        return list(self.conn.execute("SELECT run_id, ended FROM run ORDER BY run_id"))

    def pending(self, before_run: int) -> dict[str, bytes]:
        """Requests of earlier runs scheduled and never answered: fingerprint → pickled request."""
        rows = self.conn.execute("SELECT fp, request FROM request WHERE done = 0 AND run_id < ?", (before_run,))
        return {fp: blob for fp, blob in rows}

    def done_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM request WHERE done = 1").fetchone()[0])

    def begin_run(self, run_id: int) -> None:
        self.conn.execute("INSERT OR REPLACE INTO run (run_id, ended) VALUES (?, NULL)", (run_id,))

    def end_run(self, run_id: int, ended: str) -> None:
        self.conn.execute("UPDATE run SET ended = ? WHERE run_id = ?", (ended, run_id))

    def write(self, pushed: list[tuple[str, str, bytes, int]], popped: list[str]) -> None:
        """One batch of pushes and pops in one transaction: all of it or none after a kill."""
        if not pushed and not popped:
            return
        with contextlib.closing(self.conn.cursor()) as cur:
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.executemany(
                    "INSERT INTO request (fp, url, request, run_id, done) VALUES (?, ?, ?, ?, 0) "
                    "ON CONFLICT(fp) DO UPDATE SET request = excluded.request, run_id = excluded.run_id, done = 0",
                    pushed,
                )
                cur.executemany("UPDATE request SET done = 1 WHERE fp = ?", [(fp,) for fp in popped])
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class Frontier:
    """Scrapy extension: journals the job's requests and says how the run began (fresh / resumed)."""

    def __init__(self, crawler: Any, folder: Path) -> None:
        self.crawler = crawler
        self.folder = folder
        self.journal: Journal | None = None
        self.run_id = 0
        self.first_run = 0
        self.resumed = False
        self.previous: tuple[int, str] | None = None  # (run id, how it ended)
        self.pending: dict[str, bytes] = {}  # journal-pending requests not yet asked for again
        self.kept = 0  # pending requests found whole in the journal
        self.rederived = 0  # … of which the re-derived crawl asked for again
        self.reissued = 0  # … of which were issued from the journal itself
        self.replayed = 0  # requests answered from the fetch log
        self._pushed: list[tuple[str, str, bytes, int]] = []
        self._popped: list[str] = []
        self._idle_done = False
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Frontier:
        folder = crawler.settings.get("NIANBAO_JOB_DIR")
        if not folder:
            raise NotConfigured  # no --job; bare, as Scrapy's own: with a message Scrapy logs a warning
        ext = cls(crawler, Path(folder))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ext.request_done, signal=signals.response_received)
        crawler.signals.connect(ext.request_done, signal=signals.request_left_downloader)
        # (not request_dropped: a duplicate the scheduler refused shares its fingerprint with a request
        # still pending)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.nianbao_frontier = ext
        return ext

    def _fp(self, request: Request) -> str:
        fp = self.crawler.request_fingerprinter.fingerprint(request).hex()
        return fp + "/js" if request.meta.get("playwright") else fp

    def spider_opened(self, spider: Any) -> None:
        self.run_id = state_for(self.crawler).run_id
        self.folder.mkdir(parents=True, exist_ok=True)
        self.journal, problem = Journal.open(self.folder / JOURNAL)
        if problem:
            logger.warning("%s: re-deriving the whole frontier from the seeds and the fetch log", problem)
        archive = state_for(self.crawler).archive.engine.url.render_as_string(hide_password=True)
        if not self.journal.same_archive(archive):
            logger.warning("job %s was begun on another archive: starting it afresh on %s", self.folder.name, archive)
        earlier = [(rid, ended) for rid, ended in self.journal.runs() if rid < self.run_id]
        if earlier:
            self.resumed = True
            self.first_run = earlier[0][0]
            self.previous = (earlier[-1][0], earlier[-1][1] or "crashed")
            self.pending = self.journal.pending(self.run_id)
            self.kept = len(self.pending)
            logger.info("job %s: resuming after run %d (%s); %d pending requests kept in the journal, "
                        "%d answered before", self.folder.name, self.previous[0], self.previous[1], self.kept,
                        self.journal.done_count())
        self.journal.begin_run(self.run_id)
        self._loop = task.LoopingCall(self.flush)
        self._loop.start(FLUSH_SECONDS, now=False)

    def request_scheduled(self, request: Request, spider: Any) -> None:
        fp = self._fp(request)
        if self.pending.pop(fp, None) is not None:
            self.rederived += 1
        try:
            blob = pickle.dumps(request.to_dict(spider=spider), protocol=4)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError) as err:
            logger.debug("not journalled (%s): %s", err, request.url)
            return
        self._pushed.append((fp, request.url, blob, self.run_id))

    def request_done(self, request: Request, spider: Any = None, **_: Any) -> None:
        self._popped.append(self._fp(request))

    def flush(self) -> None:
        if self.journal is None:
            return
        pushed, popped, self._pushed, self._popped = self._pushed, self._popped, [], []
        try:
            self.journal.write(pushed, popped)
        except sqlite3.Error as err:
            logger.warning("job journal %s: batch not written (%s); a resume re-derives it", self.journal.path, err)

    def spider_idle(self, spider: Any) -> None:
        """Once, at the end of a resumed run: what the journal still holds that nothing asked for."""
        if not self.resumed or self._idle_done:
            return
        self._idle_done = True
        leftover, self.pending = self.pending, {}
        for blob in leftover.values():
            try:
                request = request_from_dict(pickle.loads(blob), spider=spider)  # noqa: S301 - our own journal
            except Exception as err:  # noqa: BLE001 - a record this build cannot rebuild is re-derived or lost, said once
                logger.warning("job journal: a pending request could not be rebuilt (%s)", err)
                continue
            request.dont_filter = True
            self.crawler.engine.crawl(request)
            self.reissued += 1
        if self.reissued:
            logger.info("job %s: %d pending requests issued from the journal", self.folder.name, self.reissued)
            raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.flush()
        if self.journal is not None:
            with contextlib.suppress(sqlite3.Error):
                self.journal.end_run(self.run_id, how_it_ended(reason))
            self.journal.close()

    def summary(self, reason: str) -> dict[str, Any]:
        """The run summary's ``job`` entry."""
        return {
            "name": self.folder.name,
            "began": "resumed" if self.resumed else "fresh",
            "ended": how_it_ended(reason),
            "previous_run": self.previous[0] if self.previous else None,
            "previous_ended": self.previous[1] if self.previous else None,
            "pending_kept": self.kept,
            "rederived": self.rederived,
            "reissued": self.reissued,
            "replayed": self.replayed,
        }


class ReplayMiddleware:
    """Downloader middleware of a resumed job: a request its earlier runs already fetched (a 200
    with a stored payload in the fetch log) is answered from there, not downloaded again."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReplayMiddleware:
        if not crawler.settings.get("NIANBAO_JOB_DIR"):
            raise NotConfigured  # no --job; bare, as Scrapy's own: with a message Scrapy logs a warning
        return cls(crawler)

    def process_request(self, request: Request) -> Response | None:
        frontier: Frontier | None = getattr(self.crawler, "nianbao_frontier", None)
        if frontier is None or not frontier.resumed or request.method != "GET" or request.meta.get("playwright"):
            return None
        try:
            stored = job_payload(state_for(self.crawler).archive, request.url, frontier.first_run, frontier.run_id)
        except StorageError:
            return None  # the download answers instead
        if stored is None:
            return None
        body, headers = stored
        headers = {k: v for k, v in headers.items() if k.lower() not in _WIRE_HEADERS}
        frontier.replayed += 1
        self.crawler.stats.inc_value("nianbao/job/replayed")
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request, flags=["replayed"])
