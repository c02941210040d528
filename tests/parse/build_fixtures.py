"""Writes tests/fixtures/parse/<case>/ (run: python -m tests.parse.build_fixtures).

Inputs are written from the report formats (report-format.md §2–§6) and the five seed texts; every
expected value below is typed by hand from those inputs, never taken from the parser's output.
Grids come from crawler.extract's html_table_to_grid over HTML written by tests/parse/render.py.
"""

from __future__ import annotations

import json

from tests.parse import render
from tests.parse.fixture_kit import (
    INTRO,
    ROOT,
    ROWS19,
    ROWS21,
    SECTIONS6,
    SEEDS,
    T3_HEAD,
    T4_HEAD,
    TAIL_TEXT,
    N,
    docdict,
    grids_of,
    lab,
    m,
    p19,
    p21,
    report_page,
    review,
    rows,
    t3_lines,
    write,
)

# ------------------------------------------------------------------ seeds
seed = {p.name[:3]: p for p in SEEDS.glob("*.txt")} or {
    d.name[5:8]: d / "input.txt" for d in ROOT.glob("seed_*")}
write("seed_000_laoshan_2019", {
    "agency": None, "year": 2019, "format": "2019", "published": None,
    "sections": [["一", "总体情况"], ["二", "主动公开政府信息情况"], ["三", "收到和处理政府信息公开申请情况"],
                 ["四", "政府信息公开行政复议、行政诉讼情况"], ["五", "政府信息公开工作存在的主要问题及改进情况"],
                 ["六", "其他需要报告的事项"]],
    "proactive": p19([None, None, None], [3, 3, 3], [4, -4, 28], [2, 0, 590], [64, 0, 2], [0, 0, 0], [0, 0],
                     [0, m(0, None)]),
    "requests": {"rows": rows("2019", new_received=[2, 0, 0, 0, 0, 0, 2], unavailable_needs_creation=[1, 0, 0, 0, 0, 0, 1],
                              rejected_repeat=[1, 0, 0, 0, 0, 0, 1], results_total=[2, 0, 0, 0, 0, 0, 2])},
    "review_litigation": review([0] * 5, [0] * 5, [0] * 5),
    "failing_checks": [],
}, text=seed["000"].read_text(encoding="utf-8"))

write("seed_001_jilin_2017_spam_legacy", {
    "agency": None, "year": 2017, "format": "legacy", "published": "2018-03-19",
    "sections": [["一", "2017年省政府信息公开重点工作落实情况"], ["二", "政务公开工作情况"], ["三", "存在的主要问题和改进措施"]],
    "legacy_figures": {"requests_received": 19, "requests_granted": 12, "requests_not_gov_info": 2,
                       "requests_not_held": 3, "requests_not_exist": 3, "proactive_items": 3795,
                       "review_cases": 0, "litigation_cases": 0},
    "failing_checks": [],
}, text=seed["001"].read_text(encoding="utf-8"))

write("seed_002_wulong_2021_cell_per_line", {
    "agency": None, "year": 2021, "format": "2021", "published": None,
    "sections": [["一", "总体情况"], ["二", "主动公开政府信息情况"], ["三", "收到和处理政府信息公开申请情况"],
                 ["四", "政府信息公开行政复议、行政诉讼情况"], ["五", "当前存在的主要问题及下步改进措施"],
                 ["六", "其他需要报告的事项"]],
    "proactive": p21([0, 0, 0], [0, 0, 0], 62, 7, 0, m(68.64, "万元")),
    "requests": {"rows": rows("2021")},
    "review_litigation": review([0] * 5, [0] * 5, [0] * 5),
    "failing_checks": [],
}, text=seed["002"].read_text(encoding="utf-8"))

write("seed_003_hengyang_2019_misnumbered", {
    "agency": None, "year": 2019, "format": "2019", "published": "2020-01-20",
    "sections": SECTIONS6,
    "proactive": p19([0, 0, 0], [4, 4, 4], [0, 6980, 6979], [0, 0, 0], [0, 4, 0], [0, 1, 1], [4, 0],
                     [137, m(6154570, None)]),
    "requests": {"rows": rows("2019", new_received=[100, 0, 0, 1, 0, 0, 101], granted=[3, 0, 0, 1, 0, 0, 3],
                              unavailable_not_held=[2, 0, 0, 0, 0, 0, 2], rejected_petition=[54, 0, 0, 0, 0, 0, 54],
                              rejected_repeat=[20, 0, 0, 0, 0, 0, 20], rejected_confirmation=[21, 0, 0, 0, 0, 0, 21],
                              results_total=[100, 0, 0, 1, 0, 0, 101])},
    "review_litigation": review([8, 6, 0, 1, 15], [27, 15, 1, 0, 43], [1, 2, 0, 0, 3]),
    "failing_checks": ["T3-2", "T3-3"],
}, text=seed["003"].read_text(encoding="utf-8"))

