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
from sqlalchemy import update

from brightline.governance.unit import Unit
from brightline.policy.rules import render
from brightline.store.bulk import insert_rows
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


def notice_values(
    *,
    role: str,
    recipient: str,
    template: str,
    language: str,
    values: dict[str, Any],
    at: datetime,
    case_id: int | None = None,
    decision_id: int | None = None,
) -> dict[str, Any]:
    """A rendered notice, ready to insert."""
    subject_line, body = render_notice(template, language, values)
    return {"recipient_role": role, "recipient_id": recipient, "template": template, "language": language,
            "subject_line": subject_line, "body": body, "case_id": case_id, "decision_id": decision_id,
            "created_at": at}


def insert_notices(unit: Unit, rows: list[dict[str, Any]]) -> list[int]:
    """Put rendered notices in the outbox in bulk (each audited as ``notice.queued``)."""
    if not rows:
        return []
    ids = insert_rows(unit.session, NoticeRow, rows)
    for nid, r in zip(ids, rows):
        unit.audit.record(
            "notice.queued",
            {"notice": nid, "role": r["recipient_role"], "template": r["template"], "language": r["language"],
             "case": r["case_id"], "decision": r["decision_id"]},
            at=r["created_at"], account_id=r["recipient_id"],
        )
    return ids


def queue_notice(unit: Unit, **kwargs: Any) -> int:
    """Render one notice and put it in the outbox; returns its id. Arguments as :func:`notice_values`."""
    return insert_notices(unit, [notice_values(**kwargs)])[0]


def notice_dict(n: NoticeRow) -> dict[str, Any]:
    """A notice as the platform's delivery job reads it."""
    from brightline.governance.audit import iso

    return {
        "id": n.id, "to": n.recipient_id, "role": n.recipient_role, "template": n.template, "language": n.language,
        "subject": n.subject_line, "body": n.body, "case": n.case_id, "decision": n.decision_id,
        "created_at": iso(n.created_at), "sent_at": iso(n.sent_at) if n.sent_at else None,
    }


def mark_sent(unit: Unit, notice_ids: list[int], at: datetime) -> int:
    """Mark notices as handed to the delivery channel; returns how many changed."""
    if not notice_ids:
        return 0
    res = unit.session.execute(
        update(NoticeRow).where(NoticeRow.id.in_(notice_ids), NoticeRow.sent_at.is_(None)).values(sent_at=at)
    )
    unit.audit.record("notice.sent", {"notices": sorted(notice_ids)}, at=at)
    return res.rowcount or 0
