"""html_table_to_grid: rowspan/colspan → rectangular grid (the parse helper relies on it)."""

from __future__ import annotations

from lxml import etree, html

from crawler.extract import extract, html_table_to_grid
from crawler.extract.tables import slots_to_lines, table_slots
from tests.extract import corpus
from tests.extract.build_fixtures import expected_grid, render_table


def _table(markup: str) -> etree._Element:
    return html.fragment_fromstring(markup)


T3_HEAD = """<table>
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益<br>组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="4">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td colspan="2">（七）总计</td><td>4</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
</table>"""


def test_table3_nested_rowspans() -> None:
    grid = html_table_to_grid(_table(T3_HEAD))
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert all(len(row) == 10 for row in grid)
    assert grid[0] == [note] * 3 + ["申请人情况"] * 7
    assert grid[1] == [note] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert grid[2] == [note] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert grid[4][:3] == ["三、本年度办理结果", "（一）予以公开", "（一）予以公开"]
    assert grid[5][:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert grid[6] == ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "1", "0", "0", "0", "0", "0", "1"]
    assert grid[7][:3] == ["三、本年度办理结果", "（七）总计", "（七）总计"]
    assert grid[7][3:] == ["4", "1", "0", "0", "0", "0", "5"]


def test_full_2021_table3_and_table4_match_an_independent_expansion() -> None:
    for rows in (corpus.table3(5, "2021"), corpus.table3(9, "2019"), corpus.table4(corpus.table4_vals(3)),
                 corpus.table2_2019(4)):
        assert html_table_to_grid(_table(render_table(rows))) == expected_grid(rows)
    grid = html_table_to_grid(_table(render_table(corpus.table3(5, "2021"))))
    assert len(grid) == 28 and {len(r) for r in grid} == {10}
    assert sum(1 for r in grid if r[0] == "三、本年度办理结果") == 22


def test_table4_colspan_headers() -> None:
    grid = html_table_to_grid(_table(render_table(corpus.table4([1, 0, 0, 0, 1, 0, 2, 0, 0, 2, 0, 0, 0, 1, 1]))))
    subs = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert grid[1] == subs + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert grid[2] == subs * 3  # the 复议 headers (rowspan 2) fill the third header row too
    assert grid[3] == ["1", "0", "0", "0", "1", "0", "2", "0", "0", "2", "0", "0", "0", "1", "1"]


def test_text_lines_write_each_cell_once() -> None:
    lines = slots_to_lines(table_slots(_table(T3_HEAD)))
    assert lines[3] == "一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6"
    assert lines[5] == "（三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    assert lines[6] == "2.其他法律行政法规禁止公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1"


def test_odd_markup() -> None:
    # thead/tbody, a nested table that is not ours, bad span values, an empty row, blank cells
    table = _table("""<table><thead><tr><th>指标</th><th colspan="2;">数量</th></tr></thead>
    <tbody><tr><td rowspan="0">申请总数</td><td><table><tr><td>x</td></tr></table>51</td><td rowspan="abc"></td></tr>
    <tr><td></td><td></td></tr><tr><td>件</td><td>9</td></tr></tbody></table>""")
    grid = html_table_to_grid(table)
    # rowspan="0" is read as 1; an all-blank row is dropped; the width is the widest row
    assert grid == [["指标", "数量", "数量"], ["申请总数", "x 51", ""], ["件", "9", ""]]
    assert html_table_to_grid(_table("<div>not a table</div>")) == []
    huge = _table('<table><tr><td rowspan="99999999">a</td><td>b</td></tr></table>')
    assert html_table_to_grid(huge) == [["a", "b"]]


def test_report_table_never_one_cell_per_line() -> None:
    page = f"<html><body><div class='TRS_Editor'><p>三、收到和处理政府信息公开申请情况</p>{T3_HEAD}</div></body></html>"
    doc = extract(page.encode())
    rows = [ln for ln in doc.text.splitlines() if ln[:1].isdigit() or "|" in ln]
    assert all(" | " in ln for ln in rows)
    assert doc.tables[0].rows == html_table_to_grid(_table(T3_HEAD))


def test_trafilatura_fallback_keeps_the_page_tables_spans() -> None:
    # no container, no numbered headings: trafilatura picks the body, our grid builder reads its table
    page = ("<html><body><div class='a'><p>本机关2011年度政府信息公开工作情况报告如下，全年主动公开政府信息186条，未收到申请。</p>"
            f"{T3_HEAD}<p>本年度依申请提供政府信息未收取任何费用，也未发生行政复议和行政诉讼。</p></div>"
            "<div class='foot'>版权所有：某某县人民政府</div></body></html>")
    doc = extract(page.encode())
    assert doc.method == "trafilatura"
    assert doc.tables and doc.tables[0].rows == html_table_to_grid(_table(T3_HEAD))
