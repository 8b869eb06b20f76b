"""The append-only, hash-chained audit log.

Each event is stored with ``body``, its canonical JSON (sorted keys, no whitespace, UTF-8), and
``hash = sha256(prev_hash + "\\n" + body)``; the first event chains onto 64 zeros. The body carries the event's
own sequence number, so swapping two rows breaks the chain as surely as editing one. A one-row head table
holds the last sequence number and hash: deleting the newest events, or appending events without going
through brightline, leaves the head disagreeing with the table. With ``BRIGHTLINE_AUDIT_KEY`` set the head is
also sealed with an HMAC, so even someone who can rewrite the whole table cannot forge a valid tail.

Events of one transaction are buffered and chained at commit (:meth:`AuditWriter.flush`): the head row is
locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock already serialises writers) only for that
moment, and never while the transaction waits for another row, so appends cannot deadlock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from brightline.store.tables import AuditEventRow, AuditHeadRow

GENESIS_HASH = "0" * 64
#: Environment variable holding the key that seals the chain head (optional; any string).
AUDIT_KEY_ENV = "BRIGHTLINE_AUDIT_KEY"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"cannot put {type(value).__name__} into an audit event")


def iso(value: datetime) -> str:
    """UTC ISO-8601 with microseconds and a Z: one spelling per instant, so hashes are reproducible."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(obj: Any) -> str:
    """Sorted keys, no whitespace, non-ASCII kept as UTF-8: the exact text that is hashed."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def chain_hash(prev_hash: str, body: str) -> str:
    """The hash of an event: SHA-256 over the previous hash, a newline and the canonical body."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body.encode("utf-8")).hexdigest()


