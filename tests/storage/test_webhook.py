"""Webhook: a real local HTTP server receives the run's events as JSON."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from storage import Archive
from storage.webhook import post_events
from tests.storage.docs import at, document, report, text
from tests.storage.test_archive import PAGE, seed


class _Sink(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers["Content-Length"])
        _Sink.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204 if self.path == "/ok" else 500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_run_events_reach_the_webhook(archive: Archive, caplog) -> None:  # type: ignore[no-untyped-def]
    agency = seed(archive)
    run = archive.start_run({})
    archive.archive_document(run_id=run, agency_id=agency, fetch_id=None, url=PAGE,
                             doc=document(text("laoshan_2019"), PAGE), report=report("崂山区人社局", 2019),
                             fetched_at=at(0))
    other = archive.start_run({})
    archive.mark_removed(run_id=other, url=PAGE, reason="404")
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        _Sink.received.clear()
        assert post_events(base + "/ok", archive.events(run_id=run))
        assert [e["kind"] for e in _Sink.received[0]["events"]] == ["new"]
        with caplog.at_level(logging.WARNING):
            assert not post_events(base + "/broken", archive.events(run_id=other))
            assert not post_events("http://127.0.0.1:1/none", archive.events(), timeout=2)
        assert len([r for r in caplog.records if r.name == "storage.webhook"]) == 2
    finally:
        server.shutdown()
        server.server_close()
