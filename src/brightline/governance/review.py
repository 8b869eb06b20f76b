"""Human review ("platform verification — joint disposal"): queues, claiming, the case view, decisions.

Claiming is atomic so two reviewers never hold one case: ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL
(the second reviewer skips to the next case instead of waiting), a conditional ``UPDATE … WHERE status='open'``
on SQLite. Deciding is a conditional update too: of two reviewers deciding the same case at the same moment,
exactly one changes the row and the other gets a clear error. A claim not decided within the pack's
``claim_minutes`` returns to the queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update

from brightline.errors import BrightlineError
from brightline.governance.audit import iso
from brightline.governance.decisions import (
    PolicyContext,
    content_hash,
    decision_from_dict,
    find_item,
    latest_decision,
    write_decision,
)
from brightline.governance.enforcement import (
    account_record,
    Enforcement,
    apply_outcomes,
    enforcing_decisions,
    item_has_active_strike,
    lift_for_decisions,
    load_history,
)
from brightline.governance.ladder import NewStrike, evaluate
from brightline.governance.notices import VERDICT_WORDS, describe_subject, language_for, queue_notice
from brightline.governance.screening import add_outcome, join_statement, notify_author
from brightline.governance.unit import Unit
from brightline.model import Account, Action, Decision, Post, SubjectRef
from brightline.policy.rules import render
from brightline.store.tables import AppealRow, CaseRow, DecisionRow, ItemRow, ReporterRow, ReportRow, ReviewRow

#: What a reviewer can decide on a report case.
REVIEW_ACTIONS = ("dismiss", "uphold", "label", "restrict", "remove")
#: Verdicts that confirm a violation (the reports were right; the author gets a strike if a rule says so).
VIOLATION_VERDICTS = frozenset({"restrict", "remove"})
#: Actions the ladder adds; an upheld decision keeps the content actions but not the old sanctions' records.
_LADDER_ACTIONS = frozenset({"strike", "suspend_account", "demonetize", "restrict_account"})
_DEFAULT_ACTIONS: dict[str, list[dict[str, Any]]] = {
    "label": [{"type": "label", "label": "reviewed"}],
    "restrict": [{"type": "limit_reach"}],
    "remove": [{"type": "remove"}],
}


class CaseError(BrightlineError):
    """A case cannot be claimed or decided as asked (unknown, already decided, claimed by someone else)."""


def _available(at: datetime, claim_minutes: int) -> Any:
    stale = at - timedelta(minutes=claim_minutes)
    return or_(CaseRow.status == "open", and_(CaseRow.status == "claimed", CaseRow.claimed_at < stale))


def _load_case(unit: Unit, case_id: int) -> CaseRow:
    case = unit.session.execute(
        select(CaseRow).where(CaseRow.id == case_id).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if case is None:
        raise CaseError(f"no case {case_id}")
    return case


def next_case(unit: Unit, ctx: PolicyContext, reviewer: str, *, at: datetime, queue: str | None = None) -> CaseRow | None:
    """Claim the most urgent open case for ``reviewer`` (their own unfinished claim comes first)."""
    s = unit.session
    mine = s.execute(
        select(CaseRow).where(CaseRow.status == "claimed", CaseRow.claimed_by == reviewer)
        .order_by(CaseRow.claimed_at).limit(1)
    ).scalar_one_or_none()
    if mine is not None and (queue is None or mine.queue == queue):
        return mine
    available = _available(at, ctx.ladder.review.claim_minutes)
    # A reviewer never gets the appeal against their own decision.
    own_appeal = exists(
        select(AppealRow.id).join(DecisionRow, DecisionRow.id == AppealRow.decision_id)
        .where(AppealRow.case_id == CaseRow.id, DecisionRow.reviewer == reviewer)
    )
    stmt = select(CaseRow.id).where(available, ~own_appeal)
    if queue is not None:
        stmt = stmt.where(CaseRow.queue == queue)
    stmt = stmt.order_by(CaseRow.trusted.desc(), CaseRow.priority.desc(), CaseRow.due_at, CaseRow.id).limit(1)
    claim = update(CaseRow).values(status="claimed", claimed_by=reviewer, claimed_at=at)
    case_id = None
    if unit.is_postgres:
        case_id = s.execute(stmt.with_for_update(skip_locked=True, of=CaseRow)).scalar_one_or_none()
        if case_id is not None:
            s.execute(claim.where(CaseRow.id == case_id), execution_options={"synchronize_session": False})
    else:
        for _ in range(20):  # another writer may claim between our SELECT and UPDATE; then try the next one
            candidate = s.execute(stmt).scalar_one_or_none()
            if candidate is None:
                break
            res = s.execute(claim.where(CaseRow.id == candidate, available),
                            execution_options={"synchronize_session": False})
            if res.rowcount == 1:
                case_id = candidate
                break
    if case_id is None:
        return None
    case = _load_case(unit, case_id)
    unit.audit.record("case.claimed", {"case": case.id, "queue": case.queue, "reviewer": reviewer}, at=at,
                      actor=reviewer, subject=f"{case.subject_kind}:{case.subject_id}", account_id=case.account_id)
    return case


def case_view(unit: Unit, case_id: int, *, at: datetime) -> dict[str, Any]:
    """Everything a reviewer needs: the case, its reports, the item, the evidence, and the account's history."""
    s = unit.session
    case = _load_case(unit, case_id)
    item = find_item(unit, case.subject_kind, case.subject_id)
    decisions: list[DecisionRow] = []
    if item is not None:
        decisions = list(s.execute(select(DecisionRow).where(DecisionRow.item_id == item.id)
                                   .order_by(DecisionRow.version)).scalars())
    reports = list(s.execute(select(ReportRow).where(ReportRow.case_id == case.id).order_by(ReportRow.id)).scalars())
    reviews = list(s.execute(select(ReviewRow).where(ReviewRow.case_id == case.id).order_by(ReviewRow.id)).scalars())
    appeal = s.execute(select(AppealRow).where(AppealRow.case_id == case.id)).scalar_one_or_none()
    latest = decisions[-1] if decisions else None
    account = case.account_id or (item.account_id if item is not None else None)
    return {
        "case": _case_dict(case),
        "subject": {"kind": case.subject_kind, "id": case.subject_id},
        "item": item.payload if item is not None else None,
        "decision": latest.body if latest is not None else None,
        "evidence": (latest.body or {}).get("signals", []) if latest is not None else [],
        "history": [
            {"decision": d.id, "version": d.version, "source": d.source, "verdict": d.verdict, "rules": d.rules,
             "reviewer": d.reviewer, "decided_at": iso(d.decided_at)}
            for d in decisions
        ],
        "reports": [
            {"id": r.external_id, "reporter": r.reporter_id, "reason": r.reason, "text": r.text,
             "trusted_flagger": r.trusted_flagger, "severity": r.severity, "received_at": iso(r.received_at),
             "outcome": r.outcome}
            for r in reports
        ],
        "reviews": [{"reviewer": r.reviewer, "action": r.action, "reason": r.reason, "decided_at": iso(r.decided_at)}
                    for r in reviews],
        "appeal": _appeal_dict(appeal) if appeal is not None else None,
        "account": account_record(unit, account, at) if account else None,
    }


