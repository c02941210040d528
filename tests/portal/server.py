"""The portal: one local HTTP server that is also a plain-HTTP forward proxy answering by host.

Scrapy and Chromium send absolute-form request lines (``GET http://host/path HTTP/1.1``) to an
``http_proxy``; plain clients send origin-form with a ``Host`` header. Both are answered from the
in-memory ``Web``; nothing ever leaves the machine (unknown hosts get a 502 page, CONNECT a 405).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import threading
import time
from dataclasses import asdict
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.portal.model import COUNTER, Page, RequestLog, Response, Web

log = logging.getLogger(__name__)

CONTROL_HOST = "portal.local"
_REVISED_AT = datetime(2025, 6, 2, 9, 0)
_ERROR = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
          "<body><h1>{title}</h1><p>{detail}</p></body></html>")


class Portal:
    def __init__(self, web: Web, latency: float = 0.0, latency_draw: int | None = None) -> None:
        self.web = web
        self.latency = latency
        # Random webs: each URL also waits web.latency_for(host, target, latency_draw) seconds.
        self.latency_draw = latency_draw
        self.state: dict[str, object] = {"revision": False, "slow_delay": 3.0, "counters": True}
        self.requests: list[RequestLog] = []
        self.serving_cpu_s = 0.0  # CPU its connection threads spent on requests since reset_log (bench)
        self.in_flight = 0  # requests being answered now, and the most at once since start
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._views = itertools.count(1287)
        self._cache: dict[tuple[str, str, bool], bytes] = {}
        self._hosts = web.hosts  # the web is complete once built; look hosts up without rebuilding the set
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # ------------------------------------------------------------------------------ control
    @property
    def proxy_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def set_revision(self, on: bool) -> None:
        self.state["revision"] = bool(on)

    def set_state(self, name: str, value: object) -> None:
        """Switches: ``revision`` (bool), ``slow_delay`` (seconds for the slow page, default 3),
        ``counters`` (False freezes every 浏览次数 at 1 so pages are byte-stable)."""
        self.state[name] = value

    def forget(self) -> None:
        """Drop cached page bodies: a test edited ``web.pages`` and wants the edit served."""
        with self._lock:
            self._cache.clear()

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.serving_cpu_s = 0.0

    def count_cpu(self, seconds: float) -> None:
        with self._lock:
            self.serving_cpu_s += seconds

    def start(self, host: str = "127.0.0.1", port: int = 0, *, warm: bool = True) -> None:
        """Serve in a background thread; ``warm`` pre-renders PDF/DOCX attachments meanwhile."""
        portal = self

        class Handler(_Handler):
            pass

        Handler.portal = portal
        self._server = _Server((host, port), Handler)
        self._server.daemon_threads = True
        self.host, self.port = host, self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="portal", daemon=True)
        self._thread.start()
        if warm:
            threading.Thread(target=self._warm, name="portal-warm", daemon=True).start()

    def _build(self, page: Page) -> None:
        with self._build_lock:  # one render at a time; other requests are not held up
            if page.body is None and page.lazy is not None:
                page.body = page.lazy()

    def _warm(self) -> None:
        """Render attachments in the background so the first crawl does not wait for them."""
        for page in list(self.web.pages.values()):
            if self._server is None:
                return
            if page.lazy is not None and page.body is None:
                try:
                    self._build(page)
                except Exception:  # served (and logged) as a 500 when requested instead
                    log.exception("portal: cannot pre-render an attachment")

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve_forever_join(self) -> None:
        """Block until the server thread ends (the CLI's foreground mode)."""
        if self._thread is not None:
            while self._thread.is_alive():
                self._thread.join(0.5)

    # ------------------------------------------------------------------------------ answering
    def answer(self, method: str, host: str, target: str, headers: dict[str, str], body: bytes) -> Response:
        split = urlsplit(target)
        path = split.path or "/"
        if host == CONTROL_HOST or path.startswith("/__portal__/"):
            return self._control(path, parse_qs(split.query))
        if host not in self._hosts:
            if host in ("127.0.0.1", "localhost", "") and path in ("/", "/index.html"):
                return self._directory()
            html = _ERROR.format(title="502 Bad Gateway", detail=f"无法连接到服务器 {host}")
            return Response(502, "text/html; charset=utf-8", html.encode())
        handler = self.web.handlers.get((host, path))
        if handler is not None:
            query = parse_qs(split.query, keep_blank_values=True)
            if method == "POST" and body:
                for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    query.setdefault(k, []).extend(v)
            return handler(query, body, self.state)
        page = self.web.pages.get((host, path))
        if page is None:
            if host in self.web.soft404_hosts:
                html = _ERROR.format(title="页面不存在", detail="对不起，您访问的页面不存在或已被删除。")
                return Response(200, "text/html; charset=utf-8", html.encode())
            html = _ERROR.format(title="404 Not Found", detail="您访问的页面不存在")
            return Response(404, "text/html; charset=utf-8", html.encode())
        return self._page(host, path, page, headers)

    def _page(self, host: str, path: str, page: Page, headers: dict[str, str]) -> Response:
        if page.delay_state:
            time.sleep(float(self.state.get(page.delay_state, 0) or 0))  # type: ignore[arg-type]
        revised = bool(self.state["revision"]) and page.revised_text is not None
        if page.lazy is not None and page.body is None:
            self._build(page)
        if page.body is not None:
            body = page.body
        else:
            text = page.revised_text if revised else page.text
            assert text is not None
            key = (host, path, revised)
            if page.validators and key in self._cache:
                body = self._cache[key]
            else:
                if COUNTER in text:
                    views = str(next(self._views)) if self.state.get("counters", True) else "1"
                    text = text.replace(COUNTER, views)
                body = text.encode(page.encoding, "xmlcharrefreplace")
                if page.validators:
                    self._cache[key] = body
        out: dict[str, str] = {}
        if page.validators:
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            modified = _REVISED_AT if revised else (page.last_modified or datetime(2025, 1, 1))
            out["ETag"] = etag
            out["Last-Modified"] = format_datetime(modified.replace(tzinfo=_utc()), usegmt=True)
            if _not_modified(headers, etag, modified):
                return Response(304, page.content_type, b"", out)
        else:
            out["Cache-Control"] = "no-cache"
        return Response(page.status, page.content_type, body, out)

    def _directory(self) -> Response:
        """A plain index for a human who opens the portal address without the proxy setting."""
        rows = "".join(f'<li>{a.name}: <a href="{a.url}">{a.url}</a></li>' for a in self.web.agencies)
        html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>nianbao portal</title></head><body>'
                f"<p>Simulated gov.cn web: set http_proxy={self.proxy_url} and open one of these.</p>"
                f"<ul>{rows}</ul></body></html>")
        return Response(200, "text/html; charset=utf-8", html.encode())

    def _control(self, path: str, query: dict[str, list[str]]) -> Response:
        name = path.rsplit("/", 1)[-1]
        if name == "revision":
            if "on" in query:
                self.set_revision(query["on"][0] in ("1", "true", "on", "yes"))
            data: object = {"revision": self.state["revision"], "url": self.web.revised_url,
                            "cell": self.web.revised_cell}
        elif name == "log":
            with self._lock:
                data = [asdict(r) for r in self.requests]
        elif name == "reset":
            self.reset_log()
            data = {"ok": True}
        elif name == "state":
            if "name" in query and "value" in query:
                raw = query["value"][0]
                value: object = {"true": True, "false": False}.get(raw.lower(), raw)
                with contextlib.suppress(ValueError):
                    value = float(raw)
                self.set_state(query["name"][0], value)
            data = {k: v for k, v in self.state.items()}
        else:
            return Response(404, "application/json", b'{"error": "unknown control"}')
        return Response(200, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode())

    def record(self, entry: RequestLog) -> None:
        with self._lock:
            self.requests.append(entry)


