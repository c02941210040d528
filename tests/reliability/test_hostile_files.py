"""Hostile pages and files (tests/reliability/hostile_files.py) through the stages as the pipeline
calls them: extract → classify → parse, and the attachment readers directly. Each must answer
within its time limit, within a memory budget, without an exception escaping."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from crawler.attachments import read_attachment
from crawler.classify import classify
from crawler.extract import extract
from crawler.parse import parse, parse_text
from tests.reliability.fuzz import guarded
from tests.reliability.harness import budget, write_result
from tests.reliability.hostile_files import INPUTS, HostileInput

# Seconds per stage call: a hang never ends, a bounded read of the largest input (32 MiB of DOCX
# paragraphs, extract + parse) takes 5.3 s on a quiet host and 8-12 s on a slow or shared one.
TIME_LIMIT = float(budget(20, 30))
MEMORY_LIMIT = 256 * 1024 * 1024  # RSS growth per stage call (inputs inflate to 200 MiB)
ROWS: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module", autouse=True)
def _record() -> Iterator[None]:
    yield
    write_result("files", {"time_limit_s": TIME_LIMIT, "memory_limit_mb": MEMORY_LIMIT >> 20,
                           "rows": [ROWS[i.name] for i in INPUTS if i.name in ROWS]})


def _pipeline(data: bytes, url: str) -> str:
    doc = extract(data, url, None)
    verdict = classify(doc.title, url, doc.text)
    report = parse(doc)
    warn = (doc.warnings + report.warnings)[:1]
    return f"text {len(doc.text)} chars, {len(doc.tables)} tables, report={verdict.is_report}" + (
        f", warning: {warn[0][:100]}" if warn else "")


def _direct(case: HostileInput, data: bytes) -> str:
    if case.stage == "read_attachment":
        att = read_attachment(data, case.url)
        return f"{att.kind}: extracted={att.extracted} {len(att.text)} chars" + (
            f", reason: {att.reason[:100]}" if att.reason else "")
    if case.stage == "parse_text":
        report = parse_text(data.decode("utf-8", "replace"), "", case.url)
        return f"year={report.year} format={report.format} warnings={len(report.warnings)}"
    return _pipeline(data, case.url)


def _param(case: HostileInput) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.known)] if case.known else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(i) for i in INPUTS])
def test_hostile_input_is_bounded(case: HostileInput, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL)
    data = case.build()
    calls = {"direct": lambda: _direct(case, data)}
    if case.stage == "read_attachment" and not (case.known and "alarm" in case.known):
        calls["pipeline"] = lambda: _pipeline(data, case.url)  # a known hang costs its limit once, not twice
    row: dict[str, Any] = {"input": case.name, "what": case.what, "bytes": len(data), "stage": case.stage}
    problems = []
    # a known hang is given a few seconds: enough to see it fixed, not a full limit of waiting
    limit = min(TIME_LIMIT, 5.0) if "alarm" in case.known else TIME_LIMIT
    for label, fn in calls.items():
        outcome = guarded(fn, limit)
        row[label] = {"seconds": round(outcome.seconds, 2), "rss_growth_mb": outcome.peak_rss_growth >> 20,
                      "result": outcome.error or str(outcome.value)}
        if outcome.hung or outcome.error:
            problems.append(f"{label}: {outcome.error}")
        if outcome.peak_rss_growth > MEMORY_LIMIT:
            problems.append(f"{label}: RSS grew {outcome.peak_rss_growth >> 20} MB")
        elif case.keeps_text and (" 0 chars" in str(outcome.value) or "failed" in str(outcome.value)):
            problems.append(f"{label}: the content was lost: {outcome.value}")
    row["ok"] = not problems
    row["known"] = case.known
    ROWS[case.name] = row
    assert not problems, problems