def _case_dict(case: CaseRow) -> dict[str, Any]:
    return {
        "id": case.id, "kind": case.kind, "status": case.status, "queue": case.queue, "priority": case.priority,
        "trusted": case.trusted, "severity": case.severity, "reach": case.reach, "reports": case.report_count,
        "opened_at": iso(case.opened_at), "due_at": iso(case.due_at), "claimed_by": case.claimed_by,
        "decided_by": case.decided_by, "decided_at": iso(case.decided_at) if case.decided_at else None,
        "outcome": case.outcome, "decision": case.decision_id,
    }


def _appeal_dict(appeal: AppealRow) -> dict[str, Any]:
    return {"id": appeal.id, "decision": appeal.decision_id, "appellant": appeal.appellant, "reason": appeal.reason,
            "status": appeal.status, "submitted_at": iso(appeal.submitted_at)}


def close_case(unit: Unit, ctx: PolicyContext, case_id: int, reviewer: str, outcome: str, *, at: datetime) -> CaseRow:
    """Mark a case decided if, and only if, it is still open (or claimed by this reviewer, or abandoned)."""
    stale = at - timedelta(minutes=ctx.ladder.review.claim_minutes)
    res = unit.session.execute(
        update(CaseRow)
        .where(
            CaseRow.id == case_id,
            or_(
                CaseRow.status == "open",
                and_(CaseRow.status == "claimed", or_(CaseRow.claimed_by == reviewer, CaseRow.claimed_at < stale)),
            ),
        )
        .values(status="decided", decided_by=reviewer, decided_at=at, outcome=outcome, open_key=None),
        execution_options={"synchronize_session": False},
    )
    case = _load_case(unit, case_id)
    if res.rowcount != 1:
        if case.status == "decided":
            raise CaseError(f"case {case_id} was already decided by {case.decided_by} ({case.outcome})")
        raise CaseError(f"case {case_id} is claimed by {case.claimed_by}; only they can decide it for now")
    return case


