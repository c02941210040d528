"""Typed dataclasses that cross the rooms' walls (see docs/DESIGN.md).

Every stage hands the next one of these; their ``to_dict`` output is the JSON contract of
docs/schema.md, so keys here are public API: add freely, rename nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Seed:
    """One agency from a seed CSV."""

    agency: str
    url: str
    region: str = ""
    level: str = ""
    domains: tuple[str, ...] = ()
    render: str = ""  # "js" forces the browser for this site's list pages


@dataclass
class Table:
    """A body table as a rectangular grid; merged cells are repeated into every cell they cover."""

    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Removed:
    text: str
    reason: str


@dataclass
class SpamFinding:
    text: str
    kind: str


@dataclass
class Spam:
    detected: bool = False
    findings: list[SpamFinding] = field(default_factory=list)


@dataclass
class SiteIdentity:
    """Site identity harvested from meta tags and footer chrome before it is stripped."""

    name: str | None = None
    id_code: str | None = None
    icp: str | None = None
    police: str | None = None  # 公网安备 number
    domain: str | None = None  # <meta name="SiteDomain">


@dataclass(frozen=True)
class NotRead:
    """Why a payload could not be read: no document at all (an empty body, bytes of no known type,
    HTML that does not parse, the extractor failed) or an attachment its reader could not read
    (encrypted, corrupt, a zip bomb …).

    ``cause`` names it for counting, ``detail`` is the whole reason. Example: the attachment reason
    "corrupt pdf: PdfReadError: EOF marker not found" is the cause "corrupt pdf". ``attachment``:
    the reason is an attachment reader's (the crawl counts those as failures: ``key``)."""

    cause: str
    detail: str
    attachment: bool = True

    @classmethod
    def of(cls, reason: str) -> NotRead:
        """An attachment reader's reason."""
        return cls(reason.split(":", 1)[0].strip(), reason)

    @classmethod
    def no_document(cls, cause: str, detail: str = "") -> NotRead:
        """Nothing to read at all; ``detail`` (the document's warning) defaults to the cause."""
        return cls(cause, detail or cause, attachment=False)

    @property
    def key(self) -> str:
        """The failure's name in the run summary and the stats: ``attachment_corrupt_pdf``."""
        return "attachment_" + re.sub(r"\W+", "_", self.cause).strip("_")

    @property
    def warning(self) -> str:
        """The document's warning that says so (``CleanDocument.warnings``)."""
        return f"attachment not extracted: {self.detail}" if self.attachment else self.detail


@dataclass
class CleanDocument:
    """What ``crawler.extract`` makes of one page or attachment."""

    url: str = ""
    title: str = ""
    published: str | None = None  # ISO date
    agency: str | None = None
    site: SiteIdentity = field(default_factory=SiteIdentity)
    text: str = ""
    tables: list[Table] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    spam: Spam = field(default_factory=Spam)
    method: str = "fallback"  # container | headings | trafilatura | fallback | pdf | docx | xlsx | text
    warnings: list[str] = field(default_factory=list)
    not_read: NotRead | None = None  # set by crawler.extract when the payload could not be read

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.not_read is None:
            del data["not_read"]  # the document JSON of docs/schema.md gains the key only when set
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CleanDocument:
        data = dict(data)
        data["site"] = SiteIdentity(**(data.get("site") or {}))
        data["tables"] = [Table(**t) for t in data.get("tables") or []]
        data["removed"] = [Removed(**r) for r in data.get("removed") or []]
        data["not_read"] = NotRead(**data["not_read"]) if data.get("not_read") else None
        spam = data.get("spam") or {}
        data["spam"] = Spam(
            detected=bool(spam.get("detected")),
            findings=[SpamFinding(**f) for f in spam.get("findings") or []],
        )
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class AttachmentText:
    """Text and tables read out of a PDF / DOC(X) / XLS(X) / WPS attachment, before chrome filtering."""

    kind: str  # pdf | docx | doc | xlsx | xls | wps | rtf | unknown
    text: str = ""  # paragraphs one per line; tables inline as rows of cells joined by " | "
    tables: list[Table] = field(default_factory=list)
    title: str = ""  # document metadata title or first heading-like line, "" when unknown
    extracted: bool = True  # False: stored raw, see ``reason``
    reason: str = ""  # why nothing could be extracted (e.g. "encrypted pdf", "no converter for doc")
    warnings: list[str] = field(default_factory=list)


@dataclass
class Section:
    number: str  # 一 … 六, or "" for the unnumbered preamble
    title: str
    text: str


@dataclass
class Check:
    rule: str  # T3-1 … T4-3, T2-1 …, X-1 (docs/report-format.md §5)
    ok: bool
    detail: str = ""
    severity: str = "hard"  # hard | soft


@dataclass
class Report:
    """What ``crawler.parse`` makes of a CleanDocument (docs/schema.md, "parse → Report").

    ``proactive``, ``requests`` and ``review_litigation`` follow the key sets of schema.md
    exactly; a blank cell is ``None``, money is ``{"value", "unit", "raw"}``.
    """

    agency: str | None = None
    year: int | None = None
    format: str = "legacy"  # "2021" | "2019" | "legacy"
    title: str = ""
    published: str | None = None
    sections: list[Section] = field(default_factory=list)
    proactive: dict[str, Any] = field(default_factory=dict)
    requests: dict[str, Any] = field(default_factory=dict)
    review_litigation: dict[str, Any] = field(default_factory=dict)
    legacy_figures: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        data = dict(data)
        data["sections"] = [Section(**s) for s in data.get("sections") or []]
        data["checks"] = [Check(**c) for c in data.get("checks") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Verdict:
    """The report classifier's decision for one candidate document."""

    is_report: bool
    reason: str
    score: float = 0.0


@dataclass
class Reading:
    """What ``crawler.read.read`` makes of one payload; it crosses from the reading process to the
    crawler, so it lives here, where unpickling it needs nothing the crawler has not loaded."""

    document: CleanDocument
    verdict: Verdict
    report: Report | None = None  # parsed only when the verdict says it is a report
    text_print: Any = None  # with the report: crawler.fingerprint.TextPrint, for the archive's dedup


@dataclass
class Capture:
    """One fetched candidate (report page or attachment), as the spider hands it to the pipelines."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    agency: str  # the seed's agency name
    seed_url: str
    fetched_at: str  # ISO 8601 UTC
    kind: str = "page"  # page | attachment
    title_hint: str = ""  # the anchor text that led here
    referer: str = ""
    via_browser: bool = False
    seed: Seed | None = field(default=None, repr=False)  # the seed whose crawl found it
    via: str | None = None  # a file's report page (the page whose attachment links named it), if any
    # Filled by the pipelines as the item moves on.
    fetch_id: int | None = None
    new_blob: bool = False
    skip: str = ""  # why later stages should not process the payload (e.g. "not-modified")
    document: CleanDocument | None = field(default=None, repr=False)
    report: Report | None = field(default=None, repr=False)
    text_print: Any = field(default=None, repr=False)  # crawler.fingerprint.TextPrint, for the archive
    outcome: str = ""
