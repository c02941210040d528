"""Fuzz the pure stages with mutated real fixtures (hypothesis): no exception escapes a public
function, no input hangs, each input answers within its time limit.

``make test`` runs a small derandomised budget; ``NIANBAO_FUZZ_LONG=1`` (``make fuzz``) a large
random one. Failures the stages catch themselves ("extraction failed: …", "parse failed: …", reader
bugs) are counted per target in results/fuzz.json: they are bugs too, just not crashes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from crawler.attachments import read_attachment
from crawler.extract import extract
from crawler.parse import parse, parse_text
from tests.reliability.fuzz import Ledger, fixture_files, guarded, mutated
from tests.reliability.harness import LONG, budget, write_result

EXAMPLES = budget(25, 600)
PAGE_LIMIT = 10.0  # seconds per page or text
FILE_LIMIT = 30.0  # seconds per attachment
_READER_BUG = re.compile(
    r"(TypeError|AttributeError|IndexError|KeyError|RecursionError|AssertionError|UnboundLocalError|NameError|"
    r"ZeroDivisionError|ValueError: not enough values)"
)

HTML = [p.read_bytes() for p in fixture_files("extract", "input.html")]
TEXTS = [p.read_bytes() for p in fixture_files("parse", "input.txt") + fixture_files("extract", "input.txt")]
FILES: dict[str, list[bytes]] = {
    ext: [p.read_bytes() for p in fixture_files("attachments", f"input.{ext}")] for ext in ("pdf", "docx", "xlsx")
}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is held per input by guarded(), with a limit fit for each stage
    derandomize=not LONG,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
LEDGERS: dict[str, Ledger] = {}


@pytest.fixture(scope="module", autouse=True)
def _record() -> Iterator[None]:
    yield
    write_result("fuzz", {"examples_per_target": EXAMPLES, "page_limit_s": PAGE_LIMIT, "file_limit_s": FILE_LIMIT,
                          "targets": [ledger.as_dict() for ledger in LEDGERS.values()]})


@pytest.fixture(autouse=True)
def _quiet_stage_logs(caplog: pytest.LogCaptureFixture) -> None:
    # the stages log their caught failures with tracebacks: thousands of lines per fuzz run
    caplog.set_level(logging.CRITICAL)


def _check(name: str, data: bytes, fn: Callable[[], Any], limit: float, internal: Callable[[Any], str]) -> None:
    ledger = LEDGERS.setdefault(name, Ledger(name))
    outcome = guarded(fn, limit)
    ledger.add(outcome, data, "" if outcome.error else internal(outcome.value))
    assert not outcome.hung, f"{name} hung on a {len(data)}-byte input"
    assert not outcome.error, f"{name} raised: {outcome.error}"
    assert outcome.seconds < limit


def _extract_internal(doc: Any) -> str:
    return next((w for w in doc.warnings if w.startswith("extraction failed")), "")


def _parse_internal(report: Any) -> str:
    return next((w for w in report.warnings if w.startswith("parse failed")), "")


@FUZZ
@given(mutated(HTML))
def test_extract_survives_mutated_pages(data: bytes) -> None:
    _check("extract(html)", data, lambda: extract(data, "http://x.gov.cn/a/t1.html", "text/html"), PAGE_LIMIT,
           _extract_internal)


@FUZZ
@given(mutated(HTML))
def test_parse_survives_what_extract_makes_of_mutated_pages(data: bytes) -> None:
    def chain() -> Any:
        return parse(extract(data, "http://x.gov.cn/a/t1.html", None))

    _check("parse(extract(html))", data, chain, PAGE_LIMIT * 2, _parse_internal)


@FUZZ
@given(mutated(TEXTS))
def test_parse_text_survives_mutated_texts(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    _check("parse_text", data, lambda: parse_text(text, "", "http://x.gov.cn/a.txt"), PAGE_LIMIT, _parse_internal)


@pytest.mark.parametrize("ext", sorted(FILES))
def test_attachment_readers_survive_mutated_files(ext: str) -> None:
    corpus = FILES[ext]
    assert corpus, f"no {ext} fixtures"

    @FUZZ
    @given(mutated(corpus))
    def run(data: bytes) -> None:
        def internal(att: Any) -> str:
            return att.reason if _READER_BUG.search(att.reason or "") else ""

        _check(f"read_attachment({ext})", data, lambda: read_attachment(data, f"http://x.gov.cn/f.{ext}"),
               FILE_LIMIT, internal)

    run()


@pytest.mark.parametrize("ext", sorted(FILES))
def test_extract_survives_mutated_attachments(ext: str) -> None:
    @FUZZ
    @given(mutated(FILES[ext]))
    def run(data: bytes) -> None:
        _check(f"extract({ext})", data, lambda: extract(data, f"http://x.gov.cn/f.{ext}", None), FILE_LIMIT,
               _extract_internal)

    run()
