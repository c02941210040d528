"""Each list plug-in (crawler/lists/<family>.py) against its fixture folder, by hand-written expectations.

tests/fixtures/lists/<family>/<case>/expected.json says what the family's ``detect``, ``keys``,
``next_page`` and ``records`` give for the input page beside it (see the folder's README).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from crawler import lists
from crawler.lists import Limits, Step, page_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
CASES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.json"))


def _text(case: Path, name: str) -> str:
    if name.startswith("real:"):
        path = REAL / name[len("real:"):]
        if not path.exists():
            pytest.skip(f"real page {path} not here")
        return path.read_text(encoding="utf-8")
    return (case / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_list_plugin_case(case: Path) -> None:
    want = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    family = importlib.import_module(f"crawler.lists.{case.parent.name}")
    page = page_of(want["url"], _text(case, want["input"]), want.get("state"),
                   number=want.get("number"), per=want.get("per"), base=want.get("base", ""))
    if "detect" in want:
        assert family.detect(page) is want["detect"]
    if "keys" in want:
        assert family.keys(page) == want["keys"]
    if "next_page" in want:
        steps = [Step(s["url"], family.NAME, s.get("records", False), s.get("number"), s.get("per"),
                      s.get("until_empty", False)) for s in want["next_page"]]
        assert family.next_page(page, Limits()) == steps
    if "records" in want:
        batch = family.records(page)
        assert [list(link) for link in batch.links] == want["records"]
        assert batch.has_more == want.get("has_more", batch.has_more)
        assert batch.total == want.get("total", batch.total)


def test_every_family_has_a_fixture_folder_and_the_contract() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    for family in (*lists.REGISTRY, lists.generic):
        assert family.NAME in folders, family.NAME
        assert callable(family.detect) and callable(family.next_page) and callable(family.records)
        assert len(list((FIXTURES / family.NAME).glob("*/expected.json"))) >= 2, family.NAME


def test_a_page_no_family_knows_is_left_to_the_generic_path() -> None:
    page = page_of("http://a.gov.cn/xxgk/nb/", "<ul><li><a href='t1.html'>2023年年报</a></li></ul>")
    assert lists.families(page, on_list=True) == []
