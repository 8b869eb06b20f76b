"""Governance: strikes and sanctions (enforcement ladder), reporters, cases, reports, reviews, appeals, the
notice outbox and the negative list; decisions gain the reviewer and the version they supersede.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from brightline.store.tables import JSONDoc, Key, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    # Existing decisions keep NULLs: they were automated and supersede nothing recorded.
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("reviewer", sa.String(128), nullable=True))
        batch.add_column(sa.Column("supersedes_id", Key, nullable=True))
        batch.create_foreign_key("fk_decisions_supersedes_id_decisions", "decisions", ["supersedes_id"], ["id"])

    op.create_table(
        "strikes",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("decision_id", Key, _fk("strikes", "decision_id", "decisions"), nullable=False),
        sa.Column("item_id", Key, _fk("strikes", "item_id", "items"), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("issued_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=True),
        sa.Column("lifted_at", UTCDateTime, nullable=True),
        sa.Column("lifted_reason", sa.Text, nullable=True),
    )
    op.create_index("ix_strikes_account_id", "strikes", ["account_id"])
    op.create_index("ix_strikes_decision_id", "strikes", ["decision_id"])
    op.create_index("ix_strikes_item_id", "strikes", ["item_id"])

    op.create_table(
        "sanctions",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("decision_id", Key, _fk("sanctions", "decision_id", "decisions"), nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("params", JSONDoc, nullable=False),
        sa.Column("starts_at", UTCDateTime, nullable=False),
        sa.Column("ends_at", UTCDateTime, nullable=True),
        sa.Column("lifted_at", UTCDateTime, nullable=True),
        sa.Column("lifted_reason", sa.Text, nullable=True),
    )
    op.create_index("ix_sanctions_account_id", "sanctions", ["account_id"])
    op.create_index("ix_sanctions_decision_id", "sanctions", ["decision_id"])

    op.create_table(
        "reporters",
        sa.Column("reporter_id", sa.String(255), primary_key=True),
        sa.Column("trusted_flagger", sa.Boolean, nullable=False),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("reports_total", sa.Integer, nullable=False),
        sa.Column("reports_upheld", sa.Integer, nullable=False),
        sa.Column("reports_rejected", sa.Integer, nullable=False),
    )

    op.create_table(
        "cases",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(255), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=True),
        sa.Column("open_key", sa.String(300), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("priority", sa.Float, nullable=False),
        sa.Column("trusted", sa.Boolean, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("reach", sa.BigInteger, nullable=False),
        sa.Column("report_count", sa.Integer, nullable=False),
        sa.Column("opened_at", UTCDateTime, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("claimed_by", sa.String(128), nullable=True),
        sa.Column("claimed_at", UTCDateTime, nullable=True),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.Column("decided_at", UTCDateTime, nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("decision_id", Key, _fk("cases", "decision_id", "decisions"), nullable=True),
        sa.UniqueConstraint("open_key", name="uq_cases_open_key"),
    )
    op.create_index("ix_cases_account_id", "cases", ["account_id"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_cases_queue_status", "cases", ["queue", "status", "priority"])

    op.create_table(
        "reports",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("reporter_id", sa.String(255), nullable=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("trusted_flagger", sa.Boolean, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("case_id", Key, _fk("reports", "case_id", "cases"), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.UniqueConstraint("external_id", name="uq_reports_external_id"),
    )
    op.create_index("ix_reports_reporter_id", "reports", ["reporter_id"])
    op.create_index("ix_reports_case_id", "reports", ["case_id"])

    op.create_table(
        "reviews",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("case_id", Key, _fk("reviews", "case_id", "cases"), nullable=False),
        sa.Column("reviewer", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decision_id", Key, _fk("reviews", "decision_id", "decisions"), nullable=True),
        sa.Column("decided_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reviews_case_id", "reviews", ["case_id"])

    op.create_table(
        "appeals",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("decision_id", Key, _fk("appeals", "decision_id", "decisions"), nullable=False),
        sa.Column("case_id", Key, _fk("appeals", "case_id", "cases"), nullable=False),
        sa.Column("appellant", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("submitted_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.Column("decided_at", UTCDateTime, nullable=True),
        sa.Column("outcome_reason", sa.Text, nullable=True),
        sa.Column(
            "outcome_decision_id", Key, _fk("appeals", "outcome_decision_id", "decisions"), nullable=True
        ),
    )
    op.create_index("ix_appeals_decision_id", "appeals", ["decision_id"])

    op.create_table(
        "notices",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("recipient_role", sa.String(16), nullable=False),
        sa.Column("recipient_id", sa.String(255), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject_line", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("case_id", Key, _fk("notices", "case_id", "cases"), nullable=True),
        sa.Column("decision_id", Key, _fk("notices", "decision_id", "decisions"), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_notices_recipient_id", "notices", ["recipient_id"])
    op.create_index("ix_notices_created_at", "notices", ["created_at"])

    op.create_table(
        "negative_list",
        sa.Column("id", Key, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("decision_id", Key, _fk("negative_list", "decision_id", "decisions"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
        sa.Column("removed_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_negative_list_account_id", "negative_list", ["account_id"])


def downgrade() -> None:
    for table in ("negative_list", "notices", "appeals", "reviews", "reports", "cases", "reporters", "sanctions",
                  "strikes"):
        op.drop_table(table)
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint("fk_decisions_supersedes_id_decisions", type_="foreignkey")
        batch.drop_column("supersedes_id")
        batch.drop_column("reviewer")
