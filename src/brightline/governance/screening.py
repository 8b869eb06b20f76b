"""The screen path with a store: persist automated decisions idempotently and apply the ladder, in batches.

Engine.screen decides from the item alone; this step adds what only history can know: the strike the
decision puts on the account, the ladder step that reaches (with its sanctions and a sentence in the
statement), the case a report opens, and the notice to the author. Re-screening the same content under the
same policy returns the stored decision unchanged and writes nothing.

A batch is planned in memory and written with a few bulk statements: the items, their latest decisions and
the accounts' records are read once per batch, each decision is planned against that state (updated as the
batch goes, so two posts by one account in one batch see each other), and the plan is inserted with
``INSERT … RETURNING``. Reports read what is stored, so pending plans are written before each report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update

from brightline.governance.audit import iso
from brightline.governance.decisions import (
    DecisionSpec,
    Item,
    PolicyContext,
    content_hash,
    copy_decision,
    decision_from_dict,
    occurred_at,
    responsible_account,
    write_decisions,
)
from brightline.governance.enforcement import Enforcement, apply_outcomes
from brightline.governance.ladder import History, Outcome, PastSanction, evaluate
from brightline.governance.notices import (
    VERDICT_WORDS,
    describe_subject,
    insert_notices,
    language_for,
    notice_values,
)
from brightline.governance.reports import intake
from brightline.governance.unit import Unit
from brightline.model import Account, Action, Decision, Report
from brightline.store.bulk import insert_rows
from brightline.store.tables import DecisionRow, ItemRow, NegativeListRow, SanctionRow, StrikeRow

_REPORT_STATEMENT = {
    "zh": "举报已受理：案件 {case} 进入“{queue}”队列，将于 {due} 前完成人工核查。",
    "en": "Report received: case {case} is in the {queue} queue for human review by {due}.",
}
#: Verdicts that restrict the author's content and therefore owe them a notice with the way to appeal.
NOTIFY_VERDICTS = frozenset({"restrict", "remove"})
_CHUNK = 500  # ids per IN (...) list


def join_statement(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first and second else (first or second)


def add_outcome(decision: Decision, outcome: Outcome, language: str) -> None:
    """Put the ladder's strike, sanctions and sentence into a decision."""
    for a in outcome.actions():
        decision.actions.append(Action(a["type"], {k: v for k, v in a.items() if k != "type"}))
    decision.statement = join_statement(decision.statement, outcome.statement.get(language, ""))


def decision_notice(ctx: PolicyContext, decision: Decision, decision_id: int, *, at: datetime, account_id: str,
                    account_payload: dict[str, Any] | None) -> dict[str, Any]:
    """The author's notice: what was decided, why, and until when they can appeal (DSA Art. 17)."""
    lang = language_for(account_payload, ctx.language)
    return notice_values(
        role="author", recipient=account_id, template="decision", language=lang,
        values={
            "subject": describe_subject(decision.subject.kind, decision.subject.id, lang),
            "outcome": VERDICT_WORDS[lang].get(decision.verdict, decision.verdict),
            "statement": decision.statement,
            "appeal_until": (at + timedelta(days=ctx.ladder.appeal_window_days)).strftime("%Y-%m-%d"),
            "decision": decision_id,
        },
        at=at, decision_id=decision_id,
    )


def notify_author(unit: Unit, ctx: PolicyContext, row: DecisionRow, decision: Decision, *, at: datetime,
                  account_id: str) -> None:
    """Queue the author's notice for one stored decision."""
    author = unit.session.execute(
        select(ItemRow.payload).where(ItemRow.kind == "account", ItemRow.external_id == account_id)
    ).scalar_one_or_none()
    insert_notices(unit, [decision_notice(ctx, decision, row.id, at=at, account_id=account_id,
                                          account_payload=author)])


@dataclass
class _ItemState:
    id: int | None  # None while its insert is pending
    content_hash: str
    content_version: int


@dataclass
class _Latest:
    id: int | None
    version: int
    policy_hash: str
    body: dict[str, Any]


