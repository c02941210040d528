"""``nianbao coverage --html``: one self-contained page, checked by a screenshot in headless Chromium."""

from __future__ import annotations

import re
from collections import Counter
from html import escape, unescape
from pathlib import Path

import pytest
from PIL import Image

from storage.coverage import format_text, summary
from storage.coverage_html import COLOURS, render, render_html
from tests.ops.conftest import ScheduledRuns

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def test_page_is_self_contained_and_shows_the_matrix(scheduled: ScheduledRuns, tmp_path: Path) -> None:
    out = tmp_path / "coverage.html"
    render(scheduled.archive(), out)
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", page), "external asset"
    assert "<script" not in page and "@import" not in page and "url(" not in page
    rows = scheduled.archive().coverage()
    agencies = {r["agency"] for r in rows}
    years = {r["year"] for r in rows}
    kinds = re.findall(r'class="c k-([\w-]+)"', page)
    assert len(kinds) + page.count('class="c none"') == len(agencies) * len(years)
    # One computation: the page shows exactly the kinds (and the summary line) the text table does.
    assert Counter(k.replace("-", " ") for k in kinds) == Counter(r["kind"] for r in rows)
    assert escape(summary(rows)) in page and summary(rows) in format_text(rows)
    assert kinds.count("revised") == 1 and kinds.count("defaced") == 1
    # Every found cell links to its report's URL.
    links = re.findall(r'<td class="c k-[\w-]+"[^>]*><a href="([^"]+)"', page)
    assert sorted(unescape(u) for u in links) == sorted(r["url"] for r in rows if r["status"] == "found")
    assert "Revision timeline" in page and "<svg" in page and "revised" in page


def test_years_start_at_each_agencys_first_report(scheduled: ScheduledRuns) -> None:
    archive = scheduled.archive()
    rows = archive.coverage()
    newest = max(r["year"] for r in rows)
    for agency in {r["agency"] for r in rows}:
        mine = [r for r in rows if r["agency"] == agency]
        found = [r["year"] for r in mine if r["status"] == "found"]
        if found:
            assert [r["year"] for r in mine] == list(range(min(found), newest + 1)), agency
            assert mine[0]["status"] == "found"  # nothing counted missing before the first report
        else:
            assert [r["year"] for r in mine] == [newest]  # an agency with nothing found: its newest year missing
    since = archive.coverage(since=newest - 10)
    assert all(min(r["year"] for r in since if r["agency"] == a) == newest - 10 for a in {r["agency"] for r in since})
    assert all(r["deadline"] for r in rows)


def test_archived_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script><img src=http://bet0365.example/a.png>局'
    coverage = [{"agency": hostile, "year": 2021, "status": "found", "state": "defaced", "reports": [1],
                 "kind": "defaced", "deadline": "2022-01-31", "url": 'http://x.gov.cn/"><script>'}]
    reports = [{"id": 1, "agency": hostile, "year": 2021, "versions": 2}]
    events = [{"kind": "defaced", "report_id": 1, "url": "http://x.gov.cn/a.html?<b>", "created_at": "2026-01-02T00:00:00Z",
               "detail": {"reason": "<iframe>"}}]
    page = render_html(coverage, reports, events)
    assert "<script>" not in page and "<img" not in page and "<iframe>" not in page and "?<b>" not in page
    assert "&lt;script&gt;" in page


def test_screenshot_in_headless_chromium(scheduled: ScheduledRuns, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "coverage.html"
    render(scheduled.archive(), out)
    png = tmp_path / "coverage.png"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            failed: list[str] = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            page.screenshot(path=str(png), full_page=True)
            box = page.locator("table.m").bounding_box()
        finally:
            browser.close()
    assert requests == [out.as_uri()] and not failed  # nothing but the page itself was loaded
    assert box is not None and box["width"] > 300 and box["height"] > 50
    data = png.read_bytes()
    assert len(data) > 10_000
    with Image.open(png) as image:
        rgb = image.convert("RGB")
    assert rgb.width == 1100 and rgb.height >= 400
    # Not blank: many colours, and the matrix colours are on screen.
    colours = {colour for _, colour in rgb.getcolors(maxcolors=1 << 20) or []}
    assert len(colours) > 20

    def rgb_of(kind: str) -> tuple[int, int, int]:
        hex_colour = COLOURS[kind]
        return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))

    for kind in ("on time", "revised", "defaced"):
        assert rgb_of(kind) in colours, f"no {kind} cell visible"
