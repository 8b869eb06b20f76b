"""Bulk inserts that hand back the new ids in parameter order, fast on both backends.

PostgreSQL: ``INSERT … RETURNING`` with SQLAlchemy's ``sort_by_parameter_order`` (one round trip per page).
SQLite cannot promise the order of RETURNING rows, so SQLAlchemy would fall back to one statement per row;
instead the ids are assigned here, which is safe because every brightline write transaction on SQLite holds
the database's write lock from its first statement (``BEGIN IMMEDIATE``), so no one else can take an id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into the ORM class ``table`` (integer ``id`` key); return their ids in order."""
    if not rows:
        return []
    core = table.__table__  # Core, not the ORM bulk path: the rows are plain dicts keyed by column name
    if session.get_bind().dialect.name == "sqlite":
        start = session.execute(select(func.coalesce(func.max(core.c.id), 0))).scalar_one() + 1
        ids = list(range(start, start + len(rows)))
        session.execute(insert(core), [{**r, "id": i} for r, i in zip(rows, ids)])
        return ids
    stmt = insert(core).returning(core.c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, rows).scalars())
