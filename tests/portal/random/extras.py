"""Extra furniture: a neighbour column broken the way the site's ``fault`` says (bad input must cost
that list only), and a 部门决算 confusable filed in the 年报 column itself."""

from __future__ import annotations

from datetime import datetime

from tests.portal.model import Confusable, Response
from tests.portal.random.apis import XHR
from tests.portal.random.kit import RandKit
from tests.portal.random.lists import _html_response, _int, past_end
from tests.portal.random.publish import Item
from tests.portal.sitekit import esc


def broken_column(kit: RandKit, news: list[tuple[str, str]]) -> tuple[str, str]:
    """A 政策解读 column broken by the site's fault; returns its (link text, path) for the hub.
    ``news``: (title, path) of articles it lists."""
    d, host = kit.d, kit.s.host
    base = "/zcjd/"
    kit.web.list_urls.add(kit.url(f"{base}index.html"))
    lis = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for t, p in news[:3])
    if d.fault == "pager_loop":  # 下一页 always leads one page further, forever
        def endless(q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
            n = _int(q, "page", 1)
            main = (f'<div class="column"><div class="col-title">政策解读</div><ul class="list">{lis}</ul>'
                    f'<div class="page"><a href="{base}index.html?page={n + 1}">下一页</a></div></div>')
            return _html_response(kit, kit.frame("政策解读", [("政策解读", f"{base}index.html")], main))

        kit.web.handlers[(host, f"{base}index.html")] = endless
        return "政策解读", f"{base}index.html"
    api = f"{base}api/list"

    def broken(_q: dict[str, list[str]], _body: bytes, _state: dict) -> Response:
        bad = past_end(kit)
        assert bad is not None
        return bad

    kit.web.handlers[(host, api)] = broken
    kit.web.list_urls.add(kit.url(api))
    script = (f"<script>{XHR}nbGet('{api}?page=1', function(t){{ var d = JSON.parse(t);"
              " document.getElementById('jd').innerHTML = nbRows(d.data.map(function(r){ return [r.url, r.title, r.date]; })); });"
              "</script>")
    main = f'<div class="column"><div class="col-title">政策解读</div><ul id="jd" class="list"></ul></div>{script}'
    kit.add(f"{base}index.html", kit.frame("政策解读", [("政策解读", f"{base}index.html")], main))
    return "政策解读", f"{base}index.html"


def final_accounts(kit: RandKit, year: int, col: str, column: str, crumbs: list[tuple[str, str]]) -> Item:
    """A 部门决算 filed in the 年报 column: numbers and tables, but no report."""
    when = datetime(year + 1, 7, 20, 10, 0)
    title = f"{kit.s.agency}{year}年度部门决算"
    body = (f"<p>第一部分 部门概况 一、主要职能 二、部门决算单位构成 第二部分 {esc(title)}表 "
            "一、收入支出决算总表 二、收入决算表 三、支出决算表 第三部分 决算情况说明</p>"
            "<table border='1'><tr><td>项目</td><td>决算数（万元）</td></tr><tr><td>一般公共预算财政拨款收入</td>"
            f"<td>{kit.rng.randint(300, 9000)}.{kit.rng.randint(10, 99)}</td></tr></table>")
    path = kit.article_path(col, when)
    kit.article(path, title, body, when, column, crumbs)
    kit.web.confusables.append(Confusable(kit.url(path), title, "final-accounts"))
    return Item(title, path, when, year)
