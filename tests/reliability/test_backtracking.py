"""Patterns that backtracked quadratically over long runs, replaced by linear scans that find the
same things. ``make fuzz`` found the first: a Word page whose style sheet lost a brace hung
extraction for 20 s; the second (a long inline base64 image on a Hanweb list) took minutes."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract import extract
from crawler.extract.page import css_rules
from crawler.lists import hanweb_jpage
from tests.reliability.fuzz import fixture_files, guarded
from tests.reliability.harness import LONG

LIMIT = 10.0  # seconds: the fuzz tests' limit per page; these inputs took 20 s to minutes before
_CSS = re.compile(r"([^{}]+)\{([^}]*)\}")
_DATAPROXY = re.compile(r"""['"]?(?P<url>[^'"\s<>]*?dataproxy\.jsp[^'"\s<>]*)""")


@settings(max_examples=400, deadline=None, derandomize=not LONG)
@given(st.text(alphabet="ab .#{},;:-\n", max_size=60))
def test_css_rules_find_what_the_pattern_found(css: str) -> None:
    assert css_rules(css) == [(m.group(1), m.group(2)) for m in _CSS.finditer(css)]


@settings(max_examples=400, deadline=None, derandomize=not LONG)
@given(st.lists(st.sampled_from(["dataproxy.jsp", "a", "/", '"', "'", " ", "<", ">", "\u3000", "?x=1", "\n", "p"]),
                max_size=14).map("".join))
def test_url_runs_find_what_the_pattern_found(text: str) -> None:
    assert hanweb_jpage.runs_containing(text, "dataproxy.jsp") == [m.group("url") for m in _DATAPROXY.finditer(text)]


def test_a_style_sheet_that_lost_its_brace_does_not_hang_extraction() -> None:
    word = next(p.read_bytes() for p in fixture_files("extract", "input.html")
                if b"urn:schemas-microsoft-com:office:word" in p.read_bytes()[:400])
    head, _, tail = word.partition(b"</style>")
    broken = head + b" p.MsoNormal" * 4000 + b"</style>" + tail  # 48 kB after the last "}"
    outcome = guarded(lambda: extract(broken, "http://x.gov.cn/a/t1.html", None), LIMIT)
    assert not outcome.hung and not outcome.error, outcome.error
    assert outcome.value.text == extract(word, "http://x.gov.cn/a/t1.html", None).text


def test_a_long_inline_image_does_not_hang_the_hanweb_list_shape() -> None:
    page = ('<img src="data:image/png;base64,' + "iVBORw0KGgo" * 20000 + '">'
            '<script>var u="/module/web/jpage/dataproxy.jsp?page=1&columnid=42";</script>')
    outcome = guarded(lambda: hanweb_jpage.endpoint(page, "http://a.gov.cn/col/col1/index.html"), LIMIT)
    assert not outcome.hung and not outcome.error, outcome.error
    assert outcome.value is not None and "columnid=42" in outcome.value


def test_a_title_with_a_long_whitespace_run_classifies_at_once() -> None:
    from crawler.classify import classify

    title = "某局2021年政府信息公开工作年度报告" + " " * 50000 + "_ 某局门户网站"  # 25 s before
    outcome = guarded(lambda: classify(title, "http://x.gov.cn/a/t1.html", ""), LIMIT)
    assert not outcome.hung and not outcome.error, outcome.error
    assert outcome.value == classify("某局2021年政府信息公开工作年度报告 _ 某局门户网站", "http://x.gov.cn/a/t1.html", "")
