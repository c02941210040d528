"""The simulated web's data: pages by (host, path), dynamic endpoints, ground truth."""

from __future__ import annotations

import csv
import hashlib
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
    # Random webs (tests/portal/random): pages that only name or link the report's file (a short
    # "全文详见附件" wrapper, a pdf.js viewer URL): sightings of it, never a version on their own.
    wrappers: list[str] = field(default_factory=list)
    cells: dict[str, object] = field(default_factory=dict)  # key cells, e.g. "requests.rows.new_received[6]": 12
    host: str = ""  # the site whose list links it (random webs: misses tabulated by that site's dimensions)


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
    # Random webs: reports of agencies NOT in the seed list, linked from a seeded site (never to be
    # stored under the seed), list pages (never to be stored as reports), each site's drawn
    # dimensions by host, and the mean latency by host in seconds (Portal(latency_draw=N)).
    out_of_seed: list[TrueReport] = field(default_factory=list)
    list_urls: set[str] = field(default_factory=set)
    dims: dict[str, dict[str, object]] = field(default_factory=dict)
    host_latency: dict[str, float] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # host -> the 年报 column's URL as its parent links it
    seed: int | None = None

    def latency_for(self, host: str, target: str, draw: int) -> float:
        """Seconds this URL waits under latency draw ``draw``: the same every time it is asked
        for, different for another draw; 0 for a host without a mean."""
        mean = self.host_latency.get(host, 0.0)
        if mean <= 0:
            return 0.0
        digest = hashlib.blake2b(f"{self.seed}|{draw}|{host}|{target}".encode(), digest_size=8).digest()
        u = int.from_bytes(digest, "big") / 2**64
        return mean * 2 * u  # uniform on [0, 2*mean): the mean as drawn, URLs spread around it

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
