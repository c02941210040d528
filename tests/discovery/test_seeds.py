"""Seed CSV loading: the shipped list is clean; each bad row gives one precise error line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.seeds import LEVELS, load_seeds, parse_seeds

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_china_csv_loads_without_errors() -> None:
    seeds, errors = load_seeds(ROOT / "seeds" / "china.csv")
    assert errors == []
    assert len(seeds) == 36
    names = {s.agency for s in seeds}
    for agency in (
        "青岛市崂山区人力资源和社会保障局",
        "吉林省人力资源和社会保障厅",
        "重庆市武隆区人力资源和社会保障局",
        "衡阳市人力资源和社会保障局",
        "广州市人力资源和社会保障局",
    ):
        assert agency in names
    provinces = [s for s in seeds if s.agency.endswith("人民政府")]
    assert len(provinces) == 31 and all(s.level == "省" for s in provinces)
    assert all(s.url.startswith(("http://", "https://")) and s.domains for s in seeds)
    first = (ROOT / "seeds" / "china.csv").read_text("utf-8").splitlines()[0]
    assert first.startswith("#") and "NOT verified" in first


def test_defaults_and_domain_lists() -> None:
    text = (
        "agency,url,region,level,domains,render\n"
        "甲局,https://www.a.gov.cn/xxgk/,某省,市,,\n"
        "乙局,http://b.gov.cn,,县,b.gov.cn;xxgk.b.gov.cn  www.b.gov.cn,JS\n"
    )
    seeds, errors = parse_seeds(text)
    assert errors == []
    assert seeds[0].domains == ("www.a.gov.cn",)  # default: the URL's host only
    assert (seeds[0].region, seeds[0].level, seeds[0].render) == ("某省", "市", "")
    assert seeds[1].domains == ("b.gov.cn", "xxgk.b.gov.cn", "www.b.gov.cn")
    assert seeds[1].render == "js"


def test_minimal_columns_comments_and_bom() -> None:
    text = "\ufeff# a comment\nagency,url\n\n# another\n丙局,https://c.gov.cn/\n"
    seeds, errors = parse_seeds(text, "s.csv")
    assert errors == []
    assert [(s.agency, s.url, s.domains, s.level) for s in seeds] == [
        ("丙局", "https://c.gov.cn/", ("c.gov.cn",), "")
    ]


BAD = """agency,url,region,level,domains,render
好局,https://good.gov.cn/,,,,
,https://x.gov.cn/,,,,
坏局1,ftp://x,,,,
坏局2,https://,,,,
坏局3,www.no-scheme.gov.cn,,,,
坏局4,https://d.gov.cn/,,省级,,
坏局5,https://e.gov.cn/,,,,browser
好局,https://f.gov.cn/,,,,
坏局6,https://GOOD.gov.cn,,,,
坏局7,https://g.gov.cn/,,,g.gov.cn/xxgk,
坏局8,https://h.gov.cn/,,,,,extra
坏局9,,,,,
"""


def test_bad_rows_give_one_clear_line_each() -> None:
    seeds, errors = parse_seeds(BAD, "seeds.csv")
    assert [s.agency for s in seeds] == ["好局"]
    assert errors == [
        "seeds.csv:3: agency is empty",
        "seeds.csv:4: url 'ftp://x' is not http(s)",
        "seeds.csv:5: url 'https://' has no host",
        "seeds.csv:6: url 'www.no-scheme.gov.cn' is not http(s)",
        f"seeds.csv:7: level '省级' is not one of {', '.join(LEVELS)} (or empty)",
        "seeds.csv:8: render 'browser' must be 'js' or empty",
        "seeds.csv:9: duplicate agency '好局' (first on line 2)",
        "seeds.csv:10: duplicate url 'https://GOOD.gov.cn' (first on line 2)",
        "seeds.csv:11: domain 'g.gov.cn/xxgk' is not a host name",
        "seeds.csv:12: 7 fields, header has 6",
        "seeds.csv:13: url is empty",
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "<string>: no header row (expected agency,url,region,level,domains,render)"),
        ("# only a comment\n", "<string>: no header row (expected agency,url,region,level,domains,render)"),
        (
            "name,link\n甲,https://a.gov.cn\n",
            "<string>:1: bad header: missing column(s) agency, url; "
            "unknown column(s) name, link (expected agency,url,region,level,domains,render)",
        ),
    ],
)
def test_bad_headers(text: str, error: str) -> None:
    assert parse_seeds(text) == ([], [error])


def test_load_seeds_file_errors(tmp_path: Path) -> None:
    seeds, errors = load_seeds(tmp_path / "missing.csv")
    assert seeds == [] and len(errors) == 1 and "cannot read seed file" in errors[0]
    gbk = tmp_path / "excel.csv"
    gbk.write_bytes("agency,url\n丁局,https://d.gov.cn/\n坏,ftp://z\n".encode("gb18030"))
    seeds, errors = load_seeds(gbk)
    assert [s.agency for s in seeds] == ["丁局"]
    assert errors == ["excel.csv:3: url 'ftp://z' is not http(s)"]
