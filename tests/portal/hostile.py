"""Hostile hosts for the simulated web: bombs, endless streams, trickles, bad redirects, lies.

``register(web)`` adds one agency site per fault on ``<fault>.hostile.gov.cn`` (not to
``web.agencies``: the normal seed list stays as it is; ``hostile_seeds_csv()`` lists them). Every
home page links its hostile resources with anchors named like annual reports, so the spider asks
for them as report candidates. Streamed answers (``Stream``) are written by the portal's handler
thread chunk by chunk: the 200 MB body and the endless streams are never held in memory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.portal.model import Page, Response, Web

SUFFIX = ".hostile.gov.cn"
REPORT_WORDS = "年政府信息公开工作年度报告"
BIG_BYTES = 200 * 1024 * 1024  # the "200 MB response", announced with Content-Length
BOMB_BYTES = 256 * 1024 * 1024  # what a gzip/deflate bomb inflates to (about 250 KB on the wire)
TRICKLE_INTERVAL = 0.5  # slowloris: seconds between single bytes
_CHUNK = b"<p>" + "数据".encode() * 5000 + b"</p>\n"


@dataclass
class Stream(Response):
    """A response the portal lets write itself (server.py hook): ``chunks`` runs lazily."""

    chunks: Callable[[], Iterator[bytes]] | None = None
    chunked: bool = False  # Transfer-Encoding: chunked, no Content-Length
    length: int | None = None  # Content-Length to announce (None: none, the body ends at close)
    header_delay: float = 0.0  # seconds to wait before the status line (slow headers)

    def stream(self, handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        if self.header_delay:
            time.sleep(self.header_delay)
        handler.send_response(self.status)
        handler.send_header("Content-Type", self.content_type)
        for k, v in self.headers.items():
            handler.send_header(k, v)
        if self.chunked:
            handler.send_header("Transfer-Encoding", "chunked")
        elif self.length is not None:
            handler.send_header("Content-Length", str(self.length))
        handler.send_header("Connection", "close")
        handler.end_headers()
        if self.chunks is None:
            return
        out = handler.wfile
        try:
            for chunk in self.chunks():
                if self.chunked:
                    out.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    out.write(chunk)
                out.flush()
            if self.chunked:
                out.write(b"0\r\n\r\n")
        except (ConnectionError, TimeoutError, ValueError):
            pass  # the client gave up: that is the point


@dataclass
class Fault:
    """One hostile site: its name (host label), what it does, the link paths on its home page."""

    name: str
    what: str
    paths: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.name + SUFFIX

    @property
    def agency(self) -> str:
        return f"可靠性测试{self.name}局"

    @property
    def urls(self) -> list[str]:
        return [f"http://{self.host}{p}" for p in self.paths]


@cache
def _bomb(wbits: int) -> bytes:
    """``BOMB_BYTES`` of zeros compressed (gzip: wbits 31, zlib/deflate: 15), cached on disk like
    the portal's attachments since compressing them takes a few seconds."""
    cache_dir = Path(os.environ.get("NIANBAO_PORTAL_CACHE") or Path.home() / ".cache" / "nianbao" / "portal")
    path = cache_dir / f"bomb-{wbits}-{BOMB_BYTES}.bin"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    comp = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(1 << 20)
    data = b"".join(comp.compress(zeros) for _ in range(BOMB_BYTES >> 20)) + comp.flush()
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return data


def _big() -> Iterator[bytes]:
    sent = 0
    while sent < BIG_BYTES:
        piece = _CHUNK[: BIG_BYTES - sent]
        sent += len(piece)
        yield piece


def _endless() -> Iterator[bytes]:
    while True:
        yield _CHUNK


def _trickle() -> Iterator[bytes]:
    yield b"<html><head><title>2023"
    for _ in itertools.count():
        time.sleep(TRICKLE_INTERVAL)
        yield b" "


def _home(fault: Fault, years: list[int]) -> str:
    links = "".join(
        f'<li><a href="{path}">{year}{REPORT_WORDS}</a></li>' for path, year in zip(fault.paths, years, strict=True)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{fault.agency}</title></head><body>'
        f"<h1>{fault.agency}</h1><h2>政府信息公开年报</h2><ul>{links}</ul></body></html>"
    )


def _report_page(web: Web, year: int) -> Page:
    """The simulated Laoshan report page of ``year``: real report text for re-hosting."""
    truth = next(r for r in web.reports if "rsj.laoshan.gov.cn" in r.urls[0] and r.year == year)
    host, path = truth.urls[0].split("/", 3)[2], "/" + truth.urls[0].split("/", 3)[3]
    return web.pages[(host, path)]


def _pdf_page(web: Web) -> Page:
    truth = next(r for r in web.reports if r.kind == "pdf" and r.urls[0].endswith(".pdf"))
    host, path = truth.urls[0].split("/", 3)[2], "/" + truth.urls[0].split("/", 3)[3]
    return web.pages[(host, path)]


def _fixed(resp: Response) -> Callable[[dict, bytes, dict], Response]:
    return lambda _q, _b, _s: resp


def _flaky(status: int, retry_after: str, then: Page, failures: int) -> Callable[[dict, bytes, dict], Response]:
    """``failures`` answers of ``status`` (with Retry-After), then the page."""
    count = itertools.count()

    def answer(_q: dict, _b: bytes, _s: dict) -> Response:
        if next(count) < failures:
            return Response(status, "text/html; charset=utf-8", b"<h1>busy</h1>", {"Retry-After": retry_after})
        assert then.text is not None
        return Response(200, then.content_type, then.text.replace("{{VIEWS}}", "1").encode(then.encoding))

    return answer


