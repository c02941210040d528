"""Engine construction, schema migration and the one exception type storage raises.

SQLite (default, ``data/nianbao.db``) runs in WAL mode with ``BEGIN IMMEDIATE`` transactions so
concurrent writers queue on the busy timeout instead of failing on a lock upgrade; PostgreSQL
goes through psycopg 3.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///data/nianbao.db"
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "nianbao_read_only"
MIGRATION_LOCK = 0x6E69616E62616F  # "nianbao": PostgreSQL advisory lock key for migrations
# The newest migration's revision (storage/migrations/versions). An archive already there is opened
# without loading alembic (10 MB of the crawl's resident memory, make bench's 500 MB goal);
# tests/storage/test_db.py fails when a new migration is added without moving this.
HEAD_REVISION = "0003"


def utc_naive(moment: datetime | None) -> datetime:
    """Naive UTC for storage; naive inputs are taken to be UTC already."""
    if moment is None:
        return datetime.now(UTC).replace(tzinfo=None)
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


class StorageError(Exception):
    """A database problem explained in one line (corrupt file, locked, unwritable, unreachable)."""


def _normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def describe_error(err: BaseException, url: str = "") -> str:
    """One human line for a DBAPI/SQLAlchemy error."""
    orig = getattr(err, "orig", None) or err
    msg = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = msg.lower()
    where = f" ({url})" if url else ""
    if "file is not a database" in low or "malformed" in low:
        return f"database file is corrupt or not SQLite{where}: {msg}"
    if "database is locked" in low or "database table is locked" in low:
        return f"database is locked by another process{where}; retry later"
    if "readonly" in low or "read-only" in low or "unable to open database" in low:
        return f"database is not writable{where}: {msg}"
    if "disk is full" in low or "too large" in low or "disk i/o error" in low or "no space" in low:
        return f"no room to write: the disk is full or the file too large{where} ({msg})"
    if "connection" in low and ("refused" in low or "failed" in low or "timeout" in low):
        return f"cannot connect to the database{where}: {msg}"
    return f"database error{where}: {msg}"


def describe_url(url: str | None) -> str:
    """The archive as an operator names it: the file of an SQLite URL, else the URL without password."""
    raw = _normalise_url(url or os.environ.get("DATABASE_URL") or DEFAULT_URL)
    try:
        parsed = make_url(raw)
    except exc.ArgumentError:
        return raw
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def check_writable(engine: Engine) -> None:
    """StorageError unless a write transaction can commit (a read-only file, folder or role fails here,
    before a crawl fetches anything, rather than at its first report)."""
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                version = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
                conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
            else:
                if conn.execute(text("SHOW transaction_read_only")).scalar() == "on":
                    raise StorageError("database is read-only (a standby, or default_transaction_read_only)")
    except exc.SQLAlchemyError as err:
        raise StorageError(describe_error(err)) from None


class CrawlLock:
    """Held while a crawl writes an archive: a lock file beside an SQLite file, or a PostgreSQL
    advisory lock on its own connection. ``close`` releases it (so does the process ending)."""

    def __init__(self, release: Any) -> None:
        self._release = release

    def close(self) -> None:
        if self._release is not None:
            self._release()
            self._release = None


def crawl_lock(engine: Engine, seeds: str) -> tuple[CrawlLock, str | None]:
    """(lock, None), or (unheld lock, why not): one crawl at a time per SQLite archive, and per seed
    list on PostgreSQL (where crawls of different seed lists may share the archive)."""
    import fcntl
    import hashlib

    if engine.dialect.name == "sqlite":
        db = engine.url.database
        if not db or db == ":memory:" or db.startswith("file:"):
            return CrawlLock(None), None
        path = Path(db).expanduser().resolve().with_name(Path(db).name + ".crawl-lock")
        try:
            handle = path.open("a", encoding="utf-8")
        except OSError as err:
            return CrawlLock(None), f"archive {db}: cannot create its lock file {path.name} ({err.strerror})"
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return CrawlLock(None), f"archive {db} is being written by another crawl (lock {path.name} held)"
        return CrawlLock(handle.close), None
    # one key per archive (server, database, search_path) and seed list: advisory locks span the server
    name = f"nianbao-crawl:{engine.url.render_as_string(hide_password=True)}:{Path(seeds).resolve() if seeds else ''}"
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    conn = engine.connect()
    try:
        held = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        conn.commit()
    except exc.SQLAlchemyError as err:
        conn.close()
        return CrawlLock(None), f"archive {describe_url(str(engine.url))}: {describe_error(err)}"
    if not held:
        conn.close()
        return CrawlLock(None), (f"archive {describe_url(str(engine.url))} is being written by another crawl "
                                 f"of the seed list {seeds or '(none)'}")

    def release() -> None:
        # the connection goes back to the pool, its session (and a session-level lock) with it: unlock
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
        except exc.SQLAlchemyError:
            conn.invalidate()  # a broken session ends, and its lock with it
        conn.close()

    return CrawlLock(release), None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level; SQLAlchemy's "begin" hook below issues BEGIN itself.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    # Switching modes needs a lock; a file already in WAL must stay readable while a writer works.
    mode = cur.execute("PRAGMA journal_mode").fetchone()
    if mode and str(mode[0]).lower() not in ("wal", "memory"):
        mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            log.warning("SQLite did not switch to WAL (journal_mode=%s)", mode[0])
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the lock up front (no deadlock on upgrade); readers stay deferred so they
    # never wait for a crawl that is writing.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def reader(engine: Engine) -> Engine:
    """The same engine for read-only work (deferred transactions on SQLite)."""
    return engine.execution_options(**{READ_ONLY: True})


def make_engine(url: str | None = None) -> Engine:
    """Engine for ``url``, else ``$DATABASE_URL``, else ``sqlite:///data/nianbao.db``.

    Connects once so a corrupt, locked or unreachable database fails here with a StorageError.
    """
    raw = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    raw = _normalise_url(raw)
    try:
        parsed = make_url(raw)
    except exc.ArgumentError as err:
        raise StorageError(f"bad database URL {raw!r}: {err}") from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            folder = Path(db).expanduser().resolve().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StorageError(f"cannot create database folder {folder}: {err.strerror}") from None
        engine = create_engine(
            parsed, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
    else:
        raise StorageError(f"unsupported database URL {describe_url(raw)}: nianbao archives to "
                           "sqlite:///PATH or postgresql://HOST/DB")
    try:
        with reader(engine).connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
            else:
                conn.execute(text("SELECT 1")).scalar()
    except exc.SQLAlchemyError as err:
        engine.dispose()
        raise StorageError(describe_error(err, parsed.render_as_string(hide_password=True))) from None
    return engine


def _alembic_config(connection: Any) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


# Alembic keeps the running migration in module globals (alembic.context, alembic.op): two threads
# migrating at once (two archives opened side by side) break each other (KeyError: 'script').
_MIGRATING = threading.Lock()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (no alembic.ini needed).

    An archive at HEAD_REVISION is only checked, and an empty database gets the models' tables
    stamped HEAD_REVISION (alembic's recipe for a database built from scratch: create_all, then
    stamp); neither loads alembic, 10 MB of a crawl's resident memory. Anything else goes through
    alembic's migrations. tests/storage/test_db.py holds that both roads build the same schema.
    """
    try:
        if revision == "head" and _at_head(engine):
            check_schema(engine)
            return
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Workers starting together on a fresh database: one migrates, the rest wait.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if revision == "head" and not inspect(conn).get_table_names():
                _create_at_head(conn)
            else:
                from alembic import command

                with _MIGRATING:
                    command.upgrade(_alembic_config(conn), revision)
        if revision == "head":
            check_schema(engine)
    except exc.SQLAlchemyError as err:
        raise StorageError(describe_error(err, engine.url.render_as_string(hide_password=True))) from None


