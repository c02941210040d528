"""Shared pieces of the parse fixture builder: writing cases, expected rows, hand-made inputs."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html

from crawler.extract.tables import html_table_to_grid
from tests.parse import render

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "parse"
# the five real seed texts; fixtures keep their own copies, so this is only needed to rebuild
SEEDS = Path("/work/shared/seeds")


def write(case, expected, text=None, doc=None):
    d = ROOT / case
    d.mkdir(parents=True, exist_ok=True)
    for f in d.iterdir():
        f.unlink()
    if text is not None:
        (d / "input.txt").write_text(text, encoding="utf-8")
    if doc is not None:
        (d / "input.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    (d / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")


Z = [0] * 7
N = [None] * 7
ROWS19 = [k for _, _, k in render.t3_rows("2019")]
ROWS21 = [k for _, _, k in render.t3_rows("2021")]


def rows(era, default=Z, **over):
    keys = ROWS19 if era == "2019" else ROWS21
    out = {k: list(default) for k in keys}
    for k, v in over.items():
        assert k in out, k
        out[k] = v
    return out


def review(a, b, c):
    cols = ["upheld", "corrected", "other", "pending", "total"]
    return {"review": dict(zip(cols, a, strict=True)), "litigation_direct": dict(zip(cols, b, strict=True)),
            "litigation_after_review": dict(zip(cols, c, strict=True))}


def m(value, unit):
    return {"value": value, "unit": unit}


def p19(r1, r2, lic, oth, pen, coe, fee, proc):
    k1 = ["new_made", "new_published", "published_total"]
    k5 = ["previous_items", "change", "decisions"]
    return {"art20_1": {"regulations": dict(zip(k1, r1, strict=True)), "normative_documents": dict(zip(k1, r2, strict=True))},
            "art20_5": {"licensing": dict(zip(k5, lic, strict=True)), "other_services": dict(zip(k5, oth, strict=True))},
            "art20_6": {"penalty": dict(zip(k5, pen, strict=True)), "coercion": dict(zip(k5, coe, strict=True))},
            "art20_8": {"fees": dict(zip(["previous_items", "change"], fee, strict=True))},
            "art20_9": {"procurement": {"projects": proc[0], "amount": proc[1]}}}


def p21(r1, r2, lic, pen, coe, fee):
    k1 = ["issued", "repealed", "in_force"]
    return {"art20_1": {"regulations": dict(zip(k1, r1, strict=True)), "normative_documents": dict(zip(k1, r2, strict=True))},
            "art20_5": {"licensing": {"decisions": lic}},
            "art20_6": {"penalty": {"decisions": pen}, "coercion": {"decisions": coe}},
            "art20_8": {"fees": {"amount": fee}}}


SECTIONS6 = [["一", "总体情况"], ["二", "主动公开政府信息情况"], ["三", "收到和处理政府信息公开申请情况"],
             ["四", "政府信息公开行政复议、行政诉讼情况"], ["五", "存在的主要问题及改进情况"], ["六", "其他需要报告的事项"]]


# ------------------------------------------------------------------ helpers for hand-made inputs
def lab(era):
    """Label cells of each 表三 row, flattened with rowspan labels once (crawler.extract style)."""
    return render._t3_label_cells(era)


def t3_lines(era, data, sep=" | ", labels=None, fmt=str):
    out = []
    for cells, key in zip(labels or lab(era), ROWS19 if era == "2019" else ROWS21, strict=True):
        vals = ["" if v is None else fmt(v) for v in data[key]]
        out.append(sep.join(cells + vals).rstrip(" |"))
    return out


T3_HEAD = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
           "自然人 | 法人或其他组织 | 总计", "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他"]
T4_HEAD = ["行政复议 | 行政诉讼", "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉",
           "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"]
INTRO = "本报告根据《中华人民共和国政府信息公开条例》编制。"
TAIL_TEXT = ["五、存在的主要问题及改进情况", "一是信息更新不够及时；二是解读形式单一。", "六、其他需要报告的事项", "无。"]


def grids_of(tables):
    doc = lxml_html.fromstring(f"<div>{render.html(tables)}</div>")
    return [{"rows": html_table_to_grid(el)} for el in doc.iter("table")]


def docdict(title, text, tables, published=None, agency=None, site=None):
    return {"url": "http://www.example.gov.cn/zfxxgk/nb/t1.html", "title": title, "published": published,
            "agency": agency, "site": {"name": site}, "text": text, "tables": tables, "method": "container"}


def report_page(tables: dict) -> str:
    """The 2021 rowspan case as a whole TRS page, for the case that goes through crawler.extract."""
    parts = render.html(tables).split("</table>")
    heads = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    body = "".join(f"<p>{h}</p>{part}</table>" for h, part in zip(heads, parts, strict=False))
    return ("<html><head><title>杭州市西湖区财政局2021年政府信息公开工作年度报告</title>"
            '<meta name="PubDate" content="2022-01-21 09:00"></head><body><div class="trs_editor_view">'
            "<p>一、总体情况</p><p>2021年，我局扎实推进政务公开。</p>" + body
            + "<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p></div></body></html>")
