"""SQLAlchemy 2.0 models of the archive (docs/DESIGN.md, "Data model").

Datetimes are naive UTC everywhere (SQLite has no time zones; PostgreSQL would otherwise mix
``timestamp`` and ``timestamptz``). The unique constraints are what make concurrent writers safe:
a writer that loses a race gets an IntegrityError and retries against the winner's rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so Alembic migrations can address them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class SafeText(TypeDecorator[str]):
    """TEXT that drops NUL characters: PostgreSQL refuses them and PDF text extraction emits them."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value.replace("\x00", "") if isinstance(value, str) else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Agency(Base):
    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(SafeText, unique=True)
    region: Mapped[str] = mapped_column(SafeText, default="")
    level: Mapped[str] = mapped_column(SafeText, default="")
    seed_url: Mapped[str] = mapped_column(SafeText, default="")
    domains: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Blob(Base):
    """One distinct payload, stored once, zstd-compressed; keyed by sha256 of the raw bytes."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)  # raw (uncompressed) size
    stored_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CrawlRun(Base):
    __tablename__ = "crawl_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    exit_status: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Fetch(Base):
    """The capture log: one row per response (or failed request); a 304 has no blob."""

    __tablename__ = "fetch"
    __table_args__ = (Index("ix_fetch_url_fetched_at", "url", "fetched_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"), nullable=True, index=True)
    url: Mapped[str] = mapped_column(SafeText)
    final_url: Mapped[str] = mapped_column(SafeText, default="")
    status: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    content_type: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    encoding: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kept for WARC export
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"), nullable=True, index=True)
    # What actually arrived: differs from blob_sha256 when only a hit counter changed and the
    # earlier, equivalent blob was kept instead (crawler.fingerprint.payload_fingerprint).
    payload_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload_fp: Mapped[str | None] = mapped_column(String(64), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)  # bytes downloaded
    error: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(30), nullable=True)  # archive outcome if any
    kind: Mapped[str | None] = mapped_column(SafeText, nullable=True)  # list | report | attachment
    fetched_at: Mapped[datetime] = mapped_column(DateTime)


class Report(Base):
    """One agency-year report; ``identity`` is the single unique key of the identity rule."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("agency_id", "year", "publisher_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    publisher: Mapped[str] = mapped_column(SafeText, default="")
    publisher_key: Mapped[str] = mapped_column(SafeText, default="")
    # "y|agency|year|publisher" or "u|sha256(canonical url)" when the year is unknown (hashed: index
    # entries have a size limit on PostgreSQL, URLs do not).
    identity: Mapped[str] = mapped_column(SafeText, unique=True)
    canonical_url: Mapped[str] = mapped_column(SafeText)
    source_url: Mapped[str] = mapped_column(SafeText)  # the URL whose text changes make versions
    title: Mapped[str] = mapped_column(SafeText, default="")
    published: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="live")  # live | removed | defaced
    # Kept from a wrapper page alone (its file not fetched or not readable): the next rendering of
    # the report replaces its version 1 (crawler.decide).
    stub: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The run that stored it: while that run lasts, a better rendering of it may still become its
    # source (crawler.decide), so the arrival order of one run's documents decides nothing.
    first_run: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


class ReportVersion(Base):
    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("report_id", "n"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    n: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(SafeText)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(SafeText)
    title: Mapped[str] = mapped_column(SafeText, default="")
    published: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    format: Mapped[str] = mapped_column(SafeText, default="legacy")
    tables: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # Report.to_dict()
    checks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    spam: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # defaced text, never "current"
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # uint32 signature
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"), nullable=True)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetch.id"), nullable=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    diff: Mapped[str] = mapped_column(SafeText, default="")  # unified diff against previous clean version
    changed_cells: Mapped[list[Any]] = mapped_column(JSON, default=list)
    meta_changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Sighting(Base):
    """A URL where a report was seen, with the last normalised text seen there."""

    __tablename__ = "sighting"
    __table_args__ = (UniqueConstraint("report_id", "url"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    url: Mapped[str] = mapped_column(SafeText, index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    last_text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    last_fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetch.id"), nullable=True)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    removed_reason: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    via: Mapped[str] = mapped_column(SafeText, default="", server_default="", index=True)  # linking page


class Relation(Base):
    """Near-duplicate across agencies (内容雷同): recorded, never merged."""

    __tablename__ = "relation"
    __table_args__ = (UniqueConstraint("report_id", "other_report_id", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    other_report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # boilerplate-copy
    similarity: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Event(Base):
    """new | revised | defaced | restored | removed | boilerplate-copy | variant-changed | source-moved |
    stub (a wrapper kept until its file is read) | out-of-seed (another agency's report, not stored)."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_created_at", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), nullable=True, index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("report_version.id"), nullable=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"), nullable=True, index=True)
    url: Mapped[str | None] = mapped_column(SafeText, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ListLink(Base):
    """What an agency's 年报 lists linked on its last complete crawl (removal by ``missing-from-list``).

    ``via`` is empty for a link on a list page, else the report page an attachment hangs off: such
    files leave together with their page even when the page itself was not re-fetched.
    """

    __tablename__ = "list_link"
    __table_args__ = (UniqueConstraint("agency_id", "url_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    url_sha256: Mapped[str] = mapped_column(String(64))  # hashed: index entries have a size limit
    url: Mapped[str] = mapped_column(SafeText)
    via: Mapped[str] = mapped_column(SafeText, default="")
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"), nullable=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