write("seed_004_guangzhou_2013_appendix", {
    "agency": "广州市人力资源和社会保障局", "year": 2013, "format": "legacy", "published": "2014-02",
    "sections": [["一", "概述"], ["二", "主动公开政府信息情况"], ["三", "依申请公开政府信息情况"], ["四", "咨询处理情况"],
                 ["五", "政府信息公开的收费情况"], ["六", "行政复议、诉讼和申诉情况"], ["七", "存在主要问题和改进措施"],
                 ["八", "说明与附表"]],
    "legacy_figures": {
        "requests_received": 51, "requests_in_person": 12, "requests_fax": 0, "requests_email": 8,
        "requests_online": 22, "requests_letter": 6, "requests_other_channel": 3, "requests_answered": 51,
        "requests_granted": 31, "requests_partially": 0, "requests_denied": 13, "requests_not_exist": 3,
        "requests_not_held": 4, "requests_unclear": 0, "proactive_items": 11492, "proactive_cumulative": 75286,
        "normative_documents": 19, "consultations_total": 105453, "consultations_online": 27755,
        "consultations_in_person": 1004, "consultations_phone": 76694, "page_views": 64764090,
        "review_cases": 0, "litigation_cases": 2, "appeal_cases": 0, "fees_yuan": 0},
    "failing_checks": [],
}, text=seed["004"].read_text(encoding="utf-8"))



# ------------------------------------------------------------------ 2021 grid from rowspan HTML
r6 = rows("2021", new_received=[10, 2, 0, 1, 0, 0, 13], carried_over=[1, 0, 0, 0, 0, 0, 1],
          granted=[4, 1, 0, 0, 0, 0, 5], partially_granted=[1, 0, 0, 0, 0, 0, 1],
          denied_security_stability=[1, 0, 0, 0, 0, 0, 1], denied_process_info=[0, 1, 0, 0, 0, 0, 1],
          unavailable_not_held=[2, 0, 0, 0, 0, 0, 2], unavailable_unclear=[1, 0, 0, 0, 0, 0, 1],
          rejected_petition=[1, 0, 0, 0, 0, 0, 1], other_no_correction=[0, 0, 0, 1, 0, 0, 1],
          results_total=[10, 2, 0, 1, 0, 0, 13], carried_forward=[1, 0, 0, 0, 0, 0, 1])
p6 = p21([1, 0, 3], [12, 2, 85], 1532, 47, 3, {"value": 12.3, "unit": "万元", "raw": "12.3"})
v6 = review([2, 0, 0, 1, 3], [1, 0, 0, 0, 1], [0, 0, 0, 0, 0])
t6 = {"era": "2021", "proactive": p6, "requests": r6, "review": v6}
write("grid_2021_rowspan_html", {
    "agency": "杭州市西湖区财政局", "year": 2021, "format": "2021", "published": "2022-01-21",
    "proactive": p21([1, 0, 3], [12, 2, 85], 1532, 47, 3, m(12.3, "万元")),
    "requests": {"rows": r6, "blank_means_zero": None}, "review_litigation": v6, "failing_checks": [],
}, doc=docdict("杭州市西湖区财政局2021年政府信息公开工作年度报告",
               render.report_text(render.pipes(t6), 2021), grids_of(t6), published="2022-01-21",
               site="杭州市西湖区人民政府"))

# ------------------------------------------------------------------ 2019 grid with 采购 amounts, signs
t2grid = [["第二十条第（一）项"] * 4, ["信息内容", "本年新 制作数量", "本年新 公开数量", "对外公开总数量"],
          ["规章", "0", "0", "0"], ["规范性文件", "5", "5", "37"],
          ["第二十条第（五）项"] * 4, ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
          ["行政许可", "46", "+461", "1,024"], ["其他对外管理服务事项", "12", "减少2", "318"],
          ["第二十条第（六）项"] * 4, ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
          ["行政处罚", "23", "-3", "156"], ["行政强制", "4", "0", "9"],
          ["第二十条第（八）项"] * 4, ["信息内容", "上一年项目数量", "本年增/减", "本年增/减"],
          ["行政事业性收费", "3", "0", "0"],
          ["第二十条第（九）项"] * 4, ["信息内容", "采购项目数量", "采购总金额", "采购总金额"],
          ["政府集中采购", "7", "160.5964万元", "160.5964万元"]]
r7 = rows("2019", new_received=[5, 0, 0, 0, 1, 0, 6], granted=[3, 0, 0, 0, 1, 0, 4],
          unavailable_not_held=[1, 0, 0, 0, 0, 0, 1], other=[1, 0, 0, 0, 0, 0, 1], results_total=[5, 0, 0, 0, 1, 0, 6])
v7 = review([1, 0, 0, 0, 1], [0] * 5, [0] * 5)
t7 = {"era": "2019", "proactive": p19([0, 0, 0], [5, 5, 37], [46, 461, 1024], [12, -2, 318], [23, -3, 156], [4, 0, 9],
                                     [3, 0], [7, {"value": 160.5964, "unit": "万元", "raw": "160.5964万元"}]),
      "requests": r7, "review": v7}
write("grid_2019_procurement_signs", {
    "agency": "岳阳市发展和改革委员会", "year": 2019, "format": "2019",
    "proactive": p19([0, 0, 0], [5, 5, 37], [46, 461, 1024], [12, -2, 318], [23, -3, 156], [4, 0, 9], [3, 0],
                     [7, m(160.5964, "万元")]),
    "requests": {"rows": r7}, "review_litigation": v7, "failing_checks": [],
}, doc=docdict("岳阳市发展和改革委员会2019年政府信息公开工作年度报告",
               "\n".join([INTRO, "一、总体情况", "2019年，我委扎实推进政务公开。", "二、主动公开政府信息情况",
                          "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", *TAIL_TEXT]),
               [{"rows": t2grid}] + grids_of(t7)[1:], published="2020-01-31"))

