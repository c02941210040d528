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


def _unparseable(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr("crawler.extract.core.parse_html", lambda text: None)
    return b"<html><body><p>2023 annual report</p></body></html>"


def _failing(monkeypatch: pytest.MonkeyPatch) -> bytes:
    def boom(*_: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr("crawler.extract.core._html", boom)
    return b"<html><body><p>2023 annual report</p></body></html>"


@pytest.mark.parametrize(("body", "cause", "warning"), [
    (b"", "empty body", "empty body"),
    (b"  \n\t", "empty body", "empty body"),
    (bytes(range(256)) * 8, "binary body of unknown type", "binary body of unknown type; nothing extracted"),
    (42, "body is not bytes", "body is int, not bytes"),
    (_unparseable, "unparseable HTML", "unparseable HTML"),
    (_failing, "extraction failed", "extraction failed: ValueError: boom"),
])
def test_no_document_at_all_is_a_typed_reason_too(body: object, cause: str, warning: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What the CLI answers "not a readable document" to is ``not_read``, not a warning's wording;
    the crawl counts only attachments' reasons as failures (``attachment``)."""
    payload = body(monkeypatch) if callable(body) else body
    doc = extract(payload, "http://rsj.x.gov.cn/nb.html")  # type: ignore[arg-type]
    assert doc.not_read == NotRead(cause, warning, attachment=False)
    assert doc.not_read.warning == warning and warning in doc.warnings
    assert type(doc).from_dict(doc.to_dict()) == doc


def test_empty_text_is_no_document_and_reaches_the_page_that_held_it() -> None:
    from crawler.extract import extract_text

    assert extract_text(" \n").not_read == NotRead.no_document("empty text")
    # ideographic spaces: bytes to the body check, nothing once decoded
    doc = extract("\u3000\u3000\n".encode(), "http://rsj.x.gov.cn/nb.txt", "text/plain")
    assert doc.not_read == NotRead.no_document("empty text") and "empty text" in doc.warnings


def test_an_attachment_reason_reads_as_the_documents_warning() -> None:
    doc = extract((ATTACHMENTS / "corrupt_pdf" / "input.pdf").read_bytes(), "http://rsj.x.gov.cn/c.pdf",
                  "application/pdf")
    assert doc.not_read is not None and doc.not_read.attachment
    assert doc.not_read.warning == f"attachment not extracted: {doc.not_read.detail}" in doc.warnings


@pytest.mark.parametrize(("name", "body"), [("empty.txt", b""), ("random.bin", bytes(range(256)) * 8),
                                            ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<<")])
def test_the_cli_says_not_a_readable_document(name: str, body: bytes, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.cli import main

    path = tmp_path / name
    path.write_bytes(body)
    for command in ("extract", "parse"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"{path}: not a readable document (" in err[0], err
