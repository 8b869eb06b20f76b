"""Appeals (DSA Art. 20 complaints; Mastodon-style one appeal per decision within a window).

The author of a decision's subject may appeal within the pack's ``appeal_window_days``. The appeal becomes a
case in the ``appeals`` queue, which a reviewer other than the one who made the decision must decide. A
reversal writes a new decision version and lifts every strike, sanction and negative-list entry in force on
that item; the audit log shows the appeal, each lift and the new decision.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from brightline.errors import BrightlineError
from brightline.governance.audit import iso
from brightline.governance.decisions import PolicyContext, find_item, latest_decision, write_decision
from brightline.governance.enforcement import enforcing_decisions, lift_for_decisions
from brightline.governance.notices import OUTCOME_WORDS, language_for, queue_notice
from brightline.governance.review import CaseError, close_case
from brightline.governance.unit import Unit
from brightline.model import Decision, SubjectRef
from brightline.store.tables import AppealRow, CaseRow, DecisionRow, ReviewRow

APPEAL_OUTCOMES = ("uphold", "reverse")


class AppealError(BrightlineError):
    """An appeal cannot be filed or decided as asked (window closed, not the author, same reviewer)."""


def _decision_for(unit: Unit, decision_id: int | None, subject: SubjectRef | None) -> DecisionRow:
    s = unit.session
    if decision_id is not None:
        row = s.get(DecisionRow, decision_id)
        if row is None:
            raise AppealError(f"no decision {decision_id}")
        return row
    if subject is None:
        raise AppealError("name the decision (--decision ID) or its subject (--subject post:p1)")
    item = find_item(unit, subject.kind, subject.id)
    row = latest_decision(unit, item.id) if item is not None else None
    if row is None:
        raise AppealError(f"no decision on {subject.kind} {subject.id}")
    return row


def submit_appeal(
    unit: Unit,
    ctx: PolicyContext,
    *,
    appellant: str,
    reason: str,
    at: datetime,
    decision_id: int | None = None,
    subject: SubjectRef | None = None,
) -> AppealRow:
    """File an appeal against a decision; opens a case in the appeals queue."""
    s = unit.session
    decision = _decision_for(unit, decision_id, subject)
    if decision.account_id != appellant:
        raise AppealError(f"only the account the decision concerns ({decision.account_id}) can appeal it")
    if decision.verdict == "allow" and not decision.rules:
        raise AppealError(f"decision {decision.id} imposed nothing; there is nothing to appeal")
    deadline = decision.decided_at + timedelta(days=ctx.ladder.appeal_window_days)
    if at > deadline:
        raise AppealError(
            f"the appeal window for decision {decision.id} closed on {deadline:%Y-%m-%d} "
            f"({ctx.ladder.appeal_window_days} days after the decision)"
        )
    earlier = s.execute(select(AppealRow).where(AppealRow.decision_id == decision.id)).scalar_one_or_none()
    if earlier is not None:
        raise AppealError(f"decision {decision.id} was already appealed (appeal {earlier.id}, {earlier.status})")
    sla = ctx.ladder.review.queues["appeals"].sla_hours
    case = CaseRow(
        kind="appeal", subject_kind=decision.subject_kind, subject_id=decision.subject_id, account_id=appellant,
        open_key=f"appeal:{decision.id}", status="open", queue="appeals", priority=50.0, trusted=False,
        severity=5 if decision.verdict == "remove" else 3, reach=0, report_count=0, opened_at=at,
        due_at=at + timedelta(hours=sla),
    )
    s.add(case)
    s.flush()
    appeal = AppealRow(decision_id=decision.id, case_id=case.id, appellant=appellant, reason=reason,
                       submitted_at=at, status="pending")
    s.add(appeal)
    s.flush()
    subject_ref = f"{decision.subject_kind}:{decision.subject_id}"
    unit.audit.record("appeal.submitted", {"appeal": appeal.id, "decision": decision.id, "case": case.id,
                                           "reason": reason}, at=at, actor=appellant, subject=subject_ref,
                      account_id=appellant)
    author = find_item(unit, "account", appellant)
    lang = language_for(author.payload if author else None, ctx.language)
    queue_notice(unit, role="author", recipient=appellant, template="appeal_received", language=lang,
                 values={"appeal": appeal.id, "decision": decision.id, "due": f"{case.due_at:%Y-%m-%d %H:%M UTC}"},
                 at=at, case_id=case.id, decision_id=decision.id)
    return appeal


def decide_appeal(
    unit: Unit, ctx: PolicyContext, case_id: int, reviewer: str, outcome: str, reason: str, *, at: datetime
) -> dict[str, Any]:
    """Uphold or reverse; a reversal lifts the sanctions and strikes on the item and writes a new decision."""
    s = unit.session
    if outcome not in APPEAL_OUTCOMES:
        raise CaseError(f"an appeal is decided with {' or '.join(APPEAL_OUTCOMES)}, not {outcome!r}")
    if not reason.strip():
        raise CaseError("a reason is required: the appellant is told why")
    appeal = s.execute(select(AppealRow).where(AppealRow.case_id == case_id)).scalar_one_or_none()
    if appeal is None:
        raise CaseError(f"case {case_id} is not an appeal")
    appealed = s.get(DecisionRow, appeal.decision_id)
    assert appealed is not None
    if appealed.reviewer is not None and appealed.reviewer == reviewer:
        raise AppealError(
            f"appeal {appeal.id} must be decided by a different reviewer than {reviewer}, who made decision "
            f"{appealed.id}"
        )
    case = close_case(unit, ctx, case_id, reviewer, outcome, at=at)
    subject = f"{appealed.subject_kind}:{appealed.subject_id}"
    lifted = None
    new_row = None
    if outcome == "reverse":
        item = find_item(unit, appealed.subject_kind, appealed.subject_id)
        assert item is not None
        lifted = lift_for_decisions(unit, enforcing_decisions(unit, item.id), at=at, actor=reviewer,
                                    reason=f"appeal {appeal.id} reversed decision {appealed.id}: {reason}")
        text = {"zh": f"申诉 {appeal.id} 复核后撤销决定 {appealed.id}：{reason}",
                "en": f"Decision {appealed.id} reversed on appeal {appeal.id}: {reason}"}[ctx.language]
        prior_signals = [s_ for s_ in _signals(appealed)]
        decision = Decision(SubjectRef(appealed.subject_kind, appealed.subject_id), "allow", [], prior_signals, [],
                            ctx.pack.ref, text, automated=False)
        previous = latest_decision(unit, item.id)
        new_row = write_decision(unit, item, decision, ctx, source="appeal", at=at, occurred_at=at,
                                 previous=previous, reviewer=reviewer, actor=reviewer)
        case.decision_id = new_row.id
    appeal.status = "reversed" if outcome == "reverse" else "upheld"
    appeal.decided_by, appeal.decided_at, appeal.outcome_reason = reviewer, at, reason
    appeal.outcome_decision_id = new_row.id if new_row is not None else None
    s.add(ReviewRow(case_id=case.id, reviewer=reviewer, action=outcome, reason=reason,
                    decision_id=new_row.id if new_row is not None else None, decided_at=at))
    unit.audit.record(
        "appeal.decided",
        {"appeal": appeal.id, "decision": appealed.id, "outcome": appeal.status, "reason": reason,
         "new_decision": appeal.outcome_decision_id, "lifted": lifted.to_dict() if lifted else None},
        at=at, actor=reviewer, subject=subject, account_id=appeal.appellant,
    )
    author = find_item(unit, "account", appeal.appellant)
    lang = language_for(author.payload if author else None, ctx.language)
    queue_notice(unit, role="author", recipient=appeal.appellant, template="appeal_outcome", language=lang,
                 values={"appeal": appeal.id, "outcome": OUTCOME_WORDS[lang][appeal.status], "reason": reason},
                 at=at, case_id=case.id, decision_id=appeal.outcome_decision_id or appealed.id)
    return {
        "appeal": appeal.id, "case": case.id, "outcome": appeal.status, "decision": appealed.id,
        "new_decision": appeal.outcome_decision_id, "lifted": lifted.to_dict() if lifted else None,
        "decided_at": iso(at),
    }


def _signals(row: DecisionRow) -> list[Any]:
    from brightline.governance.decisions import decision_from_dict

    return decision_from_dict(row.body).signals


def find_appeal_case(unit: Unit, appeal_id: int) -> int:
    appeal = unit.session.get(AppealRow, appeal_id)
    if appeal is None:
        raise AppealError(f"no appeal {appeal_id}")
    return appeal.case_id
