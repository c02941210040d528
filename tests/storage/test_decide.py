"""The archive's rules without a database: scenario fixtures for ``crawler.decide`` and the
arrival-order property (the same documents in any order give the same archive)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.decide import (
    Incoming,
    Prior,
    ReportState,
    SightingState,
    VersionState,
    decide,
    decide_removal,
    fold,
)
from crawler.identity import LIST, REPORT, WRAPPER, kind_of, other_agency, same_agency

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decide"
REAL = Path(__file__).parents[3] / "shared" / "real"
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _state(data: dict[str, Any] | None) -> ReportState | None:
    if data is None:
        return None
    return ReportState(
        key=data["key"], agency=data["agency"], year=data["year"], state=data["state"],
        source_url=data["source_url"], stub=data.get("stub", False),
        versions=tuple(VersionState(**v) for v in data["versions"]),
        sightings=tuple(SightingState(**s) for s in data["sightings"]),
        first_run=data.get("first_run"), hosts=tuple(data.get("hosts", ())),
    )


def test_every_required_scenario_has_a_fixture() -> None:
    required = {"revised", "restored", "defaced", "repaired", "removed", "reappeared", "sighting-elsewhere",
                "near-duplicate", "wrapper-then-file", "file-then-wrapper", "list-page", "out-of-seed-agency"}
    assert required <= set(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_decision_fixture(scenario: str) -> None:
    folder = FIXTURES / scenario
    prior = json.loads((folder / "prior.json").read_text(encoding="utf-8"))
    incoming = json.loads((folder / "incoming.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    row = _state(prior["report"])
    if "removal" in incoming:
        assert row is not None
        got: Any = decide_removal(row, **incoming["removal"])
    else:
        got = decide(Prior(row, prior["how"]), Incoming(**incoming))
    actual = {key: getattr(got, key) for key in expected}
    if "events" in actual:
        actual["events"] = list(actual["events"])
    assert actual == expected


# -- arrival order ---------------------------------------------------------------------------------
HOSTS = ("rsj.laoshan.gov.cn",)
BASE = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb"
SEED = "y|1|{year}|青岛市崂山区人力资源和社会保障局"
PUB = "y|1|{year}|崂山区人社局"  # the file's parser names the publisher by its short name
RUN = 1
W19 = Incoming(f"{BASE}/2019/t1.html", "w19", WRAPPER, year=2019, identity=SEED.format(year=2019), run=RUN)
F19 = Incoming(f"{BASE}/2019/P1.pdf", "f19", REPORT, year=2019, identity=PUB.format(year=2019),
               via=W19.url, run=RUN)
REPOST = Incoming("http://www.qingdao.gov.cn/zwgk/nb/2019-laoshan.html", "f19", REPORT, year=2019,
                  identity=PUB.format(year=2019), run=RUN)  # the same text on the city portal
L19 = Incoming("http://rsj.laoshan.gov.cn/xxgk/gknb/2019/", "l19", LIST, year=2019, run=RUN)
O19_WRAPPER = Incoming("http://rsj.laoshan.gov.cn/jyj/2019.html", "o19w", WRAPPER, year=2019, out_of_seed=True,
                       identity="y|1|2019|青岛市崂山区教育和体育局", run=RUN)
O19 = Incoming("http://rsj.laoshan.gov.cn/jyj/P2019.pdf", "o19", REPORT, year=2019, out_of_seed=True,
               identity="y|1|2019|青岛市崂山区教育和体育局", via=O19_WRAPPER.url, run=RUN)
# 2018: a full page, its PDF and DOCX (each reads a little differently) and a mirror of the page.
R18 = Incoming(f"{BASE}/2018/t2.html", "r18", REPORT, year=2018, identity=PUB.format(year=2018), run=RUN)
R18_PDF = Incoming(f"{BASE}/2018/P2.pdf", "r18p", REPORT, year=2018, identity=PUB.format(year=2018), via=R18.url,
                   run=RUN)
R18_DOCX = Incoming(f"{BASE}/2018/P2.docx", "r18d", REPORT, year=2018, identity=SEED.format(year=2018),
                    via=R18.url, run=RUN)
R18_MIRROR = Incoming(f"{BASE}/2018/t2_1.html", "r18", REPORT, year=2018, identity=PUB.format(year=2018), run=RUN)
W20 = Incoming(f"{BASE}/2020/t3.html", "w20", WRAPPER, year=2020, identity=SEED.format(year=2020), run=RUN)
W21 = Incoming(f"{BASE}/2021/t4.html", "w21", WRAPPER, year=None, identity="u|t4", run=RUN)  # no year in 70 chars
F21 = Incoming(f"{BASE}/2021/P4.docx", "f21", REPORT, year=2021, identity=PUB.format(year=2021), via=W21.url,
               run=RUN)
# Renderings of one document read alike (near-duplicates): "r18", "r18p", "r18d" are one family.
def FAMILY(sha: str) -> str:  # noqa: N802 - a constant of the scenario
    return sha[:3]


# two documents arrive twice (a retry, a second list linking them)
DOCS = [W19, F19, REPOST, L19, O19_WRAPPER, O19, R18, R18_PDF, R18_DOCX, R18_MIRROR, W20, W21, F21, W19, F19]

# Written from the documents, not from a run: per (year, source) the state, the versions' texts,
# the URLs, whether it is a stub.
EXPECTED = {
    (2019, F19.url): ("live", ("f19",), tuple(sorted([F19.url, W19.url, REPOST.url])), False),
    (2018, R18_DOCX.url): ("live", ("r18d",), tuple(sorted([R18.url, R18_PDF.url, R18_DOCX.url, R18_MIRROR.url])),
                           False),
    (2020, W20.url): ("live", ("w20",), (W20.url,), True),  # its file never came: a stub
    (2021, F21.url): ("live", ("f21",), tuple(sorted([F21.url, W21.url])), False),
}


def test_documents_in_crawl_order_give_the_expected_archive() -> None:
    ledger = fold(DOCS, HOSTS, FAMILY)
    assert ledger.snapshot() == EXPECTED
    assert ledger.out_of_seed == {O19.url, O19_WRAPPER.url}


@settings(max_examples=400, deadline=None)
@given(st.permutations(DOCS))
def test_any_arrival_order_gives_the_same_archive(order: list[Incoming]) -> None:
    ledger = fold(order, HOSTS, FAMILY)
    assert ledger.snapshot() == EXPECTED
    assert ledger.out_of_seed == {O19.url, O19_WRAPPER.url}


def test_a_later_run_does_not_move_the_source() -> None:
    """Only the run that stored a report settles its source: a better rendering met later is a sighting."""
    ledger = fold([R18])
    later = [Incoming(d.url, d.sha, d.kind, year=d.year, identity=d.identity, via=d.via, run=RUN + 1)
             for d in (R18_DOCX, R18_PDF)]
    for doc in later:
        assert ledger.add(doc).outcome == "sighting"
    ((_, source),) = ledger.snapshot()
    assert source == R18.url


# -- what a document is ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "kind"), [
    ("list_ordos-engebei_trs_xxgknb_index.html", LIST),
    ("list_pingtan_trs-hycloud_zfxxgknb_index.html", LIST),
    ("report_pingtan_2024_trs-hycloud_2021fmt.html", REPORT),
    ("report_shuyang-fgj_2023_ucap_2021fmt_crawlerwrapped.html", REPORT),
])
def test_real_pages_classify(name: str, kind: str) -> None:
    from crawler.extract import extract

    page = REAL / name
    if not page.exists():
        pytest.skip(f"{page} not present (../shared/real beside the checkout)")
    doc = extract(page.read_bytes(), url="http://www.example.gov.cn/xxgk/index.html")
    assert kind_of(doc.text, len(doc.tables)).kind == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("现将青岛市崂山区人力资源和社会保障局2019年政府信息公开工作年度报告予以公布，详见附件。", WRAPPER),
    ("崂山区人社局2019年政府信息公开工作年度报告\n发布时间：2020-01-15\n全文详见附件", WRAPPER),
    ("崂山区人社局2019年政府信息公开工作年度报告 2020-01-15\n全文详见附件：2019年报.pdf", WRAPPER),
    # a year folder listing a single report (141 characters on the independent web)
    ("首页 > 信息公开 > 政府信息公开年报 > 2019年\n崂山区人社局2019年政府信息公开工作年度报告 2020-01-15\n共1条 第1页", LIST),
    ("青岛市崂山区人力资源和社会保障局2019年政府信息公开工作年度报告 | 2020-01-20", LIST),
])
def test_short_pages(text: str, kind: str) -> None:
    assert kind_of(text).kind == kind


def test_publishers() -> None:
    assert same_agency("崂山区人社局", "青岛市崂山区人力资源和社会保障局")
    assert same_agency("沭阳县人民政府", "沭阳县人民政府办公室")
    assert same_agency("沭阳县人民政府", "沭阳县政府办公室") and same_agency("宿迁市政府", "宿迁市人民政府办公厅")
    assert not same_agency("宿迁市人民政府", "沭阳县人民政府")
    assert not same_agency("沭阳县人民政府", "沭阳县教育局")
    assert not same_agency("沭阳县人民政府", "沭阳县贤官镇人民政府")  # a town under the county
    assert same_agency("沭阳县住房和城乡建设局", "沭阳县住房和城乡建设局")  # 城乡 is not a 乡
    title = "沭阳县教育局2023年政府信息公开工作年度报告"
    assert other_agency("沭阳县人民政府", "沭阳县教育局", title)
    assert not other_agency("沭阳县人民政府", "沭阳县教育局", "2023年政府信息公开工作年度报告")  # unconfirmed
    assert not other_agency("衡阳市人力资源和社会保障局", "衡阳市政府", "衡阳市人社局2019年政府信息公开年度报告")
    assert not other_agency("吉林省人力资源和社会保障厅", "bet0365", "bet0365 2017年年度报告")  # no agency
    assert not other_agency("沭阳县人民政府", "本局", title)
    assert not other_agency("某局", "沭阳县教育局", title)  # a placeholder seed name compares with nothing
