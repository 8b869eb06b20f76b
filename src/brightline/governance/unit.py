"""A unit of work: one database transaction plus the audit events it produces, committed together.

Either every row and every audit event of a unit is stored, or none is: a process killed mid-way leaves no
half-written decision. A unit that loses a race (unique-key conflict, PostgreSQL deadlock or serialisation
failure) is rolled back and run again from the start, so the function passed in must only touch the database.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from brightline.governance.audit import AuditWriter
from brightline.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

#: PostgreSQL SQLSTATEs worth retrying: serialization_failure, deadlock_detected, lock_not_available.
_RETRY_SQLSTATES = {"40001", "40P01", "55P03"}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Unit:
    """What governance code works with: the open session, the audit writer and the store's dialect."""

    session: Session
    audit: AuditWriter
    store: Store

    @property
    def is_postgres(self) -> bool:
        return self.store.is_postgres


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True  # a concurrent writer inserted the same unique row first; the rerun will find it
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if code in _RETRY_SQLSTATES:
            return True
        return "database is locked" in str(exc.orig)
    return False


def run_unit(store: Store, work: Callable[[Unit], T], *, key: str | None = None, attempts: int = 6) -> T:
    """Run ``work`` in one transaction with its audit events; retry it when it lost a race."""
    for attempt in range(1, attempts + 1):
        try:
            with store.write() as session:
                unit = Unit(session, AuditWriter(session, lock_rows=store.is_postgres, key=key), store)
                result = work(unit)
                session.flush()
                unit.audit.flush()
            return result
        except (IntegrityError, DBAPIError) as exc:
            if attempt == attempts or not _retryable(exc):
                raise
            log.info("unit lost a race (%s); retry %d", type(exc.orig).__name__ if hasattr(exc, "orig") else exc, attempt)
            time.sleep(random.uniform(0.005, 0.05) * attempt)
    raise AssertionError("unreachable")
