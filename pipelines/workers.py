"""Reading payloads in worker processes, so the reactor's core is left to fetching and storing.

Scrapy runs item pipelines in the reactor thread: every millisecond spent extracting a PDF is a
millisecond no response is handled. ``ReadWorkers`` sends each payload to one of
NIANBAO_READ_WORKERS reading processes (``pipelines.reader``, which runs ``crawler.read.read``:
extract, classify, parse) and awaits the ``Reading`` without blocking the reactor.

- Readings are handed back in the order the payloads were sent. The archive then sees items in
  capture order, as it did when reading was synchronous: an attachment still reaches it before
  the page that links to it (spiders/reports.py yields them in that order).
- A reading process that dies (a segfault in a PDF library, the OOM killer) or outlives
  NIANBAO_READ_TIMEOUT on one payload costs that payload only: it comes back as ``ReadFailed``
  naming the cause (the pipeline marks its fetch ``read-failed``: due again next run), and a new
  process takes over. The crawl itself never sees the crash.
- Each process holds up to ``IN_FLIGHT`` payloads: the one it reads and the next, already in its
  socket, so it starts on that one without waiting for the reactor to get round to answering it
  (a 4× crawl: 8.8 → 7.9 s with a second reading process, which costs ~50 MB; this gets the same
  from one). Only a payload that fits in the socket's buffer goes ahead of its turn: a larger one
  would block the reactor until the current reading is done.
- 0 workers, or no asyncio event loop, reads in the reactor thread as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from scrapy.utils.asyncio import is_asyncio_available

from crawler.model import Reading

logger = logging.getLogger(__name__)

_ROOT = str(Path(__file__).resolve().parent.parent)  # where `pipelines` and `crawler` live
REAP_GRACE = 2.0  # seconds a process that closed its socket gets to exit before it is killed
REAP_POLL = 0.02
IN_FLIGHT = 2  # payloads sent to one reading process and not yet answered: the one it reads and the next


class ReadFailed(Exception):
    """The payload could not be read: its reading process died on it or ran out of time."""


@dataclass
class _Task:
    args: tuple[Any, ...]
    future: asyncio.Future[Reading]
    outcome: tuple[str, Any] | None = None  # ("ok", Reading) | ("error", why)


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    conn: Connection
    ahead: int  # bytes a payload may have to be sent while another is being read (socket buffer)
    tasks: deque[_Task] = field(default_factory=deque)  # sent, not yet answered; the first is being read
    timer: asyncio.TimerHandle | None = None
    timed_out: bool = False


class ReadWorkers:
    def __init__(self, workers: int = 1, timeout: float = 300.0, stats: Any = None) -> None:
        self.size = max(0, workers)
        self.timeout = timeout
        self.stats = stats
        self.loop: asyncio.AbstractEventLoop | None = None
        self.workers: list[_Worker] = []
        self.waiting: deque[_Task] = deque()  # not yet sent to a worker
        self.order: deque[_Task] = deque()  # every task not yet handed back, in submission order
        self.reaping: list[_Worker] = []  # lost: socket closed, exit status not yet collected
        self.closing = False
        self.started = False
        self.inline = self.size == 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReadWorkers:
        s = crawler.settings
        return cls(s.getint("NIANBAO_READ_WORKERS"), s.getfloat("NIANBAO_READ_TIMEOUT"), crawler.stats)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self.inline:
            return
        try:
            self.loop = asyncio.get_event_loop() if is_asyncio_available() else None
        except RuntimeError:  # no reactor and no running loop
            self.loop = None
        if self.loop is None:
            logger.warning("no asyncio event loop (TWISTED_REACTOR): reading payloads in the crawler process")
            self.inline = True

    def _start_workers(self) -> None:
        """The reading processes start with the first payload: a re-crawl that downloads no
        report (all 304 or not due) never pays for them."""
        self.started = True
        for _ in range(self.size):
            if not self._spawn():
                break

    def close(self) -> None:
        """Stop every reading process (Scrapy calls this once every item is done): each exits on the
        stop message, or is killed after 5 s."""
        self.closing = True
        for w in self.workers:
            self._stop_watching(w)
            with contextlib.suppress(OSError):
                w.conn.send(None)
        deadline = time.monotonic() + 5.0
        for w in self.workers:
            try:
                w.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                w.proc.kill()
                w.proc.wait()
            w.conn.close()
        self.workers.clear()
        for w in self.reaping:
            w.proc.kill()
            w.proc.wait()
        self.reaping.clear()
        for task in self.order:
            if not task.future.done():
                task.future.set_exception(ReadFailed("the crawl closed before it was read"))
        self.order.clear()
        self.waiting.clear()

    # -- reading -----------------------------------------------------------------------------
    async def read(self, body: bytes, url: str, content_type: str | None, title_hint: str | None) -> Reading:
        args = (body, url, content_type, title_hint)
        if self.inline or self.loop is None:
            return _read_here(args)
        if not self.started:
            self._start_workers()
        task = _Task(args, self.loop.create_future())
        self.waiting.append(task)
        self.order.append(task)
        self._dispatch()
        return await task.future

    def _dispatch(self) -> None:
        if not self.workers and self.waiting and not self.closing:
            # Every reading process is gone and none could be started: read here rather than stall.
            while self.waiting:
                task = self.waiting.popleft()
                task.outcome = ("ok", _read_here(task.args))
            self._deliver()
            return
        # Idle processes first, then a second payload each: two payloads never wait in one
        # process's socket while another process has nothing to read.
        for depth in range(IN_FLIGHT):
            for w in self.workers:
                if self.waiting and len(w.tasks) == depth:
                    self._send(w)

    def _send(self, w: _Worker) -> None:
        task = self.waiting[0]
        if w.tasks and len(task.args[0]) > w.ahead:
            return  # too large to wait in the socket: it goes when this process is idle
        self.waiting.popleft()
        try:
            w.conn.send(task.args)
        except (OSError, ValueError) as exc:  # gone: its EOF comes through _on_readable
            self.waiting.appendleft(task)
            logger.debug("reading process %s not reachable: %s", w.proc.pid, exc)
            return
        w.tasks.append(task)
        if len(w.tasks) == 1:
            self._watch_head(w)

    def _watch_head(self, w: _Worker) -> None:
        """The first payload a process holds is the one it reads: its time limit runs from now."""
        w.timed_out = False
        if w.tasks and self.timeout > 0 and self.loop is not None:
            w.timer = self.loop.call_later(self.timeout, self._expire, w, w.tasks[0])

    def _deliver(self) -> None:
        """Hand out finished readings strictly in submission order."""
        while self.order and self.order[0].outcome is not None:
            task = self.order.popleft()
            if task.future.done():  # cancelled by its awaiter
                continue
            kind, value = task.outcome  # type: ignore[misc]
            if kind == "ok":
                task.future.set_result(value)
            else:
                task.future.set_exception(ReadFailed(value))

    def _on_readable(self, w: _Worker) -> None:
        try:
            outcome = w.conn.recv()
        except (EOFError, OSError):
            self._lost(w)
            return
        except Exception as exc:  # noqa: BLE001 - a reading that does not unpickle: that payload only
            outcome = ("error", f"its reading could not be received ({type(exc).__name__}: {exc})")
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        if w.tasks:
            w.tasks.popleft().outcome = outcome
            self._watch_head(w)
        self._deliver()
        self._dispatch()

    def _expire(self, w: _Worker, task: _Task) -> None:
        if w.tasks and w.tasks[0] is task:
            w.timed_out = True
            w.proc.kill()  # its EOF comes next, through _on_readable → _lost

    def _lost(self, w: _Worker) -> None:
        """Its socket closed: the payload it was reading fails, the ones behind it go to a new process.
        Its exit status (for the message) is collected without blocking the reactor: a process that
        closed its socket but has not exited yet gets REAP_GRACE seconds, polled, then is killed."""
        self._stop_watching(w)
        w.conn.close()
        if w in self.workers:
            self.workers.remove(w)
        head = w.tasks.popleft() if w.tasks else None
        # The ones behind it were never started: another process reads them, in their order.
        self.waiting.extendleft(reversed(w.tasks))
        w.tasks.clear()
        if self.stats is not None:
            self.stats.inc_value("nianbao/read_workers/lost")
        self.reaping.append(w)
        if not self.closing:
            self._spawn()
        self._dispatch()
        self._reap(w, head, time.monotonic() + REAP_GRACE)

    def _reap(self, w: _Worker, head: _Task | None, deadline: float) -> None:
        code = w.proc.poll()
        if code is None:
            if time.monotonic() < deadline and not self.closing and self.loop is not None:
                self.loop.call_later(REAP_POLL, self._reap, w, head, deadline)
                return
            w.proc.kill()
            code = w.proc.wait()
        if w in self.reaping:
            self.reaping.remove(w)
        if w.timed_out:
            why = f"reading it took longer than NIANBAO_READ_TIMEOUT ({self.timeout:g} s); its process was stopped"
        else:
            why = f"the reading process {_describe(code)} while reading it"
        if head is not None:
            head.outcome = ("error", why)
        elif not self.closing:
            logger.warning("a reading process %s while idle", _describe(code))
        self._deliver()
        self._dispatch()

    def _stop_watching(self, w: _Worker) -> None:
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        if self.loop is not None and not w.conn.closed:
            with contextlib.suppress(OSError, ValueError):
                self.loop.remove_reader(w.conn.fileno())

    def _spawn(self) -> bool:
        """Start one reading process; False (and reading in this process) if that fails."""
        assert self.loop is not None
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH", "")) if p)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pipelines.reader", str(theirs.fileno()), str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env, cwd=_ROOT,
            )
        except OSError as exc:
            logger.warning("could not start a reading process (%s): reading in the crawler process", exc)
            ours.close()
            return False
        finally:
            theirs.close()
        ahead = ours.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2  # room for pickling's framing
        w = _Worker(proc, Connection(ours.detach()), ahead)
        self.workers.append(w)
        self.loop.add_reader(w.conn.fileno(), self._on_readable, w)
        if self.stats is not None:
            self.stats.inc_value("nianbao/read_workers/started")
        return True


def _read_here(args: tuple[Any, ...]) -> Reading:
    from crawler.read import read  # only when reading here: the crawler process need not load it

    return read(*args)


def _describe(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"was killed by signal {-code} ({name})"
    return f"exited with status {code}"
