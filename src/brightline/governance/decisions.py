"""Persisting items and versioned decisions, and converting decisions at the SQL edge.

A decision is stored with its exact JSON (``Decision.to_dict()``) so that re-screening the same content under
the same policy returns the identical decision; its signals are also stored as rows for counting and review.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from brightline.governance.audit import canonical_json
from brightline.governance.ladder import LadderConfig, NewStrike, load_ladder
from brightline.governance.unit import Unit
from brightline.model import Account, Action, Decision, Distribution, Post, Report, Signal, SubjectRef
from brightline.policy import PolicyPack
from brightline.policy.rules import Rule
from brightline.store.bulk import insert_rows
from brightline.store.tables import DecisionRow, ItemRow, SignalRow

Item = Account | Post | Report


def content_hash(item: Item) -> str:
    """SHA-256 of the item's canonical JSON, unknown fields included: any change is a new content version."""
    return hashlib.sha256(canonical_json(item.model_dump(mode="json")).encode("utf-8")).hexdigest()


def responsible_account(item: Item) -> str | None:
    """Whose record an item counts on: a post's author, the account itself, a report's reporter."""
    if isinstance(item, Post):
        return item.account_id
    if isinstance(item, Account):
        return item.id
    return item.reporter_id


#: Longest id brightline stores (platform ids, account ids); longer ones are bad input, reported per item.
MAX_ID_CHARS = 255


def storage_problem(item: Item) -> str | None:
    """Why an item cannot be stored (an id too long or containing control characters), or None."""
    fields: list[tuple[str, str | None, int]] = [("id", item.id, MAX_ID_CHARS)]
    if isinstance(item, Post):
        fields.append(("account_id", item.account_id, MAX_ID_CHARS))
    if isinstance(item, Report):
        fields += [("reporter_id", item.reporter_id, MAX_ID_CHARS), ("subject.id", item.subject.id, MAX_ID_CHARS),
                   ("subject.kind", item.subject.kind, 16)]
    for name, value, limit in fields:
        if value is None:
            continue
        if len(value) > limit:
            return f"field {name!r} has {len(value):,} characters; the store keeps at most {limit}"
        if any(ord(c) < 0x20 or c == "\x7f" for c in value):
            return f"field {name!r} contains a control character; ids must be printable"
    return None


#: How far an item's own timestamp may lie from the screening time and still be believed.
_PLAUSIBLE_PAST = timedelta(days=365 * 50)
_PLAUSIBLE_FUTURE = timedelta(days=1)


def occurred_at(item: Item, at: datetime) -> datetime:
    """When the item says it was made, if plausible (within 50 years before ``at``, at most a day after);
    otherwise ``at``. A forged year 9999 must not overflow expiry dates or dodge the strike window."""
    created = getattr(item, "created_at", None)
    if created is None:
        return at
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return created if at - _PLAUSIBLE_PAST <= created <= at + _PLAUSIBLE_FUTURE else at


def check_name(role: str, value: str, limit: int = 128) -> None:
    """Reviewer and appellant names are ids too: printable and bounded (ValueError otherwise)."""
    if not value or len(value) > limit or any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise ValueError(f"{role} must be 1-{limit} printable characters, got {value[:40]!r}")


def decision_from_dict(d: dict[str, Any]) -> Decision:
    """Rebuild a Decision from its JSON (the inverse of ``Decision.to_dict``)."""
    dist = d.get("distribution") or {}
    return Decision(
        subject=SubjectRef(d["subject"]["kind"], d["subject"]["id"]),
        verdict=d["verdict"],
        actions=[Action(a["type"], {k: v for k, v in a.items() if k != "type"}) for a in d.get("actions", [])],
        signals=[Signal(s["detector"], s["score"], s.get("evidence") or {}) for s in d.get("signals", [])],
        rules=list(d.get("rules", [])),
        policy=d.get("policy", ""),
        statement=d.get("statement", ""),
        automated=bool(d.get("automated", True)),
        distribution=Distribution(
            dist.get("recommendation", True), dist.get("prominent", True), dist.get("minors", True)
        ),
        qualifications=list(d.get("qualifications", [])),
        errors=list(d.get("errors", [])),
    )


def copy_decision(decision: Decision) -> Decision:
    """A deep enough copy that governance can add actions without touching the caller's object."""
    return decision_from_dict(decision.to_dict())


