"""storage.db: engines, migrations both ways on both backends, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from storage import Archive, StorageError, make_engine, migrate
from storage.db import HEAD_REVISION, MIGRATIONS, current_revision, downgrade
from storage.models import Base

TABLES = {"agency", "blob", "fetch", "report", "report_version", "sighting", "crawl_run", "event", "relation", "list_link"}


def _schema_diff(engine) -> list:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_migrations_both_ways_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        assert current_revision(engine) == "0003"
        assert _schema_diff(engine) == []
        downgrade(engine, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        assert current_revision(engine) is None
        migrate(engine)
        migrate(engine)  # idempotent
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()


def test_head_revision_is_the_newest_migration() -> None:
    """storage.db opens an archive at HEAD_REVISION without alembic: a new migration moves it."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def _reflected(engine) -> dict:  # type: ignore[no-untyped-def]
    """Every table's columns (type, nullable, server default), keys and indexes, as the database has
    them. Columns as a set: a migration appends the columns it adds (nothing reads columns by position)."""
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                              for c in insp.get_columns(table)),
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                          for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)),
            "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    return out


def test_a_new_archive_is_built_as_the_migrations_build_it(db_url: str) -> None:
    """migrate() on an empty database takes the models' tables stamped at head (no alembic); the
    same schema as running every migration from nothing, defaults and indexes included."""
    engine = make_engine(db_url)
    try:
        migrate(engine)  # empty: create_all + stamp
        assert current_revision(engine) == HEAD_REVISION
        built = _reflected(engine)
        downgrade(engine, "base")
        migrate(engine)  # the version table is left: every migration, through alembic
        assert current_revision(engine) == HEAD_REVISION
        assert _reflected(engine) == built
        assert set(built) >= TABLES | {"alembic_version"}
    finally:
        engine.dispose()


def test_an_archive_at_head_opens_without_alembic(tmp_path: Path) -> None:
    """The crawl's memory: an up-to-date archive is opened without importing alembic (10 MB)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'a.db'}"
    migrate(make_engine(url))
    probe = ("import sys; from storage import Archive; Archive.from_url(sys.argv[1]); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    out = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # and a fresh one still migrates
    fresh = f"sqlite:///{tmp_path / 'b.db'}"
    Archive.from_url(fresh)
    assert current_revision(make_engine(fresh)) == HEAD_REVISION


def test_sqlite_pragmas_and_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = make_engine()
    try:
        assert (tmp_path / "data" / "nianbao.db").exists()
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    finally:
        engine.dispose()


def test_database_url_env_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env/x.db")
    engine = make_engine()
    engine.dispose()
    assert (tmp_path / "env" / "x.db").exists()


def test_plain_postgresql_url_uses_psycopg3(pg_url: str) -> None:
    engine = make_engine(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    try:
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_corrupt_sqlite_file_is_a_clear_storage_error(tmp_path: Path) -> None:
    bad = tmp_path / "nianbao.db"
    bad.write_bytes(b"this is not a database, just some text " * 200)
    with pytest.raises(StorageError) as info:
        Archive.from_url(f"sqlite:///{bad}")
    message = str(info.value)
    assert "corrupt" in message and str(bad) in message
    assert "\n" not in message


def test_unwritable_location_is_a_clear_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as info:
        make_engine(f"sqlite:///{blocker}/sub/nianbao.db")
    assert "cannot create database folder" in str(info.value)


def test_unreachable_postgresql_is_a_clear_storage_error() -> None:
    with pytest.raises(StorageError) as info:
        make_engine("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")
    assert "cannot connect" in str(info.value) and "\n" not in str(info.value)


def test_locked_database_is_a_clear_storage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import storage.db as db

    path = tmp_path / "locked.db"
    Archive.from_url(f"sqlite:///{path}").engine.dispose()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)  # do not wait 30 s for the lock in a test
    fast = Archive(make_engine(f"sqlite:///{path}"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as info:
            fast.start_run({})
        assert "locked" in str(info.value) and "\n" not in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        fast.engine.dispose()


def test_workers_migrating_together(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    engines = [make_engine(db_url) for _ in range(3)]
    try:
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(migrate, engines))
        assert current_revision(engines[0]) == "0003" and _schema_diff(engines[0]) == []
    finally:
        for engine in engines:
            engine.dispose()


def test_database_from_an_older_build_is_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Archive.from_url(url).engine.dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE fetch DROP COLUMN payload_fp"))
    engine.dispose()
    with pytest.raises(StorageError) as info:
        Archive.from_url(url)
    assert "table fetch lacks payload_fp" in str(info.value)
