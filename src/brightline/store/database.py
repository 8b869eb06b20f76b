"""Opening a store from a URL: SQLite by default, PostgreSQL in production, migrated by Alembic.

``sqlite:///brightline.db`` and ``postgresql://user@host/db`` (or ``postgresql+psycopg://…``) both work.
SQLite is tuned for one writer and many readers (WAL, ``BEGIN IMMEDIATE`` for writes so two writers queue
instead of failing half-way); PostgreSQL uses psycopg 3.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from brightline.errors import BrightlineError

DEFAULT_URL = "sqlite:///brightline.db"
#: Alembic's version table, named so it never collides with a platform's own migrations in a shared database.
VERSION_TABLE = "brightline_version"


class StoreError(BrightlineError):
    """The database cannot be opened, is not migrated, or refused an operation."""


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as psycopg 3 URLs; keep everything else as given."""
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if "://" not in url:  # a bare path means a SQLite file
        url = f"sqlite:///{url}"
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable at each WAL checkpoint; safe against process kill
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front: a deferred transaction that upgrades to a writer later can fail
        # with SQLITE_BUSY mid-way; IMMEDIATE waits (busy_timeout) and then has the database to itself.
        readonly = conn.get_execution_options().get("brightline_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


class Store:
    """A database connection pool plus session factories for write and read-only work."""

    def __init__(self, url: str = DEFAULT_URL, *, create: bool = True, pool: bool = True) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"not a database URL: {url!r} ({exc})") from None
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        elif self.dialect == "postgresql":
            kwargs["pool_pre_ping"] = True  # survive a database restart between batches
        else:
            raise StoreError(f"unsupported database {self.dialect!r}: use sqlite:///FILE or postgresql://…")
        if not pool:
            kwargs["poolclass"] = NullPool
        try:
            self.engine = create_engine(self.url, **kwargs)
        except Exception as exc:  # driver missing, bad options
            raise StoreError(f"cannot open {self.display_url}: {exc}") from None
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(self.engine.execution_options(brightline_readonly=True), expire_on_commit=False)
        if create:
            self.ensure_schema()

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A read-write transaction: committed on success, rolled back on any error."""
        with self._write() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (no write lock on SQLite)."""
        with self._read() as session, session.begin():
            yield session

    # ---- schema ----

    def revision(self) -> str | None:
        """The Alembic revision the database is at; None when brightline's tables were never created."""
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
                return ctx.get_current_revision()
        except OperationalError as exc:
            raise StoreError(f"cannot connect to {self.display_url}: {exc.orig}") from None

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to ``revision`` (default: the newest)."""
        from alembic import command

        cfg = alembic_config(self)
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except OperationalError as exc:
            raise StoreError(f"cannot migrate {self.display_url}: {exc.orig}") from None

    def downgrade(self, revision: str) -> None:
        from alembic import command

        cfg = alembic_config(self)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)

    def ensure_schema(self) -> None:
        """Create the tables in an empty database; refuse (with the fix) a database at an older revision."""
        current = self.revision()
        head = head_revision()
        if current == head:
            return
        if current is None:
            if inspect(self.engine).has_table("items"):
                raise StoreError(
                    f"{self.display_url} has an 'items' table but no brightline version: not a brightline database?"
                )
            self.upgrade("head")
            return
        raise StoreError(
            f"{self.display_url} is at revision {current}, brightline needs {head}: "
            f"run `brightline db upgrade --db {self.display_url}`"
        )

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(store: Store | None = None) -> Any:
    """An Alembic Config pointing at the migrations shipped inside the package (works when pip-installed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("brightline.store") / "migrations"))
    cfg.set_main_option("version_table", VERSION_TABLE)
    if store is not None:
        cfg.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest migration revision shipped with this brightline."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
