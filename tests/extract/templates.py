"""Page chrome of the real gov CMS families (docs/report-format.md §7–8) around a rendered body.

Each function takes a context (agency, title, date, site identity, url) and the body HTML.
"""

from __future__ import annotations

import html as htmlmod
import json

E = htmlmod.escape


def meta_tags(ctx: dict) -> str:
    return f"""<meta name="SiteName" content="{ctx['site_name']}">
<meta name="SiteDomain" content="{ctx['domain']}">
<meta name="SiteIDCode" content="{ctx['site_id']}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="政府信息公开年报">
<meta name="ArticleTitle" content="{E(ctx['title'])}">
<meta name="PubDate" content="{ctx['date']} 09:30">
<meta name="ContentSource" content="{ctx['agency']}">
<meta name="Keywords" content="政府信息公开,年度报告">"""


def footer(ctx: dict) -> str:
    return f"""<div class="footer"><div class="w1200">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/wzsm/">网站声明</a></p>
<p>主办单位：{ctx['site_name']}办公室 承办单位：{ctx['site_name'].replace('人民政府', '')}大数据发展中心</p>
<p>版权所有：{ctx['site_name']} 网站标识码：{ctx['site_id']}</p>
<p><a href="https://beian.miit.gov.cn/">{ctx['icp']}</a> <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={ctx['police_no']}">{ctx['police']}</a></p>
<p><a href="http://bszs.conac.cn/sitename?method=show&id=1"><img src="/images/red.png" alt="党政机关"></a> <a href="https://zfwzzc.www.gov.cn/">我为政府网站找错</a></p>
</div></div>"""


def link_lists() -> str:
    return """<div class="yqlj"><select><option>国务院部门网站</option><option>中国政府网</option></select>
<ul><li><a href="http://www.gov.cn/">中国政府网</a></li><li><a href="/sbm/">市政府部门网站</a></li><li><a href="/qx/">区县政府网站</a></li></ul></div>"""


def trs(ctx: dict, body: str, container: str = '<div class="TRS_Editor"><div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_web">', close: str = "</div></div>") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>{E(ctx['title'])}_{ctx['site_name']}</title>
{meta_tags(ctx)}
<link rel="stylesheet" href="/images/common.css"><script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; document.write('<span id="visit"></span>');</script>
</head><body>
<div class="top"><div class="w1200"><span>今天是：</span><a href="javascript:;">无障碍</a> <a href="/ca/">关怀版</a> <a href="/fanti/">繁體</a></div></div>
<div class="header"><img src="/images/logo.png" alt="{ctx['site_name']}"><div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a></div>
<div class="main">
<div class="xxgk_table"><table><tr><td>索引号：</td><td>{ctx['site_id']}/{ctx['date'][:4]}-00012</td><td>发布机构：</td><td>{ctx['agency']}</td></tr>
<tr><td>发文日期：</td><td>{ctx['date']}</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table></div>
<h1 class="title">{E(ctx['title'])}</h1>
<div class="info">发布时间：{ctx['date']} 09:30 来源：{ctx['agency']} 浏览次数：<span id="count"></span> 【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="content">{container}
{body}
{close}</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a> 分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="ewm"><img src="/images/qr.png"><p>扫一扫在手机打开当前页</p></div>
<div class="prev-next"><p>上一篇：<a href="./t20220118_1.html">{ctx['site_name']}办公室关于春节期间值班安排的通知</a></p><p>下一篇：<a href="./t20220125_3.html">2022年第一季度政务公开工作情况</a></p></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li><li><a href="/zfxxgk/zfxxgkzd/">政府信息公开制度</a></li></ul></div>
</div>
{link_lists()}
{footer(ctx)}
</body></html>"""


def hanweb(ctx: dict, body: str, container: str = '<div id="zoom">', close: str = "</div>") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{E(ctx['title'])} - {ctx['site_name']}</title>
{meta_tags(ctx)}
<script type="text/javascript" src="/script/jquery.js"></script>
</head><body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td><img src="/picture/0/banner.jpg" /></td></tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td class="dh">
<a href="/col/col1/index.html">首页</a> <a href="/col/col2/index.html">政务公开</a> <a href="/col/col3/index.html">政民互动</a></td></tr></table>
<table width="1000" align="center"><tr><td>您现在的位置：<a href="/">首页</a> &gt; <a href="/col/col34892/index.html">政府信息公开年报</a></td></tr></table>
<table width="1000" align="center" class="xxgk"><tr><td>索引号：</td><td>{ctx['site_id']}/{ctx['date'][:4]}-{ctx['date'][5:7]}</td><td>发布机构：</td><td>{ctx['agency']}</td></tr>
<tr><td>生成日期：</td><td>{ctx['date']}</td><td>公开方式：</td><td>主动公开</td></tr></table>
<table width="1000" align="center" cellpadding="0" cellspacing="0"><tr><td align="center" class="title">{E(ctx['title'])}</td></tr>
<tr><td align="center">发布日期：{ctx['date']} 浏览次数：<script>document.write(1532)</script> 字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</td></tr>
<tr><td class="bt_content">
<!--<$[信息内容]>begin-->{container}
{body}
{close}<!--<$[信息内容]>end-->
</td></tr>
<tr><td align="right"><a href="#" onclick="window.print()">[打印本页]</a> <a href="#" onclick="window.close()">[关闭窗口]</a></td></tr></table>
<table width="1000" align="center"><tr><td>{ctx['site_name']} 版权所有 网站标识码：{ctx['site_id']} {ctx['icp']}<br />{ctx['police']} 主办：{ctx['site_name']}办公室<br />Produced By 大汉网络 大汉版通发布系统</td></tr></table>
</body></html>"""


