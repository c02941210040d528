"""crawler.fingerprint: what counts as "the same text" for the archive."""

from __future__ import annotations

import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.fingerprint import minhash, normalise, payload_fingerprint, shingles, text_sha256
from tests.storage.docs import revise_cell, text, with_chrome

LAOSHAN = text("laoshan_2019")
ROW = "一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"


def test_counters_bylines_and_dates_do_not_change_the_hash() -> None:
    a = with_chrome(LAOSHAN, views=12, published="2020-01-20 10:00")
    b = with_chrome(LAOSHAN, views=3456, published="2020-01-21 09:13:59")
    assert text_sha256(a) == text_sha256(b) == text_sha256(LAOSHAN)
    assert "浏览次数" not in normalise(a)


def test_inline_byline_tokens_are_dropped() -> None:
    a = "发布日期：2022-01-20 浏览次数：5 次\n" + LAOSHAN
    b = "发布日期：2022-01-27 浏览次数：91 次\n" + LAOSHAN
    assert text_sha256(a) == text_sha256(b)


def test_width_whitespace_and_line_breaks_are_not_changes() -> None:
    wide = LAOSHAN.replace(",", "，").replace(":", "：").replace("2019", "２０１９")
    spaced = LAOSHAN.replace("\n", "\n\n  ").replace("政府", "政 府")
    assert text_sha256(wide) == text_sha256(LAOSHAN)
    assert text_sha256(spaced) == text_sha256(LAOSHAN)


def test_a_changed_cell_or_content_date_is_a_change() -> None:
    assert text_sha256(revise_cell(LAOSHAN, ROW, ROW.replace("| 2 |", "| 3 |"))) != text_sha256(LAOSHAN)
    dated = LAOSHAN.replace("自2019年1月1日起", "自2019年2月1日起")
    assert dated != LAOSHAN and text_sha256(dated) != text_sha256(LAOSHAN)


def test_digits_separated_by_space_stay_apart() -> None:
    assert normalise("数量 1 2") != normalise("数量 12")


def test_shingles_are_character_5_grams() -> None:
    assert shingles("政府信息公开") == {"政府信息公", "府信息公开"}
    assert shingles("短") == {"短"}
    assert shingles("") == set()


def test_minhash_separates_near_copies_from_other_reports() -> None:
    base = minhash(LAOSHAN)
    edited = minhash(LAOSHAN.replace("崂山政务网", "崂山区政府网站"))
    other = minhash(text("wulong_2021"))
    assert base.jaccard(edited) >= 0.9
    assert base.jaccard(other) < 0.3


def test_bad_input_warns_and_returns_empty(caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING):
        assert normalise(None) == ""  # type: ignore[arg-type]
    assert "expected str" in caplog.text


CJK = "政府信息公开工作年度报告人力资源社会保障局主动申请"
PIECES = st.lists(st.text(alphabet=CJK + "0123456789,|", min_size=1, max_size=6), min_size=1, max_size=30)
GAPS = st.lists(st.sampled_from(["", " ", "\n", "\u3000", " \n "]), min_size=30, max_size=30)


@settings(max_examples=150, deadline=None)
@given(PIECES, GAPS)
def test_whitespace_next_to_chinese_never_matters(pieces: list[str], gaps: list[str]) -> None:
    # Whitespace placed only next to a Chinese character (never between two digits) is layout.
    # (No "." in the alphabet: a line like "2020.1.1" on its own is a byline date, dropped on purpose.)
    joined = "".join(pieces)
    out = []
    for i, piece in enumerate(pieces):
        out.append(piece)
        nxt = pieces[i + 1][0] if i + 1 < len(pieces) else ""
        if piece[-1] in CJK or nxt in CJK:
            out.append(gaps[i])
    assert normalise("".join(out)) == normalise(joined)


PAGE_HTML = ('<!DOCTYPE html><html><head><meta charset="{enc}"></head><body><div class="byline">发布时间：2020-01-20 '
             '浏览次数：<span>{views}</span></div><div id="zoom"><p>全年收到申请{n}件</p></div></body></html>')


def test_payload_fingerprint_ignores_only_hit_counters() -> None:
    for enc in ("utf-8", "gbk"):
        def page(views: str, n: int = 2, enc: str = enc) -> bytes:
            return PAGE_HTML.format(enc=enc, views=views, n=n).encode(enc)

        assert payload_fingerprint(page("12")) == payload_fingerprint(page("3,456"))
        assert payload_fingerprint(page("12")) != payload_fingerprint(page("12", n=3))
    pdf = "%PDF-1.4 浏览次数 12".encode()
    assert payload_fingerprint(pdf, "application/pdf") != payload_fingerprint(pdf.replace(b"12", b"13"), "application/pdf")


def test_table_cells_flattened_one_per_line_are_content() -> None:
    cells = "指标名称\n本年累计\n累计\n阅读\n12"
    assert normalise(cells) == "指标名称本年累计累计阅读12"
    assert text_sha256(cells) != text_sha256(cells.replace("12", "13"))


def test_a_text_print_gives_the_signature_datasketch_gives_the_text() -> None:
    """The reading process sends shingle hashes, the archive builds the MinHash: it must be the one
    datasketch's own hashing of the shingles gives, or stored signatures would stop comparing."""
    from datasketch.hashfunc import sha1_hash32

    from crawler.fingerprint import minhash_of, shingle_hash, text_print
    from crawler.sketch import MinHash

    for body in (LAOSHAN, text("wulong_2021"), with_chrome(LAOSHAN, views=7, published="2020-01-20"), "短"):
        reference = MinHash(num_perm=128)
        reference.update_batch([g.encode("utf-8") for g in shingles(body)])
        printed = text_print(body)
        assert printed.sha256 == text_sha256(body)
        assert list(minhash_of(printed.hashes).hashvalues) == list(reference.hashvalues)
        assert list(minhash(body).hashvalues) == list(reference.hashvalues)
    assert all(shingle_hash(g.encode()) == sha1_hash32(g.encode()) for g in shingles(LAOSHAN))
    assert text_print("浏览次数：12\n \n").sha256 == ""  # nothing left: the archive skips it