# ------------------------------------------------------------------ Shanghai style: zeros left blank
r8 = rows("2019", default=N, new_received=[6, None, None, None, None, None, 6], granted=[2, None, None, None, None, None, 2],
          partially_granted=[1, None, None, None, None, None, 1], unavailable_not_held=[2, None, None, None, None, None, 2],
          rejected_repeat=[1, None, None, None, None, None, 1], results_total=[6, None, None, None, None, None, 6])
p8 = p19([None] * 3, [3, 3, 40], [None, None, 120], [None] * 3, [None, None, 15], [None] * 3, [None, None], [None, None])
v8 = review([None] * 5, [None] * 5, [None] * 5)
t8 = {"era": "2019", "proactive": p8, "requests": r8, "review": v8}
write("grid_2019_blanks_as_zeros", {
    "agency": "上海市黄浦区财政局", "year": 2019, "format": "2019", "proactive": p8,
    "requests": {"rows": r8, "blank_means_zero": True}, "review_litigation": v8, "failing_checks": [],
    "warnings": ["blank cells stored as null"],
}, doc=docdict("上海市黄浦区财政局2019年政府信息公开工作年度报告", render.report_text(render.pipes(t8), 2019),
               grids_of(t8), published="2020-01-20"))


# ------------------------------------------------------------------ PDF-like 2021, spaces, fragments
pdf9 = """宁国市商务局2021年政府信息公开工作年度报告
一、总体情况
2021年，宁国市商务局坚持以公开为常态、不公开为例外，扎实做好政府信息公开工作。
二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
行政规范性文件 2 1 6
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 215
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 18
行政强制 0
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费 0
- 3 -
三、收到和处理政府信息公开申请情况
申请人情况
（本列数据的勾稽关系为：第
法人或其他组织
一项加第二项之和，等于第 商业 科研 社会公 法律服 总计
自然人 其他
三项加第四项之和） 企业 机构 益组织 务机构
一、本年新收政府信息公开申请数量 7 1 0 0 0 0 8
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
（一）予以公开 3 1 0 0 0 0 4
（二）部分公开（区分处理的，只
1 0 0 0 0 0 1
计这一情形，不计其他情形）
1.属于国家秘密 0 0 0 0 0 0 0
2.其他法律行政法规禁止公开 0 0 0 0 0 0 0
3.危及“三安全一稳定” 0 0 0 0 0 0 0
4.保护第三方合法权益 0 0 0 0 0 0 0
（三）不予公开
5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 0 0 0 0 0 0 0
7.属于行政执法案卷 0 0 0 0 0 0 0
8.属于行政查询事项 0 0 0 0 0 0 0
1.本机关不掌握相关政府信息 2 0 0 0 0 0 2
三、本年度办理结果 （四）无法提供 2.没有现成信息需要另行制作 0 0 0 0 0 0 0
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
1.信访举报投诉类申请 0 0 0 0 0 0 0
2.重复申请 1 0 0 0 0 0 1
（五）不予处理 3.要求提供公开出版物 0 0 0 0 0 0 0
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新出具已获取
0 0 0 0 0 0 0
信息
1.申请人无正当理由逾期不补正、行
政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
（六）其他处理 2.申请人逾期未按收费通知要求缴纳费
0 0 0 0 0 0 0
用、行政机关不再处理其政府信息公开申请
3.其他 0 0 0 0 0 0 0
（七）总计 7 1 0 0 0 0 8
四、结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
行政诉讼
行政复议
未经复议直接起诉 复议后起诉
结果 结果 其他 尚未 结果 结果 其他 尚未 结果 结果 其他 尚未
总计 总计 总计
维持 纠正 结果 审结 维持 纠正 结果 审结 维持 纠正 结果 审结
0 0 0 0 0 1 0 0 0 1 0 0 0 0 0
五、存在的主要问题及改进情况
（一）存在的主要问题。一是主动公开的深度不够；二是政策解读形式不够丰富。
六、其他需要报告的事项
本机关2021年度未收取信息处理费。
"""
write("pdf_2021_space_rows_fragments", {
    "agency": "宁国市商务局", "year": 2021, "format": "2021", "sections": SECTIONS6,
    "proactive": p21([0, 0, 0], [2, 1, 6], 215, 18, 0, m(0, "万元")),
    "requests": {"rows": rows("2021", new_received=[7, 1, 0, 0, 0, 0, 8], granted=[3, 1, 0, 0, 0, 0, 4],
                              partially_granted=[1, 0, 0, 0, 0, 0, 1], unavailable_not_held=[2, 0, 0, 0, 0, 0, 2],
                              rejected_repeat=[1, 0, 0, 0, 0, 0, 1], results_total=[7, 1, 0, 0, 0, 0, 8])},
    "review_litigation": review([0] * 5, [1, 0, 0, 0, 1], [0] * 5), "failing_checks": [],
}, text=pdf9)

