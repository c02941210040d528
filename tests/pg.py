"""A fresh PostgreSQL schema per test or cluster, shared by the storage and distributed tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, text


@contextmanager
def pg_schema(pg_url: str, prefix: str = "nb") -> Iterator[str]:
    """A fresh, empty PostgreSQL schema (dropped afterwards); the URL pins search_path to it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{pg_url}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
