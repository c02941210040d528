"""Real gov.cn pages (../shared/real): no spam on any, chrome removed with its reason, body whole.

Expected values are read by hand from each page's source (see ../shared/real/MANIFEST.tsv).
"""

from __future__ import annotations

import pytest

from crawler.extract import extract
from tests.extract.real_pages import ORDOS_LIST, PINGTAN, PINGTAN_LIST, REAL, SHUYANG, real_page


@pytest.mark.parametrize("name", [PINGTAN, SHUYANG, ORDOS_LIST, PINGTAN_LIST])
def test_no_real_page_is_flagged(name: str) -> None:
    doc = extract(real_page(name), "")
    assert not doc.spam.detected, doc.spam.findings
    assert not doc.spam.findings


def test_every_real_page_in_the_folder_is_unflagged() -> None:
    pages = sorted(REAL.glob("*.html")) if REAL.is_dir() else []
    if not pages:
        pytest.skip(f"{REAL} absent: the real pages live in ../shared/real beside the checkout")
    flagged = [p.name for p in pages if extract(p.read_bytes(), "").spam.detected]
    assert flagged == []


@pytest.mark.parametrize(("name", "words"), [
    (PINGTAN, "i-tianqi-comx3211966f93868xx.ipv6best.cn"),  # weather iframe behind the IPv6 gateway
    (PINGTAN_LIST, "i-tianqi-comx3211968723868xx.ipv6best.cn"),
    (ORDOS_LIST, "tianqi.2345.com"),
])
def test_weather_iframes_are_widgets(name: str, words: str) -> None:
    doc = extract(real_page(name), "")
    assert any(r.reason == "widget" and words in r.text for r in doc.removed), doc.removed


def test_pingtan_report_keeps_its_body_from_first_to_last_line() -> None:
    doc = extract(real_page(PINGTAN), "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm")
    assert doc.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert doc.published == "2025-03-10"
    assert doc.text.startswith("本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号）")
    assert doc.text.endswith("六、其他需要报告的事项\n2024年，无收取信息处理费情况。")
    assert "全年办理政府信息公开申请218件。" in doc.text
    assert not doc.spam.detected
    assert len(doc.tables) == 3


def test_shuyang_report_keeps_its_signature() -> None:
    doc = extract(real_page(SHUYANG), "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml")
    assert doc.title == "沭阳县发展和改革局2023年政府信息公开年度报告"
    # the signature (落款) at the end, not removed as a byline; the wrapper's 采集时间 is not the date
    assert doc.text.endswith("2023年度，县发展和改革局政府信息公开未发生收费情况。\n沭阳县发展和改革局\n2024年1月17日")
    assert doc.published == "2024-01-17"
    assert not any(r.reason == "byline" and "2024年1月17日" in r.text for r in doc.removed)
    assert "本年度报告所列数据的统计时限为2023年1月1日至2023年12月31日。" in doc.text
