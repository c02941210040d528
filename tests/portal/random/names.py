"""Names a random web draws from: places (with a pinyin host label), departments, column titles.

Places are invented two-character names (none is a real county), so a random web never collides
with today's fixed web and its ground truth cannot be mistaken for a real agency's.
"""

from __future__ import annotations

# (place, pinyin label, province, city-level prefix)
PLACES: list[tuple[str, str, str, str]] = [
    ("青溪", "qingxi", "浙江省", "丽江市"), ("松岭", "songling", "吉林省", "通和市"),
    ("石泉", "shiquan", "陕西省", "安宁市"), ("云阳", "yunyang", "重庆市", ""),
    ("白河", "baihe", "湖北省", "襄平市"), ("临川", "linchuan", "江西省", "抚宁市"),
    ("泽安", "zean", "山东省", "德平市"), ("梅江", "meijiang", "广东省", "梅台市"),
    ("金沙", "jinsha", "贵州省", "遵宁市"), ("双桥", "shuangqiao", "河北省", "承平市"),
    ("柳溪", "liuxi", "广西壮族自治区", "柳平市"), ("东丰", "dongfeng", "辽宁省", "辽川市"),
    ("南屏", "nanping", "福建省", "南安市"), ("平湖", "pinghu", "浙江省", "嘉安市"),
    ("清源", "qingyuan", "山西省", "太平市"), ("宁远", "ningyuan", "湖南省", "永宁市"),
    ("长乐", "changle", "福建省", "福安市"), ("西岭", "xiling", "四川省", "成平市"),
    ("丰宁", "fengning", "河北省", "承安市"), ("安溪", "anxi", "福建省", "泉安市"),
    ("龙泉", "longquan", "四川省", "成安市"), ("高台", "gaotai", "甘肃省", "张平市"),
    ("新源", "xinyuan", "新疆维吾尔自治区", "伊宁市"), ("怀安", "huaian", "河北省", "张安市"),
    ("桃源", "taoyuan", "湖南省", "常安市"), ("荣城", "rongcheng", "山东省", "威平市"),
    ("江华", "jianghua", "湖南省", "永安市"), ("通山", "tongshan", "湖北省", "咸平市"),
    ("沙湾", "shawan", "四川省", "乐平市"), ("凤台", "fengtai", "安徽省", "淮安市"),
    ("海门", "haimen", "江苏省", "南平市"), ("如皋", "rugao", "江苏省", "南安市"),
    ("建湖", "jianhu", "江苏省", "盐平市"), ("惠东", "huidong", "广东省", "惠平市"),
    ("从化", "conghua", "广东省", "广平市"), ("曲江", "qujiang", "广东省", "韶平市"),
    ("武川", "wuchuan", "内蒙古自治区", "呼和市"), ("永昌", "yongchang", "甘肃省", "金平市"),
    ("思南", "sinan", "贵州省", "铜平市"), ("宾川", "binchuan", "云南省", "大平市"),
]

# (department, host label, topic word in reportgen._TOPICS or "")
DEPARTMENTS: list[tuple[str, str]] = [
    ("人力资源和社会保障局", "rsj"), ("教育局", "jyj"), ("财政局", "czj"), ("卫生健康局", "wjj"),
    ("生态环境局", "sthjj"), ("自然资源局", "zrzyj"), ("住房和城乡建设局", "zjj"), ("交通运输局", "jtj"),
    ("农业农村局", "nyncj"), ("市场监督管理局", "scjgj"), ("民政局", "mzj"), ("应急管理局", "yjglj"),
    ("文化和旅游局", "wlj"), ("水利局", "slj"), ("统计局", "tjj"), ("司法局", "sfj"),
]

# What a site calls its 年报 column (report-format.md §7: real portals use all of these).
COLUMN_NAMES = ["政府信息公开年报", "年度报告", "工作年报", "年报专栏", "政府信息公开工作年度报告",
                "信息公开年报", "政务公开年报", "政府信息公开年度报告"]

# Townships and departments whose reports a county portal aggregates (never seeded).
SUB_UNITS = ["镇人民政府", "街道办事处", "发展和改革局", "退役军人事务局", "医疗保障局", "林业局"]
SUB_TOWNS = ["城关", "新华", "河西", "东坝", "黄泥", "石门", "北山", "杨柳"]
