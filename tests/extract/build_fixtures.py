"""Write tests/fixtures/extract/<case>/ (page + expected.json) from the bodies in corpus.py.

Run: .venv/bin/python -m tests.extract.build_fixtures
The pages wrap each body in the chrome of a real gov CMS family (docs/report-format.md §7–9); the
expected text and grids come from the body spec alone.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.extract import corpus
from tests.extract.templates import E, gkmlpt, hanweb, layout, trs, word_page

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
SEEDS = Path(os.environ.get("NIANBAO_SEEDS", "/work/shared/seeds"))  # the five real seed texts


# ---------------------------------------------------------------- body rendering / expectations
def _cell(c: corpus.Cell) -> tuple[str, int, int]:
    return (c, 1, 1) if isinstance(c, str) else c


def render_table(rows: list, word: bool = False) -> str:
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">'
           if word else '<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>']
    for row in rows:
        out.append("<tr>")
        for c in row:
            text, rs, cs = _cell(c)
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            if word:
                inner = (f"<p class=MsoNormal align=center style='text-align:center'><span style='font-size:10.0pt;"
                         f"font-family:宋体'>{E(text)}</span><span lang=EN-US><o:p></o:p></span></p>")
                out.append(f"<td width=60{attrs} valign=center style='border:solid windowtext 1.0pt'>{inner}</td>")
            else:
                # header cells are often line-broken in real pages ("本年新<br>制作数量")
                shown = E(text)
                if len(text) in range(6, 8) and text.endswith("数量"):
                    shown = E(text[:-4]) + "<br/>" + E(text[-4:])
                out.append(f'<td{attrs} style="text-align:center">{shown}</td>')
        out.append("</tr>")
    out.append("</table>" if word else "</tbody></table>")
    return "\n".join(out)


def render_body(blocks: list, word: bool = False) -> str:
    out = []
    for b in blocks:
        if isinstance(b, list):
            out.append(render_table(b, word))
        elif word:
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;"
                       f"font-family:仿宋_GB2312'>{E(b)}</span><span lang=EN-US style='font-size:16.0pt'><o:p></o:p></span></p>")
        elif b.startswith(("一、", "二、", "三、", "四、", "五、", "六、", "七、")) and len(b) < 40:
            out.append(f'<p style="text-indent:2em"><strong>{E(b)}</strong></p>')
        else:
            out.append(f'<p style="text-indent:2em">{E(b)}</p>')
    return "\n".join(out)


def render_br(blocks: list) -> str:
    """Old-editor style: one <div>, paragraphs split by <br>, &nbsp; indents, words split by <span>/<font>."""
    out = ['<div style="line-height:200%">']
    for b in blocks:
        if isinstance(b, list):
            out.append(render_table(b))
            continue
        mid = len(b) // 2
        text = (f'<span style="font-family:仿宋">{E(b[:mid])}</span><font face="仿宋_GB2312">{E(b[mid:mid + 3])}</font>'
                f"{E(b[mid + 3:])}")
        out.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{text}<br/>")
    out.append("</div>")
    return "\n".join(out)


def expected_text(blocks: list) -> str:
    lines = []
    for b in blocks:
        if isinstance(b, list):
            lines += [" | ".join(_cell(c)[0] for c in row) for row in b]
        else:
            lines.append(b)
    return "\n".join(lines)


def expected_grid(rows: list) -> list[list[str]]:
    slots: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            text, rs, cs = _cell(cell)
            while (r, c) in slots:
                c += 1
            for i in range(rs):
                for j in range(cs):
                    slots[(r + i, c + j)] = text
            c += cs
    width = max(c for _, c in slots) + 1
    return [[slots.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def expected_grids(blocks: list) -> list:
    return [expected_grid(b) for b in blocks if isinstance(b, list)]


# ---------------------------------------------------------------- cases
def ctx_for(agency: str, title: str, date: str, site_name: str, site_id: str, icp: str, police_no: str, domain: str, url: str,
            prov: str = "渝") -> dict:
    return {"agency": agency, "title": title, "date": date, "site_name": site_name, "site_id": site_id, "icp": icp,
            "police_no": police_no, "police": f"{prov}公网安备 {police_no}号", "domain": domain, "url": url,
            "address": "人民路1号", "tel": "0000-12345678"}


def write_case(name: str, page: str | bytes, blocks: list, ctx: dict, *, ext: str = "html", encoding: str = "utf-8",
               exact: bool = True, spam: bool = False, must_not: list[str] | None = None, method: str | None = "container",
               title: str | None = None, agency: str | None | bool = True, published: str | None | bool = True,
               site: dict | None = None, warnings: bool = False, content_type: str | None = None,
               body_text: str | None = None, tables: list | int | None = None) -> None:
    folder = ROOT / name
    folder.mkdir(parents=True, exist_ok=True)
    data = page.encode(encoding) if isinstance(page, str) else page
    (folder / f"input.{ext}").write_bytes(data)
    expected = {
        "url": ctx["url"],
        "title": ctx["title"] if title is None else title,
        "body": expected_text(blocks) if body_text is None else body_text,
        "tables": expected_grids(blocks) if tables is None else tables,
        "must_not_contain": (must_not or []) + ([ctx["icp"], ctx["site_id"], "版权所有", "公网安备"] if ctx.get("icp") else []),
        "spam_detected": spam,
        "exact": exact,
    }
    if method:
        expected["method"] = method
    if agency is not False:
        expected["agency"] = ctx["agency"] if agency is True else agency
    if published is not False:
        expected["published"] = ctx["date"] if published is True else published
    if site:
        expected["site"] = site
    if warnings:
        expected["warnings"] = True
    if content_type:
        expected["content_type"] = content_type
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


FALSE_POSITIVE_EXTRA = [
    "（六）其他工作情况。全年主动公开成人教育招生、成人高考报名等信息35条；配合金沙县、银河路街道开展基层政务公开标准化规范化建设；"
    "组织政务公开知识竞猜活动1次，参与群众200余人；公开亚洲开发银行贷款项目进展情况4条；坚持久久为功，持续抓好政务公开工作。",
    "皇冠社区便民服务站、快三年未更新的办事指南已全部完成清理，欧美同学会等社会组织登记信息按规定公开。",
]


def build() -> None:
    ROOT.mkdir(parents=True, exist_ok=True)
    for case in ROOT.iterdir():
        if case.is_dir():
            shutil.rmtree(case)
    cq = dict(site_name="重庆市武隆区人民政府", site_id="5002320015", icp="渝ICP备11006838号-1", police_no="50023202000180",
              domain="www.cqwl.gov.cn")

    # --- TRS family -------------------------------------------------------------------------------
    ag = "重庆市武隆区人力资源和社会保障局"
    b = corpus.report_2021(ag, 2021, 3, "区政府门户网站", "武隆区芙蓉中路52号", "023-77722341")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-20", **cq,
                url="http://www.cqwl.gov.cn/bm/qrlsbj/zwgk_65254/fdzdgknr/zfxxgknb/202201/t20220120_10323454.html")
    write_case("trs_2021_wulong", trs(c, render_body(b)), b, c,
               site={"name": "重庆市武隆区人民政府", "id_code": "5002320015", "icp": "渝ICP备11006838号-1", "police": "50023202000180"})

    ag = "青岛市崂山区人力资源和社会保障局"
    b = corpus.report_2019(ag, 2019, 11, "崂山政务网（www.laoshan.gov.cn）")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-31", site_name="青岛市崂山区人民政府", site_id="3702120001",
                icp="鲁ICP备05002355号", police_no="37021202000123", domain="www.laoshan.gov.cn", prov="鲁",
                url="http://www.laoshan.gov.cn/n206250/n2919/n3054/200131/t20200131_2455671.shtml")
    write_case("trs_2019_laoshan", trs(c, render_body(b), '<div class="TRS_Editor">', "</div>"), b, c)

    ag = "衡阳市人力资源和社会保障局"
    b = corpus.report_2019(ag, 2019, 23, "衡阳市人民政府门户网站")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-20", site_name="衡阳市人民政府", site_id="4304000001",
                icp="湘ICP备05004623号", police_no="43040702000101", domain="www.hengyang.gov.cn", prov="湘",
                url="http://www.hengyang.gov.cn/xxgk/bmxxgk/rsj/zfxxgknb/20200120/i1893222.html")
    write_case("trs_zoom_hengyang", trs(c, render_body(b), '<div id="zoom" class="content_main">', "</div>"), b, c)

    ag = "昆明市财政局"
    b = corpus.report_2021(ag, 2022, 31, "昆明市人民政府门户网站", "昆明市呈贡区锦绣大街1号", "0871-63111111")
    c = ctx_for(ag, f"{ag}2022年政府信息公开工作年度报告", "2023-01-18", site_name="昆明市财政局", site_id="5301000031",
                icp="滇ICP备05001234号", police_no="53011402000045", domain="czj.km.gov.cn", prov="滇",
                url="http://czj.km.gov.cn/zfxxgk/zfxxgknb/202301/t20230118_1102931.html")
    c["icp"] = "滇ICP备05001234号"
    write_case("trs_2022_kunming", trs(c, render_body(b)), b, c, must_not=["上一篇", "相关链接", "当前位置"])

    # --- Hanweb family ----------------------------------------------------------------------------
    ag = "定西市财政局"
    b = corpus.report_2021(ag, 2021, 5, "定西市人民政府网站", "定西市安定区永定西路", "0932-8212345")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-26", site_name="定西市人民政府", site_id="6211000001",
                icp="陇ICP备05000218号", police_no="62110202000102", domain="www.dingxi.gov.cn", prov="甘",
                url="http://www.dingxi.gov.cn/art/2022/1/26/art_9384_1447823.html")
    c["icp"] = "甘ICP备05000218号"
    write_case("hanweb_2021_dingxi", hanweb(c, render_body(b)), b, c, must_not=["大汉版通", "Produced By"])

    ag = "杭州市钱塘区市场监督管理局"
    b = corpus.report_2019(ag, 2020, 41, "钱塘区政府门户网站")
    c = ctx_for(ag, f"{ag}2020年政府信息公开工作年度报告", "2021-01-28", site_name="杭州市钱塘区人民政府", site_id="3301140001",
                icp="浙ICP备12034567号-2", police_no="33011402000210", domain="www.qiantang.gov.cn", prov="浙",
                url="http://www.qiantang.gov.cn/art/2021/1/28/art_1229172143_3840711.html")
    write_case("hanweb_2020_qiantang", hanweb(c, render_body(b)), b, c)

    ag = "丽水市生态环境局"
    b = corpus.report_old(ag, 2017, 17, "http://sthjj.lishui.gov.cn/")
    c = ctx_for(ag, f"{ag}2017年政府信息公开工作年度报告", "2018-03-15", site_name="丽水市人民政府", site_id="3311000001",
                icp="浙ICP备05018777号", police_no="33110202000301", domain="www.lishui.gov.cn", prov="浙",
                url="http://www.lishui.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2017&area=113311000025")
    write_case("hanweb_xxgk_lishui", hanweb(c, render_body(b), '<div class="bt_content_inner">', "</div>"), b, c,
               method="container")

    # --- gkmlpt -----------------------------------------------------------------------------------
    ag = "深圳市龙岗区人力资源局"
    b = corpus.report_2021(ag, 2021, 7, "龙岗政府在线", "深圳市龙岗区龙城街道中心城清林路", "0755-28949012")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-25", site_name="深圳市龙岗区人民政府", site_id="4403070001",
                icp="粤ICP备06040981号", police_no="44030702000210", domain="www.lg.gov.cn", prov="粤",
                url="http://www.lg.gov.cn/xxgk/xxgknb/qzfgzbm/content/post_9519522.html")
    write_case("gkmlpt_2021_longgang", gkmlpt(c, render_body(b)), b, c)

    ag = "佛山市南海区财政局"
    b = corpus.report_2019(ag, 2019, 53, "南海区政府网站")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-21", site_name="佛山市南海区人民政府", site_id="4406050001",
                icp="粤ICP备05083445号", police_no="44060502000021", domain="www.nanhai.gov.cn", prov="粤",
                url="http://www.nanhai.gov.cn/gkmlpt/content/2/2148/post_2148223.html")
    write_case("gkmlpt_2019_nanhai", gkmlpt(c, render_body(b)), b, c)

    # --- other containers -------------------------------------------------------------------------
    ag = "宿迁市住房和城乡建设局"
    b = corpus.report_2021(ag, 2021, 61, "宿迁市人民政府门户网站", "宿迁市宿城区洪泽湖路", "0527-84368000")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-27", site_name="宿迁市人民政府", site_id="3213000021",
                icp="苏ICP备05014234号", police_no="32130202010021", domain="www.suqian.gov.cn", prov="苏",
                url="http://www.suqian.gov.cn/zfb/gknb/202201/6b4f5c8e2a6d4f3a9c1e7d8b0a2f4e61.shtml")
    write_case("ucap_2021_suqian", trs(c, render_body(b), '<div id="UCAP-CONTENT">', "</div>"), b, c)

    ag = "安徽省财政厅"
    b = corpus.report_2019(ag, 2020, 71, "安徽省财政厅网站")
    c = ctx_for(ag, f"{ag}2020年政府信息公开工作年度报告", "2021-01-29", site_name="安徽省财政厅", site_id="3400000010",
                icp="皖ICP备05000712号", police_no="34010402000567", domain="czt.ah.gov.cn", prov="皖",
                url="http://czt.ah.gov.cn/public/7041/120571891.html")
    write_case("ivs_2020_anhui", trs(c, render_body(b), '<div id="ivs_content" class="j-fontContent">', "</div>"), b, c)

    ag = "南京市秦淮区人民政府办公室"
    b = corpus.report_2021(ag, 2022, 83, "秦淮区人民政府网站", "南京市秦淮区中山南路", "025-52210000")
    c = ctx_for(ag, f"{ag}2022年政府信息公开工作年度报告", "2023-01-30", site_name="南京市秦淮区人民政府", site_id="3201040001",
                icp="苏ICP备05004567号", police_no="32010402000123", domain="www.njqh.gov.cn", prov="苏",
                url="http://www.njqh.gov.cn/qhqrmzf/202301/t20230130_3823331.html")
    write_case("article_content_2022_qinhuai", trs(c, render_body(b), '<div class="article-content">', "</div>"), b, c)

    ag = "广州市人力资源和社会保障局"
    b = corpus.report_old(ag, 2013, 91, "http://www.hrssgz.gov.cn/")
    c = ctx_for(ag, f"2013年{ag}政府信息公开年度报告", "2014-03-11", site_name="广州市人民政府", site_id="4401000001",
                icp="粤ICP备05020111号", police_no="44010402000101", domain="www.gz.gov.cn", prov="粤",
                url="http://www.gz.gov.cn/zfjg/gzsrlzyhshbzj/zfxxgkndbg/content/post_2455661.html")
    write_case("webeditorview_2013_guangzhou", trs(c, render_body(b), '<div id="webeditorview">', "</div>"), b, c)

    ag = "延安市教育局"
    b = corpus.report_2019(ag, 2019, 97, "延安市教育局网站", extra=FALSE_POSITIVE_EXTRA[:1])
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-16", site_name="延安市教育局", site_id="6106000022",
                icp="陕ICP备05001789号", police_no="61060202000333", domain="jyj.yanan.gov.cn", prov="陕",
                url="http://jyj.yanan.gov.cn/zfxxgk/zfxxgknb/1.html")
    write_case("xl_main_2019_yanan_falsepos", trs(c, render_body(b), '<div class="xl_main">', "</div>"), b, c)

    # --- old layout-table pages (no container: anchored on headings) ------------------------------
    ag = "莆田市城厢区人民政府"
    b = corpus.report_old(ag, 2010, 101, "http://www.cx.gov.cn/")
    c = ctx_for(ag, f"{ag}2010年政府信息公开工作年度报告", "2011-03-28", site_name="莆田市城厢区人民政府", site_id="3503020001",
                icp="闽ICP备05008888号", police_no="35030202000012", domain="www.cx.gov.cn", prov="闽",
                url="http://www.cx.gov.cn/xxgk/ndbg/201103/t20110328_1.htm")
    write_case("layout_2010_chengxiang", layout(c, render_body(b)), b, c, method="headings")

    ag = "吉林省人力资源和社会保障厅"
    body_001 = (SEEDS / "001_7ae1a3b9ba21f35c.txt").read_text(encoding="utf-8")
    # whitespace between two Chinese characters is layout, not text
    paras = [_cjk_join(" ".join(ln.replace("bet0365", ag).split())) for ln in body_001.splitlines()[6:-2] if ln.strip()]
    b = paras
    c = ctx_for(ag, f"{ag}2017年政府信息公开工作年度报告", "2018-03-19", site_name="吉林省人力资源和社会保障厅", site_id="2200000008",
                icp="吉ICP备05002093号", police_no="22010202000111", domain="hrss.jl.gov.cn", prov="吉",
                url="http://122.137.242.24:8080/pub/jlsrlzyhshbzt/zwgk/ndbg/201803/t20180319_257176.html")
    write_case("layout_2017_jilin", layout(c, render_body(b)), b, c, method="headings")

    ag = "唐村镇人民政府"
    b = corpus.report_2019(ag, 2019, 113, "邹城市人民政府网站")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-03-20", site_name="邹城市人民政府", site_id="3708830001",
                icp="鲁ICP备05017822号", police_no="37088302000101", domain="www.zoucheng.gov.cn", prov="鲁",
                url="http://www.zoucheng.gov.cn/zwgk/xxgknb/202003/t20200320_1.html")
    write_case("layout_2019_tangcun", layout(c, render_body(b)), b, c, method="headings")

    # --- GBK pages ----------------------------------------------------------------------------------
    ag = "邯郸市发展和改革委员会"
    b = corpus.report_2019(ag, 2019, 121, "邯郸市人民政府网站")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-22", site_name="邯郸市人民政府", site_id="1304000009",
                icp="冀ICP备05003201号", police_no="13040202000123", domain="www.hd.gov.cn", prov="冀",
                url="http://hdzfxxgk.hd.gov.cn/zfxxgknb/202001/t20200122_1.html")
    page = trs(c, render_body(b)).replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    write_case("gbk_trs_2019_handan", page, b, c, encoding="gb18030")

    ag = "上饶市信州区朱镕基路街道办事处"  # 镕 is outside GB2312: the page only decodes right as GB18030
    b = corpus.report_2021(ag, 2021, 131, "信州区人民政府网站", "上饶市信州区滨江西路", "0793-8221234")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-28", site_name="上饶市信州区人民政府", site_id="3611020001",
                icp="赣ICP备10005259号", police_no="36110202000150", domain="www.zgxz.gov.cn", prov="赣",
                url="http://www.zgxz.gov.cn/art/2022/1/28/art_3001_1.html")
    page = hanweb(c, render_body(b)).replace("charset=utf-8", "charset=gbk")
    write_case("gbk_hanweb_2021_xinzhou", page, b, c, encoding="gb18030")

    ag = "赣州市章贡区教育体育局"
    b = corpus.report_2021(ag, 2022, 137, "章贡区人民政府网站", "赣州市章贡区红旗大道", "0797-8123456")
    c = ctx_for(ag, f"{ag}2022年政府信息公开工作年度报告", "2023-01-30", site_name="赣州市章贡区人民政府", site_id="3607020001",
                icp="赣ICP备10002233号", police_no="36070202000111", domain="www.zgq.gov.cn", prov="赣",
                url="http://www.zgq.gov.cn/zgqxxgk/c100426/202301/6f1d2b7c.shtml")
    page = trs(c, render_body(b))  # declares utf-8 but the site's template writes GBK bytes
    write_case("gbk_wrong_declared_zhanggong", page, b, c, encoding="gb18030", warnings=True)

    # --- Word-export HTML ---------------------------------------------------------------------------
    ag = "孝感市孝南区司法局"
    b = corpus.report_2021(ag, 2021, 143, "孝南区人民政府网站", "孝感市孝南区槐荫大道", "0712-2345678")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-21", site_name="孝感市孝南区人民政府", site_id="4209020001",
                icp="鄂ICP备05012345号", police_no="42090202000101", domain="www.xiaonan.gov.cn", prov="鄂",
                url="http://www.xiaonan.gov.cn/xxgk/xxgkml/zfxxgknb/202201/P020220121.htm")
    wb = [c["title"], *b]
    write_case("word_export_2021_xiaonan", word_page(c, render_body(b, word=True)), wb, c, agency=None,
               published=None)
    ag = "长治市潞州区卫生健康局"
    b = corpus.report_2019(ag, 2019, 151, "潞州区人民政府网站")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-31", site_name="长治市潞州区人民政府", site_id="1404030001",
                icp="晋ICP备05012399号", police_no="14040302000199", domain="www.luzhou.gov.cn", prov="晋",
                url="http://www.luzhou.gov.cn/zfxxgk/zfxxgknb/202001/t20200131_1.html")
    inner = f'<div class=Section1 style="layout-grid:15.6pt">{render_body(b, word=True)}</div>'
    write_case("word_section1_2019_luzhou", trs(c, inner, '<div class="content-inner">', "</div>"), b, c)
    ag = "西安市碑林区人民政府办公室"
    b = corpus.report_2021(ag, 2023, 157, "碑林区人民政府网站", "西安市碑林区南关正街", "029-87654321")
    c = ctx_for(ag, f"{ag}2023年政府信息公开工作年度报告", "2024-01-19", site_name="西安市碑林区人民政府", site_id="6101030001",
                icp="陕ICP备05002233号", police_no="61010302000101", domain="www.beilin.gov.cn", prov="陕",
                url="http://www.beilin.gov.cn/xxgk/zfxxgknb/202401/t20240119_1.html")
    write_case("trs_br_spans_2023_beilin", trs(c, render_br(b)), b, c)
    # container that wraps the heading, byline, tools and footer-of-article chrome too
    ag = "孝感市应城市人民政府办公室"
    b = corpus.report_2019(ag, 2020, 163, "应城市人民政府网站")
    c = ctx_for(ag, f"{ag}2020年政府信息公开工作年度报告", "2021-01-29", site_name="应城市人民政府", site_id="4209810001",
                icp="鄂ICP备05009871号", police_no="42098102000101", domain="www.yingcheng.gov.cn", prov="鄂",
                url="http://www.yingcheng.gov.cn/xxgk/zfxxgknb/202101/t20210129_1.shtml")
    inner = (f'<h1>{E(c["title"])}</h1><div class="xl_info"><span>发布时间：{c["date"]} 10:12</span> '
             f'<span>来源：{ag}</span> <span>阅读次数：<em id="hits">0</em></span></div>'
             '<div class="xl_tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 【打印】 【关闭】</div>'
             f'<div class="xl_con">{render_body(b)}</div>'
             '<div class="xl_edit">（责任编辑：刘敏）</div><div class="xl_ewm">扫一扫在手机打开当前页</div>')
    write_case("xl_main_inline_chrome_2020_yingcheng", trs(c, inner, '<div class="xl_main">', "</div>"), [c["title"], *b], c)
    build_defaced(cq)
    build_seeds()


def build_defaced(cq: dict) -> None:
    # brand written over the agency name (report-format.md §9.2 item 4)
    ag = "泰州市人民政府办公室"
    b = corpus.report_2021(ag, 2024, 163, "泰州市政府门户网站", "泰州市海陵区东风南路", "0523-86839123")
    c = ctx_for(ag, f"{ag}2024年政府信息公开工作年度报告", "2025-01-24", site_name="泰州市人民政府", site_id="3212000001",
                icp="苏ICP备05001788号", police_no="32120202000101", domain="www.taizhou.gov.cn", prov="苏",
                url="http://www.taizhou.gov.cn/zwgk/zfxxgkndbg/202501/t20250124_1.html")
    defaced = dict(c, title="365bet(中国)官方网站 2024年政府信息公开工作年度报告")
    body_html = render_body(b).replace(ag, "365bet(中国)官方网站", 1)
    expected_b = [b[0].replace(ag, "", 1), *b[1:]]
    write_case("defaced_brand_taizhou", trs(defaced, body_html), expected_b, c, spam=True,
               title="2024年政府信息公开工作年度报告", must_not=["365bet", "官方网站"])

    # hidden links (display:none, off-screen, zero font, a hiding class)
    ag = "雄县人民政府办公室"
    b = corpus.report_2019(ag, 2019, 171, "雄县人民政府网站")
    c = ctx_for(ag, f"{ag}2019年政府信息公开工作年度报告", "2020-01-19", site_name="雄县人民政府", site_id="1306380001",
                icp="冀ICP备05009900号", police_no="13063802000101", domain="www.xiongxian.gov.cn", prov="冀",
                url="http://www.xiongxian.gov.cn/zfxxgk/zfxxgknb/202001/t20200119_1.html")
    hidden = ('<div style="display:none"><a href="http://www.hg8868.com/">皇冠体育</a><a href="http://www.am-pj.com/">澳门葡京</a></div>'
              '<p style="position:absolute;left:-9999px"><a href="http://bet365.example.net/">bet365体育投注</a></p>'
              '<span class="lk"><a href="http://www.ssc188.cc/">时时彩计划网址</a></span>'
              '<font style="font-size:0px"><a href="http://www.dafa888.cc/">大发快三</a></font>')
    body_html = render_body(b).replace('<p style="text-indent:2em">（一）', hidden + '<p style="text-indent:2em">（一）', 1)
    page = trs(c, body_html).replace("</head>", "<style>.lk{display:none}</style></head>")
    write_case("defaced_hidden_links_xiongxian", page, b, c, spam=True,
               must_not=["皇冠体育", "澳门葡京", "bet365", "时时彩", "大发快三"])

    # title-prefix injection
    ag = "安康市统计局"
    b = corpus.report_2021(ag, 2021, 181, "安康市人民政府网站", "安康市汉滨区兴安中路", "0915-3212345")
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-25", site_name="安康市人民政府", site_id="6109000001",
                icp="陕ICP备05003456号", police_no="61090202000101", domain="www.ankang.gov.cn", prov="陕",
                url="http://www.ankang.gov.cn/Content-2027931.html")
    spam_title = "亚洲国产成人精品久久_韩日欧美一区二区_全天1分快3计划图_" + c["title"]
    page = trs(dict(c, title=spam_title), render_body(b)).replace(
        f'<meta name="ArticleTitle" content="{E(spam_title)}">', f'<meta name="ArticleTitle" content="{E(spam_title)}">')
    write_case("defaced_title_prefix_ankang", page, b, c, spam=True, must_not=["国产", "一区", "快3"])

    # spam banner: a fixed div and a marquee linking off the gov web, inserted at the top of <body>
    ag = "岳阳市岳阳楼区人民政府"
    b = corpus.report_2019(ag, 2020, 191, "岳阳楼区人民政府网站")
    c = ctx_for(ag, f"{ag}2020年政府信息公开工作年度报告", "2021-03-26", site_name="岳阳市岳阳楼区人民政府", site_id="4306020001",
                icp="湘ICP备05002112号", police_no="43060202000101", domain="www.yylq.gov.cn", prov="湘",
                url="http://www.yylq.gov.cn/26022/26023/26041/content_1814001.html")
    banner = ('<div style="position:fixed;top:0;left:0;width:100%;z-index:9999;background:#c00">'
              '<a href="https://www.kaiyun-ty.com/?i=77"><img src="https://img.kaiyun-ty.com/b1.gif" alt="开云体育官网"></a>'
              '<a href="https://www.v88ty.com/">威尼斯人娱乐 注册送88元</a></div>'
              '<marquee scrollamount="3"><a href="http://www.bjsc-pk10.cc/">北京赛车PK10 彩票计划 稳赚不赔</a></marquee>')
    page = trs(c, render_body(b)).replace("<body>", "<body>" + banner, 1)
    write_case("defaced_banner_yueyang", page, b, c, spam=True, must_not=["开云", "威尼斯人", "北京赛车", "PK10", "彩票计划"])

    # keyword replacement of a common word and of an office name
    ag = "长沙市人民政府办公厅"
    b = corpus.report_2021(ag, 2021, 199, "长沙市人民政府门户网站", "长沙市岳麓区岳麓大道218号", "0731-88665123",
                           extra=["（六）政策落实情况。认真贯彻《国务院办公厅关于进一步做好政务公开工作的意见》，市政府办公室牵头抓好落实。"])
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-28", site_name="长沙市人民政府", site_id="4301000001",
                icp="湘ICP备05001121号", police_no="43010402000101", domain="www.changsha.gov.cn", prov="湘",
                url="http://www.changsha.gov.cn/szf/zfxxgk/zfxxgknb/202201/t20220128_1.html")
    body_html = render_body(b).replace("《国务院办公厅关于", "《国务院办公厅比分直播,篮球比分直播").replace("市政府办公室牵头", "大发彩票办公室牵头")
    exp = [x if isinstance(x, list) else x.replace("《国务院办公厅关于", "《国务院办公厅").replace("市政府办公室牵头", "办公室牵头")
           for x in b]
    write_case("defaced_keyword_changsha", trs(c, body_html), exp, c, spam=True, must_not=["比分直播", "大发彩票"])

    # Traditional script with pinyin annotations on a Simplified site (a spun mirror copy)
    ag = "湖里区人民政府"
    spun = [
        "根據《中華人民共和國政府信息公開條例》要求，現發佈湖里區人民政府2018年政府信息公開工作年度報告。",
        "一、概述",
        "2018年，我區認真貫徹落實《條例》和上級關於政務公開工作的部署，進一步完善政府信息公開工作機制，加強組織領導，明確責任分工，"
        "各項工作有序開展。區政府辦公室作為政府信息公開工作主管部門，負責統籌協調、指導推進和監督檢查全區政府信息公開工作。",
        "二、主動公開政府信息情況",
        "全年主動公開政府信息2315條，其中規範性文件12件，通過政府網站公開1980條，通過政務微博、微信公開335條。",
        "三、依申請公開政府信息情況",
        "全年共受理政府信息公開申請46件，均已按時辦結，其中同意公開31件，同意部分公開5件，不予公開3件，信息不存在7件。",
    ]
    annotated = [p.replace("政務", "政務(wù)").replace("發佈", "發(fā)佈").replace("機制", "機(jī)制").replace("統籌", "統(tǒng)籌")
                 for p in spun]
    c = ctx_for(ag, f"{ag}2018年政府信息公开工作年度报告", "2019-03-25", site_name="厦门市湖里区人民政府", site_id="3502060001",
                icp="闽ICP备05012211号", police_no="35020602000101", domain="www.huli.gov.cn", prov="闽",
                url="http://www.huli.gov.cn/xxgk/zfxxgkzl/zfxxgknb/201903/t20190325_1.htm")
    write_case("defaced_spinning_huli", trs(c, render_body(annotated)), spun, c, spam=True, must_not=["(wù)", "(fā)"])

    # false-positive guard: real prose full of words that are also in the spam lexicon
    ag = "毕节市金沙县教育局"
    b = corpus.report_2021(ag, 2021, 211, "金沙县人民政府网站", "金沙县城关镇银河路8号", "0857-7221234",
                           extra=FALSE_POSITIVE_EXTRA)
    c = ctx_for(ag, f"{ag}2021年政府信息公开工作年度报告", "2022-01-24", site_name="金沙县人民政府", site_id="5205230001",
                icp="黔ICP备05001221号", police_no="52052302000101", domain="www.gzjinsha.gov.cn", prov="黔",
                url="http://www.gzjinsha.gov.cn/zwgk/xxgkml/jcgk/zfxxgknb/202201/t20220124_1.html")
    c["icp"] = "黔ICP备05001221号"
    write_case("falsepos_jinsha_2021", hanweb(c, render_body(b)), b, c, spam=False)

    # no container, no numbered headings: trafilatura fallback
    ag = "南平市延平区水利局"
    paras = [
        "根据《中华人民共和国政府信息公开条例》规定，现公布南平市延平区水利局2011年度政府信息公开工作情况。",
        "2011年，我局主动公开政府信息186条，其中机构职能类12条，政策法规类23条，规划计划类9条，业务工作类142条。全年未收到政府信息公开申请，"
        "未发生因政府信息公开申请提起的行政复议、行政诉讼。依申请提供政府信息未收取任何费用。",
        "我局政府信息公开工作仍存在公开内容不够全面、更新不够及时等问题。下一步，我局将进一步加强组织领导，完善工作制度，拓宽公开渠道，"
        "不断提高政府信息公开工作水平，切实保障公民、法人和其他组织依法获取政府信息。",
    ]
    c = ctx_for(ag, f"{ag}2011年度政府信息公开工作报告", "2012-03-30", site_name="南平市延平区人民政府", site_id="3507020001",
                icp="闽ICP备05011119号", police_no="35070202000101", domain="www.ypzf.gov.cn", prov="闽",
                url="http://www.ypzf.gov.cn/ztzl/xxgknb/201203/t20120330_1.htm")
    page = f"""<html><head><meta charset="utf-8"><title>{c['title']}</title></head><body>
