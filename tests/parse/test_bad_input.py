"""Bad input: a warning and whatever could be parsed, never an exception, bounded time."""

from __future__ import annotations

import random
import time
from pathlib import Path

from crawler.model import CleanDocument, Table
from crawler.parse import parse, parse_text

SEED_000 = Path(__file__).resolve().parents[1] / "fixtures" / "parse" / "seed_000_laoshan_2019" / "input.txt"


def test_empty_and_junk_text() -> None:
    for text in ["", "   \n\n", "|||||\n| | |", "0 0 0 0 0 0 0", "\x00\x01garbage"]:
        report = parse_text(text)
        assert report.format == "legacy"
        assert report.requests == {}


def test_no_tables_in_a_modern_report() -> None:
    report = parse_text("某局2021年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳。\n二、主动公开政府信息情况\n见附件。")
    assert report.year == 2021 and report.format == "legacy"
    assert any("no standard tables" in w for w in report.warnings)


def test_broken_grids_do_not_raise() -> None:
    grids = [Table(rows=[]), Table(rows=[["本年新收"], []]), Table(rows=[["结果维持", "x"] * 3, ["1"] * 40]),
             Table(rows=[["第二十条第（一）项"], ["信息内容", "本年制发件数"], ["规章", "1", "2", "3", "4", "5"]])]
    report = parse(CleanDocument(text="", tables=grids))
    assert report.format == "2021"
    assert report.proactive["art20_1"]["regulations"] == {"issued": 1, "repealed": 2, "in_force": 3}
    assert any("表三: no values found" in w for w in report.warnings)
    assert report.review_litigation["review"]["upheld"] == 1  # the 15 last cells of the 40 were read


def test_half_a_table_keeps_what_is_there() -> None:
    text = SEED_000.read_text(encoding="utf-8")
    cut = text[: text.index("(二)部分公开")]
    report = parse_text(cut)
    assert report.requests["rows"]["new_received"] == [2, 0, 0, 0, 0, 0, 2]
    assert report.requests["rows"]["results_total"] == [None] * 7
    assert any("rows missing" in w for w in report.warnings)
    assert any("表四 not found" in w for w in report.warnings)


def test_garbage_numbers_are_null_with_a_warning() -> None:
    text = SEED_000.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量 | 2 | 0 | 0", "一、本年新收政府信息公开申请数量 | 2 | #REF! | 0")
    report = parse_text(text)
    assert report.requests["rows"]["new_received"][:3] == [2, None, 0]
    assert any("#REF!" in w for w in report.warnings)


def test_ten_megabytes_of_text_in_a_few_seconds() -> None:
    rng = random.Random(4)
    seed = SEED_000.read_text(encoding="utf-8")
    alphabet = "一二三四五六七八九十年月日件条0123456789 |、，。（）\n报告公开申请总计小计"
    noise = "".join(rng.choice(alphabet) for _ in range(200_000))
    text = seed + (noise + seed) * 50  # ≈ 10.3 MB
    start = time.perf_counter()
    report = parse_text(text)
    elapsed = time.perf_counter() - start
    assert len(text) > 10_000_000
    assert elapsed < 5, elapsed
    assert report.requests["rows"]["new_received"] == [2, 0, 0, 0, 0, 0, 2]
    assert any("only the first" in w for w in report.warnings)


def test_a_parser_bug_becomes_a_warning(monkeypatch) -> None:
    import crawler.parse.report as module

    def boom(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(module, "split_sections", boom)
    report = parse_text("XX局2021年政府信息公开工作年度报告")
    assert any("parse failed" in w for w in report.warnings)


def test_merged_organisation_column_is_not_spread_over_five() -> None:
    text = "\n".join([
        "某区司法局2019年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
        "自然人 | 法人或其他组织 | 总计",
        "一、本年新收政府信息公开申请数量 | 5 | 2 | 7", "二、上年结转政府信息公开申请数量 | 0 | 0 | 0",
        "三、本年度办理结果 | （一）予以公开 | 4 | 2 | 6", "（七）总计 | 5 | 2 | 7", "四、结转下年度继续办理 | 0 | 0 | 0",
    ])
    report = parse_text(text)
    rows = report.requests["rows"]
    assert rows["new_received"] == [5, None, None, None, None, None, 7]
    assert report.requests["subtotal_column"]["granted"] == 2
    assert any("merged 法人或其他组织" in w for w in report.warnings)


def test_article_twenty_quoted_in_prose_is_not_table_two() -> None:
    text = SEED_000.read_text(encoding="utf-8").replace(
        "一、总体情况\n", "一、总体情况\n依照《条例》第二十条规定主动公开\n", 1)
    report = parse_text(text)
    assert report.proactive["art20_5"]["licensing"] == {"previous_items": 4, "change": -4, "decisions": 28}
