"""Expected network failures in the crawl's log: one line per host and reason, never a traceback.

A portal that is down answers every request the same way: without this, a run with no network
logged thousands of lines (a traceback per robots.txt, a "Gave up retrying" and a "fetch failed"
per URL). The counts stay in the run summary (``failures``); the log says each (host, reason) once.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

# twisted / OpenSSL / scrapy exception names → the reason an operator reads
_REASONS = {
    "DownloadConnectionRefusedError": "connection refused",  # scrapy.exceptions (2.13+)
    "CannotResolveHostError": "DNS lookup failed",
    "DownloadTimeoutError": "timed out",
    "DownloadFailedError": "download failed",
    "ResponseDataLossError": "response cut short",
    "DNSLookupError": "DNS lookup failed",
    "ConnectionRefusedError": "connection refused",
    "ConnectError": "cannot connect",
    "NoRouteError": "no route to host",
    "TimeoutError": "timed out",
    "TCPTimedOutError": "timed out",
    "UserTimeoutError": "timed out",
    "ConnectionLost": "connection lost",
    "ConnectionDone": "connection closed",
    "ResponseNeverReceived": "no response",
    "ResponseFailed": "response failed",
    "SSLError": "TLS handshake failed",
    "Error": "TLS error",  # OpenSSL.SSL.Error
}
_URL_KEYS = ("request", "url")


def _reason(exc: BaseException | None) -> str | None:
    if exc is None:
        return None
    name = type(exc).__name__
    if name in ("ResponseNeverReceived", "ResponseFailed"):
        inner = [getattr(r, "value", None) for r in getattr(exc, "reasons", [])]
        return next((_REASONS.get(type(i).__name__, type(i).__name__) for i in inner if i is not None), _REASONS[name])
    return _REASONS.get(name)


def _host(text: str) -> str:
    for word in text.replace("<", " ").replace(">", " ").split():
        if "://" in word:
            return urlsplit(word).netloc or word
    return "?"


class NetworkNoise(logging.Filter):
    """A filter for the root log handler (installed by the crawl command)."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[tuple[str, str]] = set()
        self.quieted = 0

    def _once(self, host: str, reason: str) -> bool:
        key = (host, reason)
        if key in self.said:
            self.quieted += 1
            return False
        self.said.add(key)
        return True

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        reason = _reason(exc)
        message = record.getMessage()
        if record.name.endswith("robotstxt") and (reason or exc is not None):
            reason = reason or type(exc).__name__
            host = _host(message)
            if not self._once(host, "robots " + reason):
                return False
            self._rewrite(record, logging.WARNING,
                          f"{host}: robots.txt unreachable ({reason}); its pages are crawled as if it allowed them")
            return True
        if reason is not None:  # any other traceback of an expected network failure
            host = _host(message)
            if not self._once(host, reason):
                return False
            self._rewrite(record, logging.WARNING, f"{host}: {reason} ({message.split(':', 1)[0]})")
            return True
        if record.name.endswith("retry") and message.startswith("Gave up retrying"):
            tail = message.rsplit(": ", 1)[-1]
            reason = next((v for k, v in _REASONS.items() if k in tail), tail[:80])
            host = _host(message)
            if not self._once(host, reason):
                return False
            self._rewrite(record, logging.WARNING, f"{host}: {reason} (gave up after retries; "
                                                   "more of the same on this host are counted, not logged)")
            return True
        if message.startswith("fetch failed: "):  # spiders/reports.py on_error: one per host and reason
            reason = message.rsplit("(", 1)[-1].rstrip(")")
            return self._once(_host(message), reason)
        return True

    @staticmethod
    def _rewrite(record: logging.LogRecord, level: int, text: str) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = text, (), None, None
        record.levelno, record.levelname = level, logging.getLevelName(level)


class QuietNetwork:
    """Scrapy extension: puts one ``NetworkNoise`` on the root log handlers once the engine starts
    (Scrapy installs its own handler when the crawl is set up, after the command could add one)."""

    def __init__(self) -> None:
        self.noise = NetworkNoise()

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietNetwork:
        from scrapy import signals

        ext = cls()
        crawler.signals.connect(ext.install, signal=signals.engine_started)
        crawler.nianbao_netlog = ext.noise
        return ext

    def install(self) -> None:
        for handler in logging.getLogger().handlers:
            if self.noise not in handler.filters:
                handler.addFilter(self.noise)