# ------------------------------------------------------------------ pdfplumber " | " rows, 2019, "—" markers
r10 = rows("2019", new_received=[12, 0, 1, 0, 0, 0, 13], carried_over=N, granted=[8, 0, 1, 0, 0, 0, 9],
           partially_granted=[1, None, None, None, None, None, 1], unavailable_not_held=[2, 0, 0, 0, 0, 0, 2],
           rejected_repeat=[1, 0, 0, 0, 0, 0, 1], results_total=[12, 0, 1, 0, 0, 0, 13], carried_forward=N)
lines10 = t3_lines("2019", r10)
lines10[1] = "二、上年结转政府信息公开申请数量 | — | — | — | — | — | — | —"
lines10[-1] = "四、结转下年度继续办理 | — | — | — | — | — | — | —"
lines10[3] = "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 1 |  |  |  |  |  | 1"
pdf10 = "\n".join([
    "祁东县教育局2019年政府信息公开工作年度报告", "（2020年1月15日）", INTRO,
    "一、总体情况", "2019年，我局认真贯彻落实新修订的《条例》。", "二、主动公开政府信息情况",
    "第二十条第（一）项 |  |  | ", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
    "规章 | — | — | —", "规范性文件 | 2 | 2 | 14",
    "第二十条第（五）项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
    "行政许可 | 9 | 0 | 312", "其他对外管理服务事项 | — | — | —",
    "第二十条第（六）项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
    "行政处罚 | 2 | +1 | 5", "行政强制 | 0 | 0 | 0",
    "第二十条第（八）项", "信息内容 | 上一年项目数量 | 本年增/减", "行政事业性收费 | 1 | 0",
    "第二十条第（九）项", "信息内容 | 采购项目数量 | 采购总金额", "政府集中采购 | 11 | 251000元",
    "三、收到和处理政府信息公开申请情况", *T3_HEAD, *lines10,
    "四、政府信息公开行政复议、行政诉讼情况", *T4_HEAD,
    "0 | 0 | 0 | 0 | 0 | — | — | — | — | — | 0 | 0 | 0 | 0 | 0", *TAIL_TEXT])
write("pdf_2019_pipe_rows_dash_markers", {
    "agency": "祁东县教育局", "year": 2019, "format": "2019", "published": "2020-01-15", "sections": SECTIONS6,
    "proactive": p19([None] * 3, [2, 2, 14], [9, 0, 312], [None] * 3, [2, 1, 5], [0, 0, 0], [1, 0],
                     [11, m(251000, "元")]),
    "requests": {"rows": r10, "blank_means_zero": True},
    "review_litigation": review([0] * 5, [None] * 5, [0] * 5), "failing_checks": [],
    "warnings": ["blank cells stored as null"],
}, text=pdf10)

# ------------------------------------------------------------------ labels on own lines, runs of 7, bare 15
r11 = rows("2021", new_received=[45, 3, 0, 0, 2, 1, 51], carried_over=[4, 0, 0, 0, 0, 0, 4],
           granted=[12, 1, 0, 0, 1, 0, 14], partially_granted=[5, 0, 0, 0, 0, 0, 5],
           denied_third_party=[2, 0, 0, 0, 0, 0, 2], denied_process_info=[3, 0, 0, 0, 0, 0, 3],
           unavailable_not_held=[10, 1, 0, 0, 0, 0, 11], unavailable_needs_creation=[2, 0, 0, 0, 0, 0, 2],
           unavailable_unclear=[1, 0, 0, 0, 0, 0, 1], rejected_petition=[4, 0, 0, 0, 0, 0, 4],
           rejected_repeat=[3, 0, 0, 0, 0, 0, 3], rejected_confirmation=[1, 0, 0, 0, 0, 0, 1],
           other_no_correction=[2, 0, 0, 0, 0, 0, 2], other_misc=[1, 0, 0, 0, 1, 0, 2],
           results_total=[46, 2, 0, 0, 2, 0, 50], carried_forward=[3, 1, 0, 0, 0, 1, 5])
runs11 = []
for cells, key in zip(lab("2021"), ROWS21, strict=True):
    runs11 += cells
    runs11.append(" ".join(str(v) for v in r11[key]))
text11 = "\n".join([
    "2022年北京市西城区卫生健康委员会政府信息公开工作年度报告", INTRO, "一、总体情况", "2022年，我委持续深化政务公开。",
    "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
    "规章", "0 0 0", "行政规范性文件", "3 0 17", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "1205",
    "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "96", "行政强制", "2",
    "第二十条第（八）项", "信息内容", "本年收费金额", "（单位：万元）", "行政事业性收费", "1.25",
    "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况", "自然人", "法人或其他组织", "总计", "商业", "企业", "科研", "机构", "社会公益", "组织", "法律服务", "机构",
    "其他", *runs11, "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼",
    "结果维持 结果纠正 其他结果 尚未审结 总计", "未经复议直接起诉", "复议后起诉",
    "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
    "1 0 0 0 1 0 0 0 1 1 0 0 0 0 0", *TAIL_TEXT])
write("text_2021_label_lines_runs_of_7", {
    "agency": "北京市西城区卫生健康委员会", "year": 2022, "format": "2021", "sections": SECTIONS6,
    "proactive": p21([0, 0, 0], [3, 0, 17], 1205, 96, 2, m(1.25, "万元")),
    "requests": {"rows": r11}, "review_litigation": review([1, 0, 0, 0, 1], [0, 0, 0, 1, 1], [0] * 5),
    "failing_checks": [],
}, text=text11)

