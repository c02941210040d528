"""Report bodies used to build the extract fixture pages (tests/extract/build_fixtures.py).

A body is a list of blocks: a str is a paragraph, a list is a table given as rows of cells, each cell
a str or (text, rowspan, colspan).  The expected clean text and grids are derived from these specs,
never from the extractor.  Paragraph wording follows the five seed reports (real gov.cn texts).
"""

from __future__ import annotations

import random

Cell = str | tuple[str, int, int]

T3_ROWS_2021 = [
    ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                   "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                   "5.要求行政机关确认或重新出具已获取信息"]),
]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]


def _nums(rng: random.Random, total_max: int) -> list[int]:
    vals = [rng.randint(0, total_max) if rng.random() < 0.35 else 0 for _ in range(6)]
    return vals


def _row(vals: list[int]) -> list[str]:
    return [str(v) for v in vals] + [str(sum(vals))]


def table3(seed: int, fmt: str = "2021") -> list[list[Cell]]:
    """表三 with the nested rowspans of §2.3/§3.4 and numbers that satisfy T3-1…T3-3."""
    rng = random.Random(seed)
    outcome_labels: list[tuple[str, list[str]]] = [("（一）予以公开", []),
                                                   ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [])]
    outcome_labels += T3_ROWS_2021
    outcome_labels.append(("（六）其他处理", OTHER_2021 if fmt == "2021" else []))
    outcomes = {}
    for head, subs in outcome_labels:
        for sub in subs or [""]:
            outcomes[(head, sub)] = _nums(rng, 12 if head.startswith("（一）") else 3)
    results = [sum(v[i] for v in outcomes.values()) for i in range(6)]
    carried = [rng.randint(0, 2) for _ in range(6)]
    forward = [rng.randint(0, c + r) if rng.random() < 0.3 else 0 for c, r in zip(carried, results, strict=True)]
    forward = [min(f, r) for f, r in zip(forward, results, strict=True)]
    new = [r + f - c for r, f, c in zip(results, forward, carried, strict=True)]
    new = [max(n, 0) for n in new]
    carried = [r + f - n for r, f, n in zip(results, forward, new, strict=True)]
    rows: list[list[Cell]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 1, 3), *_row(new)],
        [("二、上年结转政府信息公开申请数量", 1, 3), *_row(carried)],
    ]
    span = sum(len(s) or 1 for _, s in outcome_labels) + 1
    first = True
    for head, subs in outcome_labels:
        lead: list[Cell] = [("三、本年度办理结果", span, 1)] if first else []
        first = False
        if not subs:
            rows.append([*lead, (head, 1, 2), *_row(outcomes[(head, "")])])
            continue
        for i, sub in enumerate(subs):
            label: list[Cell] = [(head, len(subs), 1), sub] if i == 0 else [sub]
            rows.append([*(lead if i == 0 else []), *label, *_row(outcomes[(head, sub)])])
    rows.append([("（七）总计", 1, 2), *_row(results)])
    rows.append([("四、结转下年度继续办理", 1, 3), *_row(forward)])
    return rows


def table4(vals: list[int]) -> list[list[Cell]]:
    """表四: 15 columns under a colspan header tree (§2.4)."""
    subs = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(s, 2, 1) for s in subs], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [*subs, *subs],
        [str(v) for v in vals],
    ]


def table4_vals(seed: int) -> list[int]:
    rng = random.Random(seed)
    out = []
    for _ in range(3):
        four = [rng.randint(0, 3) if rng.random() < 0.4 else 0 for _ in range(4)]
        out += four + [sum(four)]
    return out


