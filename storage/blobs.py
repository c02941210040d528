"""Content-addressed payload store: sha256 of the raw bytes → one zstd-compressed row."""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import datetime
from typing import cast

import zstandard
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from storage.models import Blob

log = logging.getLogger(__name__)

ZSTD_LEVEL = 10
_local = threading.local()  # zstd (de)compressor objects are not thread-safe


def _compressor() -> zstandard.ZstdCompressor:
    comp = getattr(_local, "comp", None)
    if comp is None:
        comp = _local.comp = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
    return comp


def _decompressor() -> zstandard.ZstdDecompressor:
    dec = getattr(_local, "dec", None)
    if dec is None:
        dec = _local.dec = zstandard.ZstdDecompressor()
    return dec


def sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def compress(payload: bytes) -> bytes:
    return _compressor().compress(payload)


def decompress(data: bytes) -> bytes:
    return _decompressor().decompress(data)


_EXISTS = select(Blob.sha256).where(Blob.sha256 == bindparam("digest"))
# Through the table: the ORM's unit of work costs more than the INSERT. A declarative class's
# __table__ is a Table, but SQLAlchemy types the attribute as the wider FromClause.
_INSERT = insert(cast(Table, Blob.__table__))


def exists(session: Session, digest: str) -> bool:
    """Is ``digest`` stored? (Asks for the key only: ``session.get`` would load the payload.)"""
    return session.connection().execute(_EXISTS, {"digest": digest}).first() is not None


def put(session: Session, payload: bytes, now: datetime, packed: bytes | None = None, *,
        digest: str | None = None, absent: bool = False) -> tuple[str, bool]:
    """Store ``payload`` unless present; returns (sha256, stored_now).

    ``packed`` lets callers compress before opening the transaction, ``digest`` pass the sha256
    they computed, and ``absent`` say they have just checked it is not stored. A concurrent writer
    storing the same payload makes the INSERT fail on the primary key; the caller's retry then
    finds it.
    """
    digest = digest or sha256(payload)
    if not absent and exists(session, digest):
        return digest, False
    data = packed if packed is not None else compress(payload)
    row = {"sha256": digest, "data": data, "size": len(payload), "stored_size": len(data), "created_at": now}
    session.connection().execute(_INSERT, row)
    return digest, True


def get(session: Session, digest: str) -> bytes | None:
    """The raw payload for ``digest``, or None when unknown."""
    data = session.scalar(select(Blob.data).where(Blob.sha256 == digest))
    return None if data is None else decompress(data)