# ------------------------------------------------------------------ legacy, prose only
text12 = """南京市秦淮区民政局2012年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自2012年1月1日起至2012年12月31日止。
一、概述
2012年，我局认真贯彻落实《条例》，积极推进政府信息公开工作。
二、主动公开政府信息情况
2012年，我局主动公开政府信息380条，其中文件公开30条，工作动态350条。
三、依申请公开政府信息情况
全年共受理政府信息公开申请12件，其中当面申请5件，网上申请7件。同意公开答复9件，同意部分公开答复1件，不予公开2件。
四、政府信息公开的收费及减免情况
我局在政府信息公开工作中未收取任何费用。
五、因政府信息公开申请提起行政复议、行政诉讼的情况
2012年，我局未发生因政府信息公开申请提起的行政复议、行政诉讼。
六、存在的主要问题和改进措施
一是公开内容不够全面；二是更新不够及时。
"""
write("legacy_2012_prose_only", {
    "agency": "南京市秦淮区民政局", "year": 2012, "format": "legacy",
    "sections": [["一", "概述"], ["二", "主动公开政府信息情况"], ["三", "依申请公开政府信息情况"],
                 ["四", "政府信息公开的收费及减免情况"], ["五", "因政府信息公开申请提起行政复议、行政诉讼的情况"],
                 ["六", "存在的主要问题和改进措施"]],
    "proactive": {}, "requests": {}, "review_litigation": {},
    "legacy_figures": {"proactive_items": 380, "requests_received": 12, "requests_granted": 9,
                       "requests_partially": 1, "requests_denied": 2, "fees_yuan": 0, "review_cases": 0,
                       "litigation_cases": 0},
    "failing_checks": [],
}, text=text12)

# ------------------------------------------------------------------ legacy national 附表 as " | " rows
text13 = """揭阳市司法局2016年政府信息公开工作年度报告
一、基本工作情况
2016年，我局认真落实政务公开各项工作要求。
二、主动公开情况
全年主动公开政府信息1208条。
三、依申请公开情况
全年共收到政府信息公开申请35件，均已按时答复。
四、行政复议、行政诉讼和举报投诉情况
全年发生政府信息公开行政复议1件。
五、存在问题及工作打算
进一步规范依申请公开工作。
附件：政府信息公开情况统计表
统计指标 | 单位 | 统计数
一、主动公开情况 | — | —
（一）主动公开政府信息数 | 条 | 1,208
其中：主动公开规范性文件数 | 条 | 6
制发规范性文件总数 | 件 | 6
三、依申请公开情况 | — | —
（一）收到申请数 | 件 | 35
1.当面申请数 | 件 | 10
2.传真申请数 | 件 | 0
3.网络申请数 | 件 | 20
4.信函申请数 | 件 | 5
（二）申请办结数 | 件 | 35
（三）申请答复数 | 件 | 35
1.属于已主动公开范围数 | 件 | 8
2.同意公开答复数 | 件 | 15
3.同意部分公开答复数 | 件 | 2
4.不同意公开答复数 | 件 | 4
5.不属于本行政机关公开数 | 件 | 3
6.申请信息不存在数 | 件 | 2
7.告知作出更改补充数 | 件 | 1
四、行政复议数量 | 件 | 1
五、行政诉讼数量 | 件 | 0
六、举报投诉数量 | 件 | 0
七、依申请公开信息收取的费用 | 万元 | 0
"""
write("legacy_2016_national_appendix_pipes", {
    "agency": "揭阳市司法局", "year": 2016, "format": "legacy",
    "legacy_figures": {"proactive_items": 1208, "normative_documents": 6, "requests_received": 35,
                       "requests_in_person": 10, "requests_fax": 0, "requests_online": 20, "requests_letter": 5,
                       "requests_answered": 35, "requests_granted": 15, "requests_partially": 2, "requests_denied": 4,
                       "requests_not_held": 3, "requests_not_exist": 2, "review_cases": 1, "litigation_cases": 0,
                       "fees_yuan": 0},
    "failing_checks": [],
}, text=text13)


# ------------------------------------------------------------------ misnumbered labels (2021, pipes)
r14 = rows("2021", new_received=[3, 0, 0, 0, 0, 0, 3], granted=[1, 0, 0, 0, 0, 0, 1],
           denied_third_party=[1, 0, 0, 0, 0, 0, 1], other_misc=[1, 0, 0, 0, 0, 0, 1], results_total=[3, 0, 0, 0, 0, 0, 3])
