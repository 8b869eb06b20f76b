"""Applying ladder outcomes to the store (strikes, sanctions, negative list) and lifting them again.

Every change is audited: ``strike.issued``, ``sanction.applied``, ``negative_list.added`` and, when an appeal
or a reviewer overturns the decision that caused them, ``strike.lifted``, ``sanction.lifted`` and
``negative_list.removed``, each naming the decision it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from brightline.governance.audit import iso
from brightline.governance.ladder import History, LadderConfig, Outcome, PastSanction
from brightline.governance.unit import Unit
from brightline.store.bulk import insert_rows
from brightline.store.tables import DecisionRow, NegativeListRow, SanctionRow, StrikeRow


def _active_strikes(account_id: str, at: datetime) -> Any:
    return select(StrikeRow).where(
        StrikeRow.account_id == account_id,
        StrikeRow.lifted_at.is_(None),
        StrikeRow.issued_at <= at,
        or_(StrikeRow.expires_at.is_(None), StrikeRow.expires_at > at),
    )


def load_history(unit: Unit, account_id: str, at: datetime, config: LadderConfig) -> History:
    """The account's active strike weight and the steps it reached within the strike window."""
    strikes = list(unit.session.execute(_active_strikes(account_id, at)).scalars())
    since = at - timedelta(days=config.strike_expires_days)
    sanctions = unit.session.execute(
        select(SanctionRow.step, SanctionRow.category, SanctionRow.starts_at)
        .where(SanctionRow.account_id == account_id, SanctionRow.lifted_at.is_(None), SanctionRow.starts_at >= since)
    ).all()
    on_list = unit.session.execute(
        select(func.count()).select_from(NegativeListRow).where(
            NegativeListRow.account_id == account_id, NegativeListRow.removed_at.is_(None)
        )
    ).scalar_one()
    return History(
        active_weight=sum(s.weight for s in strikes),
        active_strikes=len(strikes),
        sanctions=[PastSanction(step, cat, starts) for step, cat, starts in sanctions],
        on_negative_list=bool(on_list),
    )


def item_has_active_strike(unit: Unit, item_id: int, at: datetime) -> bool:
    """One violation, one strike: a new version of an item already struck adds none."""
    stmt = select(func.count()).select_from(StrikeRow).where(
        StrikeRow.item_id == item_id,
        StrikeRow.lifted_at.is_(None),
        or_(StrikeRow.expires_at.is_(None), StrikeRow.expires_at > at),
    )
    return bool(unit.session.execute(stmt).scalar_one())


@dataclass
class Enforcement:
    """A ladder outcome to store for one decision."""

    outcome: Outcome
    account_id: str
    decision_id: int
    item_id: int
    at: datetime
    actor: str = "brightline"


def apply_outcomes(unit: Unit, entries: list[Enforcement]) -> None:
    """Store strikes, the steps' sanctions and negative-list entries in bulk, then audit each in order."""
    strike_rows, sanction_rows, list_rows = [], [], []
    per_entry: list[tuple[int, int, bool]] = []  # (strike index, sanctions count, negative list?)
    for e in entries:
        o = e.outcome
        strike_rows.append({
            "account_id": e.account_id, "decision_id": e.decision_id, "item_id": e.item_id, "rule_id": o.rule_id,
            "category": o.category, "weight": float(o.strike_weight), "issued_at": e.at, "expires_at": o.strike_expires_at,
        })
        sanctions = [
            {"account_id": e.account_id, "decision_id": e.decision_id, "step": sp.step, "type": sp.type,
             "category": o.category, "params": sp.params, "starts_at": sp.starts_at, "ends_at": sp.ends_at}
            for sp in o.sanctions
        ]
        # A step without sanctions (reminder, warning) is still recorded: later escalations ask "after a warning?".
        if o.step is not None and not sanctions:
            sanctions.append({"account_id": e.account_id, "decision_id": e.decision_id, "step": o.step,
                              "type": "notify_author", "category": o.category, "params": {}, "starts_at": e.at,
                              "ends_at": None})
        sanction_rows.extend(sanctions)
        if o.negative_list:
            list_rows.append({"account_id": e.account_id, "decision_id": e.decision_id,
                              "reason": f"ladder step {o.step}", "added_at": e.at})
        per_entry.append((len(strike_rows) - 1, len(sanctions), o.negative_list))
    strike_ids = insert_rows(unit.session, StrikeRow, strike_rows)
    sanction_ids = iter(zip(insert_rows(unit.session, SanctionRow, sanction_rows), sanction_rows))
    list_ids = iter(insert_rows(unit.session, NegativeListRow, list_rows))
    for e, (si, n_sanctions, listed) in zip(entries, per_entry):
        o, subject = e.outcome, f"account:{e.account_id}"
        unit.audit.record(
            "strike.issued",
            {"strike": strike_ids[si], "decision": e.decision_id, "rule": o.rule_id, "category": o.category,
             "weight": o.strike_weight, "active_weight": o.active_weight, "step": o.step,
             "escalations": o.escalations,
             "expires_at": iso(o.strike_expires_at) if o.strike_expires_at else None},
            at=e.at, actor=e.actor, account_id=e.account_id, subject=subject,
        )
        for _ in range(n_sanctions):
            sid, r = next(sanction_ids)
            unit.audit.record(
                "sanction.applied",
                {"sanction": sid, "decision": e.decision_id, "step": r["step"], "type": r["type"],
                 "params": r["params"], "starts_at": iso(r["starts_at"]),
                 "ends_at": iso(r["ends_at"]) if r["ends_at"] else None},
                at=e.at, actor=e.actor, account_id=e.account_id, subject=subject,
            )
        if listed:
            unit.audit.record("negative_list.added", {"entry": next(list_ids), "decision": e.decision_id,
                                                      "step": o.step},
                              at=e.at, actor=e.actor, account_id=e.account_id, subject=subject)


