"""Report content used to generate attachment fixtures: a 2021-format report with its 表三."""

from __future__ import annotations

from tests.docgen import Block

TITLE = "青岛市崂山区人力资源和社会保障局2021年政府信息公开工作年度报告"

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
TABLE3_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]


def table3_rows() -> list[list[str]]:
    """Header + 25 data rows x 7 number columns (175 numbers, all distinct so a shifted cell shows)."""
    rows = [[TABLE3_NOTE, *TABLE3_COLUMNS]]
    for i, label in enumerate(TABLE3_LABELS):
        numbers = [str(100 + 7 * i + j) for j in range(6)]
        total = str(sum(int(n) for n in numbers))
        rows.append([label, *numbers, total])
    return rows


PARAGRAPHS_BEFORE = [
    "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制。",
    "一、总体情况",
    "2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作，"
    "全年通过区政府门户网站主动公开政府信息311条，及时回应公众关切，政府信息公开工作运行正常。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
]
PARAGRAPHS_AFTER = [
    "四、政府信息公开行政复议、行政诉讼情况",
    "本年度未发生政府信息公开行政复议、行政诉讼案件。",
    "五、存在的主要问题及改进情况",
    "一是公开内容还不够丰富，二是解读形式较为单一。下一步将进一步加大公开力度，提升解读质量。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
]


def report_blocks() -> list[Block]:
    return [*PARAGRAPHS_BEFORE, table3_rows(), *PARAGRAPHS_AFTER]


def long_table_rows(n: int = 90) -> list[list[str]]:
    """A table long enough to cross page breaks in a PDF."""
    return [["序号", "信息名称", "公开时间", "件数"]] + [
        [str(i), f"第{i}批政策文件公开目录", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", str(i * 3)]
        for i in range(1, n + 1)
    ]
