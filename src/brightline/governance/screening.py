"""The screen path with a store: persist an automated decision idempotently and apply the ladder.

Engine.screen decides from the item alone; this step adds what only history can know: the strike the
decision puts on the account, the ladder step that reaches (with its sanctions and a sentence in the
statement), the case a report opens, and the notice to the author. Re-screening the same content under the
same policy returns the stored decision unchanged and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from brightline.governance.audit import iso
from brightline.governance.decisions import (
    Item,
    PolicyContext,
    content_hash,
    copy_decision,
    decision_from_dict,
    find_item,
    latest_decision,
    responsible_account,
    upsert_item,
    write_decision,
)
from brightline.governance.enforcement import apply_outcome, item_has_active_strike, load_history
from brightline.governance.ladder import Outcome, evaluate
from brightline.governance.notices import VERDICT_WORDS, describe_subject, language_for, queue_notice
from brightline.governance.reports import intake
from brightline.governance.unit import Unit
from brightline.model import Action, Decision, Report
from brightline.store.tables import DecisionRow

_REPORT_STATEMENT = {
    "zh": "举报已受理：案件 {case} 进入“{queue}”队列，将于 {due} 前完成人工核查。",
    "en": "Report received: case {case} is in the {queue} queue for human review by {due}.",
}
#: Verdicts that restrict the author's content and therefore owe them a notice with the way to appeal.
NOTIFY_VERDICTS = frozenset({"restrict", "remove"})


def join_statement(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first and second else (first or second)


def add_outcome(decision: Decision, outcome: Outcome, language: str) -> None:
    """Put the ladder's strike, sanctions and sentence into a decision."""
    for a in outcome.actions():
        decision.actions.append(Action(a["type"], {k: v for k, v in a.items() if k != "type"}))
    decision.statement = join_statement(decision.statement, outcome.statement.get(language, ""))


def notify_author(
    unit: Unit, ctx: PolicyContext, row: DecisionRow, decision: Decision, *, at: datetime, account_id: str
) -> None:
    """Tell the author what was decided, why, and until when they can appeal (DSA Art. 17)."""
    author = find_item(unit, "account", account_id)
    lang = language_for(author.payload if author is not None else None, ctx.language)
    queue_notice(
        unit, role="author", recipient=account_id, template="decision", language=lang,
        values={
            "subject": describe_subject(decision.subject.kind, decision.subject.id, lang),
            "outcome": VERDICT_WORDS[lang].get(decision.verdict, decision.verdict),
            "statement": decision.statement,
            "appeal_until": (at + timedelta(days=ctx.ladder.appeal_window_days)).strftime("%Y-%m-%d"),
            "decision": row.id,
        },
        at=at, decision_id=row.id,
    )


def record_screening(
    unit: Unit, ctx: PolicyContext, item: Item, decision: Decision, *, at: datetime, base_path: Path | None = None
) -> Decision:
    """Store an automated decision (or return the stored one) and apply the ladder; see the module doc."""
    chash = content_hash(item)
    row = find_item(unit, item.kind, item.id)
    previous = latest_decision(unit, row.id) if row is not None else None
    if row is not None and row.content_hash == chash:
        if previous is not None and previous.policy_hash == ctx.fingerprint:
            return decision_from_dict(previous.body)  # idempotent: same content, same policy
    else:
        row = upsert_item(unit, item, chash, at=at, base_path=base_path, existing=row)

    final = copy_decision(decision)
    occurred = getattr(item, "created_at", None) or at
    lang = ctx.language
    outcome = None
    account = responsible_account(item) if item.kind in ("post", "account") else None
    if account:
        strike = ctx.strike_for(final.rules)
        if strike is not None and not item_has_active_strike(unit, row.id, occurred):
            history = load_history(unit, account, occurred, ctx.ladder)
            outcome = evaluate(ctx.ladder, history, strike, final.signals, occurred)
            add_outcome(final, outcome, lang)

    if isinstance(item, Report):
        got = intake(unit, item, ctx, at=at)
        case = got.case
        final.actions.append(
            Action("escalate_review", {"case": case.id, "queue": case.queue, "due_at": iso(case.due_at)})
        )
        values = {"case": case.id, "queue": case.queue, "due": case.due_at.strftime("%Y-%m-%d %H:%M UTC")}
        final.statement = join_statement(final.statement, _REPORT_STATEMENT[lang].format(**values))
        if final.verdict == "allow":
            final.verdict = "review"  # a report nothing else acted on waits for a human

    dec_row = write_decision(unit, row, final, ctx, source="screen", at=at, occurred_at=occurred, previous=previous)
    if outcome is not None and account:
        apply_outcome(unit, outcome, account_id=account, decision=dec_row, at=occurred, actor="brightline")
    if account and (final.verdict in NOTIFY_VERDICTS or (outcome is not None and outcome.step is not None)):
        notify_author(unit, ctx, dec_row, final, at=at, account_id=account)
    return final
