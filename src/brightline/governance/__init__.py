"""Governance: what happens after a decision. Strikes and the enforcement ladder, reports, cases and review,
appeals, notices, the hash-chained audit log, transparency figures and DSA statements of reasons.

:class:`Governance` is the one entry point; the Engine holds one when it is given a database
(``Engine(policy, db="sqlite:///brightline.db")``) and stays pure and fast without.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import select

from brightline.governance.appeals import AppealError, decide_appeal, find_appeal_case, submit_appeal
from brightline.governance.audit import AuditWriter, VerifyResult, audit_key_from_env, verify
from brightline.governance.decisions import Item, PolicyContext, check_name, storage_problem
from brightline.governance.notices import mark_sent, notice_dict
from brightline.governance.reports import set_trusted_flagger
from brightline.governance.review import CaseError, case_view, decide_case, next_case
from brightline.governance.screening import record_batch
from brightline.governance.unit import Unit, run_unit, utcnow
from brightline.model import Account, Decision, ErrorRecord, Report, SubjectRef
from brightline.policy import PolicyPack, load_pack
from brightline.store import Store, StoreError
from brightline.store.tables import ItemRow, NoticeRow

if TYPE_CHECKING:
    from brightline.engine import Engine

T = TypeVar("T")
#: Decisions per transaction when screening a stream: large enough to amortise the commit, small enough
#: that output is acknowledged often (nothing is written out before its batch is committed).
DEFAULT_BATCH = 256


class Governance:
    """Persistent governance over one store and one policy pack."""

    def __init__(
        self,
        store: Store | str,
        pack: PolicyPack | str | Path | None = None,
        *,
        audit_key: str | None = None,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self.store = store if isinstance(store, Store) else Store(store)
        self.ctx = PolicyContext(pack if isinstance(pack, PolicyPack) else load_pack(pack))
        self.ctx.ladder  # validate the ladder now: a broken pack fails at start, not mid-batch
        self.audit_key = audit_key if audit_key is not None else audit_key_from_env()
        self.batch_size = max(1, batch_size)
        self._unknown_accounts: set[str] = set()

    @property
    def pack(self) -> PolicyPack:
        return self.ctx.pack

    def run(self, work: Callable[[Unit], T]) -> T:
        """Run ``work(unit)`` in one audited transaction (retried if it lost a race)."""
        return run_unit(self.store, work, key=self.audit_key)

    # ---- screening ----

    def record(
        self, item: Item, decision: Decision, *, now: datetime | None = None, base_path: str | Path | None = None
    ) -> Decision:
        """Persist one screened item's decision and apply the ladder; returns the decision to emit."""
        return self.record_batch([(item, decision)], now=now, base_path=base_path)[0]

    def record_batch(
        self,
        pairs: Sequence[tuple[Item, Decision]],
        *,
        now: datetime | None = None,
        base_path: str | Path | None = None,
    ) -> list[Decision]:
        """Persist many decisions in one transaction: all of them or none."""
        at = now or utcnow()
        bp = Path(base_path) if base_path is not None else None

        for item, _ in pairs:
            problem = storage_problem(item)
            if problem is not None:
                raise StoreError(f"{item.kind} {item.id[:60]!r} cannot be stored: {problem}")

        def work(unit: Unit) -> list[Decision]:
            return record_batch(unit, self.ctx, list(pairs), at=at, base_path=bp)

        return self.run(work)

    def screen_stream(
        self,
        engine: Engine,
        items: Iterable[Any],
        *,
        base_path: str | Path | None = None,
        now: datetime | None = None,
    ) -> Iterator[Decision | ErrorRecord]:
        """Screen a stream in batches; each batch's decisions are yielded only after it is committed, so
        whatever a caller has written out is stored (a kill loses at most the unacknowledged batch)."""
        buffer: list[Any] = []
        pending: list[tuple[Item, Decision]] = []

        def flush() -> Iterator[Decision | ErrorRecord]:
            stored = iter(self.record_batch(pending, now=now, base_path=base_path)) if pending else iter(())
            for entry in buffer:
                yield entry if isinstance(entry, ErrorRecord) else next(stored)
            buffer.clear()
            pending.clear()

        for item in items:
            if isinstance(item, ErrorRecord):
                buffer.append(item)
                continue
            problem = storage_problem(item)
            if problem is not None:  # bad input: a clear error for this item, the stream goes on
                buffer.append(ErrorRecord(f"cannot be stored: {problem}", subject=item.ref))
                continue
            decision = engine.screen(item, base_path=base_path, now=now, persist=False)
            buffer.append(decision)
            pending.append((item, decision))
            if len(pending) >= self.batch_size:
                yield from flush()
        yield from flush()

    def account(self, account_id: str) -> Account | None:
        """An account screened in an earlier run, so its qualifications count for its posts in this one."""
        if account_id in self._unknown_accounts:
            return None

        with self.store.read() as session:
            payload = session.execute(
                select(ItemRow.payload).where(ItemRow.kind == "account", ItemRow.external_id == account_id)
            ).scalar_one_or_none()
        if payload is None:
            if len(self._unknown_accounts) >= 100_000:  # bounded memory on endless streams of unknown authors
                self._unknown_accounts.clear()
            self._unknown_accounts.add(account_id)
            return None
        try:
            return Account.model_validate(payload)
        except ValidationError:
            return None

    # ---- reports, review, appeals, notices ----

    def submit_report(self, report: Report, *, now: datetime | None = None) -> Decision:
        """Take a report in (as ``kind: report`` through ``screen`` does): stored, deduplicated into a case."""
        decision = self.pack.decide(report.ref, report, [])
        return self.record(report, decision, now=now)

    def set_trusted_flagger(self, reporter_id: str, trusted: bool = True, *, name: str | None = None,
                            actor: str = "admin", now: datetime | None = None) -> None:
        _checked("reporter", reporter_id, CaseError, limit=255)
        at = now or utcnow()
        self.run(lambda unit: set_trusted_flagger(unit, reporter_id, trusted, at=at, actor=actor, name=name))

    def next_case(self, reviewer: str, *, queue: str | None = None, now: datetime | None = None) -> dict[str, Any] | None:
        """Claim the most urgent case for ``reviewer`` and return its full view (None when the queue is empty)."""
        _checked("reviewer", reviewer, CaseError)
        at = now or utcnow()

        def work(unit: Unit) -> dict[str, Any] | None:
            case = next_case(unit, self.ctx, reviewer, at=at, queue=queue)
            return case_view(unit, case.id, at=at) if case is not None else None

        return self.run(work)

    def case(self, case_id: int, *, now: datetime | None = None) -> dict[str, Any]:
        """The review view of one case: reports, item, evidence, decisions so far, the account's record."""
        at = now or utcnow()
        with self.store.read() as session:
            return case_view(Unit(session, AuditWriter(session), self.store), case_id, at=at)

    def decide(self, case_id: int, reviewer: str, action: str, reason: str, *, rules: list[str] | None = None,
               step: str | None = None, now: datetime | None = None) -> dict[str, Any]:
        """A reviewer's decision on a case; exactly one of two concurrent deciders wins (CaseError for the other)."""
        _checked("reviewer", reviewer, CaseError)
        at = now or utcnow()
        return self.run(lambda unit: decide_case(unit, self.ctx, case_id, reviewer, action, reason, at=at,
                                                 rules=rules, step=step))

    def appeal(self, appellant: str, reason: str, *, decision_id: int | None = None,
               subject: SubjectRef | None = None, now: datetime | None = None) -> dict[str, Any]:
        """File an appeal; returns its id and the case it opened."""
        _checked("appellant", appellant, AppealError, limit=255)
        at = now or utcnow()

        def work(unit: Unit) -> dict[str, Any]:
            a = submit_appeal(unit, self.ctx, appellant=appellant, reason=reason, at=at, decision_id=decision_id,
                              subject=subject)
            return {"appeal": a.id, "case": a.case_id, "decision": a.decision_id, "status": a.status}

        return self.run(work)

    def decide_appeal(self, appeal_id: int, reviewer: str, outcome: str, reason: str, *,
                      now: datetime | None = None) -> dict[str, Any]:
        """Uphold or reverse an appeal (by a reviewer other than the one who made the decision)."""
        _checked("reviewer", reviewer, CaseError)
        at = now or utcnow()
        return self.run(lambda unit: decide_appeal(unit, self.ctx, find_appeal_case(unit, appeal_id), reviewer,
                                                   outcome, reason, at=at))

    def notices(self, *, pending_only: bool = True, limit: int = 100) -> list[dict[str, Any]]:
        """The outbox, oldest first."""
        with self.store.read() as session:
            stmt = select(NoticeRow).order_by(NoticeRow.id).limit(limit)
            if pending_only:
                stmt = stmt.where(NoticeRow.sent_at.is_(None))
            return [notice_dict(n) for n in session.execute(stmt).scalars()]

    def mark_sent(self, notice_ids: list[int], *, now: datetime | None = None) -> int:
        at = now or utcnow()
        return self.run(lambda unit: mark_sent(unit, notice_ids, at))

    # ---- audit ----

    def verify_audit(self, key: str | None = None) -> VerifyResult:
        """Check the whole hash chain (and the head seal when a key is given or configured)."""
        with self.store.read() as session:
            return verify(session, key if key is not None else self.audit_key)


def _checked(role: str, value: str, error: type[Exception], limit: int = 128) -> None:
    try:
        check_name(role, value, limit)
    except ValueError as exc:
        raise error(str(exc)) from None


__all__ = ["AppealError", "CaseError", "Governance", "VerifyResult"]