labels14 = [list(x) for x in lab("2021")]
renumber = {"（三）不予公开": "（二）不予公开", "（四）无法提供": "（三）无法提供", "（五）不予处理": "（四）不予处理",
            "（六）其他处理": "（五）其他处理", "（七）总计": "（六）总计", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（一）部分公开"}
labels14 = [[renumber.get(c, c).replace(".", "、") for c in cells] for cells in labels14]
labels14[13][-1] = "3、没有现成信息需要另行制作"  # misnumbered sub-row
text14 = "\n".join([
    "攸县人力资源和社会保障局2021年政府信息公开工作年度报告", INTRO, "一、总体情况", "2021年，我局扎实推进政务公开。",
    "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
    "规章 | 0 | 0 | 0", "行政规范性文件 | 1 | 0 | 4", "第二十条第（五）项", "信息内容 | 本年处理决定数量",
    "行政许可 | 88", "第二十条第（六）项", "信息内容 | 本年处理决定数量", "行政处罚 | 0", "行政强制 | 0",
    "第二十条第（八）项", "信息内容 | 本年收费金额（单位：万元）", "行政事业性收费 | 0",
    "三、收到和处理政府信息公开申请情况", *T3_HEAD, *t3_lines("2021", r14, labels=labels14),
    "四、政府信息公开行政复议、行政诉讼情况", *T4_HEAD, " | ".join(["0"] * 15), *TAIL_TEXT])
write("misnumbered_labels_2021", {
    "agency": "攸县人力资源和社会保障局", "year": 2021, "format": "2021",
    "proactive": p21([0, 0, 0], [1, 0, 4], 88, 0, 0, m(0, "万元")),
    "requests": {"rows": r14}, "review_litigation": review([0] * 5, [0] * 5, [0] * 5), "failing_checks": [],
}, text=text14)

# ------------------------------------------------------------------ local 小计 rows and 小计 column (2019)
# 8 data columns: 自然人, five organisations, 小计, 总计
sub15 = {
    "new_received": [6, 2, 0, 0, 0, 1, 3, 9], "carried_over": [0] * 8, "granted": [2, 1, 0, 0, 0, 0, 1, 3],
    "partially_granted": [1, 0, 0, 0, 0, 0, 0, 1], "denied_state_secret": [1, 0, 0, 0, 0, 0, 0, 1],
    "denied_third_party": [0, 1, 0, 0, 0, 0, 1, 1], "unavailable_not_held": [2, 0, 0, 0, 0, 1, 1, 3],
    "results_total": [6, 2, 0, 0, 0, 1, 3, 9],
}
lines15 = []
for cells, key in zip(lab("2019"), ROWS19, strict=True):
    vals = sub15.get(key, [0] * 8)
    lines15.append(" | ".join(cells + [str(v) for v in vals]))
    if key == "denied_query":
        lines15.append("小计 | 1 | 1 | 0 | 0 | 0 | 0 | 1 | 2")
    if key == "unavailable_unclear":
        lines15.append("小计 | 3 | 0 | 0 | 0 | 0 | 1 | 1 | 4")  # 3 ≠ 2 + 0 + 0: T3-5 fails
    if key == "rejected_confirmation":
        lines15.append("小计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0")
text15 = "\n".join([
    "东莞市住房和城乡建设局2019年政府信息公开工作年度报告", INTRO, "一、总体情况", "2019年，我局认真落实《条例》。",
    "三、收到和处理政府信息公开申请情况", T3_HEAD[0], "自然人 | 法人或其他组织 | 总计",
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 小计", *lines15,
    "四、政府信息公开行政复议、行政诉讼情况", *T4_HEAD, " | ".join(["0"] * 15), *TAIL_TEXT])
r15 = rows("2019", **{k: v[:6] + v[7:] for k, v in sub15.items()})
write("subtotal_rows_and_column_2019", {
    "agency": "东莞市住房和城乡建设局", "year": 2019,
    "requests": {"rows": r15,
                 "subtotal_rows": {"denied": [1, 1, 0, 0, 0, 0, 2], "unavailable": [3, 0, 0, 0, 0, 1, 4],
                                   "rejected": [0] * 7},
                 "subtotal_column": {"new_received": 3, "granted": 1, "denied_third_party": 1,
                                     "unavailable_not_held": 1, "results_total": 3, "carried_forward": 0}},
    "failing_checks": ["T3-5"], "warnings": ["表二 not found"],
}, text=text15)

# ------------------------------------------------------------------ 2021 report on the 2019 table
r16 = rows("2019", new_received=[2, 0, 0, 0, 0, 0, 2], granted=[1, 0, 0, 0, 0, 0, 1], other=[1, 0, 0, 0, 0, 0, 1],
           results_total=[2, 0, 0, 0, 0, 0, 2])
text16 = "\n".join([
    "重庆市武隆区火炉镇人民政府2021年政府信息公开工作年度报告", INTRO, "一、总体情况", "2021年，我镇扎实推进政务公开。",
    "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
    "规章 | 0 | 0 | 0", "规范性文件 | 0 | 0 | 2", "第二十条第（五）项",
    "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量", "行政许可 | 3 | 0 | 41", "其他对外管理服务事项 | 0 | 0 | 0",
    "第二十条第（六）项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量", "行政处罚 | 1 | 0 | 6", "行政强制 | 0 | 0 | 0",
    "第二十条第（八）项", "信息内容 | 上一年项目数量 | 本年增/减", "行政事业性收费 | 0 | 0",
    "第二十条第（九）项", "信息内容 | 采购项目数量 | 采购总金额", "政府集中采购 | 0 | 0",
    "三、收到和处理政府信息公开申请情况", *T3_HEAD, *t3_lines("2019", r16),
    "四、政府信息公开行政复议、行政诉讼情况", *T4_HEAD, " | ".join(["0"] * 15), *TAIL_TEXT])
write("era_mismatch_2021_report_2019_table", {
    "agency": "重庆市武隆区火炉镇人民政府", "year": 2021, "format": "2019",
    "proactive": p19([0, 0, 0], [0, 0, 2], [3, 0, 41], [0, 0, 0], [1, 0, 6], [0, 0, 0], [0, 0], [0, m(0, None)]),
    "requests": {"rows": r16}, "failing_checks": ["X-3"],
    "warnings": ["a 2021 report uses the 2019 table format"],
}, text=text16)

# ------------------------------------------------------------------ half a table (page lost after row 5)
r17 = rows("2021", default=N, new_received=[4, 0, 0, 0, 0, 0, 4], carried_over=[0] * 7, granted=[2, 0, 0, 0, 0, 0, 2],
           partially_granted=[0] * 7, denied_state_secret=[0] * 7)
text17 = "\n".join([
    "汕头市龙湖区教育局2021年政府信息公开工作年度报告", INTRO, "一、总体情况", "2021年，我局推进政务公开。",
    "三、收到和处理政府信息公开申请情况", *T3_HEAD, *t3_lines("2021", r17)[:5]])
write("half_table_2021", {
    "agency": "汕头市龙湖区教育局", "year": 2021, "format": "2021",
    "requests": {"rows": r17}, "review_litigation": {}, "proactive": {}, "failing_checks": [],
    "warnings": ["rows missing", "表四 not found", "表二 not found"],
}, text=text17)

# ------------------------------------------------------------------ garbage numbers
r18 = rows("2019", new_received=[4, None, 0, 0, 0, 0, 4], granted=[3.5, 0, 0, 0, 0, 0, 3.5],
           unavailable_not_held=[1, 0, 0, 0, 0, 0, 1], results_total=[4, 0, 0, 0, 0, 0, 4],
           carried_forward=[-2, 0, 0, 0, 0, 0, -2], rejected_repeat=[0, 0, None, 0, 0, 0, 0])
lines18 = t3_lines("2019", r18)
lines18[0] = "一、本年新收政府信息公开申请数量 | 4 | abc | 0 | 0 | 0 | 0 | 4"
lines18[16] = lines18[16].replace("| 0 | 0 | | 0", "| 0 | 0 | N/A | 0")
text18 = "\n".join([
    "某县水利局2019年政府信息公开工作年度报告", INTRO, "一、总体情况", "2019年，我局推进政务公开。",
    "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
    "规章 | 0 | 0 | 0", "规范性文件 | 2 | x | 5",
    "三、收到和处理政府信息公开申请情况", *T3_HEAD, *lines18,
    "四、政府信息公开行政复议、行政诉讼情况", *T4_HEAD, " | ".join(["0"] * 14 + ["12a"]), *TAIL_TEXT])
write("garbage_numbers_2019", {
    "year": 2019, "format": "2019",
    "proactive": {"art20_1": {"regulations": {"new_made": 0, "new_published": 0, "published_total": 0},
                              "normative_documents": {"new_made": 2, "new_published": None, "published_total": 5}},
                  "art20_5": {"licensing": {"previous_items": None, "change": None, "decisions": None}}},
    "requests": {"rows": r18},
    "review_litigation": review([0] * 5, [0] * 5, [0, 0, 0, 0, None]),
    "failing_checks": ["T3-1", "T3-2", "T3-4"], "warnings": ["unreadable cell 'abc'", "unreadable cell '12a'"],
}, text=text18)

# ------------------------------------------------------------------ a 2020 report whose tables were images
text19 = """茂名市电白区农业农村局2020年政府信息公开工作年度报告
一、总体情况
2020年，我局共收到政府信息公开申请5件，均已按期答复。
二、主动公开政府信息情况
（详见下图）
三、收到和处理政府信息公开申请情况
（详见下图）
四、政府信息公开行政复议、行政诉讼情况
（详见下图）
五、存在的主要问题及改进情况
政策解读的形式有待丰富。
六、其他需要报告的事项
无。
"""
write("no_tables_2020_images", {
    "agency": "茂名市电白区农业农村局", "year": 2020, "format": "legacy", "sections": SECTIONS6,
    "proactive": {}, "requests": {}, "review_litigation": {},
    "legacy_figures": {"requests_received": 5},
    "failing_checks": [], "warnings": ["no standard tables found in a 2020 report"],
}, text=text19)

# ------------------------------------------------------------------ full-width digits, worded signs
r20 = rows("2019", new_received=[12, 1, 0, 0, 0, 0, 13], granted=[9, 1, 0, 0, 0, 0, 10],
           denied_process_info=[1, 0, 0, 0, 0, 0, 1], rejected_repeat=[2, 0, 0, 0, 0, 0, 2],
           results_total=[12, 1, 0, 0, 0, 0, 13])
fw = str.maketrans("0123456789", "０１２３４５６７８９")
text20 = "\n".join([
    "鹤壁市淇滨区市场监督管理局２０１９年政府信息公开工作年度报告", INTRO, "一、总体情况", "２０１９年，我局扎实推进政务公开。",
    "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
    "规章 | ０ | ０ | ０", "规范性文件 | ３ | ３ | ２１", "第二十条第（五）项",
    "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量", "行政许可 | ５６ | ＋４６１ | ２，０４８", "其他对外管理服务事项 | ８ | 减少２ | ９",
    "第二十条第（六）项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量", "行政处罚 | ３１ | 增加３ | ７０", "行政强制 | ５ | －１ | ４",
    "第二十条第（八）项", "信息内容 | 上一年项目数量 | 本年增/减", "行政事业性收费 | ０ | ０",
    "第二十条第（九）项", "信息内容 | 采购项目数量 | 采购总金额（万元）", "政府集中采购 | ２ | １６．４８２",
    "三、收到和处理政府信息公开申请情况", *T3_HEAD, *[line.translate(fw) for line in t3_lines("2019", r20)],
    "四、政府信息公开行政复议、行政诉讼情况", *T4_HEAD, " | ".join(["１", "０", "０", "０", "１"] + ["０"] * 10), *TAIL_TEXT])
write("fullwidth_digits_signs_2019", {
    "agency": "鹤壁市淇滨区市场监督管理局", "year": 2019, "format": "2019",
    "proactive": p19([0, 0, 0], [3, 3, 21], [56, 461, 2048], [8, -2, 9], [31, 3, 70], [5, -1, 4], [0, 0],
                     [2, m(16.482, "万元")]),
    "requests": {"rows": r20}, "review_litigation": review([1, 0, 0, 0, 1], [0] * 5, [0] * 5), "failing_checks": [],
}, text=text20)


# ------------------------------------------------------------------ 2021 grids: 表二 as four small tables, 表三 with a 小计 column
t2_small = [
    [["第二十条第（一）项"] * 4, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "2"],
     ["行政规范性文件", "4", "1", "23"]],
    [["第二十条第（五）项"] * 2, ["信息内容", "本年处理决定数量"], ["行政许可", "3,216"]],
    [["第二十条第（六）项"] * 2, ["信息内容", "本年处理决定数量"], ["行政处罚", "402"], ["行政强制", "17"]],
    [["第二十条第（八）项"] * 2, ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "1,032.5"]],
]
note = render.NOTE
head21 = [[note] * 3 + ["申请人情况"] * 8,
          [note] * 3 + ["自然人"] + ["法人或其他组织"] * 6 + ["总计"],
          [note] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", "总计"]]
v21 = {  # nat, 5 orgs, 小计, 总计
    "new_received": [30, 6, 1, 0, 2, 1, 10, 40], "carried_over": [2, 1, 0, 0, 0, 0, 1, 3],
    "granted": [10, 3, 1, 0, 1, 0, 5, 15], "partially_granted": [4, 1, 0, 0, 0, 0, 1, 5],
    "denied_third_party": [2, 0, 0, 0, 0, 0, 0, 2], "unavailable_not_held": [8, 1, 0, 0, 1, 1, 3, 11],
    "rejected_repeat": [3, 0, 0, 0, 0, 0, 0, 3], "other_no_fee": [1, 0, 0, 0, 0, 0, 0, 1],
    "results_total": [28, 5, 1, 0, 2, 1, 9, 37], "carried_forward": [4, 2, 0, 0, 0, 0, 2, 6],
}
grid21 = [list(r) for r in head21]
for group, label, key in render.t3_rows("2021"):
    vals = [str(v) for v in v21.get(key, [0] * 8)]
    if group is None:
        lab_cells = [label] * 3
    elif group.startswith("（"):
        lab_cells = ["三、本年度办理结果", group, label]
    else:
        lab_cells = ["三、本年度办理结果", label, label]
    grid21.append(lab_cells + vals)
t4_21 = grids_of({"era": "2021", "proactive": p6, "requests": r6,
                  "review": review([3, 1, 0, 0, 4], [0, 1, 0, 1, 2], [1, 0, 0, 0, 1])})[2]
r21 = rows("2021", **{k: v[:6] + v[7:] for k, v in v21.items()})
write("grid_2021_small_tables_subtotal_column", {
    "agency": "深圳市龙岗区人力资源局", "year": 2021, "format": "2021", "published": "2022-01-28",
    "proactive": p21([0, 0, 2], [4, 1, 23], 3216, 402, 17, m(1032.5, "万元")),
    "requests": {"rows": r21, "subtotal_column": {k: v[6] for k, v in v21.items()}},
    "review_litigation": review([3, 1, 0, 0, 4], [0, 1, 0, 1, 2], [1, 0, 0, 0, 1]), "failing_checks": [],
}, doc=docdict("深圳市龙岗区人力资源局2021年政府信息公开工作年度报告",
               "\n".join([INTRO, "一、总体情况", "2021年，我局持续推进政务公开。", "二、主动公开政府信息情况",
                          "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", *TAIL_TEXT]),
               [{"rows": g} for g in t2_small] + [{"rows": grid21}, t4_21], published="2022-01-28",
               site="深圳市龙岗区人民政府"))


# ------------------------------------------------------------------ the 2021 rowspan case as a whole page, through crawler.extract
html_case = ROOT / "html_2021_rowspan_via_extract"
html_case.mkdir(parents=True, exist_ok=True)
(html_case / "input.html").write_text(report_page(t6), encoding="utf-8")
(html_case / "expected.json").write_text(json.dumps({
    "agency": "杭州市西湖区财政局", "year": 2021, "format": "2021", "published": "2022-01-21", "sections": SECTIONS6,
    "proactive": p21([1, 0, 3], [12, 2, 85], 1532, 47, 3, m(12.3, "万元")),
    "requests": {"rows": r6, "blank_means_zero": None}, "review_litigation": v6, "failing_checks": [],
}, ensure_ascii=False, indent=1), encoding="utf-8")