def gkmlpt(ctx: dict, body: str) -> str:
    detail = {"id": 3938658, "title": ctx["title"], "content": body, "publisher_name": ctx["agency"],
              "date": ctx["date"] + " 10:00:00", "identifier": "11440300MB2C92050G/2022-00031", "document_number": ""}
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{E(ctx['title'])}-{ctx['site_name']}</title>
<meta name="SiteName" content="{ctx['site_name']}"><meta name="SiteDomain" content="{ctx['domain']}"><meta name="SiteIDCode" content="{ctx['site_id']}">
<link rel="stylesheet" href="/gkmlpt/static/css/app.css"></head>
<body><div id="header"><a href="/">首页</a> <a href="/gkmlpt/index">政府信息公开</a></div>
<div id="app"><div class="detail-loading">加载中……</div></div>
<script>
window._CONFIG = {{
    SID: 'gkmlpt_lg',
    SITE_NAME: '{ctx['site_name']}',
    DETAIL: {json.dumps(detail, ensure_ascii=False)},
    URL: '/gkmlpt/content/3/3938/post_3938658.html'
}};
</script>
<script src="/gkmlpt/static/js/app.js"></script>
{footer(ctx)}
</body></html>"""


def layout(ctx: dict, body: str) -> str:
    """Old (2008–2013 era) layout-table page with no CMS container class."""
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{E(ctx['title'])}</title>
<style>.f14 {{font-size:14px; line-height:200%}}</style></head>
<body topmargin="0" leftmargin="0">
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="images/top.jpg" width="960" height="120"></td></tr>
<tr><td bgcolor="#0066CC"><a href="index.htm">首页</a> | <a href="zwgk.htm">政务公开</a> | <a href="bsdt.htm">办事大厅</a> | <a href="gzcy.htm">公众参与</a></td></tr></table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="200" valign="top"><table width="100%"><tr><td><a href="xxgkzn.htm">信息公开指南</a></td></tr><tr><td><a href="xxgkml.htm">信息公开目录</a></td></tr><tr><td><a href="xxgknb.htm">信息公开年报</a></td></tr></table></td>
<td width="760" valign="top"><table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td height="30">当前位置：首页 &gt; 政务公开 &gt; 信息公开年报</td></tr>
<tr><td align="center" height="50"><font size="4"><b>{E(ctx['title'])}</b></font></td></tr>
<tr><td align="center">发布日期：{ctx['date']} 来源：{ctx['agency']} 点击数：<font color="red">2871</font></td></tr>
<tr><td class="f14" valign="top">
{body}
</td></tr>
<tr><td align="right"><a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></td></tr>
</table></td></tr></table>
<table width="960" border="0" align="center"><tr><td align="center">版权所有：{ctx['site_name']} 地址：{ctx['address']} 电话：{ctx['tel']}<br>{ctx['icp']} 网站标识码：{ctx['site_id']}</td></tr></table>
</body></html>"""


def word_page(ctx: dict, body: str, charset: str = "utf-8") -> str:
    """A report saved from Word as HTML and published as-is (MsoNormal paragraphs, Section1)."""
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset={charset}"><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<title>{E(ctx['title'])}</title>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>admin</o:Author></o:DocumentProperties></xml><![endif]-->
<style>p.MsoNormal {{margin:0cm; text-align:justify; font-size:10.5pt; font-family:"Times New Roman"}} @page WordSection1 {{size:595.3pt 841.9pt;}} div.WordSection1 {{page:WordSection1;}}</style>
</head><body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>{E(ctx['title'])}</span></b></p>
{body}
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div></body></html>"""


