"""DSA Art. 17 statements of reasons, as the EU Transparency Database API expects them (one JSON object per
restrictive decision, exported as JSON Lines).

Field names and enum values follow the Transparency Database's ``Statement`` model (digital-services-act/
transparency-database, ``app/Models/Statement.php``, 2024 version; see reference/aigc-labelling.md §7).
How brightline's rule categories map onto the database's categories and keywords is data: defaults below,
overridable per pack under ``ladder.sor``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from brightline.governance.decisions import PolicyContext
from brightline.governance.ladder import SorConfig
from brightline.governance.transparency import period_bounds
from brightline.store.tables import CaseRow, DecisionRow, ItemRow, ReporterRow, ReportRow

STATEMENT_CATEGORIES = (
    "STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM", "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE",
)
#: The 27 EU member states plus Iceland, Liechtenstein and Norway.
EEA = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
       "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO")

#: brightline categories (rule/strike categories, usually the detector family) → Transparency Database category.
DEFAULT_CATEGORIES = {
    "false_information": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "claims": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "coordination": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "impersonation": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "diversion": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "lexicon": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "minors": "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
}
FALLBACK_CATEGORY = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"  # labelling, sourcing, qualification rules
DEFAULT_KEYWORDS = {
    "false_information": ["KEYWORD_DISINFORMATION"],
    "claims": ["KEYWORD_DISINFORMATION"],
    "coordination": ["KEYWORD_COORDINATED_HARM", "KEYWORD_INAUTHENTIC_ACCOUNTS"],
    "impersonation": ["KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING"],
}
_MEDIA_TYPES = {
    "CONTENT_TYPE_IMAGE": {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic", ".avif"},
    "CONTENT_TYPE_VIDEO": {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".flv"},
    "CONTENT_TYPE_AUDIO": {".mp3", ".wav", ".m4a", ".flac", ".ogg", ".opus", ".aac"},
}
_VISIBILITY = {
    "remove": "DECISION_VISIBILITY_CONTENT_REMOVED",
    "hide": "DECISION_VISIBILITY_CONTENT_DISABLED",
    "limit_reach": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "exclude_from_recommendation": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "exclude_from_prominent": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "exclude_from_minors": "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "label": "DECISION_VISIBILITY_CONTENT_LABELLED",
}


def _date(value: str | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.date().isoformat()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _content_types(kind: str, payload: dict[str, Any], signals: list[dict[str, Any]]) -> list[str]:
    if kind != "post":
        return ["CONTENT_TYPE_OTHER"]
    types: set[str] = set()
    if payload.get("text") or payload.get("title"):
        types.add("CONTENT_TYPE_TEXT")
    for m in payload.get("media") or []:
        suffix = PurePosixPath(str(m.get("path", ""))).suffix.lower()
        types.update(t for t, exts in _MEDIA_TYPES.items() if suffix in exts)
    if any(s.get("detector") == "aigc" for s in signals) or payload.get("declared_ai"):
        types.add("CONTENT_TYPE_SYNTHETIC_MEDIA")
    return sorted(types) or ["CONTENT_TYPE_OTHER"]


def _facts(body: dict[str, Any]) -> str:
    """Art. 17(3)(b): the facts and circumstances — the statement, the rules and the evidence relied on."""
    parts = [body.get("statement", "")]
    if body.get("rules"):
        parts.append("Rules applied: " + ", ".join(body["rules"]) + f" ({body.get('policy', '')}).")
    evidence = []
    for s in body.get("signals", [])[:10]:
        ev = s.get("evidence") or {}
        detail = ev.get("value") or ev.get("term") or ev.get("entity") or ev.get("claim_id") or ev.get("basis") or ""
        evidence.append(f"{s.get('detector')} (score {s.get('score')}){': ' + str(detail) if detail else ''}")
    if evidence:
        parts.append("Evidence: " + "; ".join(evidence) + ".")
    return _clip(" ".join(p for p in parts if p), 5000)


def statement_of_reasons(
    row: DecisionRow,
    payload: dict[str, Any],
    config: SorConfig,
    *,
    source: tuple[str, str | None] = ("SOURCE_VOLUNTARY", None),
) -> dict[str, Any] | None:
    """The statement for one decision, or None when it restricted nothing (an allow or a pending review)."""
    body = row.body or {}
    actions = body.get("actions", [])
    visibility = sorted({_VISIBILITY[a["type"]] for a in actions if a.get("type") in _VISIBILITY})
    if row.verdict == "remove" and "DECISION_VISIBILITY_CONTENT_REMOVED" not in visibility:
        visibility.append("DECISION_VISIBILITY_CONTENT_REMOVED")
    if row.verdict == "restrict" and not visibility:
        visibility.append("DECISION_VISIBILITY_CONTENT_DEMOTED")
    for total in ("DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED"):
        if total in visibility:  # content no one can see is not also "demoted" or "labelled"
            visibility = [total]
            break
    sor: dict[str, Any] = {}
    if visibility:
        sor["decision_visibility"] = sorted(set(visibility))
    end_dates: dict[str, list[str]] = {"account": [], "monetary": [], "service": []}
    for a in actions:
        permanent = bool(a.get("permanent")) or ("ends_at" in a and a["ends_at"] is None)
        end = _date(a.get("ends_at"))
        if a.get("type") == "demonetize":
            sor["decision_monetary"] = "DECISION_MONETARY_TERMINATION" if permanent else "DECISION_MONETARY_SUSPENSION"
            end_dates["monetary"] += [end] if end else []
        elif a.get("type") == "suspend_account":
            sor["decision_account"] = "DECISION_ACCOUNT_TERMINATED" if permanent else "DECISION_ACCOUNT_SUSPENDED"
            end_dates["account"] += [end] if end else []
        elif a.get("type") == "restrict_account":
            sor["decision_provision"] = (
                "DECISION_PROVISION_PARTIAL_TERMINATION" if permanent else "DECISION_PROVISION_PARTIAL_SUSPENSION"
            )
            end_dates["service"] += [end] if end else []
    if not any(k in sor for k in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")):
        return None
    for key, field in (("account", "end_date_account_restriction"), ("monetary", "end_date_monetary_restriction"),
                       ("service", "end_date_service_restriction")):
        if end_dates[key]:
            sor[field] = max(end_dates[key])

    cats = list(row.categories or [])
    mapping = {**DEFAULT_CATEGORIES, **config.categories}
    mapped = [mapping.get(c, FALLBACK_CATEGORY) for c in cats] or [FALLBACK_CATEGORY]
    sor["category"] = mapped[0]
    extra = sorted(set(mapped[1:]) - {mapped[0]})
    if extra:
        sor["category_addition"] = extra
    keywords = sorted({k for c in cats for k in {**DEFAULT_KEYWORDS, **config.keywords}.get(c, [])})
    if keywords:
        sor["category_specification"] = keywords

    statement = body.get("statement", "")
    illegal = [config.illegal[c] for c in cats if c in config.illegal]
    if illegal:
        sor["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"
        sor["illegal_content_legal_ground"] = _clip("; ".join(illegal), 500)
        sor["illegal_content_explanation"] = _clip(statement, 2000)
    else:
        sor["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        ground = f"{row.policy} rules: {', '.join(row.rules)}" if row.rules else f"{row.policy}: reviewer decision"
        sor["incompatible_content_ground"] = _clip(ground, 500)
        sor["incompatible_content_explanation"] = _clip(statement, 2000)
        sor["incompatible_content_illegal"] = "No"
    if config.terms_url:
        sor["decision_ground_reference_url"] = config.terms_url

    signals = body.get("signals", [])
    sor["content_type"] = _content_types(row.subject_kind, payload, signals)
    if row.subject_kind != "post":
        sor["content_type_other"] = "Account profile (name, handle, biography)"
    language = payload.get("language") or payload.get("lang")
    if isinstance(language, str) and len(language) == 2 and language.isalpha():
        sor["content_language"] = language.upper()
    sor["content_date"] = _date(payload.get("created_at")) or row.occurred_at.date().isoformat()
    sor["application_date"] = row.decided_at.date().isoformat()
    sor["decision_facts"] = _facts(body)
    sor["source_type"] = source[0]
    if source[1] and source[0] != "SOURCE_VOLUNTARY":
        sor["source_identity"] = _clip(source[1], 500)
    sor["automated_detection"] = "Yes" if signals else "No"
    if row.automated:
        sor["automated_decision"] = "AUTOMATED_DECISION_FULLY"
    else:
        sor["automated_decision"] = "AUTOMATED_DECISION_PARTIALLY" if signals else "AUTOMATED_DECISION_NOT_AUTOMATED"
    sor["territorial_scope"] = list(config.territorial_scope or EEA)
    sor["puid"] = _clip(f"{row.subject_kind}:{row.subject_id}:v{row.version}", 500)
    return sor


def _report_source(session: Session, row: DecisionRow) -> tuple[str, str | None]:
    """Art. 17(3)(b): was the decision taken on a notice (Art. 16), a trusted flagger's notice, or own initiative?"""
    if row.source != "review":
        return ("SOURCE_VOLUNTARY", None)
    case = session.execute(select(CaseRow).where(CaseRow.decision_id == row.id)).scalar_one_or_none()
    if case is None or case.kind != "report":
        return ("SOURCE_VOLUNTARY", None)
    trusted = session.execute(
        select(ReportRow.reporter_id).where(ReportRow.case_id == case.id, ReportRow.trusted_flagger.is_(True))
    ).scalars().first()
    if trusted is None:
        return ("SOURCE_ARTICLE_16", None)  # no notifier identity: it is personal data
    name = session.execute(select(ReporterRow.name).where(ReporterRow.reporter_id == trusted)).scalar_one_or_none()
    return ("SOURCE_TRUSTED_FLAGGER", name or trusted)


def export(session: Session, ctx: PolicyContext, start: date, end: date) -> Iterator[dict[str, Any]]:
    """Statements of reasons for every restrictive decision made in [start, end], oldest first."""
    lo, hi = period_bounds(start, end)
    rows = session.execute(
        select(DecisionRow, ItemRow.payload).join(ItemRow, ItemRow.id == DecisionRow.item_id)
        .where(DecisionRow.decided_at >= lo, DecisionRow.decided_at < hi, DecisionRow.verdict != "allow")
        .order_by(DecisionRow.decided_at, DecisionRow.id).execution_options(yield_per=500)
    )
    for row, payload in rows:
        sor = statement_of_reasons(row, payload or {}, ctx.ladder.sor, source=_report_source(session, row))
        if sor is not None:
            yield sor
