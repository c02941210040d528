"""One parametrised test over tests/fixtures/extract/<case>/ (page + expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract
from crawler.model import CleanDocument
from tests.eval.extract import char_scores

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _run(case: str) -> tuple[CleanDocument, dict]:
    folder = FIXTURES / case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    page = next(folder.glob("input.*"))
    return extract(page.read_bytes(), expected["url"], expected.get("content_type")), expected


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30
    families = {c.split("_")[0] for c in CASES}
    assert {"trs", "hanweb", "gkmlpt", "layout", "gbk", "word", "defaced", "seed"} <= families


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str) -> None:
    doc, exp = _run(case)
    if exp.get("exact", True):
        assert doc.text == exp["body"]
    else:
        recall, precision = char_scores(exp["body"], doc.text)
        assert recall >= 0.98 and precision >= 0.98, (recall, precision)
    assert doc.title == exp["title"]
    tables = [t.rows for t in doc.tables]
    if isinstance(exp["tables"], int):
        assert len(tables) == exp["tables"]
    else:
        assert tables == exp["tables"]
    for needle in exp["must_not_contain"]:
        assert needle not in doc.text and needle not in doc.title, needle
    assert doc.spam.detected is exp["spam_detected"], doc.spam.findings
    # chrome removed under its reason, spam found with its words (the real-shape fixtures)
    for reason, words in exp.get("removed", []):
        assert any(r.reason == reason and words in r.text for r in doc.removed), (reason, words, doc.removed)
    for kind, words in exp.get("findings", []):
        assert any(f.kind == kind and words in f.text for f in doc.spam.findings), (kind, words, doc.spam.findings)
    for key in ("method", "agency", "published"):
        if key in exp:
            assert getattr(doc, key) == exp[key], key
    for key, value in exp.get("site", {}).items():
        assert getattr(doc.site, key) == value, key
    assert bool(doc.warnings) is bool(exp.get("warnings")), doc.warnings
    # the JSON contract of docs/schema.md
    data = doc.to_dict()
    assert {"url", "title", "published", "agency", "site", "text", "tables", "removed", "spam", "method",
            "warnings"} <= set(data)
    assert CleanDocument.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == doc
