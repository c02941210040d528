"""Reading in worker processes (pipelines/workers.py): same readings as in-process, delivered in
the order sent, and a worker that dies or hangs costs one payload, never the crawl."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from crawler.read import Reading, read
from pipelines.workers import IN_FLIGHT, ReadFailed, ReadWorkers

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
URL = "http://www.example.gov.cn/zwgk/ndbg/{}"


def _payloads() -> list[tuple[bytes, str, str | None]]:
    html = sorted((FIXTURES / "extract").glob("*/input.html"))[:6]
    files = [FIXTURES / "attachments" / case / f"input.{ext}"
             for case, ext in (("report_2021_pdf", "pdf"), ("report_2021_docx", "docx"), ("long_table_pdf", "pdf"))]
    out: list[tuple[bytes, str, str | None]] = [(p.read_bytes(), URL.format(p.parent.name + ".html"), "text/html")
                                               for p in html]
    out += [(p.read_bytes(), URL.format(p.parent.name + p.suffix), None) for p in files]
    return out


def _slow_page(rows: int = 5000) -> bytes:
    """A report page with one very long table: 5,000 rows take ~0.4 s to read on a fast host."""
    body = "".join(f"<tr><td>第{i}项</td><td>{i * 3}</td><td>{i * 7}</td><td>政府信息公开</td></tr>" for i in range(rows))
    title = "2021年某某局政府信息公开工作年度报告"
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><table>{body}</table></body></html>".encode()


def _same(a: Reading, b: Reading) -> None:
    assert a.document.to_dict() == b.document.to_dict()
    assert a.verdict == b.verdict
    assert (a.report.to_dict() if a.report else None) == (b.report.to_dict() if b.report else None)


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children()}


def test_readings_from_workers_equal_readings_in_process() -> None:
    payloads = _payloads()
    expected = [read(body, url, ctype) for body, url, ctype in payloads]
    assert sum(r.report is not None for r in expected) >= 4  # reports, attachments among them

    async def go() -> list[Reading]:
        pool = ReadWorkers(2)
        pool.start()
        try:
            assert pool.workers == []  # started by the first payload, not before
            readings = list(await asyncio.gather(*(pool.read(b, u, c, None) for b, u, c in payloads)))
            assert len(pool.workers) == 2
            return readings
        finally:
            pool.close()

    before = _children()
    got = asyncio.run(go())
    for a, b in zip(got, expected, strict=True):
        _same(a, b)
    assert _children() <= before  # every worker exited and was reaped


def test_readings_are_delivered_in_the_order_sent() -> None:
    """A slow payload sent first is handed out before the quick ones sent after it, as the archive
    needs (an attachment before the page that links to it)."""
    quick = _payloads()[0]

    async def go() -> list[str]:
        pool = ReadWorkers(2)
        pool.start()
        done: list[str] = []

        async def one(label: str, body: bytes, url: str, ctype: str | None) -> None:
            await pool.read(body, url, ctype, None)
            done.append(label)

        try:
            await asyncio.gather(one("slow", _slow_page(), URL.format("slow.html"), "text/html"),
                                 *(one(f"quick{i}", *quick) for i in range(3)))
        finally:
            pool.close()
        return done

    assert asyncio.run(go()) == ["slow", "quick0", "quick1", "quick2"]


def test_a_worker_killed_mid_read_costs_that_payload_only() -> None:
    quick = _payloads()[0]

    async def go() -> tuple[str, Reading, Reading, int]:
        pool = ReadWorkers(1)
        pool.start()
        try:
            # ~2.3 s of reading on a fast host (8,000 rows took 0.68 s and was done before the kill)
            slow = asyncio.ensure_future(pool.read(_slow_page(30000), URL.format("slow.html"), "text/html", None))
            await asyncio.sleep(0)
            victim = pool.workers[0].proc.pid
            after = asyncio.ensure_future(pool.read(*quick, None))  # queued behind the slow one
            await asyncio.sleep(0.8)  # started (~0.4 s of imports) and reading
            # The small one already waits in the process's socket (IN_FLIGHT): the kill takes it too,
            # and the process that takes over must read it.
            assert len(pool.workers[0].tasks) == IN_FLIGHT and not pool.waiting
            os.kill(victim, signal.SIGKILL)
            with pytest.raises(ReadFailed) as failed:
                await slow
            later = await after
            again = await pool.read(*quick, None)
            assert pool.workers and pool.workers[0].proc.pid != victim  # a new worker took over
            return str(failed.value), later, again, victim
        finally:
            pool.close()

    message, later, again, victim = asyncio.run(go())
    assert "killed by signal 9 (SIGKILL)" in message
    assert later.report is not None and again.report is not None
    assert not psutil.pid_exists(victim) or psutil.Process(victim).status() == psutil.STATUS_ZOMBIE


def test_a_worker_that_closed_its_socket_but_lingers_does_not_block_the_reactor() -> None:
    """Its exit status is polled for REAP_GRACE seconds while the event loop runs on, then it is killed."""
    quick = _payloads()[0]

    async def go() -> tuple[float, int, str, Reading, int]:
        pool = ReadWorkers(1)
        pool.start()
        try:
            slow = asyncio.ensure_future(pool.read(_slow_page(30000), URL.format("slow.html"), "text/html", None))
            await asyncio.sleep(0)
            w = pool.workers[0]
            victim = w.proc.pid
            await asyncio.sleep(0.5)  # reading it
            os.kill(victim, signal.SIGSTOP)  # alive, not exiting: what a hung shutdown looks like
            started = time.monotonic()
            pool._lost(w)  # as when its socket reports EOF
            returned = time.monotonic() - started
            ticks = 0
            while not slow.done():  # the loop keeps turning through the grace period
                await asyncio.sleep(0.05)
                ticks += 1
            with pytest.raises(ReadFailed) as failed:
                await slow
            return returned, ticks, str(failed.value), await pool.read(*quick, None), victim
        finally:
            pool.close()

    returned, ticks, message, after, victim = asyncio.run(go())
    assert returned < 1.5  # under REAP_GRACE (2 s): it did not wait for the process (spawning its successor aside)
    assert ticks >= 10  # ~REAP_GRACE / 0.05 s: nothing blocked while it was waited for
    assert "killed by signal 9 (SIGKILL)" in message
    assert after.report is not None  # the process that took over reads on
    assert not psutil.pid_exists(victim) or psutil.Process(victim).status() == psutil.STATUS_ZOMBIE


def test_a_read_past_the_timeout_is_given_up_and_its_worker_replaced() -> None:
    quick = _payloads()[0]

    async def go() -> tuple[str, Reading, float, Reading]:
        pool = ReadWorkers(1, timeout=1.0)
        pool.start()
        try:
            await pool.read(*quick, None)  # the process is up and warm: its start-up is not timed below
            page = _slow_page(60000)  # ~5 s to read whole on a fast host
            started = time.monotonic()
            slow = asyncio.ensure_future(pool.read(page, URL.format("slow.html"), "text/html", None))
            behind = asyncio.ensure_future(pool.read(*quick, None))  # sent behind it, not yet read
            with pytest.raises(ReadFailed) as failed:
                await slow
            waited = time.monotonic() - started
            return str(failed.value), await behind, waited, await pool.read(*quick, None)
        finally:
            pool.close()

    message, behind, waited, after = asyncio.run(go())
    assert "longer than NIANBAO_READ_TIMEOUT (1 s)" in message
    assert waited < 2.5  # given up at the 1 s limit, not after the whole reading (~5 s on a fast host)
    # The payload behind it is neither charged the first one's time nor lost with its process.
    assert behind.report is not None and after.report is not None


def test_only_a_payload_that_fits_the_socket_waits_behind_another() -> None:
    quick = _payloads()[0]

    async def go() -> tuple[int, int, list[Reading]]:
        pool = ReadWorkers(1)
        pool.start()
        try:
            first = asyncio.ensure_future(pool.read(*quick, None))
            big = asyncio.ensure_future(pool.read(_slow_page(5000), URL.format("big.html"), "text/html", None))
            await asyncio.sleep(0)
            w = pool.workers[0]
            assert len(_slow_page(5000)) > w.ahead  # ~400 KB against a 208 KB socket buffer
            held, queued = len(w.tasks), len(pool.waiting)  # the big one would block the loop: it waits
            return held, queued, [await first, await big]
        finally:
            pool.close()

    held, queued, readings = asyncio.run(go())
    assert (held, queued) == (1, 1)
    assert all(r.report is not None for r in readings)


def test_idle_processes_are_served_before_any_holds_a_second_payload() -> None:
    payloads = _payloads()[:2]

    async def go() -> tuple[list[int], list[Reading]]:
        pool = ReadWorkers(2)
        pool.start()
        try:
            futures = [asyncio.ensure_future(pool.read(*p, None)) for p in payloads]
            await asyncio.sleep(0)
            held = sorted(len(w.tasks) for w in pool.workers)
            return held, [await f for f in futures]
        finally:
            pool.close()

    held, readings = asyncio.run(go())
    assert held == [1, 1]  # not [0, 2]: both processes have something to read
    for (body, url, ctype), reading in zip(payloads, readings, strict=True):
        _same(reading, read(body, url, ctype))


def test_no_workers_reads_in_process() -> None:
    body, url, ctype = _payloads()[0]

    async def go() -> Reading:
        pool = ReadWorkers(0)
        pool.start()
        try:
            assert pool.workers == []
            return await pool.read(body, url, ctype, None)
        finally:
            pool.close()

    _same(asyncio.run(go()), read(body, url, ctype))


_ORPHAN = """
import asyncio, sys
from pipelines.workers import ReadWorkers

async def main():
    pool = ReadWorkers(1)
    pool.start()
    pool._start_workers()
    print(pool.workers[0].proc.pid, flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


def test_workers_die_with_a_killed_crawler() -> None:
    """kill -9 of the crawler leaves no reading process behind (the kernel's parent-death signal)."""
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None
        worker = int(proc.stdout.readline())
        assert psutil.pid_exists(worker)
        proc.kill()
        proc.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if not psutil.pid_exists(worker) or psutil.Process(worker).status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.05)
        else:
            os.kill(worker, signal.SIGKILL)
            pytest.fail("the reading process outlived its crawler")
    finally:
        if proc.poll() is None:
            proc.kill()
