"""Archives on real databases: a SQLite file per test and a fresh PostgreSQL schema per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from storage import Archive
from storage.models import Base
from tests.pg import pg_schema

SESSION_TAG = uuid.uuid4().hex[:8]


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'db' / 'nianbao.db'}"


@pytest.fixture
def pg_schema_url(pg_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A uniquely named schema, dropped afterwards; the URL pins search_path to it."""
    with pg_schema(pg_url, prefix=f"nb_{SESSION_TAG}") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database (not migrated) on each backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture(scope="session")
def pg_shared_url(pg_url: str) -> Iterator[str]:
    """One migrated schema for the whole session; tests empty it instead of migrating again."""
    schema = f"nb_{SESSION_TAG}_shared"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_url}?options={quote(f'-csearch_path={schema}')}"
    Archive.from_url(url).engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest) -> Iterator[Archive]:
    """A migrated, empty archive on each backend."""
    if request.param == "sqlite":
        arc = Archive.from_url(request.getfixturevalue("sqlite_url"))
    else:
        arc = Archive.from_url(request.getfixturevalue("pg_shared_url"))
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with arc.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    try:
        yield arc
    finally:
        arc.engine.dispose()