@dataclass
class Lifted:
    strikes: int = 0
    sanctions: int = 0
    negative_list: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"strikes": self.strikes, "sanctions": self.sanctions, "negative_list": self.negative_list}


def lift_for_decisions(unit: Unit, decision_ids: list[int], *, at: datetime, actor: str, reason: str) -> Lifted:
    """Lift every strike, sanction and negative-list entry the given decisions caused."""
    lifted = Lifted()
    if not decision_ids:
        return lifted
    s = unit.session
    for strike in s.execute(
        select(StrikeRow).where(StrikeRow.decision_id.in_(decision_ids), StrikeRow.lifted_at.is_(None))
    ).scalars():
        strike.lifted_at, strike.lifted_reason = at, reason
        lifted.strikes += 1
        unit.audit.record("strike.lifted", {"strike": strike.id, "decision": strike.decision_id, "reason": reason},
                          at=at, actor=actor, account_id=strike.account_id, subject=f"account:{strike.account_id}")
    for sanction in s.execute(
        select(SanctionRow).where(SanctionRow.decision_id.in_(decision_ids), SanctionRow.lifted_at.is_(None))
    ).scalars():
        sanction.lifted_at, sanction.lifted_reason = at, reason
        lifted.sanctions += 1
        unit.audit.record(
            "sanction.lifted",
            {"sanction": sanction.id, "decision": sanction.decision_id, "type": sanction.type, "reason": reason},
            at=at, actor=actor, account_id=sanction.account_id, subject=f"account:{sanction.account_id}",
        )
    for entry in s.execute(
        select(NegativeListRow).where(
            NegativeListRow.decision_id.in_(decision_ids), NegativeListRow.removed_at.is_(None)
        )
    ).scalars():
        entry.removed_at = at
        lifted.negative_list += 1
        unit.audit.record("negative_list.removed", {"entry": entry.id, "decision": entry.decision_id,
                                                    "reason": reason},
                          at=at, actor=actor, account_id=entry.account_id, subject=f"account:{entry.account_id}")
    return lifted


def enforcing_decisions(unit: Unit, item_id: int) -> list[int]:
    """Ids of an item's decisions whose strikes or sanctions are still in force."""
    ids = set(
        unit.session.execute(
            select(StrikeRow.decision_id).where(StrikeRow.item_id == item_id, StrikeRow.lifted_at.is_(None))
        ).scalars()
    )
    ids |= set(
        unit.session.execute(
            select(SanctionRow.decision_id)
            .join(DecisionRow, DecisionRow.id == SanctionRow.decision_id)
            .where(DecisionRow.item_id == item_id, SanctionRow.lifted_at.is_(None))
        ).scalars()
    )
    return sorted(ids)


def account_record(unit: Unit, account_id: str, at: datetime) -> dict[str, Any]:
    """A reviewer's view of an account: active and past strikes, sanctions in force, decisions by verdict."""
    s = unit.session
    strikes = list(s.execute(select(StrikeRow).where(StrikeRow.account_id == account_id)
                             .order_by(StrikeRow.issued_at)).scalars())
    active = [x for x in strikes if x.lifted_at is None and (x.expires_at is None or x.expires_at > at)]
    sanctions = list(s.execute(select(SanctionRow).where(SanctionRow.account_id == account_id)
                               .order_by(SanctionRow.starts_at)).scalars())
    verdicts = dict(
        s.execute(
            select(DecisionRow.verdict, func.count()).where(DecisionRow.account_id == account_id)
            .group_by(DecisionRow.verdict)
        ).all()
    )
    on_list = s.execute(
        select(func.count()).select_from(NegativeListRow).where(
            NegativeListRow.account_id == account_id, NegativeListRow.removed_at.is_(None))
    ).scalar_one()
    return {
        "account": account_id,
        "active_strike_weight": sum(x.weight for x in active),
        "strikes": [
            {"id": x.id, "category": x.category, "weight": x.weight, "rule": x.rule_id, "issued_at": iso(x.issued_at),
             "expires_at": iso(x.expires_at) if x.expires_at else None, "lifted": x.lifted_at is not None}
            for x in strikes
        ],
        "sanctions": [
            {"id": x.id, "step": x.step, "type": x.type, **x.params, "starts_at": iso(x.starts_at),
             "ends_at": iso(x.ends_at) if x.ends_at else None,
             "in_force": x.lifted_at is None and (x.ends_at is None or x.ends_at > at),
             "lifted": x.lifted_at is not None}
            for x in sanctions
        ],
        "decisions_by_verdict": verdicts,
        "negative_list": bool(on_list),
    }
