"""Cell values, metadata and cross-year checks."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from crawler.model import Report
from crawler.parse import cross_year_checks, parse_text
from crawler.parse.cells import classify, cn_int, money, normalize
from crawler.parse.meta import find_agency, find_published, find_year, valid_agency

SEED_003 = Path(__file__).resolve().parents[1] / "fixtures" / "parse" / "seed_003_hengyang_2019_misnumbered" / "input.txt"


@pytest.mark.parametrize(("raw", "value"), [
    ("12", 12), ("１２", 12), ("+6980", 6980), ("减4", -4), ("减少2", -2), ("增加3", 3), ("-2", -2),
    ("1,024", 1024), ("２，０４８", 2048), ("68.64万元", 68.64), (" 7 件", 7), ("－１", -1),
])
def test_numbers(raw: str, value: float) -> None:
    cell = classify(raw)
    assert cell.kind == "num" and cell.value == value


@pytest.mark.parametrize("raw", ["", "—", "/", "无", "-", "——", "／"])
def test_blank_markers_are_blank_not_zero(raw: str) -> None:
    cell = classify(raw)
    assert cell.kind == "blank" and cell.value is None


@pytest.mark.parametrize(("raw", "kind"), [("abc", "garbage"), ("12a", "garbage"), ("#REF!", "garbage"),
                                           ("1.", "text"), ("（三）", "text"), ("1.属于国家秘密", "text")])
def test_labels_and_garbage(raw: str, kind: str) -> None:
    assert classify(raw).kind == kind


def test_money_keeps_unit_and_raw() -> None:
    assert money(classify("160.5964万元")) == {"value": 160.5964, "unit": "万元", "raw": "160.5964万元"}
    assert money(classify("251000元")) == {"value": 251000, "unit": "元", "raw": "251000元"}
    assert money(classify("12.5"), "万元") == {"value": 12.5, "unit": "万元", "raw": "12.5"}
    assert money(classify("")) is None


def test_normalize_maps_every_character_as_its_table_says() -> None:
    # normalize replaces character by character; the spec is a plain translation table
    table = str.maketrans("０１２３４５６７８９．，－＋％／（）：　\xa0", "0123456789.,-+%/():  ")
    every = "".join(map(chr, range(0x10000)))
    assert normalize(every) == every.translate(table)
    assert normalize("（２０２３）\xa0年：１，２３４　件") == "(2023) 年:1,234 件"


@pytest.mark.parametrize(("text", "value"), [("十二", 12), ("两", 2), ("一百零五", 105), ("二〇一四", 2014),
                                             ("三十", 30), ("12", 12), ("abc", None)])
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert cn_int(text) == value


def test_agency_is_never_a_spam_token_or_a_pronoun() -> None:
    for bad in ["bet0365", "365bet官方网站", "本部门", "我局", "澳門賭場推薦"]:
        assert valid_agency(bad) is None
    assert find_agency("bet03652017年政府信息公开工作年度报告", ["现发布bet03652017年政府信息公开工作年度报告。"], None, None) is None
    # the site name is the portal owner: trusted only when the report's opening lines name it
    assert find_agency("", ["发布时间:2018"], "bet0365", "重庆市武隆区人民政府") is None
    assert find_agency("", ["重庆市武隆区人民政府", "2021年度报告"], None, "重庆市武隆区人民政府") == "重庆市武隆区人民政府"
    assert find_agency("政府2024年政府信息公开工作年度报告", [], None, None) is None  # brand removed, "政府" left
    assert find_agency("上海市黄浦区人民政府2023年政府信息公开工作年度报告", [], None, None) == "上海市黄浦区人民政府"
    assert find_agency("2025年黄浦区财政局政府信息公开工作年度报告", [], None, None) == "黄浦区财政局"


def test_year_is_the_year_reported_on() -> None:
    assert find_year("", ["(2020年1月20日)", "统计期限自2019年1月1日起至2019年12月31日止。"], "2020-01-20") == 2019
    assert find_year("宿迁市 2025 年政府信息公开工作年度报告", [], None) == 2025
    assert find_year("", ["特将2019年度本部门信息公开工作年度报告向社会公布。"], None) == 2019


def test_published_date_lines() -> None:
    assert find_published(None, ["(2020年1月20日)"]) == "2020-01-20"
    assert find_published(None, ["广州市人力资源和社会保障局", "二〇一四年二月"]) == "2014-02"
    assert find_published(None, ["  • 发布时间:2018-03-19 14:31:00"]) == "2018-03-19"
    assert find_published("2022-01-20", ["(2020年1月20日)"]) == "2022-01-20"
    assert find_published(None, ["2019年,我局按照规定"]) is None


def _report(carried_over: list[int], carried_forward: list[int], year: int) -> Report:
    rows = {"carried_over": carried_over, "carried_forward": carried_forward}
    return Report(year=year, format="2021", requests={"columns": [], "rows": rows},
                  proactive={"art20_1": {"regulations": {"issued": 1, "repealed": 0, "in_force": 5}}})


def test_cross_year_x1_and_t2_2() -> None:
    prev = _report([0] * 7, [1, 0, 0, 0, 0, 0, 1], 2021)
    cur = _report([1, 0, 0, 0, 0, 0, 1], [0] * 7, 2022)
    checks = {c.rule: c for c in cross_year_checks(prev, cur)}
    assert checks["X-1"].ok and checks["X-1"].severity == "soft"
    assert not checks["T2-2"].ok  # 5 + 0 ≠ 5 + 1
    assert "regulations" in checks["T2-2"].detail
    broken = copy.deepcopy(cur)
    broken.requests["rows"]["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    x1 = next(c for c in cross_year_checks(prev, broken) if c.rule == "X-1")
    assert not x1.ok and "natural_person" in x1.detail and "total" in x1.detail
    assert cross_year_checks(prev, _report([0] * 7, [0] * 7, 2025)) == []


def test_t2_5_for_2019_reports() -> None:
    text = SEED_003.read_text(encoding="utf-8")
    cur = parse_text(text)
    prev = copy.deepcopy(cur)
    prev.year = 2018
    checks = {c.rule: c for c in cross_year_checks(prev, cur)}
    assert not checks["T2-5"].ok  # 行政许可: 0 ≠ 0 + 6980
    assert "art20_5.licensing" in checks["T2-5"].detail


def test_seed_003_granted_row_fails_t3_3_with_its_cells() -> None:
    text = SEED_003.read_text(encoding="utf-8")
    t33 = next(c for c in parse_text(text).checks if c.rule == "T3-3")
    assert not t33.ok and t33.severity == "hard"
    assert "granted" in t33.detail and "public_interest 1" in t33.detail


def test_legacy_appendix_checks() -> None:
    text = (Path(__file__).resolve().parents[1] / "fixtures" / "parse" / "seed_004_guangzhou_2013_appendix"
            / "input.txt").read_text(encoding="utf-8")
    assert {c.rule: c.ok for c in parse_text(text).checks} == {"L-1": True, "L-2": True}
    broken = parse_text(text.replace("申请总数\n\n51", "申请总数\n\n52"))
    l1 = next(c for c in broken.checks if c.rule == "L-1")
    assert not l1.ok and "received 52" in l1.detail and "online 22" in l1.detail


def test_text_versus_table_tx1() -> None:
    seed = (Path(__file__).resolve().parents[1] / "fixtures" / "parse" / "seed_000_laoshan_2019"
            / "input.txt").read_text(encoding="utf-8")
    assert next(c for c in parse_text(seed).checks if c.rule == "TX-1").ok
    tx1 = next(c for c in parse_text(seed.replace("共接到2条", "共接到5条")).checks if c.rule == "TX-1")
    assert not tx1.ok and tx1.severity == "soft" and "= 5" in tx1.detail and "一[总计] = 2" in tx1.detail
