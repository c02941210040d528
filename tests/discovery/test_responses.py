"""The spider's response helpers (spiders/responses.py) against what they stand in for."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from spiders.responses import body_text_head

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
