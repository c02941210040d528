"""The spam eval of ``make eval`` (tests/eval/spam.py): no clean page flagged, every defaced one found."""

from __future__ import annotations

from tests.eval.spam import Judged, evaluate, matrix


def test_no_false_defacement_and_no_miss_over_fixtures_and_real_pages() -> None:
    result = evaluate(portal=False)
    total = result["total"]
    assert total["fp"] == 0 and total["fn"] == 0, [(j.name, j.findings) for j in result["wrong"]]
    assert total["tp"] >= 8  # every defaced fixture, the bet0365 seed included
    if result["real_present"]:
        assert result["by_source"]["real"]["pages"] >= 4
    # the chrome kinds of the real-shape fixtures were removed, not flagged
    assert {"share", "credit", "widget", "link-list"} <= {k for k, n in result["chrome"].items() if n}


def test_matrix_counts_a_false_defacement_and_a_miss() -> None:
    judged = [Judged("x", "clean", False, True), Judged("x", "defaced", True, False), Judged("x", "ok", False, False)]
    m = matrix(judged)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (0, 1, 1, 1)
    assert m["false_defacement_rate"] == 0.5 and m["detection_rate"] == 0.0