def table2_2021(seed: int) -> list[list[Cell]]:
    rng = random.Random(seed)
    issued, repealed = rng.randint(0, 6), rng.randint(0, 3)
    return [
        [("第二十条第（一）项", 1, 4)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", str(issued), str(repealed), str(issued + rng.randint(3, 40))],
        [("第二十条第（五）项", 1, 4)],
        ["信息内容", ("本年处理决定数量", 1, 3)],
        ["行政许可", (str(rng.randint(50, 3000)), 1, 3)],
        [("第二十条第（六）项", 1, 4)],
        ["信息内容", ("本年处理决定数量", 1, 3)],
        ["行政处罚", (str(rng.randint(0, 90)), 1, 3)],
        ["行政强制", (str(rng.randint(0, 9)), 1, 3)],
        [("第二十条第（八）项", 1, 4)],
        ["信息内容", ("本年收费金额（单位：万元）", 1, 3)],
        ["行政事业性收费", (f"{rng.randint(0, 900) / 100:.2f}", 1, 3)],
    ]


def table2_2019(seed: int) -> list[list[Cell]]:
    rng = random.Random(seed)
    r = rng.randint
    return [
        [("第二十条第（一）项", 1, 4)],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"],
        ["规范性文件", str(r(0, 5)), str(r(0, 5)), str(r(5, 60))],
        [("第二十条第（五）项", 1, 4)],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", str(r(5, 80)), f"+{r(0, 9)}", str(r(100, 5000))],
        ["其他对外管理服务事项", str(r(0, 30)), f"-{r(1, 3)}", str(r(0, 900))],
        [("第二十条第（六）项", 1, 4)],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", str(r(10, 300)), "0", str(r(0, 60))],
        ["行政强制", str(r(0, 20)), "0", str(r(0, 5))],
        [("第二十条第（八）项", 1, 4)],
        ["信息内容", "上一年项目数量", ("本年增/减", 1, 2)],
        ["行政事业性收费", str(r(0, 5)), ("0", 1, 2)],
        [("第二十条第（九）项", 1, 4)],
        ["信息内容", "采购项目数量", ("采购总金额", 1, 2)],
        ["政府集中采购", str(r(1, 9)), (f"{r(10, 999)}.{r(1000, 9999)}万元", 1, 2)],
    ]


def old_annex(rows: list[tuple[str, str, str]]) -> list[list[Cell]]:
    return [["指标", "单位", "数量"], *[list(r) for r in rows]]


INTRO_2021 = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发"
              "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。报告中所列数据的统计期限自"
              "{y}年1月1日起至{y}年12月31日止。本报告电子版可在{site}下载。如对本报告有疑问，请与{agency}联系（地址：{addr}；电话：{tel}）。")


def report_2021(agency: str, year: int, seed: int, site: str, addr: str, tel: str, extra: list[str] | None = None) -> list:
    y = year
    body: list = [
        INTRO_2021.format(y=y, site=site, agency=agency, addr=addr, tel=tel),
        "一、总体情况",
        f"{y}年，我局按照上级要求，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实有序推进政府信息公开工作。",
        f"（一）主动公开情况。一是主动公开政府信息。{y}年通过政府门户网站部门专栏主动公开政府信息{300 + seed}条，在办公场所显著位置"
        "设置政务信息公开栏、公布办事指南，在电子显示屏发布各类信息。二是主动回应公众关切。畅通电话咨询渠道，公开各科室、局属事业单位"
        f"办公电话，向群众提供电话咨询解答，回应公众关注热点，处理并公开求助、投诉、咨询等共{11 + seed % 7}件。",
        f"（二）依申请公开情况。{y}年，我局共收到政府信息公开申请，均在法定期限内予以答复。",
        "（三）政府信息管理情况。严格信息发布审核，认真落实信息发布“三审三校”机制，遵循“先审查、后公开”的原则，对信息内容和保密"
        "情况进行审查，按照“谁主管、谁负责”原则进行分级审核，层层把关，对涉密信息不予公开。",
        "（四）政府信息公开平台建设情况。依托政府门户网站设立的部门专栏开展政府信息公开工作，及时完成基层政务公开栏目建设，提升网上服务水平。",
        "（五）监督保障情况。完善信息发布保密审查机制、政府信息公开申请和投诉举报受理机制，组织政府信息公开工作人员参加培训"
        f"{1 + seed % 4}次。",
        *(extra or []),
        "二、主动公开政府信息情况",
        table2_2021(seed),
        "三、收到和处理政府信息公开申请情况",
        table3(seed, "2021"),
        "四、政府信息公开行政复议、行政诉讼情况",
        table4(table4_vals(seed)),
        "五、存在的主要问题及改进情况",
        "（一）存在的问题。一是存在信息更新不够及时的情况；二是政策解读质量有待提高，有针对性的释疑解惑需要加强。",
        "（二）改进措施。一是进一步加强组织领导，按照“以公开为常态、不公开为例外”的总体要求，加大政府信息更新力度，确保政府信息公开"
        "的时效性和准确性；二是提高政策解读质量，多采用图片、视频等易懂的形式对政策性文件进行解读。",
        "六、其他需要报告的事项",
        f"本机关严格落实《中华人民共和国政府信息公开条例》和{y}年政务公开工作要点要求，完成政务公开各项工作。本机关未收取信息处理费。",
    ]
    return body


