"""SQLAlchemy 2 tables of the governance store: items, decisions, signals, strikes, sanctions, reports, cases,
reviews, appeals, notices (outbox) and the hash-chained audit log.

Every timestamp is timezone-aware UTC in Python (:class:`UTCDateTime`), whatever the database stores. The
Alembic migrations in ``store/migrations`` create exactly these tables; a test compares the two.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: JSON documents, stored as JSON text everywhere. Not JSONB on PostgreSQL: JSONB rejects the escape \u0000,
#: and a post may legitimately contain a NUL character that must be kept exactly as submitted.
JSONDoc = JSON()
#: Surrogate keys: 64-bit on PostgreSQL; SQLite needs exactly INTEGER for its rowid alias.
Key = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python; ``timestamptz`` on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        # SQLite compares timestamps as text: store one naive UTC form so ordering is right.
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


#: Deterministic constraint and index names, so migrations and models name things identically.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}


class SafeText(TypeDecorator[str]):
    """Free text (statements, reasons, notices). PostgreSQL text cannot hold NUL, so there it is stored as
    U+FFFD; the exact original always survives in the JSON documents (``payload``, ``body``)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None and dialect.name == "postgresql" and "\x00" in value:
            return value.replace("\x00", "\ufffd")
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ItemRow(Base):
    """The latest content of one input item (post, account or report), keyed by kind and the platform's id."""

    __tablename__ = "items"
    # external_id first: a batch looks items up with external_id IN (…), which then is an index range scan
    __table_args__ = (UniqueConstraint("external_id", "kind", name="uq_items_external_id_kind"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(255))
    #: The account responsible: a post's author, the account itself, a report's reporter.
    account_id: Mapped[str | None] = mapped_column(String(255), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    #: Folder the item's relative media paths resolve against (for referral packages).
    base_path: Mapped[str | None] = mapped_column(SafeText)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class DecisionRow(Base):
    """One version of the decision on an item. A new version is written only when the content, the policy or
    a human (review, appeal) changes it; re-screening the same content under the same policy reuses it.
    The unique (item, version) pair means two concurrent screeners can never both add the same version."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("item_id", "version", name="uq_decisions_item_version"),
        Index("ix_decisions_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(255))
    account_id: Mapped[str | None] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(Integer)
    #: ``screen`` (automated), ``review`` (a reviewer's decision on a case) or ``appeal`` (an appeal outcome).
    source: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    policy: Mapped[str] = mapped_column(String(128))
    policy_hash: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    automated: Mapped[bool] = mapped_column(Boolean)
    rules: Mapped[list[str]] = mapped_column(JSONDoc)
    categories: Mapped[list[str]] = mapped_column(JSONDoc)
    statement: Mapped[str] = mapped_column(SafeText)
    #: The decision exactly as emitted (``Decision.to_dict()``), so a re-screen returns it unchanged.
    body: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SignalRow(Base):
    """A detector finding that a decision relied on (queried for transparency counts and review evidence)."""

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    detector: Mapped[str] = mapped_column(String(64), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONDoc)


class AuditEventRow(Base):
    """One append-only audit event. ``body`` is the canonical JSON that was hashed, byte for byte;
    ``hash = sha256(prev_hash || "\\n" || body)``. Never updated, never deleted."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    type: Mapped[str] = mapped_column(String(48), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str | None] = mapped_column(String(300), index=True)
    account_id: Mapped[str | None] = mapped_column(String(255), index=True)
    body: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The chain's head (one row, id 1): last sequence number and hash. Appending locks it, which serialises
    appends on PostgreSQL; verification compares it with the last event, so a cut or forged tail shows."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    #: HMAC-SHA256 of "seq:hash" under BRIGHTLINE_AUDIT_KEY when one is configured.
    seal: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# ---- revision 0002: the enforcement ladder, reports, review, appeals and notices ----


class StrikeRow(Base):
    """A weighted mark on an account's record for one violation; counts toward the ladder until it expires
    or is lifted (by an appeal or a reviewer overturning the decision)."""

    __tablename__ = "strikes"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(255), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    rule_id: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64))
    weight: Mapped[float] = mapped_column(Float)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_reason: Mapped[str | None] = mapped_column(SafeText)


class SanctionRow(Base):
    """An account-level measure from the ladder: reminder, warning, posting restriction, suspension, closure,
    a demonetisation measure, or the negative list. ``ends_at`` is None for permanent measures."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(255), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    step: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_reason: Mapped[str | None] = mapped_column(SafeText)


class ReporterRow(Base):
    """What brightline knows about a reporter: trusted-flagger status and how often their reports held up."""

    __tablename__ = "reporters"

    reporter_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    trusted_flagger: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(SafeText)
    reports_total: Mapped[int] = mapped_column(Integer, default=0)
    reports_upheld: Mapped[int] = mapped_column(Integer, default=0)
    reports_rejected: Mapped[int] = mapped_column(Integer, default=0)


class CaseRow(Base):
    """A unit of human review: all open reports on one subject, or one appeal.

    ``open_key`` is ``"<kind>:<subject>"`` while the case is open or claimed and NULL after; its unique index
    makes "one open case per subject" a database guarantee, not a hope.
    """

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_queue_status", "queue", "status", "priority"),)

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # report | appeal
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(255))
    account_id: Mapped[str | None] = mapped_column(String(255), index=True)
    open_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | claimed | decided
    queue: Mapped[str] = mapped_column(String(32))
    priority: Mapped[float] = mapped_column(Float)
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    severity: Mapped[int] = mapped_column(Integer, default=1)
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(32))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))


class ReportRow(Base):
    """A user's or trusted flagger's report (DSA Art. 16 notice). Re-submitting the same report id is a no-op."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    external_id: Mapped[str] = mapped_column(String(255), unique=True)
    reporter_id: Mapped[str | None] = mapped_column(String(255), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(SafeText)
    text: Mapped[str] = mapped_column(SafeText)
    trusted_flagger: Mapped[bool] = mapped_column(Boolean, default=False)
    severity: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))


class ReviewRow(Base):
    """A reviewer's decision on a case."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(SafeText)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppealRow(Base):
    """A complaint against a decision (DSA Art. 20), decided by a reviewer other than the original one."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    appellant: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(SafeText)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # pending | upheld | reversed
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_reason: Mapped[str | None] = mapped_column(SafeText)
    outcome_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))


class NoticeRow(Base):
    """Outbox: a message to a reporter or an author, rendered from a zh/en template, waiting to be sent."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    recipient_role: Mapped[str] = mapped_column(String(16))  # author | reporter
    recipient_id: Mapped[str] = mapped_column(String(255), index=True)
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    subject_line: Mapped[str] = mapped_column(SafeText)
    body: Mapped[str] = mapped_column(SafeText)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NegativeListRow(Base):
    """Accounts on the negative list (barred from monetisation and re-registration) and why."""

    __tablename__ = "negative_list"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(255), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    reason: Mapped[str] = mapped_column(SafeText)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
