"""WARC/1.1 export of the capture log for archivists (issue 6 §8), replayable in pywb.

The file opens with a ``warcinfo`` record (software, format, the crawl's robots policy and user
agent, the runs exported). Each first capture of a payload is a ``response`` record; a later fetch
of the same payload, or a 304, is a ``revisit`` record pointing at that first capture. Every
response and revisit has a ``request`` record beside it (``WARC-Concurrent-To``), rebuilt from the
capture log, which keeps no request headers: the method (GET), the path and the Host. Fetch errors
without a response are skipped. A re-fetch that differed only in its hit counter (the archive kept
the earlier blob) is a revisit with the profile ``urn:nianbao:revisit:equivalent-payload``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from http import HTTPStatus
from importlib import metadata
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.queries import ReadAPI

log = logging.getLogger(__name__)

# The stored body is already decoded; these would mislead a WARC reader about it.
_DROP = {"content-encoding", "transfer-encoding", "content-length"}
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
EQUIVALENT_PROFILE = "urn:nianbao:revisit:equivalent-payload"  # same page but for its hit counter


def _digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii")


def _http_headers(status: int, headers: dict[str, str], length: int | None) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    pairs = [(k, v) for k, v in headers.items() if k.lower() not in _DROP]
    if length is not None:
        pairs.append(("Content-Length", str(length)))
    return StatusAndHeaders(f"{status} {reason}", pairs, protocol="HTTP/1.1")


def _request(writer: WARCWriter, uri: str, date: str, concurrent_to: str) -> Any:
    parts = urlsplit(uri)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    http = StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], protocol="HTTP/1.1",
                            is_http_request=True)
    return writer.create_warc_record(uri, "request", http_headers=http,
                                     warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to})


def _warcinfo(writer: WARCWriter, filename: str, run_id: int | None) -> Any:
    from settings import default

    info = {
        "software": f"nianbao/{_version()} (warcio {_version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": "Captures of 政府信息公开工作年度报告 (Chinese government information-disclosure annual "
                       "reports), their lists and attachments, from the nianbao archive's capture log. "
                       "Bodies are stored decoded (no Content-Encoding); request records are rebuilt "
                       "(method, path, Host).",
        "isPartOf": f"crawl run {run_id}" if run_id is not None else "every crawl run of the archive",
        "robots": "obey" if getattr(default, "ROBOTSTXT_OBEY", True) else "ignore",
        "http-header-user-agent": getattr(default, "USER_AGENT", ""),
    }
    return writer.create_warcinfo_record(filename, info)


def _version(package: str = "nianbao") -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def write_warc(archive: ReadAPI, out: BinaryIO, run_id: int | None = None, gzip: bool = True,
               filename: str = "nianbao.warc.gz") -> dict[str, int]:
    """Write the capture log (one run or all) to ``out``; returns record counts by type."""
    writer = WARCWriter(out, gzip=gzip, warc_version="WARC/1.1")
    writer.write_record(_warcinfo(writer, filename, run_id))
    first: dict[str, tuple[str, str]] = {}  # blob sha256 → (uri, WARC-Date) of its response record
    last_for_url: dict[str, tuple[str, str, str]] = {}  # url → (blob, uri, date) for 304s
    counts = {"warcinfo": 1, "request": 0, "response": 0, "revisit": 0, "skipped": 0}
    for f in archive.fetches(run_id=run_id, with_payload=True):
        uri, date = f["final_url"] or f["url"], f["fetched_at"]
        headers = f["headers"] or {}
        blob = f["blob_sha256"]
        if f["status"] == 304 and f["url"] in last_for_url:
            ref_blob, ref_uri, ref_date = last_for_url[f["url"]]
            record = writer.create_revisit_record(
                uri, _digest(ref_blob), ref_uri, ref_date, http_headers=_http_headers(304, headers, None),
                warc_headers_dict={"WARC-Date": date},
            )
            record.rec_headers.replace_header("WARC-Profile", NOT_MODIFIED_PROFILE)
            counts["revisit"] += 1
        elif blob and blob in first:
            ref_uri, ref_date = first[blob]
            actual = f.get("payload_sha256") or blob
            record = writer.create_revisit_record(
                uri, _digest(actual), ref_uri, ref_date,
                http_headers=_http_headers(f["status"], headers, f["size"]), warc_headers_dict={"WARC-Date": date},
            )
            if actual != blob:  # not byte-identical: only the page's hit counter differed
                record.rec_headers.replace_header("WARC-Profile", EQUIVALENT_PROFILE)
            counts["revisit"] += 1
        elif blob and f["payload"] is not None:
            payload = f["payload"]
            if hashlib.sha256(payload).hexdigest() != blob:
                log.warning("write_warc: blob %s does not match its hash; skipped", blob)
                counts["skipped"] += 1
                continue
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(payload), length=len(payload),
                http_headers=_http_headers(f["status"], headers, len(payload)),
                warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": _digest(blob)},
            )
            first[blob] = (uri, date)
            counts["response"] += 1
        else:
            counts["skipped"] += 1
            continue
        writer.write_record(record)
        writer.write_record(_request(writer, uri, date, record.rec_headers.get_header("WARC-Record-ID")))
        counts["request"] += 1
        if blob:
            last_for_url[f["url"]] = (blob, *first[blob])
    return counts
