"""Spam (defacement) eval: is a page flagged exactly when it was tampered with? (``make eval``)

    python -m tests.eval.spam            # confusion matrix, per-page misses, chrome removed by kind

Pages and their truth:
  fixtures  every tests/fixtures/extract case (``spam_detected`` in its expected.json)
  real      every page of ../shared/real beside the checkout (none defaced: its README)
  portal    every HTML report page of the simulated web (tests/portal; one defaced, seed 001's bet0365)
Figures: TP / FP / FN / TN, the false-defacement rate (FP over the clean pages) and the detection
rate (TP over the defaced ones), the pages wrongly judged with their findings, and how often each
kind of chrome (share, credit, widget, link-list, …) was removed instead of being called spam.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler.extract import extract
from crawler.model import CleanDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
# reasons under which page furniture goes (crawler.extract.widgets, crawler.extract.chrome)
CHROME_KINDS = ("share", "credit", "stats", "badge", "widget", "link-list", "offsite-link", "hidden")


@dataclass
class Judged:
    source: str
    name: str
    defaced: bool
    flagged: bool
    findings: list[str] = field(default_factory=list)
    chrome: Counter[str] = field(default_factory=Counter)


def _judge(source: str, name: str, defaced: bool, doc: CleanDocument) -> Judged:
    return Judged(source, name, defaced, doc.spam.detected, [f"{f.kind}: {f.text[:70]}" for f in doc.spam.findings],
                  Counter(r.reason for r in doc.removed if r.reason in CHROME_KINDS))


def fixture_pages() -> list[Judged]:
    out = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        page = next(folder.glob("input.*"))
        doc = extract(page.read_bytes(), expected["url"], expected.get("content_type"))
        out.append(_judge("fixtures", folder.name, bool(expected["spam_detected"]), doc))
    return out


def real_pages() -> list[Judged]:
    if not REAL.is_dir():
        return []
    return [_judge("real", p.name, False, extract(p.read_bytes(), "")) for p in sorted(REAL.glob("*.html"))]


def portal_pages() -> list[Judged]:
    from tests.portal.build import build_web

    web = build_web()
    out = []
    for rep in web.reports:
        if rep.kind != "html":
            continue
        url = rep.urls[0]
        host, path = url.split("://", 1)[1].split("/", 1)
        page = web.pages.get((host, "/" + path))
        if page is None:
            continue
        body = page.body if page.body is not None else (page.text or "").encode(page.encoding, "replace")
        out.append(_judge("portal", url, rep.defaced, extract(body, url, page.content_type)))
    return out


def matrix(judged: list[Judged]) -> dict[str, float | int]:
    tp = sum(j.defaced and j.flagged for j in judged)
    fp = sum(not j.defaced and j.flagged for j in judged)
    fn = sum(j.defaced and not j.flagged for j in judged)
    tn = sum(not j.defaced and not j.flagged for j in judged)
    return {"pages": len(judged), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "false_defacement_rate": fp / (fp + tn) if fp + tn else 0.0,
            "detection_rate": tp / (tp + fn) if tp + fn else 1.0}


def evaluate(portal: bool = True) -> dict[str, object]:
    judged = fixture_pages() + real_pages() + (portal_pages() if portal else [])
    chrome: Counter[str] = Counter()
    for j in judged:
        chrome.update(j.chrome)
    by_source = {s: matrix([j for j in judged if j.source == s]) for s in ("fixtures", "real", "portal")}
    return {"total": matrix(judged), "by_source": by_source, "chrome": dict(chrome),
            "wrong": [j for j in judged if j.defaced != j.flagged], "judged": judged, "real_present": REAL.is_dir()}


def main() -> int:
    result = evaluate()
    print("spam / defacement: flagged vs tampered with")
    print(f"{'source':<10}{'pages':>6}{'TP':>5}{'FP':>5}{'FN':>5}{'TN':>5}  false-defacement  detection")
    rows = list(result["by_source"].items()) + [("total", result["total"])]  # type: ignore[union-attr]
    for name, m in rows:
        print(f"{name:<10}{m['pages']:>6}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}{m['tn']:>5}"
              f"  {m['false_defacement_rate']:>16.1%}  {m['detection_rate']:>9.1%}")
    if not result["real_present"]:
        print(f"(no real pages: {REAL} absent)")
    for j in result["wrong"]:  # type: ignore[union-attr]
        verdict = "missed" if j.defaced else "false defacement"
        print(f"  {verdict}: {j.source} {j.name} {j.findings[:3]}")
    print("defaced pages and what was found:")
    for j in result["judged"]:  # type: ignore[union-attr]
        if j.defaced:
            print(f"  {j.source} {j.name}: {'; '.join(j.findings[:3]) or '(nothing)'}")
    chrome = result["chrome"]
    print("chrome removed (not spam), by kind: " + ", ".join(f"{k} {chrome.get(k, 0)}" for k in CHROME_KINDS))  # type: ignore[union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main())
