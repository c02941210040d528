"""Generated annual reports: six sections, tables in the year's format, numbers that add up.

Every number comes from the caller's seeded ``random.Random`` so a web is reproducible. Table 三
satisfies T3-1/T3-2/T3-3 and table 四 T4-1..3 (report-format.md §5); the prose quotes the same
figures (TX-1). Old-era reports (≤2018) follow the Art. 32 skeleton and sometimes carry the 2014
national 统计表 as 附表 whose 其中 rows add up (§5.7).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.portal.tables import (
    T2Block,
    Table,
    build_simple,
    build_t2,
    build_t3,
    build_t4,
    t3_row_keys,
)

CN_NUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class Heading:
    text: str


Block = str | Heading | Table


@dataclass
class Doc:
    """A report (or any article) body as blocks, ready for HTML, PDF or DOCX."""

    title: str
    blocks: list[Block]
    fmt: str = "legacy"
    year: int = 0


def fmt_for(year: int) -> str:
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "legacy"


def is_table(block: object) -> bool:
    return isinstance(block, list)


# ------------------------------------------------------------------------------------------ numbers

_OUTCOME_WEIGHTS = {
    "granted": 8, "partially_granted": 2, "denied_state_secret": 0.2, "denied_prohibited_by_law": 0.2,
    "denied_security_stability": 0.2, "denied_third_party": 0.6, "denied_internal_affairs": 0.6,
    "denied_process_info": 0.8, "denied_enforcement_file": 0.3, "denied_query": 0.5,
    "unavailable_not_held": 4, "unavailable_needs_creation": 1, "unavailable_unclear": 0.8,
    "rejected_petition": 1.5, "rejected_repeat": 1, "rejected_publication": 0.3, "rejected_excessive": 0.3,
    "rejected_confirmation": 0.6, "other": 0.8, "other_no_correction": 0.5, "other_no_fee": 0.2,
    "other_misc": 0.5,
}


def gen_t3(rng: random.Random, fmt: str, busy: int = 10, min_total: int = 0,
           carry: list[int] | None = None) -> list[list[int]]:
    """23/25 rows × 7 columns obeying T3-1 (一+二 = 七+四), T3-2 (七 = Σ outcomes), T3-3 (row sums).

    ``carry`` (last year's 四、结转下年度 per applicant column) becomes this year's 二 (X-1).
    """
    keys = t3_row_keys(fmt)
    outcomes = [k for k in keys if k not in ("new_received", "carried_over", "results_total", "carried_forward")]
    grid = {k: [0] * 7 for k in keys}
    scale = (busy, max(1, busy // 5), 0, 1, 1, 1)
    for c in range(6):
        new = rng.randint(0, scale[c]) if scale[c] else (1 if rng.random() < 0.05 else 0)
        if c == 0:
            new = max(new, min_total)
        carried = rng.randint(0, 2) if new and rng.random() < 0.3 else 0
        if carry is not None:
            carried = carry[c]
        total_in = new + carried
        forward = rng.randint(0, min(2, total_in)) if total_in and rng.random() < 0.35 else 0
        done = total_in - forward
        weights = [_OUTCOME_WEIGHTS[k] for k in outcomes]
        for _ in range(done):
            grid[rng.choices(outcomes, weights)[0]][c] += 1
        grid["new_received"][c], grid["carried_over"][c] = new, carried
        grid["results_total"][c], grid["carried_forward"][c] = done, forward
    for k in keys:
        grid[k][6] = sum(grid[k][:6])
    return [grid[k] for k in keys]


def gen_t4(rng: random.Random, busy: int = 2) -> list[int]:
    out: list[int] = []
    for _ in range(3):
        parts = [rng.randint(0, busy) if rng.random() < 0.4 else 0 for _ in range(4)]
        out += [*parts, sum(parts)]
    return out


def gen_t2(rng: random.Random, fmt: str) -> list[T2Block]:
    r = rng.randint
    if fmt == "2021":
        issued, repealed = r(0, 6), r(0, 3)
        return [
            T2Block("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                    [["规章", "0", "0", "0"],
                     ["行政规范性文件", str(issued), str(repealed), str(issued + r(3, 40))]]),
            T2Block("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [["行政许可", str(r(0, 4000))]]),
            T2Block("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
                    [["行政处罚", str(r(0, 120))], ["行政强制", str(r(0, 10))]]),
            T2Block("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"],
                    [["行政事业性收费", f"{r(0, 9000) / 100:.2f}"]]),
        ]
    made = r(0, 8)
    return [
        T2Block("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                [["规章", "0", "0", "0"], ["规范性文件", str(made), str(made), str(made + r(5, 60))]]),
        T2Block("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                [["行政许可", str(r(0, 60)), f"{r(-5, 8):+d}", str(r(0, 3000))],
                 ["其他对外管理服务事项", str(r(0, 40)), f"{r(-3, 5):+d}", str(r(0, 900))]]),
        T2Block("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                [["行政处罚", str(r(0, 90)), "0", str(r(0, 80))], ["行政强制", str(r(0, 10)), "0", str(r(0, 5))]]),
        T2Block("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
                [["行政事业性收费", str(r(0, 6)), "0"]]),
        T2Block("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"],
                [["政府集中采购", str(r(0, 30)), f"{r(0, 9_000_000) / 10000:.4f}万元"]]),
    ]


# ------------------------------------------------------------------------------------------- prose

_TOPICS = {
    "人力资源和社会保障": ["就业创业政策", "社会保险待遇调整", "人才引进与职称评审", "劳动关系与欠薪治理",
                    "职业技能培训补贴", "事业单位公开招聘"],
    "财政": ["部门预决算", "政府采购", "财政资金直达", "政府债务", "惠民惠农补贴"],
    "教育": ["义务教育招生入学", "学生资助", "学校收费", "校外培训治理", "教师招聘"],
    "人民政府": ["重大建设项目", "公共资源配置", "社会公益事业", "乡村振兴", "营商环境"],
    "": ["行政许可", "行政处罚", "政策文件", "公共服务事项", "权责清单"],
}
_OPENERS = [
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{agency}{year}年度政府信息公开工作年度报告。",
    "本报告依据《中华人民共和国政府信息公开条例》第五十条编制，由{agency}负责解释。",
    "按照《中华人民共和国政府信息公开条例》和上级政务公开工作部署，{agency}编制了本年度报告。",
]
_PERIOD = "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
_CONTACT = [
    "报告电子版可在{site}下载。如对本报告有疑问，请与{agency}办公室联系（电话：{phone}）。",
    "如对本报告有任何疑问，请联系{agency}政务公开办公室，联系电话：{phone}。",
]
_EFFORTS = [
    "坚持“以公开为常态、不公开为例外”，围绕{topic}等重点领域及时发布信息",
    "健全信息发布审核机制，严格执行“三审三校”制度，确保{topic}信息准确规范",
    "依托门户网站、政务新媒体和办事窗口等渠道，多形式解读{topic}相关政策",
    "梳理更新政府信息公开目录，规范{topic}类信息的公开时限和公开方式",
    "加强政策解读和回应关切，针对{topic}热点问题开展在线访谈和政策问答",
    "将{topic}信息纳入主动公开基本目录，动态调整公开事项清单",
]
_PROBLEMS = [
    "部分栏目信息更新不够及时", "政策解读形式较为单一", "依申请公开答复的规范化水平有待提高",
    "工作人员业务能力需要进一步提升", "基层政务公开标准化规范化建设仍有差距", "公开内容与群众需求结合不够紧密",
]
_MEASURES = [
    "加强栏目日常巡查维护，落实专人负责", "丰富图解、视频等解读形式，提升解读质量",
    "完善依申请公开办理流程，规范答复文书", "定期组织业务培训，提高队伍素质",
    "对照标准目录查漏补缺，推进基层政务公开", "畅通意见反馈渠道，及时回应社会关切",
]


def _topics(agency: str) -> list[str]:
    for key, topics in _TOPICS.items():
        if key and key in agency:
            return topics
    return _TOPICS[""]


def _pick(rng: random.Random, items: list[str], n: int) -> list[str]:
    return rng.sample(items, min(n, len(items)))


def _ordinals(parts: list[str]) -> str:
    return "；".join(f"{CN_NUM[i]}是{p}" for i, p in enumerate(parts)) + "。"


@dataclass
class GenReport:
    """A generated report's numbers; ``doc(revised=True)`` bumps exactly one table-三 cell."""

    agency: str
    year: int
    title: str
    seed: int
    fmt: str
    t2: list[T2Block] = field(default_factory=list)
    t3: list[list[int]] = field(default_factory=list)
    t4: list[int] = field(default_factory=list)
    blank_zeros: str | None = None  # "" or "—": how this site writes zeros in 表三

    def doc(self, revised: bool = False) -> Doc:
        rng = random.Random(self.seed)  # prose is re-drawn identically for both versions
        t3 = [list(r) for r in self.t3]
        if revised and t3:
            t3[0][6] += 1
        if self.fmt == "legacy":
            return Doc(self.title, _legacy_blocks(rng, self), self.fmt, self.year)
        return Doc(self.title, _modern_blocks(rng, self, t3), self.fmt, self.year)

    def cell_text(self, v: int) -> str:
        if v == 0 and self.blank_zeros is not None:
            return self.blank_zeros
        return str(v)


def make_report(rng: random.Random, agency: str, year: int, *, busy: int = 10, title: str | None = None,
                blank_zeros: str | None = None, min_total: int = 0, carry: list[int] | None = None) -> GenReport:
    fmt = fmt_for(year)
    if title is None:
        title = rng.choice([
            f"{agency}{year}年政府信息公开工作年度报告",
            f"{agency}{year}年政府信息公开工作年度报告",
            f"{agency}{year}年度政府信息公开工作年度报告",
            f"{agency}{year}年政府信息公开年报",
            f"{year}年{agency}政府信息公开工作年度报告",
        ])
    rep = GenReport(agency, year, title, rng.randrange(1 << 30), fmt, blank_zeros=blank_zeros)
    if fmt != "legacy":
        rep.t2 = gen_t2(rng, fmt)
        rep.t3 = gen_t3(rng, fmt, busy, min_total, carry)
        rep.t4 = gen_t4(rng)
    else:
        rep.t3 = gen_t3(rng, "2019", busy, min_total)  # reused for the prose figures
    return rep


def _intro(rng: random.Random, rep: GenReport) -> list[Block]:
    phone = f"0{rng.randint(10, 999)}-{rng.randint(2000000, 8999999)}"
    return [
        rng.choice(_OPENERS).format(agency=rep.agency, year=rep.year)
        + _PERIOD.format(year=rep.year)
        + rng.choice(_CONTACT).format(agency=rep.agency, site="本机关门户网站", phone=phone)
    ]


def _modern_blocks(rng: random.Random, rep: GenReport, t3: list[list[int]]) -> list[Block]:
    topics = _topics(rep.agency)
    keys = t3_row_keys(rep.fmt)
    row = dict(zip(keys, rep.t3, strict=True))  # prose quotes the published figures, never the revision
    new, carried = row["new_received"][6], row["carried_over"][6]
    done, forward = row["results_total"][6], row["carried_forward"][6]
    n_pub = rng.randint(120, 2400)
    blocks: list[Block] = _intro(rng, rep)
    blocks.append(Heading("一、总体情况"))
    efforts = [e.format(topic=t) for e, t in zip(_pick(rng, _EFFORTS, 3), _pick(rng, topics, 3), strict=False)]
    blocks.append(f"{rep.year}年，{rep.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，" + _ordinals(efforts))
    blocks.append(f"（一）主动公开。全年通过门户网站主动公开政府信息{n_pub}条，其中政策文件{rng.randint(3, 60)}件、"
                  f"政策解读{rng.randint(1, 30)}篇，重点公开{rng.choice(topics)}等信息。")
    blocks.append(f"（二）依申请公开。全年共收到政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，"
                  f"结转下年度继续办理{forward}件，均在法定期限内答复。")
    blocks.append("（三）政府信息管理。严格落实公开前保密审查和公开属性源头认定，"
                  + rng.choice(["动态更新政府信息公开目录。", "定期清理已失效的规范性文件。", "规范信息发布流程。"]))
    blocks.append("（四）政府信息公开平台建设。" + rng.choice([
        "持续优化门户网站信息公开专栏，完善栏目设置。", "整合政务新媒体账号，统一发布口径。",
        "推进政府信息公开专栏集约化建设，提升检索功能。"]))
    blocks.append("（五）监督保障。" + rng.choice([
        f"组织政务公开业务培训{rng.randint(1, 6)}次，将政务公开纳入年度绩效考核。",
        "健全政务公开工作责任制，主要负责同志亲自部署，分管负责同志具体抓。",
        "畅通社会监督渠道，全年未发生因政府信息公开引发的责任追究事项。"]))
    blocks.append(Heading("二、主动公开政府信息情况"))
    blocks.append(build_t2(rep.t2))
    blocks.append(Heading("三、收到和处理政府信息公开申请情况"))
    blocks.append(build_t3(rep.fmt, [[rep.cell_text(v) for v in r] for r in t3]))
    blocks.append(Heading("四、政府信息公开行政复议、行政诉讼情况"))
    blocks.append(build_t4([str(v) for v in rep.t4]))
    blocks.append(Heading(rng.choice(["五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"])))
    blocks.append(f"{rep.year}年工作中仍存在一些不足：" + _ordinals(_pick(rng, _PROBLEMS, rng.randint(2, 3))))
    blocks.append("下一步，我们将" + _ordinals(_pick(rng, _MEASURES, rng.randint(2, 3))))
    blocks.append(Heading("六、其他需要报告的事项"))
    if rep.fmt == "2021":
        fee = rng.choice([0, 0, 0, 100, 300])
        blocks.append("依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本机关"
                      + (f"{rep.year}年收取信息处理费{fee}元。" if fee else f"{rep.year}年未收取信息处理费。"))
    else:
        blocks.append(rng.choice(["无。", "本年度无其他需要报告的事项。"]))
    return blocks


def _legacy_blocks(rng: random.Random, rep: GenReport) -> list[Block]:
    topics = _topics(rep.agency)
    n_pub = rng.randint(150, 3000)
    normative = rng.randint(0, 20)
    row = dict(zip(t3_row_keys("2019"), rep.t3, strict=True))
    received = row["new_received"][6]
    granted = row["granted"][6] + row["partially_granted"][6]
    review, litigation = rng.randint(0, 2), rng.randint(0, 1)
    blocks: list[Block] = _intro(rng, rep)
    blocks.append(Heading("一、概述"))
    efforts = [e.format(topic=t) for e, t in zip(_pick(rng, _EFFORTS, 2), _pick(rng, topics, 2), strict=False)]
    blocks.append(f"{rep.year}年，{rep.agency}按照《条例》要求，" + _ordinals(efforts))
    blocks.append(Heading("二、主动公开政府信息情况"))
    blocks.append(f"全年主动公开政府信息{n_pub}条，其中规范性文件{normative}件，全文电子化率达100%。"
                  f"主要通过门户网站、政府公报、新闻发布会及{rng.choice(['政务微博', '政务微信', '公开栏'])}等渠道公开。")
    blocks.append(Heading("三、依申请公开政府信息和不予公开政府信息的情况"))
    blocks.append(f"全年共受理政府信息公开申请{received}件，其中同意公开和部分公开{granted}件，其余均已依法答复。")
    blocks.append(Heading("四、政府信息公开的收费及减免情况"))
    blocks.append("本年度未收取政府信息公开相关费用，无减免情况。")
    blocks.append(Heading("五、因政府信息公开申请行政复议、提起行政诉讼的情况"))
    blocks.append(f"全年发生因政府信息公开申请行政复议{review}件、提起行政诉讼{litigation}件。"
                  if review or litigation else "全年未发生因政府信息公开申请行政复议、提起行政诉讼的情况。")
    blocks.append(Heading("六、政府信息公开工作存在的主要问题和改进措施"))
    blocks.append("存在的问题：" + _ordinals(_pick(rng, _PROBLEMS, 2)))
    blocks.append("改进措施：" + _ordinals(_pick(rng, _MEASURES, 2)))
    blocks.append(Heading("七、其他需要报告的事项"))
    blocks.append("无。")
    if rep.year >= 2014 and rng.random() < 0.6:
        blocks.append(Heading("附表：政府信息公开情况统计表"))
        blocks.append(_legacy_stats(rng, n_pub, normative, received, granted, review, litigation))
    return blocks


def _legacy_stats(rng: random.Random, n_pub: int, normative: int, received: int, granted: int,
                  review: int, litigation: int) -> Table:
    """国办发〔2014〕32号-style 统计表 with its 其中 rows summing to their parents (§5.7)."""
    channels = [0, 0, 0, 0]
    for _ in range(received):
        channels[rng.choices(range(4), [3, 0.3, 5, 1])[0]] += 1
    late = rng.randint(0, min(1, received))
    refused = received - granted
    full, part = max(0, granted - 1 if granted else 0), min(1, granted)
    staff_full = rng.randint(1, 3)
    staff_part = rng.randint(1, 8)
    rows = [
        ["一、主动公开情况", "", ""],
        ["（一）主动公开政府信息数", "条", str(n_pub)],
        ["其中：主动公开规范性文件数", "条", str(normative)],
        ["二、依申请公开情况", "", ""],
        ["（一）收到申请数", "件", str(received)],
        ["1.当面申请数", "件", str(channels[0])],
        ["2.传真申请数", "件", str(channels[1])],
        ["3.网络申请数", "件", str(channels[2])],
        ["4.信函申请数", "件", str(channels[3])],
        ["（二）申请办结数", "件", str(received)],
        ["1.按时办结数", "件", str(received - late)],
        ["2.延期办结数", "件", str(late)],
        ["（三）申请答复数", "件", str(received)],
        ["1.同意公开答复数", "件", str(full)],
        ["2.同意部分公开答复数", "件", str(part)],
        ["3.其他答复数", "件", str(refused)],
        ["三、行政复议数量", "件", str(review)],
        ["四、行政诉讼数量", "件", str(litigation)],
        ["五、依申请公开信息收取的费用", "万元", "0"],
        ["六、从事政府信息公开工作人员数", "人", str(staff_full + staff_part)],
        ["1.专职人员数", "人", str(staff_full)],
        ["2.兼职人员数", "人", str(staff_part)],
    ]
    return build_simple(["统计指标", "单位", "统计数"], rows)
