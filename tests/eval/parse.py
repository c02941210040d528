"""Parse accuracy over tests/fixtures/parse: cells right / cells expected, checks right, speed.

    python -m tests.eval.parse            # per-case and overall table
    python -m tests.eval.parse --bench    # reports parsed per second from text (make bench)

A fixture folder holds ``input.txt`` (flattened text), ``input.json`` (a CleanDocument dict),
``input.html`` or ``input.md`` (read by crawler.extract first, as ``nianbao parse`` does) and
``expected.json``: the Report fields to hold. Compared:
- fields ``agency``, ``year``, ``format``, ``published``; ``sections`` as [number, title] pairs;
- cells: every leaf of ``proactive``, ``requests`` (``rows`` and any extra key given),
  ``review_litigation`` and ``legacy_figures`` (legacy values compare with ``value``; money with
  ``value`` and ``unit``);
- ``failing_checks``: the exact set of rule ids whose check is not ok;
- ``warnings``: each string must occur in some warning.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from crawler.model import CleanDocument, Report
from crawler.parse import parse, parse_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "parse"
FIELDS = ("agency", "year", "format", "published")


def cases() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").exists())


def run_case(folder: Path) -> Report:
    if (folder / "input.json").exists():
        doc = CleanDocument.from_dict(json.loads((folder / "input.json").read_text(encoding="utf-8")))
        return parse(doc)
    if (folder / "input.html").exists():
        from crawler.extract import extract

        return parse(extract((folder / "input.html").read_bytes(), "", "text/html"))
    if (folder / "input.md").exists():  # other tools' Markdown: the way `nianbao parse x.md` reads it
        from crawler.extract import extract

        return parse(extract((folder / "input.md").read_bytes(), "", "text/plain"))
    return parse_text((folder / "input.txt").read_text(encoding="utf-8"))


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict) and "value" in expected:  # money
        return (isinstance(actual, dict) and _same(expected["value"], actual.get("value"))
                and expected.get("unit") == actual.get("unit"))
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return (isinstance(actual, (int, float)) and not isinstance(actual, bool)
                and math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9))
    return expected == actual


def _leaves(expected: Any, actual: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    """(path, expected, actual) for every expected leaf cell."""
    if isinstance(expected, dict) and "value" not in expected:
        if not expected:
            out.append((path, expected, actual))
        for key, value in expected.items():
            sub = actual.get(key) if isinstance(actual, dict) else None
            _leaves(value, sub, f"{path}.{key}", out)
    elif isinstance(expected, list):
        for i, value in enumerate(expected):
            sub = actual[i] if isinstance(actual, list) and i < len(actual) else None
            _leaves(value, sub, f"{path}[{i}]", out)
    else:
        out.append((path, expected, actual))


def compare(expected: dict[str, Any], report: Report) -> dict[str, Any]:
    got = report.to_dict()
    cells: list[tuple[str, Any, Any]] = []
    for table in ("proactive", "requests", "review_litigation"):
        if table in expected:
            _leaves(expected[table], got[table], table, cells)
    if "legacy_figures" in expected:
        figures = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in got["legacy_figures"].items()}
        _leaves(expected["legacy_figures"], figures, "legacy_figures", cells)
        extra = sorted(set(figures) - set(expected["legacy_figures"]))
        cells += [(f"legacy_figures.{k} (unexpected)", None, figures[k]) for k in extra]
    wrong_cells = [(p, e, a) for p, e, a in cells if not _same(e, a)]
    fields = [(f, expected[f], got[f]) for f in FIELDS if f in expected]
    if "sections" in expected:
        fields.append(("sections", expected["sections"],
                       [[s["number"], s["title"]] for s in got["sections"] if s["number"]]))
    wrong_fields = [(f, e, a) for f, e, a in fields if e != a]
    failing = sorted(c["rule"] for c in got["checks"] if not c["ok"])
    checks_ok = "failing_checks" not in expected or sorted(expected["failing_checks"]) == failing
    missing_warnings = [w for w in expected.get("warnings", []) if not any(w in g for g in got["warnings"])]
    return {
        "cells": len(cells), "cells_right": len(cells) - len(wrong_cells), "wrong_cells": wrong_cells,
        "fields": len(fields), "fields_right": len(fields) - len(wrong_fields), "wrong_fields": wrong_fields,
        "checks_ok": checks_ok, "failing_checks": failing, "missing_warnings": missing_warnings,
    }


def texts_per_second(folders: list[Path], seconds: float = 1.0) -> float:
    texts = []
    for folder in folders:
        if (folder / "input.txt").exists():
            texts.append((folder / "input.txt").read_text(encoding="utf-8"))
        elif (folder / "input.json").exists():
            texts.append(json.loads((folder / "input.json").read_text(encoding="utf-8"))["text"])
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            parse_text(text)
        done += len(texts)
    return done / (time.perf_counter() - start)


def evaluate(bench_seconds: float = 1.0) -> dict[str, Any]:
    folders = cases()
    per_case = {folder.name: compare(json.loads((folder / "expected.json").read_text(encoding="utf-8")),
                                     run_case(folder)) for folder in folders}
    total = {
        "cases": len(per_case),
        "cells": sum(c["cells"] for c in per_case.values()),
        "cells_right": sum(c["cells_right"] for c in per_case.values()),
        "fields": sum(c["fields"] for c in per_case.values()),
        "fields_right": sum(c["fields_right"] for c in per_case.values()),
        "checks_right": sum(c["checks_ok"] for c in per_case.values()),
        "warnings_right": sum(not c["missing_warnings"] for c in per_case.values()),
        "reports_per_second": texts_per_second(folders, bench_seconds) if bench_seconds else None,
    }
    return {"cases": per_case, "total": total}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m tests.eval.parse", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--bench", action="store_true", help="speed only (make bench)")
    argv = ["--bench"] if ap.parse_args(argv).bench else []  # --help answers before any work
    if "--bench" in argv:  # `make bench`: speed only, measured longer
        texts = [c for c in cases() if (c / "input.txt").exists() or (c / "input.json").exists()]
        rate = texts_per_second(texts, seconds=5.0)
        print(f"parse: {rate:.0f} reports/s parsed from text ({len(texts)} fixture texts, 5 s)")
        return 0
    result = evaluate()
    print(f"{'case':44} {'cells':>11} {'fields':>7} {'checks':>7}")
    for name, c in result["cases"].items():
        print(f"{name:44} {c['cells_right']:>5}/{c['cells']:<5} {c['fields_right']:>3}/{c['fields']:<3} "
              f"{'ok' if c['checks_ok'] else 'WRONG':>7}")
        for path, exp, act in (c["wrong_cells"] + c["wrong_fields"])[:5]:
            print(f"    {path}: expected {exp!r}, got {act!r}")
        for w in c["missing_warnings"]:
            print(f"    missing warning {w!r}")
    t = result["total"]
    share = t["cells_right"] / t["cells"] if t["cells"] else 1.0
    print(f"\noverall: cells {t['cells_right']}/{t['cells']} ({share:.2%}), fields {t['fields_right']}/{t['fields']}, "
          f"checks {t['checks_right']}/{t['cases']}, warnings {t['warnings_right']}/{t['cases']}, "
          f"{t['reports_per_second']:.0f} reports/s parsed from text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