def seal(key: str, seq: int, head_hash: str) -> str:
    """HMAC-SHA256 of ``seq:hash`` under the operator's key."""
    return hmac.new(key.encode("utf-8"), f"{seq}:{head_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def audit_key_from_env() -> str | None:
    return os.environ.get(AUDIT_KEY_ENV) or None


@dataclass(slots=True)
class _Pending:
    type: str
    actor: str
    subject: str | None
    account_id: str | None
    data: dict[str, Any]
    at: datetime


@dataclass
class AuditWriter:
    """Collects one transaction's events; :meth:`flush` chains them onto the head inside that transaction."""

    session: Session
    lock_rows: bool = False
    key: str | None = None
    _pending: list[_Pending] = field(default_factory=list)

    def record(
        self,
        type: str,
        data: dict[str, Any],
        *,
        at: datetime,
        actor: str = "brightline",
        subject: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """Queue an event. ``subject`` is ``"kind:id"`` of what it concerns; ``account_id`` whose record it touches."""
        self._pending.append(_Pending(type, actor, subject, account_id, data, at))

    def flush(self) -> int:
        """Chain and insert the queued events; returns how many. Call just before commit."""
        if not self._pending:
            return 0
        stmt = select(AuditHeadRow).where(AuditHeadRow.id == 1)
        if self.lock_rows:
            stmt = stmt.with_for_update()
        head = self.session.execute(stmt).scalar_one()
        seq, prev = head.seq, head.hash
        rows = []
        for ev in self._pending:
            seq += 1
            body = canonical_json(
                {
                    "seq": seq,
                    "at": iso(ev.at),
                    "type": ev.type,
                    "actor": ev.actor,
                    "subject": ev.subject,
                    "account": ev.account_id,
                    "data": ev.data,
                }
            )
            digest = chain_hash(prev, body)
            rows.append(
                {
                    "seq": seq,
                    "at": ev.at,
                    "type": ev.type,
                    "actor": ev.actor,
                    "subject": ev.subject,
                    "account_id": ev.account_id,
                    "body": body,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        self.session.execute(insert(AuditEventRow.__table__), rows)
        self.session.execute(
            update(AuditHeadRow)
            .where(AuditHeadRow.id == 1)
            .values(
                seq=seq,
                hash=prev,
                seal=seal(self.key, seq, prev) if self.key else None,
                updated_at=self._pending[-1].at,
            )
        )
        n = len(self._pending)
        self._pending.clear()
        return n


@dataclass
class VerifyResult:
    """Outcome of :func:`verify`: ok, how many events were checked, and the first problem found."""

    ok: bool
    events: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    bad_seq: int | None = None
    sealed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": {"seq": self.head_seq, "hash": self.head_hash, "sealed": self.sealed},
            "problem": self.problem,
            "first_bad_event": self.bad_seq,
        }


def _check_event(row: AuditEventRow, expected_seq: int, prev: str) -> str | None:
    """The problem with one event, or None. Order matters: name the most specific cause."""
    if row.seq != expected_seq:
        if row.seq > expected_seq:
            missing = (
                f"event {expected_seq}" if row.seq == expected_seq + 1 else f"events {expected_seq}–{row.seq - 1}"
            )
            return f"{missing} missing (deleted): the chain jumps from {expected_seq - 1} to {row.seq}"
        return f"event {row.seq} is out of order"
    try:
        body = json.loads(row.body)
    except (TypeError, ValueError):
        return f"event {row.seq}: body is not valid JSON (edited)"
    if not isinstance(body, dict) or body.get("seq") != row.seq:
        claimed = body.get("seq") if isinstance(body, dict) else None
        return f"event {row.seq}: its body is event {claimed} (events reordered or bodies swapped)"
    if row.prev_hash != prev:
        return f"event {row.seq}: prev_hash does not match event {row.seq - 1} (events reordered, removed or inserted)"
    if chain_hash(prev, row.body) != row.hash:
        return f"event {row.seq}: hash mismatch, its body was edited"
    columns = {"type": row.type, "actor": row.actor, "subject": row.subject, "account": row.account_id,
               "at": iso(row.at)}
    for name, value in columns.items():
        if body.get(name) != value:
            return f"event {row.seq}: column {name!r} was edited ({value!r}, the hashed body says {body.get(name)!r})"
    return None


def verify(session: Session, key: str | None = None, batch: int = 2000) -> VerifyResult:
    """Walk the whole chain in order with bounded memory; report the first edited, reordered, deleted or
    forged event, and whether the head (and its seal, when ``key`` is given) matches the last event."""
    head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1)).scalar_one_or_none()
    if head is None:
        return VerifyResult(False, 0, 0, GENESIS_HASH, "the audit head row is missing (deleted)", None)
    prev, expected, count = GENESIS_HASH, 1, 0
    last_seq = 0
    stream = session.execute(select(AuditEventRow).order_by(AuditEventRow.seq).execution_options(yield_per=batch))
    for row in stream.scalars():
        problem = _check_event(row, expected, prev)
        if problem is not None:
            return VerifyResult(False, count, head.seq, head.hash, problem, min(row.seq, expected))
        prev, expected, last_seq = row.hash, row.seq + 1, row.seq
        count += 1
    result = VerifyResult(True, count, head.seq, head.hash, sealed=head.seal is not None)
    if head.seq != last_seq:
        result.ok = False
        if head.seq > last_seq:
            result.problem = (
                f"the head records {head.seq} events but the log ends at {last_seq}: events {last_seq + 1}–"
                f"{head.seq} were deleted"
            )
            result.bad_seq = last_seq + 1
        else:
            result.problem = (
                f"events {head.seq + 1}–{last_seq} were appended outside brightline (the head ends at {head.seq})"
            )
            result.bad_seq = head.seq + 1
        return result
    if head.hash != prev:
        result.ok, result.bad_seq = False, last_seq
        result.problem = f"the head hash does not match event {last_seq}: the tail was rewritten"
        return result
    if key is not None:
        if head.seal is None:
            result.ok, result.bad_seq = False, last_seq or None
            result.problem = "a key was given but the head is not sealed (written without the key, or the seal was removed)"
        elif not hmac.compare_digest(head.seal, seal(key, head.seq, head.hash)):
            result.ok, result.bad_seq = False, last_seq or None
            result.problem = "the head seal is invalid: the chain was rewritten by someone without the audit key"
    return result


def check_anchor(session: Session, result: VerifyResult, seq: int, digest: str) -> None:
    """Mark ``result`` failed unless event ``seq`` still has the hash published earlier (``audit head``).
    An anchor kept outside the database exposes a chain rewritten end to end, even without an audit key."""
    row = session.execute(select(AuditEventRow.hash).where(AuditEventRow.seq == seq)).scalar_one_or_none()
    if row is None:
        result.ok, result.bad_seq = False, seq
        result.problem = f"the anchored event {seq} is no longer in the log"
    elif row != digest:
        result.ok, result.bad_seq = False, seq
        result.problem = f"event {seq} no longer has the anchored hash {digest[:16]}…: the chain was rewritten"


def events(
    session: Session, *, subjects: list[str] | None = None, accounts: list[str] | None = None
) -> Iterator[AuditEventRow]:
    """Events about any of the given subjects (``kind:id``) or accounts, oldest first."""
    from sqlalchemy import or_

    conds = []
    if subjects:
        conds.append(AuditEventRow.subject.in_(subjects))
    if accounts:
        conds.append(AuditEventRow.account_id.in_(accounts))
    stmt = select(AuditEventRow).order_by(AuditEventRow.seq)
    if conds:
        stmt = stmt.where(or_(*conds))
    yield from session.execute(stmt.execution_options(yield_per=1000)).scalars()
