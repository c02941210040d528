"""Nesting deeper than libxml2 keeps: the page is re-parsed from a flattened copy, and only then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crawler.extract import extract, page
from crawler.extract.decode import decode_html
from crawler.extract.flatten import MAX_DEPTH, flatten

TITLE = "崂山区人力资源和社会保障局2021年政府信息公开工作年度报告"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often libxml2 parsed a page and how often a page had to be flattened."""
    seen = {"parse": 0, "flatten": 0}
    parse, flat = page._parse, page.flatten

    def counting_parse(text: str) -> Any:
        seen["parse"] += 1
        return parse(text)

    def counting_flatten(text: str) -> str:
        seen["flatten"] += 1
        return flat(text)

    monkeypatch.setattr(page, "_parse", counting_parse)
    monkeypatch.setattr(page, "flatten", counting_flatten)
    return seen


def _nested(depth: int) -> bytes:
    body = "<div>" * depth + f"<p>{TITLE}</p><p>二、主动公开政府信息情况</p>" + "</div>" * depth
    return f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body>{body}</body></html>'.encode()


def test_3000_deep_nesting_keeps_its_text(calls: dict[str, int]) -> None:
    doc = extract(_nested(3000), "http://x.gov.cn/a.html")
    assert TITLE in doc.text and "二、主动公开政府信息情况" in doc.text
    assert doc.text.index(TITLE) < doc.text.index("二、主动公开")  # in order, on lines of their own
    assert calls == {"parse": 2, "flatten": 1}


def test_unclosed_tags_keep_their_text() -> None:
    html = "<html><body>" + "<table><tr><td><span><b><i><font>" * 5000 + "2021年政府信息公开工作年度报告"
    assert "2021年政府信息公开工作年度报告" in extract(html.encode(), "http://x.gov.cn/b.html").text


def test_normal_page_is_parsed_once(calls: dict[str, int]) -> None:
    body = (FIXTURES / "trs_2021_wulong" / "input.html").read_bytes()
    assert extract(body, "http://www.wulong.gov.cn/a.html").text
    assert calls["flatten"] == 0
    assert calls["parse"] == 1  # a container page: no trafilatura round trip either


def test_nesting_within_libxml2s_limit_is_not_flattened(calls: dict[str, int]) -> None:
    assert TITLE in extract(_nested(1500), "http://x.gov.cn/a.html").text
    assert calls["flatten"] == 0


def test_flatten_is_the_identity_within_the_depth_limit() -> None:
    for path in sorted(FIXTURES.glob("*/input.html")):
        text, _, _ = decode_html(path.read_bytes())
        assert flatten(text) == text, path.parent.name


def test_flatten_drops_only_the_tags_below_the_limit() -> None:
    got = flatten("<div>" * 5 + "甲<p>乙</p>丙" + "</div>" * 5, max_depth=3)
    # the two deepest <div>s and the <p> go; a <br> keeps 甲, 乙 and 丙 on their own lines
    assert got == "<div><div><div><br>甲<br>乙<br>丙</div></div></div>"


def test_flatten_keeps_structure_and_scripts_out_of_the_text() -> None:
    deep = "<b>" * MAX_DEPTH
    got = flatten(f"<html><body><table><tr><td>表{deep}<script>var a = '<td>';</script>正文</td></tr></table>")
    assert got.startswith("<html><body><table><tr><td>表<b>")
    assert "var a" not in got  # a dropped <script>'s code would turn into page text
    assert got.endswith("正文</td></tr></table>")
