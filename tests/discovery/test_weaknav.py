"""Weak navigation best first (crawler.weaknav): which held-back links go in each round."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler import links as L
from crawler.weaknav import Held, next_round

BASE = "http://wjj.example.gov.cn"
# The disclosure page of a static portal as the random webs draw it: the 年报 column sits under
# 其他信息; 指南 and 制度 are pages about disclosure (crawler.links caps them lowest).
PAGE = [("/zfxxgk/zfxxgkzn/index.html", "政府信息公开指南"), ("/zfxxgk/zfxxgkzd/index.html", "政府信息公开制度"),
        ("/zfxxgk/czyjs/index.html", "财政预决算"), ("/zfxxgk/xxgkml/qtxx/index.html", "其他信息")]


def held(path: str, text: str, referer: str = "/zfxxgk/index.html", depth: int = 2) -> Held:
    url = BASE + path
    info = L.classify_link(url, text)
    assert info.kind == L.NAV, (text, info)
    return Held(url, text, info.score, BASE + referer, depth, L.is_site_map(url, text))


def test_rounds_go_best_first_and_pages_about_disclosure_last() -> None:
    links = [held(p, t) for p, t in PAGE]
    first, rest = next_round(links, 0, 4)
    assert {h.text for h in first} == {"财政预决算", "其他信息"}  # 16 each: ties go together
    second, rest = next_round(rest, 1, 4)
    assert {h.text for h in second} == {"政府信息公开指南", "政府信息公开制度"} and rest == []


def test_the_site_map_goes_first() -> None:
    links = [*(held(p, t) for p, t in PAGE), held("/sitemap.html", "网站地图", referer="/", depth=0)]
    first, rest = next_round(links, 0, 4)
    assert [h.url for h in first] == [BASE + "/sitemap.html"]
    assert len(rest) == len(PAGE)


def test_each_url_once_with_its_best_score() -> None:
    a = held("/zfxxgk/czyjs/index.html", "财政预决算")
    same = a._replace(score=a.score - 5, referer=BASE + "/")
    first, rest = next_round([same, a], 0, 4)
    assert first == [a] and rest == []


def test_the_last_round_releases_everything() -> None:
    links = [held(p, t) for p, t in PAGE]
    first, rest = next_round(links, 3, 4)
    assert len(first) == len(PAGE) and rest == []
    assert next_round([], 0, 4) == ([], [])


@given(st.permutations([held(p, t) for p, t in PAGE] + [held("/sitemap.html", "网站地图", "/", 0)]),
       st.integers(min_value=0, max_value=5))
def test_a_round_does_not_depend_on_the_order_links_were_held(order: list[Held], rounds_done: int) -> None:
    canonical = sorted(order, key=lambda h: h.url)
    assert next_round(order, rounds_done, 4) == next_round(canonical, rounds_done, 4)


def test_dated_reports_of_another_kind_and_companions_are_not_followed() -> None:
    for text in ("张安市怀安县卫生健康局2021年法治政府建设年度报告", "关于做好2021年政府信息公开工作年度报告编制发布工作的通知",
                 "文字解读：德平市泽安县教育局2023年政府信息公开工作年度报告"):
        assert L.classify_link(BASE + "/xxgk/nb/2022/0226373.html", text, on_list_page=True).kind == L.IGNORE, text
    # the reports themselves, a year folder named like a report, and the 超链版 of a report still are
    assert L.classify_link(BASE + "/a/t20240120_1.html", "德平市泽安县教育局2023年政府信息公开工作年度报告").kind == L.REPORT
    assert L.classify_link(BASE + "/xxgk/nb/2023/", "2023年度报告", on_list_page=True).kind == L.LIST
    assert L.classify_link(BASE + "/b.pdf", "2021年政府信息公开工作年度报告（超链版）").kind == L.ATTACHMENT