<div class="head"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>
<div class="wrap"><div class="left"><ul><li><a href="/a">工作动态</a></li><li><a href="/b">通知公告</a></li></ul></div>
<div class="right"><h2>{c['title']}</h2><div class="date">发布日期：{c['date']}</div>
<div class="text">{''.join(f'<p>{E(p)}</p>' for p in paras)}</div></div></div>
<div class="foot">版权所有：{c['site_name']} {c['icp']} 网站标识码：{c['site_id']}</div></body></html>"""
    write_case("fallback_2011_yanping", page, paras, c, method="trafilatura", agency=None, exact=False)


def build_seeds() -> None:
    """The five seed texts as text input; expected = the seed minus the chrome lines listed here by hand."""
    chrome_lines = {
        "000_0e49c4abb83aa917": [],
        "001_7ae1a3b9ba21f35c": ["• bet0365", "• 发布时间:2018-03-19 14:31:00", "• 来源:", "• 作者:", "• 字体显示:",
                                 "• 责任编辑:王京"],
        "002_ff51ef9bcffc09f4": ["国务院部门网站", "地方政府网站", "市政府部门网站", "区(县)政府网站", "武隆区部门街镇网站", "其他网站",
                                 "版权所有:重庆市武隆区人民政府 主办单位:重庆市武隆区人民政府办公室",
                                 "网站标识码:5002320015 ICP备案:渝ICP备11006838号-1 渝公网安备 50023202000180号"],
        "003_55290c4cd4397b85": ["扫一扫在手机打开当前页"],
        "004_c5c25b148994a4c9": ["• 听全文", "• 2014-03-11", "• 来源:本网", "• 分享到", "• -", "相关附件", "相关新闻",
                                 "扫一扫在手机打开当前页", "-", "关注 · 广州政府网"],
    }
    meta = {
        "000_0e49c4abb83aa917": ("", None),
        "001_7ae1a3b9ba21f35c": ("", "2018-03-19"),
        "002_ff51ef9bcffc09f4": ("", None),
        "003_55290c4cd4397b85": ("", None),
        "004_c5c25b148994a4c9": ("2013年广州市人力资源和社会保障局政府信息公开年度报告", "2014-03-11"),
    }
    for stem, drop in chrome_lines.items():
        raw = (SEEDS / f"{stem}.txt").read_bytes()
        lines = []
        for ln in raw.decode("utf-8").splitlines():
            s = ln.strip()
            if not s or s in drop:
                continue
            if stem.startswith("001"):
                s = s.replace("bet0365", "")  # the brand written over the agency name
            # whitespace between two Chinese characters is layout, not text ("引  言" → "引言")
            s = " ".join(s.split())
            s = _cjk_join(s)
            lines.append(s)
        title, published = meta[stem]
        ctx = {"url": f"file:seeds/{stem}.txt", "title": title, "agency": None, "date": published, "icp": None}
        write_case(f"seed_{stem[:3]}", raw, [], ctx, ext="txt", body_text="\n".join(lines), tables=0,
                   spam=stem.startswith("001"), method="text", agency=None, published=published,
                   must_not=["bet0365"] if stem.startswith("001") else
                   (["渝ICP备", "公网安备", "网站标识码", "版权所有"] if stem.startswith("002") else []))


def _cjk_join(s: str) -> str:
    import re

    cjk = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
    return re.sub(rf"(?<={cjk}) (?={cjk})", "", s)


if __name__ == "__main__":
    build()
    print(f"{sum(p.is_dir() for p in ROOT.iterdir())} cases in {ROOT}")
