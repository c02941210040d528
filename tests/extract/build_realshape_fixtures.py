"""Write the real-shape extract fixtures: page chrome that is not spam, bodies that must stay whole.

Run: .venv/bin/python -m tests.extract.build_realshape_fixtures
Each page is modelled on real gov.cn pages (the two report pages in ../shared/real, and Hanweb,
TRS and bShare markup as public repositories keep it): a bShare / JiaThis share bar, the hidden
"Produced By 大汉网络" credit, a 2345 weather iframe, links rewritten by an IPv6 gateway and hidden
footer link lists, a signature date (落款) with in-body dates and an attachment list, a stray
``</html>`` left by a server-side include, and hidden spam spelled full-width, spaced or with
zero-width marks. The expected text is the paragraph list below, never the extractor's output;
``removed`` lists (reason, words) each page's chrome must be removed under.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


def paragraphs(agency: str, year: int, sign: str) -> list[str]:
    return [
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{agency}{year}年政府信息公开工作年度报告。"
        f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"{year}年，{agency}认真贯彻落实《条例》，全年主动公开政府信息386条，其中{year}年6月30日前公开171条；"
        f"{year}年3月15日召开政务公开工作推进会，部署全年工作。",
        "二、主动公开政府信息情况",
        "全年制发规范性文件3件，废止1件，现行有效27件；行政许可处理决定1,204件，行政处罚决定56件。",
        "三、收到和处理政府信息公开申请情况",
        "全年收到政府信息公开申请12件，上年结转1件，均在法定期限内答复，结转下年度继续办理0件。",
        "四、政府信息公开行政复议、行政诉讼情况",
        "全年未发生政府信息公开行政复议、行政诉讼案件。",
        "五、存在的主要问题及改进情况",
        f"公开内容的及时性有待提高，{year + 1}年将加强督促检查。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        "附件：",
        "1.政府信息公开申请表.doc",
        "2.依申请公开办理流程图.pdf",
        agency,
        sign,
    ]


def body_html(paras: list[str]) -> str:
    out = []
    for p in paras:
        if p.startswith(("一、", "二、", "三、", "四、", "五、", "六、")):
            out.append(f'<p style="text-indent:2em"><strong>{escape(p)}</strong></p>')
        elif p.endswith((".doc", ".pdf")):
            out.append(f'<p><a href="/attach/{len(out)}.{p.rsplit(".", 1)[1]}">{escape(p)}</a></p>')
        elif p == paras[-1] or p == paras[-2]:
            out.append(f'<p style="text-align:right">{escape(p)}</p>')
        else:
            out.append(f'<p style="text-indent:2em">{escape(p)}</p>')
    return "\n".join(out)


def head(title: str, site: str, domain: str, pubdate: str) -> str:
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}_{site}</title>\n'
            f'<meta name="SiteName" content="{site}"><meta name="SiteDomain" content="{domain}">\n'
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{pubdate}">\n'
            '<script src="/js/jquery.min.js"></script></head>\n')


BSHARE = ('<div class="bshare-custom"><a title="分享到" href="http://www.bShare.cn/" id="bshare-shareto" '
          'class="bshare-more">分享到</a><a title="分享到QQ空间" class="bshare-qzone">QQ空间</a>'
          '<a title="分享到新浪微博" class="bshare-sinaminiblog">新浪微博</a><a title="分享到微信" class="bshare-weixin">微信</a>'
          '<a title="更多平台" class="bshare-more bshare-more-icon more-style-addthis"></a>'
          '<span class="BSHARE_COUNT bshare-share-count">0</span></div>\n'
          '<script type="text/javascript" charset="utf-8" src="http://static.bshare.cn/b/buttonLite.js#style=-1&amp;lang=zh">'
          '</script>')
JIATHIS = ('<div class="jiathis_style"><span class="jiathis_txt">分享到：</span><a class="jiathis_button_weixin">微信好友</a>'
           '<a class="jiathis_button_tsina">新浪微博</a><a href="http://www.jiathis.com/share" '
           'class="jiathis jiathis_txt jtico jtico_jiathis" target="_blank">更多</a></div>')


def share_page() -> tuple[str, dict]:
    agency, year = "漳州市龙文区住房和城乡建设局", 2020
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2021年1月22日")
    page = (head(title, "漳州市龙文区人民政府", "www.lwq.gov.cn", "2021-01-25 16:02") +
            '<body><div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>\n'
            f'<div class="article"><h1>{title}</h1>\n<div class="info">发布时间：2021-01-25 来源：{agency}</div>\n'
            f'<div class="TRS_Editor">\n{body_html(paras)}\n{BSHARE}\n</div>\n{JIATHIS}\n</div>\n'
            '<div class="footer">主办单位：漳州市龙文区人民政府办公室 闽ICP备05001234号</div></body></html>\n')
    return page, {
        "url": "http://www.lwq.gov.cn/zwgk/zfxxgkzl/ndbg/202101/t20210125_1.htm", "title": title, "body": "\n".join(paras),
        "tables": 0, "must_not_contain": ["QQ空间", "新浪微博", "微信好友", "分享到", "更多平台"], "spam_detected": False,
        "removed": [["share", "QQ空间"], ["share", "微信好友"]], "published": "2021-01-25",
    }


def credit_page() -> tuple[str, dict]:
    agency, year = "宿迁市宿豫区民政局", 2021
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2022年1月20日")
    page = (head(title, "宿迁市宿豫区人民政府", "www.suyu.gov.cn", "2022-01-21 09:12") +
            '<body>\n<table width="1000" align="center"><tr><td><img src="/picture/0/banner.jpg"></td></tr></table>\n'
            '<table width="1000" align="center"><tr><td class="title">' + title + '</td></tr>\n'
            '<tr><td align="center">发布日期：2022-01-21 浏览次数：<span id="count">128</span></td></tr>\n'
            f'<tr><td class="bt_content"><div id="zoom">\n{body_html(paras)}\n</div></td></tr></table>\n'
            '<table width="1000" align="center"><tr><td>版权所有：宿迁市宿豫区人民政府 技术支持：南京大汉网络有限公司</td></tr></table>\n'
            '<!-- visitcount Begin --><iframe src="./module/visitcount/visit.jsp?type=3&i_webid=22&i_columnid=47001&i_articleid='
            '3301022" name="vishidden" id="vishidden" frameborder="0" style="width:0; height:0; display:none"></iframe>'
            '<!-- visitcount End -->\n'
            "<a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a>\n"
            '</body>\n</html>\n')
    return page, {
        "url": "http://www.suyu.gov.cn/syqmzj/xxgknb/202201/abc.shtml", "title": title, "body": "\n".join(paras),
        "tables": 0, "must_not_contain": ["Produced By", "大汉网络", "大汉版通"], "spam_detected": False,
        "removed": [["credit", "Produced By 大汉网络"]], "published": "2022-01-21",
    }


def weather_page() -> tuple[str, dict]:
    agency, year = "鄂尔多斯市东胜区审计局", 2019
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2020年1月15日")
    page = (head(title, "鄂尔多斯市东胜区人民政府", "www.ds.gov.cn", "2020-01-16") +
            '<body><table width="1002" border="0" align="center" cellpadding="0" cellspacing="0"><tr>\n'
            '<td width="685"><embed src="/images/banner.swf" width="685" height="120" type="application/x-shockwave-flash">'
            '</td>\n<td><iframe allowtransparency="true" frameborder="0" width="317" height="28" scrolling="no" '
            'src="http://tianqi.2345.com/plugin/widget/index.htm?s=3&amp;z=1&amp;t=1&amp;v=0&amp;d=1&amp;bd=0&amp;k=&amp;'
            'f=&amp;q=1&amp;e=0&amp;a=1&amp;c=60976&amp;w=317&amp;h=28&amp;align=left"></iframe></td></tr></table>\n'
            '<table width="1002" align="center"><tr><td class="CurrChnlCls"><a href="../../">首页</a>&gt;&gt;'
            '<a href="../">信息公开年报</a></td></tr></table>\n'
            f'<table width="1002" align="center"><tr><td align="center"><b>{title}</b></td></tr>\n'
            f'<tr><td><div class="TRS_Editor">\n{body_html(paras)}\n</div></td></tr></table>\n'
            '<table width="1002" align="center"><tr><td>网站标识码：1506000001 蒙ICP备13001412号-2 '
            '<a href="http://bszs.conac.cn/sitename?method=show&amp;id=1A2B3C" target="_blank">'
            '<img src="http://dcs.conac.cn/image/red.png" alt="党政机关"></a>'
            '<script src="https://s4.cnzz.com/z_stat.php?id=1278012345&amp;web_id=1278012345"></script></td></tr></table>\n'
            '</body></html>\n')
    return page, {
        "url": "http://www.ds.gov.cn/xxgk/xxgknb/202001/t20200116_2.html", "title": title, "body": "\n".join(paras),
        "tables": 0, "must_not_contain": ["tianqi", "网站标识码", "蒙ICP备"], "spam_detected": False,
        "removed": [["widget", "tianqi.2345.com"]], "published": "2020-01-16",
    }


def gateway_page() -> tuple[str, dict]:
    agency, year = "平潭综合实验区社会事业局", 2022
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2023年1月17日")
    gw = "966f93868"

    def rewritten(host: str, path: str = "/") -> str:
        return f"https://{host.replace('.', '-')}x{gw}xx.ipv6best.cn{path}"
    links = [("福建省人民政府", rewritten("www.fujian.gov.cn")), ("福州市人民政府", rewritten("www.fuzhou.gov.cn")),
             ("厦门市人民政府", rewritten("www.xm.gov.cn"))]
    media = [("人民网", f"http://www.people.com.cnx1a2b{gw}.ipv6best.cn/"), ("新华网", f"http://www.xinhuanet.comx3c4d{gw}.ipv6best.cn/"),
             ("福建日报", rewritten("fjrb.fjdaily.com", "/pc/col/202311/02/node_01.html")),
             ("中国科学院学部", f"http://www.acas.org.cnx7a72{gw}.ipv6best.cn/")]

    def ul(items: list[tuple[str, str]]) -> str:
        return "".join(f'<li><a href="{u}" target="_blank">{n}</a></li>' for n, u in items)
    page = (head(title, "平潭综合实验区", "www.pingtan.gov.cn", "2023-01-18 10:30:00") +
            '<body><div class="top"><iframe id="tianqi" class="tianqi-box" width="260" height="26" scrolling="no" '
            f'frameborder="0" allowtransparency="true" src="{rewritten("i.tianqi.com", "?c=code&id=26&py=pingtan")}"></iframe>'
            '<span>长者模式</span><span>无障碍</span></div>\n'
            f'<div class="xl-main"><div class="xl-tit">{title}</div>\n'
            '<div class="xl-info">来源：平潭综合实验区社会事业局 时间：2023-01-18 10:30</div>\n'
            f'<div class="TRS_Editor">\n{body_html(paras)}\n</div>\n'
            '<div class="xl-tools"><span>扫一扫在手机上查看当前页面</span> <a href="javascript:window.close()">关闭</a></div></div>\n'
            '<div class="footer"><div class="yqlj"><span>省市政府网站</span>'
            f'<ul class="yqlj-list" style="display: none">{ul(links)}</ul>'
            f'<span>友情链接</span><ul class="yqlj-list" style="display: none">{ul(media)}</ul></div>\n'
            '<p>网站标识码：3590000001 闽ICP备09032658号 公安备案号：35012899001-19002</p>'
            f'<a href="{rewritten("bszs.conac.cn", "/sitename?method=show&id=1")}"><img src="/images/dzjg.png" alt="党政机关"></a>'
            '</div></body></html>\n')
    return page, {
        "url": "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/t20230118_9001.htm", "title": title,
        "body": "\n".join(paras), "tables": 0, "must_not_contain": ["人民网", "新华网", "福建省人民政府", "ipv6best"],
        "spam_detected": False,
        "removed": [["link-list", "人民网"], ["link-list", "福建省人民政府"], ["widget", "i-tianqi-com"]],
        "published": "2023-01-18",
    }


def signature_page() -> tuple[str, dict]:
    agency, year = "南平市延平区教育局", 2018
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2019年1月18日")
    page = (head(title, "南平市延平区人民政府", "www.ypzf.gov.cn", "2019-01-21") +
            f'<body><div class="nav">当前位置：首页 &gt; 政府信息公开年报</div>\n<h2>{title}</h2>\n'
            '<div class="byline">2019-01-21</div>\n'
            f'<div id="zoom">\n<p>2019年1月21日</p>\n{body_html(paras)}\n</div>\n'
            '<div class="footer">版权所有：南平市延平区人民政府 闽ICP备12345678号</div></body></html>\n')
    return page, {
        "url": "http://www.ypzf.gov.cn/xxgk/ndbg/201901/t20190121_1.htm", "title": title, "body": "\n".join(paras),
        "tables": 0, "must_not_contain": ["当前位置", "版权所有"], "spam_detected": False,
        "removed": [["byline", "2019年1月21日"]], "published": "2019-01-21",
    }


def stray_end_page() -> tuple[str, dict]:
    agency, year = "龙岩市新罗区卫生健康局", 2020
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2021年1月19日")
    half = len(paras) // 2
    # the site header comes from a server-side include that is a whole document of its own
    include = ('<div class="head"><img src="/images/logo.png" alt="龙岩市新罗区人民政府"><a href="/">首页</a></div>\n'
               '<script>var siteId = 12;</script>\n</body>\n</html>\n')
    page = (head(title, "龙岩市新罗区人民政府", "www.xinluo.gov.cn", "2021-01-20") +
            f'<body>\n{include}<div class="content"><div class="title">{title}</div>\n'
            f'<div id="zoom">\n{body_html(paras[:half])}\n</BODY>\n{body_html(paras[half:])}\n</div></div>\n'
            '<div class="footer">主办单位：龙岩市新罗区人民政府办公室</div>\n</body>\n</html>\n')
    return page, {
        "url": "http://www.xinluo.gov.cn/zwgk/ndbg/202101/t20210120_1.htm", "title": title, "body": "\n".join(paras),
        "tables": 0, "must_not_contain": ["主办单位"], "spam_detected": False, "published": "2021-01-20",
    }


def spelled_spam_page() -> tuple[str, dict]:
    agency, year = "三明市梅列区统计局", 2019
    title = f"{agency}{year}年政府信息公开工作年度报告"
    paras = paragraphs(agency, year, "2020年1月16日")
    hidden = ('<div style="position:absolute;left:-8000px;top:-8000px">'
              '<a href="http://www.b365-app.example.com/">ｂｅｔ３６５体育</a> <a href="http://bjl.example.net/">百 家 乐 真 人</a> '
              '<a href="http://pj.example.org/">澳门\u200b葡京</a></div>')
    page = (head(title, "三明市梅列区人民政府", "www.smml.gov.cn", "2020-01-17") +
            f'<body><div class="title">{title}</div>\n<div class="TRS_Editor">\n{body_html(paras[:6])}\n{hidden}\n'
            f'{body_html(paras[6:])}\n</div></body></html>\n')
    return page, {
        "url": "http://www.smml.gov.cn/zwgk/ndbg/202001/t20200117_1.htm", "title": title, "body": "\n".join(paras),
        "tables": 0, "must_not_contain": ["ｂｅｔ３６５", "百 家 乐", "葡京"], "spam_detected": True,
        "findings": [["hidden-link", "ｂｅｔ３６５"], ["hidden-link", "百 家 乐"], ["hidden-link", "澳门\u200b葡京"]],
        "published": "2020-01-17",
    }


CASES = {
    "chrome_share_bshare_jiathis_2020_longwen": share_page,
    "chrome_credit_hanweb_2021_suyu": credit_page,
    "chrome_weather_iframe_2019_dongsheng": weather_page,
    "chrome_ipv6_gateway_links_2022_pingtan": gateway_page,
    "body_signature_dates_attachments_2018_yanping": signature_page,
    "body_stray_html_end_ssi_2020_xinluo": stray_end_page,
    "defaced_spelled_variants_2019_meilie": spelled_spam_page,
}


def main() -> None:
    for name, build in CASES.items():
        page, expected = build()
        folder = ROOT / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "input.html").write_text(page, encoding="utf-8")
        expected.setdefault("exact", True)
        (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
