"""Core store: items, versioned decisions, their signals, and the hash-chained audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from brightline.store.tables import JSONDoc, Key, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("content_version", sa.Integer, nullable=False),
        sa.Column("payload", JSONDoc, nullable=False),
        sa.Column("base_path", sa.Text, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=True),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.UniqueConstraint("external_id", "kind", name="uq_items_external_id_kind"),
    )
    op.create_index("ix_items_account_id", "items", ["account_id"])

    op.create_table(
        "decisions",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("item_id", Key, sa.ForeignKey("items.id", name="fk_decisions_item_id_items"), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(255), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("policy", sa.String(128), nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("automated", sa.Boolean, nullable=False),
        sa.Column("rules", JSONDoc, nullable=False),
        sa.Column("categories", JSONDoc, nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("body", JSONDoc, nullable=False),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("decided_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("item_id", "version", name="uq_decisions_item_version"),
    )
    op.create_index("ix_decisions_item_id", "decisions", ["item_id"])
    op.create_index("ix_decisions_account_id", "decisions", ["account_id"])
    op.create_index("ix_decisions_verdict", "decisions", ["verdict"])
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at"])
    op.create_index("ix_decisions_subject", "decisions", ["subject_kind", "subject_id"])

    op.create_table(
        "signals",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column(
            "decision_id", Key, sa.ForeignKey("decisions.id", name="fk_signals_decision_id_decisions"), nullable=False
        ),
        sa.Column("detector", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", JSONDoc, nullable=False),
    )
    op.create_index("ix_signals_decision_id", "signals", ["decision_id"])
    op.create_index("ix_signals_detector", "signals", ["detector"])

    op.create_table(
        "audit_events",
        sa.Column("seq", Key, primary_key=True, autoincrement=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("type", sa.String(48), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("subject", sa.String(300), nullable=True),
        sa.Column("account_id", sa.String(255), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_events_type", "audit_events", ["type"])
    op.create_index("ix_audit_events_subject", "audit_events", ["subject"])
    op.create_index("ix_audit_events_account_id", "audit_events", ["account_id"])

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("seal", sa.String(64), nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=True),
    )
    # The genesis head: sequence 0 and the all-zero hash every chain starts from.
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )


def downgrade() -> None:
    for table in ("audit_head", "audit_events", "signals", "decisions", "items"):
        op.drop_table(table)
