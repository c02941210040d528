"""WARC/1.1 export read back with warcio: responses once per payload, revisits for the rest."""

from __future__ import annotations

import io

from warcio.archiveiterator import ArchiveIterator

from storage import Archive
from storage.warc import write_warc
from tests.storage.docs import at

PAGE = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202001/t20200120_1.html"
PDF = "http://rsj.laoshan.gov.cn/zfxxgk/zfxxgknb/202001/P020200120.pdf"


def test_warc_round_trip(archive: Archive) -> None:
    run = archive.start_run({})
    html = "<html><body>崂山区人社局2019年政府信息公开工作年度报告</body></html>".encode()
    pdf = b"%PDF-1.4 fake but bytes are bytes"
    headers = {"Content-Type": "text/html; charset=utf-8", "ETag": '"e1"', "Content-Encoding": "gzip"}
    archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=200, headers=headers, body=html,
                         content_type="text/html", encoding="utf-8", fetched_at=at(0))
    archive.record_fetch(run_id=run, url=PDF, final_url=PDF, status=200, headers={"Content-Type": "application/pdf"},
                         body=pdf, content_type="application/pdf", encoding=None, fetched_at=at(0))
    archive.record_fetch(run_id=run, url=PAGE, final_url=PAGE, status=304, headers={"ETag": '"e1"'}, body=None,
                         content_type=None, encoding=None, fetched_at=at(1))
    archive.record_fetch(run_id=run, url=PDF, final_url=PDF, status=200, headers={"Content-Type": "application/pdf"},
                         body=pdf, content_type="application/pdf", encoding=None, fetched_at=at(2))
    archive.record_fetch(run_id=run, url=PAGE + "?x", final_url=PAGE + "?x", status=0, headers={}, body=None,
                         content_type=None, encoding=None, fetched_at=at(2), error="timeout")
    counted = PAGE.replace(".html", "_2.html")
    for step, views in ((3, 10), (4, 11)):
        archive.record_fetch(run_id=run, url=counted, final_url=counted, status=200, headers={},
                             body=f"<html>浏览次数：{views}<p>正文</p></html>".encode(), content_type="text/html",
                             encoding="utf-8", fetched_at=at(step))
    buf = io.BytesIO()
    counts = write_warc(archive, buf)
    assert counts == {"warcinfo": 1, "request": 6, "response": 3, "revisit": 3, "skipped": 1}

    buf.seek(0)
    records = []
    for rec in ArchiveIterator(buf):
        if rec.rec_type in ("warcinfo", "request"):  # tests/ops/test_warc_replay.py checks them
            continue
        body = rec.content_stream().read()
        records.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                        rec.rec_headers.get_header("WARC-Date"), rec.http_headers.get_statuscode(), body,
                        rec.rec_headers.get_header("WARC-Refers-To-Target-URI"),
                        rec.rec_headers.get_header("WARC-Profile"), rec.http_headers))
    assert [(r[0], r[1], r[3]) for r in records] == [
        ("response", PAGE, "200"), ("response", PDF, "200"), ("revisit", PAGE, "304"), ("revisit", PDF, "200"),
        ("response", counted, "200"), ("revisit", counted, "200"),
    ]
    assert records[5][6] == "urn:nianbao:revisit:equivalent-payload" and records[5][5] == counted
    assert records[0][4] == html and records[1][4] == pdf
    assert records[0][2] == "2026-11-20T03:00:00Z"
    assert records[0][7].get_header("Content-Encoding") is None  # stored body is decoded
    assert records[0][7].get_header("ETag") == '"e1"'
    assert records[2][5] == PAGE and records[2][6].endswith("server-not-modified")
    assert records[3][5] == PDF and records[3][6].endswith("identical-payload-digest")
