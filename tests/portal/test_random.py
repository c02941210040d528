"""The random web generator: deterministic per seed, dimensions vary, ground truth consistent."""

from __future__ import annotations

import http.client
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler.extract import extract
from crawler.parse import parse
from tests.portal import Portal
from tests.portal.random import FIXED_SEEDS, build_random_web, web_seeds
from tests.portal.random.kit import relative

SEEDS = web_seeds(FIXED_SEEDS)


def _get(portal: Portal, url: str) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection(portal.host, portal.port, timeout=30)
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        return resp.status, resp.read(), resp.getheader("Content-Type") or ""
    finally:
        conn.close()


def _summary(seed: int) -> tuple[object, ...]:
    web = build_random_web(seed, n_sites=4)
    pages = sorted((h, p, pg.text or "") for (h, p), pg in web.pages.items())
    reports = [(r.agency, r.year, tuple(r.urls), tuple(r.wrappers), tuple(sorted(r.cells.items())))
               for r in web.reports]
    return pages, reports, sorted(web.handlers), web.dims, web.seeds_csv()


def test_same_seed_same_web() -> None:
    assert _summary(SEEDS[0]) == _summary(SEEDS[0])


def test_seeds_give_different_webs_and_dimensions_vary() -> None:
    webs = [build_random_web(s, n_sites=8) for s in range(12)]
    assert len({w.seeds_csv() for w in webs}) == len(webs)
    dims = [d for w in webs for d in w.dims.values()]
    for name in ("cms", "delivery", "publish", "entry", "depth", "encoding", "column_name"):
        seen = Counter(d[name] for d in dims)
        assert len(seen) >= 3, (name, seen)
    assert any(d["aggregate"] for d in dims) and any(d["news_mixed"] for d in dims)


@pytest.mark.parametrize("seed", SEEDS)
def test_ground_truth_is_consistent(seed: int) -> None:
    web = build_random_web(seed, n_sites=6)
    hosts = {a.domains[0] for a in web.agencies}
    seeded = {a.name for a in web.agencies}
    assert web.reports and set(web.dims) == hosts
    keys = Counter((r.agency, r.year) for r in web.reports)
    assert max(keys.values()) == 1, "one true report per agency-year"
    for r in web.reports:
        assert r.agency in seeded and r.host in hosts and r.urls
        assert not set(r.urls) & set(r.wrappers)
        assert (r.cells != {}) == (r.format != "legacy"), r
    for r in web.out_of_seed:
        assert r.agency not in seeded
    truth_urls = [u for r in web.reports + web.out_of_seed for u in r.urls + r.wrappers]
    assert len(truth_urls) == len(set(truth_urls)), "a URL serves one report"
    assert not {u.split("?")[0] for u in truth_urls} & web.list_urls
    assert not {c.url for c in web.confusables} & set(truth_urls)


def test_every_true_url_is_served(tmp_path: object) -> None:
    web = build_random_web(SEEDS[1], n_sites=6)
    portal = Portal(web)
    portal.start(warm=False)
    try:
        for r in web.reports + web.out_of_seed:
            for url in r.urls + r.wrappers:
                status, body, ctype = _get(portal, url)
                assert status == 200 and body, url
                if r.kind == "pdf" and url in r.urls:
                    assert body.startswith(b"%PDF") or ctype.startswith("text/html"), url
        for agency in web.agencies:
            assert _get(portal, agency.url)[0] == 200
    finally:
        portal.stop()


def test_html_report_cells_are_what_the_page_says() -> None:
    """The truth's cell paths name what a correct parse of the page gives (schema.md keys)."""
    web = build_random_web(SEEDS[0], n_sites=8)
    portal = Portal(web)
    portal.start(warm=False)
    try:
        checked = 0
        for r in web.reports:
            page = next((u for u in r.urls if u.endswith((".html", ".shtml", ".htm"))), None)
            if not r.cells or page is None or r.kind != "html":
                continue
            _status, body, ctype = _get(portal, page)
            parsed = parse(extract(body, page, ctype)).to_dict()
            for path, want in r.cells.items():
                section, rest = path.split(".", 1)
                node: object = parsed[section]
                for part in rest.replace("[", ".").rstrip("]").split("."):
                    node = node[int(part)] if part.isdigit() else node[part]  # type: ignore[index]
                assert node == want, (page, path, node, want)
            checked += 1
            if checked >= 3:
                break
        assert checked
    finally:
        portal.stop()


def test_latency_is_drawn_per_url_and_per_draw() -> None:
    web = build_random_web(SEEDS[0], n_sites=8)
    host = next(h for h, v in web.host_latency.items() if v > 0)
    a = [web.latency_for(host, f"/p{n}.html", 1) for n in range(20)]
    assert a == [web.latency_for(host, f"/p{n}.html", 1) for n in range(20)]
    assert a != [web.latency_for(host, f"/p{n}.html", 2) for n in range(20)]
    assert all(0 <= x < 2 * web.host_latency[host] for x in a)