def report_2019(agency: str, year: int, seed: int, site: str, extra: list[str] | None = None) -> list:
    y = year
    return [
        "根据新修订的《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室《关于政府信息公开工作年度报告有关事项的"
        f"通知》（国办公开办函〔2019〕60号）要求，特将{y}年度本部门信息公开工作年度报告向社会公布。",
        "一、总体情况",
        f"{y}年，{agency}按照《中华人民共和国政府信息公开条例》和相关规定，着眼扩大公开范围、完善公开机制、提高监督成效三个方面，"
        "深化政府信息公开规范化建设，进一步加大政务公开力度，让群众享有充分的知情权、参与权和监督权。",
        "（一）主动公布相关政府信息",
        "按照“公开是原则，不公开是例外”要求，规范公开内容，及时解读、回应社会关切以及互动交流情况，方便群众知情。积极编制和公布政府"
        "信息公开目录、政府信息公开指南，制定并公开具体办事流程。公开事项如变更、撤销和终止，及时公布并做出说明。",
        f"年内，通过电子政务系统公开信息{100 + seed}项，其中涉及民生的文件{20 + seed % 9}份、政策解读{6 + seed % 5}份。",
        "（二）依申请公开情况",
        "严格按照《条例》规定的程序和时限办理依申请公开事项，做到件件有回复、事事有着落。",
        *(extra or []),
        "二、主动公开政府信息情况",
        table2_2019(seed),
        "三、收到和处理政府信息公开申请情况",
        table3(seed, "2019"),
        "四、政府信息公开行政复议、行政诉讼情况",
        table4(table4_vals(seed + 1)),
        "五、存在的主要问题及改进情况",
        "一是信息公开工作人员多为兼职，有时信息更新不够及时；二是《条例》及政府网站的宣传尚需进一步深入。",
        "下一步，我们将逐步扩大公开内容，积极规范工作流程，加强与政府信息公开主管部门沟通协调，进一步优化栏目设置，提高信息公开质量。",
        "六、其他需要报告的事项",
        f"报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。报告电子版可在{site}下载。",
    ]


def report_old(agency: str, year: int, seed: int, site: str) -> list:
    rng = random.Random(seed)
    total = rng.randint(20, 80)
    face, fax, mail, web = rng.randint(0, 10), 0, rng.randint(0, 8), rng.randint(0, 20)
    letter = total - face - fax - mail - web
    agree = rng.randint(0, total)
    return [
        "引言",
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，特编制{agency}{year}年政府信息公开年度报告。本年报由概述，"
        "主动公开政府信息情况，依申请公开政府信息情况，咨询处理情况，政府信息公开的收费情况，复议、诉讼和申诉情况，主要问题和改进措施，"
        f"说明和指标统计表等组成。本年报的电子版可在本局门户网站（{site}）下载。",
        "一、概述",
        f"{year}年，我局高度重视信息公开工作，认真按照上级部门的要求，建立组织机构，落实工作措施，积极、有序、稳妥推进政府信息公开的各项"
        "工作。一是依法依规，严按程序做好民生决策事项征询工作。二是多重渠道，全力推进网上政民互动。三是积极梳理、适时公开重点领域政府信息。",
        "二、主动公开政府信息情况",
        f"{year}年，我局主动公开政府信息{1000 + seed * 7}条，其中全文电子化的主动公开信息数{1000 + seed * 7}条，新增的行政规范性文件{seed % 20}件。",
        "三、依申请公开政府信息情况",
        f"{year}年，我局共受理政府信息公开申请{total}件，均已按时答复。",
        "四、政府信息公开的收费情况",
        "本年度依申请提供政府信息，未收取任何费用。",
        "五、复议、诉讼和申诉情况",
        "本年度未发生因政府信息公开申请提起的行政复议、行政诉讼和申诉。",
        "六、主要问题和改进措施",
        "一是进一步加强组织领导，保证专门机构负责、专门人员承办；二是及时更新信息公开目录，扩大信息公开的数量和范围。",
        "七、说明与附表",
        "附表1",
        old_annex([("申请总数", "件", str(total)), ("其中：1、当面申请数", "件", str(face)), ("2、传真申请数", "件", str(fax)),
                   ("3、电子邮件申请数", "件", str(mail)), ("4、网上申请数", "件", str(web)), ("5、信函申请数", "件", str(letter)),
                   ("对申请的答复总数", "件", str(total)), ("其中：1、同意公开答复数", "件", str(agree)),
                   ("2、不予公开答复数", "件", str(total - agree))]),
    ]