def _create_at_head(conn: Any) -> None:
    """An empty database: the models' tables, and alembic's version table saying HEAD_REVISION
    (the table ``alembic stamp`` writes: one VARCHAR(32) primary key named alembic_version_pkc)."""
    from storage.models import Base

    Base.metadata.create_all(conn)
    conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                      "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": HEAD_REVISION})


def _at_head(engine: Engine) -> bool:
    """The archive's schema is at HEAD_REVISION already (read without alembic or a write lock)."""
    with reader(engine).connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION


def check_schema(engine: Engine) -> None:
    """StorageError naming the first model column the database lacks (a database made by an
    older build under the same revision id); cheap enough to run on every start."""
    from storage.models import Base

    insp = inspect(engine)
    tables = set(insp.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            raise StorageError(f"database schema is out of date: table {table.name} is missing")
        have = {c["name"] for c in insp.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in have]
        if missing:
            raise StorageError(f"database schema is out of date: table {table.name} lacks {', '.join(missing)}; "
                               "re-create the database (no data migration exists for pre-release schemas)")


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Downgrade the schema (tests and operators rolling back a release)."""
    from alembic import command

    try:
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), revision)
    except exc.SQLAlchemyError as err:
        raise StorageError(describe_error(err, engine.url.render_as_string(hide_password=True))) from None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