@pytest.mark.parametrize(("page", "target", "want"), [
    ("/xxgk/index.html", "/xxgk/gknb/index.html", "gknb/index.html"),
    ("/zwgk/xxgkml/index.html", "/gkmlpt/index#2656", "../../gkmlpt/index#2656"),
    ("/col/col12/index.html", "/art/2024/1/3/art_12_3.html", "../../art/2024/1/3/art_12_3.html"),
    ("/xxgk/gknb/index.html", "/xxgk/gknb/2019/", "2019/"),
])
def test_relative_links(page: str, target: str, want: str) -> None:
    got = relative(page, target)
    assert got == want
    from urllib.parse import urljoin

    assert urlsplit(urljoin("http://h" + page, got))._replace(scheme="", netloc="").geturl() == target


# ------------------------------------------------------------------------------------ browser oracle

_COLLECT = """() => {
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) out.push(a.href);
  for (const el of document.querySelectorAll('[data-href]')) out.push(new URL(el.dataset.href, location.href).href);
  for (const el of document.querySelectorAll('[onclick]')) {
    const m = /'([^']+\\.(?:html?|shtml|pdf|docx))'/.exec(el.getAttribute('onclick'));
    if (m) out.push(new URL(m[1], location.href).href);
  }
  return out;
}"""
_CLICKABLE = ".main .page a[href^='javascript'], #jpage a, #loadMore"  # pager buttons without URLs


def _browse_column(page: object, start: str, list_urls: set[str]) -> set[str]:
    """Every link a person could reach from the column: each list page and each category fragment
    (``#2656``) opened afresh, then every pager button and "加载更多" clicked again while it brings
    new links; static pages of the list followed."""
    seen: set[str] = set()
    todo, visited = [start], set()
    while todo and len(visited) < 40:
        url = todo.pop(0)
        if url in visited:
            continue
        visited.add(url)
        page.goto("about:blank")  # type: ignore[attr-defined]
        page.goto(url, wait_until="load")  # type: ignore[attr-defined]
        page.wait_for_timeout(200)  # type: ignore[attr-defined]  # the list's first XHR
        found = {u.rstrip("#") for u in page.evaluate(_COLLECT)}  # type: ignore[attr-defined]
        n = 0
        while n < page.locator(_CLICKABLE).count() and n < 60:  # type: ignore[attr-defined]
            el = page.locator(_CLICKABLE).nth(n)  # type: ignore[attr-defined]
            for _ in range(10):
                if not el.is_visible():
                    break
                before = len(found)
                el.click()
                page.wait_for_timeout(120)  # type: ignore[attr-defined]  # the local portal answers in ms
                found |= {u.rstrip("#") for u in page.evaluate(_COLLECT)}  # type: ignore[attr-defined]
                if len(found) == before:
                    break
            n += 1
        seen |= found
        here = url.split("#")[0]
        todo += [u for u in found if u not in visited
                 and (u.split("#")[0].split("?")[0] in list_urls or (u.startswith(here + "#") and u[len(here) + 1:].isdigit()))]
    return seen


@pytest.mark.browser
def test_every_report_is_reachable_in_a_browser() -> None:
    """The ground truth is reachable: from each site's 年报 column, Chromium clicking what a person
    would click reaches the list link of every report (so recall 1.00 is possible)."""
    from playwright.sync_api import sync_playwright

    from settings.default import PLAYWRIGHT_LAUNCH_OPTIONS

    shapes: list[dict[str, object]] = [
        {"delivery": "json_api", "cms": cms} for cms in ("trs", "hanweb", "static")]
    shapes += [{"delivery": "script_pager", "cms": cms} for cms in ("hanweb", "vsb")]
    shapes += [{"delivery": "split_key", "split": v, "cms": cms}
               for v, cms in (("same_page", "gkmlpt"), ("key_in_script_file", "trs"), ("cats_on_other_page", "static"))]
    shapes += [{"delivery": d} for d in ("xml_api", "fragment_api", "load_more")]
    web = build_random_web(SEEDS[2], n_sites=len(shapes), overrides=[{**s, "per_page": 3} for s in shapes])
    portal = Portal(web)
    portal.start(warm=False)
    options = {k: v for k, v in PLAYWRIGHT_LAUNCH_OPTIONS.items() if k != "proxy"}
    options["args"] = [a for a in options.get("args", []) if a != "--blink-settings=imagesEnabled=false"]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(proxy={"server": portal.proxy_url}, **options)
            page = browser.new_page()
            page.on("popup", lambda p: p.close())
            lost = []
            for host, start in web.columns.items():
                links = {u.split("#")[0] for u in _browse_column(page, start, web.list_urls)}
                for r in web.reports + web.out_of_seed:
                    if r.host == host and (r.wrappers or r.urls)[0] not in links:
                        lost.append((web.dims[host]["delivery"], r.agency, r.year, (r.wrappers or r.urls)[0]))
            browser.close()
        assert not lost, "\n".join(map(str, lost))
    finally:
        portal.stop()
