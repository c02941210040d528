"""The typed hand-off between the spider and its components (crawler.handoff), and the typed
reason a payload was not read (crawler.model.NotRead)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler import links as L
from crawler.extract import extract
from crawler.handoff import KEY, Hop, LinkKind, handoff_of, kind_of, site_of
from crawler.model import NotRead

ATTACHMENTS = Path(__file__).parents[1] / "fixtures" / "attachments"


def test_link_kinds_are_one_enum_and_still_compare_as_text() -> None:
    assert L.REPORT is LinkKind.REPORT and L.PAGER is LinkKind.PAGER
    assert L.classify_link("http://rsj.x.gov.cn/nb/2023.pdf", "2023年政府信息公开工作年度报告").kind == "attachment"
    assert LinkKind("list") is L.LIST


def test_the_hop_travels_with_the_request_and_its_response() -> None:
    hop = Hop("青岛市人社局", LinkKind.ATTACHMENT, "年报.pdf", 2, parent="http://rsj.x.gov.cn/nb.html",
              renderings=(("http://rsj.x.gov.cn/nb.docx", "attachment", "年报.docx", 95.0),))
    request = Request("http://rsj.x.gov.cn/nb.pdf", meta={KEY: hop})
    response = HtmlResponse(request.url, body=b"", request=request)
    assert handoff_of(response) is hop and site_of(request) == "青岛市人社局" and kind_of(response) == "attachment"
    # JOBDIR's disk queues and the Redis queue pickle requests: the Hop must come back equal
    assert pickle.loads(pickle.dumps(request.to_dict()))["meta"][KEY] == hop
    foreign = Request("http://rsj.x.gov.cn/robots.txt", meta={"site": "青岛市人社局"})
    assert handoff_of(foreign) is None and site_of(foreign) == "" and kind_of(foreign) == ""
    with pytest.raises(AttributeError):
        hop.depth = 3  # type: ignore[misc]


@pytest.mark.parametrize(("case", "cause", "key"), [
    ("encrypted_pdf", "encrypted pdf", "attachment_encrypted_pdf"),
    ("corrupt_pdf", "corrupt pdf", "attachment_corrupt_pdf"),
])
def test_why_an_attachment_was_not_read_is_typed(case: str, cause: str, key: str) -> None:
    doc = extract((ATTACHMENTS / case / "input.pdf").read_bytes(), f"http://rsj.x.gov.cn/{case}.pdf", "application/pdf")
    assert doc.not_read is not None and doc.not_read.cause == cause and doc.not_read.key == key
    assert doc.not_read.detail.startswith(cause)
    assert type(doc).from_dict(doc.to_dict()) == doc  # the document JSON round-trips with the reason


def test_a_read_document_has_no_reason_and_no_new_key() -> None:
    doc = extract((ATTACHMENTS / "report_2021_pdf" / "input.pdf").read_bytes(), "http://rsj.x.gov.cn/nb.pdf",
                  "application/pdf")
    assert doc.not_read is None and "not_read" not in doc.to_dict()
    assert NotRead.of("zip bomb: 9 bytes uncompressed (limit 1)").key == "attachment_zip_bomb"