def _utc():
    from datetime import UTC

    return UTC


def _not_modified(headers: dict[str, str], etag: str, modified: datetime) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return modified.replace(tzinfo=_utc()) <= since
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # clients (crawlers, tests) hang up on keep-alive connections all the time: not an error
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        log.exception("portal: error while serving %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    portal: Portal
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as nginx sets on keep-alive connections (tcp_nodelay on): with Nagle's algorithm
    # the body written after the headers waited for the client's delayed ACK, some 40 ms on
    # loopback, and every answer took the latency plus that stall (make bench's polite crawl).
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "nginx"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        log.debug("portal: " + format, *args)

    def handle_one_request(self) -> None:
        # Counted per request, not per connection: a keep-alive connection outlives a crawl's log.
        # The wait for the request line costs no CPU, so this is the serving alone.
        started = time.thread_time()
        try:
            super().handle_one_request()
        finally:
            self.portal.count_cpu(time.thread_time() - started)

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):
            split = urlsplit(self.path)
            host = (split.hostname or "").lower()
            return host, split.path + (f"?{split.query}" if split.query else "")
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        return host, self.path

    def _serve(self, method: str) -> None:
        portal = self.portal
        with portal._lock:
            portal.in_flight += 1
            portal.max_in_flight = max(portal.max_in_flight, portal.in_flight)
        try:
            self._answer(method)
        finally:
            with portal._lock:
                portal.in_flight -= 1

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host, target = self._target()
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            resp = self.portal.answer(method, host, target, headers, body)
        except Exception:  # a bug in a page builder must not kill the crawl under test
            log.exception("portal failed on %s %s%s", method, host, target)
            resp = Response(500, "text/html; charset=utf-8", b"<h1>500 Internal Server Error</h1>")
        if self.portal.latency:
            time.sleep(self.portal.latency)
        if self.portal.latency_draw is not None:
            time.sleep(self.portal.web.latency_for(host, target, self.portal.latency_draw))
        if not (host == CONTROL_HOST or target.startswith("/__portal__/")):
            # logged before the bytes go out, so a client that has its answer also sees it in the log
            # bytes sent: a HEAD answer carries none (its Content-Length still says how many a GET would)
            sent = 0 if method == "HEAD" else len(resp.body)
            self.portal.record(RequestLog(method, host, target, resp.status, sent))
        if hasattr(resp, "stream"):  # tests/portal/hostile.py: bodies written over time, never held whole
            resp.stream(self)
            return
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if method != "HEAD" and resp.status != 304:
            self.wfile.write(resp.body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_CONNECT(self) -> None:  # noqa: N802
        self.close_connection = True
        self.portal.record(RequestLog("CONNECT", self.path.split(":")[0], self.path, 405, 0))
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()
