"""The reading process: ``python -m pipelines.reader FD PARENT_PID`` serves ``crawler.read.read`` over a socket.

Started by ``pipelines.workers.ReadWorkers``. It is a fresh interpreter, not a fork of the crawler:
a forked child keeps a copy of every page of the crawler's heap that the crawler later writes to
(copy-on-write; tens of MB over a crawl), while this one holds only what reading needs
(crawler.extract/parse/classify, lxml, and the PDF/Office readers once a file needs them).

Protocol: the parent sends ``(body, url, content_type, title_hint)`` tuples, or ``None`` to stop;
each is answered with ``("ok", Reading)`` or ``("error", why)``, one at a time, in order.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any

_PR_SET_PDEATHSIG = 1
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


def serve(conn: Connection) -> None:
    from crawler.read import read  # after the signals are set: a stop during imports must not kill us

    while True:
        try:
            args = conn.recv()
        except EOFError:
            return
        if args is None:
            return
        try:
            outcome: tuple[str, Any] = ("ok", read(*args))
        except Exception as exc:  # noqa: BLE001 - read() says why instead of raising; a bug must not stop the worker
            outcome = ("error", f"reading it raised {type(exc).__name__}: {exc}")
        try:
            conn.send(outcome)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that does not pickle
            conn.send(("error", f"its reading could not be sent back ({type(exc).__name__}: {exc})"))


def main(argv: list[str]) -> int:
    # Scrapy's graceful stop (SIGINT/SIGTERM to the process group) still needs the queued readings;
    # the crawler ends this process by closing the socket, and the kernel kills it if the crawler dies.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    if len(argv) != 2:
        sys.stderr.write("usage: python -m pipelines.reader FD PARENT_PID\n")
        return 2
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != int(argv[1]):
        return 2  # the crawler died before the death signal was armed
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)
    serve(Connection(int(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