def register(web: Web, *, loopback_port: int = 9) -> list[Fault]:
    """Add every hostile site to ``web``; ``loopback_port`` is where the SSRF redirect points."""
    faults: list[Fault] = []

    def site(name: str, what: str, endpoints: list[tuple[str, object]]) -> None:
        fault = Fault(name, what, [p for p, _ in endpoints])
        for path, target in endpoints:
            if isinstance(target, Page):
                web.pages[(fault.host, path)] = target
            else:
                web.handlers[(fault.host, path)] = target  # type: ignore[assignment]
        years = list(range(2023, 2023 - len(endpoints), -1))
        web.pages[(fault.host, "/")] = Page(text=_home(fault, years))
        faults.append(fault)

    gz, zl = _bomb(31), _bomb(15)
    html = "text/html; charset=utf-8"
    site("gzipbomb", f"gzip bomb: {len(gz)} B on the wire, {BOMB_BYTES >> 20} MiB inflated",
         [("/nb/2023.html", _fixed(Response(200, html, gz, {"Content-Encoding": "gzip"})))])
    site("deflatebomb", f"deflate bomb: {len(zl)} B on the wire, {BOMB_BYTES >> 20} MiB inflated",
         [("/nb/2023.html", _fixed(Response(200, html, zl, {"Content-Encoding": "deflate"})))])
    site("big", f"{BIG_BYTES >> 20} MB body with Content-Length, streamed",
         [("/nb/2023.pdf", _fixed(Stream(200, "application/pdf", b"", chunks=_big, length=BIG_BYTES))),
          ("/nb/2022.html", _fixed(Stream(200, html, b"", chunks=_big)))])
    site("endless", "endless chunked stream (no Content-Length, never ends)",
         [("/nb/2023.html", _fixed(Stream(200, html, b"", chunks=_endless, chunked=True)))])
    site("slowloris", f"slowloris: headers, then 1 byte every {TRICKLE_INTERVAL} s forever; slow headers",
         [("/nb/2023.html", _fixed(Stream(200, html, b"", chunks=_trickle, chunked=True))),
          ("/nb/2022.html", _fixed(Stream(200, html, b"", header_delay=3600.0)))])

    def redirect(location: str) -> Callable[[dict, bytes, dict], Response]:
        return _fixed(Response(302, html, b"", {"Location": location}))

    site("loop", "redirect loop a→b→a, and a 40-hop redirect chain",
         [("/nb/a.html", redirect("/nb/b.html")), ("/chain/0.html", redirect("/chain/1.html"))])
    web.handlers[("loop" + SUFFIX, "/nb/b.html")] = redirect("/nb/a.html")
    for i in range(1, 40):  # the chain's later hops are not linked from the home page
        web.handlers[("loop" + SUFFIX, f"/chain/{i}.html")] = redirect(f"/chain/{i + 1}.html")
    site("scheme", "redirects to file:, ftp:, javascript: and data: URLs",
         [("/nb/2023.html", redirect("file:///etc/passwd")),
          ("/nb/2022.html", redirect("ftp://ftp.hostile.gov.cn/report.pdf")),
          ("/nb/2021.html", redirect("javascript:alert(1)")),
          ("/nb/2020.html", redirect("data:text/html,<h1>2020</h1>"))])
    site("offsite", "redirects to a non-gov host and to a loopback port (SSRF)",
         [("/nb/2023.html", redirect("http://evil.example.com/steal")),
          ("/nb/2022.html", redirect(f"http://127.0.0.1:{loopback_port}/admin")),
          ("/nb/2021.html", redirect("http://169.254.169.254/latest/meta-data/"))])

    page22, page21 = _report_page(web, 2022), _report_page(web, 2021)
    assert page22.text is not None and page21.text is not None
    pdf = _pdf_page(web)
    site("ctype", "a report page served as application/octet-stream; a PDF served as text/html",
         [("/nb/2023.html", Page(content_type="application/octet-stream", text=page22.text)),
          ("/nb/2022.html", Page(content_type="text/html; charset=utf-8", lazy=pdf.lazy, body=pdf.body))])
    gbk_text = page21.text.replace('charset="utf-8"', 'charset="gbk"').replace("charset=utf-8", "charset=gbk")
    site("charset", "GBK bytes with header charset=utf-8 (meta says gbk); UTF-8 bytes declared iso-8859-1",
         [("/nb/2023.html", Page(content_type="text/html; charset=utf-8", text=gbk_text, encoding="gbk")),
          ("/nb/2022.html", Page(content_type="text/html; charset=iso-8859-1", text=page22.text))])
    site("ratelimit", "429 with Retry-After: 1 once then the report; 429 with Retry-After: 3600 always",
         [("/nb/2023.html", _flaky(429, "1", page22, 1)),
          ("/nb/2022.html", _fixed(Response(429, html, b"<h1>slow down</h1>", {"Retry-After": "3600"})))])
    site("unavailable", "503 once then the report; 503 always",
         [("/nb/2023.html", _flaky(503, "1", page21, 1)),
          ("/nb/2022.html", _fixed(Response(503, html, b"<h1>503</h1>")))])
    return faults


def hostile_seeds_csv(faults: list[Fault], header: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(["agency", "url", "region", "level", "domains", "render"])
    for f in faults:
        writer.writerow([f.agency, f"http://{f.host}/", "测试省", "county", f.host, ""])
    return buf.getvalue()
