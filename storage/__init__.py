"""The archive: SQLAlchemy models, blob store, migrations and the write/read API (docs/DESIGN.md)."""

from storage.archive import Archive, ArchiveResult, FetchRecord
from storage.db import StorageError, make_engine, migrate

__all__ = ["Archive", "ArchiveResult", "FetchRecord", "StorageError", "make_engine", "migrate"]
