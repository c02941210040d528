"""``nianbao seeds check`` against the simulated web, through its proxy (as ``http_proxy`` on a real network).

The list: four simulated agencies, one host the portal does not know (dead: 502) and one seed URL
under ``/search/``, which every simulated site's robots.txt disallows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.seedcheck import guess_cms, read_page
from storage.cli import main

SITES = {  # host → the 年报 column its pages link (tests/portal/README.md, sites.py)
    "rsj.laoshan.gov.cn": "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/index.html",
    "rlsbj.cqwl.gov.cn": "http://rlsbj.cqwl.gov.cn/col/col123/index.html",
    "www.lg.gov.cn": "http://www.lg.gov.cn/gkmlpt/index",
    "czj.hzxh.gov.cn": "http://czj.hzxh.gov.cn/xxgk/gknb/index.html",
}
DEAD = "http://www.nosuch-agency.gov.cn/"
BLOCKED = "http://rsj.laoshan.gov.cn/search/"


@pytest.fixture
def seed_file(web: Any, tmp_path: Path) -> Path:
    lines = web.seeds_csv().splitlines()
    rows = [lines[0]] + [line for line in lines[1:] if any(f"//{h}/" in line for h in SITES)]
    rows += [f"已撤销测试局,{DEAD},,,,", f"崂山检索页,{BLOCKED},,,rsj.laoshan.gov.cn,"]
    path = tmp_path / "seeds.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_seeds_check_table(portal: Any, seed_file: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("http_proxy", portal.proxy_url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert main(["seeds", "check", str(seed_file), "--json"]) == 1  # two rows fail
    out, err = capsys.readouterr()
    rows = {r["url"]: r for r in json.loads(out)}
    assert len(rows) == 6
    for host, column in SITES.items():
        row = rows[f"http://{host}/"]
        assert row["ok"] and row["status"] == "200" and row["robots"] == "allowed", row
        assert row["dns"] == "via proxy" and row["column"] == column, row
    assert rows["http://rlsbj.cqwl.gov.cn/"]["cms"] == "Hanweb"
    assert rows["http://www.lg.gov.cn/"]["cms"] == "gkmlpt"
    dead = rows[DEAD]
    assert not dead["ok"] and dead["status"] == "502" and dead["problems"] == ["home page answered 502"]
    blocked = rows[BLOCKED]
    assert not blocked["ok"] and blocked["robots"] == "disallowed"
    assert blocked["problems"] == ["robots.txt disallows the seed URL"]
    assert not any(r.path.startswith("/search/") for r in portal.requests if r.host == "rsj.laoshan.gov.cn")
    assert err.count("\n") == 6 and f"{DEAD}: home page answered 502" in err  # progress: one line a seed

    assert main(["seeds", "check", str(seed_file)]) == 1  # the table
    out, _ = capsys.readouterr()
    assert "FAIL: robots.txt disallows the seed URL" in out and "6 seeds: 4 ok, 2 failing" in out


def test_seeds_check_all_ok_and_bad_file(portal: Any, web: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("http_proxy", portal.proxy_url)
    good = tmp_path / "one.csv"
    good.write_text(web.seeds_csv().splitlines()[0] + "\n" + next(
        line for line in web.seeds_csv().splitlines() if "//www.lg.gov.cn/" in line) + "\n", encoding="utf-8")
    assert main(["seeds", "check", str(good)]) == 0
    assert main(["seeds", "check", str(tmp_path / "missing.csv")]) == 2
    _, err = capsys.readouterr()
    assert err.strip().splitlines()[-1].startswith("nianbao seeds: ") and "missing.csv" in err


def test_cms_and_column_from_page_bytes() -> None:
    trs = '<div class="TRS_Editor"></div><script>createPageHTML(3, 0, "index", "html");</script>'
    assert guess_cms(trs) == "TRS"
    assert guess_cms('<meta name="generator" content="Hanweb JCMS 5">') == "Hanweb"
    assert guess_cms("<p>欢迎访问</p>") == ""
    page = ('<a href="/xxgk/index.html">政府信息公开</a><a href="/xxgk/nb/index.html">政府信息公开年报</a>'
            '<a href="http://mirror.example.com/nb/">政府信息公开年报</a>')
    found = read_page(page, "http://a.gov.cn/")
    assert found.column == "http://a.gov.cn/xxgk/nb/index.html"  # the mirror's column is not the agency's
    assert "http://a.gov.cn/xxgk/index.html" in found.follow
