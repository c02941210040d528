"""Real report pages (../shared/real) parsed end to end: key cells typed by hand from the page source.

Pingtan: 表三 自然人 217 + 商业企业 1 = 218; 表四 复议 2/1/3/1/7, 复议后起诉 13/2/4/0/19; labels split
across <p> with &nbsp; runs. Shuyang: 表三's legal-person columns are blank cells (null, not 0),
自然人 and 总计 26; 表四 复议 尚未审结 1; labels one character per <span>.
"""

from __future__ import annotations

from crawler.extract import extract
from crawler.parse import parse
from tests.extract.real_pages import PINGTAN, SHUYANG, real_page

N = None


def test_pingtan_2024_every_key_cell() -> None:
    report = parse(extract(real_page(PINGTAN), ""))
    assert (report.agency, report.year, report.format) == ("平潭综合实验区管委会办公室", 2024, "2021")
    p = report.proactive
    assert p["art20_1"]["normative_documents"] == {"issued": 62, "repealed": 33, "in_force": 440}
    assert p["art20_1"]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert p["art20_5"]["licensing"] == {"decisions": 4529}
    assert p["art20_6"] == {"penalty": {"decisions": 1100}, "coercion": {"decisions": 65}}
    assert p["art20_8"]["fees"]["amount"]["value"] == 18651.06
    rows = report.requests["rows"]
    assert rows["new_received"] == [217, 1, 0, 0, 0, 0, 218]
    assert rows["carried_over"] == [0, 0, 0, 0, 0, 0, 0]
    assert rows["granted"] == [71, 0, 0, 0, 0, 0, 71]
    assert rows["partially_granted"] == [29, 0, 0, 0, 0, 0, 29]
    assert rows["denied_state_secret"] == [4, 0, 0, 0, 0, 0, 4]
    assert rows["denied_third_party"] == [3, 0, 0, 0, 0, 0, 3]
    assert rows["denied_internal_affairs"] == [32, 0, 0, 0, 0, 0, 32]
    assert rows["unavailable_not_held"] == [75, 0, 0, 0, 0, 0, 75]
    assert rows["rejected_repeat"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["other_no_correction"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["other_no_fee"] == [0, 0, 0, 0, 0, 0, 0]
    assert rows["other_misc"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["results_total"] == [217, 1, 0, 0, 0, 0, 218]
    assert rows["carried_forward"] == [0, 0, 0, 0, 0, 0, 0]
    review = report.review_litigation
    assert review["review"] == {"upheld": 2, "corrected": 1, "other": 3, "pending": 1, "total": 7}
    assert review["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    assert review["litigation_after_review"] == {"upheld": 13, "corrected": 2, "other": 4, "pending": 0, "total": 19}
    assert [c.rule for c in report.checks if not c.ok] == []


def test_shuyang_2023_blank_legal_person_columns_stay_null() -> None:
    report = parse(extract(real_page(SHUYANG), ""))
    assert (report.agency, report.year, report.format) == ("沭阳县发展和改革局", 2023, "2021")
    assert report.published == "2024-01-17"
    p = report.proactive
    assert p["art20_1"]["normative_documents"] == {"issued": 8, "repealed": 0, "in_force": 18}
    assert p["art20_5"]["licensing"] == {"decisions": 0}
    rows = report.requests["rows"]
    assert rows["new_received"] == [26, N, N, N, N, N, 26]
    assert rows["carried_over"] == [0, N, N, N, N, N, 0]
    assert rows["granted"] == [26, N, N, N, N, N, 26]
    assert rows["partially_granted"] == [0, N, N, N, N, N, 0]
    assert rows["other_misc"] == [0, N, N, N, N, N, 0]
    assert rows["results_total"] == [26, N, N, N, N, N, 26]
    assert rows["carried_forward"] == [0, N, N, N, N, N, 0]
    review = report.review_litigation
    assert review["review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert review["litigation_after_review"]["total"] == 0
