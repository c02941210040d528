"""Report classifier against tests/fixtures/classify/cases.json and five real report texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.classify import classify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "classify"
CASES = json.loads((FIXTURES / "cases.json").read_text("utf-8"))
REAL = sorted((FIXTURES / "real").glob("*.txt"))


def _id(case: dict) -> str:
    return (case["title"] or "<no title>").replace("\n", " ")[:40]


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict) -> None:
    verdict = classify(case["title"], case["url"], case["text"])
    assert verdict.is_report is case["expected"], f"{case['why']}: {verdict}"
    if case.get("reason"):
        assert verdict.reason.startswith(case["reason"]), f"{case['why']}: {verdict}"
    assert 0.0 <= verdict.score <= 1.0


def test_fixture_coverage() -> None:
    """≥ 60 cases, both classes, every §7.6 confusable rule exercised."""
    assert len(CASES) >= 60
    reasons = {c.get("reason", "") for c in CASES if not c["expected"]}
    for rule in (
        "工作要点",
        "政府工作报告",
        "法治政府建设年度报告",
        "政府网站工作年度报表",
        "预算决算",
        "指南目录制度",
        "部署通知",
        "格式通知",
        "解读",
        "超链版",
        "统计表",
        "住房公积金年度报告",
        "企业年度报告",
        "统计公报",
        "工作总结",
        "评估报告",
        "新闻",
    ):
        assert f"confusable:{rule}" in reasons, rule
    assert sum(c["expected"] for c in CASES) >= 25


def test_precision_and_recall() -> None:
    tp = fp = fn = 0
    for case in CASES:
        got = classify(case["title"], case["url"], case["text"]).is_report
        tp += got and case["expected"]
        fp += got and not case["expected"]
        fn += (not got) and case["expected"]
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert (precision, recall) == (1.0, 1.0)


@pytest.mark.parametrize("path", REAL, ids=[p.stem[:3] for p in REAL])
def test_real_reports_without_title_are_found_from_the_body(path: Path) -> None:
    verdict = classify("", "", path.read_text("utf-8"))
    assert verdict.is_report, verdict
    assert verdict.reason.startswith("body")


def test_bad_input_never_raises() -> None:
    assert classify(None, None, None).is_report is False  # type: ignore[arg-type]
    assert classify("x" * 100_000, "::::", "\x00" * 10).is_report is False
