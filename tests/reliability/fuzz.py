"""Fuzzing helpers: real fixtures, byte mutations, and a call guarded for time and memory."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Snippets real hostile pages carry: deep nesting, scripts, NULs, lying charsets, broken tables.
SPLICES = [
    b"\x00", b"\x00" * 64, b"<div>" * 200, b"</div>" * 50, b"<table><tr><td>" * 50, b"<script>alert(1)</script>",
    b'<meta charset="gbk">', b'<meta http-equiv="Content-Type" content="text/html; charset=utf-16">',
    b"\xef\xbb\xbf", b"\xff\xfe", b"<![CDATA[", b"<!--", b"&#0;&#xD800;&#x110000;", b"\xe4\xb8", b"\r\r\n",
    "（一）".encode(), "表三 收到和处理政府信息公开申请情况".encode(), b"123456789012345678901234567890",
    b"%PDF-1.7\n", b"endstream endobj", b"PK\x03\x04",
]


def fixture_files(stage: str, pattern: str) -> list[Path]:
    return sorted((FIXTURES / stage).glob(f"*/{pattern}"))


@st.composite
def mutated(draw: Any, corpus: list[bytes]) -> bytes:
    """A real fixture with a few random edits: flips, cuts, splices of hostile snippets, repeats."""
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "cut", "splice", "repeat", "truncate"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[pos:pos + draw(st.integers(1, 4096))]
        elif op == "splice":
            data[pos:pos] = draw(st.sampled_from(SPLICES)) * draw(st.integers(1, 8))
        elif op == "repeat":
            chunk = bytes(data[pos:pos + draw(st.integers(1, 2048))])
            data[pos:pos] = chunk * draw(st.integers(1, 20))
        elif op == "truncate":
            del data[pos:]
    return bytes(data)


class Hang(Exception):
    """Raised inside a guarded call that ran past its time limit."""


@dataclass
class Outcome:
    seconds: float
    peak_rss_growth: int
    error: str = ""  # an exception that escaped, with its traceback's last frames
    hung: bool = False
    value: Any = None


@dataclass
class Ledger:
    """What a fuzz target saw: counts, worst times, escapes and hangs with their smallest input."""

    name: str
    calls: int = 0
    max_seconds: float = 0.0
    max_rss_growth: int = 0
    internal_errors: int = 0  # failures caught by the stage's own last line of defence
    internal_examples: dict[str, int] = field(default_factory=dict)
    escapes: list[dict[str, Any]] = field(default_factory=list)

    def add(self, outcome: Outcome, data: bytes, internal: str = "") -> None:
        self.calls += 1
        self.max_seconds = max(self.max_seconds, outcome.seconds)
        self.max_rss_growth = max(self.max_rss_growth, outcome.peak_rss_growth)
        if internal:
            self.internal_errors += 1
            key = internal[:120]
            self.internal_examples[key] = min(self.internal_examples.get(key, len(data)), len(data))
        if outcome.error or outcome.hung:
            known = [e for e in self.escapes if e["error"] == outcome.error]
            if not known or len(data) < known[0]["input_len"]:
                self.escapes = [e for e in self.escapes if e["error"] != outcome.error]
                self.escapes.append({"error": outcome.error, "hung": outcome.hung, "input_len": len(data),
                                     "input_head": data[:200].decode("utf-8", "replace")})

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.name, "calls": self.calls, "max_seconds": round(self.max_seconds, 3),
                "max_rss_growth_mb": self.max_rss_growth >> 20, "internal_errors": self.internal_errors,
                "internal_examples": [{"warning": k, "smallest_input": v}
                                      for k, v in sorted(self.internal_examples.items())][:8],
                "escapes": self.escapes}


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """SIGALRM after ``seconds``, then every 0.5 s: a stage that swallows one Hang (its own
    last-line ``except Exception``) still gets stopped. pytest-timeout's pending alarm is restored."""

    def fire(_sig: int, _frame: Any) -> None:
        raise Hang(f"no answer after {seconds} s")

    started = time.monotonic()
    old = signal.signal(signal.SIGALRM, fire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(0.01, outer - (time.monotonic() - started)))


def guarded(fn: Callable[[], Any], limit: float) -> Outcome:
    """Run ``fn`` with a SIGALRM time limit, sampling this process's RSS growth meanwhile."""
    me = psutil.Process()
    base = me.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            with contextlib.suppress(psutil.Error):
                peak[0] = max(peak[0], me.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    outcome = Outcome(0.0, 0)
    try:
        with _alarm(limit):
            outcome.value = fn()
    except Hang as exc:
        outcome.hung, outcome.error = True, f"Hang: {exc}"
    except Exception as exc:  # noqa: BLE001 - an escape is exactly what we record
        frames = traceback.extract_tb(exc.__traceback__)[-3:]
        where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames)
        outcome.error = f"{type(exc).__name__}: {str(exc)[:200]} [{where}]"
    finally:
        outcome.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    outcome.peak_rss_growth = max(0, max(peak[0], me.memory_info().rss) - base)
    if outcome.seconds >= limit and not outcome.hung:
        # the alarm fired inside the stage, which caught it as one more bad input
        outcome.hung, outcome.error = True, f"Hang: no answer after {limit} s (caught inside the stage)"
    return outcome
