"""End to end: a weekly cron over two sites of the simulated web (issue 22, tests/portal/weekly.py).

The real ``scrapy crawl reports`` runs once a week (``NIANBAO_NOW`` moved on by seven days each run)
into one SQLite archive: the first crawl; the issue's edits (a revised, a defaced and a removed
report) on a site with validators and on one without; two quiet edits that change no list (a
second revision that adds a sentence, a same-length change of one table cell); five unchanged runs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from settings.default import NIANBAO_MAX_DETECTION_RUNS
from tests.portal.weekly import NO_VALIDATORS, SITES, VALIDATORS, WeeklyCron

pytestmark = pytest.mark.e2e

UNCHANGED = 5



@pytest.fixture(scope="module")
def cron(tmp_path_factory: pytest.TempPathFactory) -> Any:
    c = WeeklyCron(tmp_path_factory.mktemp("weekly"))
    try:
        c.run()
        c.edit()
        c.run_until_seen()
        c.quiet_from = len(c.runs)
        c.edit_quietly()
        c.run_until_seen()
        c.unchanged_from = len(c.runs)
        for _ in range(UNCHANGED):
            c.run()
        yield c
    finally:
        c.stop()


def test_every_run_succeeds(cron: WeeklyCron) -> None:
    assert all(r.returncode == 0 for r in cron.runs), [r.returncode for r in cron.runs]
    assert cron.runs[0].versions >= 15


def test_with_validators_every_change_is_seen_at_the_next_run(cron: WeeklyCron) -> None:
    assert cron.detected(VALIDATORS) == {"revised": 1, "defaced": 1, "removed": 1, "again": 1, "silent": 1}


def test_without_validators_every_change_is_seen_within_the_detection_runs(cron: WeeklyCron) -> None:
    seen = cron.detected(NO_VALIDATORS)
    assert set(seen) == {"revised", "defaced", "removed", "again", "silent"}
    assert all(v is not None and 1 <= v <= NIANBAO_MAX_DETECTION_RUNS for v in seen.values()), seen
    # A length that moved is seen at once (the HEAD differs); the list changed by the removal
    # brings its reports in whole on that run.
    assert seen["again"] == seen["revised"] == seen["defaced"] == seen["removed"] == 1


def test_the_changes_are_the_only_events(cron: WeeklyCron) -> None:
    events = [e for r in cron.runs[1:] for e in r.events]
    assert Counter(e["kind"] for e in events) == Counter({"revised": 6, "defaced": 2, "removed": 2})
    revised_cell = [e for e in events if e["url"] == cron.edits[NO_VALIDATORS]["revised"].url and e["kind"] == "revised"]
    assert revised_cell[0]["detail"]["changed_cells"], revised_cell  # the table cell is in the diff


def test_the_quiet_revision_without_validators_came_by_head(cron: WeeklyCron) -> None:
    run = cron.runs[cron.quiet_from]
    assert run.summary["revisit"]["head_changed"] >= 1
    assert run.summary["revisit"]["lists_changed"] == 0


def test_five_unchanged_runs_add_no_version_and_no_event(cron: WeeklyCron) -> None:
    tail = cron.runs[cron.unchanged_from:]
    assert len(tail) == UNCHANGED
    assert {r.versions for r in tail} == {cron.runs[cron.unchanged_from - 1].versions}
    assert [e for r in tail for e in r.events] == []


def test_every_known_report_is_checked_on_every_unchanged_run(cron: WeeklyCron) -> None:
    """Each live report or file: a conditional GET (304), a HEAD, or a full download; none skipped."""
    live = sum(1 for r in cron.archive().reports() if r["state"] != "removed")
    for run in cron.runs[cron.unchanged_from:]:
        rv = run.summary["revisit"]
        assert rv["not_due"] == 0 and rv["deferred_budget"] == 0
        assert rv["conditional"] + rv["head"] + rv["full"] >= live, rv
        assert rv["not_modified"] >= 8  # the validators site answers 304


def test_an_unchanged_run_costs_little(cron: WeeklyCron) -> None:
    first = cron.runs[0]
    tail = cron.runs[cron.unchanged_from:]
    for cls in SITES:
        mean_bytes = sum(r.bytes[cls] for r in tail) / len(tail)
        assert mean_bytes < first.bytes[cls] * (0.01 if cls == VALIDATORS else 0.5), (cls, mean_bytes)
        assert max(r.requests[cls] for r in tail) <= first.requests[cls] + 2


def test_the_summary_line_says_how_reports_were_checked(cron: WeeklyCron) -> None:
    from crawler.summary import format_summary

    text = format_summary(cron.runs[-1].summary)
    line = next(x for x in text.splitlines() if x.startswith("revisit:"))
    rv = cron.runs[-1].summary["revisit"]
    assert f"{rv['conditional']} conditional ({rv['not_modified']} not modified)" in line
    assert f"{rv['head']} HEAD ({rv['head_unchanged']} same length" in line


def test_reports_are_requested_even_when_no_list_links_them(cron: WeeklyCron) -> None:
    """The removed report's URL left its list; the run after the edit still asked for it (404)."""
    run = cron.runs[cron.edits[VALIDATORS]["removed"].after_run + 1]
    assert run.summary["revisit"]["known_unlinked"] >= 2
    removed = {e["url"]: e for e in run.events if e["kind"] == "removed"}
    for cls in SITES:
        assert cron.edits[cls]["removed"].url in removed



def test_a_zero_byte_budget_defers_rotation_but_not_the_guarantee(tmp_path_factory: pytest.TempPathFactory) -> None:
    """NIANBAO_REVISIT_SITE_BYTES=0: no download is made for rotation; a changed length still brings
    one at once, and every report is still read whole within NIANBAO_MAX_DETECTION_RUNS runs."""
    c = WeeklyCron(tmp_path_factory.mktemp("weekly-budget"))
    try:
        c.run("NIANBAO_REVISIT_SITE_BYTES=0")
        c.edit_quietly()
        for _ in range(NIANBAO_MAX_DETECTION_RUNS):
            c.run("NIANBAO_REVISIT_SITE_BYTES=0")
            if not c.pending():
                break
    finally:
        c.stop()
    assert c.detected(VALIDATORS) == {"again": 1, "silent": 1}
    seen = c.detected(NO_VALIDATORS)
    assert seen["again"] == 1 and seen["silent"] is not None and seen["silent"] <= NIANBAO_MAX_DETECTION_RUNS
    revisits = [r.summary["revisit"] for r in c.runs[1:]]
    assert all(rv.get("full_rotation", 0) == 0 for rv in revisits)
    assert sum(rv["deferred_budget"] for rv in revisits) > 0
    assert revisits[-1].get("full_forced", 0) >= 1  # the silent edit came by the forced full read
