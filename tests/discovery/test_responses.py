"""The spider's response helpers (spiders/responses.py) against what they stand in for."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from spiders.responses import anchor_text, body_text_head, page_links

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(FIXTURES.glob("**/*.html"))


@pytest.mark.parametrize("nodes", [1, 40])
def test_body_text_head_is_the_xpath_it_replaced(nodes: int) -> None:
    """The first text nodes of the body, read lazily: what ``(//body//text())[position() <= n]``
    gives, on every HTML fixture and on pages with scripts, comments and no body."""
    made = [b"<html><body>a<!-- c --><p>b<script>s()</script></p>t<?pi x?>z</body></html>",
            b"<html><head><title>t</title></head></html>", b"<p>" + "".join(f"<i>{i}</i>" for i in range(99)).encode()]
    bodies = [p.read_bytes() for p in PAGES] + made
    assert len(bodies) > 20
    for i, body in enumerate(bodies):
        response = HtmlResponse(url=f"http://x.gov.cn/{i}.html", body=body, encoding="utf-8" if i >= len(PAGES) else None)
        want = " ".join(response.xpath(f"(//body//text())[position() <= {nodes}]").getall())
        assert body_text_head(response, nodes) == want, PAGES[i] if i < len(PAGES) else body[:80]


def test_page_links_are_the_selectors_they_replaced() -> None:
    """Every ``a[href]`` in document order, with the URL, text and title the spider read through a
    Selector per anchor, on every HTML fixture and on made pages (nested, blank and odd hrefs)."""
    made = [b'<html><body><a href=" /a.pdf ">x<b>y</b></a><a>no href</a><a href="">blank</a>'
            b'<div><a href="#top" title="t"></a><a href="javascript:void(0)">j</a></div></body></html>',
            b"<p>no anchors</p>"]
    bodies = [p.read_bytes() for p in PAGES] + made
    anchors_seen = 0
    for i, body in enumerate(bodies):
        response = HtmlResponse(url=f"http://x.gov.cn/d/{i}.html", body=body, encoding="utf-8" if i >= len(PAGES) else None)
        want = [(response.urljoin(a.root.get("href", "").strip()), a.root.get("href", "").strip(), anchor_text(a),
                 a.root.get("title", "")) for a in response.css("a[href]")]
        got = [(a.url, a.href, a.text, a.title) for a in page_links(response).anchors]
        assert got == want, PAGES[i] if i < len(PAGES) else body[:80]
        anchors_seen += len(got)
    assert anchors_seen > 500
