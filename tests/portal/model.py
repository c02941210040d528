"""The simulated web's data: pages by (host, path), dynamic endpoints, ground truth."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

COUNTER = "{{VIEWS}}"  # placeholder for the server-side 浏览次数, replaced on every request


@dataclass
class TrueReport:
    agency: str  # full name as the seed CSV has it
    year: int  # report year
    urls: list[str]  # every URL serving this report (HTML page and/or attachments)
    format: str  # "2019" | "2021" | "legacy"
    defaced: bool = False
    kind: str = "html"  # html | pdf | docx
    title: str = ""


@dataclass
class Confusable:
    url: str
    title: str
    kind: str  # work-points | website-report | final-accounts | rule-of-law | format-notice | interpretation


@dataclass
class RequestLog:
    method: str
    host: str
    path: str  # path + query
    status: int
    bytes: int


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Page:
    """One resource. ``text`` pages are encoded at serve time (counter); ``body`` is fixed bytes."""

    content_type: str = "text/html; charset=utf-8"
    text: str | None = None
    body: bytes | None = None
    lazy: Callable[[], bytes] | None = None  # built at first request, then cached (PDFs)
    encoding: str = "utf-8"
    status: int = 200
    validators: bool = False  # send ETag/Last-Modified and answer conditional requests with 304
    last_modified: datetime | None = None
    delay_state: str | None = None  # portal state key holding seconds to sleep before answering
    revised_text: str | None = None  # served instead of ``text`` while the revision switch is on


# A dynamic endpoint: (query params, request body, portal state) -> Response
Handler = Callable[[dict[str, list[str]], bytes, dict], Response]


@dataclass
class Agency:
    name: str
    url: str
    region: str
    level: str
    domains: list[str]


@dataclass
class Web:
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    agencies: list[Agency] = field(default_factory=list)
    reports: list[TrueReport] = field(default_factory=list)
    confusables: list[Confusable] = field(default_factory=list)
    soft404_hosts: set[str] = field(default_factory=set)  # unknown paths answer 200 "页面不存在"
    revised_url: str = ""
    revised_cell: str = ""
    scale: int = 1

    def seeds_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["agency", "url", "region", "level", "domains", "render"])
        for a in self.agencies:
            writer.writerow([a.name, a.url, a.region, a.level, " ".join(a.domains), ""])
        return buf.getvalue()

    @property
    def hosts(self) -> set[str]:
        return {h for h, _ in self.pages} | {h for h, _ in self.handlers}
