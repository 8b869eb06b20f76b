"""Notices to reporters and authors, rendered from zh/en templates (``notices.yaml``) into an outbox table.

brightline does not send e-mail or in-app messages itself: a platform drains the outbox (``brightline notices
list --pending``) into its own channels and marks each notice sent. Writing notices in the same transaction as
the decision means a decision is never stored without its notice, nor a notice without its decision.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select, update

from brightline.governance.unit import Unit
from brightline.policy.rules import render
from brightline.store.tables import NoticeRow

LANGUAGES = ("zh", "en")

VERDICT_WORDS = {
    "zh": {"allow": "不予处理（内容正常）", "label": "添加标注", "review": "待人工审核", "restrict": "限制传播",
           "remove": "删除"},
    "en": {"allow": "no action (the content is allowed)", "label": "labelled", "review": "pending human review",
           "restrict": "reach restricted", "remove": "removed"},
}
OUTCOME_WORDS = {
    "zh": {"upheld": "维持原决定", "reversed": "撤销原决定，相关处罚已解除"},
    "en": {"upheld": "the decision stands", "reversed": "the decision was reversed and its sanctions lifted"},
}
KIND_WORDS = {"zh": {"post": "内容", "account": "账号", "report": "举报"}, "en": {"post": "post", "account": "account",
                                                                                   "report": "report"}}


@cache
def templates() -> dict[str, dict[str, dict[str, str]]]:
    """The bundled templates: ``{name: {lang: {subject, body}}}``."""
    text = (resources.files("brightline.governance") / "notices.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def language_for(payload: dict[str, Any] | None, default: str) -> str:
    """The recipient's language when their account says (``language``/``lang``), else the pack's."""
    for key in ("language", "lang"):
        value = (payload or {}).get(key)
        if isinstance(value, str) and value[:2].lower() in LANGUAGES:
            return value[:2].lower()
    return default if default in LANGUAGES else "en"


def describe_subject(kind: str, ident: str, lang: str) -> str:
    word = KIND_WORDS.get(lang, KIND_WORDS["en"]).get(kind, kind)
    return f"{word} {ident}" if lang == "en" else f"{word}「{ident}」"


def render_notice(template: str, lang: str, values: dict[str, Any]) -> tuple[str, str]:
    """``(subject line, body)`` of a template in one language."""
    t = templates()[template]
    texts = t.get(lang) or t["en"]
    return render(texts["subject"], values).strip(), render(texts["body"], values).strip()


def queue_notice(
    unit: Unit,
    *,
    role: str,
    recipient: str,
    template: str,
    language: str,
    values: dict[str, Any],
    at: datetime,
    case_id: int | None = None,
    decision_id: int | None = None,
) -> NoticeRow:
    """Render a notice and put it in the outbox (audited as ``notice.queued``)."""
    subject_line, body = render_notice(template, language, values)
    row = NoticeRow(
        recipient_role=role,
        recipient_id=recipient,
        template=template,
        language=language,
        subject_line=subject_line,
        body=body,
        case_id=case_id,
        decision_id=decision_id,
        created_at=at,
    )
    unit.session.add(row)
    unit.session.flush()
    unit.audit.record(
        "notice.queued",
        {"notice": row.id, "role": role, "template": template, "language": language, "case": case_id,
         "decision": decision_id},
        at=at,
        account_id=recipient,
    )
    return row


def pending(unit: Unit, limit: int = 100) -> list[NoticeRow]:
    """Notices not yet marked sent, oldest first."""
    stmt = select(NoticeRow).where(NoticeRow.sent_at.is_(None)).order_by(NoticeRow.id).limit(limit)
    return list(unit.session.execute(stmt).scalars())


def mark_sent(unit: Unit, notice_ids: list[int], at: datetime) -> int:
    """Mark notices as handed to the delivery channel; returns how many changed."""
    if not notice_ids:
        return 0
    res = unit.session.execute(
        update(NoticeRow).where(NoticeRow.id.in_(notice_ids), NoticeRow.sent_at.is_(None)).values(sent_at=at)
    )
    unit.audit.record("notice.sent", {"notices": sorted(notice_ids)}, at=at)
    return res.rowcount or 0