def ensure_item(unit: Unit, kind: str, ident: str, *, at: datetime) -> ItemRow:
    """The subject's item row; a report may name an item brightline never screened, so create a stub."""
    row = find_item(unit, kind, ident)
    if row is not None:
        return row
    stub = Account(id=ident) if kind == "account" else Post(id=ident)
    row = ItemRow(kind=kind, external_id=ident, account_id=ident if kind == "account" else None,
                  content_hash=content_hash(stub), content_version=1, payload={"kind": kind, "id": ident},
                  first_seen=at, last_seen=at)
    unit.session.add(row)
    unit.session.flush()
    unit.audit.record("item.stored", {"content_hash": row.content_hash, "version": 1, "stub": True}, at=at,
                      subject=f"{kind}:{ident}", account_id=row.account_id)
    return row


def _rule_statements(ctx: PolicyContext, rule_ids: list[str], item: dict[str, Any]) -> tuple[list[Action], list[str]]:
    actions: list[Action] = []
    statements: list[str] = []
    for rid in rule_ids:
        rule = ctx.pack.rule(rid)
        for spec in rule.actions:
            actions.append(Action(spec["type"], {k: v for k, v in spec.items() if k != "type"}))
        if rule.statement:
            text = render(ctx.pack.text(rule.statement), item)
            if text:
                statements.append(text)
    return actions, statements


