"""``nianbao coverage --html``: one self-contained page, checked by a screenshot in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from storage.coverage_html import KINDS, render, render_html
from tests.ops.conftest import ScheduledRuns

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def test_page_is_self_contained_and_shows_the_matrix(scheduled: ScheduledRuns, tmp_path: Path) -> None:
    out = tmp_path / "coverage.html"
    render(scheduled.archive(), out)
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "external asset"
    assert "<script" not in page and "@import" not in page and "url(" not in page
    archive = scheduled.archive()
    found = [c for c in archive.coverage() if c["status"] == "found"]
    cells = re.findall(r'class="c k-(\w+)"', page)
    agencies = {c["agency"] for c in archive.coverage()}
    years = {c["year"] for c in archive.coverage()}
    assert len(cells) == len(agencies) * len(years)
    assert cells.count("revised") == 1 and cells.count("defaced") == 1
    assert len(cells) - cells.count("missing") == len(found)
    assert "Revision timeline" in page and "<svg" in page and "revised" in page


def test_archived_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script><img src=http://bet0365.example/a.png>局'
    coverage = [{"agency": hostile, "year": 2021, "status": "found", "state": "defaced", "reports": [1]}]
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
        hex_colour = KINDS[kind][0]
        return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))

    for kind in ("found", "missing", "revised", "defaced"):
        assert rgb_of(kind) in colours, f"no {kind} cell visible"