@dataclass
class PolicyContext:
    """The pack a governance run applies, with its ladder and a fingerprint of everything that decides."""

    pack: PolicyPack

    @cached_property
    def ladder(self) -> LadderConfig:
        where = str(self.pack.path / "pack.yaml") if self.pack.path else self.pack.ref
        return load_ladder(self.pack.ladder, where)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever a rule, the ladder or the pack version changes: a new decision version is due."""
        doc = {
            "ref": self.pack.ref,
            "rules": [r.model_dump(mode="json", by_alias=True) for r in self.pack.rules],
            "ladder": self.pack.ladder,
        }
        return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()

    @property
    def language(self) -> str:
        return self.pack.language if self.pack.language in ("zh", "en") else "en"

    @cached_property
    def _rules(self) -> dict[str, Rule]:
        return {r.id: r for r in self.pack.rules}

    def category(self, rule_id: str) -> str:
        """A rule's violation category: strike category, else rule category, else the id's first segment."""
        rule = self._rules.get(rule_id)
        if rule is not None:
            if rule.strike is not None and rule.strike.category:
                return rule.strike.category
            if rule.category:
                return rule.category
        return rule_id.split(".", 1)[0]

    def categories(self, rule_ids: list[str]) -> list[str]:
        return sorted({self.category(r) for r in rule_ids})

    def strike_for(self, rule_ids: list[str]) -> NewStrike | None:
        """The strike a set of fired rules adds: the heaviest one (one item is one violation)."""
        best: tuple[float, Rule] | None = None
        for rid in rule_ids:
            rule = self._rules.get(rid)
            if rule is not None and rule.strike is not None and (best is None or rule.strike.weight > best[0]):
                best = (rule.strike.weight, rule)
        if best is None:
            return None
        rule = best[1]
        assert rule.strike is not None
        return NewStrike(rule.strike.weight, self.category(rule.id), rule.id, rule.strike.expires_days)


def find_item(unit: Unit, kind: str, external_id: str) -> ItemRow | None:
    return unit.session.execute(
        select(ItemRow).where(ItemRow.kind == kind, ItemRow.external_id == external_id)
    ).scalar_one_or_none()


def latest_decision(unit: Unit, item_id: int) -> DecisionRow | None:
    return unit.session.execute(
        select(DecisionRow).where(DecisionRow.item_id == item_id).order_by(DecisionRow.version.desc()).limit(1)
    ).scalar_one_or_none()


def upsert_item(
    unit: Unit, item: Item, chash: str, *, at: datetime, base_path: Path | None, existing: ItemRow | None
) -> ItemRow:
    """Store a new item or a new content version of a known one (audited either way)."""
    payload = item.model_dump(mode="json")
    account = responsible_account(item)
    subject = f"{item.kind}:{item.id}"
    if existing is None:
        row = ItemRow(
            kind=item.kind,
            external_id=item.id,
            account_id=account,
            content_hash=chash,
            content_version=1,
            payload=payload,
            base_path=str(base_path) if base_path is not None else None,
            created_at=getattr(item, "created_at", None),
            first_seen=at,
            last_seen=at,
        )
        unit.session.add(row)
        unit.session.flush()
        unit.audit.record("item.stored", {"content_hash": chash, "version": 1}, at=at, subject=subject,
                          account_id=account)
        return row
    existing.payload = payload
    existing.content_hash = chash
    existing.content_version += 1
    existing.account_id = account
    existing.last_seen = at
    if base_path is not None:
        existing.base_path = str(base_path)
    unit.audit.record(
        "item.changed", {"content_hash": chash, "version": existing.content_version}, at=at, subject=subject,
        account_id=account,
    )
    return existing


@dataclass
class DecisionSpec:
    """One decision version to insert: which item, which version, who decided and when."""

    item_id: int
    account_id: str | None
    content_hash: str
    decision: Decision
    source: str
    at: datetime
    occurred_at: datetime
    previous_id: int | None = None
    previous_version: int = 0
    reviewer: str | None = None
    actor: str = "brightline"


def write_decisions(unit: Unit, ctx: PolicyContext, specs: list[DecisionSpec]) -> list[int]:
    """Insert decision versions with their signals in bulk (RETURNING ids, in order), and audit each."""
    if not specs:
        return []
    rows, bodies = [], []
    for sp in specs:
        d = sp.decision
        body = d.to_dict()
        bodies.append(body)
        rows.append({
            "item_id": sp.item_id, "subject_kind": d.subject.kind, "subject_id": d.subject.id,
            "account_id": sp.account_id, "version": sp.previous_version + 1, "source": sp.source,
            "content_hash": sp.content_hash, "policy": d.policy, "policy_hash": ctx.fingerprint,
            "verdict": d.verdict, "automated": d.automated, "rules": list(d.rules),
            "categories": ctx.categories(d.rules), "statement": d.statement, "body": body,
            "reviewer": sp.reviewer, "supersedes_id": sp.previous_id, "occurred_at": sp.occurred_at,
            "decided_at": sp.at,
        })
    ids = insert_rows(unit.session, DecisionRow, rows)
    signals = [
        {"decision_id": did, "detector": sig.detector, "score": float(sig.score), "evidence": sig.evidence}
        for did, sp in zip(ids, specs) for sig in sp.decision.signals
    ]
    if signals:
        unit.session.execute(insert(SignalRow.__table__), signals)
    for did, row, body, sp in zip(ids, rows, bodies, specs):
        unit.audit.record(
            "decision.made",
            {
                "decision": did, "version": row["version"], "source": sp.source, "verdict": row["verdict"],
                "automated": row["automated"], "policy": row["policy"], "rules": row["rules"],
                "content_hash": sp.content_hash,
                "body_sha256": hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest(),
                "supersedes": sp.previous_id, "reviewer": sp.reviewer,
            },
            at=sp.at, actor=sp.actor, subject=f"{row['subject_kind']}:{row['subject_id']}",
            account_id=sp.account_id,
        )
    return ids


def write_decision(
    unit: Unit,
    item_row: ItemRow,
    decision: Decision,
    ctx: PolicyContext,
    *,
    source: str,
    at: datetime,
    occurred_at: datetime,
    previous: DecisionRow | None,
    reviewer: str | None = None,
    actor: str = "brightline",
) -> DecisionRow:
    """Insert the next version of one item's decision (see :func:`write_decisions`) and return its row."""
    spec = DecisionSpec(
        item_row.id, item_row.account_id if item_row.kind != "report" else None, item_row.content_hash, decision,
        source, at, occurred_at, previous.id if previous else None, previous.version if previous else 0, reviewer,
        actor,
    )
    did = write_decisions(unit, ctx, [spec])[0]
    row = unit.session.get(DecisionRow, did)
    assert row is not None
    return row