def decide_case(
    unit: Unit,
    ctx: PolicyContext,
    case_id: int,
    reviewer: str,
    action: str,
    reason: str,
    *,
    at: datetime,
    rules: list[str] | None = None,
    step: str | None = None,
) -> dict[str, Any]:
    """A reviewer's decision on a report case (appeal cases go to :func:`appeals.decide_appeal`)."""
    case = _load_case(unit, case_id)
    if case.kind == "appeal":
        from brightline.governance.appeals import decide_appeal

        return decide_appeal(unit, ctx, case_id, reviewer, action, reason, at=at)
    if action not in REVIEW_ACTIONS:
        raise CaseError(f"unknown action {action!r}; choose one of {', '.join(REVIEW_ACTIONS)}")
    for rid in rules or []:
        try:
            ctx.pack.rule(rid)
        except KeyError:
            raise CaseError(f"no rule {rid!r} in {ctx.pack.ref}") from None
    if step is not None and ctx.ladder.step_index(step) < 0:
        raise CaseError(f"no ladder step {step!r}; steps: {', '.join(s.name for s in ctx.ladder.steps)}")
    if not reason.strip():
        raise CaseError("a reason is required: it goes into the statement of reasons")

    item = ensure_item(unit, case.subject_kind, case.subject_id, at=at)
    previous = latest_decision(unit, item.id)
    if action == "uphold" and previous is None:
        raise CaseError(f"case {case_id}: nothing to uphold, brightline made no decision on the subject yet")
    case = close_case(unit, ctx, case_id, reviewer, action, at=at)

    subject = SubjectRef(case.subject_kind, case.subject_id)
    prior = decision_from_dict(previous.body) if previous is not None else None
    lang = ctx.language
    note = {"zh": f"人工审核意见：{reason}", "en": f"Reviewer's reason: {reason}"}[lang]
    if action == "uphold":
        assert prior is not None
        decision = Decision(subject, prior.verdict, [a for a in prior.actions if a.type not in _LADDER_ACTIONS],
                            prior.signals, prior.rules, ctx.pack.ref, join_statement(prior.statement, note),
                            automated=False, distribution=prior.distribution)
    elif action == "dismiss":
        decision = Decision(subject, "allow", [], prior.signals if prior else [], [], ctx.pack.ref, note,
                            automated=False)
    else:
        chosen = rules if rules else (prior.rules if prior else [])
        acts, statements = _rule_statements(ctx, chosen, item.payload)
        acts = acts or [Action(a["type"], {k: v for k, v in a.items() if k != "type"}) for a in _DEFAULT_ACTIONS[action]]
        decision = Decision(subject, action, acts, prior.signals if prior else [], list(chosen), ctx.pack.ref,
                            join_statement(" ".join(statements), note), automated=False)
        if action == "remove":
            decision.distribution.recommendation = decision.distribution.prominent = decision.distribution.minors = False
        elif action == "restrict":
            decision.distribution.recommendation = decision.distribution.prominent = False

    account = item.account_id
    outcome = None
    lifted = None
    if action == "dismiss":
        lifted = lift_for_decisions(unit, enforcing_decisions(unit, item.id), at=at, actor=reviewer,
                                    reason=f"overturned by review of case {case_id}: {reason}")
    elif decision.verdict in VIOLATION_VERDICTS and account and not item_has_active_strike(unit, item.id, at):
        strike = ctx.strike_for(decision.rules) or (
            NewStrike(1.0, ctx.categories(decision.rules)[0] if decision.rules else "reviewed", None)
        )
        history = load_history(unit, account, at, ctx.ladder)
        outcome = evaluate(ctx.ladder, history, strike, decision.signals, at, min_step=step)
        add_outcome(decision, outcome, lang)

    row = write_decision(unit, item, decision, ctx, source="review", at=at, occurred_at=at, previous=previous,
                         reviewer=reviewer, actor=reviewer)
    if outcome is not None and account:
        apply_outcomes(unit, [Enforcement(outcome, account, row.id, row.item_id, at, reviewer)])
    case.decision_id = row.id
    unit.session.add(ReviewRow(case_id=case.id, reviewer=reviewer, action=action, reason=reason, decision_id=row.id,
                               decided_at=at))

    upheld = decision.verdict != "allow"
    reports = list(unit.session.execute(select(ReportRow).where(ReportRow.case_id == case.id)).scalars())
    for rep in reports:
        rep.outcome = "upheld" if upheld else "rejected"
        if rep.reporter_id:
            reporter = unit.session.get(ReporterRow, rep.reporter_id)
            if reporter is not None:
                if upheld:
                    reporter.reports_upheld += 1
                else:
                    reporter.reports_rejected += 1
    unit.audit.record(
        "review.decided",
        {"case": case.id, "action": action, "reason": reason, "decision": row.id, "rules": decision.rules,
         "step": step, "lifted": lifted.to_dict() if lifted else None, "reports": [r.external_id for r in reports]},
        at=at, actor=reviewer, subject=f"{case.subject_kind}:{case.subject_id}", account_id=account,
    )
    for reporter_id in sorted({r.reporter_id for r in reports if r.reporter_id}):
        rrow = find_item(unit, "account", reporter_id)
        rl = language_for(rrow.payload if rrow else None, lang)
        queue_notice(unit, role="reporter", recipient=reporter_id, template="report_outcome", language=rl,
                     values={"case": case.id, "subject": describe_subject(case.subject_kind, case.subject_id, rl),
                             "outcome": VERDICT_WORDS[rl].get(decision.verdict, decision.verdict),
                             "statement": decision.statement if rl == lang else ""},
                     at=at, case_id=case.id, decision_id=row.id)
    changed = previous is None or previous.verdict != decision.verdict or outcome is not None or lifted
    if account and changed:
        notify_author(unit, ctx, row, decision, at=at, account_id=account)
    return {"case": _case_dict(case), "decision": row.id, "verdict": decision.verdict,
            "statement": decision.statement, "lifted": lifted.to_dict() if lifted else None,
            "step": outcome.step if outcome else None}