@dataclass
class _Record:
    """An account's record as the ladder reads it, kept current through the batch."""

    strikes: list[tuple[float, datetime, datetime | None]] = field(default_factory=list)  # weight, issued, expires
    sanctions: list[PastSanction] = field(default_factory=list)
    negative_list: bool = False

    def history(self, at: datetime) -> History:
        active = [w for w, issued, expires in self.strikes if issued <= at and (expires is None or expires > at)]
        return History(sum(active), len(active), list(self.sanctions), self.negative_list)


@dataclass
class _Plan:
    item: Item
    key: tuple[str, str]
    decision: Decision
    state: _ItemState
    new_item: dict[str, Any] | None
    changed_item: dict[str, Any] | None
    previous: _Latest | None
    account: str | None
    occurred: datetime
    outcome: Outcome | None
    notify: bool


class BatchRecorder:
    """Records one batch of screened items inside one unit of work; see the module docstring."""

    def __init__(self, unit: Unit, ctx: PolicyContext, *, at: datetime, base_path: Path | None = None) -> None:
        self.unit, self.ctx, self.at, self.base_path = unit, ctx, at, base_path
        self.items: dict[tuple[str, str], _ItemState] = {}
        self.latest: dict[tuple[str, str], _Latest] = {}
        self.struck: dict[tuple[str, str], list[datetime | None]] = {}  # expiries of active strikes per item
        self.records: dict[str, _Record] = {}
        self.accounts: dict[str, dict[str, Any] | None] = {}
        self.plans: list[_Plan] = []
        self.pending: set[tuple[str, str]] = set()

    # ---- reading state once per batch ----

    def prefetch(self, items: list[Item]) -> None:
        """Read, in a few queries, the stored state every item of the batch will need."""
        s = self.unit.session
        by_kind: dict[str, set[str]] = {}
        for it in items:
            by_kind.setdefault(it.kind, set()).add(it.id)
            if isinstance(it, Account):
                self.accounts.setdefault(it.id, it.model_dump(mode="json"))
        offenders = {responsible_account(it) for it in items if it.kind in ("post", "account")} - {None}
        earliest = min((occurred_at(it, self.at) for it in items), default=self.at)
        self._load_records(sorted(offenders), earliest - timedelta(days=self.ctx.ladder.strike_expires_days))  # type: ignore[arg-type]
        unknown = sorted(a for a in offenders if a not in self.accounts)  # type: ignore[misc]
        for chunk in _chunks(unknown):
            self.accounts.update(dict.fromkeys(chunk))
            for ident, payload in s.execute(
                select(ItemRow.external_id, ItemRow.payload).where(ItemRow.kind == "account",
                                                                   ItemRow.external_id.in_(chunk))
            ):
                self.accounts[ident] = payload
        ids: dict[int, tuple[str, str]] = {}
        for kind, wanted in by_kind.items():
            for chunk in _chunks(sorted(wanted)):
                for row in s.execute(
                    select(ItemRow.id, ItemRow.external_id, ItemRow.content_hash, ItemRow.content_version)
                    .where(ItemRow.kind == kind, ItemRow.external_id.in_(chunk))
                ):
                    key = (kind, row.external_id)
                    self.items[key] = _ItemState(row.id, row.content_hash, row.content_version)
                    ids[row.id] = key
        for chunk in _chunks(sorted(ids)):
            newest = (
                select(DecisionRow.item_id, func.max(DecisionRow.version).label("v"))
                .where(DecisionRow.item_id.in_(chunk)).group_by(DecisionRow.item_id).subquery()
            )
            for row in s.execute(
                select(DecisionRow.id, DecisionRow.item_id, DecisionRow.version, DecisionRow.policy_hash,
                       DecisionRow.body)
                .join(newest, (newest.c.item_id == DecisionRow.item_id) & (newest.c.v == DecisionRow.version))
            ):
                self.latest[ids[row.item_id]] = _Latest(row.id, row.version, row.policy_hash, row.body)
            for item_id, expires in s.execute(
                select(StrikeRow.item_id, StrikeRow.expires_at)
                .where(StrikeRow.item_id.in_(chunk), StrikeRow.lifted_at.is_(None))
            ):
                self.struck.setdefault(ids[item_id], []).append(expires)

    def _load_records(self, accounts: list[str], since: datetime) -> None:
        """Read the strikes, recent steps and negative-list status of many accounts in a few queries."""
        s = self.unit.session
        for chunk in _chunks(sorted(a for a in accounts if a not in self.records)):
            for a in chunk:
                self.records[a] = _Record()
            for a, w, issued, expires in s.execute(
                select(StrikeRow.account_id, StrikeRow.weight, StrikeRow.issued_at, StrikeRow.expires_at).where(
                    StrikeRow.account_id.in_(chunk), StrikeRow.lifted_at.is_(None),
                    or_(StrikeRow.expires_at.is_(None), StrikeRow.expires_at > since))
            ):
                self.records[a].strikes.append((w, issued, expires))
            for a, step, cat, starts in s.execute(
                select(SanctionRow.account_id, SanctionRow.step, SanctionRow.category, SanctionRow.starts_at).where(
                    SanctionRow.account_id.in_(chunk), SanctionRow.lifted_at.is_(None), SanctionRow.starts_at >= since)
            ):
                self.records[a].sanctions.append(PastSanction(step, cat, starts))
            for (a,) in s.execute(
                select(NegativeListRow.account_id).where(
                    NegativeListRow.account_id.in_(chunk), NegativeListRow.removed_at.is_(None))
            ):
                self.records[a].negative_list = True

    def _record(self, account: str, at: datetime) -> _Record:
        if account not in self.records:
            self._load_records([account], at - timedelta(days=self.ctx.ladder.strike_expires_days))
        return self.records[account]

    def _account_payload(self, account: str) -> dict[str, Any] | None:
        if account not in self.accounts:
            self.accounts[account] = self.unit.session.execute(
                select(ItemRow.payload).where(ItemRow.kind == "account", ItemRow.external_id == account)
            ).scalar_one_or_none()
        return self.accounts[account]

    # ---- planning ----

    def record(self, item: Item, decision: Decision) -> Decision:
        """Plan one item's decision (or return the stored one); written at :meth:`flush`."""
        key = (item.kind, item.id)
        chash = content_hash(item)
        state, latest = self.items.get(key), self.latest.get(key)
        if state is not None and state.content_hash == chash and latest is not None \
                and latest.policy_hash == self.ctx.fingerprint:
            return decision_from_dict(latest.body)  # idempotent: same content, same policy
        if key in self.pending or isinstance(item, Report):
            self.flush()  # a report reads stored state; a second version of an item waits for the first
            state, latest = self.items.get(key), self.latest.get(key)
        at, lang = self.at, self.ctx.language
        payload = item.model_dump(mode="json")
        if isinstance(item, Account):
            self.accounts[item.id] = payload
        account = responsible_account(item)
        new_item = changed_item = None
        if state is None:
            state = _ItemState(None, chash, 1)
            new_item = {"kind": item.kind, "external_id": item.id, "account_id": account, "content_hash": chash,
                        "content_version": 1, "payload": payload, "base_path": _path(self.base_path),
                        "created_at": getattr(item, "created_at", None), "first_seen": at, "last_seen": at}
        elif state.content_hash != chash:
            state = _ItemState(state.id, chash, state.content_version + 1)
            changed_item = {"id": state.id, "account_id": account, "content_hash": chash,
                            "content_version": state.content_version, "payload": payload, "last_seen": at,
                            **({"base_path": _path(self.base_path)} if self.base_path is not None else {})}

        final = copy_decision(decision)
        occurred = occurred_at(item, at)
        outcome = None
        offender = account if item.kind in ("post", "account") else None
        if offender:
            strike = self.ctx.strike_for(final.rules)
            active = [e for e in self.struck.get(key, []) if e is None or e > occurred]
            if strike is not None and not active:
                rec = self._record(offender, occurred)
                outcome = evaluate(self.ctx.ladder, rec.history(occurred), strike, final.signals, occurred)
                add_outcome(final, outcome, lang)
                rec.strikes.append((float(outcome.strike_weight), occurred, outcome.strike_expires_at))
                if outcome.step is not None:
                    rec.sanctions.append(PastSanction(outcome.step, outcome.category, occurred))
                rec.negative_list = rec.negative_list or outcome.negative_list
                self.struck.setdefault(key, []).append(outcome.strike_expires_at)

        if isinstance(item, Report):
            got = intake(self.unit, item, self.ctx, at=at)
            case = got.case
            final.actions.append(
                Action("escalate_review", {"case": case.id, "queue": case.queue, "due_at": iso(case.due_at)})
            )
            values = {"case": case.id, "queue": case.queue, "due": case.due_at.strftime("%Y-%m-%d %H:%M UTC")}
            final.statement = join_statement(final.statement, _REPORT_STATEMENT[lang].format(**values))
            if final.verdict == "allow":
                final.verdict = "review"  # a report nothing else acted on waits for a human

        notify = bool(offender) and (final.verdict in NOTIFY_VERDICTS or (outcome is not None and outcome.step is not None))
        self.plans.append(_Plan(item, key, final, state, new_item, changed_item, latest, offender, occurred, outcome,
                                notify))
        self.items[key] = state
        self.latest[key] = _Latest(None, (latest.version if latest else 0) + 1, self.ctx.fingerprint, final.to_dict())
        self.pending.add(key)
        return final

    # ---- writing ----

    def flush(self) -> None:
        """Write every planned item, decision, strike, sanction and notice with bulk statements."""
        if not self.plans:
            return
        s, at = self.unit.session, self.at
        inserts = [p for p in self.plans if p.new_item is not None]
        if inserts:
            ids = insert_rows(s, ItemRow, [p.new_item for p in inserts])  # type: ignore[misc]
            for p, item_id in zip(inserts, ids):
                p.state.id = item_id
        changes = [p.changed_item for p in self.plans if p.changed_item is not None]
        if changes:
            s.execute(update(ItemRow), changes)
        for p in self.plans:
            if p.new_item is not None or p.changed_item is not None:
                self.unit.audit.record(
                    "item.stored" if p.new_item is not None else "item.changed",
                    {"content_hash": p.state.content_hash, "version": p.state.content_version},
                    at=at, subject=f"{p.key[0]}:{p.key[1]}", account_id=responsible_account(p.item),
                )
        specs = [
            DecisionSpec(p.state.id, p.account, p.state.content_hash, p.decision, "screen", at, p.occurred,
                         p.previous.id if p.previous else None, p.previous.version if p.previous else 0)
            for p in self.plans
        ]
        decision_ids = write_decisions(self.unit, self.ctx, specs)  # type: ignore[arg-type]
        apply_outcomes(self.unit, [
            Enforcement(p.outcome, p.account, did, p.state.id, p.occurred)  # type: ignore[arg-type]
            for p, did in zip(self.plans, decision_ids) if p.outcome is not None and p.account
        ])
        insert_notices(self.unit, [
            decision_notice(self.ctx, p.decision, did, at=at, account_id=p.account,  # type: ignore[arg-type]
                            account_payload=self._account_payload(p.account))  # type: ignore[arg-type]
            for p, did in zip(self.plans, decision_ids) if p.notify
        ])
        for p, did in zip(self.plans, decision_ids):
            self.latest[p.key].id = did
        self.plans.clear()
        self.pending.clear()


def _path(p: Path | None) -> str | None:
    return str(p) if p is not None else None


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def record_batch(unit: Unit, ctx: PolicyContext, pairs: list[tuple[Item, Decision]], *, at: datetime,
                 base_path: Path | None = None) -> list[Decision]:
    """Record a batch of screened items in one unit of work; returns the decisions to emit, in order."""
    recorder = BatchRecorder(unit, ctx, at=at, base_path=base_path)
    recorder.prefetch([item for item, _ in pairs])
    out = [recorder.record(item, decision) for item, decision in pairs]
    recorder.flush()
    return out
